"""Case numbers (region, year, sequence) stay unique and gap-free when many applicants file at
the same moment, including the very first filing of a region and year (PostgreSQL, real threads)."""

import threading

import pytest
from django.db import connection

from approvals.cases import services
from approvals.models import Case, TransitionLog

from .conftest import build_world


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_filings_get_consecutive_numbers(on_day):
    world = build_world()
    barrier = threading.Barrier(20)
    errors: list[str] = []

    def worker():
        try:
            barrier.wait(timeout=30)
            # Everything the applicant must supply is in the request, so it is filed at once.
            services.create_case(
                user=world.applicant, item_code=world.item_code, fields={"shop_name": "面馆", "area": "30"}
            )
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    region = world.dept.region_code
    year = on_day.today.year
    numbers = sorted(Case.objects.values_list("case_no", flat=True))
    assert numbers == [f"{region}-{year}-{n:06d}" for n in range(1, 21)]


@pytest.mark.django_db
def test_filing_and_accepting_stay_within_their_query_budgets(django_assert_max_num_queries, on_day):
    from tests import factories

    world = build_world()
    version = factories.item_version(dept=world.dept, materials=(("M01", "optional"),))
    fields = {"shop_name": "面馆", "area": "30"}
    services.create_case(user=world.applicant, item_code=version.item.code, fields=fields, submit=True)
    # Number, case, log: the applicant's profile comes with the user (here: already on the object), the
    # version in force from the catalog cache, its form fields and materials are read once per process
    # (published versions never change), and nothing before the first write needs a savepoint.
    # On PostgreSQL number, case and log are one statement (approvals.cases.inserts.insert_numbered).
    with django_assert_max_num_queries(1 if connection.vendor == "postgresql" else 3):
        case = services.create_case(user=world.applicant, item_code=version.item.code, fields=fields, submit=True)
    # Lock (the case row alone: its version comes from the catalog cache), the officer's jobs, update,
    # log, plus the savepoint and its release (the test runs inside a transaction). No pledgeable
    # material, so no look-up of the supplied ones.
    with django_assert_max_num_queries(6):
        services.accept(case.pk, officer=world.front_desk)
    assert TransitionLog.objects.filter(case=case).count() == 2
