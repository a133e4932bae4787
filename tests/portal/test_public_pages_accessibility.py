"""Every public page a citizen reaches without logging in (status lookup, document verification,
the disclosure board, open data) passes axe-core with no serious violations, on a phone and on a
desktop, and shows no unmasked personal data."""

import re

import pytest

from approvals.cases import services
from approvals.documents.models import OfficialDocument
from approvals.documents.services import render_document
from tests.approvals.conftest import build_world
from tests.browser import screenshot, serious_accessibility_violations

ID_OR_PHONE = re.compile(r"(?<!\d)(\d{17}[\dXx]|1[3-9]\d{9})(?!\d)")


def decided_case():
    world = build_world()
    case = world.in_review()
    case = services.decide(case.pk, officer=world.approver, approve=True)
    case = services.issue_licence(case.pk, officer=world.approver)
    licence = OfficialDocument.objects.get(case_no=case.case_no, kind="licence")
    render_document(licence.pk)
    return case, licence


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", ["browser_page", "phone_page"])
def test_public_pages_pass_axe_and_show_no_personal_data(live_server, on_day, viewport, request):
    page = request.getfixturevalue(viewport)
    case, licence = decided_case()
    pages = {
        "status": f"/status/?case_no={case.case_no}&code={case.verification_code}",
        "verify": f"/verify/{licence.verification_code}/",
        "disclosure": "/public/disclosure/",
        "open-data": "/public/open-data/",
    }
    for name, path in pages.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, (name, response.status)
        body = page.inner_text("body")
        assert ID_OR_PHONE.search(body) is None, (name, ID_OR_PHONE.search(body))
        assert serious_accessibility_violations(page) == [], name
        screenshot(page, f"public-{name}-{viewport}")
    # The lookup and the verification really found this case and this licence.
    page.goto(f"{live_server.url}{pages['status']}")
    assert case.case_no in page.inner_text("body")
    page.goto(f"{live_server.url}{pages['verify']}")
    assert licence.number in page.inner_text("body")
