"""The Chinese catalogue (zh-hans is the product's default language).

One project-wide catalogue, ``locale/zh_Hans/LC_MESSAGES/django.po``: every entry translated and
none fuzzy, the committed ``.mo`` compiled from that very ``.po``, no msgid of the code missing
from it (``makemessages`` run over a copy of the sources adds nothing), and pages and service
errors come out in Chinese for ``zh-hans`` and in English for ``en``.

To refresh the catalogue (from the repository root)::

    .venv/bin/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var \
        --ignore=test-artifacts --ignore=tests --ignore=bench --no-obsolete
    msgattrib --untranslated locale/zh_Hans/LC_MESSAGES/django.po   # what to translate
    msgattrib --only-fuzzy locale/zh_Hans/LC_MESSAGES/django.po     # what to check, then unflag
    .venv/bin/python manage.py compilemessages -l zh_Hans --ignore=.venv
"""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from accounts.models import OfficerMembership
from approvals.items import services as catalog
from approvals.items.models import ItemVersion
from approvals.models import State
from tests import factories

REPO = Path(settings.BASE_DIR)
PO = REPO / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
#: The directories the documented ``makemessages`` command ignores.
NOT_EXTRACTED = (".venv", "var", "test-artifacts", "tests", "bench")
#: What makemessages reads (domain "django": .html, .txt, .py) plus the catalogue itself.
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".po"}


# A tiny .po reader: enough for the files makemessages and msgmerge write.


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    out, chars = [], iter(text[1:-1])
    for ch in chars:
        out.append(_ESCAPES[next(chars)] if ch == "\\" else ch)
    return "".join(out)


def parse_po(path: Path) -> list[Entry]:
    """Every entry of the file, the header (msgid "") included, obsolete ones (#~) flagged."""
    entries: list[Entry] = []
    entry, target = Entry(), None

    def flush():
        nonlocal entry, target
        if target is not None:
            entries.append(entry)
        entry, target = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw
        if line.startswith("#~"):
            entry.obsolete = True
            line = line[2:].lstrip()
            if not line or line.startswith("#"):
                continue
        if not line.strip():
            flush()
            continue
        if line.startswith("#,"):
            entry.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
        elif line.startswith("#"):
            if target is not None:  # a comment after msgstr opens the next entry
                flush()
        elif line.startswith("msgctxt "):
            entry.msgctxt, target = _unquote(line[8:]), "msgctxt"
            entry.line = entry.line or number
        elif line.startswith("msgid_plural "):
            entry.msgid_plural, target = _unquote(line[13:]), "msgid_plural"
        elif line.startswith("msgid "):
            if target is not None and target.startswith("msgstr"):
                flush()
            entry.msgid, target = _unquote(line[6:]), "msgid"
            entry.line = entry.line or number
        elif line.startswith("msgstr["):
            index = int(line[7 : line.index("]")])
            entry.msgstr[index], target = _unquote(line[line.index("]") + 1 :]), f"msgstr{index}"
        elif line.startswith("msgstr "):
            entry.msgstr[0], target = _unquote(line[7:]), "msgstr0"
        elif line.startswith('"'):
            value = _unquote(line)
            if target.startswith("msgstr"):
                entry.msgstr[int(target[6:])] += value
            else:
                setattr(entry, target, getattr(entry, target) + value)
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    flush()
    return entries


def live_entries(path: Path) -> list[Entry]:
    return [e for e in parse_po(path) if not e.obsolete and e.msgid != ""]


def _without_creation_date(catalogue: dict) -> dict:
    """msgfmt leaves the POT-Creation-Date out of the header it compiles."""
    header = "".join(line for line in catalogue.get("", "").splitlines(keepends=True) if not line.startswith("POT-"))
    return {**catalogue, "": header}


def catalogue_of_po(path: Path) -> dict:
    """What msgfmt puts in the .mo, as ``gettext.GNUTranslations`` reads it back."""
    result = {}
    for e in parse_po(path):
        if e.obsolete or ("fuzzy" in e.flags and e.msgid != "") or not e.translated:
            continue
        key = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            result[key] = e.msgstr[0]
        else:
            result.update({(key, i): text for i, text in e.msgstr.items()})
    return _without_creation_date(result)


def catalogue_of_mo(path: Path) -> dict:
    with path.open("rb") as fp:
        return _without_creation_date(dict(gettext.GNUTranslations(fp)._catalog))


def describe(entries: list[Entry]) -> str:
    return "\n".join(f"  line {e.line}: {e.msgid!r}" for e in entries[:40]) + (
        f"\n  … and {len(entries) - 40} more" if len(entries) > 40 else ""
    )


# The catalogue itself.


def test_there_is_one_catalogue_and_every_entry_is_translated():
    entries = live_entries(PO)
    assert len(entries) > 1000, "the project-wide catalogue lost its entries"
    untranslated = [e for e in entries if not e.translated]
    fuzzy = [e for e in entries if "fuzzy" in e.flags]
    assert not untranslated, f"{len(untranslated)} msgids have no Chinese text in {PO.name}:\n{describe(untranslated)}"
    assert not fuzzy, f"{len(fuzzy)} entries are still marked fuzzy (check, then remove the flag):\n{describe(fuzzy)}"
    # Chinese plural forms: one form only.
    header = next(e for e in parse_po(PO) if e.msgid == "")
    assert "Plural-Forms: nplurals=1; plural=0;" in header.msgstr[0]
    assert all(set(e.msgstr) == {0} for e in entries if e.msgid_plural is not None)


def test_no_app_keeps_its_own_catalogue():
    others = []
    for dirpath, dirnames, filenames in os.walk(REPO):
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and d not in ("var", "test-artifacts", "node_modules")]
        others += [Path(dirpath, f) for f in filenames if f.endswith((".po", ".mo"))]
    assert sorted(others) == sorted([PO, MO])


def test_translations_keep_the_placeholders_of_their_msgid():
    """``%(name)s``/``{name}`` placeholders and HTML tags of each msgid reappear in its msgstr
    (msgfmt --check-format checks the printf-style ones of python-format entries only)."""
    import re

    token = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|</?[a-z]+")
    wrong = []
    for e in live_entries(PO):
        for index, text in e.msgstr.items():
            source = e.msgid if index == 0 and e.msgid_plural is None else e.msgid_plural or e.msgid
            if sorted(token.findall(source)) != sorted(token.findall(text)) and not (
                e.msgid_plural is not None and sorted(set(token.findall(source))) == sorted(set(token.findall(text)))
            ):
                wrong.append(e)
    assert not wrong, f"placeholders differ between msgid and msgstr:\n{describe(wrong)}"


def test_committed_mo_is_compiled_from_the_current_po(tmp_path):
    committed = catalogue_of_mo(MO)
    assert committed == catalogue_of_po(PO), (
        "locale/zh_Hans/LC_MESSAGES/django.mo is stale: run "
        "`.venv/bin/python manage.py compilemessages -l zh_Hans --ignore=.venv`"
    )
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt (Debian package gettext, installed by `./run setup`) is needed"
    fresh = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check-format", "-o", str(fresh), str(PO)], check=True, capture_output=True)
    assert catalogue_of_mo(fresh) == committed


def _copy_sources(src: str, names: list[str]) -> set[str]:
    """``shutil.copytree`` filter: what makemessages reads, without the ignored directories."""
    top = Path(src) == REPO
    skipped = set()
    for name in names:
        path = Path(src, name)
        if path.is_dir():
            if name.startswith(".") or name == "__pycache__" or (top and name in NOT_EXTRACTED):
                skipped.add(name)
        elif path.suffix not in SOURCE_SUFFIXES:
            skipped.add(name)
    return skipped


def test_makemessages_finds_no_msgid_the_catalogue_lacks(tmp_path, settings, monkeypatch):
    """The documented makemessages, run over a copy of the sources (about 3 s), leaves the copied
    catalogue complete: no new msgid, no fuzzy guess, and no entry for a msgid the code dropped."""
    src = tmp_path / "src"
    shutil.copytree(REPO, src, ignore=_copy_sources)
    monkeypatch.chdir(src)
    settings.LOCALE_PATHS = [src / "locale"]
    call_command(
        "makemessages", locale=["zh_Hans"], ignore_patterns=list(NOT_EXTRACTED), no_obsolete=True, verbosity=0
    )
    refreshed = src / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    stale = [e for e in live_entries(refreshed) if not e.translated or "fuzzy" in e.flags]
    assert not stale, f"msgids in the code without a checked translation (run makemessages, translate):\n{describe(stale)}"
    assert {e.msgid for e in live_entries(refreshed)} == {e.msgid for e in live_entries(PO)}, (
        "the catalogue lists msgids the code no longer has: run makemessages --no-obsolete"
    )


# End to end: what users see.


def test_model_choices_and_roles_read_in_chinese():
    with translation.override("zh-hans"):
        assert str(ItemVersion.Status.PUBLISHED.label) == "已发布"
        assert str(State.ACCEPTED_WITH_PLEDGE.label) == "容缺受理"
        assert str(State.NOT_ACCEPTED.label) == "不予受理"
        assert str(OfficerMembership.Job.FRONT_DESK.label) == "综合窗口"
        assert str(ItemVersion._meta.get_field("promised_limit_days").verbose_name) == "承诺时限"
    with translation.override("en"):
        assert str(ItemVersion.Status.PUBLISHED.label) == "Published"
        assert str(OfficerMembership.Job.FRONT_DESK.label) == "Front desk"


@pytest.mark.django_db
def test_a_service_error_is_worded_in_the_users_language():
    version = factories.item_version()  # already published
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        catalog.publish(version.pk)
    assert error.value.messages == ["只有草稿版本才能发布。"]
    with translation.override("en"), pytest.raises(ValidationError) as error:
        catalog.publish(version.pk)
    assert error.value.messages == ["Only a draft version can be published."]


@pytest.mark.django_db
def test_portal_pages_follow_the_browser_language(client):
    version = factories.item_version(name="食品经营许可")
    zh = client.get(f"/guide/items/{version.item.code}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert zh.status_code == 200 and zh["Content-Language"] == "zh-hans"
    page = zh.content.decode()
    for words in ("办事指南", "承诺时限", "法定时限", "申请材料", "江城市网上办事大厅"):
        assert words in page, words
    assert "Service guide" not in page
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()
    assert '<html lang="zh-Hans">' in home and "网上政务服务" in home
    en = client.get(f"/guide/items/{version.item.code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Service guide" in en and "Promised time limit" in en and "办事指南" not in en


@pytest.mark.django_db
def test_workbench_pages_follow_the_browser_language(client):
    desk = factories.officer(factories.department(), OfficerMembership.Job.FRONT_DESK)
    client.force_login(desk)
    zh = client.get("/workbench/intake/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert zh.status_code == 200
    page = zh.content.decode()
    for words in ("待受理办件", "暂无待办。", "办件编号", "剩余工作日", "工作人员工作台"):
        assert words in page, words
    en = client.get("/workbench/intake/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Intake queue" in en and "Nothing waiting." in en and "待受理办件" not in en
