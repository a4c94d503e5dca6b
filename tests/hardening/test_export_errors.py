"""Issue #13 §3/§4: every export error is a Chinese message; control characters never reach
Word or Excel; template formulas reaching outside the file are refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook

from perfeval_desktop import export as export_pkg
from perfeval_desktop.cli import main
from perfeval_desktop.errors import ExportError, TemplateError
from perfeval_desktop.export import export_report
from perfeval_desktop.export.template_safety import outside_link
from perfeval_desktop.export.xlsx_template import fill_sheet
from perfeval_desktop.model.report import Report
from perfeval_desktop.scoring.findings import Level
from perfeval_desktop.storage import pfe
from perfeval_desktop.templates.loader import load_template
from perfeval_desktop.workspace import Workspace
from perfeval_desktop.workspace.operations import SetField

ROOT = Path(__file__).resolve().parents[2]
GD = ROOT / "resources" / "samples" / "gd_yuancheng_medical_aid_2021.pfe"


def _sheet(text: Any) -> Any:
    ws = Workbook().active
    assert ws is not None
    ws.title = "表"
    ws["A1"] = text
    return ws


@pytest.mark.parametrize(("text", "word"), [
    ("{{ '{1}'.format(项目名称) }}", "单元格 A1"),  # IndexError inside str.format
    ("{{ 项[3:1][0] }}", "单元格 A1"),
    ("x {% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "单元格 A1"),  # RecursionError
])
def test_expression_errors_name_the_cell(text: str, word: str) -> None:
    with pytest.raises(TemplateError) as info:
        fill_sheet(_sheet(text), {"项目名称": "甲", "项": [1, 2]}, "t.xlsx")
    assert word in info.value.message and "t.xlsx" in info.value.message


@pytest.mark.parametrize(("formula", "word"), [
    ("=cmd|'/c calc'!A1", "DDE"),
    ("=WEBSERVICE(\"http://example.com/x\")", "WEBSERVICE"),
    ("=HYPERLINK(\"http://example.com\",\"x\")", "HYPERLINK"),
    ("=[1]Sheet1!A1", "外部引用"),
    ("='C:\\x\\[a.xlsx]S'!A1", "外部引用"),
    ('="abc', "无法识别"),  # openpyxl's TokenizerError
])
def test_template_formulas_reaching_out_or_broken_are_refused(formula: str, word: str) -> None:
    with pytest.raises(TemplateError) as info:
        fill_sheet(_sheet(formula), {}, "t.xlsx")
    assert word in info.value.message and "单元格 A1" in info.value.message


@pytest.mark.parametrize("formula", ["=SUM(A1:A3)", "=IF(A1>0,\"a|b [c]!\",\"\")", "=A1*2"])
def test_own_formulas_pass(formula: str) -> None:
    assert outside_link(formula) is None


def _with_controls(tmp_path: Path) -> Path:
    data = json.loads(GD.read_text("utf-8"))
    data["project"]["name"] = "医疗\u0007救助\u0000资金\u202e"
    key = next(iter(data["sections"]))
    data["sections"][key] = "第一段\u000b第二段\u0008\ud800"
    data["indicators"][0]["name"] = "产出指标\u001f"
    path = tmp_path / "ctl.pfe"
    path.write_text(json.dumps(data, ensure_ascii=True), "utf-8")
    return path


def test_control_characters_are_removed_on_load_and_named(tmp_path: Path) -> None:
    loaded = pfe.read(_with_controls(tmp_path))
    report = loaded.report
    assert report.project.name == "医疗救助资金"
    assert "第一段\n第二段" in report.sections[next(iter(report.sections))]
    assert report.indicators[0].name == "产出指标"
    (note,) = loaded.notes
    assert "控制字符" in note and "项目名称" in note and "指标名称" in note
    assert pfe.read(GD).notes == []


def test_export_after_control_characters_in_every_format(tmp_path: Path) -> None:
    report = pfe.load(_with_controls(tmp_path))
    out = tmp_path / "out"
    out.mkdir()
    written = export_report(report, load_template(report.meta.template_id), out,
                            formats=("docx", "xlsx"))
    docx = next(p for p in written if p.suffix == ".docx")
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "第一段" in text and "\x07" not in text and "\x08" not in text
    book = load_workbook(next(p for p in written if p.suffix == ".xlsx"))
    cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert any("医疗救助资金" in c for c in cells)


def test_typed_and_pasted_control_characters_are_removed() -> None:
    ws = Workspace.open(GD)
    ws.execute(SetField("project.name", "甲\x07乙\x0b丙\t丁"))
    assert ws.report.project.name == "甲乙\n丙\t丁"
    pfe.dumps(ws.report).encode("utf-8")  # savable


def test_the_fill_stage_is_inside_the_error_handling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: Any) -> Any:
        raise KeyError("sheet")

    monkeypatch.setattr(export_pkg, "fill_form_templates", broken)
    report: Report = pfe.load(GD)
    with pytest.raises(ExportError) as info:
        export_report(report, load_template(report.meta.template_id), tmp_path)
    assert "填写表格模板时出错" in info.value.message
    assert list(tmp_path.iterdir()) == []


def test_cli_never_prints_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from perfeval_desktop import cli

    def bug(*_args: Any) -> Any:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cli, "compute", bug)
    assert cli.main(["check", str(GD)]) == 3
    err = capsys.readouterr().err
    assert err.startswith("错误：程序内部出错") and "Traceback" not in err


def test_control_characters_in_a_file_are_a_finding_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """§4: removed on load, and a check names each field the file had them in (C005),
    until the report is saved."""
    path = _with_controls(tmp_path)
    ws = Workspace.open(path)
    c005 = {f.path: f.message for f in ws.findings if f.code == "C005"}
    section = next(iter(ws.report.sections))
    assert set(c005) == {"project.name", f"sections.{section}", "indicators[0].name"}
    assert "项目名称" in c005["project.name"] and "控制字符" in c005["project.name"]
    assert c005["indicators[0].name"].startswith("产出指标：“指标名称”")
    assert all(f.level is Level.HINT for f in ws.findings if f.code == "C005")
    assert main(["check", str(path)]) in (0, 1)  # the CLI lists them too
    assert "C005 project.name：" in capsys.readouterr().out
    ws.save(tmp_path / "saved.pfe")
    assert not [f for f in ws.findings if f.code == "C005"]
    again = Workspace.open(tmp_path / "saved.pfe")
    assert not [f for f in again.findings if f.code == "C005"] and again.load_notes == []
    assert not [f for f in Workspace.open(GD).findings if f.code == "C005"]


def test_a_raw_control_character_in_a_file_is_removed_not_refused(tmp_path: Path) -> None:
    """Another program's edit may put a control character into the file unescaped."""
    text = GD.read_text("utf-8")
    name = json.loads(text)["project"]["name"]
    path = tmp_path / "raw.pfe"
    path.write_text(text.replace(f'"{name}"', f'"{name[:2]}\x07\x1b{name[2:]}"', 1), "utf-8")
    loaded = pfe.read(path)
    assert loaded.report.project.name == name
    assert loaded.report.cleaned_on_load == [("project.name", "project.name（项目名称）")]
    assert path.read_text("utf-8").count("\x07") == 1  # the file itself is untouched


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_cli_export_of_a_file_with_control_characters_in_one_format(
    tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """What failed: \\x07, \\x0b, \\x00 in report text raised openpyxl's IllegalCharacterError,
    even for ``--format docx``."""
    path = _with_controls(tmp_path)
    before = path.read_bytes()
    out = tmp_path / "out"
    out.mkdir()
    assert main(["export", str(path), "-o", str(out), "--format", fmt]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "IllegalCharacter" not in captured.err
    (written,) = [p for p in out.iterdir() if p.suffix == f".{fmt}"]
    if fmt == "docx":
        text = "\n".join(p.text for p in Document(str(written)).paragraphs)
        assert "第一段" in text and "\x07" not in text and "\x00" not in text
    else:
        book = load_workbook(written)
        cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row]
        assert any("医疗救助资金" in c for c in cells)
    assert path.read_bytes() == before
