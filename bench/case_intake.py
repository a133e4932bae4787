"""Benchmark: case intake and a case command over HTTP, against bare DRF endpoints.

Starts gunicorn (``config.wsgi``, settings ``bench.settings_bench``, loopback only) on a dedicated
PostgreSQL database that it creates and migrates, seeds a published item, an applicant and a
front-desk officer, then drives the server with a stdlib load generator (threads + http.client,
a fixed number of requests, a time limit per scenario):

  (a) ``POST /api/v1/cases/`` with ``submit: true`` and a unique Idempotency-Key per request,
      against ``POST /bench/insert/`` (a bare DRF view inserting one row);
  (c) ``POST /api/v1/cases/{case_no}/accept/`` on pre-submitted cases (one case per request),
      against ``POST /bench/update/{id}/`` (a bare DRF view updating one row).

Every request is authenticated the same way (a session cookie and a CSRF token). The benchmark
item asks for one *optional* material only, so a case can be submitted without uploading files;
uploads are outside this benchmark. Side effects are queued on a filesystem broker nobody
consumes (``--eager`` runs them in the request instead).

Prints req/s, p50/p95 latency and errors for each scenario and the ratios against the targets
(intake ≥ 0.5 of the baseline with p95 ≤ 300 ms, accept ≥ 0.4, no errors).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/case_intake.py \
        [--requests 1200] [--rounds 12] [--clients 8] [--workers 2*cores] [--database bench_case_intake] [--keep]

The server and user named by DATABASE_URL are used; the database itself is ``--database``,
dropped and created afresh (and dropped again at the end unless ``--keep``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS = {"intake": 0.5, "accept": 0.4}
P95_TARGET_MS = 300.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1200, help="Requests per scenario (default 1200).")
    parser.add_argument("--clients", type=int, default=8, help="Concurrent clients (default 8).")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 2), help="gunicorn workers.")
    parser.add_argument(
        "--rounds", type=int, default=12,
        help="Interleaved rounds the requests are split in (default 12: on a shared machine the load drifts"
        " within seconds, and short alternating rounds expose both sides of a ratio to it alike).",
    )
    parser.add_argument("--warmup", type=int, default=40, help="Unmeasured requests per scenario first.")
    parser.add_argument("--max-seconds", type=float, default=120.0, help="Time limit of each scenario in each round.")
    parser.add_argument("--database", default="bench_case_intake", help="Dedicated database (recreated).")
    parser.add_argument("--eager", action="store_true", help="Run Celery side effects inside the request.")
    parser.add_argument("--keep", action="store_true", help="Keep the benchmark database.")
    return parser.parse_args()


# --- database -----------------------------------------------------------------------------------


def database_urls(name: str) -> tuple[str, str]:
    """(maintenance URL on the same server, URL of the benchmark database)."""
    base = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(base)
    if not parts.scheme.startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://USER@HOST:PORT/DB: the benchmark runs on PostgreSQL.")
    return urlunsplit(parts._replace(path="/postgres")), urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(maintenance_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(maintenance_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def migrate(env: dict) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env,
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        sys.exit(f"migrate failed:\n{result.stdout}\n{result.stderr}")


@dataclass
class Seed:
    item_code: str
    applicant_cookie: str
    officer_cookie: str
    csrf: str
    accept_case_nos: list[str]
    baseline_row_ids: list[int]


def seed(cases_to_accept: int, rows: int) -> Seed:
    """Item (one optional material), applicant, front desk, sessions, pre-submitted cases."""
    from datetime import date

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection

    from accounts.identity import resident_id_check_digit
    from accounts.models import CitizenProfile, OfficerMembership, User
    from approvals.cases import services
    from approvals.items import services as catalog
    from approvals.items.models import (
        Department,
        FormField,
        Item,
        ItemVersion,
        LegalBasis,
        MaterialRequirement,
    )
    from approvals.supervision import calendar

    calendar.reload()
    dept = Department.objects.create(code="BENCH-D", name="基准测试局", short_name="基准", region_code="429901")
    centre = Department.objects.create(code="BENCH-C", name="政务服务中心", short_name="中心", region_code="429901")
    item = Item.objects.create(code="BENCH-ITEM", basic_code="BENCH-BASIC")
    version = ItemVersion.objects.create(
        item=item, name="基准测试事项", department=dept, statutory_limit_days=20, promised_limit_days=10
    )
    LegalBasis.objects.create(version=version, law_name="《中华人民共和国行政许可法》", article="第三十二条", text="……")
    MaterialRequirement.objects.create(version=version, position=0, code="M01", name="可选材料", necessity="optional")
    FormField.objects.create(version=version, position=0, name="shop_name", label="名称", field_type="text", required=True)
    catalog.publish(version.pk, effective_from=date(2025, 1, 1))

    applicant = User.objects.create_user("bench_applicant", password=secrets.token_hex(16), phone="13800138000")
    first17 = "33010219900101001"
    CitizenProfile.objects.create(user=applicant, real_name="基准", id_number=first17 + resident_id_check_digit(first17))
    officer = User.objects.create_user("bench_front_desk", password=secrets.token_hex(16), is_staff=True)
    OfficerMembership.objects.create(user=officer, department=centre, job=OfficerMembership.Job.FRONT_DESK)

    def session_for(user) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"

    case_nos = [
        services.create_case(user=applicant, item_code=item.code, fields={"shop_name": f"店{i}"}, submit=True).case_no
        for i in range(cases_to_accept)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_rows (id bigserial PRIMARY KEY, payload text NOT NULL DEFAULT '',"
            " counter integer NOT NULL DEFAULT 0, created_at timestamptz NOT NULL DEFAULT now())"
        )
        cursor.execute("INSERT INTO bench_rows (payload) SELECT 'seed' FROM generate_series(1, %s) RETURNING id", [rows])
        ids = [r[0] for r in cursor.fetchall()]
    return Seed(
        item_code=item.code,
        applicant_cookie=session_for(applicant),
        officer_cookie=session_for(officer),
        csrf=secrets.token_hex(16),  # 32 characters: a valid unmasked CSRF secret
        accept_case_nos=case_nos,
        baseline_row_ids=ids,
    )


# --- server -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn), "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--log-level", "warning", "--timeout", "60",
    ]
    handle = log.open("w")
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)


def wait_ready(process: subprocess.Popen, port: int, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/v1/items/")
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    sys.exit(f"gunicorn did not answer within {timeout:.0f}s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)  # the group of the gunicorn we started, nothing else
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


# --- load ---------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    count: int
    seconds: float
    latencies_ms: list[float]
    errors: int
    first_error: str

    @property
    def rps(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        if len(self.latencies_ms) == 1:
            return self.latencies_ms[0]
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[int(q) - 1]


def run_load(name, port, requests, clients, max_seconds, make_request, expected_status, start=0) -> Result:
    """``make_request(i)`` → (method, path, body bytes, headers); ``requests`` of them on ``clients``
    threads, one fresh connection per request (gunicorn's sync workers close it anyway)."""
    lock = threading.Lock()
    counter = iter(range(start, start + requests))
    latencies: list[float] = []
    errors = [0]
    first_error = [""]
    deadline = time.monotonic() + max_seconds

    def worker():
        while time.monotonic() < deadline:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            method, path, body, headers = make_request(i)
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                payload = response.read()
                conn.close()
                ok = response.status == expected_status
                problem = "" if ok else f"{response.status} {payload[:300]!r}"
            except OSError as exc:
                ok, problem = False, repr(exc)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors[0] += 1
                    first_error[0] = first_error[0] or problem

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    return Result(name, len(latencies), seconds, latencies, errors[0], first_error[0])


def headers_for(cookie: str, csrf: str, **extra) -> dict:
    return {
        "Content-Type": "application/json",
        "Cookie": f"{cookie}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
        **extra,
    }


def report(result: Result) -> str:
    return (
        f"  {result.name:<34} {result.count:>5} req  {result.rps:8.1f} req/s  p50 {result.percentile(50):7.1f} ms"
        f"  p95 {result.percentile(95):7.1f} ms  errors {result.errors}"
        + (f"\n    first error: {result.first_error}" if result.first_error else "")
    )


def main() -> int:
    args = parse_args()
    maintenance_url, bench_url = database_urls(args.database)
    tmp = Path(tempfile.mkdtemp(prefix="bench-case-intake-"))
    env = {
        **os.environ,
        "DATABASE_URL": bench_url,
        "DJANGO_SETTINGS_MODULE": "bench.settings_bench",
        "DJANGO_DEBUG": "0",
        "CELERY_TASK_ALWAYS_EAGER": "1" if args.eager else "0",
        "BENCH_CELERY_DIR": str(tmp / "celery"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    print(f"database {args.database} (recreated), gunicorn {args.workers} sync workers, {args.clients} clients,"
          f" {args.requests} requests per scenario in {args.rounds} interleaved rounds (+{args.warmup} warm-up)")
    recreate_database(maintenance_url, args.database)
    process = None
    try:
        migrate(env)
        os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CELERY_TASK_ALWAYS_EAGER",
                                                "BENCH_CELERY_DIR", "LOG_LEVEL")})
        import django

        django.setup()
        t0 = time.perf_counter()
        data = seed(args.requests + args.warmup, args.requests + args.warmup)
        print(f"seeded item {data.item_code} (one optional material: submit needs no upload) and "
              f"{len(data.accept_case_nos)} submitted cases in {time.perf_counter() - t0:.1f}s")
        from django.db import connections

        connections.close_all()

        port = free_port()
        log = tmp / "gunicorn.log"
        process = start_gunicorn(env, port, args.workers, log)
        wait_ready(process, port, log)
        run_id = secrets.token_hex(4)

        def intake(i):
            body = json.dumps({"item_code": data.item_code, "fields": {"shop_name": f"店{i}"}, "submit": True})
            return "POST", "/api/v1/cases/", body.encode(), headers_for(
                data.applicant_cookie, data.csrf, **{"Idempotency-Key": f"bench-{run_id}-{i}"}
            )

        def insert(i):
            body = json.dumps({"item_code": data.item_code, "fields": {"shop_name": f"店{i}"}, "submit": True})
            return "POST", "/bench/insert/", body.encode(), headers_for(data.applicant_cookie, data.csrf)

        def accept_factory(offset):
            def accept(i):
                case_no = data.accept_case_nos[offset + i]
                return "POST", f"/api/v1/cases/{case_no}/accept/", b"{}", headers_for(data.officer_cookie, data.csrf)
            return accept

        def update_factory(offset):
            def update(i):
                pk = data.baseline_row_ids[offset + i]
                return "POST", f"/bench/update/{pk}/", b"{}", headers_for(data.officer_cookie, data.csrf)
            return update

        warm = args.warmup
        bound = {"port": port, "clients": args.clients, "max_seconds": args.max_seconds}
        # Warm every worker on every endpoint (imports, connections, calendar) before measuring.
        run_load("warm-up insert", requests=warm, make_request=insert, expected_status=201, **bound)
        run_load("warm-up intake", requests=warm, make_request=lambda i: intake(10**6 + i), expected_status=201, **bound)
        run_load("warm-up update", requests=warm, make_request=update_factory(0), expected_status=200, **bound)
        run_load("warm-up accept", requests=warm, make_request=accept_factory(0), expected_status=200, **bound)

        n = args.requests
        rounds = max(1, min(args.rounds, n))
        scenarios = {
            "insert": ("(a) baseline: insert one row", insert, 201),
            "intake": ("(a) intake POST /cases/ submit", intake, 201),
            "update": ("(c) baseline: update one row", update_factory(warm), 200),
            "accept": ("(c) command POST /cases/…/accept/", accept_factory(warm), 200),
        }
        # Interleaved rounds (baseline, engine, baseline, engine …) so that drift in the machine's
        # load affects both sides of each ratio alike.
        parts: dict[str, list[Result]] = {key: [] for key in scenarios}
        done = 0
        for r in range(rounds):
            size = n // rounds + (1 if r < n % rounds else 0)
            for key, (label, make, expected) in scenarios.items():
                parts[key].append(run_load(label, requests=size, make_request=make, expected_status=expected,
                                           start=done, **bound))
            done += size
        results = {
            key: Result(
                name=chunks[0].name,
                count=sum(c.count for c in chunks),
                seconds=sum(c.seconds for c in chunks),
                latencies_ms=[x for c in chunks for x in c.latencies_ms],
                errors=sum(c.errors for c in chunks),
                first_error=next((c.first_error for c in chunks if c.first_error), ""),
            )
            for key, chunks in parts.items()
        }
        print()
        for result in results.values():
            print(report(result))
        intake_ratio = results["intake"].rps / results["insert"].rps
        accept_ratio = results["accept"].rps / results["update"].rps
        p95 = results["intake"].percentile(95)
        errors = sum(r.errors for r in results.values())
        complete = all(r.count == n for r in results.values())
        checks = [
            (f"intake / insert throughput ratio {intake_ratio:.2f} (target >= {TARGETS['intake']})",
             intake_ratio >= TARGETS["intake"]),
            (f"intake p95 {p95:.1f} ms (target <= {P95_TARGET_MS:.0f} ms)", p95 <= P95_TARGET_MS),
            (f"accept / update throughput ratio {accept_ratio:.2f} (target >= {TARGETS['accept']})",
             accept_ratio >= TARGETS["accept"]),
            (f"errors {errors} (target 0)", errors == 0),
            (f"every scenario completed its {n} requests (time limit {args.max_seconds:.0f}s a round)", complete),
        ]
        print()
        for text, ok in checks:
            print(f"  [{'ok' if ok else 'MISSED'}] {text}")
        return 0 if all(ok for _t, ok in checks) else 1
    finally:
        if process is not None:
            stop(process)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        if not args.keep:
            drop_database(maintenance_url, args.database)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
