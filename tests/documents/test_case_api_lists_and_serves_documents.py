"""The case API lists a case's official documents (kind, number, date, verification code, download
link) at a fixed query cost, and serves each PDF only to those who may see the case, rendering a
PDF whose render task has not run yet."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import User
from approvals.cases import services
from approvals.documents.models import OfficialDocument
from tests import factories
from tests.approvals.conftest import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, monkeypatch) -> World:
    from tests.approvals.conftest import Clock

    Clock(monkeypatch)
    return build_world()


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))
    return client


def accepted_with_receipt(world, committed):
    with committed(execute=True):
        case = world.accepted()
    return case


def test_detail_lists_the_documents_and_the_pdf_downloads(world, django_capture_on_commit_callbacks):
    case = accepted_with_receipt(world, django_capture_on_commit_callbacks)
    receipt = OfficialDocument.objects.get(case=case)
    assert receipt.sha256 == ""  # numbered at once; the PDF is left to its task (off in tests)

    data = api(world.applicant).get(f"/api/v1/cases/{case.case_no}/").json()
    [listed] = data["documents"]
    assert listed["kind"] == "acceptance_receipt" and listed["title"] == "受理通知书"
    assert listed["number"] == receipt.number and listed["issued_on"] == "2026-09-18"
    assert listed["verification_code"] == receipt.verification_code and listed["valid"] is True
    assert listed["rendered"] is False
    assert listed["download_url"] == f"http://testserver/api/v1/cases/{case.case_no}/documents/{receipt.pk}/"
    assert listed["verify_url"].endswith(f"/verify/{receipt.verification_code}/")

    response = api(world.applicant).get(listed["download_url"], HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    receipt.refresh_from_db()
    assert len(receipt.sha256) == 64  # rendered on the way, once
    again = api(world.applicant).get(f"/api/v1/cases/{case.case_no}/").json()["documents"][0]
    assert again["rendered"] is True
    # Officers who see the case get it too.
    assert api(world.front_desk).get(listed["download_url"]).status_code == 200
    assert api(world.reviewer).get(listed["download_url"]).status_code == 200


def test_download_is_refused_to_those_who_cannot_see_the_case(world, django_capture_on_commit_callbacks):
    case = accepted_with_receipt(world, django_capture_on_commit_callbacks)
    receipt = OfficialDocument.objects.get(case=case)
    url = f"/api/v1/cases/{case.case_no}/documents/{receipt.pk}/"
    stranger = factories.citizen()
    other_department = factories.officer(factories.department(), "reviewer")
    assert api(stranger).get(url).status_code == 404
    assert api(other_department).get(url).status_code == 404
    assert APIClient().get(url).status_code in (401, 403)
    # A document of another case cannot be fetched through this case's URL.
    with django_capture_on_commit_callbacks(execute=True):
        mine = world.accepted(applicant=stranger)
    theirs = OfficialDocument.objects.get(case=mine)
    assert api(world.applicant).get(f"/api/v1/cases/{case.case_no}/documents/{theirs.pk}/").status_code == 404
    receipt.refresh_from_db()
    assert receipt.sha256 == ""  # nothing was rendered for a refused request


def test_detail_query_count_does_not_grow_with_the_documents(world, django_capture_on_commit_callbacks):
    small = accepted_with_receipt(world, django_capture_on_commit_callbacks)
    big = accepted_with_receipt(world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_review(big.pk, officer=world.reviewer)
        services.decide(big.pk, officer=world.approver, approve=True)
        services.issue_licence(big.pk, officer=world.approver)
    assert OfficialDocument.objects.filter(case=big).count() == 3
    with CaptureQueriesContext(connection) as one:
        assert len(api(world.front_desk).get(f"/api/v1/cases/{small.case_no}/").json()["documents"]) == 1
    with CaptureQueriesContext(connection) as three:
        assert len(api(world.front_desk).get(f"/api/v1/cases/{big.case_no}/").json()["documents"]) == 3
    assert len(three.captured_queries) == len(one.captured_queries)
