"""Demo logins: one account per role, all with the documented password ``DEMO_PASSWORD``.

DEMO DATA ONLY. Identity numbers are computed with the real check algorithms but belong to the
fictional region 429901 (江城市), so they cannot be anyone's. ``load_demo_users()`` creates the
missing accounts and leaves existing ones untouched (their passwords are not reset).

Needs the demo departments (``approvals.items.demo_catalog``) to exist first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.identity import resident_id_check_digit, uscc_check_character
from accounts.models import Business, BusinessAgent, CitizenProfile, OfficerMembership, User
from approvals.items.demo_catalog import DEMO_MARK, FRONT_DESK, REGION_CODE, SUPERVISION, dept_code
from approvals.items.models import Department

DEMO_PASSWORD = "demo12345"  # noqa: S105 - documented demo password, never for production

Job = OfficerMembership.Job
AdminRole = User.AdminRole


def demo_resident_id(birth: str, sequence: str) -> str:
    """A valid resident ID number in the fictional region: ``birth`` YYYYMMDD, ``sequence`` 3 digits."""
    first17 = f"{REGION_CODE}{birth}{sequence}"
    return first17 + resident_id_check_digit(first17)


def demo_uscc(serial: str) -> str:
    """A valid unified social credit code of a company (91) in the fictional region; ``serial`` has 9 characters."""
    first17 = f"91{REGION_CODE}{serial}"
    return first17 + uscc_check_character(first17)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    display_name: str = ""
    department: str = ""  # department key in the demo catalog
    jobs: tuple[str, ...] = ()
    admin_role: str = ""
    superuser: bool = False
    citizen: tuple[str, str] | None = None  # (real name, resident ID number)
    business: bool = False
    phone: str = ""


DEMO_BUSINESS = {
    "name": f"江城市示范餐饮管理有限公司{DEMO_MARK}",
    "uscc": demo_uscc("MA0000001"),
    "legal_representative": "李思源",
    "address": f"江城市滨江区示范路1号{DEMO_MARK}",
    "phone": "0000-88990001",
}

# Department keys of the joint items' lead and co-departments, each with a reviewer and a head.
_JOINT_DEPARTMENTS = (
    ("urban", "CGJ", "城管"),
    ("police", "GAJ", "公安"),
    ("health", "WJW", "卫健"),
    ("fire", "XFZD", "消防"),
    ("housing", "ZJJ", "住建"),
    ("planning", "ZRZY", "资规"),
    ("eco", "STHJ", "环境"),
)

DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        "citizen",
        "Citizen applicant",
        "王小明",
        citizen=("王小明", demo_resident_id("19900315", "001")),
        phone="13800000001",
    ),
    DemoLogin(
        "business",
        "Business agent",
        "李思源",
        citizen=("李思源", demo_resident_id("19880721", "002")),
        business=True,
        phone="13800000002",
    ),
    DemoLogin(
        "frontdesk", "Front desk officer", "综合窗口受理员", department=FRONT_DESK, jobs=(Job.FRONT_DESK,)
    ),
    DemoLogin("reviewer", "Reviewer", "市监审核员", department="SJJ", jobs=(Job.REVIEWER,)),
    DemoLogin("approver", "Approver", "市监审批员", department="SJJ", jobs=(Job.APPROVER,)),
    DemoLogin("head", "Department head", "市监局负责人", department="SJJ", jobs=(Job.DEPARTMENT_HEAD,)),
    DemoLogin("supervisor", "Supervisor", "电子监察员", department=SUPERVISION, jobs=(Job.SUPERVISOR,)),
    DemoLogin("sysadmin", "System administrator", "系统管理员", admin_role=AdminRole.SYSTEM, superuser=True),
    DemoLogin("secadmin", "Security administrator", "安全管理员", admin_role=AdminRole.SECURITY),
    DemoLogin("auditadmin", "Audit administrator", "审计管理员", admin_role=AdminRole.AUDIT),
    *(
        login
        for suffix, key, short in _JOINT_DEPARTMENTS
        for login in (
            DemoLogin(
                f"reviewer_{suffix}",
                "Reviewer (joint items)",
                f"{short}审核员",
                department=key,
                jobs=(Job.REVIEWER,),
            ),
            DemoLogin(
                f"head_{suffix}",
                "Approver and department head (joint items)",
                f"{short}负责人",
                department=key,
                jobs=(Job.APPROVER, Job.DEPARTMENT_HEAD),
            ),
        )
    ),
)


@dataclass
class UsersLoadResult:
    users: int = 0
    memberships: int = 0
    businesses: int = 0

    @property
    def created(self) -> int:
        return self.users + self.memberships + self.businesses


def load_demo_users() -> UsersLoadResult:
    """Create the missing demo accounts (with profiles, business and jobs) in one transaction."""
    result = UsersLoadResult()
    with transaction.atomic():
        departments = {d.code: d for d in Department.objects.filter(code__startswith="JC-")}
        existing = set(
            User.objects.filter(username__in=[d.username for d in DEMO_LOGINS]).values_list(
                "username", flat=True
            )
        )
        password_hash = make_password(DEMO_PASSWORD) if len(existing) < len(DEMO_LOGINS) else ""
        for login in DEMO_LOGINS:
            if login.username in existing:
                continue
            _create_login(login, password_hash, departments, result)
    return result


def _create_login(
    login: DemoLogin, password_hash: str, departments: dict[str, Department], result: UsersLoadResult
) -> User:
    user = User.objects.create(
        username=login.username,
        password=password_hash,
        first_name=login.display_name,
        email=f"{login.username}@demo.invalid",
        is_staff=bool(login.jobs or login.admin_role),
        is_superuser=login.superuser,
        admin_role=login.admin_role,
        phone=login.phone,
    )
    result.users += 1
    if login.citizen:
        real_name, id_number = login.citizen
        CitizenProfile.objects.create(
            user=user, real_name=real_name, id_number=id_number, address=f"江城市滨江区{DEMO_MARK}"
        )
    if login.business:
        business, created = Business.objects.get_or_create(uscc=DEMO_BUSINESS["uscc"], defaults=DEMO_BUSINESS)
        result.businesses += int(created)
        BusinessAgent.objects.create(
            business=business, user=user, role=BusinessAgent.Role.AGENT, authorised_until=date(2030, 12, 31)
        )
    for job in login.jobs:
        OfficerMembership.objects.create(
            user=user, department=departments[dept_code(login.department)], job=job
        )
        result.memberships += 1
    return user


def login_table() -> list[tuple[str, str, str, str]]:
    """(username, role, department, password) of every demo login, for the command's summary."""
    names = dict(Department.objects.filter(code__startswith="JC-").values_list("code", "name"))
    rows = []
    for login in DEMO_LOGINS:
        where = names.get(dept_code(login.department), "") if login.department else ""
        if login.business:
            where = DEMO_BUSINESS["name"]
        rows.append((login.username, login.role, where, DEMO_PASSWORD))
    return rows
