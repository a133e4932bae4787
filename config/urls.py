from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

api_v1 = [
    path("", include("approvals.items.api_urls")),
    path("", include("approvals.notifications.api_urls")),
    path("", include("approvals.cases.api_urls")),
    path("", include("approvals.parallel.api_urls")),
    path("", include("approvals.supervision.api_urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("reports/", include("approvals.supervision.reports.urls")),
    path("supervision/", include("approvals.supervision.urls")),
    path("public/", include("approvals.supervision.reports.public_urls")),
    path("workbench/", include("approvals.workbench.urls")),
    path("", include("approvals.documents.urls")),
    path("", include("approvals.cases.public_urls")),
    path("", include("citizen_portal.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
