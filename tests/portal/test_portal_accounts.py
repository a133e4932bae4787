"""Registration as a citizen or for a business, with specific errors for every bad identity
number; agents; password reset; a business agent sees the business's cases."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from accounts.models import Business, BusinessAgent, CitizenProfile, User
from approvals.cases import services as cases
from tests import factories

pytestmark = pytest.mark.django_db

GOOD_ID = factories.resident_id(7)
GOOD_USCC = factories.uscc(77)


def citizen_data(**kw) -> dict:
    data = {
        "username": "xiaoming", "real_name": "王小明", "id_number": GOOD_ID, "phone": "13912345678",
        "email": "xm@example.com", "password": "Harbour-lights-42", "password2": "Harbour-lights-42",
    }
    data.update(kw)
    return data


def errors(response) -> dict:
    return {name: list(errs) for name, errs in response.context["form"].errors.items()}


def test_a_citizen_registers_and_is_logged_in(client):
    response = client.post("/accounts/register/citizen/", citizen_data())
    assert response.status_code == 302
    user = User.objects.get(username="xiaoming")
    assert user.citizen_profile.real_name == "王小明"
    assert user.citizen_profile.id_number == GOOD_ID
    assert user.phone == "13912345678"
    assert client.get("/my/cases/").status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", GOOD_ID[:17] + ("0" if GOOD_ID[17] != "0" else "1"), "The check digit of this ID number is wrong."),
        ("id_number", "33010219901332001X", "The date of birth in this ID number does not exist."),
        ("id_number", "3301021990010100AB", "A resident ID number has 17 digits followed by a digit or X."),
        ("phone", "12345678901", "Enter an 11-digit mainland mobile number."),
        ("username", "a b", "Use 3 to 40 letters, digits or the characters _ . @ + - for the user name."),
        ("password2", "something-else-1", "The two passwords differ."),
        ("password", "12345678", "This password is entirely numeric."),
    ],
)
def test_each_bad_input_gets_its_own_message_next_to_its_field(client, field, value, message):
    data = citizen_data(**{field: value})
    if field == "password":
        data["password2"] = value
    response = client.post("/accounts/register/citizen/", data)
    assert response.status_code == 200
    assert message in errors(response)[field]
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html and 'aria-invalid="true"' in html
    assert not User.objects.filter(username=data["username"]).exists()


def test_an_id_number_registers_only_once(client):
    factories.citizen(username="first")
    taken = CitizenProfile.objects.get(user__username="first").id_number
    response = client.post("/accounts/register/citizen/", citizen_data(id_number=taken))
    assert "An account is already registered with this ID number; log in or reset your password." in errors(response)["id_number"]


def test_the_form_is_in_chinese_for_a_chinese_browser(client):
    response = client.post("/accounts/register/citizen/", citizen_data(phone="123"), HTTP_ACCEPT_LANGUAGE="zh-CN")
    html = response.content.decode()
    assert "请输入11位大陆手机号码。" in html or "手机号码" in html
    assert 'lang="zh-Hans"' in html


def business_data(**kw) -> dict:
    data = citizen_data(username="lisi", real_name="李四", id_number=factories.resident_id(8), phone="13800001111")
    data.update(business_name="江城示范商贸有限公司", uscc=GOOD_USCC, legal_representative="李四", role="legal_representative")
    data.update(kw)
    return data


def test_a_business_registers_with_its_legal_representative(client):
    response = client.post("/accounts/register/business/", business_data())
    assert response.status_code == 302
    business = Business.objects.get(uscc=GOOD_USCC)
    agent = BusinessAgent.objects.get(business=business)
    assert agent.user.username == "lisi" and agent.role == "legal_representative"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"uscc": GOOD_USCC[:17] + ("0" if GOOD_USCC[17] != "0" else "1")}, "uscc",
         "The check character of this unified social credit code is wrong."),
        ({"uscc": "91330100MA0000000I"}, "uscc",
         "A unified social credit code has 18 characters (digits and capital letters except I, O, S, V, Z)."),
        ({"legal_representative": "赵六"}, "role",
         "Only 赵六, the legal representative named above, can register as legal representative."),
    ],
)
def test_business_registration_errors_are_specific_and_nothing_is_created(client, changes, field, message):
    response = client.post("/accounts/register/business/", business_data(**changes))
    assert message in errors(response)[field]
    assert not User.objects.filter(username="lisi").exists()
    assert not Business.objects.exists()


def test_an_agent_is_added_by_user_name_and_id_number_and_sees_the_business_cases(client, world):
    owner = world.applicant
    business = factories.business(owner)
    BusinessAgent.objects.filter(business=business, user=owner).update(role="legal_representative")
    helper = factories.citizen(username="helper")
    item = factories.item_version(dept=world.dept, target="business")
    case = cases.create_case(user=owner, item_code=item.item.code, fields={}, business_id=business.pk)

    client.force_login(owner)
    wrong = client.post("/accounts/profile/", {"action": "agent", "business_id": business.pk,
                                              "username": "helper", "id_number": factories.resident_id(1)})
    assert "No registered citizen has this user name and ID number." in wrong.content.decode()
    ok = client.post("/accounts/profile/", {"action": "agent", "business_id": business.pk, "username": "helper",
                                           "id_number": helper.citizen_profile.id_number})
    assert ok.status_code == 302
    assert BusinessAgent.objects.filter(business=business, user=helper, active=True).exists()

    client.force_login(helper)
    listing = client.get("/my/cases/").content.decode()
    assert case.case_no in listing
    assert client.get(f"/my/cases/{case.case_no}/").status_code == 200

    # The legal representative withdraws the authority: the case is no longer the helper's to see.
    client.force_login(owner)
    agent = BusinessAgent.objects.get(business=business, user=helper)
    client.post("/accounts/profile/", {"action": "deactivate", "agent_id": agent.pk})
    client.force_login(helper)
    assert case.case_no not in client.get("/my/cases/").content.decode()
    assert client.get(f"/my/cases/{case.case_no}/").status_code == 404


def test_password_reset_by_email(client):
    client.post("/accounts/register/citizen/", citizen_data())
    client.logout()
    assert client.post("/accounts/password-reset/", {"email": "xm@example.com"}).status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "Another-harbour-7", "new_password2": "Another-harbour-7"})
    assert done.status_code == 302
    assert client.login(username="xiaoming", password="Another-harbour-7")


def test_login_with_a_wrong_password_says_so(client):
    factories.citizen(username="zhang")
    response = client.post("/accounts/login/", {"username": "zhang", "password": "nope"})
    assert response.status_code == 200
    assert "The user name or the password is wrong." in response.content.decode()
    assert client.post("/accounts/login/", {"username": "zhang", "password": "pw"}).status_code == 302
