"""Supervision office pages, mounted at /reports/."""

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_home, name="home"),
    path("<int:pk>/", views.run_detail, name="run"),
    path("<int:pk>/status.json", views.run_status, name="run-status"),
    path("<int:pk>/report.<str:fmt>", views.run_file, name="run-file"),
]
