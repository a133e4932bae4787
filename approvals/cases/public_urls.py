from django.urls import path

from .public_views import status_page

urlpatterns = [path("status/", status_page, name="case-status-page")]
