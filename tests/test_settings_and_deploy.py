import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# Set by the browser-test harness for this test process only (tests/conftest.py); a deployment never has it.
HARNESS_ONLY = {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def test_production_profile_passes_the_deploy_check():
    env = {
        **{k: v for k, v in os.environ.items() if k not in HARNESS_ONLY},
        "DJANGO_SETTINGS_MODULE": "config.settings_production",
        "DJANGO_SECRET_KEY": "k" + "".join(chr(33 + (i * 7) % 90) for i in range(60)),
        "FIELD_ENCRYPTION_KEY": "production-field-key",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_profile_refuses_to_start_without_secrets():
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_KEY"}}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings_production"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
