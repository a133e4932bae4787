import pytest

from approvals.notifications import sms


@pytest.fixture(autouse=True)
def locmem_sms(settings):
    settings.SMS_BACKEND = "approvals.notifications.sms.LocmemSmsBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def no_dispatch(monkeypatch):
    """The after-commit dispatch is lost (broker down): rows stay pending for the sweep."""
    monkeypatch.setattr("approvals.notifications.services._dispatch", lambda ids: None)
