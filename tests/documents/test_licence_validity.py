"""A licence states the period its item names, and never invents an end date: an item valid
indefinitely (长期) or "as printed on the certificate" gets its validity text, not five years, and one
whose item names no validity gets no validity line."""

from datetime import date

import pytest

from approvals.cases import clock
from tests.documents.conftest import CONTEXT, pdf_text


class Version:
    def __init__(self, validity):
        self.result_validity = validity


@pytest.mark.parametrize(
    ("validity", "until"),
    [
        ("5年", date(2031, 3, 30)),
        ("3 years", date(2029, 3, 30)),
        ("6个月", date(2026, 9, 29)),  # the same date six months on has no 31st: Sep 30, less one day
        ("有效期2年，期满前30日申请延续", date(2028, 3, 30)),
        ("五年", date(2031, 3, 30)),
        ("有效期十年", date(2036, 3, 30)),
        ("十二个月", date(2027, 3, 30)),
        ("长期", None),
        ("以证载有效期为准", None),
        ("", None),
    ],
)
def test_the_end_date_comes_from_the_period_the_item_names(validity, until):
    assert clock.licence_valid_until(Version(validity), date(2026, 3, 31)) == until


def test_a_month_end_start_ends_on_the_shorter_months_last_day():
    assert clock.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert clock.licence_valid_until(Version("1个月"), date(2026, 1, 31)) == date(2026, 2, 27)


def _flat(text: str) -> str:
    return "".join(text.split())


def test_an_indefinite_licence_says_so_on_the_pdf(issue):
    doc = issue("licence", context={**CONTEXT, "valid_until": None, "validity": "长期"})
    text = _flat(pdf_text(doc.pdf.path))
    assert "有效期长期" in text
    assert "2031年" not in text


def test_a_licence_whose_item_names_no_validity_prints_none(issue):
    """Nothing is invented either way: no end date, and no "长期" the item does not state."""
    doc = issue("licence", context={**CONTEXT, "valid_until": None, "validity": ""})
    text = _flat(pdf_text(doc.pdf.path))
    assert "有效期" not in text
    assert "长期" not in text


def test_a_licence_with_a_period_prints_both_dates(issue):
    doc = issue("licence", context={**CONTEXT, "validity": "5年"})
    assert "有效期2026年3月31日至2031年3月30日" in _flat(pdf_text(doc.pdf.path))


@pytest.mark.parametrize(("validity", "expected"), [("长期", "有效期长期"), ("5年", "至2031年9月")])
def test_the_issued_licence_states_the_validity_of_its_item(
    validity, expected, monkeypatch, django_capture_on_commit_callbacks, db
):
    """Through the engine: approval, licence issue, the render task on commit, the stored PDF."""
    from approvals.cases import services
    from approvals.documents.models import OfficialDocument
    from approvals.documents.services import render_document
    from approvals.items.models import ItemVersion
    from tests.approvals.conftest import Clock, build_world

    Clock(monkeypatch)  # 2026-09-18
    world = build_world()
    ItemVersion.objects.filter(pk=world.version.pk).update(result_validity=validity)  # no signal: clear by hand
    from approvals.items.selectors import catalog_changed

    catalog_changed()
    with django_capture_on_commit_callbacks(execute=True):
        case = world.in_review()
        services.decide(case.pk, officer=world.approver, approve=True)
        services.issue_licence(case.pk, officer=world.approver)
    licence = OfficialDocument.objects.get(case=case, kind=OfficialDocument.Kind.LICENCE)
    render_document(licence.pk)  # what the render task queued on commit does (idempotent)
    licence.refresh_from_db()
    text = _flat(pdf_text(licence.pdf.path))
    assert expected in text
    assert ("长期" in text) == (validity == "长期")
