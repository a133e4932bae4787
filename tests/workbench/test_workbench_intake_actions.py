"""The front desk at work: a correction notice built from the checklist, acceptance, refusals
rendered next to their field, revealing personal data (logged), previews, intake at the window;
each command issues its document and tells the applicant."""

import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.documents.models import OfficialDocument
from approvals.models import CorrectionNotice, State
from approvals.notifications.models import Notification
from approvals.workbench.models import RevealLog
from tests import factories
from tests.approvals.conftest import PDF, PNG


def _inbox(user):
    return list(Notification.objects.filter(recipient=user, channel="in_app").values_list("event", flat=True))


def test_correction_notice_from_the_checklist_then_acceptance(world, client_for, committed):
    with committed():
        case = world.submitted()
    c = client_for(world.front_desk)
    page = c.get(f"/workbench/cases/{case.case_no}/").content.decode()
    assert 'name="verdict_M01"' in page and "/workbench/materials/" in page and "<object" in page
    response = c.post(f"/workbench/cases/{case.case_no}/act/request_correction/", {
        "verdict_M01": "defective", "reason_M01": "复印件不清晰", "expected_M01": "清晰复印件一份",
        "verdict_M02": "ok", "verdict_M03": "defective", "reason_M03": "缺少", "expected_M03": "补交原件",
    })
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.CORRECTION_REQUESTED
    notice = CorrectionNotice.objects.get(case=case)
    assert [p["material_code"] for p in notice.problems] == ["M01", "M03"]
    doc = OfficialDocument.objects.get(case=case, kind="correction_notice")
    assert [p["reason"] for p in doc.context["problems"]] == ["复印件不清晰", "缺少"]
    assert _inbox(world.applicant) == ["correction_requested", "case_submitted"]
    # The applicant corrects; the front desk accepts.
    from approvals.cases import services
    from tests.approvals.conftest import pdf

    for code in ("M01", "M03"):
        services.attach_material(case.pk, user=world.applicant, requirement_code=code, upload=pdf())
    with committed():
        services.resubmit(case.pk, user=world.applicant)
    assert c.post(f"/workbench/cases/{case.case_no}/act/accept/", {}).status_code == 302
    case.refresh_from_db()
    assert case.state == State.ACCEPTED
    receipt = OfficialDocument.objects.get(case=case, kind="acceptance_receipt")
    assert receipt.case_id == case.pk and receipt.context["decision_due"] == case.decision_due_promised.isoformat()
    assert _inbox(world.applicant)[0] == "case_accepted"
    # The department is told of its new work.
    assert Notification.objects.filter(recipient=world.reviewer, event="task_assigned").exists()
    # Documents appear on the case page.
    page = c.get(f"/workbench/cases/{case.case_no}/").content.decode()
    assert receipt.number in page and notice_doc_link(doc) in page


def notice_doc_link(doc):
    return f"/workbench/documents/{doc.pk}/"


def test_not_accept_without_remedies_is_refused_next_to_the_field(world, client_for):
    case = world.submitted()
    c = client_for(world.front_desk)
    response = c.post(f"/workbench/cases/{case.case_no}/act/not_accept/", {"reasons": "不属于本事项", "remedies": "无"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-field="remedies"' in page and "reconsideration" in page
    case.refresh_from_db()
    assert case.state == State.SUBMITTED and not OfficialDocument.objects.filter(case=case).exists()
    ok = c.post(f"/workbench/cases/{case.case_no}/act/not_accept/", {
        "reasons": "不属于本事项", "remedies": "可申请行政复议或提起行政诉讼。", "outside_competence": "on",
        "competent_organ": "江城市卫生健康委员会",
    })
    assert ok.status_code == 302
    doc = OfficialDocument.objects.get(case=case, kind="not_accepted_notice")
    assert doc.context["competent_organ"] == "江城市卫生健康委员会"


def test_the_pledge_form_is_not_offered_to_a_bad_credit_applicant(world, client_for):
    ordinary = world.submitted()
    flagged = world.submitted(factories.citizen(bad_credit=True))
    c = client_for(world.front_desk)
    page = c.get(f"/workbench/cases/{ordinary.case_no}/").content.decode()
    assert f'action="/workbench/cases/{ordinary.case_no}/act/accept_with_pledge/"' in page
    assert 'id="refused-accept-with-pledge"' not in page
    page = c.get(f"/workbench/cases/{flagged.case_no}/").content.decode()
    assert "/act/accept_with_pledge/" not in page and 'id="refused-accept-with-pledge"' in page
    # A forged post is still refused by the service, next to the pledge field.
    response = c.post(f"/workbench/cases/{flagged.case_no}/act/accept_with_pledge/",
                      {"pledged": "M02", "pledge_due": "2026-09-30"})
    assert response.status_code == 400 and 'data-field="pledge"' in response.content.decode()
    flagged.refresh_from_db()
    assert flagged.state == State.SUBMITTED


def test_a_second_correction_notice_is_refused_with_a_message(world, client_for):
    case = world.submitted()
    c = client_for(world.front_desk)
    c.post(f"/workbench/cases/{case.case_no}/act/request_correction/",
           {"verdict_M01": "defective", "reason_M01": "x", "expected_M01": "y"})
    # Now the case waits for the applicant: another notice is a conflict.
    response = c.post(f"/workbench/cases/{case.case_no}/act/request_correction/",
                      {"verdict_M01": "defective", "reason_M01": "x", "expected_M01": "y"})
    assert response.status_code == 409


def test_correction_problem_without_reason_is_shown_and_nothing_is_sent(world, client_for):
    case = world.submitted()
    response = client_for(world.front_desk).post(
        f"/workbench/cases/{case.case_no}/act/request_correction/", {"verdict_M01": "defective", "reason_M01": ""}
    )
    assert response.status_code == 400 and 'data-field="problems"' in response.content.decode()
    assert not CorrectionNotice.objects.filter(case=case).exists()


def test_reveal_shows_the_full_id_number_once_and_logs_it(world, client_for):
    case = world.submitted()
    c = client_for(world.front_desk)
    profile = world.applicant.citizen_profile
    page = c.get(f"/workbench/cases/{case.case_no}/").content.decode()
    assert profile.id_number not in page and profile.masked_id_number in page
    revealed = c.post(f"/workbench/cases/{case.case_no}/reveal/", {"field": "id_number"}).content.decode()
    assert profile.id_number in revealed
    log = RevealLog.objects.get()
    assert (log.officer, log.case_id, log.field) == (world.front_desk, case.pk, "id_number")
    assert profile.id_number not in c.get(f"/workbench/cases/{case.case_no}/").content.decode()


def test_materials_are_served_inline_to_officers_only(world, client_for):
    case = world.submitted()
    material = case.materials.first()
    response = client_for(world.front_desk).get(f"/workbench/materials/{material.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    other = factories.citizen()
    assert client_for(other).get(f"/workbench/materials/{material.pk}/").status_code == 403


def test_window_intake_registers_the_applicant_and_submits(world, client_for):
    c = client_for(world.front_desk)
    form = c.get(f"/workbench/intake/window/?item={world.item_code}").content.decode()
    assert 'name="file_M01"' in form and 'name="field_shop_name"' in form
    id_number = factories.resident_id(900)
    response = c.post("/workbench/intake/window/", {
        "item_code": world.item_code, "id_number": id_number, "real_name": "王五", "phone": "13900001111",
        "field_shop_name": "王五小吃", "field_area": "20",
        "file_M01": SimpleUploadedFile("m1.pdf", PDF, "application/pdf"),
        "file_M02": SimpleUploadedFile("m2.png", PNG, "image/png"),
    })
    assert response.status_code == 302
    from accounts.models import CitizenProfile

    profile = CitizenProfile.objects.get(real_name="王五")
    case = profile.user.cases.get()
    assert (case.state, case.channel, case.fields["shop_name"]) == (State.SUBMITTED, "window", "王五小吃")
    assert sorted(case.materials.values_list("requirement_code", flat=True)) == ["M01", "M02"]
    # The case is the applicant's; the log and the scans name the officer who took it at the window.
    submit = case.log.get(command="submit")
    assert submit.actor == world.front_desk and submit.details["on_behalf_of"] == profile.user_id
    assert set(case.materials.values_list("uploaded_by", flat=True)) == {world.front_desk.pk}


def test_only_the_front_desk_takes_applications_at_the_window(world):
    from django.core.exceptions import PermissionDenied

    from approvals.cases import services
    from approvals.models import Case

    with pytest.raises(PermissionDenied):
        services.intake_at_window(officer=world.reviewer, applicant=world.applicant, item_code=world.item_code,
                                  fields={"shop_name": "x", "area": "1"}, uploads={})
    assert not Case.objects.exists()


def test_window_intake_with_a_bad_id_number_keeps_everything(world, client_for):
    response = client_for(world.front_desk).post("/workbench/intake/window/", {
        "item_code": world.item_code, "id_number": "123", "real_name": "王五", "field_shop_name": "x", "field_area": "1",
    })
    assert response.status_code == 400 and 'data-field="id_number"' in response.content.decode()


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
def test_document_download_renders_the_pdf_with_the_case_number(world, client_for, committed):
    with committed():
        case = world.accepted()
    doc = OfficialDocument.objects.get(case=case, kind="acceptance_receipt")
    assert not doc.sha256  # rendering on commit is off in the test settings
    for user in (world.applicant, world.front_desk):
        response = client_for(user).get(f"/workbench/documents/{doc.pk}/")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    doc.refresh_from_db()
    assert len(doc.sha256) == 64
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", doc.pdf.path, "-"], capture_output=True, text=True,
                          check=True).stdout
    assert case.case_no in text and doc.verification_code in text
    assert client_for(factories.citizen()).get(f"/workbench/documents/{doc.pk}/").status_code == 404
