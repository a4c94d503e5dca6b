"""A GB/T 9704 title (方正小标宋简体) prints in the in-app PDF as LibreOffice prints it: where
no 小标宋 or 华文中宋 is installed, its 汉字 in the bold serif, its digits in the regular Latin
font (perfeval_desktop/printing/title_face.py)."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from pathlib import Path

import pytest

from perfeval_desktop.printing import title_face

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "samples" / (
    "gd_yuancheng_medical_aid_2021.pfe")


@pytest.mark.parametrize(("have", "families", "bold"), [
    # Linux: the project's Debian fonts
    ({"Noto Serif CJK SC", "Noto Sans CJK SC"}, ["Noto Serif CJK SC"], True),
    # Windows with MS Office: 华文中宋 as it is (the DOCX names it as 小标宋's alternative)
    ({"SimSun", "华文中宋", "STZhongsong"}, ["华文中宋", "STZhongsong", "SimSun"], False),
    # Windows without it: SimSun, which has no bold face, emboldened by Qt
    ({"SimSun", "FangSong", "SimHei"}, ["SimSun"], True),
    # the GB/T 9704 face itself
    ({"方正小标宋简体", "SimSun"}, ["方正小标宋简体", "SimSun"], False),
])
def test_the_title_face_where_小标宋_is_missing(have: set[str], families: list[str],
                                              bold: bool) -> None:
    assert title_face.choose(have.__contains__) == (families, bold)


def test_title_fonts_are_told_by_name() -> None:
    assert title_face.is_title("方正小标宋简体") and title_face.is_title("华文中宋")
    assert title_face.is_title("FZXiaoBiaoSong-B05S")
    assert not any(title_face.is_title(n) for n in ("宋体", "仿宋", "黑体", None, ""))


def _fonts_of(pdf: Path, page: int, text: str) -> list[tuple[str, str]]:
    """(character, font name) of the first run of ``text`` (blanks left out) on ``page``."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    doc = pdfium.PdfDocument(str(pdf))
    try:
        tp = doc[page].get_textpage()
        chars = []
        for i in range(tp.count_chars()):
            ch = chr(raw.FPDFText_GetUnicode(tp.raw, i))
            if ch.strip():
                name = ctypes.create_string_buffer(256)
                raw.FPDFText_GetFontInfo(tp.raw, i, name, 256, ctypes.byref(ctypes.c_int()))
                chars.append((ch, name.value.decode()))
        at = "".join(c for c, _f in chars).find(text)
        assert at >= 0, f"{text!r} not on page {page + 1} of {pdf.name}"
        return chars[at:at + len(text)]
    finally:
        doc.close()


@pytest.fixture(scope="module")
def report_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The 广东 report printed in-app, and by LibreOffice where it is installed."""
    from perfeval_desktop.export import plan_export
    from perfeval_desktop.export.report_docx import write_report_docx
    from perfeval_desktop.model.report import Report
    from perfeval_desktop.printing import engine_named
    from perfeval_desktop.printing import libreoffice as lo
    from perfeval_desktop.templates.loader import load_template

    folder = tmp_path_factory.mktemp("title")
    report = Report.model_validate_json(SAMPLE.read_text("utf-8"))
    plan = plan_export(report, load_template(report.meta.template_id))
    docx = folder / "report.docx"
    write_report_docx(plan.report, plan.template, plan.sheet, plan.report_parts, docx)
    engines = ["qt"] + (["libreoffice"] if lo.find_soffice() else [])
    out = {}
    for name in engines:
        out[name] = folder / f"{name}.pdf"
        engine_named(name).print_docx(docx, out[name])
    return out


def test_titles_print_in_the_bold_serif_as_libreoffice_prints_them(
        report_pdfs: dict[str, Path]) -> None:
    """Page 1 (封面) and page 2 (正文's title) of the 广东 report, on this Linux (Noto Serif
    CJK SC, no 小标宋): the title's 汉字 in Noto Serif CJK Bold, its year in the regular
    Latin font, the lines under it in the regular serif, in both engines."""
    if title_face.faces()[0][0] != "Noto Serif CJK SC":
        pytest.skip("needs fonts-noto-cjk and no 小标宋 / 华文中宋 installed")
    for name, pdf in report_pdfs.items():
        cover = _fonts_of(pdf, 0, "源城区2022年财政支出")
        assert all("Bold" in f for c, f in cover if not c.isdigit()), (name, cover)
        assert all("Bold" not in f and "Liberation" in f for c, f in cover if c.isdigit())
        assert all("Serif" in f and "Bold" not in f for _c, f in _fonts_of(pdf, 0, "项目名称"))
        title = _fonts_of(pdf, 1, "医疗救助补助资金支出绩效自评总结报告")
        assert all("SerifCJK" in f and "Bold" in f for _c, f in title), (name, title)
    if shutil.which("pdffonts"):  # as pdffonts lists it
        fonts = subprocess.run(["pdffonts", str(report_pdfs["qt"])], check=True,
                               capture_output=True, text=True, timeout=60).stdout
        assert "NotoSerifCJKsc-Bold" in fonts and "NotoSerifCJKsc-Regular" in fonts


def test_a_heavy_face_prints_at_its_own_weight(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where 华文中宋 is installed the title asks for it, not emboldened."""
    from docx import Document

    from perfeval_desktop.printing.docx_read import Styles
    from perfeval_desktop.printing.layout import _qt_app

    _qt_app()  # the fonts installed are Qt's to tell
    monkeypatch.setattr(title_face, "_faces", lambda: (("华文中宋", "SimSun"), False))
    doc = Document()
    p = doc.add_paragraph("财政支出绩效自评报告")
    p.runs[0].font.name = "Times New Roman"
    p.runs[0]._element.rPr.rFonts.set(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", "方正小标宋简体")
    styles = Styles(doc)
    font = styles.font(p._element, p.runs[0]._element)
    assert font.asian().families[:2] == ["华文中宋", "SimSun"] and not font.asian().bold
    monkeypatch.setattr(title_face, "_faces", lambda: (("SimSun",), True))
    font = styles.font(p._element, p.runs[0]._element)
    assert font.asian().families == ["SimSun"] and font.asian().bold
    assert not font.bold  # the Latin part: "2022" stays regular
