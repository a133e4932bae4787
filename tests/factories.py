"""Small factories shared by every test package. Build the least data a scenario needs."""

from __future__ import annotations

import itertools
from datetime import date

from accounts.identity import resident_id_check_digit, uscc_check_character
from accounts.models import Business, BusinessAgent, CitizenProfile, OfficerMembership, User
from approvals.items import services as catalog
from approvals.items.models import (
    CoDepartment,
    Department,
    FormField,
    Item,
    ItemVersion,
    LegalBasis,
    MaterialRequirement,
    SpecialProcedure,
)

_seq = itertools.count(1)


def next_id() -> int:
    return next(_seq)


def resident_id(n: int | None = None) -> str:
    n = next_id() if n is None else n
    first17 = f"330102199001{(n % 28) + 1:02d}{n % 1000:03d}"
    return first17 + resident_id_check_digit(first17)


def uscc(n: int | None = None) -> str:
    n = next_id() if n is None else n
    first17 = f"91330100MA{n:07d}"[:17]
    return first17 + uscc_check_character(first17)


def department(code: str | None = None, **kw) -> Department:
    n = next_id()
    defaults = {"name": f"测试部门{n}", "short_name": f"测{n}", "region_code": "330100", "level": Department.Level.CITY}
    defaults.update(kw)
    return Department.objects.create(code=code or f"D{n:04d}", **defaults)


def item_version(
    *,
    code: str | None = None,
    dept: Department | None = None,
    publish: bool = True,
    effective_from: date | None = date(2025, 1, 1),
    statutory: int = 20,
    promised: int = 10,
    materials: tuple[tuple[str, str], ...] = (("M01", "required"), ("M02", "pledgeable"), ("M03", "optional")),
    fields: tuple[tuple[str, str, bool], ...] = (("shop_name", "text", True), ("area", "area", True)),
    co_departments: tuple[Department, ...] = (),
    join_policy: str = "",
    special_procedures: tuple[tuple[str, int], ...] = (("inspection", 10),),
    **kw,
) -> ItemVersion:
    """An item version with a legal basis, materials, form fields and (by default) published."""
    n = next_id()
    dept = dept or department()
    item = Item.objects.create(code=code or f"ITEM{n:05d}", basic_code=f"BASIC{n:05d}")
    version = ItemVersion.objects.create(
        item=item,
        name=kw.pop("name", f"测试事项{n}"),
        department=dept,
        statutory_limit_days=statutory,
        promised_limit_days=promised,
        is_joint=bool(co_departments),
        join_policy=join_policy or ("all_agree" if co_departments else ""),
        **kw,
    )
    LegalBasis.objects.create(version=version, law_name="《中华人民共和国行政许可法》", article="第三十二条", text="……")
    for pos, (mcode, necessity) in enumerate(materials):
        MaterialRequirement.objects.create(version=version, position=pos, code=mcode, name=f"材料{mcode}", necessity=necessity)
    for pos, (name, ftype, required) in enumerate(fields):
        FormField.objects.create(version=version, position=pos, name=name, label=name, field_type=ftype, required=required)
    for pos, co in enumerate(co_departments):
        CoDepartment.objects.create(version=version, position=pos, department=co)
    for pos, (kind, days) in enumerate(special_procedures):
        SpecialProcedure.objects.create(
            version=version, position=pos, kind=kind, name=kind, max_working_days=days,
            legal_basis=f"《行政许可法》第四十五条（{kind}）",
        )
    if publish:
        version = catalog.publish(version.pk, effective_from=effective_from)
    return version


def citizen(username: str | None = None, *, bad_credit: bool = False, **kw) -> User:
    n = next_id()
    user = User.objects.create_user(username or f"citizen{n}", password="pw", phone=f"138{n:08d}"[:11], **kw)
    CitizenProfile.objects.create(user=user, real_name=f"张{n}", id_number=resident_id(n), bad_credit=bad_credit)
    return user


def business(agent: User, **kw) -> Business:
    n = next_id()
    biz = Business.objects.create(name=f"测试公司{n}", uscc=uscc(n), legal_representative="李四", **kw)
    BusinessAgent.objects.create(business=biz, user=agent, role=BusinessAgent.Role.AGENT)
    return biz


def officer(dept: Department, *jobs: str, username: str | None = None) -> User:
    user = User.objects.create_user(username or f"officer{next_id()}", password="pw", is_staff=True)
    for job in jobs or ("reviewer",):
        OfficerMembership.objects.create(user=user, department=dept, job=job)
    return user
