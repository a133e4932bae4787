from django.urls import path
from rest_framework.routers import SimpleRouter

from .api_views import COMMAND_VIEWS, CaseViewSet
from .public_views import PublicCaseStatusView

router = SimpleRouter(trailing_slash=True)
router.register("cases", CaseViewSet, basename="case")

urlpatterns = [
    *router.urls,
    *(
        path(f"cases/<str:case_no>/{command}/", view.as_view(), name=f"case-{command}")
        for command, view in COMMAND_VIEWS.items()
    ),
    path("public/cases/<str:case_no>/", PublicCaseStatusView.as_view(), name="public-case-status"),
]
