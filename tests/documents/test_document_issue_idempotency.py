"""Issuing is idempotent per case, kind and key; rendering never redoes a stored PDF."""

import hashlib

import pytest
from django.core.exceptions import ValidationError

from approvals.cases import services as services_cases
from approvals.documents import services
from approvals.documents.models import DocumentNumberSequence, OfficialDocument
from tests import factories as f

from .conftest import CASE_NO, CONTEXT

pytestmark = pytest.mark.django_db


def test_issue_numbers_stores_and_hashes_the_pdf(issue, dept):
    applicant = f.citizen()
    version = f.item_version(dept=dept)
    case = services_cases.create_case(user=applicant, item_code=version.item.code, fields={"shop_name": "店", "area": "1"})
    doc = issue("approval_decision", case_id=case.pk)
    assert doc.number == "江市监许〔2026〕000001号"
    assert (doc.department_id, doc.case_no, doc.case_id, doc.valid) == (dept.pk, CASE_NO, case.pk, True)
    assert list(case.documents.all()) == [doc]
    assert len(doc.verification_code) == 12 and set(doc.verification_code) <= set(services.CODE_ALPHABET)
    assert doc.pdf.name.startswith("documents/2026/") and doc.pdf.name.endswith(".pdf")
    assert hashlib.sha256(doc.pdf.read()).hexdigest() == doc.sha256
    assert doc.context["applicant_name"] == "张*" and doc.context["valid_until"] == "2031-03-30"


def test_issuing_again_returns_the_same_document_and_spends_no_number(issue):
    first = issue("approval_decision")
    again = issue("approval_decision", context={**CONTEXT, "item_name": "别的事项"})
    assert again.pk == first.pk and again.number == first.number and again.sha256 == first.sha256
    assert OfficialDocument.objects.count() == 1
    assert DocumentNumberSequence.objects.get(kind_prefix="许").last_number == 1
    # Another key (e.g. a second round's correction notice) is another document.
    second = issue("approval_decision", dedup_key="round-2")
    assert second.number == "江市监许〔2026〕000002号"


def test_render_document_does_nothing_once_stored(issue):
    doc = issue()
    stored = doc.pdf.name
    assert services.render_document(doc.pk) is False
    doc.refresh_from_db()
    assert (doc.pdf.name, doc.sha256) == (stored, hashlib.sha256(doc.pdf.read()).hexdigest())


def test_deferred_rendering_runs_after_commit(issue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        doc = issue("acceptance_receipt", render=False)
        assert doc.sha256 == "" and not doc.pdf
    doc.refresh_from_db()
    assert doc.sha256 and hashlib.sha256(doc.pdf.read()).hexdigest() == doc.sha256


@pytest.mark.parametrize(
    ("kind", "context", "field"),
    [
        ("no_such_kind", CONTEXT, "kind"),
        ("refusal_decision", {**CONTEXT, "reasons": ""}, "context"),
        ("correction_notice", {**CONTEXT, "problems": []}, "context"),
    ],
)
def test_incomplete_documents_are_refused_without_spending_a_number(issue, kind, context, field):
    with pytest.raises(ValidationError) as err:
        issue(kind, context=context)
    assert field in err.value.message_dict
    assert not OfficialDocument.objects.exists() and not DocumentNumberSequence.objects.exists()


def test_a_department_without_an_abbreviation_cannot_number_documents():
    dept = f.department(short_name="")
    with pytest.raises(ValidationError) as err:
        services.issue_document("licence", department_id=dept.pk, case_no=CASE_NO, context=CONTEXT)
    assert "department_id" in err.value.message_dict


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_of_the_same_document_make_one_and_spend_one_number(dept):
    import threading

    from django.db import connection

    barrier = threading.Barrier(6)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(
                services.issue_document(
                    "approval_decision", department_id=dept.pk, case_no=CASE_NO, context=CONTEXT
                ).pk
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(results)) == 1
    assert OfficialDocument.objects.count() == 1
    assert DocumentNumberSequence.objects.get().last_number == 1
    assert OfficialDocument.objects.get().sha256
