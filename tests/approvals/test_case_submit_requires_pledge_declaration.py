"""容缺 at submission, on every channel: an application may leave out pledgeable materials only
against the applicant's pledge declaration (承诺书), which is stored with the case in the
submission's transaction. The rule is the engine's (``services.submit``); the service, the API
(submit command and create-and-submit) and the window intake page all meet the same rule."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from approvals.cases import clock, services
from approvals.models import PLEDGE_TEXT, Case, PledgeDeclaration, State, TransitionLog
from tests import factories

from .conftest import PDF

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def draft_without_m02(world) -> Case:
    """A complete draft but for M02, the pledgeable (容缺) material."""
    return world.complete(world.new_case(), codes=("M01",))


# --- the service ------------------------------------------------------------------------------


def test_submission_without_the_declaration_is_refused_and_writes_nothing(world):
    case = draft_without_m02(world)
    with pytest.raises(ValidationError) as exc:
        services.submit(case.pk, user=world.applicant)
    assert set(exc.value.message_dict) == {"pledge_declared"}
    assert "M02" in exc.value.message_dict["pledge_declared"][0]
    case.refresh_from_db()
    assert case.state == State.DRAFT and case.received_on is None
    assert not PledgeDeclaration.objects.filter(case=case).exists()
    assert not TransitionLog.objects.filter(case=case).exists()


def test_the_declaration_is_listed_with_every_other_problem(world):
    case = world.new_case(fields={"shop_name": "面馆"})  # no area, no M01, no M02
    with pytest.raises(ValidationError) as exc:
        services.submit(case.pk, user=world.applicant)
    assert set(exc.value.message_dict) == {"fields.area", "materials.M01", "pledge_declared"}


def test_submission_with_the_declaration_stores_it_with_the_missing_codes(world, on_day):
    case = draft_without_m02(world)
    case = services.submit(case.pk, user=world.applicant, pledge_declared=True)
    assert case.state == State.SUBMITTED
    declaration = PledgeDeclaration.objects.get(case=case)
    assert declaration.material_codes == ["M02"]
    assert declaration.text == PLEDGE_TEXT
    assert declaration.declared_at == on_day.instant == clock.now()
    assert declaration.user == world.applicant and declaration.recorded_by is None
    assert case.pledge_declaration == declaration
    assert case.log.get().command == "submit"


def test_nothing_pledgeable_missing_needs_no_declaration(world):
    case = services.submit(world.complete(world.new_case()).pk, user=world.applicant)  # M01 and M02 supplied
    assert case.state == State.SUBMITTED
    assert not PledgeDeclaration.objects.filter(case=case).exists()

    plain = factories.item_version(dept=world.dept, materials=(("M01", "required"), ("M03", "optional")))
    case = services.create_case(user=world.applicant, item_code=plain.item.code, fields={"shop_name": "a", "area": "1"})
    case = world.complete(case, codes=("M01",))
    case = services.submit(case.pk, user=world.applicant)
    assert case.state == State.SUBMITTED
    assert not PledgeDeclaration.objects.filter(case=case).exists()


def test_create_and_submit_in_one_call_follows_the_same_rule(world):
    version = factories.item_version(dept=world.dept, materials=(("M01", "optional"), ("M02", "pledgeable")))
    fields = {"shop_name": "a", "area": "1"}
    with pytest.raises(ValidationError) as exc:
        services.create_case(user=world.applicant, item_code=version.item.code, fields=fields, submit=True)
    assert set(exc.value.message_dict) == {"pledge_declared"}
    assert not Case.objects.exists()

    case = services.create_case(
        user=world.applicant, item_code=version.item.code, fields=fields, submit=True, pledge_declared=True
    )
    assert case.state == State.SUBMITTED
    assert PledgeDeclaration.objects.get(case=case).material_codes == ["M02"]


# --- the API ----------------------------------------------------------------------------------


def test_api_submit_without_then_with_the_declaration(world):
    case = draft_without_m02(world)
    refused = api(world.applicant).post(f"/api/v1/cases/{case.case_no}/submit/", {}, format="json")
    assert refused.status_code == 400
    assert set(refused.data) == {"pledge_declared"} and "M02" in str(refused.data["pledge_declared"][0])
    case.refresh_from_db()
    assert case.state == State.DRAFT and not PledgeDeclaration.objects.filter(case=case).exists()

    done = api(world.applicant).post(
        f"/api/v1/cases/{case.case_no}/submit/", {"pledge_declared": True}, format="json"
    )
    assert done.status_code == 200, done.data
    assert done.data["state"] == State.SUBMITTED
    assert PledgeDeclaration.objects.get(case=case).material_codes == ["M02"]


def test_api_create_with_submit_needs_the_declaration_too(world):
    version = factories.item_version(dept=world.dept, materials=(("M01", "optional"), ("M02", "pledgeable")))
    body = {"item_code": version.item.code, "fields": {"shop_name": "a", "area": "1"}, "submit": True}
    refused = api(world.applicant).post("/api/v1/cases/", body, format="json")
    assert refused.status_code == 400
    assert set(refused.data) == {"pledge_declared"}
    assert not Case.objects.exists()

    created = api(world.applicant).post("/api/v1/cases/", {**body, "pledge_declared": True}, format="json")
    assert created.status_code == 201, created.data
    case = Case.objects.get(case_no=created.data["case_no"])
    assert case.state == State.SUBMITTED
    assert PledgeDeclaration.objects.get(case=case).material_codes == ["M02"]


# --- intake at the window ---------------------------------------------------------------------


def window_form(world, **extra) -> dict:
    return {
        "item_code": world.item_code, "id_number": factories.resident_id(901), "real_name": "赵六",
        "phone": "13900002222", "field_shop_name": "赵六小吃", "field_area": "20",
        "file_M01": SimpleUploadedFile("m1.pdf", PDF, "application/pdf"),  # M02 (pledgeable) not scanned
        **extra,
    }


def test_window_intake_page_asks_for_the_signed_declaration(world):
    c = page_client(world.front_desk)
    form = c.get(f"/workbench/intake/window/?item={world.item_code}").content.decode()
    assert 'name="pledge_declared"' in form

    refused = c.post("/workbench/intake/window/", window_form(world))
    assert refused.status_code == 400
    assert 'data-field="pledge_declared"' in refused.content.decode()  # the reason next to the check box
    assert not Case.objects.exists() and not PledgeDeclaration.objects.exists()

    done = c.post("/workbench/intake/window/", window_form(world, pledge_declared="on"))
    assert done.status_code == 302
    case = Case.objects.get()
    assert (case.state, case.channel) == (State.SUBMITTED, "window")
    declaration = PledgeDeclaration.objects.get(case=case)
    # The applicant declared it (on paper); the officer who took it at the window is recorded.
    assert declaration.material_codes == ["M02"]
    assert declaration.user == case.applicant and declaration.recorded_by == world.front_desk


def test_window_intake_of_an_item_without_pledgeable_materials_shows_no_check_box(world):
    plain = factories.item_version(dept=world.dept, materials=(("M01", "required"), ("M03", "optional")))
    c = page_client(world.front_desk)
    form = c.get(f"/workbench/intake/window/?item={plain.item.code}").content.decode()
    assert 'name="file_M01"' in form and 'name="pledge_declared"' not in form
    done = c.post("/workbench/intake/window/", window_form(world, item_code=plain.item.code))
    assert done.status_code == 302
    assert Case.objects.get().state == State.SUBMITTED
    assert not PledgeDeclaration.objects.exists()


def test_window_intake_service_takes_the_declaration(world):
    upload = {"M01": SimpleUploadedFile("m1.pdf", PDF, "application/pdf")}
    fields = {"shop_name": "x", "area": "1"}
    with pytest.raises(ValidationError) as exc:
        services.intake_at_window(officer=world.front_desk, applicant=world.applicant, item_code=world.item_code,
                                  fields=fields, uploads=upload)
    assert "pledge_declared" in exc.value.message_dict
    assert not Case.objects.exists()
    upload = {"M01": SimpleUploadedFile("m1.pdf", PDF, "application/pdf")}
    case = services.intake_at_window(officer=world.front_desk, applicant=world.applicant, item_code=world.item_code,
                                     fields=fields, uploads=upload, pledge_declared=True)
    assert case.pledge_declaration.recorded_by == world.front_desk
