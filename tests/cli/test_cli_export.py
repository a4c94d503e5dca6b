"""``perfeval-desktop export FILE -o DIR --format … --parts …`` end to end, every sample."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from export_support import form_tables, read_docx
from openpyxl import load_workbook

from perfeval_desktop.cli import main
from perfeval_desktop.errors import ExportError
from perfeval_desktop.export import plan_export
from perfeval_desktop.printing import libreoffice as pdf
from perfeval_desktop.storage.pfe import load
from perfeval_desktop.templates.loader import load_template

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "resources" / "samples").glob("*.pfe"))
GD = ROOT / "resources" / "samples" / "gd_yuancheng_medical_aid_2021.pfe"


def exportable(sample: Path) -> None:
    """Skip a sample whose family's 附件 builder is not written yet (it says so clearly)."""
    report = load(sample)
    try:
        plan_export(report, load_template(report.meta.template_id))
    except ExportError as exc:
        pytest.skip(f"{sample.name}: this family cannot export yet: {exc.message}")


def exported(out: str) -> list[Path]:
    return [Path(m) for m in re.findall(r"^已导出：(.+)$", out, re.M)]


def docx_text(path: Path) -> str:
    doc = read_docx(path)
    texts = [p.text for p in doc.paragraphs]
    for table in form_tables(doc):
        for row in table.rows:
            texts.extend(c.text for c in row.cells)
    return "\n".join(texts)


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_export_every_sample(sample: Path, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    exportable(sample)
    report = load(sample)
    out = tmp_path / "新建文件夹" / "导出"  # created by the command
    code = main(["export", str(sample), "-o", str(out), "--format", "docx,xlsx"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    files = exported(captured.out)
    assert [f.suffix for f in files] == [".docx", ".xlsx"]
    assert sorted(out.iterdir()) == sorted(files)  # nothing else, no temp file
    name = report.project.name
    assert all(f.name.startswith(f"{name}-") for f in files)
    assert name in docx_text(files[0])
    wb = load_workbook(files[1])
    plan = plan_export(report, load_template(report.meta.template_id))
    assert len(wb.sheetnames) == len(plan.available)  # one sheet per 附件


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_export_every_sample_as_pdf_without_libreoffice(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    exportable(sample)
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    code = main(["export", str(sample), "-o", str(tmp_path), "--format", "pdf"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    (path,) = exported(captured.out)
    assert path.suffix == ".pdf" and path.read_bytes().startswith(b"%PDF-")
    assert "未找到 LibreOffice" in captured.out  # the clerk is told how the PDF was made


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(pdf.find_soffice() is None or shutil.which("pdfinfo") is None,
                    reason="LibreOffice / poppler-utils not installed")
@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_export_every_sample_as_pdf_through_libreoffice(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exportable(sample)
    code = main(["export", str(sample), "-o", str(tmp_path), "--format", "pdf,xlsx",
                 "--parts", "report," + ",".join(
                     p.key for p in plan_export(load(sample), load_template(
                         load(sample).meta.template_id)).available)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    pdf_path = next(f for f in exported(captured.out) if f.suffix == ".pdf")
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf_path)], check=True,
                          capture_output=True, text=True, timeout=60).stdout
    assert "LibreOffice" in info
    sizes = {(round(float(w)), round(float(h))) for w, h in
             re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)}
    assert sizes and sizes <= {(595, 842), (842, 595)}


def test_parts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["export", str(GD), "-o", str(tmp_path / "a"), "--format", "docx,xlsx",
                 "--parts", "附件1"])
    assert code == 0
    assert [f.name for f in exported(capsys.readouterr().out)] == [
        "医疗救助补助资金-项目支出绩效自评表.docx", "医疗救助补助资金-项目支出绩效自评表.xlsx"]
    code = main(["export", str(GD), "-o", str(tmp_path / "b"), "--parts", "report，附件1"])
    assert code == 0  # a full-width comma typed by a Chinese input method works too
    assert [f.name for f in exported(capsys.readouterr().out)] == [
        "医疗救助补助资金-支出绩效自评总结报告.docx", "医疗救助补助资金-项目支出绩效自评表.xlsx"]


def test_unknown_part_exits_2_listing_the_parts(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["export", str(GD), "-o", str(tmp_path), "--parts", "report,附件9"])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert captured.err.startswith("错误：")
    assert "附件9" in captured.err and "附件1（项目支出绩效自评表）" in captured.err
    assert "report（报告正文）" in captured.err
    assert list(tmp_path.iterdir()) == []


def test_unknown_format_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["export", str(GD), "-o", str(tmp_path), "--format", "docx,wps"])
    err = capsys.readouterr().err
    assert code == 2 and "wps" in err and "docx、xlsx、pdf" in err
    assert list(tmp_path.iterdir()) == []


def test_missing_file_and_locked_target_exit_2(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    code = main(["export", str(tmp_path / "没有这个文件.pfe"), "-o", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("错误：") and "没有这个文件.pfe" in err

    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr("perfeval_desktop.export.os.replace", locked)
    code = main(["export", str(GD), "-o", str(tmp_path), "--format", "xlsx"])
    err = capsys.readouterr().err
    assert code == 2 and "WPS" in err and "医疗救助补助资金-项目支出绩效自评表.xlsx" in err


def test_output_folder_that_cannot_be_made(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    code = main(["export", str(GD), "-o", str(blocker / "sub")])
    err = capsys.readouterr().err
    assert code == 2 and "无法创建导出文件夹" in err


def test_the_installed_command(tmp_path: Path) -> None:
    """The real entry point: a fresh process, exit codes and Chinese messages on stderr."""
    base = ["--basedir", str(tmp_path / "base")]
    ok = subprocess.run(
        [sys.executable, "-m", "perfeval_desktop.cli", *base, "export", str(GD),
         "-o", str(tmp_path / "out"), "--format", "xlsx"],
        capture_output=True, text=True, encoding="utf-8", timeout=120, cwd=ROOT,
    )
    assert ok.returncode == 0, ok.stderr
    assert "已导出：" in ok.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "perfeval_desktop.cli", *base, "export", str(GD),
         "-o", str(tmp_path / "out"), "--parts", "附件7"],
        capture_output=True, text=True, encoding="utf-8", timeout=120, cwd=ROOT,
    )
    assert bad.returncode == 2 and "附件7" in bad.stderr and "Traceback" not in bad.stderr
