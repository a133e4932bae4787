"""Admin for the working-day calendar. Every edit goes through ``calendar_edit`` (change log,
index recompute, clock reload); rows are never added or deleted one by one here: a new year comes
from the import page (``Import schedule`` on the calendar-day list) or ``manage.py calendar``."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import calendar_edit
from .calendar_import import import_schedule
from .models import CalendarChange, CalendarDay, CalendarYear


class CalendarDayForm(forms.ModelForm):
    reason = forms.CharField(label=gettext_lazy("reason for the change"), max_length=300, required=False)

    class Meta:
        model = CalendarDay
        fields = ["kind", "note"]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if self.instance.pk and kind and (problem := calendar_edit.kind_problem(self.instance.date, kind)):
            self.add_error("kind", problem)
        return data


class ScheduleImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("schedule file (CSV or XLSX: date, kind, note)"),
        help_text=gettext_lazy(
            "List the holidays and make-up working days; other dates of a new year get their default."
        ),
    )


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    form = CalendarDayForm
    list_display = ["date", "weekday", "kind", "is_working_day", "source", "note"]
    list_filter = ["kind", "is_working_day", "source"]
    search_fields = ["note"]
    date_hierarchy = "date"
    readonly_fields = ["date", "is_working_day", "source", "working_index"]
    fields = ["date", "kind", "note", "reason", "is_working_day", "source", "working_index"]
    change_list_template = "admin/supervision/calendarday/change_list.html"

    @admin.display(description=gettext_lazy("weekday"))
    def weekday(self, obj):
        return "一二三四五六日"[obj.date.weekday()]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        calendar_edit.set_day(
            obj.date,
            kind=form.cleaned_data["kind"],
            note=form.cleaned_data.get("note", ""),
            user=request.user,
            reason=form.cleaned_data.get("reason", ""),
        )

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="supervision_calendarday_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_change_permission(request):
            return redirect("admin:index")
        form = ScheduleImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = import_schedule(upload.read(), upload.name, user=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                if result.new_years:
                    self.message_user(
                        request,
                        _("Confirmed year(s) %(years)s.") % {"years": ", ".join(map(str, result.new_years))},
                        messages.SUCCESS,
                    )
                self.message_user(
                    request, _("%(n)s day(s) adjusted.") % {"n": result.adjusted}, messages.SUCCESS
                )
                return redirect(reverse("admin:supervision_calendarday_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": _("Import a working-day schedule"),
        }
        return TemplateResponse(request, "admin/supervision/calendarday/import.html", context)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "confirmed_at", "confirmed_by", "note"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarChange)
class CalendarChangeAdmin(admin.ModelAdmin):
    list_display = [
        "changed_at",
        "changed_by",
        "action",
        "year",
        "date",
        "old_kind",
        "new_kind",
        "new_note",
        "reason",
    ]
    list_filter = ["action", "year", "source"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
