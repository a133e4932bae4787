"""Benchmark: joint cases through the parallel back office, against plain row updates.

Creates (drops first) its own PostgreSQL database on the server named by DATABASE_URL, migrates
it, seeds one joint item (a lead department and two co-departments, ``all_agree``, one optional
material so cases need no uploads), officers, an applicant and N submitted cases (bulk insert,
not timed). Then, timed, worker processes drive every case through the services:

    accept (front desk; opens 3 department tasks)
    → for each of the 3 departments: claim, start, agree   (the last agree runs the join)
    → the join approves the case (one ``decide`` row)

and, as the baseline in the same run, the same worker processes perform N × (1 + 3 + 1)
single-row UPDATEs, each in its own transaction, on a plain table. Prints cases per second,
baseline "cases" per second (5 updates = 1 case) and the ratio, and checks that every case was
approved exactly once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/parallel_join.py \
        [--cases 10000] [--workers 4] [--database bench_parallel_join] [--keep]

The platform clock is fixed at 2026-03-02 10:00 Asia/Shanghai so deadlines stay inside the
confirmed working-day calendar whatever the day the benchmark runs. Settings are
``bench.settings_bench`` (``config.settings`` plus a throwaway filesystem Celery broker that no worker
consumes): each transition pays for queueing its side effects (notifications, notice PDFs) as in
production, never for running them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

UPDATES_PER_CASE = 5  # accept + 3 department outcomes + the decision, as single-row updates


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--database", default="bench_parallel_join")
    parser.add_argument("--keep", action="store_true", help="Keep the benchmark database.")
    return parser.parse_args()


def database_urls(name: str) -> tuple[str, str]:
    parts = urlsplit(os.environ.get("DATABASE_URL", ""))
    if not parts.scheme.startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://USER@HOST:PORT/DB: the benchmark runs on PostgreSQL.")
    return urlunsplit(parts._replace(path="/postgres")), urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(maintenance_url: str, name: str, *, create: bool = True) -> None:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')


def fixed_clock() -> None:
    from approvals.cases import clock

    instant = dt.datetime(2026, 3, 2, 10, tzinfo=clock.SHANGHAI)
    clock.now = lambda: instant


def seed(n: int) -> dict:
    from django.db import connection

    from accounts.identity import resident_id_check_digit
    from accounts.models import CitizenProfile, OfficerMembership, User
    from approvals.cases import clock, services
    from approvals.items import services as catalog
    from approvals.items.models import (
        CoDepartment,
        Department,
        FormField,
        Item,
        ItemVersion,
        LegalBasis,
        MaterialRequirement,
    )
    from approvals.models import Case, State
    from approvals.supervision import calendar
    from approvals.supervision.calendar_seed import seed_calendar

    seed_calendar()
    calendar.reload()
    Job = OfficerMembership.Job
    depts = [
        Department.objects.create(code=f"BENCH-{i}", name=name, short_name=name[:2], region_code="429901")
        for i, name in enumerate(("市场监管局", "消防救援支队", "生态环境局"))
    ]
    centre = Department.objects.create(code="BENCH-C", name="政务服务中心", short_name="中心", region_code="429901")
    item = Item.objects.create(code="BENCH-JOINT", basic_code="BENCH-JOINT")
    version = ItemVersion.objects.create(
        item=item, name="餐饮店开业并联审批", department=depts[0], is_joint=True, join_policy="all_agree",
        statutory_limit_days=45, promised_limit_days=30,
    )
    LegalBasis.objects.create(version=version, law_name="《中华人民共和国行政许可法》", article="第二十六条", text="……")
    MaterialRequirement.objects.create(version=version, code="M01", name="平面图", necessity="optional")
    FormField.objects.create(version=version, name="shop_name", label="店名", field_type="text", required=True)
    for pos, dept in enumerate(depts[1:]):
        CoDepartment.objects.create(version=version, position=pos, department=dept)
    version = catalog.publish(version.pk, effective_from=dt.date(2025, 1, 1))

    def officer(username, dept, job):
        user = User.objects.create_user(username, password="pw", is_staff=True)
        OfficerMembership.objects.create(user=user, department=dept, job=job)
        return user.pk

    reviewers = [(officer(f"bench-reviewer-{i}", d, Job.REVIEWER), d.pk) for i, d in enumerate(depts)]
    front_desk = officer("bench-front-desk", centre, Job.FRONT_DESK)
    applicant = User.objects.create_user("bench-applicant", password="pw")
    first17 = "33010219900101001"
    CitizenProfile.objects.create(user=applicant, real_name="张三", id_number=first17 + resident_id_check_digit(first17))

    now = clock.now()
    today = clock.today()
    intake_due = calendar.add_working_days(today, version.acceptance_limit_days)
    for start in range(0, n, 2000):
        Case.objects.bulk_create(
            [
                Case(
                    case_no=f"429901-2026-{i:06d}", verification_code=services.new_verification_code(),
                    item_version=version, applicant=applicant, fields={"shop_name": f"店{i}"},
                    state=State.SUBMITTED, received_at=now, received_on=today, intake_due=intake_due,
                )
                for i in range(start + 1, min(n, start + 2000) + 1)
            ]
        )
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE bench_row (id serial PRIMARY KEY, n integer NOT NULL DEFAULT 0)")
        cur.execute("INSERT INTO bench_row (n) SELECT 0 FROM generate_series(1, %s)", [n])
    return {
        "case_ids": list(Case.objects.order_by("pk").values_list("pk", flat=True)),
        "reviewers": reviewers,
        "front_desk": front_desk,
    }


def run_cases(args: tuple[list[int], list[int], int]) -> int:
    """One worker: every case of its slice from acceptance to the decision."""
    from django.db import connection

    from accounts.models import User
    from approvals.cases import services
    from approvals.parallel import services as parallel
    from approvals.parallel.models import DepartmentTask

    fixed_clock()
    case_ids, reviewer_depts, front_desk_id = args
    users = User.objects.in_bulk([pk for pk, _dept in reviewer_depts] + [front_desk_id])
    front_desk = users[front_desk_id]
    reviewers = [(users[pk], dept_id) for pk, dept_id in reviewer_depts]
    done = 0
    try:
        for case_id in case_ids:
            services.accept(case_id, officer=front_desk)
            tasks = dict(DepartmentTask.objects.filter(case_id=case_id).values_list("department_id", "pk"))
            for reviewer, dept_id in reviewers:
                parallel.claim(tasks[dept_id], officer=reviewer)
                parallel.start(tasks[dept_id], officer=reviewer)
                parallel.agree(tasks[dept_id], officer=reviewer)
            done += 1
    finally:
        connection.close()
    return done


def run_baseline(ids: list[int]) -> int:
    """One worker: ``UPDATES_PER_CASE`` single-row UPDATEs per row id, each its own transaction."""
    from django.db import connection, transaction

    try:
        for row_id in ids:
            for _ in range(UPDATES_PER_CASE):
                with transaction.atomic(), connection.cursor() as cur:
                    cur.execute("UPDATE bench_row SET n = n + 1 WHERE id = %s", [row_id])
    finally:
        connection.close()
    return len(ids)


def timed(pool_size: int, fn, chunks) -> float:
    from django.db import connections

    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(pool_size) as pool:
        start = time.perf_counter()
        pool.map(fn, chunks)
        return time.perf_counter() - start


def main() -> None:
    args = parse_args()
    maintenance, url = database_urls(args.database)
    recreate_database(maintenance, args.database)
    os.environ["DATABASE_URL"] = url
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
    os.environ["BENCH_CELERY_DIR"] = tempfile.mkdtemp(prefix="bench-parallel-celery-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings_bench"
    import django

    django.setup()
    from django.core.management import call_command

    try:
        call_command("migrate", verbosity=0, interactive=False)
        fixed_clock()
        t0 = time.perf_counter()
        data = seed(args.cases)
        print(f"seeded {args.cases} submitted joint cases in {time.perf_counter() - t0:.1f}s")
        ids = data["case_ids"]
        w = args.workers
        chunks = [ids[i::w] for i in range(w)]

        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("SELECT id FROM bench_row ORDER BY id")
            row_ids = [r[0] for r in cur.fetchall()]
        baseline_s = timed(w, run_baseline, [row_ids[i::w] for i in range(w)])
        cases_s = timed(w, run_cases, [(c, data["reviewers"], data["front_desk"]) for c in chunks])

        from approvals.models import Case, TransitionLog
        from approvals.parallel.models import DepartmentTask

        approved = Case.objects.filter(pk__in=ids, state="approved").count()
        decisions = TransitionLog.objects.filter(case_id__in=ids, command="decide").count()
        open_tasks = DepartmentTask.objects.exclude(state="agreed").count()
        n = args.cases
        case_rate = n / cases_s
        base_rate = n / baseline_s
        print(f"workers: {w} processes; cases: {n} joint cases × 3 departments")
        print(f"baseline: {n * UPDATES_PER_CASE} single-row UPDATEs in {baseline_s:.1f}s = "
              f"{n * UPDATES_PER_CASE / baseline_s:.0f} updates/s = {base_rate:.1f} case-equivalents/s")
        print(f"parallel: {n} cases (accept → 3 × claim/start/agree → join → decision) in {cases_s:.1f}s = "
              f"{case_rate:.1f} cases/s")
        print(f"ratio (cases/s ÷ baseline case-equivalents/s): {case_rate / base_rate:.3f}")
        print(f"check: approved {approved}/{n}, decisions {decisions}/{n}, tasks not agreed {open_tasks}")
        if approved != n or decisions != n or open_tasks:
            sys.exit("FAILED: some cases were not decided exactly once")
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(os.environ["BENCH_CELERY_DIR"], ignore_errors=True)
        if not args.keep:
            recreate_database(maintenance, args.database, create=False)


if __name__ == "__main__":
    main()
