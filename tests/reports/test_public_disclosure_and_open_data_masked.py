"""Public pages need no login and never show an 18-digit ID or an 11-digit mobile number; the
office's report pages are for supervisors only."""

import re

import pytest
from django.urls import reverse

from accounts.models import CitizenProfile
from tests import factories

ID_NUMBER = re.compile(r"\d{17}[\dXx]")
MOBILE = re.compile(r"1[3-9]\d{9}")


def assert_no_personal_numbers(text: str) -> None:
    assert not ID_NUMBER.search(text), ID_NUMBER.search(text)
    assert not MOBILE.search(text), MOBILE.search(text)


def test_disclosure_board_lists_decided_cases_masked(month, client):
    profile = CitizenProfile.objects.get(user=month.world.applicant)
    response = client.get(reverse("public-reports:disclosure"))
    assert response.status_code == 200
    html = response.content.decode()
    assert_no_personal_numbers(html)
    assert profile.real_name not in html
    assert profile.real_name[0] + "*" in html
    assert profile.id_number[:3] + "*" * 11 + profile.id_number[-4:] in html
    for key in ("A", "B", "C", "D", "G"):  # decided
        assert month.cases[key].case_no in html
    for key in ("E", "F", "H", "I"):  # not accepted or not decided yet
        assert month.cases[key].case_no not in html


def test_disclosure_board_pages_with_constant_queries(month, client, django_assert_num_queries):
    with django_assert_num_queries(2):  # the count and one page
        assert client.get(reverse("public-reports:disclosure"), {"page": 1}).status_code == 200


def test_open_data_files_have_no_personal_data(month, client, django_capture_on_commit_callbacks):
    url = reverse("public-reports:open-data-file", kwargs={"slug": "2026-09", "by": "item", "fmt": "csv"})
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(url)
    assert first.status_code == 202  # queued, built by the (eager) task on commit
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert_no_personal_numbers(text)
    assert month.world.version.item.code in text
    assert "received" in text.splitlines()[0]
    xlsx = client.get(reverse("public-reports:open-data-file", kwargs={"slug": "2026-09", "by": "department", "fmt": "xlsx"}))
    assert xlsx.status_code == 200
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            assert_no_personal_numbers(" ".join("" if v is None else str(v) for v in row))


def test_open_data_for_any_period_and_bad_input(month, client, django_capture_on_commit_callbacks):
    custom = client.get(reverse("public-reports:open-data-custom"), {"start": "2026-09-01", "end": "2026-09-15", "by": "department"})
    assert custom.status_code == 302 and "2026-09-01_2026-09-15/department.csv" in custom["Location"]
    bad = client.get(reverse("public-reports:open-data-custom"), {"start": "2026-09-15", "end": "2026-09-01"})
    assert bad.status_code == 400
    assert client.get("/public/open-data/2026-13/item.csv").status_code == 404
    assert client.get("/public/open-data/2026-09/people.csv").status_code == 404
    assert client.get(reverse("public-reports:open-data")).status_code == 200


@pytest.mark.parametrize("who, status", [("anonymous", 302), ("reviewer", 403), ("supervisor", 200)])
def test_report_pages_are_for_supervisors(month, client, who, status):
    if who == "reviewer":
        client.force_login(month.world.reviewer)
    elif who == "supervisor":
        client.force_login(month.supervisor)
    assert client.get(reverse("reports:home")).status_code == status


def test_supervisor_requests_a_report_and_follows_its_progress(month, client, django_capture_on_commit_callbacks):
    client.force_login(month.supervisor)
    assert client.post(reverse("reports:home"), {"period": "2026-9x"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:home"), {"period": "2026-09"})
    assert response.status_code == 302
    status = client.get(response["Location"] + "status.json").json()
    assert status == {"status": "done", "progress": 100, "message": "", "done": True}
    page = client.get(response["Location"]).content.decode()
    assert month.dept2.name in page and "60.0%" in page
    assert_no_personal_numbers(page)
    pdf = client.get(response["Location"] + "report.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_report_files_refused_to_other_officers(month, client, django_capture_on_commit_callbacks):
    client.force_login(month.supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        location = client.post(reverse("reports:home"), {"period": "2026-09"})["Location"]
    client.force_login(factories.officer(month.world.dept, "approver"))
    assert client.get(location + "report.xlsx").status_code == 403
