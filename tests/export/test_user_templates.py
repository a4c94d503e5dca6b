"""A template folder in the user's templates folder overrides the built-in one of the same id,
its document files included; a broken one fails with a message naming file and placeholder.

``paths.set_basedir(tmp)`` (the autouse fixture of tests/conftest.py) keeps the user's
templates folder in a temp folder for every test.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document
from export_support import form_tables

from perfeval_desktop import paths
from perfeval_desktop.cli import main
from perfeval_desktop.errors import ExportError, PerfevalError, TemplateError
from perfeval_desktop.export import export_report
from perfeval_desktop.model.report import Report
from perfeval_desktop.templates.loader import discover, load_template

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "samples" / "gd_yuancheng_medical_aid_2021.pfe"
TID = "mof_self_eval_gd"
BUILTIN = ROOT / "templates" / TID
CUSTOM_NAME = "项目支出绩效自评表（本局定制）"
CUSTOM_TEXT = "本报告按本局定制模板生成，供内部审核。"


@pytest.fixture
def report() -> Report:
    return Report.model_validate_json(SAMPLE.read_text("utf-8"))


@pytest.fixture
def user_copy() -> Path:
    """The built-in folder copied into the user's templates folder, renamed in its manifest."""
    folder = paths.user_templates_dir() / TID
    shutil.copytree(BUILTIN, folder)
    manifest = folder / "manifest.yaml"
    text = manifest.read_text("utf-8")
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("name:"):
            lines[i] = f"name: {CUSTOM_NAME}"
        elif line.startswith("report_title:"):
            lines[i] = 'report_title: "{project}绩效自评报告（定制）"'
    manifest.write_text("\n".join(lines) + "\n", "utf-8")
    return folder


def needs_report_docx() -> None:
    if not (BUILTIN / "report.docx").is_file():
        pytest.skip("report.docx templates (write_report_docx) are not there yet")


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    for table in form_tables(doc):
        for row in table.rows:
            texts.extend(c.text for c in row.cells)
    return "\n".join(texts)


def append_paragraph(docx: Path, text: str) -> None:
    doc = Document(str(docx))
    doc.add_paragraph(text)
    doc.save(str(docx))


# ---- the override -------------------------------------------------------------------------


def test_user_folder_overrides_the_builtin(report: Report, user_copy: Path,
                                          tmp_path: Path) -> None:
    templates = discover()
    assert templates[TID].folder == user_copy
    assert templates[TID].manifest.name == CUSTOM_NAME
    template = load_template(TID)
    assert template.folder == user_copy
    paths_ = export_report(report, template, tmp_path, formats=("docx", "xlsx"))
    assert paths_[0].name == "医疗救助补助资金-绩效自评报告（定制）.docx"
    assert paths_[1].name == "医疗救助补助资金-项目支出绩效自评表.xlsx"


def test_a_new_user_template_appears(capsys: pytest.CaptureFixture[str], user_copy: Path) -> None:
    other = paths.user_templates_dir() / "my_bureau"
    shutil.copytree(user_copy, other)
    manifest = other / "manifest.yaml"
    manifest.write_text(
        manifest.read_text("utf-8").replace(f"id: {TID}", "id: my_bureau"), "utf-8")
    assert main(["templates"]) == 0
    out = capsys.readouterr().out
    assert f"my_bureau\t{CUSTOM_NAME}\t{other}" in out
    assert f"{TID}\t{CUSTOM_NAME}\t{user_copy}" in out  # the override, not the built-in


def test_the_user_document_template_is_used(report: Report, user_copy: Path,
                                            tmp_path: Path) -> None:
    needs_report_docx()
    append_paragraph(user_copy / "report.docx", CUSTOM_TEXT)
    (docx,) = export_report(report, load_template(TID), tmp_path, formats=("docx",))
    assert CUSTOM_TEXT in docx_text(docx)
    builtin_out = tmp_path / "builtin"
    builtin_out.mkdir()
    shutil.rmtree(user_copy)  # without the user folder: the built-in document again
    (plain,) = export_report(report, load_template(TID), builtin_out, formats=("docx",))
    assert CUSTOM_TEXT not in docx_text(plain)


# ---- broken templates ------------------------------------------------------------------------


def test_a_broken_user_manifest_names_file_and_line(capsys: pytest.CaptureFixture[str],
                                                    user_copy: Path, tmp_path: Path) -> None:
    manifest = user_copy / "manifest.yaml"
    manifest.write_text(manifest.read_text("utf-8") + "rules: [unclosed\n", "utf-8")
    code = main(["export", str(SAMPLE), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("错误：") and str(manifest) in err and "行" in err
    assert not (tmp_path / "out").exists()  # nothing written, not even the folder


@pytest.mark.parametrize(
    ("placeholder", "named"),
    [("{{ 不存在的占位符 }}", "不存在的占位符"),
     ("{{ ''.__class__.__mro__ }}", "__class__"),
     ("{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}", "__init__")],
    ids=["unknown", "python-internals", "globals"],
)
def test_a_broken_document_template_names_file_and_placeholder(
    report: Report, user_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    placeholder: str, named: str,
) -> None:
    needs_report_docx()
    marker = tmp_path / "ran"
    placeholder = placeholder.replace("MARKER", str(marker))
    append_paragraph(user_copy / "report.docx", f"项目：{placeholder}")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises((TemplateError, ExportError)) as info:
        export_report(report, load_template(TID), out, formats=("docx",))
    assert isinstance(info.value, PerfevalError)
    msg = info.value.message
    assert "report.docx" in msg and named in msg, msg
    assert not marker.exists()  # the template ran no code
    assert list(out.iterdir()) == []  # nothing half-written
    # the same through the command line: exit 2, the message on stderr, no traceback
    code = main(["export", str(SAMPLE), "-o", str(out), "--format", "docx,pdf"])
    err = capsys.readouterr().err
    assert code == 2 and "report.docx" in err and named in err and "Traceback" not in err
    assert list(out.iterdir()) == [] and not marker.exists()
