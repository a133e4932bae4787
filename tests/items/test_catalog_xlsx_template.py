"""The documented XLSX template is the one the code reads and writes: every sheet and column is in
docs/catalog_template.md, and every choice of the catalog models has a Chinese label in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from approvals.items.xlsx import SHEETS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "catalog_template.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("spec", SHEETS, ids=lambda s: s.key)
def test_every_sheet_and_column_is_documented(spec):
    assert f"### {spec.title} (`{spec.key}`)" in DOC
    for column in spec.columns:
        assert f"| {column.title} | `{column.key}` |" in DOC


@pytest.mark.parametrize("spec", SHEETS, ids=lambda s: s.key)
def test_every_model_choice_has_a_template_label(spec):
    for column in spec.columns:
        if not column.field:
            continue
        model_choices = spec.model._meta.get_field(column.field).choices
        if model_choices:
            assert column.choices, column.key
            codes = {code for code, _label in model_choices if code != ""}
            assert codes == {code for code, _label in column.choices}, column.key
            labels = [label for _code, label in column.choices]
            assert len(set(labels)) == len(labels)
            assert all("," not in label for label in labels)  # drop-down lists are comma-separated
