from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("guide/", views.guide, name="guide"),
    path("guide/items/<str:code>/", views.item_detail, name="item"),
    path("guide/items/<str:code>/materials/<str:material_code>/<str:kind>/", views.item_file, name="item-file"),
    path("check/", views.check, name="check"),
    # Accounts
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="portal:home"), name="logout"),
    path("accounts/register/", views.register, name="register"),
    path("accounts/register/citizen/", views.register_citizen, name="register-citizen"),
    path("accounts/register/business/", views.register_business, name="register-business"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/password-reset/", views.PASSWORD_RESET["reset"], name="password-reset"),
    path("accounts/password-reset/sent/", views.PASSWORD_RESET["done"], name="password-reset-done"),
    path("accounts/reset/<uidb64>/<token>/", views.PASSWORD_RESET["confirm"], name="password-reset-confirm"),
    path("accounts/reset/done/", views.PASSWORD_RESET["complete"], name="password-reset-complete"),
    # Applying
    path("apply/<str:code>/", views.apply_start, name="apply"),
    path("my/cases/<str:case_no>/apply/details/", views.apply_fields, name="apply-fields"),
    path("my/cases/<str:case_no>/apply/materials/", views.apply_materials, name="apply-materials"),
    path("my/cases/<str:case_no>/apply/review/", views.apply_review, name="apply-review"),
    path("my/cases/<str:case_no>/materials/<str:code>/upload/", views.upload_material, name="upload"),
    # My cases
    path("my/cases/", views.my_cases, name="my-cases"),
    path("my/cases/<str:case_no>/", views.case_page, name="case"),
    path("my/cases/<str:case_no>/resubmit/", views.resubmit, name="resubmit"),
    path("my/cases/<str:case_no>/withdraw/", views.withdraw, name="withdraw"),
    path("my/cases/<str:case_no>/rate/", views.rate, name="rate"),
    path("my/cases/<str:case_no>/complain/", views.complain, name="complain"),
    path("my/cases/<str:case_no>/documents/<int:document_id>/", views.document_download, name="document"),
    path("my/cases/<str:case_no>/files/<int:material_id>/", views.material_download, name="material"),
]
