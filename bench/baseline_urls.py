"""Baseline endpoints for ``bench/case_intake.py`` (mounted only by ``bench.settings_bench``).

Two bare DRF views with the same authentication (session + CSRF) and permission as the case API,
doing the least a write endpoint can do: insert one row, or update one row, in ``bench_rows`` (a
table the benchmark creates with raw SQL; no model, no migration).
"""

import json

from django.db import connection
from django.urls import include, path
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView


class InsertOne(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request):
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_rows (payload) VALUES (%s) RETURNING id", [json.dumps(request.data, ensure_ascii=False)]
            )
            (pk,) = cursor.fetchone()
        return Response({"id": pk}, status=201)


class UpdateOne(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, pk: int):
        with connection.cursor() as cursor:
            cursor.execute("UPDATE bench_rows SET counter = counter + 1 WHERE id = %s", [pk])
            updated = cursor.rowcount
        return Response({"id": pk, "updated": updated})


urlpatterns = [
    path("bench/insert/", InsertOne.as_view()),
    path("bench/update/<int:pk>/", UpdateOne.as_view()),
    path("", include("config.urls")),
]
