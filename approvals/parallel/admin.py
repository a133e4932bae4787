"""Read-only views of department tasks and supplementary notices: changes go through the services."""

from django.contrib import admin

from .models import DepartmentTask, SupplementNotice, TaskLog


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TaskLogInline(admin.TabularInline):
    model = TaskLog
    extra = 0
    can_delete = False
    fields = ["at", "command", "from_state", "to_state", "actor", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DepartmentTask)
class DepartmentTaskAdmin(ReadOnlyAdmin):
    list_display = ["case", "department", "round", "role", "state", "assignee", "opened_on", "step_due"]
    list_filter = ["state", "role", "department"]
    search_fields = ["case__case_no"]
    list_select_related = ["case", "department", "assignee"]
    inlines = [TaskLogInline]


@admin.register(SupplementNotice)
class SupplementNoticeAdmin(ReadOnlyAdmin):
    list_display = ["case", "round", "issued_on", "revision", "completed_on"]
    search_fields = ["case__case_no"]
    list_select_related = ["case"]
