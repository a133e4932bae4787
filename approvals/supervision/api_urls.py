"""API of the supervision office (mounted under /api/v1/)."""

from rest_framework.routers import SimpleRouter

from .cards_api import CardViewSet
from .complaints_api import ComplaintViewSet
from .ratings_api import RatingViewSet, TicketViewSet

router = SimpleRouter(trailing_slash=True)
router.register("supervision/cards", CardViewSet, basename="supervision-card")
router.register("complaints", ComplaintViewSet, basename="complaint")
router.register("ratings", RatingViewSet, basename="rating")
router.register("rectification-tickets", TicketViewSet, basename="rectification-ticket")

urlpatterns = router.urls
