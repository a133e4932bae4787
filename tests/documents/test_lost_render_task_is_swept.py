"""A document whose render task was lost gets its PDF from the periodic sweep: documents still
without a PDF some minutes after issue are queued again (once per sweep interval, never twice by
two sweeps, never while a worker is rendering them), and rendering stays idempotent."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from approvals.documents import services, tasks
from approvals.documents.models import OfficialDocument


def lost(issue, minutes_ago: int, **kw) -> OfficialDocument:
    """A document issued ``minutes_ago`` whose render task never ran."""
    doc = issue(render=False, queue=False, **kw)
    OfficialDocument.objects.filter(pk=doc.pk).update(created_at=timezone.now() - timedelta(minutes=minutes_ago))
    return doc


def refreshed(doc) -> OfficialDocument:
    doc.refresh_from_db()
    return doc


@pytest.mark.django_db
def test_stale_unrendered_documents_are_rendered_by_the_sweep(issue, settings, django_capture_on_commit_callbacks):
    settings.DOCUMENTS_RENDER_STALE_MINUTES = 10
    old_a = lost(issue, 30, dedup_key="a")
    old_b = lost(issue, 11, dedup_key="b", kind="licence")
    fresh = lost(issue, 2, dedup_key="c")  # its task may still be on the way
    rendered = issue(dedup_key="d")
    OfficialDocument.objects.filter(pk=rendered.pk).update(created_at=timezone.now() - timedelta(hours=1))
    stored = (rendered.pdf.name, rendered.sha256)

    with django_capture_on_commit_callbacks(execute=True):  # the sweep queues after its commit
        assert tasks.render_stale_documents() == 2  # Celery is eager in tests: the re-queued tasks ran
    for doc in (old_a, old_b):
        doc = refreshed(doc)
        assert len(doc.sha256) == 64 and doc.pdf.read(5) == b"%PDF-"
        assert services.verify(doc.verification_code).genuine
    assert refreshed(fresh).sha256 == "" and refreshed(fresh).render_queued_at is None
    assert (refreshed(rendered).pdf.name, refreshed(rendered).sha256) == stored  # never rendered twice
    assert tasks.render_stale_documents() == 0


@pytest.mark.django_db
def test_a_requeued_document_is_not_queued_again_until_it_is_stale_again(
    issue, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.DOCUMENTS_RENDER_STALE_MINUTES = 10
    doc = lost(issue, 30)
    queued: list[int] = []
    monkeypatch.setattr(tasks.render_document, "delay", queued.append)  # the re-queued task is lost too

    with django_capture_on_commit_callbacks(execute=True):  # the sweep queues after its commit
        assert services.queue_stale_renders() == [doc.pk]
    assert queued == [doc.pk] and refreshed(doc).render_queued_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert services.queue_stale_renders() == []  # queued a moment ago: left to that task
    assert queued == [doc.pk]
    OfficialDocument.objects.filter(pk=doc.pk).update(render_queued_at=timezone.now() - timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.queue_stale_renders() == [doc.pk]
    assert queued == [doc.pk, doc.pk]


@pytest.mark.django_db
def test_the_sweep_is_registered_with_celery_beat():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task=tasks.render_stale_documents.name)
    assert task.enabled and task.interval.every == 300 and task.interval.period == "seconds"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_document_being_rendered_is_skipped_and_picked_up_later(issue, settings, monkeypatch):
    """A worker rendering a document holds its row lock: the sweep skips it (SKIP LOCKED) rather
    than wait or queue it a second time, and takes it on a later sweep if it is still unrendered."""
    settings.DOCUMENTS_RENDER_STALE_MINUTES = 10
    busy, idle = lost(issue, 30, dedup_key="busy"), lost(issue, 30, dedup_key="idle")
    queued: list[int] = []
    monkeypatch.setattr(tasks.render_document, "delay", queued.append)
    locked, release = threading.Event(), threading.Event()

    def worker():
        try:
            with transaction.atomic():
                OfficialDocument.objects.select_for_update().get(pk=busy.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    assert locked.wait(10)
    try:
        assert services.queue_stale_renders() == [idle.pk]
    finally:
        release.set()
        thread.join()
    assert queued == [idle.pk]
    assert services.queue_stale_renders() == [busy.pk]
    assert queued == [idle.pk, busy.pk]
