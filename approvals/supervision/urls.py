"""Supervision office pages, mounted at /supervision/."""

from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("cases/", views.case_list_view, name="cases"),
    path("cases/<str:case_no>/", views.case_view, name="case"),
    path("cards/", views.card_list_view, name="cards"),
    path("cards/<int:card_id>/", views.card_view, name="card"),
    path("complaints/", views.complaint_list_view, name="complaints"),
]
