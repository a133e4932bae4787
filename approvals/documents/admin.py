from django.contrib import admin

from .models import DocumentNumberSequence, OfficialDocument


@admin.register(OfficialDocument)
class OfficialDocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "department", "issued_on", "case_no", "valid"]
    list_filter = ["kind", "valid"]
    search_fields = ["number", "case_no", "verification_code"]
    readonly_fields = [f.name for f in OfficialDocument._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(DocumentNumberSequence)
class DocumentNumberSequenceAdmin(admin.ModelAdmin):
    list_display = ["organ_abbr", "kind_prefix", "year", "last_number"]
    readonly_fields = ["organ_abbr", "kind_prefix", "year", "last_number"]

    def has_add_permission(self, request):
        return False
