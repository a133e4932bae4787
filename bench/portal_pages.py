"""Benchmark: response times of the citizen portal's pages with the demo catalog and many cases.

Creates (or, with ``--reuse``, keeps) a dedicated PostgreSQL database, migrates it, loads the demo
catalog (``manage.py load_demo``) and seeds ``--cases`` cases (``manage.py seed_cases``, default
1,000,000), then gives one applicant ``--mine`` of them (default 50). Pages are requested in
process through Django's test client (full middleware stack, sessions, templates, the configured
cache; no network), after a warm-up, ``--requests`` times each:

  home ``/``, the guide ``/guide/``, a guide search, three item pages, and the applicant's
  ``/my/cases/`` (logged in).

The baseline, measured in the same run, is a bare Django view returning a fixed short response
through the same stack. Prints p50/p95 per page, the ratio of each p95 to the baseline's, and the
targets: home, guide and item pages p95 ≤ 50 ms, my cases p95 ≤ 100 ms.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/portal_pages.py \
        [--cases 1000000] [--mine 50] [--requests 300] [--database bench_portal] [--reuse]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS_MS = {"home": 50, "guide": 50, "guide search": 50, "item": 50, "my cases": 100}


def _database_url(server_url: str, name: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def prepare_database(server_url: str, name: str, reuse: bool) -> bool:
    """Create the database; returns True when it already existed and is reused."""
    import psycopg

    parts = urlsplit(server_url)
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reuse:
            return True
        if exists:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return False


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def measure(client, url: str, n: int) -> list[float]:
    for _ in range(5):  # warm-up (template loading, cache fill)
        assert client.get(url).status_code == 200, url
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--mine", type=int, default=50)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--database", default="bench_portal")
    parser.add_argument("--reuse", action="store_true", help="keep an existing database and its cases")
    args = parser.parse_args()

    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgres"):
        print("Set DATABASE_URL to a PostgreSQL server (the benchmark creates its own database).")
        return 2
    reused = prepare_database(server, args.database, args.reuse)
    os.environ["DATABASE_URL"] = _database_url(server, args.database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("CALENDAR_VERSION_CHECK_SECONDS", "0")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.http import HttpResponse
    from django.test import Client
    from django.urls import clear_url_caches, path

    from accounts.identity import resident_id_check_digit
    from accounts.models import CitizenProfile, User
    from approvals.models import Case

    settings.ALLOWED_HOSTS = ["*"]
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not reused:
        call_command("load_demo", verbosity=0)
        call_command("seed_cases", count=args.cases, verbosity=0)
    print(f"database {args.database}: {Case.objects.count():,} cases (prepared in {time.perf_counter() - t0:.0f} s)")

    user = User.objects.filter(username="bench_portal_applicant").first()
    if user is None:
        user = User.objects.create_user("bench_portal_applicant", password="x", phone="13900000000")
        CitizenProfile.objects.create(user=user, real_name="测试", id_number="42990119900101987" + resident_id_check_digit("42990119900101987"))
    have = Case.objects.filter(applicant=user).count()
    if have < args.mine:
        with connection.cursor() as cur:
            cur.execute(
                "UPDATE approvals_case SET applicant_id = %s WHERE id IN ("
                " SELECT id FROM approvals_case WHERE applicant_id <> %s ORDER BY id DESC LIMIT %s)",
                [user.pk, user.pk, args.mine - have],
            )
    with connection.cursor() as cur:
        cur.execute("ANALYZE")

    # The baseline: a bare view through the same middleware stack.
    import config.urls as root

    root.urlpatterns.insert(0, path("bench/bare/", lambda request: HttpResponse("ok")))
    clear_url_caches()

    anonymous, applicant = Client(), Client()
    applicant.force_login(user)
    codes = ["429901-SJJ-001", "429901-CGJ-J02", "429901-GAJ-002"]
    pages = {
        "baseline (bare view)": (anonymous, ["/bench/bare/"]),
        "home": (anonymous, ["/"]),
        "guide": (anonymous, ["/guide/"]),
        "guide search": (anonymous, ["/guide/?q=%E9%A3%9F%E5%93%81%E7%BB%8F%E8%90%A5"]),
        "item": (anonymous, [f"/guide/items/{code}/" for code in codes]),
        "my cases": (applicant, ["/my/cases/"]),
    }
    results = {}
    for name, (client, urls) in pages.items():
        samples: list[float] = []
        for url in urls:
            samples += measure(client, url, max(1, args.requests // len(urls)))
        results[name] = samples
    base = p95(results["baseline (bare view)"])
    print(f"\n{'page':24} {'p50 ms':>8} {'p95 ms':>8} {'p95/base':>9} {'target':>8}  ok")
    failures = 0
    for name, samples in results.items():
        target = TARGETS_MS.get(name)
        value = p95(samples)
        ok = "" if target is None else ("yes" if value <= target else "NO")
        failures += ok == "NO"
        print(f"{name:24} {statistics.median(samples):8.1f} {value:8.1f} {value / base:9.1f} "
              f"{'' if target is None else f'≤ {target}':>8}  {ok}")
    print(f"\n{Case.objects.filter(applicant=user).count()} cases for the applicant; "
          f"{Case.objects.count():,} cases in the database.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
