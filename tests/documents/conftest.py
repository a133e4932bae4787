import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from approvals.documents import services
from tests import factories as f

CASE_NO = "3301002026000123"

# A generic context for every kind; each template takes what it needs.
CONTEXT = {
    "applicant_name": "张*",
    "item_name": "食品经营许可",
    "received_on": date(2026, 3, 2),
    "accepted_on": date(2026, 3, 4),
    "decision_due": date(2026, 3, 31),
    "materials": ["食品经营许可申请书", "营业执照复印件"],
    "pledged_materials": ["健康证明"],
    "pledge_due": date(2026, 3, 20),
    "problems": [{"material": "营业执照复印件", "reason": "复印件不清晰", "expected": "提交清晰复印件一份"}],
    "reasons": "经营场所与污染源距离不符合《食品经营许可审查通则》要求。",
    "competent_organ": "",
    "procedure": "现场核查",
    "expected_days": 10,
    "reason": "需要对经营场所进行现场核查",
    "days": 10,
    "conditions": "按核定的经营项目经营。",
    "holder": "测试餐饮有限公司",
    "scope": "热食类食品制售",
    "valid_from": date(2026, 3, 31),
    "valid_until": date(2031, 3, 30),
    "fields": [{"label": "经营场所", "value": "江城市中山路1号"}],
}


@pytest.fixture
def dept(db):
    return f.department(name="江城市市场监督管理局", short_name="江市监")


@pytest.fixture
def issue(dept):
    def _issue(kind="approval_decision", **kw):
        kw.setdefault("case_no", CASE_NO)
        kw.setdefault("context", CONTEXT)
        kw.setdefault("issued_on", date(2026, 3, 31))
        return services.issue_document(kind, department_id=dept.pk, **kw)

    return _issue


def pdf_text(path: str | Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture(autouse=True)
def _needs_poppler():
    if not shutil.which("pdftotext") or not shutil.which("pdftoppm"):
        pytest.fail("poppler-utils (pdftotext, pdftoppm) is required; ./run setup installs it")
