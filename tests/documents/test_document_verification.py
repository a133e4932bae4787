"""Anyone can verify a document by its code: genuine, unknown, revoked, or tampered with."""

import pytest
from django.core.exceptions import ValidationError

from approvals.documents import services

from .conftest import CASE_NO

pytestmark = pytest.mark.django_db


def test_a_genuine_document_verifies_and_the_public_page_shows_its_header(issue, client):
    doc = issue()
    result = services.verify(doc.verification_code.lower())  # typed in lower case
    assert result.status == "genuine" and result.document == doc

    response = client.get(f"/verify/{doc.verification_code}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="genuine"' in page and "本文书真实有效" in page
    for shown in ("准予行政许可决定书", doc.number, "江城市市场监督管理局", "2026年3月31日", CASE_NO):
        assert shown in page
    assert "张*" not in page and "测试餐饮有限公司" not in page  # no personal data


def test_an_unknown_code_is_not_found(client):
    assert services.verify("ABCDEFGHJKMN").status == "not_found"
    assert services.verify("not a code!").status == "not_found"
    response = client.get("/verify/ABCDEFGHJKMN/")
    assert response.status_code == 404 and 'data-status="not_found"' in response.content.decode()


def test_a_revoked_document_no_longer_verifies(issue, client):
    doc = issue()
    with pytest.raises(ValidationError):
        services.revoke(doc.pk, reason=" ")
    services.revoke(doc.pk, reason="决定被复议机关撤销")
    assert services.verify(doc.verification_code).status == "revoked"
    page = client.get(f"/verify/{doc.verification_code}/").content.decode()
    assert 'data-status="revoked"' in page and doc.number in page


def test_a_modified_stored_file_is_detected_and_not_overwritten(issue, client):
    doc = issue()
    altered = bytearray(doc.pdf.read())
    doc.pdf.close()
    altered[len(altered) // 2] ^= 0xFF  # one byte changed
    with open(doc.pdf.path, "wb") as fh:
        fh.write(altered)
    assert services.verify(doc.verification_code).status == "tampered"
    assert 'data-status="tampered"' in client.get(f"/verify/{doc.verification_code}/").content.decode()

    # Re-running the render task keeps the evidence instead of silently repairing it.
    assert services.render_document(doc.pk) is False
    assert services.verify(doc.verification_code).status == "tampered"


def test_a_missing_stored_file_counts_as_tampered(issue):
    doc = issue()
    doc.pdf.storage.delete(doc.pdf.name)
    assert services.verify(doc.verification_code).status == "tampered"
