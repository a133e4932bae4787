"""The online application wizard: one draft per wizard token (double click, refresh), fields
prefilled and checked, uploads checked before and after sending, the pledge declaration, submit."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.models import Case, CaseMaterial, PledgeDeclaration, State

from .conftest import PDF, PNG, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(client, world):
    client.force_login(world.applicant)
    return world.applicant


def start(client, world, token="a" * 32, **extra):
    return client.post(f"/apply/{world.item_code}/", {"token": token, **extra})


def test_the_start_page_carries_a_fresh_token_and_repeats_return_the_same_draft(client, world, applicant):
    page = client.get(f"/apply/{world.item_code}/")
    token = page.context["token"]
    assert len(token) == 32 and token != client.get(f"/apply/{world.item_code}/").context["token"]
    first = start(client, world, token)
    second = start(client, world, token)  # a double click or a refresh re-posts the same form
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Case.objects.filter(applicant=applicant).count() == 1
    start(client, world, "b" * 32)  # a new visit to the start page is a new application
    assert Case.objects.filter(applicant=applicant).count() == 2


def test_a_forged_or_missing_token_creates_nothing(client, world, applicant):
    response = start(client, world, token="not-a-token")
    assert response.status_code == 200
    assert "This form has expired; open the application page again." in response.content.decode()
    assert not Case.objects.exists()


def draft(client, world) -> Case:
    start(client, world)
    return Case.objects.get()


def test_fields_are_checked_with_specific_messages_and_a_draft_can_be_saved_incomplete(client, world, applicant):
    case = draft(client, world)
    url = f"/my/cases/{case.case_no}/apply/details/"
    saved = client.post(url, {"shop_name": "老王面馆", "area": "", "go": "save"})
    assert saved.status_code == 302 and saved["Location"] == url
    case.refresh_from_db()
    assert case.fields == {"shop_name": "老王面馆"}
    bad = client.post(url, {"shop_name": "老王面馆", "area": "-3", "go": "next"})
    assert bad.status_code == 200
    assert bad.context["form"].errors["area"] == ["The area must be a positive number of square metres."]
    missing = client.post(url, {"shop_name": "老王面馆", "area": "", "go": "next"})
    assert missing.context["form"].errors["area"] == ["area is required."]
    ok = client.post(url, {"shop_name": "老王面馆", "area": "35.5", "go": "next"})
    assert ok["Location"] == f"/my/cases/{case.case_no}/apply/materials/"
    case.refresh_from_db()
    assert case.fields == {"shop_name": "老王面馆", "area": "35.5"}


def test_applicant_details_come_from_the_profile(client, world, applicant):
    case = draft(client, world)
    page = client.get(f"/my/cases/{case.case_no}/apply/details/").content.decode()
    profile = applicant.citizen_profile
    assert profile.real_name in page
    assert profile.masked_id_number in page and profile.id_number not in page


def upload(client, case, code, file, *, ajax=True):
    headers = {"HTTP_X_REQUESTED_WITH": "fetch", "HTTP_ACCEPT": "application/json"} if ajax else {}
    return client.post(f"/my/cases/{case.case_no}/materials/{code}/upload/", {"file": file}, **headers)


def test_uploads_are_checked_by_content_and_a_failure_leaves_the_draft_intact(client, world, applicant, settings):
    case = draft(client, world)
    client.post(f"/my/cases/{case.case_no}/apply/details/", {"shop_name": "老王面馆", "area": "35", "go": "save"})
    ok = upload(client, case, "M01", pdf("营业执照.pdf"))
    assert ok.status_code == 200 and ok.json() == {"ok": True, "code": "M01", "name": "营业执照.pdf", "size": len(PDF)}

    disguised = upload(client, case, "M02", SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf"))
    assert disguised.status_code == 400
    assert disguised.json()["ok"] is False and disguised.json()["errors"]
    empty = upload(client, case, "M02", SimpleUploadedFile("empty.pdf", b""))
    assert empty.status_code == 400
    settings.MAX_UPLOAD_BYTES = 100
    big = upload(client, case, "M02", pdf("big.pdf", PDF + b"0" * 200))
    assert big.status_code == 400 and big.json()["errors"]
    unknown = upload(client, case, "M99", pdf())
    assert unknown.status_code == 400

    case.refresh_from_db()
    assert case.fields == {"shop_name": "老王面馆", "area": "35"}
    assert list(CaseMaterial.objects.filter(case=case).values_list("requirement_code", "original_name")) == [
        ("M01", "营业执照.pdf")
    ]


def test_upload_without_javascript_redirects_back_with_a_message(client, world, applicant):
    case = draft(client, world)
    back = f"/my/cases/{case.case_no}/apply/materials/"
    response = client.post(f"/my/cases/{case.case_no}/materials/M01/upload/",
                           {"file": SimpleUploadedFile("p.png", PNG), "next": back}, follow=True)
    assert response.redirect_chain[-1][0] == back
    assert "p.png" in response.content.decode()
    assert CaseMaterial.objects.get(case=case).content_type == "png"


def test_the_materials_page_checks_type_and_size_in_the_browser_too(client, world, applicant):
    case = draft(client, world)
    html = client.get(f"/my/cases/{case.case_no}/apply/materials/").content.decode()
    assert 'accept=".pdf,.jpg,.jpeg,.png,.ofd"' in html
    assert 'data-max-bytes="20971520"' in html
    assert "upload.js" in html


def test_review_lists_what_is_missing_and_submission_needs_the_pledge_declaration(client, world, applicant):
    case = draft(client, world)
    review = f"/my/cases/{case.case_no}/apply/review/"
    incomplete = client.post(review, {"pledge": "on"})
    assert incomplete.status_code == 200
    problems = incomplete.context["problems"]
    # M02 is pledgeable (容缺): leaving it out is not a problem, it needs the pledge declaration.
    assert "fields.shop_name" in problems and "materials.M01" in problems and "materials.M02" not in problems
    client.post(f"/my/cases/{case.case_no}/apply/details/", {"shop_name": "老王面馆", "area": "35", "go": "save"})
    upload(client, case, "M01", pdf())
    undeclared = client.post(review, {})
    assert undeclared.context["form"].errors["pledge"] == [
        "M02 材料M02 not supplied: to submit without them the applicant must accept the pledge declaration (承诺书)."
    ]
    case.refresh_from_db()
    assert case.state == State.DRAFT
    submitted = client.post(review, {"pledge": "on"})
    assert submitted["Location"] == f"/my/cases/{case.case_no}/"
    case.refresh_from_db()
    assert case.state == State.SUBMITTED
    declaration = PledgeDeclaration.objects.get(case=case)
    assert declaration.material_codes == ["M02"] and declaration.user == applicant
    # A second click on submit (or a refresh) shows the case; nothing is submitted twice.
    again = client.post(review, {"pledge": "on"})
    assert again.status_code == 302 and again["Location"] == f"/my/cases/{case.case_no}/"
    assert case.log.filter(command="submit").count() == 1


def test_an_application_with_every_material_needs_no_pledge(client, world, applicant):
    case = draft(client, world)
    client.post(f"/my/cases/{case.case_no}/apply/details/", {"shop_name": "老王面馆", "area": "35", "go": "save"})
    upload(client, case, "M01", pdf())
    upload(client, case, "M02", pdf())
    submitted = client.post(f"/my/cases/{case.case_no}/apply/review/", {})
    assert submitted["Location"] == f"/my/cases/{case.case_no}/"
    case.refresh_from_db()
    assert case.state == State.SUBMITTED
    assert not PledgeDeclaration.objects.filter(case=case).exists()


def test_a_business_item_asks_for_the_business_and_prefills_its_name(client, world, applicant):
    from accounts.models import BusinessAgent
    from tests import factories

    business = factories.business(applicant)
    item = factories.item_version(dept=world.dept, target="business",
                                  fields=(("company_name", "text", True), ("area", "area", True)))
    code = item.item.code
    page = client.get(f"/apply/{code}/").content.decode()
    assert business.name in page
    refused = client.post(f"/apply/{code}/", {"token": "c" * 32})
    assert "This item is for businesses: choose the business you act for." in refused.content.decode()
    created = client.post(f"/apply/{code}/", {"token": "d" * 32, "business_id": business.pk})
    case = Case.objects.get(business=business)
    assert created["Location"] == f"/my/cases/{case.case_no}/apply/details/"
    assert client.get(created["Location"]).context["form"]["company_name"].initial == business.name
    BusinessAgent.objects.filter(user=applicant).update(active=False)
    other = client.post(f"/apply/{code}/", {"token": "e" * 32, "business_id": business.pk})
    assert "You are not an active agent of this business." in other.content.decode()
