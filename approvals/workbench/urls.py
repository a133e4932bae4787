from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "workbench"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="workbench:login"), name="logout"),
    path("intake/", views.queue, name="queue"),
    path("intake/window/", views.window_intake, name="window_intake"),
    path("inbox/", views.inbox, name="inbox"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<int:task_id>/", views.task_page, name="task"),
    path("tasks/<int:task_id>/<slug:command>/", views.task_act, name="task_act"),
    path("extensions/", views.extensions, name="extensions"),
    path("messages/", views.message_centre, name="messages"),
    path("messages/unread/", views.unread, name="unread"),
    path("messages/<int:pk>/read/", views.message_read, name="message_read"),
    path("cases/<str:case_no>/", views.case_page, name="case"),
    path("cases/<str:case_no>/reveal/", views.reveal, name="reveal"),
    path("cases/<str:case_no>/act/<slug:command>/", views.act, name="act"),
    path("materials/<int:pk>/", views.material_file, name="material"),
    path("documents/<int:pk>/", views.document_pdf, name="document"),
]
