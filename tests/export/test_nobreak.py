"""No line break inside a number with its unit (export/nobreak.py): a WORD JOINER wherever
a line breaker could break inside “9.21万元”, “2022年”, “〔2008〕9号”, and the DOCX written
with them, each glued number in a run of its own language; text read back without them."""

from __future__ import annotations

import shutil
import subprocess
from itertools import pairwise
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from perfeval_desktop.export.nobreak import GLUED_LANGUAGE, glue, glue_document
from perfeval_desktop.model.text import WORD_JOINER, clean_text

J = WORD_JOINER


def shown(text: str) -> str:
    return text.replace(J, "^")


@pytest.mark.parametrize(("typed", "glued"), [
    ("资金合计926.47万元，其中", "资金合计926.47^万^元，其中"),
    ("1,155.5万元", "1,155.5^万^元"),
    ("1，155.5万元", "1^，^155.5^万^元"),  # a full-width separator breaks like 汉字
    ("１２３万元", "１^２^３^万^元"),  # full-width digits too
    ("28 133.5 元", "28 ^133.5 ^元"),  # spaces as the clerk types them
    ("９．２１万元", "９^．^２^１^万^元"),
    ("60.7%", "60.7%"),  # no line breaker splits a number from its %
    ("60.7％", "60.7^％"),
    ("执行率60.7 %", "执行率60.7 ^%"),
    ("（攀医保〔2008〕9号）", "（攀医保〔2008〕9^号）"),
    ("2024年度", "2024^年度"),  # the year, not the 度 after it
    ("2021年3月18日上线", "2021^年3^月18^日上线"),
    ("住院救助6512人次，", "住院救助6512^人^次，"),
    ("宣传资料10万余份，曝光量达20万，", "宣传资料10^万^余^份，曝光量达20^万，"),
    ("下降3个百分点", "下降3^个百分点"),
    ("得分94分", "得分94^分"),
    ("共3家村卫生室", "共3^家村卫生室"),
    ("0.53亿元", "0.53^亿^元"),
])
def test_a_number_keeps_its_unit(typed: str, glued: str) -> None:
    assert shown(glue(typed)) == glued
    assert glue(glue(typed)) == glue(typed)  # never a second joiner
    assert glue(typed).replace(J, "") == typed


@pytest.mark.parametrize("text", [
    "3.分析评价：", "1．资金计划及到位。", "2.绩效指标", "完成。2022", "第一项", "1、加强管理",
    "一、基本情况", "v2.0版",
])
def test_what_is_no_number_with_a_unit_is_left_alone(text: str) -> None:
    assert glue(text) == text


def _docx(tmp_path: Path, *runs: str) -> Path:
    doc = Document()
    p = doc.add_paragraph()
    for text in runs:
        p.add_run(text).bold = text.startswith("粗")
    cell = doc.add_table(rows=1, cols=1).cell(0, 0)
    cell.paragraphs[0].add_run("完成23分")
    glue_document(doc)
    path = tmp_path / "glued.docx"
    doc.save(str(path))
    return path


def test_the_docx_carries_joiners_in_a_run_of_their_own(tmp_path: Path) -> None:
    path = _docx(tmp_path, "支付使用资金9.21万", "元，", "粗体2022年")
    doc = Document(str(path))
    p = doc.paragraphs[0]
    assert p.text == f"支付使用资金9.21{J}万{J}元，粗体2022{J}年"
    glued = [r for r in p.runs if r._r.find(f"{qn('w:rPr')}/{qn('w:lang')}") is not None]
    assert [r.text for r in glued] == [f"9.21{J}万", f"{J}元", f"2022{J}年"]
    for r in glued:
        assert r._r.find(f"{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:eastAsia")) == GLUED_LANGUAGE
    assert glued[2].bold  # a split run keeps its format
    assert [r.text for r in p.runs if r.bold] == ["粗体", f"2022{J}年"]
    assert doc.tables[0].cell(0, 0).text == f"完成23{J}分"
    # read back, as a clerk's paste or a test reads it, the text is what was typed
    assert clean_text(p.text) == "支付使用资金9.21万元，粗体2022年"


def test_a_docx_glued_twice_keeps_one_joiner(tmp_path: Path) -> None:
    path = _docx(tmp_path, "资金9.21万元")
    doc = Document(str(path))
    glue_document(doc)
    assert doc.paragraphs[0].text == f"资金9.21{J}万{J}元"


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler-utils needed")
@pytest.mark.parametrize("engine", ["libreoffice", "qt"])
def test_both_engines_keep_the_number_whole_and_print_no_joiner(
        engine: str, tmp_path: Path) -> None:
    """“9.21万元，” swept over a line's end in Chinese text (LibreOffice's CJK breaking
    ignores the joiner; the run's language is what brings it to its ICU rules): never
    broken inside, and the PDF's text reads “9.21万元”."""
    from docx.shared import Pt

    from perfeval_desktop.export.paper import chinese_language
    from perfeval_desktop.printing import engine_named

    doc = Document()
    chinese_language(doc)
    doc.styles["Normal"].font.size = Pt(16)
    for k in range(20, 34):
        doc.add_paragraph("测" * k + "9.21万元，" + "测" * 30)
    glue_document(doc)
    source, target = tmp_path / "in.docx", tmp_path / "out.pdf"
    doc.save(str(source))
    engine_named(engine).print_docx(source, target)
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], check=True,
                          capture_output=True, text=True, timeout=60).stdout
    assert J not in text and "\u200b" not in text and "\ufffd" not in text
    assert text.count("9.21万元") == 14
    rows = [r.strip() for r in text.splitlines() if r.strip()]
    assert not [(a, b) for a, b in pairwise(rows)
                if a[-1:] in "0123456789.万" and b[:1] in "0123456789.万元"]


def test_an_exported_report_keeps_its_figures_with_their_units(tmp_path: Path) -> None:
    """The 四川 sample's report, reopened: each figure of its 正文 with its unit glued
    (“9.21万元”, “〔2008〕9号”, “2022年”), in runs of the glued language; the text, the
    joiners dropped, is the narrative as typed."""
    from perfeval_desktop.export import export_report
    from perfeval_desktop.model.report import Report
    from perfeval_desktop.templates.loader import load_template

    samples = Path(__file__).resolve().parents[2] / "resources" / "samples"
    sample = samples / "sc_panzhihua_supervision_2022.pfe"
    report = Report.model_validate_json(sample.read_text("utf-8"))
    (path,) = export_report(report, load_template(report.meta.template_id), tmp_path,
                            formats=("docx",))
    doc = Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    for glued in (f"9.21{J}万{J}元", f"〔2008〕9{J}号", f"2022{J}年", f"12{J}月31{J}日"):
        assert glued in text
    assert "9.21万元" not in text
    langs = {r._r.find(f"{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:eastAsia"))
             for p in doc.paragraphs for r in p.runs if J in r.text}
    assert langs == {GLUED_LANGUAGE}
    typed = "".join(report.sections.values())
    assert "9.21万元" in typed and "9.21万元" in clean_text(text)


def test_text_typed_or_loaded_drops_the_joiner() -> None:
    """A joiner pasted back from the DOCX, or saved in a .pfe, is dropped (clean_text on
    typing, paste and load), so export → copy → paste → export never grows joiners."""
    from perfeval_desktop.model.text import clean_tree, may_hold_control

    assert clean_text(f"资金9.21{J}万{J}元") == "资金9.21万元"
    assert may_hold_control('{"a": "9.21\\u2060万元"}') and may_hold_control(f'"9.21{J}万元"')
    data = {"sections": {"a": f"2022{J}年"}}
    assert clean_tree(data) == [("sections", "a")] and data["sections"]["a"] == "2022年"
    assert glue(clean_text(glue("资金9.21万元"))) == glue("资金9.21万元")


def test_a_headings_last_item_is_glued_whole() -> None:
    """“…评价方法、评价标准等” broke as “…评价标准|等” in both engines (宿州 p. 6)."""
    from perfeval_desktop.export.nobreak import heading_tail

    text = "（二）绩效评价原则、评价指标体系、评价方法、评价标准等"
    ((start, end, joins),) = heading_tail(text)
    assert text[start:end] == "评价标准等" and joins == list(range(start + 1, end))
    assert heading_tail("一、项目基本情况") == []  # the number's 、 is no item
    assert heading_tail("（一）评价工作开展情况") == []
    assert heading_tail("（三）存在的问题、原因及建议措施等内容说明") == []  # too long a tail
