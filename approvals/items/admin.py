from django.contrib import admin

from .models import Department


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "short_name", "level", "region_code", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name", "short_name")
