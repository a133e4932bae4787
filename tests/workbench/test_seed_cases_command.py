"""``seed_cases`` adds N realistic cases set-based (PostgreSQL), continuing the case numbers."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from approvals.cases import services
from approvals.models import Case, CaseNumberSequence, TransitionLog

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_seeds_cases_across_states_departments_and_dues(on_day):
    call_command("seed_cases", "--count", "3000", "--batch", "1000", "--seed", "2")
    assert Case.objects.count() == 3000
    states = dict(Case.objects.values_list("state").annotate(n=Count("pk")))
    assert {"submitted", "in_review", "closed", "approved", "refused"} <= set(states)
    assert states["closed"] > states["in_review"] > states["submitted"]
    per_dept = Case.objects.values("item_version__department__code").annotate(n=Count("pk"))
    assert len(per_dept) == 10 and all(row["n"] == 300 for row in per_dept)
    open_cases = Case.objects.filter(state="in_review")
    assert open_cases.filter(decision_due_promised__lt=on_day.today).exists()
    assert open_cases.filter(decision_due_promised__gte=on_day.today).exists()
    assert TransitionLog.objects.filter(command="submit").count() == Case.objects.exclude(state="draft").count()
    # Numbers continue: a case filed afterwards in the same region gets the next one.
    assert CaseNumberSequence.objects.get(region_code="990100").last == 3000
    call_command("seed_cases", "--count", "10", "--no-log")
    assert Case.objects.count() == 3010 and len(set(Case.objects.values_list("case_no", flat=True))) == 3010
    assert services.allocate_case_no("990100", on_day.today.year) == f"990100-{on_day.today.year}-003011"


@pytest.fixture
def on_day(monkeypatch):
    from tests.approvals.conftest import Clock

    return Clock(monkeypatch)
