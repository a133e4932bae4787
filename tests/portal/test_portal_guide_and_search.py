"""The service guide: browse by theme and department, tolerant Chinese search, the item page with
every public field of the version in force, and the cache that a publication invalidates."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.items import services as catalog
from approvals.items.models import ItemVersion
from citizen_portal import selectors

pytestmark = pytest.mark.django_db

FOOD = "429901-SJJ-001"


def names(response) -> list[str]:
    return [e.name for e in response.context["results"]]


def test_home_lists_themes_departments_and_online_items(client, demo):
    page = client.get("/")
    assert page.status_code == 200
    html = page.content.decode()
    for key, _label in selectors.CITIZEN_THEMES + selectors.BUSINESS_THEMES:
        assert f"?theme={key}" in html
    assert "江城市市场监督管理局" in html
    assert page.context["item_count"] == len(selectors.catalog_entries()) >= 30


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("食品经营许可", "食品经营许可（新办）"),
        ("食品经营", "食品经营许可（新办）"),  # partial name
        ("我要办理食品经营许可证", "食品经营许可（新办）"),  # filler words stripped
        ("食品经营证", "食品经营许可（新办）"),  # tolerant: most two-character pieces match
        ("餐饮店开办", "开办餐饮店“一件事”（食品经营许可、店招设置、排水许可）"),  # word order differs
        ("出生", "出生登记"),
        ("SJJ-001", "食品经营许可（新办）"),  # by code
    ],
)
def test_search_is_tolerant_of_partial_names_and_filler_words(client, demo, query, expected):
    response = client.get("/guide/", {"q": query})
    assert response.status_code == 200
    assert expected in names(response)[:3], (query, names(response)[:5])


def test_search_without_any_match_says_so(client, demo):
    response = client.get("/guide/", {"q": "宇宙飞船发射"})
    assert names(response) == []
    assert "Nothing matches" in response.content.decode()


def test_browse_by_theme_and_by_department(client, demo):
    birth = names(client.get("/guide/", {"theme": "birth"}))
    assert birth == ["出生登记"]
    construction = client.get("/guide/", {"theme": "construction"}).context["results"]
    assert construction and all("construction" in e.themes for e in construction)
    market = client.get("/guide/", {"dept": "JC-SJJ"}).context["results"]
    assert market and {e.department_code for e in market} == {"JC-SJJ"}
    business_only = client.get("/guide/", {"target": "citizen"}).context["results"]
    assert all(e.target in ("citizen", "both") for e in business_only)


def test_item_page_shows_every_public_field_of_the_version_in_force(client, demo, on_day):
    version = selectors.item_in_force(FOOD)
    html = client.get(f"/guide/items/{FOOD}/").content.decode()
    assert version.name in html
    for basis in version.legal_bases.all():
        assert basis.law_name in html
    for material in version.materials.all():
        assert material.name in html
        if material.specification:
            assert material.specification in html
    for faq in version.faqs.all():
        assert faq.question in html
    assert f"{version.promised_limit_days} working days" in html
    assert f"{version.statutory_limit_days} working days" in html
    assert version.department.name in html
    assert (version.address or version.department.address) in html
    assert (version.office_hours or version.department.office_hours) in html
    assert (version.enquiry_phone or version.department.phone) in html
    assert (version.complaint_phone or version.department.complaint_phone) in html
    assert version.get_online_depth_display() in html
    assert f'href="/apply/{FOOD}/"' in html


def test_unknown_item_is_404(client, demo):
    assert client.get("/guide/items/NO-SUCH/").status_code == 404


def test_public_pages_are_served_from_cache_without_catalog_queries(client, demo):
    for url in ("/", "/guide/", f"/guide/items/{FOOD}/", "/guide/?q=食品"):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        catalog_tables = [q["sql"] for q in queries if "items_" in q["sql"]]
        assert catalog_tables == [], url


def test_publishing_a_new_version_invalidates_the_cached_pages(client, demo, on_day):
    before = client.get(f"/guide/items/{FOOD}/").content.decode()
    current = selectors.item_in_force(FOOD)
    draft = catalog.new_version(current.item_id)
    ItemVersion.objects.filter(pk=draft.pk).update(name="食品经营许可（新办，新版）")
    draft.refresh_from_db()
    draft.save()  # a write through the model: the cache generation moves
    catalog.publish(draft.pk, effective_from=on_day.today)
    after = client.get(f"/guide/items/{FOOD}/").content.decode()
    assert "食品经营许可（新办，新版）" not in before
    assert "食品经营许可（新办，新版）" in after
    assert "食品经营许可（新办，新版）" in names(client.get("/guide/", {"q": "食品经营"}))


def test_blank_form_download_of_a_material(client, demo, on_day, tmp_path, settings):
    from django.core.files.base import ContentFile

    from approvals.items.models import MaterialRequirement

    settings.MEDIA_ROOT = str(tmp_path)
    version = selectors.item_in_force(FOOD)
    material = version.materials.first()
    # Attach a blank form the way the catalog admin does before publication: on a new draft.
    draft = catalog.new_version(version.item_id)
    row = MaterialRequirement.objects.get(version=draft, code=material.code)
    row.blank_form.save("form.pdf", ContentFile(b"%PDF-1.4 form"), save=True)
    catalog.publish(draft.pk, effective_from=on_day.today)
    response = client.get(f"/guide/items/{FOOD}/materials/{material.code}/form/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 form"
    assert client.get(f"/guide/items/{FOOD}/materials/{material.code}/sample/").status_code == 404
