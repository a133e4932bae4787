"""The public catalog API: what an applicant sees, filters, dates, and constant query counts."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from approvals.items import services
from approvals.items.models import CoDepartment, Department, Fee, ItemVersion
from tests import factories as f

pytestmark = pytest.mark.django_db

ITEMS = "/api/v1/items/"
DEPARTMENTS = "/api/v1/departments/"


@pytest.fixture
def api():
    return APIClient()


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


# --- departments --------------------------------------------------------------------------------


def test_departments_list_and_detail_by_code(api):
    city = f.department("SJ-330100", name="杭州市市场监督管理局", short_name="市监")
    f.department("SJ-330102", name="上城区市场监督管理局", parent=city, level="county")

    listed = api.get(DEPARTMENTS)
    detail = api.get(f"{DEPARTMENTS}SJ-330102/")

    assert listed.status_code == 200
    assert [d["code"] for d in listed.json()["results"]] == ["SJ-330100", "SJ-330102"]
    assert detail.status_code == 200
    assert detail.json()["parent"] == "SJ-330100"
    assert detail.json()["name"] == "上城区市场监督管理局"
    assert api.get(f"{DEPARTMENTS}NOPE/").status_code == 404


# --- list and filters ---------------------------------------------------------------------------


def test_list_shows_the_version_in_force_today_of_each_item_only(api):
    current = f.item_version(code="A-CURRENT", name="食品经营许可")
    f.item_version(code="B-DRAFT", publish=False)
    f.item_version(code="C-FUTURE", effective_from=timezone.localdate() + timedelta(days=30))
    retired = f.item_version(code="D-RETIRED")
    services.retire(retired.pk, effective_to=timezone.localdate())
    renewed = f.item_version(code="E-RENEWED", name="旧名称")
    v2 = services.new_version(renewed.item_id)
    ItemVersion.objects.filter(pk=v2.pk).update(name="新名称")
    services.publish(v2.pk, effective_from=timezone.localdate())

    response = api.get(ITEMS)

    rows = response.json()["results"]
    assert [r["code"] for r in rows] == ["A-CURRENT", "E-RENEWED"]
    assert rows[0]["name"] == "食品经营许可" and rows[0]["version"] == current.version
    assert rows[1]["name"] == "新名称" and rows[1]["version"] == 2
    assert rows[0]["department"]["code"] == current.department.code


def test_list_is_paginated(api):
    for _ in range(23):
        f.item_version()
    first = api.get(ITEMS).json()
    second = api.get(ITEMS, {"page": 2}).json()
    assert first["count"] == 23
    assert len(first["results"]) == 20 and len(second["results"]) == 3
    assert first["next"] and second["previous"]


def test_filter_by_department_code(api):
    d1, d2 = f.department("DEPT-A"), f.department("DEPT-B")
    f.item_version(code="X1", dept=d1)
    f.item_version(code="X2", dept=d2)
    assert codes(api.get(ITEMS, {"department": "DEPT-B"})) == ["X2"]
    assert codes(api.get(ITEMS, {"department": "DEPT-C"})) == []


def test_filter_by_type(api):
    f.item_version(code="T1", item_type="licence")
    f.item_version(code="T2", item_type="filing")
    assert codes(api.get(ITEMS, {"type": "filing"})) == ["T2"]
    bad = api.get(ITEMS, {"type": "nonsense"})
    assert bad.status_code == 400 and "type" in bad.json()


def test_keyword_matches_name_or_code_case_insensitively(api):
    f.item_version(code="FOOD-001", name="食品经营许可")
    f.item_version(code="DRUG-002", name="药品零售许可")
    f.item_version(code="SHOP-003", name="户外广告设置")
    assert codes(api.get(ITEMS, {"q": "食品"})) == ["FOOD-001"]
    assert codes(api.get(ITEMS, {"q": "drug"})) == ["DRUG-002"]
    assert codes(api.get(ITEMS, {"q": "许可"})) == ["DRUG-002", "FOOD-001"]


def test_online_filter_needs_the_online_channel_at_depth_three_or_more(api):
    f.item_version(code="O1", channel_online=True, online_depth=3)
    f.item_version(code="O2", channel_online=True, online_depth=4)
    f.item_version(code="O3", channel_online=True, online_depth=2)
    f.item_version(code="O4", channel_online=False, online_depth=4)
    assert codes(api.get(ITEMS, {"online": "true"})) == ["O1", "O2"]
    assert codes(api.get(ITEMS, {"online": "false"})) == ["O3", "O4"]
    rows = api.get(ITEMS).json()["results"]
    assert {r["code"]: r["online_capable"] for r in rows} == {
        "O1": True,
        "O2": True,
        "O3": False,
        "O4": False,
    }


def test_target_filter_includes_items_open_to_both(api):
    f.item_version(code="P1", target="citizen")
    f.item_version(code="P2", target="business")
    f.item_version(code="P3", target="both")
    assert codes(api.get(ITEMS, {"target": "citizen"})) == ["P1", "P3"]
    assert codes(api.get(ITEMS, {"target": "business"})) == ["P2", "P3"]
    assert codes(api.get(ITEMS, {"target": "both"})) == ["P3"]


def test_theme_filter_matches_a_whole_theme(api):
    f.item_version(code="H1", themes="startup, operation")
    f.item_version(code="H2", themes="startup-finance")
    f.item_version(code="H3", themes="开办企业,operation")
    assert codes(api.get(ITEMS, {"theme": "startup"})) == ["H1"]
    assert codes(api.get(ITEMS, {"theme": "operation"})) == ["H1", "H3"]
    assert codes(api.get(ITEMS, {"theme": "开办企业"})) == ["H3"]
    assert api.get(ITEMS, {"theme": "operation"}).json()["results"][0]["themes"] == ["startup", "operation"]


def test_filters_combine(api):
    d = f.department("COMB")
    f.item_version(code="C1", dept=d, item_type="licence", target="business", online_depth=4)
    f.item_version(code="C2", dept=d, item_type="licence", target="citizen", online_depth=4)
    f.item_version(code="C3", dept=d, item_type="filing", target="business", online_depth=4)
    assert codes(
        api.get(ITEMS, {"department": "COMB", "type": "licence", "target": "business", "online": "1"})
    ) == ["C1"]


# --- detail ------------------------------------------------------------------------------------


def test_detail_shows_every_public_field(api):
    lead, co = f.department("LEAD"), f.department("CO-1", name="消防救援支队")
    version = f.item_version(
        publish=False,
        code="JOINT-1",
        dept=lead,
        co_departments=(co,),
        join_policy="lead_decides",
        statutory=45,
        promised=30,
        extension_days=15,
        channel_post=True,
        result_name="食品经营许可证",
        result_validity="5年",
        address="市民中心2楼",
    )
    CoDepartment.objects.filter(version=version).update(step_limit_days=10)
    Fee.objects.create(version=version, name="工本费", amount="10.00", basis="物价文件")
    version.faqs.create(question="要多久？", answer="三十个工作日。")
    services.publish(version.pk, effective_from=date(2025, 1, 1))

    body = api.get(f"{ITEMS}JOINT-1/").json()

    assert body["code"] == "JOINT-1" and body["status"] == "published"
    assert body["legal_bases"][0]["law_name"] == "《中华人民共和国行政许可法》"
    assert [m["code"] for m in body["materials"]] == ["M01", "M02", "M03"]
    assert [m["necessity"] for m in body["materials"]] == ["required", "pledgeable", "optional"]
    assert body["co_departments"] == [{"code": "CO-1", "name": "消防救援支队", "step_limit_days": 10}]
    assert body["join_policy"] == "lead_decides" and body["is_joint"] is True
    assert body["special_procedures"][0]["kind"] == "inspection"
    assert body["special_procedures"][0]["max_working_days"] == 10
    assert body["fees"] == [{"name": "工本费", "amount": "10.00", "amount_note": "", "basis": "物价文件"}]
    assert body["faqs"] == [{"question": "要多久？", "answer": "三十个工作日。"}]
    assert [ff["name"] for ff in body["form_fields"]] == ["shop_name", "area"]
    assert body["time_limits"] == {
        "acceptance": 5,
        "statutory": 45,
        "promised": 30,
        "extension_allowed": True,
        "extension_days": 15,
        "licence_issue": 10,
    }
    assert body["channels"] == ["online", "window", "post"]
    assert body["channel_details"]["online_depth"] == 3
    assert body["result"] == {"name": "食品经营许可证", "type": "licence", "validity": "5年", "sample": None}
    assert body["address"] == "市民中心2楼"
    assert body["effective_from"] == "2025-01-01" and body["effective_to"] is None


def test_on_date_selects_the_version_in_force_then(api):
    v1 = f.item_version(code="DATED", effective_from=date(2025, 1, 1), name="第一版")
    v2 = services.new_version(v1.item_id)
    ItemVersion.objects.filter(pk=v2.pk).update(name="第二版")
    services.publish(v2.pk, effective_from=date(2026, 7, 1))

    def name_on(on):
        response = api.get(f"{ITEMS}DATED/", {"on": on})
        return response.status_code, response.json().get("name") if response.status_code == 200 else None

    assert name_on("2024-12-31") == (404, None)
    assert name_on("2025-01-01") == (200, "第一版")
    assert name_on("2026-06-30") == (200, "第一版")
    assert name_on("2026-07-01") == (200, "第二版")
    assert api.get(f"{ITEMS}DATED/").json()["name"] == (
        "第二版" if timezone.localdate() >= date(2026, 7, 1) else "第一版"
    )


def test_bad_on_date_is_a_400_naming_the_field(api):
    f.item_version(code="BADDATE")
    response = api.get(f"{ITEMS}BADDATE/", {"on": "2025-13-40"})
    assert response.status_code == 400
    assert list(response.json()) == ["on"]


def test_unknown_code_and_unpublished_item_are_404(api):
    f.item_version(code="ONLY-DRAFT", publish=False)
    assert api.get(f"{ITEMS}NO-SUCH-ITEM/").status_code == 404
    assert api.get(f"{ITEMS}ONLY-DRAFT/").status_code == 404
    assert api.get(f"{ITEMS}ONLY-DRAFT/versions/").status_code == 404
    assert api.get(f"{ITEMS}NO-SUCH-ITEM/versions/").status_code == 404


def test_versions_lists_public_versions_newest_first(api):
    v1 = f.item_version(code="HIST", effective_from=date(2025, 1, 1))
    v2 = services.new_version(v1.item_id)
    services.publish(v2.pk, effective_from=date(2026, 7, 1))
    services.new_version(v1.item_id)  # a draft: not public

    body = api.get(f"{ITEMS}HIST/versions/").json()

    assert [(v["version"], v["status"], v["effective_from"], v["effective_to"]) for v in body] == [
        (2, "published", "2026-07-01", None),
        (1, "superseded", "2025-01-01", "2026-07-01"),
    ]


# --- access ------------------------------------------------------------------------------------


def test_anonymous_may_read_but_nobody_may_write(api, django_user_model):
    f.item_version(code="RO")
    dept = f.department("RO-D")
    assert api.get(ITEMS).status_code == 200
    assert api.get(f"{ITEMS}RO/").status_code == 200
    assert api.get(f"{DEPARTMENTS}RO-D/").status_code == 200

    for method, url in (
        ("post", ITEMS),
        ("put", f"{ITEMS}RO/"),
        ("delete", f"{ITEMS}RO/"),
        ("post", DEPARTMENTS),
    ):
        assert getattr(api, method)(url, {"name": "x"}, format="json").status_code == 403, (method, url)

    admin = django_user_model.objects.create_superuser("root", password="pw")
    api.force_authenticate(admin)
    for method, url in (("post", ITEMS), ("patch", f"{ITEMS}RO/"), ("delete", f"{DEPARTMENTS}RO-D/")):
        assert getattr(api, method)(url, {"name": "x"}, format="json").status_code == 405, (method, url)
    assert ItemVersion.objects.get(item__code="RO").name != "x"
    assert Department.objects.filter(pk=dept.pk).exists()


def test_schema_documents_the_catalog_parameters(api):
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    list_params = {p["name"] for p in paths["/api/v1/items/"]["get"]["parameters"]}
    assert {"department", "type", "q", "online", "target", "theme", "page"} <= list_params
    detail_params = {p["name"]: p for p in paths["/api/v1/items/{code}/"]["get"]["parameters"]}
    assert detail_params["on"]["schema"] == {"type": "string", "format": "date"}
    assert "/api/v1/items/{code}/versions/" in paths
    assert "/api/v1/departments/{code}/" in paths


# --- query counts ------------------------------------------------------------------------------


def _count_queries(django_assert_num_queries, api, url, expected):
    with django_assert_num_queries(expected):
        assert api.get(url).status_code == 200


@pytest.mark.parametrize(
    ("url", "expected"),
    [(ITEMS, 2), (f"{ITEMS}?online=true&target=citizen&q=测试", 2), (DEPARTMENTS, 2)],
)
def test_list_query_count_does_not_grow_from_3_to_30_items(api, django_assert_num_queries, url, expected):
    parent = f.department()
    for _ in range(3):
        f.item_version(dept=f.department(parent=parent), target="citizen")
    _count_queries(django_assert_num_queries, api, url, expected)
    for _ in range(27):
        f.item_version(dept=f.department(parent=parent), target="citizen")
    assert api.get(url).json()["count"] >= 30
    _count_queries(django_assert_num_queries, api, url, expected)


def test_detail_query_count_does_not_grow_with_its_child_rows(api, django_assert_num_queries):
    small = f.item_version(code="SMALL", co_departments=(f.department(),))
    big = f.item_version(
        publish=False,
        code="BIG",
        co_departments=tuple(f.department() for _ in range(6)),
        materials=tuple((f"M{i:02d}", "required") for i in range(15)),
        fields=tuple((f"field{i}", "text", True) for i in range(12)),
        special_procedures=(("inspection", 10), ("hearing", 20), ("expert_review", 15)),
    )
    for i in range(5):
        big.fees.create(name=f"费{i}")
        big.faqs.create(question=f"问{i}", answer="答")
    services.publish(big.pk, effective_from=date(2025, 1, 1))
    assert small.status == ItemVersion.Status.PUBLISHED

    # 1 version (with item and department) + 7 child lists, whatever their size.
    _count_queries(django_assert_num_queries, api, f"{ITEMS}SMALL/", 8)
    _count_queries(django_assert_num_queries, api, f"{ITEMS}BIG/", 8)
    _count_queries(django_assert_num_queries, api, f"{ITEMS}BIG/versions/", 1)
