"""Uploading materials through ``POST /api/v1/cases/{case_no}/materials/`` (multipart): the type
is read from the content, not from the name or the declared content type."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from approvals.cases import services
from approvals.models import CaseMaterial

from .conftest import JPEG, PDF, PNG


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def upload(user, case_no, code, content: bytes, name="file.pdf", content_type="application/pdf"):
    return api(user).post(
        f"/api/v1/cases/{case_no}/materials/",
        {"requirement_code": code, "file": SimpleUploadedFile(name, content, content_type=content_type)},
        format="multipart",
    )


def ofd() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>")
    return buffer.getvalue()


def test_pdf_png_jpeg_and_ofd_are_recognised_by_content(world):
    case = world.new_case()
    for content, expected in ((PDF, "pdf"), (PNG, "png"), (JPEG, "jpeg"), (ofd(), "ofd")):
        # The declared name and type are always "pdf": only the bytes decide.
        response = upload(world.applicant, case.case_no, "M01", content)
        assert response.status_code == 201, response.data
        assert response.data["content_type"] == expected
        assert response.data["is_current"] is True
    materials = CaseMaterial.objects.filter(case=case, requirement_code="M01")
    assert materials.count() == 4 and materials.filter(is_current=True).count() == 1
    assert all(not m.file.name.endswith("file.pdf") for m in materials)  # stored under a generated name


def test_a_text_file_called_pdf_is_refused(world):
    case = world.new_case()
    response = upload(world.applicant, case.case_no, "M01", b"just some text, not a pdf")
    assert response.status_code == 400
    assert list(response.data) == ["file"]
    assert not CaseMaterial.objects.exists()


def test_the_form_fields_are_required(world):
    case = world.new_case()
    response = api(world.applicant).post(f"/api/v1/cases/{case.case_no}/materials/", {}, format="multipart")
    assert response.status_code == 400
    assert set(response.data) == {"requirement_code", "file"}


def test_a_material_the_item_does_not_ask_for_is_refused(world):
    case = world.new_case()
    response = upload(world.applicant, case.case_no, "M99", PDF)
    assert response.status_code == 400
    assert "requirement_code" in response.data


def test_after_submission_materials_are_frozen_until_a_notice_asks(world):
    case = world.submitted()
    assert upload(world.applicant, case.case_no, "M01", PDF).status_code == 409
    services.request_correction(
        case.pk, officer=world.front_desk, problems=[{"material_code": "M02", "reason": "r", "expected": "e"}]
    )
    response = upload(world.applicant, case.case_no, "M01", PDF)
    assert response.status_code == 400 and "requirement_code" in response.data  # not listed in the notice
    response = upload(world.applicant, case.case_no, "M02", PDF)
    assert response.status_code == 201
    assert response.data["supplied_for"] == "correction"


def test_officers_do_not_upload_for_the_applicant(world):
    case = world.submitted()
    assert upload(world.front_desk, case.case_no, "M01", PDF).status_code == 403
