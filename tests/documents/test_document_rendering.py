"""Every kind of document renders to a PDF whose text carries the title, number, case number and
verification code, with Chinese drawn in real glyphs."""

import subprocess

import pytest
from PIL import Image

from approvals.documents.models import OfficialDocument

from .conftest import CASE_NO, pdf_text

pytestmark = pytest.mark.django_db


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("kind", OfficialDocument.Kind.values)
def test_each_kind_renders_its_header_and_verification_block(issue, kind):
    doc = issue(kind)
    assert doc.pdf.read(5) == b"%PDF-"
    text = _flat(pdf_text(doc.pdf.path))
    assert OfficialDocument.Kind(kind).label in text
    assert "江城市市场监督管理局" in text
    assert doc.number in text
    assert f"办件编号：{CASE_NO}" in text
    assert f"验证码：{doc.verification_code}" in text
    assert f"/verify/{doc.verification_code}/" in text
    assert "2026年3月31日" in text


def test_chinese_is_set_in_embedded_noto_cjk_fonts(issue):
    fonts = subprocess.run(["pdffonts", issue().pdf.path], check=True, capture_output=True, text=True).stdout
    names = fonts.replace("-", "")
    assert "NotoSansCJKSC" in names and "NotoSerifCJKSCBold" in names


def test_refusals_state_reasons_and_the_rights_of_appeal(issue):
    for kind in ("refusal_decision", "not_accepted_notice"):
        text = _flat(pdf_text(issue(kind).pdf.path))
        assert "经营场所与污染源距离不符合" in text
        assert "60日内" in text and "申请行政复议" in text
        assert "6个月内" in text and "提起行政诉讼" in text


def test_the_correction_notice_lists_every_problem(issue):
    text = _flat(pdf_text(issue("correction_notice").pdf.path))
    assert "营业执照复印件" in text and "复印件不清晰" in text and "提交清晰复印件一份" in text


def test_the_rendered_page_is_not_blank(issue, tmp_path):
    doc = issue("approval_decision")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", doc.pdf.path, str(tmp_path / "page")],
        check=True,
    )
    [png] = tmp_path.glob("page*.png")
    image = Image.open(png).convert("L")
    width, height = image.size
    assert abs(width - 496) <= 1 and abs(height - 702) <= 1  # A4 at 60 dpi
    title_area = image.crop((0, int(height * 0.20), width, int(height * 0.30)))  # title and number
    dark = sum(1 for value in title_area.tobytes() if value < 100)  # mode "L": one byte per pixel
    assert dark > 500  # the title and number are inked, not empty boxes or white
    red = Image.open(png).convert("RGB").crop((0, 0, width, int(height * 0.15)))
    rgb = red.tobytes()  # mode "RGB": three bytes per pixel
    pixels = zip(rgb[0::3], rgb[1::3], rgb[2::3], strict=True)
    assert any(r > 150 and g < 80 and b < 80 for r, g, b in pixels)  # the red organ header
