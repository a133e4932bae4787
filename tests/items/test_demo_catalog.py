"""``manage.py load_demo``: the demo catalog of 江城市 and the demo logins (issue 2)."""

from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.management import call_command

from accounts.identity import validate_resident_id, validate_uscc
from accounts.models import Business, BusinessAgent, CitizenProfile, OfficerMembership, User
from approvals.items import demo_catalog, demo_users, services
from approvals.items.models import (
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
from approvals.supervision.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

THEMES = {
    "birth",
    "schooling",
    "employment",
    "housing",
    "retirement",
    "startup",
    "construction",
    "operation",
    "closure",
}
COUNTED_MODELS = (
    Department,
    Item,
    ItemVersion,
    CoDepartment,
    LegalBasis,
    MaterialRequirement,
    SpecialProcedure,
    Fee,
    FAQ,
    FormField,
    User,
    CitizenProfile,
    Business,
    BusinessAgent,
    OfficerMembership,
    CalendarYear,
)


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED_MODELS}


def demo_versions():
    return ItemVersion.objects.filter(item__code__startswith=demo_catalog.REGION_CODE).select_related(
        "item", "department"
    )


def test_catalog_has_39_items_in_15_departments_of_a_clearly_fictional_city():
    load_demo()
    departments = Department.objects.filter(code__startswith="JC-")
    assert departments.count() >= 10  # the minimum
    assert departments.count() == 15  # what the README states
    assert all(d.region_code == "429901" and "（演示数据）" in d.address for d in departments)
    assert departments.filter(is_supervision_office=True).get().name == "江城市政务服务电子监察室"
    assert departments.filter(name__contains="政务服务中心").exists()
    for name in (
        "市场监督管理局",
        "住房和城乡建设局",
        "卫生健康委员会",
        "城市管理",
        "公安局",
        "文化广电旅游局",
        "消防救援",
        "自然资源和规划局",
        "生态环境局",
    ):
        assert departments.filter(name__contains=name).exists(), name
    items = Item.objects.filter(code__startswith="429901-")
    assert items.count() >= 30
    assert items.count() == 39
    assert all(i.basic_code.startswith("DEMO-") for i in items)
    implementing = demo_versions().values_list("department_id", flat=True).distinct()
    assert len(set(implementing)) >= 10


def test_joint_items_cover_every_join_policy_with_joint_time_limits():
    load_demo()
    joint = demo_versions().filter(is_joint=True, status=ItemVersion.Status.PUBLISHED)
    assert joint.count() >= 4
    assert joint.count() == 7
    assert set(joint.values_list("join_policy", flat=True)) == {"all_agree", "lead_decides", "independent"}
    for version in joint:
        assert (version.statutory_limit_days, version.extension_days, version.extension_allowed) == (
            45,
            15,
            True,
        )
        co = list(version.co_departments.all())
        assert 1 <= len(co) <= 3, version.name  # 2–4 departments with the lead
        assert all(c.step_limit_days and c.step_limit_days <= version.promised_limit_days for c in co)
        assert version.department_id not in {c.department_id for c in co}
    road = Item.objects.get(code="429901-CGJ-J01").version_in_force(date(2025, 6, 1))
    assert road.join_policy == "all_agree"
    assert road.co_departments.get().department.name == "江城市公安局"


def test_every_demo_version_is_published_complete_and_valid():
    load_demo()
    versions = list(demo_versions().filter(version=1))
    assert versions
    for version in versions:
        assert version.effective_from == date(2025, 1, 1), version.name
        assert version.status in (ItemVersion.Status.PUBLISHED, ItemVersion.Status.SUPERSEDED)
        assert services.publication_problems(version) == [], version.name
        assert version.promised_limit_days <= version.statutory_limit_days
        assert version.legal_bases.filter(law_name__startswith="《").exists()
        assert version.materials.filter(necessity="required").exists()
        assert set(version.theme_list) <= THEMES and version.theme_list, version.name
        assert version.result_name and version.address and version.enquiry_phone
        version.full_clean()
        for model in (LegalBasis, MaterialRequirement, SpecialProcedure, Fee, FAQ, FormField, CoDepartment):
            for row in model.objects.filter(version=version):
                row.full_clean()
    # Statutory limits that the law itself sets, not the general 20 days.
    limits = {v.item.code: (v.statutory_limit_days, v.extension_allowed) for v in versions}
    assert limits["429901-ZJJ-001"] == (7, False)  # 建筑法 Art. 8
    assert limits["429901-SJJ-002"] == (3, True)  # 市场主体登记管理条例 Art. 19
    assert limits["429901-ZJJ-002"] == (15, True)  # 消防设计审查: 15 working days
    assert limits["429901-SJJ-001"] == (10, True)  # 食品经营许可和备案管理办法: 10 working days
    food = Item.objects.get(code="429901-SJJ-001").versions.get(version=1)
    assert food.legal_bases.filter(law_name="《中华人民共和国食品安全法》", article="第三十五条").exists()
    assert {v.target for v in versions} == {"citizen", "business", "both"}
    assert {theme for v in versions for theme in v.theme_list} == THEMES
    assert sum(1 for v in versions if v.faqs.exists()) >= 30
    assert (
        sum(1 for v in versions if v.form_fields.filter(field_type__in=["area", "choice", "number"]).exists())
        >= 20
    )


def test_special_procedures_pledgeable_materials_and_fees_are_declared():
    load_demo()
    procedures = SpecialProcedure.objects.filter(version__in=demo_versions())
    assert {"hearing", "inspection", "expert_review"} <= set(procedures.values_list("kind", flat=True))
    assert all(p.max_working_days >= 1 and p.legal_basis for p in procedures)
    # Inspections the law fits inside the decision limit are counted; others pause the clock.
    assert (
        procedures.filter(counted_in_limit=True).exists()
        and procedures.filter(counted_in_limit=False).exists()
    )
    fire_review = Item.objects.get(code="429901-ZJJ-002").version_in_force(date(2025, 6, 1))
    expert = fire_review.special_procedures.get(kind="expert_review")
    assert expert.max_working_days == 20 and "第二十二条" in expert.legal_basis
    pledgeable = MaterialRequirement.objects.filter(version__in=demo_versions(), necessity="pledgeable")
    assert pledgeable.values("version").distinct().count() >= 10
    charged = demo_versions().filter(fee_required=True)
    assert charged.exists() and demo_versions().filter(fee_required=False).count() > charged.count()
    assert all(v.fees.exclude(basis="").exists() for v in charged)
    assert not Fee.objects.filter(version__fee_required=False).exists()


def test_two_items_have_a_second_version_in_force_from_2026():
    load_demo()
    for code in ("429901-SJJ-001", "429901-SJJ-002"):
        item = Item.objects.get(code=code)
        first, second = item.versions.order_by("version")
        assert first.status == ItemVersion.Status.SUPERSEDED and first.effective_to == date(2026, 1, 1)
        assert second.status == ItemVersion.Status.PUBLISHED and second.effective_from == date(2026, 1, 1)
        assert item.version_in_force(date(2025, 12, 31)) == first
        assert item.version_in_force(date(2026, 1, 1)) == second
        assert second.faqs.count() == first.faqs.count() + 1
        assert second.materials.count() == first.materials.count()
    food = Item.objects.get(code="429901-SJJ-001")
    assert [v.promised_limit_days for v in food.versions.order_by("version")] == [7, 5]
    with pytest.raises(ValidationError):
        food.versions.get(version=2).save()  # published versions are immutable


def test_demo_logins_exist_for_every_role_with_the_documented_password():
    load_demo()
    for job in OfficerMembership.Job.values:
        assert OfficerMembership.objects.filter(
            job=job, user__username__in=[d.username for d in demo_users.DEMO_LOGINS]
        ).exists(), job
    assert OfficerMembership.objects.get(user__username="frontdesk").department.name.startswith(
        "江城市政务服务中心"
    )
    assert OfficerMembership.objects.get(user__username="supervisor").department.is_supervision_office
    market = Department.objects.get(code="JC-SJJ")
    assert {m.user.username for m in market.memberships.all()} >= {"reviewer", "approver", "head"}
    assert User.objects.get(username="head").jobs_in(market.pk) == {"department_head"}
    # Every department of a joint item has a reviewer and a head.
    joint_departments = set(CoDepartment.objects.values_list("department_id", flat=True)) | set(
        demo_versions().filter(is_joint=True).values_list("department_id", flat=True)
    )
    for dept_id in joint_departments:
        jobs = set(OfficerMembership.objects.filter(department_id=dept_id).values_list("job", flat=True))
        assert {"reviewer", "approver", "department_head"} <= jobs, dept_id

    admins = {u.username: u for u in User.objects.exclude(admin_role="")}
    assert {u: a.admin_role for u, a in admins.items()} == {
        "sysadmin": "system_admin",
        "secadmin": "security_admin",
        "auditadmin": "audit_admin",
    }
    assert not OfficerMembership.objects.filter(user__in=admins.values()).exists()
    assert [u.username for u in User.objects.filter(is_superuser=True)] == ["sysadmin"]

    citizen = User.objects.get(username="citizen")
    validate_resident_id(citizen.citizen_profile.id_number)
    assert citizen.citizen_profile.id_number.startswith("429901")
    agent = User.objects.get(username="business")
    agency = agent.business_agencies.get()
    assert agency.role == BusinessAgent.Role.AGENT and agency.active
    validate_uscc(agency.business.uscc)
    for username in ("citizen", "business", "frontdesk", "sysadmin", "reviewer_fire"):
        assert authenticate(username=username, password=demo_users.DEMO_PASSWORD) is not None, username


def test_second_run_creates_nothing_and_says_so():
    first = load_demo()
    before = counts()
    second = load_demo()
    assert counts() == before
    assert "nothing changed" not in first
    assert "Demo data already loaded: nothing changed." in second
    for output in (first, second):
        for login in demo_users.DEMO_LOGINS:
            assert f"\n{login.username} " in output
        assert "demo12345" in output and "江城市市场监督管理局" in output


def test_existing_accounts_are_left_alone():
    load_demo()
    user = User.objects.get(username="reviewer")
    user.set_password("changed-by-its-owner")
    user.save()
    load_demo()
    user.refresh_from_db()
    assert user.check_password("changed-by-its-owner")


def test_a_broken_item_leaves_no_half_loaded_catalog(monkeypatch):
    broken = dict(demo_catalog.ITEMS[0], code="BROKEN-1", bases=[])  # publishing it is refused
    monkeypatch.setattr(demo_catalog, "ITEMS", [*demo_catalog.ITEMS, broken])
    with pytest.raises(ValidationError):
        demo_catalog.load_demo_catalog()
    assert not Department.objects.filter(code__startswith="JC-").exists()
    assert not Item.objects.filter(code__startswith="429901-").exists()


def test_an_empty_calendar_is_seeded():
    CalendarDay.objects.all().delete()
    CalendarYear.objects.all().delete()
    output = load_demo()
    assert CalendarYear.objects.filter(year=2026).exists()
    assert CalendarDay.objects.filter(date=date(2026, 10, 1), is_working_day=False).exists()
    assert "Seeded" in output
    assert "Calendar: already present" in load_demo()
