from django.contrib import admin

from .models import DecisionTemplate, RevealLog


@admin.register(RevealLog)
class RevealLogAdmin(admin.ModelAdmin):
    list_display = ["at", "officer", "case", "field", "ip_address"]
    list_filter = ["field"]
    readonly_fields = [f.name for f in RevealLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DecisionTemplate)
class DecisionTemplateAdmin(admin.ModelAdmin):
    list_display = ["item", "updated_at"]
    search_fields = ["item__code"]
