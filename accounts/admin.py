from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Business, BusinessAgent, CitizenProfile, OfficerMembership, User


class MembershipInline(admin.TabularInline):
    model = OfficerMembership
    extra = 0
    autocomplete_fields = ["department"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Roles"), {"fields": ("admin_role", "phone")}))
    list_display = ("username", "first_name", "admin_role", "is_staff", "is_active")
    list_filter = ("admin_role", "is_staff", "is_active")
    inlines = [MembershipInline]


@admin.register(CitizenProfile)
class CitizenProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "masked_name", "masked_id_number", "bad_credit")
    exclude = ("id_number_digest",)


class AgentInline(admin.TabularInline):
    model = BusinessAgent
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ("name", "uscc", "legal_representative", "bad_credit")
    search_fields = ("name", "uscc")
    inlines = [AgentInline]
