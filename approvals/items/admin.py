"""Admin for the service catalog: departments, items and their versions.

Drafts are edited here with all their child rows; published, superseded and retired versions are
shown read-only. Publishing, retiring and starting a new version are admin actions that call the
catalog services, which hold the rules.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import selectors, services
from .models import (
    FAQ,
    CoDepartment,
    Department,
    Fee,
    FormField,
    Item,
    ItemVersion,
    LegalBasis,
    MaterialRequirement,
    SpecialProcedure,
)
from .xlsx_admin import CatalogXlsxAdminMixin


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "short_name", "level", "region_code", "parent")
    list_filter = ("level",)
    list_select_related = ("parent",)
    search_fields = ("code", "name", "short_name")
    autocomplete_fields = ("parent",)


# --- items ------------------------------------------------------------------------------------


class VersionListInline(admin.TabularInline):
    """The versions of an item, read-only, each linking to its own page."""

    model = ItemVersion
    fields = ("version", "name", "status", "effective_from", "effective_to")
    readonly_fields = fields
    ordering = ("-version",)
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Item)
class ItemAdmin(CatalogXlsxAdminMixin, admin.ModelAdmin):
    list_display = ("code", "basic_code", "name_in_force", "version_in_force", "status_in_force", "latest")
    search_fields = ("code", "basic_code", "versions__name")
    fields = ("code", "basic_code")
    inlines = [VersionListInline]
    actions = ["start_new_version"]

    def get_queryset(self, request):
        return selectors.items_with_current_version()

    def get_readonly_fields(self, request, obj=None):
        # The implementation code is the item's identity: cases and versions refer to it.
        return ("code",) if obj else ()

    @admin.display(description=_("name in force"), ordering="current_name")
    def name_in_force(self, obj: Item) -> str:
        return obj.current_name or "-"

    @admin.display(description=_("version in force"), ordering="current_version")
    def version_in_force(self, obj: Item):
        return obj.current_version or "-"

    @admin.display(description=_("status in force"), ordering="current_status")
    def status_in_force(self, obj: Item) -> str:
        return ItemVersion.Status(obj.current_status).label if obj.current_status else gettext("not in force")

    @admin.display(description=_("latest version"), ordering="latest_version")
    def latest(self, obj: Item) -> str:
        if obj.latest_version is None:
            return "-"
        return f"v{obj.latest_version} · {ItemVersion.Status(obj.latest_status).label}"

    @admin.action(description=_("Start a new version (draft copy of the latest)"))
    def start_new_version(self, request, queryset):
        _start_new_versions(self, request, queryset.values_list("pk", flat=True))


# --- item versions ----------------------------------------------------------------------------


class VersionChildInline:
    """Child rows of a version: editable only while the version is a draft."""

    extra = 0

    @staticmethod
    def _editable(obj) -> bool:
        return obj is None or obj.is_editable

    def has_add_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


class LegalBasisInline(VersionChildInline, admin.StackedInline):
    model = LegalBasis
    fields = (("position", "purpose"), ("law_name", "article"), "text")


class MaterialInline(VersionChildInline, admin.StackedInline):
    model = MaterialRequirement
    fields = (
        ("position", "code", "name"),
        ("form", "copies", "medium"),
        ("necessity", "source"),
        "specification",
        ("blank_form", "sample"),
        "review_points",
        "legal_basis",
    )


class CoDepartmentInline(VersionChildInline, admin.TabularInline):
    model = CoDepartment
    fields = ("position", "department", "step_limit_days")
    autocomplete_fields = ("department",)


class SpecialProcedureInline(VersionChildInline, admin.TabularInline):
    model = SpecialProcedure
    fields = ("position", "kind", "name", "max_working_days", "counted_in_limit", "legal_basis")


class FeeInline(VersionChildInline, admin.TabularInline):
    model = Fee
    fields = ("position", "name", "amount", "amount_note", "basis")


class FAQInline(VersionChildInline, admin.StackedInline):
    model = FAQ
    fields = ("position", "question", "answer")


class FormFieldInline(VersionChildInline, admin.TabularInline):
    model = FormField
    fields = ("position", "name", "label", "field_type", "required", "choices", "help_text")


class EffectiveDateActionForm(ActionForm):
    # A CharField: Django validates this form before running any action, and a bad date must reach
    # the action (which parses it with ``EffectiveDateForm``) to be reported, not be dropped silently.
    effective_date = forms.CharField(
        label=_("Effective date"),
        required=False,
        help_text=_(
            "Publish: in force from this date (empty: the draft's own effective date, or today); "
            "retire: withdrawn from this date (empty: today)."
        ),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class EffectiveDateForm(forms.Form):
    effective_date = forms.DateField(required=False)


class ItemVersionAdminForm(forms.ModelForm):
    class Meta:
        model = ItemVersion
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose what is shown

    def clean(self):
        cleaned = super().clean()
        item = cleaned.get("item")
        if self.instance._state.adding and item is not None and item.versions.exists():
            raise ValidationError(
                {
                    "item": gettext(
                        "This item already has versions; use the action “Start a new version” instead."
                    )
                }
            )
        return cleaned


@admin.register(ItemVersion)
class ItemVersionAdmin(admin.ModelAdmin):
    form = ItemVersionAdminForm
    action_form = EffectiveDateActionForm
    list_display = ("item_code", "name", "version", "status", "effective_from", "effective_to", "department")
    list_display_links = ("item_code", "name")
    list_filter = ("status", "item_type", "is_joint")
    list_select_related = ("item", "department")
    search_fields = ("item__code", "name")
    autocomplete_fields = ("item", "department")
    readonly_fields = ("version", "status", "effective_to", "published_at", "publication_check")
    actions = ["publish_versions", "retire_versions", "start_new_version"]
    inlines = [
        LegalBasisInline,
        MaterialInline,
        CoDepartmentInline,
        SpecialProcedureInline,
        FeeInline,
        FAQInline,
        FormFieldInline,
    ]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "item",
                    "version",
                    "status",
                    "effective_from",
                    "effective_to",
                    "published_at",
                    "publication_check",
                )
            },
        ),
        (
            _("Identity and classification"),
            {
                "fields": (
                    "name",
                    "item_type",
                    "main_item_name",
                    "sub_item_name",
                    "situation",
                    "target",
                    "themes",
                )
            },
        ),
        (_("Departments"), {"fields": ("department", "is_joint", "join_policy", "two_level_approval")}),
        (_("Conditions"), {"fields": ("acceptance_conditions", "quantity_limit")}),
        (
            _("Time limits (working days)"),
            {
                "fields": (
                    ("acceptance_limit_days", "statutory_limit_days", "promised_limit_days"),
                    ("extension_allowed", "extension_days", "licence_issue_limit_days"),
                )
            },
        ),
        (
            _("Fees and channels"),
            {
                "fields": (
                    "fee_required",
                    ("channel_online", "channel_window", "channel_post"),
                    ("online_depth", "visits_required"),
                )
            },
        ),
        (_("Where and when"), {"fields": ("address", "office_hours", "enquiry_phone", "complaint_phone")}),
        (_("Result"), {"fields": ("result_name", "result_type", "result_validity", "result_sample")}),
    )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("item")
        return fields

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and not obj.is_editable:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and not obj.is_editable:
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("item code"), ordering="item__code")
    def item_code(self, obj: ItemVersion) -> str:
        return obj.item.code

    @admin.display(description=_("publication check"))
    def publication_check(self, obj: ItemVersion | None):
        if obj is None or obj.pk is None or not obj.is_editable:
            return "-"
        problems = services.publication_problems(obj)
        if not problems:
            return gettext("Ready to publish.")
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((p,) for p in problems)))

    # --- actions ------------------------------------------------------------------------------
    def _effective_date(self, request):
        """The date typed next to the action; ``False`` when it is not a valid date."""
        form = EffectiveDateForm(request.POST)
        if not form.is_valid():
            for error in form.errors.get("effective_date", []):
                messages.error(request, gettext("Effective date: %(error)s") % {"error": error})
            return False
        return form.cleaned_data["effective_date"]

    @admin.action(description=_("Publish the selected drafts (from the effective date)"))
    def publish_versions(self, request, queryset):
        effective = self._effective_date(request)
        if effective is False:
            return
        for version in queryset.select_related("item"):
            label = f"{version.item.code} v{version.version}"
            try:
                published = services.publish(version.pk, effective_from=effective)
            except ValidationError as exc:
                for problem in exc.messages:
                    messages.error(
                        request,
                        gettext("%(version)s not published: %(reason)s")
                        % {"version": label, "reason": problem},
                    )
            else:
                messages.success(
                    request,
                    gettext("%(version)s published, in force from %(date)s.")
                    % {"version": label, "date": published.effective_from.isoformat()},
                )

    @admin.action(description=_("Retire the selected published versions (from the effective date)"))
    def retire_versions(self, request, queryset):
        effective = self._effective_date(request)
        if effective is False:
            return
        for version in queryset.select_related("item"):
            label = f"{version.item.code} v{version.version}"
            try:
                retired = services.retire(version.pk, effective_to=effective)
            except ValidationError as exc:
                for problem in exc.messages:
                    messages.error(
                        request,
                        gettext("%(version)s not retired: %(reason)s")
                        % {"version": label, "reason": problem},
                    )
            else:
                messages.success(
                    request,
                    gettext("%(version)s retired from %(date)s.")
                    % {"version": label, "date": retired.effective_to.isoformat()},
                )

    @admin.action(description=_("Start a new version (draft copy of the latest)"))
    def start_new_version(self, request, queryset):
        _start_new_versions(self, request, queryset.order_by().values_list("item_id", flat=True).distinct())


def _start_new_versions(model_admin: admin.ModelAdmin, request, item_ids) -> None:
    for item_id in item_ids:
        try:
            draft = services.new_version(item_id)
        except ValidationError as exc:
            for problem in exc.messages:
                model_admin.message_user(request, problem, messages.ERROR)
            continue
        url = reverse("admin:items_itemversion_change", args=[draft.pk])
        model_admin.message_user(
            request,
            format_html(
                gettext('Draft {version} of {code} is ready: <a href="{url}">edit it</a>.'),
                version=f"v{draft.version}",
                code=draft.item.code,
                url=url,
            ),
            messages.SUCCESS,
        )
