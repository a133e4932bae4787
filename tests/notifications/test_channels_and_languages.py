"""Each channel reaches its backend; texts follow the recipient's language; bad input is refused."""

import logging
from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from approvals.notifications import services
from approvals.notifications.models import Notification, NotificationPreference
from approvals.notifications.sms import ConsoleSmsBackend
from tests import factories as f

pytestmark = pytest.mark.django_db

CONTEXT = {"case_no": "3301002026000004", "item_name": "食品经营许可", "decision_due": date(2026, 3, 5)}


def test_email_goes_through_django_mail_and_sms_through_the_configured_backend(
    settings, django_capture_on_commit_callbacks, locmem_sms
):
    settings.DEFAULT_FROM_EMAIL = "noreply@gov.example"
    user = f.citizen(email="applicant@example.com")
    NotificationPreference.objects.create(user=user, language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([user.pk], "case_accepted", CONTEXT, dedup_key="case:4:accepted")
    [email] = mail.outbox
    assert email.to == ["applicant@example.com"] and email.from_email == "noreply@gov.example"
    assert email.subject == "申请已受理：3301002026000004"
    assert "2026年3月5日" in email.body
    [text] = locmem_sms
    assert text.phone == user.phone
    assert "食品经营许可" in text.text and "2026年3月5日" in text.text


def test_chinese_and_english_recipients_each_get_their_language(settings, django_capture_on_commit_callbacks):
    settings.LANGUAGE_CODE = "zh-hans"
    chinese = f.citizen(email="zh@example.com")  # no preference: the platform default
    english = f.citizen(email="en@example.com")
    NotificationPreference.objects.create(user=english, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([chinese.pk, english.pk], "case_accepted", CONTEXT, dedup_key="case:4:accepted")
    by_to = {m.to[0]: m for m in mail.outbox}
    assert by_to["zh@example.com"].subject == "申请已受理：3301002026000004"
    assert "承诺在2026年3月5日前作出决定" in by_to["zh@example.com"].body
    assert by_to["en@example.com"].subject == "Application accepted: 3301002026000004"
    assert "promised by 5 March 2026" in by_to["en@example.com"].body
    in_app = Notification.objects.get(recipient=english, channel="in_app")
    assert (in_app.language, in_app.subject) == ("en", "Application accepted: 3301002026000004")


def test_channels_the_recipient_cannot_or_will_not_receive_are_skipped(
    django_capture_on_commit_callbacks, locmem_sms
):
    no_email = f.citizen()
    sms_off = f.citizen(email="quiet@example.com")
    NotificationPreference.objects.create(user=sms_off, sms_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([no_email.pk, sms_off.pk], "case_approved", CONTEXT, dedup_key="case:4:approved")
    channels = set(Notification.objects.values_list("recipient_id", "channel"))
    assert channels == {
        (no_email.pk, "in_app"),
        (no_email.pk, "sms"),
        (sms_off.pk, "in_app"),
        (sms_off.pk, "email"),
    }
    assert [m.to for m in mail.outbox] == [["quiet@example.com"]]
    assert [m.phone for m in locmem_sms] == [no_email.phone]


def test_console_sms_backend_logs_masked_numbers(caplog):
    with caplog.at_level(logging.INFO, logger="approvals.notifications.sms"):
        ConsoleSmsBackend().send("13812345678", "回电 13987654321")
    assert "138****5678" in caplog.text and "139****4321" in caplog.text
    assert "13812345678" not in caplog.text and "13987654321" not in caplog.text


@pytest.mark.parametrize(
    ("event", "context", "field"),
    [
        ("no_such_event", CONTEXT, "event"),
        ("case_accepted", {"case_no": "X", "item_name": "Y"}, "context"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(event, context, field):
    user = f.citizen()
    with pytest.raises(ValidationError) as err:
        services.notify([user.pk], event, context, dedup_key="k")
    assert field in err.value.message_dict
    assert not Notification.objects.exists()


def test_unknown_recipients_are_refused():
    with pytest.raises(ValidationError) as err:
        services.notify([999999], "case_approved", CONTEXT, dedup_key="k")
    assert "recipient_ids" in err.value.message_dict
