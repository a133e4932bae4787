from django.contrib import admin

from .models import Case, CaseMaterial, TransitionLog


class TransitionLogInline(admin.TabularInline):
    model = TransitionLog
    extra = 0
    can_delete = False
    fields = ("at", "from_state", "to_state", "command", "actor", "reason", "round", "details")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class CaseMaterialInline(admin.TabularInline):
    model = CaseMaterial
    extra = 0
    can_delete = False
    fields = ("requirement_code", "original_name", "content_type", "size", "sha256", "uploaded_at", "round", "is_current")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-mostly: cases change only through the service commands."""

    list_display = (
        "case_no", "item_version", "state", "received_on", "intake_due", "decision_due_promised",
        "decision_due_statutory", "deemed_accepted",
    )
    list_filter = ("state", "channel", "deemed_accepted")
    search_fields = ("case_no",)
    list_select_related = ("item_version",)
    inlines = (CaseMaterialInline, TransitionLogInline)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Case._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TransitionLog)
class TransitionLogAdmin(admin.ModelAdmin):
    list_display = ("case", "at", "from_state", "to_state", "command", "actor", "round")
    list_filter = ("command", "to_state")
    search_fields = ("case__case_no",)
    list_select_related = ("case", "actor")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in TransitionLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
