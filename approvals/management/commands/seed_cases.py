"""Seed N realistic cases for load tests and benchmarks (PostgreSQL only, set-based).

    python manage.py seed_cases --count 1000000 [--batch 50000] [--seed 1] [--no-log]

LOAD-TEST DATA ONLY. It creates (once; later runs reuse them) ten departments of the fictional
region 990100 with three published items each, a front-desk centre, officers with the password
``SEED_PASSWORD`` (``seed_front_desk``, ``seed_reviewer_01`` … ``seed_head_10``; ``01`` … ``10``
are the departments ``SEED-01`` … ``SEED-10``) and a pool of citizen applicants; then it inserts the
cases in batches with one ``INSERT … SELECT … FROM generate_series`` per batch (plus one INSERT …
SELECT per transition-log step, unless ``--no-log``).

Cases are spread evenly over the 30 items (so each department holds 10 % of them) and over the
states in realistic proportions (about 40 % closed, 20 % in review, 8 % waiting at intake …).
Receipt dates lie in the past (open cases recently, closed ones up to two years back); the
intake, decision and licence dues come from the working-day calendar (``approvals.cases.clock``) for
every distinct receipt date, so overdue and nearly-due cases both occur. Case numbers continue
the region's ``CaseNumberSequence`` (7-digit sequence) and the counter is advanced, so cases filed
later through the services never collide. ``--seed`` varies the distribution deterministically.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from accounts import crypto
from accounts.identity import resident_id_check_digit
from accounts.models import CitizenProfile, OfficerMembership, User
from approvals.cases import clock
from approvals.cases.services import STANDARD_REMEDIES
from approvals.items import services as catalog
from approvals.items.models import Department, FormField, Item, ItemVersion, LegalBasis, MaterialRequirement
from approvals.models import CaseNumberSequence
from approvals.supervision import calendar

SEED_PASSWORD = "seed12345"  # noqa: S105 - documented load-test password, never for production
REGION = "990100"
DEPARTMENTS = (
    ("市场监督管理局", "种市监"),
    ("卫生健康委员会", "种卫健"),
    ("生态环境局", "种环"),
    ("住房和城乡建设局", "种住建"),
    ("交通运输局", "种交"),
    ("文化广电旅游局", "种文旅"),
    ("教育局", "种教"),
    ("公安局", "种公"),
    ("自然资源局", "种自然"),
    ("农业农村局", "种农"),
)
ITEMS_PER_DEPARTMENT = 3
PROMISED, STATUTORY, ACCEPTANCE, LICENCE = 10, 20, 5, 10

# (last bucket of 0..99, state): share of each state in the seeded population.
STATE_BUCKETS = (
    (2, "draft"),
    (10, "submitted"),
    (13, "correction_requested"),
    (18, "accepted"),
    (19, "accepted_with_pledge"),
    (22, "not_accepted"),
    (42, "in_review"),
    (45, "approved"),
    (48, "refused"),
    (51, "issued"),
    (56, "delivered"),
    (97, "closed"),
    (98, "withdrawn"),
    (99, "terminated"),
)
#: How many days before today a case in this state was received: (minimum, spread).
AGE = {
    "submitted": (0, 9),
    "correction_requested": (2, 12),
    "accepted": (0, 5),
    "accepted_with_pledge": (0, 10),
    "in_review": (1, 40),
    "not_accepted": (5, 300),
    "approved": (15, 20),
    "refused": (20, 300),
    "issued": (20, 40),
    "delivered": (25, 60),
    "closed": (40, 680),
    "withdrawn": (5, 300),
    "terminated": (20, 300),
}
ACCEPTED_STATES = (
    "accepted", "accepted_with_pledge", "in_review", "approved", "refused", "issued", "delivered", "closed",
)
DECIDED_STATES = ("approved", "refused", "issued", "delivered", "closed")
#: The transition-log chain written for each state: (command, from_state, to_state, applies to states).
LOG_STEPS = (
    ("submit", "draft", "submitted", tuple(s for _b, s in STATE_BUCKETS if s != "draft")),
    ("request_correction", "submitted", "correction_requested", ("correction_requested",)),
    ("not_accept", "submitted", "not_accepted", ("not_accepted",)),
    ("accept", "submitted", "accepted", ("accepted", "in_review", *DECIDED_STATES)),
    ("accept_with_pledge", "submitted", "accepted_with_pledge", ("accepted_with_pledge",)),
    ("withdraw", "submitted", "withdrawn", ("withdrawn",)),
    ("start_review", "accepted", "in_review", ("in_review", "terminated", *DECIDED_STATES)),
    ("terminate", "in_review", "terminated", ("terminated",)),
    ("decide", "in_review", "approved", ("approved", "issued", "delivered", "closed")),
    ("decide", "in_review", "refused", ("refused",)),
    ("issue_licence", "approved", "issued", ("issued", "delivered", "closed")),
    ("deliver", "issued", "delivered", ("delivered", "closed")),
    ("close", "delivered", "closed", ("closed",)),
)


def _sql_list(values) -> str:
    return ", ".join(f"'{v}'" for v in values)


class Command(BaseCommand):
    help = "Seed N realistic cases (PostgreSQL, set-based) for load tests and benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="Number of cases to add.")
        parser.add_argument("--batch", type=int, default=50_000, help="Cases per INSERT (default 50000).")
        parser.add_argument("--seed", type=int, default=1, help="Varies the distribution (default 1).")
        parser.add_argument("--applicants", type=int, default=0, help="Applicant pool (default count/200, 50…5000).")
        parser.add_argument("--no-log", action="store_true", help="Do not write transition-log rows.")

    def handle(self, *args, count: int, batch: int, seed: int, applicants: int, no_log: bool, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_cases needs PostgreSQL (it inserts with generate_series); set DATABASE_URL.")
        if count < 1 or batch < 1:
            raise CommandError("--count and --batch must be positive.")
        from tqdm import tqdm

        today = clock.today()
        applicants = applicants or max(50, min(5000, count // 200))
        versions = self._catalog(today)
        officers = self._officers()
        pool = self._applicants(applicants)
        dues = self._dues(today)
        self.stdout.write(
            f"{len(versions)} items in {len(DEPARTMENTS)} departments, {len(pool)} applicants; "
            f"officers: {', '.join(officers[:4])} … (password {SEED_PASSWORD})"
        )
        with transaction.atomic():
            seq, _created = CaseNumberSequence.objects.select_for_update().get_or_create(
                region_code=REGION, year=today.year
            )
            base = seq.last
            seq.last += count
            seq.save(update_fields=["last"])
        done = 0
        with tqdm(total=count, unit="case", desc="seeding cases") as bar:
            while done < count:
                size = min(batch, count - done)
                with transaction.atomic():
                    self._insert_batch(
                        first=base + done + 1, last=base + done + size, seed=seed, today=today,
                        versions=versions, applicants=pool, dues=dues, log=not no_log,
                    )
                done += size
                bar.update(size)
        # Statistics, and the visibility map for index-only counts (VACUUM needs autocommit; inside
        # a caller's transaction, e.g. a test, only ANALYZE runs).
        analyze = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            cursor.execute(f"{analyze} approvals_case")
            if not no_log:
                cursor.execute(f"{analyze} approvals_transitionlog")
        self.stdout.write(self.style.SUCCESS(f"Seeded {count} cases ({REGION}-{today.year}-{base + 1:07d} …)."))

    # --- reference data (created once, reused) ---------------------------------------------------

    def _catalog(self, today: date) -> list[int]:
        ids = []
        for i, (name, short) in enumerate(DEPARTMENTS, start=1):
            dept, _created = Department.objects.get_or_create(
                code=f"SEED-{i:02d}",
                defaults={"name": f"种子市{name}", "short_name": short, "region_code": REGION},
            )
            for j in range(1, ITEMS_PER_DEPARTMENT + 1):
                code = f"SEED-{i:02d}-{j}"
                version = ItemVersion.objects.filter(item__code=code).order_by("-version").first()
                if version is None:
                    version = self._item(code, dept, f"{name}许可事项{j}", today)
                ids.append(version.pk)
        return ids

    def _item(self, code: str, dept: Department, name: str, today: date) -> ItemVersion:
        with transaction.atomic():
            item = Item.objects.create(code=code, basic_code=f"SEEDB{code[5:]}")
            version = ItemVersion.objects.create(
                item=item, name=name, department=dept, statutory_limit_days=STATUTORY,
                promised_limit_days=PROMISED, acceptance_limit_days=ACCEPTANCE, licence_issue_limit_days=LICENCE,
                result_name=f"{name}许可证",
            )
            LegalBasis.objects.create(version=version, law_name="《中华人民共和国行政许可法》", article="第十二条")
            for pos, (mcode, necessity) in enumerate((("M01", "required"), ("M02", "required"), ("M03", "pledgeable"))):
                MaterialRequirement.objects.create(
                    version=version, position=pos, code=mcode, name=f"申请材料{mcode}", necessity=necessity
                )
            FormField.objects.create(version=version, position=0, name="shop_name", label="名称", required=True)
            FormField.objects.create(
                version=version, position=1, name="area", label="面积", field_type="area", required=True
            )
            return catalog.publish(version.pk, effective_from=today - timedelta(days=800))

    def _officers(self) -> list[str]:
        password = make_password(SEED_PASSWORD)
        centre, _created = Department.objects.get_or_create(
            code="SEED-FD", defaults={"name": "种子市政务服务中心", "short_name": "种政务", "region_code": REGION}
        )
        wanted = [("seed_front_desk", centre, OfficerMembership.Job.FRONT_DESK)]
        for i in range(1, len(DEPARTMENTS) + 1):
            dept = Department.objects.get(code=f"SEED-{i:02d}")
            for job in (OfficerMembership.Job.REVIEWER, OfficerMembership.Job.APPROVER,
                        OfficerMembership.Job.DEPARTMENT_HEAD):
                wanted.append((f"seed_{job.split('_')[-1]}_{i:02d}", dept, job))
        for username, dept, job in wanted:
            user, _created = User.objects.get_or_create(
                username=username, defaults={"password": password, "is_staff": True}
            )
            OfficerMembership.objects.get_or_create(user=user, department=dept, job=job)
        return [w[0] for w in wanted]

    def _applicants(self, n: int) -> list[int]:
        names = [f"seed_citizen_{i:05d}" for i in range(1, n + 1)]
        existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
        missing = [(i, name) for i, name in enumerate(names, start=1) if name not in existing]
        if missing:
            unusable = make_password(None)
            with transaction.atomic():
                users = User.objects.bulk_create(
                    [User(username=name, password=unusable, phone=f"139{i:08d}") for i, name in missing]
                )
                profiles = []
                for (i, _name), user in zip(missing, users, strict=True):
                    first17 = f"{REGION}{date(1950, 1, 1) + timedelta(days=i * 3):%Y%m%d}{i % 997:03d}"
                    id_number = first17 + resident_id_check_digit(first17)
                    profiles.append(CitizenProfile(
                        user=user, real_name=f"测试{i}", id_number=id_number, id_number_digest=crypto.digest(id_number),
                    ))
                CitizenProfile.objects.bulk_create(profiles)
        return list(User.objects.filter(username__in=names).order_by("pk").values_list("pk", flat=True))

    def _dues(self, today: date) -> list[tuple[date, date, date, date, date]]:
        """(receipt date, intake due, promised due, statutory due, licence due) for every receipt date."""
        span = max(lo + spread for lo, spread in AGE.values()) + 1
        rows = []
        for back in range(span):
            day = today - timedelta(days=back)
            try:
                rows.append((
                    day,
                    calendar.add_working_days(day, ACCEPTANCE),
                    calendar.due_date(day, PROMISED),
                    calendar.due_date(day, STATUTORY),
                    calendar.add_working_days(day, PROMISED + LICENCE),
                ))
            except calendar.CalendarNotConfirmed:  # outside the confirmed years: calendar-day estimate
                rows.append((day, day + timedelta(7), day + timedelta(14), day + timedelta(28), day + timedelta(28)))
        return rows

    # --- one batch ------------------------------------------------------------------------------

    def _insert_batch(self, *, first, last, seed, today, versions, applicants, dues, log):
        state_case = " ".join(f"WHEN b <= {hi} THEN '{state}'" for hi, state in STATE_BUCKETS)
        age_case = " ".join(
            f"WHEN '{state}' THEN {lo} + (n * 7 + {seed}) %% {spread + 1}" for state, (lo, spread) in AGE.items()
        )
        version_values = ", ".join(f"({k}, {pk})" for k, pk in enumerate(versions))
        applicant_values = ", ".join(f"({k}, {pk})" for k, pk in enumerate(applicants))
        due_values = ", ".join(["(%s::date, %s::date, %s::date, %s::date, %s::date)"] * len(dues))
        accepted = _sql_list(ACCEPTED_STATES)
        decided = _sql_list(DECIDED_STATES)
        # Only constants of this module and integer ids are inlined; values go as parameters.
        sql = f"""
        WITH v(k, id) AS (VALUES {version_values}),
             a(k, id) AS (VALUES {applicant_values}),
             d(day, intake, promised, statutory, licence) AS (VALUES {due_values}),
             s AS (
               SELECT n, st, CASE WHEN st = 'draft' THEN NULL
                                  ELSE %(today)s::date - (CASE st {age_case} ELSE 0 END)::int END AS rcv
               FROM (SELECT n, CASE {state_case} END AS st
                     FROM (SELECT n, (n * 37 + %(seed)s * 13) %% 100 AS b
                           FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g(n)) x) y
             )
        INSERT INTO approvals_case (
            case_no, verification_code, item_version_id, applicant_id, business_id, agent_id, fields, channel,
            state, round, created_at, received_at, received_on, complete_on, accepted_on, deemed_accepted,
            decided_at, decided_on, issued_at, delivered_at, closed_at, intake_due, decision_due_promised,
            decision_due_statutory, pledge_due, licence_issue_due, decision, reasons, remedies, competent_organ,
            conditions, licence_no, delivery_method, tracking_no)
        SELECT
            '{REGION}-{today.year}-' || lpad(s.n::text, 7, '0'),
            upper(substr(md5(s.n::text || '-' || %(seed)s::text), 1, 10)),
            v.id, a.id, NULL, NULL,
            jsonb_build_object('shop_name', '种子商户' || s.n::text, 'area', (10 + s.n %% 290)::text || '.5'),
            CASE WHEN s.n %% 5 = 0 THEN 'window' ELSE 'online' END,
            s.st, 1,
            COALESCE(s.rcv, %(today)s::date)::timestamp + interval '8 hours' - interval '1 day',
            s.rcv::timestamp + interval '1 hour' + (s.n %% 9) * interval '1 hour',
            s.rcv, NULL,
            CASE WHEN s.st IN ({accepted}) THEN s.rcv END,
            false,
            CASE WHEN s.st IN ({decided}) OR s.st = 'not_accepted' THEN s.rcv::timestamp + interval '10 days' END,
            CASE WHEN s.st IN ({decided}) THEN s.rcv + 10 END,
            CASE WHEN s.st IN ('issued', 'delivered', 'closed') THEN s.rcv::timestamp + interval '12 days' END,
            CASE WHEN s.st IN ('delivered', 'closed') THEN s.rcv::timestamp + interval '14 days' END,
            CASE WHEN s.st IN ('closed', 'withdrawn', 'terminated') THEN s.rcv::timestamp + interval '15 days' END,
            d.intake,
            CASE WHEN s.st IN ({accepted}) THEN d.promised END,
            CASE WHEN s.st IN ({accepted}) THEN d.statutory END,
            CASE WHEN s.st = 'accepted_with_pledge' THEN d.promised END,
            CASE WHEN s.st IN ('approved', 'issued', 'delivered', 'closed') THEN d.licence END,
            CASE WHEN s.st IN ('approved', 'issued', 'delivered', 'closed') THEN 'approved'
                 WHEN s.st = 'refused' THEN 'refused' ELSE '' END,
            CASE WHEN s.st IN ('refused', 'not_accepted') THEN '申请材料不符合法定条件。' ELSE '' END,
            CASE WHEN s.st IN ('refused', 'not_accepted') THEN %(remedies)s ELSE '' END,
            '', '',
            CASE WHEN s.st IN ('issued', 'delivered', 'closed') THEN 'XK' || lpad(s.n::text, 7, '0') ELSE '' END,
            CASE WHEN s.st IN ('delivered', 'closed') THEN 'window' ELSE '' END,
            ''
        FROM s
        JOIN v ON v.k = s.n %% {len(versions)}
        JOIN a ON a.k = (s.n * 7919) %% {len(applicants)}
        LEFT JOIN d ON d.day = s.rcv
        """  # noqa: S608
        due_params = [value for row in dues for value in row]
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(max(id), 0) FROM approvals_case")
            (before,) = cursor.fetchone()
            # Positional parameters for the VALUES list, named ones for the rest: psycopg needs one
            # style, so the named values are inlined as positional ones in order of appearance.
            named = {
                "today": today, "seed": seed, "first": first, "last": last, "remedies": STANDARD_REMEDIES,
            }
            cursor.execute(*_positional(sql, due_params, named))
            if log:
                self._insert_log(cursor, before)

    def _insert_log(self, cursor, after_id: int) -> None:
        for command, src, dst, states in LOG_STEPS:
            offset = {"submit": 1, "request_correction": 2, "not_accept": 3, "accept": 2,
                      "accept_with_pledge": 2, "withdraw": 4, "start_review": 3, "terminate": 12,
                      "decide": 10, "issue_licence": 12, "deliver": 14, "close": 15}[command]
            extra = ""
            if command == "decide":
                extra = f"AND c.decision = '{'approved' if dst == 'approved' else 'refused'}'"
            cursor.execute(
                f"""
                INSERT INTO approvals_transitionlog (case_id, from_state, to_state, command, actor_id, at, reason,
                                                     round, details)
                SELECT c.id, %s, %s, %s, NULL,
                       c.received_on::timestamp + interval '1 hour' + %s * interval '1 day' - interval '1 hour',
                       '', 1, '{{"seeded": true}}'::jsonb
                FROM approvals_case c
                WHERE c.id > %s AND c.state IN ({_sql_list(states)}) {extra}
                """,  # noqa: S608 - module constants only

                [src, dst, command, offset - 1 if command == "submit" else offset, after_id],
            )


def _positional(sql: str, leading: list, named: dict) -> tuple[str, list]:
    """Turn ``%(name)s`` placeholders into ``%s`` with their values, after the ``leading`` ones."""
    params = list(leading)
    pattern = re.compile(r"%\((\w+)\)s")

    def repl(match):
        params.append(named[match.group(1)])
        return "%s"

    # The VALUES placeholders come first in the text, so their order matches ``leading``.
    return pattern.sub(repl, sql), params

