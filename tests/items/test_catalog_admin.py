"""Catalog admin: pages render, drafts are edited with their child rows, published versions are
read-only, and the publish / retire / new-version actions call the services and report every refusal."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.db.models.fields.files import FieldFile
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from approvals.items import services
from approvals.items.models import Item, ItemVersion
from tests import factories as f

pytestmark = pytest.mark.django_db

ITEMS = "/admin/items/item/"
VERSIONS = "/admin/items/itemversion/"


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_superuser("catalog-admin", password="pw")
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _form_values(form) -> dict:
    data = {}
    for name in form.fields:
        bound = form[name]
        value = bound.value()
        key = bound.html_name
        if isinstance(value, FieldFile) or value is None:
            if value is None:
                data[key] = ""
            continue
        if isinstance(value, bool):
            if value:
                data[key] = "on"
            continue
        if isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
            continue
        data[key] = str(value.isoformat() if isinstance(value, date) else value)
    return data


def change_form_data(response) -> dict:
    """The POST data a browser would send back for an unchanged admin change form."""
    context = response.context
    data = _form_values(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_values(formset.management_form))
        for form in formset.forms:
            data.update(_form_values(form))
    return data


def action(client, url, name, pks, **extra):
    return client.post(
        url, {"action": name, "_selected_action": [str(pk) for pk in pks], **extra}, follow=True
    )


# --- pages ------------------------------------------------------------------------------------


def test_item_changelist_shows_name_in_force_and_status(staff, django_assert_max_num_queries):
    v1 = f.item_version(code="FOOD-1", name="食品经营许可")
    v2 = services.new_version(v1.item_id)
    f.item_version(code="NEVER", publish=False, name="未发布事项")

    with django_assert_max_num_queries(12):
        response = staff.get(ITEMS)

    assert response.status_code == 200
    html = response.content.decode()
    assert "FOOD-1" in html and "食品经营许可" in html
    assert f"v{v2.version} · Draft" in html
    assert "not in force" in html  # NEVER has only a draft
    assert "catalog-export-xlsx" in html  # the XLSX import/export buttons of CatalogXlsxAdminMixin
    assert staff.get(ITEMS, {"q": "未发布"}).context["cl"].result_count == 1


def test_item_changelist_query_count_does_not_grow_with_items(staff):
    for _ in range(3):
        f.item_version()
    with CaptureQueriesContext(connection) as with_3:
        assert staff.get(ITEMS).status_code == 200
    for _ in range(27):
        f.item_version()
    with CaptureQueriesContext(connection) as with_30:
        assert staff.get(ITEMS).status_code == 200
    assert len(with_30) == len(with_3)


def test_version_changelist_query_count_does_not_grow_with_versions(staff):
    for _ in range(3):
        f.item_version()
    with CaptureQueriesContext(connection) as with_3:
        assert staff.get(VERSIONS).status_code == 200
    for _ in range(27):
        f.item_version()
    with CaptureQueriesContext(connection) as with_30:
        assert staff.get(VERSIONS).status_code == 200
    assert len(with_30) == len(with_3)


def test_item_change_page_lists_its_versions(staff):
    v1 = f.item_version(code="LISTED")
    services.new_version(v1.item_id)
    response = staff.get(f"{ITEMS}{v1.item_id}/change/")
    assert response.status_code == 200
    versions_inline = response.context["inline_admin_formsets"][0]
    assert [form.original.version for form in versions_inline] == [2, 1]


def test_draft_change_form_renders_every_inline_editable(staff):
    draft = f.item_version(publish=False, co_departments=(f.department(),))

    response = staff.get(f"{VERSIONS}{draft.pk}/change/")

    assert response.status_code == 200
    inlines = {i.formset.prefix: i for i in response.context["inline_admin_formsets"]}
    assert set(inlines) == {
        "legal_bases",
        "materials",
        "co_departments",
        "special_procedures",
        "fees",
        "faqs",
        "form_fields",
    }
    assert all(i.has_add_permission and i.has_change_permission for i in inlines.values())
    assert len(inlines["materials"].formset.forms) == 3
    html = response.content.decode()
    assert 'name="_save"' in html
    assert "Ready to publish." in html


def test_published_version_is_shown_read_only(staff):
    version = f.item_version()

    response = staff.get(f"{VERSIONS}{version.pk}/change/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_save"' not in html
    assert 'name="name"' not in html
    assert version.name in html
    for inline in response.context["inline_admin_formsets"]:
        assert not (inline.has_add_permission or inline.has_change_permission or inline.has_delete_permission)
    # A forged POST is refused and changes nothing.
    assert staff.post(f"{VERSIONS}{version.pk}/change/", {"name": "改名"}).status_code == 403
    assert staff.post(f"{VERSIONS}{version.pk}/delete/", {"post": "yes"}).status_code == 403
    version.refresh_from_db()
    assert version.name != "改名"


def test_saving_a_draft_with_a_new_child_row_through_the_admin(staff):
    draft = f.item_version(publish=False)
    page = staff.get(f"{VERSIONS}{draft.pk}/change/")
    data = change_form_data(page)
    data["name"] = "改过的名称"
    data["fees-TOTAL_FORMS"] = "1"
    data.update(
        {
            "fees-0-name": "工本费",
            "fees-0-amount": "15.00",
            "fees-0-position": "0",
            "fees-0-version": str(draft.pk),
        }
    )

    response = staff.post(f"{VERSIONS}{draft.pk}/change/", data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.name == "改过的名称"
    assert [(fee.name, str(fee.amount)) for fee in draft.fees.all()] == [("工本费", "15.00")]
    assert draft.materials.count() == 3  # untouched inline rows kept


def test_admin_form_rejects_promised_above_statutory(staff):
    draft = f.item_version(publish=False)
    data = change_form_data(staff.get(f"{VERSIONS}{draft.pk}/change/"))
    data["promised_limit_days"] = "30"

    response = staff.post(f"{VERSIONS}{draft.pk}/change/", data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.promised_limit_days == 10


def test_add_first_version_of_a_new_item_and_refuse_a_second_one(staff):
    item = Item.objects.create(code="NEW-1", basic_code="B-NEW-1")
    dept = f.department()
    add = staff.get(f"{VERSIONS}add/")
    assert add.status_code == 200
    data = change_form_data(add)
    data.update(
        {"item": str(item.pk), "name": "新事项", "department": str(dept.pk), "statutory_limit_days": "20"}
    )

    assert staff.post(f"{VERSIONS}add/", data).status_code == 302
    version = ItemVersion.objects.get(item=item)
    assert (version.version, version.status) == (1, ItemVersion.Status.DRAFT)

    again = staff.post(f"{VERSIONS}add/", data)
    assert again.status_code == 200
    assert "item" in again.context["adminform"].form.errors
    assert item.versions.count() == 1


# --- actions ----------------------------------------------------------------------------------


def test_publish_action_uses_the_effective_date(staff):
    v1 = f.item_version(effective_from=date(2025, 1, 1))
    draft = services.new_version(v1.item_id)

    response = action(staff, VERSIONS, "publish_versions", [draft.pk], effective_date="2026-07-01")

    assert response.status_code == 200
    draft.refresh_from_db()
    v1.refresh_from_db()
    assert draft.status == ItemVersion.Status.PUBLISHED and draft.effective_from == date(2026, 7, 1)
    assert v1.status == ItemVersion.Status.SUPERSEDED and v1.effective_to == date(2026, 7, 1)
    assert any("published, in force from 2026-07-01" in m for m in messages_of(response))


def test_version_changelist_offers_the_actions_with_an_effective_date(staff):
    f.item_version()
    html = staff.get(VERSIONS).content.decode()
    for name in ("publish_versions", "retire_versions", "start_new_version", 'name="effective_date"'):
        assert name in html


def test_delete_selected_refuses_published_versions(staff):
    version = f.item_version()
    response = action(staff, VERSIONS, "delete_selected", [version.pk], post="yes")
    assert response.status_code in (200, 403)
    assert ItemVersion.objects.filter(pk=version.pk, status=ItemVersion.Status.PUBLISHED).exists()


def test_publish_action_shows_every_refusal_reason(staff):
    item = Item.objects.create(code="EMPTY-1", basic_code="B")
    empty = ItemVersion.objects.create(item=item, name="空", department=f.department(), is_joint=True)

    response = action(staff, VERSIONS, "publish_versions", [empty.pk], effective_date="2026-01-01")

    shown = messages_of(response)
    for reason in services.publication_problems(empty):
        assert f"EMPTY-1 v1 not published: {reason}" in shown
    assert len(shown) == 6
    empty.refresh_from_db()
    assert empty.status == ItemVersion.Status.DRAFT


def test_publish_action_refuses_a_bad_date_without_publishing(staff):
    draft = f.item_version(publish=False)
    response = action(staff, VERSIONS, "publish_versions", [draft.pk], effective_date="not-a-date")
    assert any(m.startswith("Effective date:") for m in messages_of(response))
    draft.refresh_from_db()
    assert draft.status == ItemVersion.Status.DRAFT


def test_new_version_actions_on_items_and_on_versions(staff):
    v1 = f.item_version(code="NV-1")

    response = action(staff, ITEMS, "start_new_version", [v1.item_id])

    draft = ItemVersion.objects.get(item=v1.item, version=2)
    assert draft.status == ItemVersion.Status.DRAFT
    assert draft.materials.count() == 3
    assert any(f"/admin/items/itemversion/{draft.pk}/change/" in m for m in messages_of(response))
    # From the version list: the existing draft is returned, no third version.
    action(staff, VERSIONS, "start_new_version", [v1.pk, draft.pk])
    assert v1.item.versions.count() == 2


def test_retire_action(staff):
    version = f.item_version()
    response = action(staff, VERSIONS, "retire_versions", [version.pk], effective_date="2026-12-01")
    version.refresh_from_db()
    assert version.status == ItemVersion.Status.RETIRED and version.effective_to == date(2026, 12, 1)
    assert any("retired from 2026-12-01" in m for m in messages_of(response))


def test_department_admin_pages(staff):
    dept = f.department("ADM-D", name="审批局")
    assert "审批局" in staff.get("/admin/items/department/").content.decode()
    assert staff.get(f"/admin/items/department/{dept.pk}/change/").status_code == 200
