"""The in-app message centre: a user sees and marks only their own messages; counts and list
pages cost a constant number of queries."""

import pytest
from rest_framework.test import APIClient

from approvals.notifications import services
from approvals.notifications.models import Notification
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/notifications/"


def _messages(user, n, *, start=0):
    for i in range(start, start + n):
        services.notify(
            [user.pk],
            "case_approved",
            {"case_no": f"C{i:04d}", "item_name": "食品经营许可"},
            dedup_key=f"c{i}",
            channels=["in_app"],
        )
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("pk", flat=True))


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_anonymous_callers_are_refused():
    assert APIClient().get(URL).status_code in (401, 403)
    assert APIClient().get(URL + "unread-count/").status_code in (401, 403)


def test_lists_only_the_callers_own_in_app_messages_newest_first(django_capture_on_commit_callbacks):
    me, other = f.citizen(email="me@example.com"), f.citizen()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            [me.pk],
            "case_accepted",
            {"case_no": "C1", "item_name": "甲", "decision_due": "2026-03-05"},
            dedup_key="a",
        )
    _messages(me, 2, start=10)
    _messages(other, 3, start=20)
    body = _client(me).get(URL).json()
    assert body["count"] == 3  # the email and SMS copies are not in the message centre
    assert body["results"][0]["subject"].endswith("C0011")
    assert {r["id"] for r in body["results"]} == set(
        Notification.objects.filter(recipient=me, channel="in_app").values_list("pk", flat=True)
    )


def test_read_marks_and_unread_counts():
    me = f.citizen()
    ids = _messages(me, 3)
    client = _client(me)
    assert client.get(URL + "unread-count/").json() == {"unread": 3}

    response = client.post(f"{URL}{ids[0]}/read/")
    assert response.status_code == 200 and response.json()["is_read"] is True
    first_read_at = response.json()["read_at"]
    assert client.post(f"{URL}{ids[0]}/read/").json()["read_at"] == first_read_at  # idempotent

    assert client.get(URL + "unread-count/").json() == {"unread": 2}
    assert [r["id"] for r in client.get(URL + "?unread=true").json()["results"]] == [ids[2], ids[1]]
    assert [r["id"] for r in client.get(URL + "?unread=false").json()["results"]] == [ids[0]]
    assert client.get(URL + "?unread=maybe").status_code == 400


def test_another_users_message_is_not_found():
    me, other = f.citizen(), f.citizen()
    [theirs] = _messages(other, 1)
    client = _client(me)
    assert client.post(f"{URL}{theirs}/read/").status_code == 404
    assert client.get(f"{URL}{theirs}/").status_code == 404
    assert Notification.objects.get(pk=theirs).read_at is None


def test_list_and_count_cost_constant_queries(django_assert_num_queries):
    me = f.citizen()
    _messages(me, 2)
    client = _client(me)
    with django_assert_num_queries(2):  # count + page
        assert client.get(URL).json()["count"] == 2
    _messages(me, 15, start=100)
    with django_assert_num_queries(2):
        assert len(client.get(URL).json()["results"]) == 17
    with django_assert_num_queries(1):
        assert client.get(URL + "unread-count/").json() == {"unread": 17}
