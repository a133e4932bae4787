from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import COMMAND_VIEWS, CaseTasksView, TaskAttachmentView, TaskViewSet

router = SimpleRouter(trailing_slash=True)
router.register("tasks", TaskViewSet, basename="task")

urlpatterns = [
    *router.urls,
    path("tasks/<int:pk>/attachments/", TaskAttachmentView.as_view(), name="task-attachments"),
    *(path(f"tasks/<int:pk>/{command}/", view.as_view(), name=f"task-{command}") for command, view in COMMAND_VIEWS.items()),
    path("cases/<str:case_no>/tasks/", CaseTasksView.as_view(), name="case-tasks"),
]
