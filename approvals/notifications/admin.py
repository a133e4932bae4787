from django.contrib import admin

from .models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["id", "event", "recipient", "channel", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["channel", "state", "event"]
    search_fields = ["dedup_key", "subject"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "language", "email_enabled", "sms_enabled"]
