"""Settings for ``bench/case_intake.py`` only: the project settings plus the baseline routes.

``ROOT_URLCONF`` points at ``bench.baseline_urls`` (every project URL plus two bare DRF endpoints
that the benchmark compares against). Celery messages go to a filesystem broker in a throwaway
folder (``BENCH_CELERY_DIR``) that no worker consumes: a request pays for queueing its side
effects, as in production, never for running them. Nothing here is used by the application.
"""

import os

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.baseline_urls"
DEBUG = False

_celery_dir = os.environ.get("BENCH_CELERY_DIR")
if _celery_dir and not CELERY_TASK_ALWAYS_EAGER:  # noqa: F405
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": os.path.join(_celery_dir, "queue"),
        "data_folder_out": os.path.join(_celery_dir, "queue"),
        "control_folder": os.path.join(_celery_dir, "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = "file://" + os.path.join(_celery_dir, "results")
    for _sub in ("queue", "control", "results"):
        os.makedirs(os.path.join(_celery_dir, _sub), exist_ok=True)
