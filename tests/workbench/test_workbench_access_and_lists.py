"""Who reaches the workbench, what each officer's lists hold, and that lists cost a fixed number
of queries whatever their length."""

import pytest

from accounts.models import OfficerMembership
from approvals.cases import services
from tests import factories

Job = OfficerMembership.Job


def test_anonymous_is_sent_to_the_staff_login(client, world):
    response = client.get("/workbench/intake/")
    assert response.status_code == 302 and response["Location"].startswith("/workbench/login/")
    login = client.get("/workbench/login/")
    assert login.status_code == 200 and b'name="password"' in login.content


def test_staff_login_page_logs_an_officer_in(client, world):
    response = client.post("/workbench/login/", {"username": world.front_desk.username, "password": "pw"})
    assert response.status_code == 302
    assert client.get(response["Location"], follow=True).request["PATH_INFO"] == "/workbench/intake/"


def test_applicants_cannot_use_the_workbench(world, client_for):
    c = client_for(world.applicant)
    for url in ("/workbench/intake/", "/workbench/inbox/", "/workbench/tasks/", "/workbench/intake/window/"):
        assert c.get(url).status_code == 403
    case = world.submitted()
    assert c.get(f"/workbench/cases/{case.case_no}/").status_code == 403


def test_queue_lists_submitted_cases_by_intake_due_with_count(world, client_for, on_day):
    first = world.submitted()
    on_day.set(on_day.today.replace(day=21))
    second = world.submitted()
    world.new_case()  # a draft is not in the queue
    page = client_for(world.front_desk).get("/workbench/intake/").content.decode()
    assert '<p id="count">2 cases</p>' in page
    assert page.index(first.case_no) < page.index(second.case_no)
    # Sorted the other way, and filtered by case number.
    page = client_for(world.front_desk).get("/workbench/intake/?sort=-due").content.decode()
    assert page.index(second.case_no) < page.index(first.case_no)
    page = client_for(world.front_desk).get(f"/workbench/intake/?q={second.case_no}").content.decode()
    assert '<p id="count">1 case</p>' in page and first.case_no not in page


def test_department_officers_see_only_their_departments_cases(world, client_for):
    mine = world.in_review()
    other_dept = factories.department(region_code="429901")
    stranger = factories.officer(other_dept, Job.REVIEWER)
    c = client_for(stranger)
    assert mine.case_no not in c.get("/workbench/inbox/").content.decode()
    assert c.get(f"/workbench/cases/{mine.case_no}/").status_code == 404
    material = mine.materials.first()
    assert c.get(f"/workbench/materials/{material.pk}/").status_code == 404
    page = client_for(world.reviewer).get("/workbench/inbox/").content.decode()
    assert mine.case_no in page and '<p id="count">1 case</p>' in page


def _count_queries(c, url, django_assert_max_num_queries, limit):
    """Queries of one page view, without the test transaction's savepoints around the session save."""
    with django_assert_max_num_queries(limit) as ctx:
        assert c.get(url).status_code == 200
    return len([q for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))])


@pytest.mark.parametrize("url,officer", [("/workbench/intake/", "front_desk"), ("/workbench/inbox/", "reviewer")])
def test_list_query_count_does_not_grow(world, client_for, django_assert_max_num_queries, url, officer):
    def add(n):
        for _i in range(n):
            case = world.submitted()
            if officer == "reviewer":
                services.accept(case.pk, officer=world.front_desk)

    c = client_for(getattr(world, officer))
    add(2)
    small = _count_queries(c, url, django_assert_max_num_queries, 8)
    add(12)
    large = _count_queries(c, url, django_assert_max_num_queries, 8)
    assert small == large <= 6


def test_pagination_shows_20_per_page(world, client_for):
    for _i in range(22):
        world.submitted()
    c = client_for(world.front_desk)
    page1 = c.get("/workbench/intake/").content.decode()
    assert '<p id="count">22 cases</p>' in page1 and "Page 1 of 2" in page1 and page1.count("<tr class=") == 20
    page2 = c.get("/workbench/intake/?page=2").content.decode()
    assert page2.count("<tr class=") == 2


def test_partial_index_predicates_match_the_list_states():
    """The lists' ``state IN (…)`` must imply the partial indexes' predicates (migration 0002)."""
    import importlib

    from approvals.workbench import views

    migration = importlib.import_module("approvals.workbench.migrations.0002_case_inbox_index")
    assert ", ".join(f"'{s}'" for s in views.INBOX_STATES) == migration.INBOX
    assert ", ".join(f"'{s}'" for s in views.QUEUE_STATES) == migration.QUEUE
