from rest_framework.routers import DefaultRouter

from .api_views import DepartmentViewSet, ItemViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("departments", DepartmentViewSet, basename="department")
router.register("items", ItemViewSet, basename="item")

urlpatterns = router.urls
