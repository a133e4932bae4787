"""The supervision office pages: the dashboard (open cases by state and department, cards by
colour, overdue list, complaint and rating queues, SVG charts with drill-down, filters), the case
view (timeline, clocks, every card), card resolution and sign-off; supervisors see everything,
department heads their own department, other officers nothing."""

from datetime import date

import pytest
from django.urls import reverse

from approvals.supervision import calendar, complaints
from approvals.supervision.models import Card
from approvals.supervision.sweep import run_sweep
from tests import factories
from tests.supervision.supervision_world import Job, accepted_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(world, on_day):
    """Two departments with an overdue case each, cards raised on 2026-10-21, a complaint."""
    late = accepted_on(world, on_day, date(2026, 9, 16))
    other_dept = factories.department(region_code="429901", name="另一个局")
    other_version = factories.item_version(dept=other_dept)
    other_head = factories.officer(other_dept, Job.DEPARTMENT_HEAD)
    other_reviewer = factories.officer(other_dept, Job.REVIEWER)
    from approvals.cases import services

    on_day.set(date(2026, 9, 16))
    other = services.create_case(user=world.applicant, item_code=other_version.item.code,
                                 fields={"shop_name": "店", "area": "10"})
    world.complete(other)
    services.submit(other.pk, user=world.applicant)
    services.accept(other.pk, officer=world.front_desk)
    services.start_review(other.pk, officer=other_reviewer)
    on_day.set(date(2026, 10, 21))
    run_sweep(date(2026, 10, 21))
    complaints.submit(user=world.applicant, subject="办理超时", description="承诺时限已过仍未办结", case_no=late.case_no)
    world.late, world.other, world.other_head, world.other_dept = late, other, other_head, other_dept
    return world


def test_the_supervisor_sees_every_department_with_charts_and_queues(client, scene):
    client.force_login(scene.supervisor)
    response = client.get(reverse("supervision:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") == 3
    assert scene.late.case_no in html and scene.other.case_no in html
    assert "办理超时" in html  # the complaint queue
    kinds = {row["kind"]: row["total"] for row in response.context["cards_by_kind"]}
    assert kinds == {"prompt": 0, "yellow": 2, "red": 2}
    state_bar = next(b for b in response.context["state_chart"].bars if b.value)
    assert state_bar.value == 2 and "state=in_review" in state_bar.href
    drill = client.get(state_bar.href)
    assert {c.case_no for c in drill.context["page"]} == {scene.late.case_no, scene.other.case_no}


def test_filters_narrow_the_dashboard_to_a_department_and_period(client, scene):
    client.force_login(scene.supervisor)
    response = client.get(reverse("supervision:dashboard"), {"department": scene.dept.pk})
    assert [c.case_no for c in response.context["overdue"]] == [scene.late.case_no]
    empty = client.get(reverse("supervision:dashboard"), {"date_from": "2026-10-22"})
    assert {row["kind"]: row["total"] for row in empty.context["cards_by_kind"]}["red"] == 0
    by_item = client.get(reverse("supervision:dashboard"), {"item": scene.version.item.code})
    assert [c.case_no for c in by_item.context["overdue"]] == [scene.late.case_no]


def test_the_dashboard_costs_a_fixed_number_of_queries(client, scene, on_day, django_assert_max_num_queries):
    client.force_login(scene.supervisor)
    with django_assert_max_num_queries(20) as first:
        client.get(reverse("supervision:dashboard"))
    for _ in range(4):
        accepted_on(scene, on_day, date(2026, 9, 16))
    on_day.set(date(2026, 10, 22))
    run_sweep(date(2026, 10, 22))
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("supervision:dashboard"))


def test_a_department_head_sees_only_their_department(client, scene):
    client.force_login(scene.other_head)
    response = client.get(reverse("supervision:dashboard"))
    assert [c.case_no for c in response.context["overdue"]] == [scene.other.case_no]
    assert client.get(reverse("supervision:case", args=[scene.late.case_no])).status_code == 404
    foreign = Card.objects.filter(case=scene.late).first()
    assert client.get(reverse("supervision:card", args=[foreign.pk])).status_code == 404
    own = Card.objects.filter(case=scene.other).first()
    assert client.get(reverse("supervision:card", args=[own.pk])).status_code == 200


def test_other_officers_and_anonymous_users_are_kept_out(client, scene):
    response = client.get(reverse("supervision:dashboard"))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(scene.reviewer)
    assert client.get(reverse("supervision:dashboard")).status_code == 403


def test_the_case_view_shows_timeline_clocks_and_every_card(client, scene):
    client.force_login(scene.supervisor)
    response = client.get(reverse("supervision:case", args=[scene.late.case_no]))
    assert response.status_code == 200
    ctx = response.context
    assert [e.command for e in ctx["timeline"]] == ["submit", "accept", "start_review"]
    assert {(c.kind, c.rule) for c in ctx["cards"]} == {("yellow", "promised_limit"), ("red", "statutory_limit")}
    clocks = {c["label"]: c for c in ctx["clocks"]}
    assert any(c["due"] == date(2026, 10, 20) and c["left"] == -1 for c in clocks.values())


def test_a_card_is_explained_and_signed_off_through_its_page(client, scene):
    card = Card.objects.get(case=scene.late, kind="red")
    client.force_login(scene.head)
    url = reverse("supervision:card", args=[card.pk])
    assert client.post(url, {"explanation": "短"}).status_code == 200  # too short: shown again
    response = client.post(url, {"explanation": "专家评审延期，已在次日办结并向申请人说明。"})
    assert response.status_code == 302
    client.force_login(scene.supervisor)
    client.post(url, {"sign_off": "1"})
    card.refresh_from_db()
    assert card.resolved_by == scene.head and card.signed_off_by == scene.supervisor


def test_the_calendar_status_is_shown_when_next_year_is_not_confirmed(client, scene, on_day):
    first, last = calendar.confirmed_years()
    client.force_login(scene.supervisor)
    on_day.set(date(last, 6, 1))
    html = client.get(reverse("supervision:dashboard")).content.decode()
    assert 'id="calendar-status"' in html and f"{last + 1}-01-01" in html
    if last - 1 >= first:
        on_day.set(date(last - 1, 6, 1))
        assert 'id="calendar-status"' not in client.get(reverse("supervision:dashboard")).content.decode()


def test_the_pages_speak_chinese(client, scene):
    client.force_login(scene.supervisor)
    html = client.get(reverse("supervision:dashboard"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "电子监察总览" in html and "超期办件（超过承诺时限）" in html and "红牌" in html
