"""A real worker consumes a real task through the configured broker (filesystem by default,
Redis in CI), proving the Celery wiring works outside eager mode."""

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app


@app.task(name="tests.ping")
def ping(x):
    return x * 2


@pytest.mark.broker
def test_task_runs_on_a_real_worker_through_the_broker(settings):
    app.conf.task_always_eager = False
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=10):
            assert ping.delay(21).get(timeout=30) == 42
    finally:
        app.conf.task_always_eager = True
