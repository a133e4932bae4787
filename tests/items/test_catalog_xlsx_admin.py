"""The admin's catalog import (upload, all-or-nothing, every error shown) and export (download),
driven through the Django test client as a catalog administrator.

The mixin is mounted on a test admin site so that these tests do not depend on how the item
admin is assembled; the real ``ItemAdmin`` mixes in the same class.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import path
from openpyxl import load_workbook

from accounts.models import User
from approvals.items.models import Item, ItemVersion, MaterialRequirement
from approvals.items.xlsx_admin import XLSX_CONTENT_TYPE, CatalogXlsxAdminMixin
from tests import factories as f
from tests.items.test_catalog_xlsx_import import make_xlsx, valid_sheets

site = admin.AdminSite(name="xlsx_test_admin")


@admin.register(Item, site=site)
class ItemXlsxAdmin(CatalogXlsxAdminMixin, admin.ModelAdmin):
    list_display = ("code", "basic_code")


urlpatterns = [path("catalog-admin/", site.urls)]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

IMPORT_URL = "/catalog-admin/items/item/import-xlsx/"
EXPORT_URL = "/catalog-admin/items/item/export-xlsx/"
CHANGELIST_URL = "/catalog-admin/items/item/"


@pytest.fixture
def superuser_client(client):
    client.force_login(User.objects.create_superuser("catalog-admin", password="pw"))
    return client


@pytest.fixture
def departments():
    return f.department(code="330100-SCJG"), f.department(code="330100-XF")


def upload(data: bytes, name: str = "catalog.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX_CONTENT_TYPE)


def test_changelist_offers_import_and_export_buttons(superuser_client):
    html = superuser_client.get(CHANGELIST_URL).content.decode()
    assert f'href="{IMPORT_URL}"' in html
    assert f'href="{EXPORT_URL}"' in html
    assert f'href="{EXPORT_URL}?drafts=on"' in html


def test_import_page_shows_the_upload_form(superuser_client):
    response = superuser_client.get(IMPORT_URL)
    assert response.status_code == 200
    assert b'id="catalog-import-form"' in response.content
    assert b'type="file"' in response.content


def test_uploading_a_valid_file_imports_it_and_returns_to_the_changelist(superuser_client, departments):
    response = superuser_client.post(IMPORT_URL, {"file": upload(make_xlsx(valid_sheets()))}, follow=True)
    assert response.redirect_chain[-1][0] == CHANGELIST_URL
    assert (
        ItemVersion.objects.filter(item__code__in=["330100-A-001", "330100-A-002"], status="draft").count()
        == 2
    )
    assert MaterialRequirement.objects.count() == 3
    [message] = [str(m) for m in response.context["messages"]]
    assert "2 new items" in message


def test_uploading_a_bad_file_lists_every_error_and_imports_nothing(superuser_client, departments):
    sheets = valid_sheets()
    sheets["items"][0]["promised_limit_days"] = 99
    sheets["materials"][1]["code"] = "M01"
    sheets["co_departments"][0]["department_code"] = "NOPE"

    response = superuser_client.post(IMPORT_URL, {"file": upload(make_xlsx(sheets))})

    assert response.status_code == 400
    rows = [(e.sheet, e.row, e.column) for e in response.context["errors"]]
    assert rows == [
        ("事项", 3, "承诺办结时限（工作日）"),
        ("申请材料", 4, "材料编码"),
        ("协办部门", 3, "协办部门编码"),
    ]
    html = response.content.decode()
    assert 'id="catalog-import-errors"' in html
    for text in ("承诺办结时限（工作日）", "材料编码", "协办部门编码", "NOPE"):
        assert text in html
    assert Item.objects.count() == 0
    assert ItemVersion.objects.count() == 0


def test_uploading_something_that_is_not_xlsx_is_reported(superuser_client):
    response = superuser_client.post(IMPORT_URL, {"file": upload(b"hello", name="catalog.xlsx")})
    assert response.status_code == 400
    assert response.context["error_count"] == 1
    assert "XLSX" in response.context["errors"][0].message


def test_check_only_validates_without_importing(superuser_client, departments):
    response = superuser_client.post(
        IMPORT_URL, {"file": upload(make_xlsx(valid_sheets())), "dry_run": "on"}, follow=True
    )
    assert response.redirect_chain[-1][0] == IMPORT_URL
    assert Item.objects.count() == 0
    assert any("nothing was imported" in str(m) for m in response.context["messages"])


def test_export_downloads_the_versions_in_force(superuser_client):
    version = f.item_version(code="330100-X-001", effective_from=date(2025, 1, 1))
    f.item_version(code="330100-X-002", publish=False)

    response = superuser_client.get(EXPORT_URL, {"on": "2026-01-01"})

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="catalog-2026-01-01.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(workbook["事项"].iter_rows(min_row=3, values_only=True))
    assert [(row[0], row[2]) for row in rows] == [("330100-X-001", version.name)]
    materials = list(workbook["申请材料"].iter_rows(min_row=3, values_only=True))
    assert [row[1] for row in materials] == ["M01", "M02", "M03"]


def test_export_of_drafts(superuser_client):
    f.item_version(code="330100-X-001")
    draft = f.item_version(code="330100-X-002", publish=False)
    response = superuser_client.get(EXPORT_URL, {"drafts": "on"})
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert [row[0] for row in workbook["事项"].iter_rows(min_row=3, values_only=True)] == [draft.item.code]


def test_export_with_a_bad_date_explains_the_problem(superuser_client):
    response = superuser_client.get(EXPORT_URL, {"on": "2026-13-45"}, follow=True)
    assert response.redirect_chain[-1][0] == IMPORT_URL
    assert any("Date" in str(m) for m in response.context["messages"])


def test_staff_who_may_only_view_items_can_export_but_not_import(client):
    user = User.objects.create_user("viewer", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_item"))
    client.force_login(user)
    assert client.get(EXPORT_URL).status_code == 200
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"file": upload(b"x")}).status_code == 403
    assert f'href="{IMPORT_URL}"' not in client.get(CHANGELIST_URL).content.decode()


@pytest.mark.urls("config.urls")
def test_the_project_item_admin_carries_the_import_and_export_pages(superuser_client):
    html = superuser_client.get("/admin/items/item/").content.decode()
    assert 'href="/admin/items/item/import-xlsx/"' in html
    assert superuser_client.get("/admin/items/item/import-xlsx/").status_code == 200
    assert superuser_client.get("/admin/items/item/export-xlsx/")["Content-Type"] == XLSX_CONTENT_TYPE
