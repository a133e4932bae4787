"""Uploaded materials: type by content, never by name; size limits; history kept."""

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.cases import services
from approvals.models import CaseMaterial

from .conftest import JPEG, PDF, PNG, pdf


def _attach(world, case, name, content, code="M01"):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    return services.attach_material(case.pk, user=world.applicant, requirement_code=code, upload=upload)


def _ofd(with_manifest=True) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("OFD.xml" if with_manifest else "readme.txt", "<ofd:OFD/>")
        archive.writestr("Doc_0/Document.xml", "<ofd:Document/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("content", "detected"),
    [(PDF, "pdf"), (PNG, "png"), (JPEG, "jpeg"), (_ofd(), "ofd")],
)
def test_type_comes_from_the_content(world, content, detected):
    case = world.new_case()
    material = _attach(world, case, "scan.pdf", content)
    assert material.content_type == detected
    assert material.sha256 == hashlib.sha256(content).hexdigest()
    assert material.size == len(content)


def test_png_named_pdf_is_stored_as_png_under_a_generated_name(world):
    case = world.new_case()
    material = _attach(world, case, "../../etc/passwd.pdf", PNG)
    assert material.content_type == "png"
    assert material.original_name == "passwd.pdf"  # display only; Django strips the path
    assert material.file.name.startswith(f"cases/{case.pk}/")
    assert material.file.name.endswith(".png")
    assert "passwd" not in material.file.name
    with material.file.open("rb") as stored:
        assert stored.read() == PNG


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, b"just some text pretending to be a pdf", _ofd(with_manifest=False)],
    ids=["exe", "text", "zip-without-ofd"],
)
def test_other_content_renamed_pdf_is_refused(world, content):
    case = world.new_case()
    with pytest.raises(ValidationError) as exc:
        _attach(world, case, "invoice.pdf", content)
    assert "file" in exc.value.message_dict
    assert not CaseMaterial.objects.filter(case=case).exists()


def test_per_file_size_limit(world, settings):
    settings.MAX_UPLOAD_BYTES = 100
    case = world.new_case()
    _attach(world, case, "small.pdf", PDF)  # under 100 bytes
    with pytest.raises(ValidationError) as exc:
        _attach(world, case, "big.pdf", PDF + b"0" * 100)
    assert exc.value.error_dict["file"][0].code == "file_too_large"
    assert CaseMaterial.objects.filter(case=case).count() == 1


def test_per_case_size_limit_counts_every_stored_version(world, settings):
    settings.MAX_CASE_UPLOAD_BYTES = len(PDF) * 2
    case = world.new_case()
    _attach(world, case, "a.pdf", PDF)
    _attach(world, case, "b.pdf", PDF)  # replaces M01, history kept: 2 × len(PDF) stored
    with pytest.raises(ValidationError) as exc:
        _attach(world, case, "c.pdf", PDF, code="M02")
    assert exc.value.error_dict["file"][0].code == "case_too_large"
    assert CaseMaterial.objects.filter(case=case).count() == 2


def test_replacing_keeps_history_and_only_the_latest_counts(world):
    case = world.new_case()
    first = _attach(world, case, "v1.pdf", PDF)
    second = _attach(world, case, "v2.pdf", PDF + b"% v2\n")
    rows = CaseMaterial.objects.filter(case=case, requirement_code="M01")
    assert rows.count() == 2
    assert list(rows.filter(is_current=True)) == [second]
    first.refresh_from_db()
    assert not first.is_current


def test_unknown_requirement_code_is_refused(world):
    case = world.new_case()
    with pytest.raises(ValidationError) as exc:
        services.attach_material(case.pk, user=world.applicant, requirement_code="M99", upload=pdf())
    assert "requirement_code" in exc.value.message_dict
