"""Document numbers: <organ><kind word>〔year〕<sequence>号, one series per organ, kind and year,
without gaps or duplicates."""

import threading

import pytest
from django.db import connection, transaction

from approvals.documents import services

pytestmark = pytest.mark.django_db


def test_numbers_follow_the_official_format_and_run_consecutively():
    assert services.allocate_number("江市监", 2026, "许") == "江市监许〔2026〕000001号"
    assert services.allocate_number("江市监", 2026, "许") == "江市监许〔2026〕000002号"
    # Each organ, kind word and year has its own series.
    assert services.allocate_number("江市监", 2026, "受") == "江市监受〔2026〕000001号"
    assert services.allocate_number("江市监", 2027, "许") == "江市监许〔2027〕000001号"
    assert services.allocate_number("江卫健", 2026, "许") == "江卫健许〔2026〕000001号"


def test_a_rolled_back_allocation_returns_its_number():
    with pytest.raises(RuntimeError), transaction.atomic():
        assert services.allocate_number("江市监", 2026, "许") == "江市监许〔2026〕000001号"
        raise RuntimeError("the decision was not saved")
    assert services.allocate_number("江市监", 2026, "许") == "江市监许〔2026〕000001号"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_threads_take_two_hundred_consecutive_numbers():
    barrier = threading.Barrier(20)
    numbers, errors = [], []

    def worker():
        try:
            barrier.wait()
            for _ in range(10):
                numbers.append(services.allocate_number("江市监", 2026, "许"))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == [f"江市监许〔2026〕{n:06d}号" for n in range(1, 201)]
