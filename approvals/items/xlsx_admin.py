"""Admin pages to import and export the catalog as XLSX (issue 2).

``CatalogXlsxAdminMixin`` is mixed into the item admin: it adds two URLs, ``import-xlsx/`` (upload
form; all-or-nothing, every rejected cell listed) and ``export-xlsx/`` (download of the versions
in force on a date, or of all drafts), and the changelist buttons that lead to them. The views
only read the request and call ``approvals.items.xlsx``.
"""

from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .xlsx import CatalogImportError, export_catalog, import_catalog

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ERRORS_SHOWN = 500


class CatalogImportForm(forms.Form):
    file = forms.FileField(label=_("Catalog workbook (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Check only, do not import"), required=False)


class CatalogExportForm(forms.Form):
    on = forms.DateField(
        label=_("Versions in force on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    drafts = forms.BooleanField(label=_("Export the drafts instead"), required=False)


class CatalogXlsxAdminMixin:
    """Adds "import XLSX" and "export XLSX" to a ModelAdmin (used on the item admin)."""

    change_list_template = "admin/items/item/change_list.html"
    catalog_import_template = "admin/items/item/import_xlsx.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "import-xlsx/",
                self.admin_site.admin_view(self.import_xlsx_view),
                name="{}_{}_import_xlsx".format(*info),
            ),
            path(
                "export-xlsx/",
                self.admin_site.admin_view(self.export_xlsx_view),
                name="{}_{}_export_xlsx".format(*info),
            ),
            *super().get_urls(),
        ]

    def has_catalog_import_permission(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "has_catalog_import_permission": self.has_catalog_import_permission(request),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def import_xlsx_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_catalog_import_permission(request):
            raise PermissionDenied
        errors = []
        if request.method == "POST":
            form = CatalogImportForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    result = import_catalog(form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"])
                except CatalogImportError as exc:
                    errors = exc.errors
                else:
                    summary = gettext(
                        "%(items)d items read: %(created)d new items, %(versions)d new draft versions, "
                        "%(replaced)d drafts replaced, %(published)d published; %(departments)d departments created."
                    ) % {
                        "items": result.items,
                        "created": result.items_created,
                        "versions": result.versions_created,
                        "replaced": result.drafts_replaced,
                        "published": result.published,
                        "departments": result.departments_created,
                    }
                    if result.dry_run:
                        messages.info(
                            request,
                            gettext("The file is valid; nothing was imported (check only). ") + summary,
                        )
                        return HttpResponseRedirect(request.path)
                    messages.success(request, gettext("Catalog imported. ") + summary)
                    info = self.opts.app_label, self.opts.model_name
                    return HttpResponseRedirect(
                        reverse("admin:{}_{}_changelist".format(*info), current_app=self.admin_site.name)
                    )
        else:
            form = CatalogImportForm()
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Import the catalog from XLSX"),
            "form": form,
            "export_form": CatalogExportForm(initial={"on": timezone.localdate()}),
            "errors": errors[:MAX_ERRORS_SHOWN],
            "error_count": len(errors),
            "hidden_error_count": max(0, len(errors) - MAX_ERRORS_SHOWN),
        }
        return TemplateResponse(request, self.catalog_import_template, context, status=400 if errors else 200)

    def export_xlsx_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = CatalogExportForm(request.GET)
        if not form.is_valid():
            for error in form.errors.get("on", []):
                messages.error(request, gettext("Date: %(error)s") % {"error": error})
            info = self.opts.app_label, self.opts.model_name
            return HttpResponseRedirect(
                reverse("admin:{}_{}_import_xlsx".format(*info), current_app=self.admin_site.name)
            )
        drafts = form.cleaned_data["drafts"]
        on = form.cleaned_data["on"] or timezone.localdate()
        buffer = io.BytesIO()
        export_catalog(buffer, on=on, drafts=drafts)
        name = "catalog-drafts.xlsx" if drafts else f"catalog-{on.isoformat()}.xlsx"
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
