"""Public pages (no login), mounted at /public/: the disclosure board and open data."""

from django.urls import path

from . import views

app_name = "public-reports"
urlpatterns = [
    path("disclosure/", views.disclosure_board, name="disclosure"),
    path("open-data/", views.open_data_index, name="open-data"),
    path("open-data/custom/", views.open_data_custom, name="open-data-custom"),
    path("open-data/<str:slug>/<str:by>.<str:fmt>", views.open_data_file, name="open-data-file"),
]
