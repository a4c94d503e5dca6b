"""``export_report``: formats, parts, file names, and the atomic write when something fails."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from export_support import form_tables
from openpyxl import load_workbook

from perfeval_desktop.errors import ExportError, TemplateError
from perfeval_desktop.export import (
    FORMATS,
    export_report,
    plan_export,
    report_title,
    safe_filename,
)
from perfeval_desktop.model.report import Report
from perfeval_desktop.templates.loader import Template, load_template

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "samples" / (
    "gd_yuancheng_medical_aid_2021.pfe"
)
PROJECT = "医疗救助补助资金"
REPORT_STEM = f"{PROJECT}-支出绩效自评总结报告"  # 报告名 from the manifest's report_title
FORM_STEM = f"{PROJECT}-项目支出绩效自评表"


@pytest.fixture
def report() -> Report:
    return Report.model_validate_json(SAMPLE.read_text("utf-8"))


@pytest.fixture
def template() -> Template:
    return load_template("mof_self_eval_gd")


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    for table in form_tables(doc):
        for row in table.rows:
            texts.extend(cell.text for cell in row.cells)
    return "\n".join(texts)


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".~")]


# ---- formats and names -------------------------------------------------------------------


def test_default_formats_write_the_report_docx_and_the_forms_xlsx(
    report: Report, template: Template, tmp_path: Path
) -> None:
    paths = export_report(report, template, tmp_path)
    assert [p.name for p in paths] == [f"{REPORT_STEM}.docx", f"{FORM_STEM}.xlsx"]
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)
    wb = load_workbook(paths[1])
    assert wb.sheetnames == ["项目支出绩效自评表"]  # one sheet per 附件 part
    assert wb.active is not None
    text = docx_text(paths[0])
    for value in ("项目支出绩效自评表", "1155.5", "701.23", PROJECT):
        assert value in text, value
    assert leftovers(tmp_path) == []


def test_formats_are_the_three(report: Report, template: Template, tmp_path: Path) -> None:
    assert list(FORMATS) == ["docx", "xlsx", "pdf"]
    with pytest.raises(ExportError) as info:
        export_report(report, template, tmp_path, formats=("xlsx", "odt"))
    assert "odt" in info.value.message and "docx" in info.value.message
    with pytest.raises(ExportError, match="不支持的导出格式"):
        export_report(report, template, tmp_path, formats=())
    assert list(tmp_path.iterdir()) == []  # nothing written before the check


def test_report_name_follows_the_typed_title(report: Report, template: Template,
                                             tmp_path: Path) -> None:
    report.meta.report_title = "源城区医疗救助补助资金2021年度绩效自评报告"
    assert report_title(report, template.manifest) == report.meta.report_title
    (docx,) = export_report(report, template, tmp_path, formats=("docx",))
    assert docx.name == f"{PROJECT}-源城区医疗救助补助资金2021年度绩效自评报告.docx"


def test_names_are_safe_for_windows(report: Report, template: Template, tmp_path: Path) -> None:
    report.project.name = '医疗救助/补助:资金*2021?"<>|. '
    paths = export_report(report, template, tmp_path, formats=("docx", "xlsx"))
    for p in paths:
        assert not set('\\/:*?"<>|') & set(p.name), p.name
        assert p.parent == tmp_path and p.is_file()
    assert paths[1].name == "医疗救助_补助_资金_2021_____.-项目支出绩效自评表.xlsx"
    report.project.name = ""
    (xlsx,) = export_report(report, template, tmp_path, formats=("xlsx",))
    assert xlsx.name == "未命名项目-项目支出绩效自评表.xlsx"
    assert safe_filename("CON") == "_CON" and safe_filename("a. . ") == "a"
    assert safe_filename("") == "未命名"


# ---- parts -------------------------------------------------------------------------------


def test_parts_select_the_report_and_the_forms(report: Report, template: Template,
                                               tmp_path: Path) -> None:
    plan = plan_export(report, template)
    assert plan.include_report and [p.key for p in plan.available] == ["附件1"]

    forms_only = tmp_path / "forms"
    forms_only.mkdir()
    paths = export_report(report, template, forms_only, formats=("docx", "xlsx"),
                          parts=["附件1"])
    assert [p.name for p in paths] == [f"{FORM_STEM}.docx", f"{FORM_STEM}.xlsx"]
    assert "项目支出绩效自评表" in docx_text(paths[0])

    body_only = tmp_path / "body"
    body_only.mkdir()
    paths = export_report(report, template, body_only, formats=("docx", "xlsx"),
                          parts=["report"])
    assert [p.name for p in paths] == [f"{REPORT_STEM}.docx"]  # xlsx holds 附件 only

    both = tmp_path / "both"
    both.mkdir()
    paths = export_report(report, template, both, formats=("docx", "xlsx"),
                          parts=[" 附件1 ", "report", "附件1"])
    assert [p.name for p in paths] == [f"{REPORT_STEM}.docx", f"{FORM_STEM}.xlsx"]


def test_unknown_part_lists_the_available_ones(report: Report, template: Template,
                                               tmp_path: Path) -> None:
    with pytest.raises(ExportError) as info:
        export_report(report, template, tmp_path, parts=["report", "附件9"])
    msg = info.value.message
    assert "附件9" in msg and "附件1" in msg and "项目支出绩效自评表" in msg and "report" in msg
    with pytest.raises(ExportError, match="可选"):
        export_report(report, template, tmp_path, parts=[])
    assert list(tmp_path.iterdir()) == []


def test_the_report_alone_has_no_xlsx(report: Report, template: Template, tmp_path: Path) -> None:
    with pytest.raises(ExportError) as info:
        export_report(report, template, tmp_path, formats=("xlsx",), parts=["report"])
    assert "xlsx" in info.value.message and "附件" in info.value.message


def test_several_forms_share_one_workbook(tmp_path: Path) -> None:
    """A family with three 附件 (宿州): one workbook named 附件, one sheet per part, in
    order; one part alone is named after it."""
    sz = Report.model_validate_json((SAMPLE.parent / "sz_fund_supervision_2022.pfe")
                                    .read_text("utf-8"))
    template = load_template("mof_outline_eval_sz")
    project = sz.project.name
    (xlsx,) = export_report(sz, template, tmp_path, formats=("xlsx",))
    assert xlsx.name == f"{project}-附件.xlsx"
    assert load_workbook(xlsx).sheetnames == ["绩效目标完成清单", "问题清单", "评分情况表"]
    (one,) = export_report(sz, template, tmp_path, formats=("xlsx",), parts=["附件2"])
    assert one.name == f"{project}-问题清单.xlsx"
    assert load_workbook(one).sheetnames == ["问题清单"]


def test_a_forms_xlsx_without_the_forms_sheet_says_so(report: Report, template: Template,
                                                      tmp_path: Path) -> None:
    """A 第三方 manifest over a folder whose forms.xlsx draws only the 自评表: the message
    names the file and the missing sheet, and nothing is written."""
    manifest = template.manifest.model_copy(update={"family": "third_party", "forms": None})
    with pytest.raises(TemplateError) as info:
        export_report(report, Template(manifest, template.folder), tmp_path)
    msg = info.value.message
    assert "forms.xlsx" in msg and str(template.folder) in msg
    assert "“项目整体得分情况表”" in msg and "表1" in msg
    assert list(tmp_path.iterdir()) == []


# ---- failures: the old file is kept, no temp file is left ---------------------------------


def test_locked_target_keeps_the_old_file(report: Report, template: Template, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / f"{REPORT_STEM}.docx"
    target.write_bytes(b"old")

    def locked(src: Any, dst: Any) -> None:
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr("perfeval_desktop.export.os.replace", locked)
    with pytest.raises(ExportError) as info:
        export_report(report, template, tmp_path, formats=("docx",))
    msg = info.value.message
    assert target.name in msg and "WPS" in msg and "关闭" in msg and "重试" in msg
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def patch_xlsx_writers(monkeypatch: pytest.MonkeyPatch, fake: Any) -> None:
    """Replace the XLSX writer (the forms filled from forms.xlsx) by ``fake(path)``."""
    def call(*args: Any, **kwargs: Any) -> None:
        fake(next(a for a in args if isinstance(a, Path)))

    monkeypatch.setattr("perfeval_desktop.export.write_filled_xlsx", call)


def test_full_disk(report: Report, template: Template, tmp_path: Path,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / f"{FORM_STEM}.xlsx"
    target.write_bytes(b"old")

    def full(path: Path) -> None:
        path.write_bytes(b"half")
        raise OSError(errno.ENOSPC, "No space left on device")

    patch_xlsx_writers(monkeypatch, full)
    with pytest.raises(ExportError) as info:
        export_report(report, template, tmp_path, formats=("xlsx",))
    assert "磁盘空间不足" in info.value.message and target.name in info.value.message
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_a_library_failure_names_the_file(report: Report, template: Template, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: Path) -> None:
        raise ValueError("bad cell")

    patch_xlsx_writers(monkeypatch, broken)
    with pytest.raises(ExportError) as info:
        export_report(report, template, tmp_path, formats=("xlsx",))
    assert f"{FORM_STEM}.xlsx" in info.value.message and "bad cell" in info.value.message
    assert list(tmp_path.iterdir()) == []


def test_missing_or_read_only_folder(report: Report, template: Template, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "不存在"
    with pytest.raises(ExportError) as info:
        export_report(report, template, missing)
    assert "不存在" in info.value.message and "重新选择" in info.value.message

    def denied(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("perfeval_desktop.export.tempfile.mkstemp", denied)
    with pytest.raises(ExportError) as info:
        export_report(report, template, tmp_path, formats=("xlsx",))
    assert "写入权限" in info.value.message and str(tmp_path) in info.value.message


def test_second_file_failing_keeps_the_first(report: Report, template: Template,
                                             tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Each file is its own atomic write: a failure in the xlsx leaves the docx written."""
    def locked(path: Path) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    patch_xlsx_writers(monkeypatch, locked)
    with pytest.raises(ExportError, match="WPS"):
        export_report(report, template, tmp_path, formats=("docx", "xlsx"))
    assert [p.name for p in tmp_path.iterdir()] == [f"{REPORT_STEM}.docx"]
