"""``--self-test``: the smoke test of an installed (or frozen) program, one line per check.

It loads every template, then for every bundled sample report: loads it, scores and
validates it, saves and reloads a copy, exports it to every format the exporter supports
and reopens each file (python-docx, openpyxl, the PDF header).  Everything it writes goes
under ``basedir`` (user data as with ``--basedir``, exports in ``basedir/self-test-output``);
it makes no network call.  Exit code 0 only if every check passed (skips do not fail).

A template family whose exporter is not written yet (``ExportError`` “暂不能导出”) is
reported as skipped, and so is PDF when neither LibreOffice nor another PDF route exists.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import APP_NAME, __version__, paths
from .errors import ExportError, PerfevalError
from .model.text import WORD_JOINER

if TYPE_CHECKING:
    from .model.report import Report
    from .templates.loader import Template

OUTPUT_FOLDER = "self-test-output"
NOT_YET = "暂不能导出"


class CheckFailed(Exception):
    """A reopened file is empty or lacks what it should show."""


def _expect(condition: object, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


@dataclass
class Outcome:
    passed: int = 0
    skipped: int = 0
    failed: list[str] = field(default_factory=list)


class _Checker:
    def __init__(self, out: TextIO | None) -> None:
        self.out = out
        self.outcome = Outcome()

    def line(self, text: str) -> None:
        if self.out is not None:
            self.out.write(text + "\n")
            self.out.flush()

    def ok(self, what: str) -> None:
        self.outcome.passed += 1
        self.line(f"通过  {what}")

    def skip(self, what: str) -> None:
        self.outcome.skipped += 1
        self.line(f"跳过  {what}")

    def fail(self, what: str, exc: BaseException | None = None) -> None:
        detail = ""
        if isinstance(exc, PerfevalError):
            detail = f"：{exc.message}"
        elif isinstance(exc, CheckFailed):
            detail = f"：{exc}"
        elif exc is not None:
            detail = f"：{type(exc).__name__}: {exc}"
        self.outcome.failed.append(what)
        self.line(f"失败  {what}{detail}")
        if exc is not None and not isinstance(exc, PerfevalError | CheckFailed):
            self.line("".join(traceback.format_exception(exc)).rstrip())


def soffice() -> str | None:
    """LibreOffice as the PDF exporter finds it (None: PDF is printed by Qt)."""
    try:
        from .printing.libreoffice import find_soffice
    except ImportError:
        return shutil.which("soffice") or shutil.which("libreoffice")
    return find_soffice()


def pdf_available() -> bool:
    """Whether this machine can write PDF: the exporter's own answer when it has one, else
    LibreOffice on PATH or Qt (the exporter's fallback) importable."""
    from . import export

    probe: Callable[[], bool] | None = getattr(export, "pdf_available", None)
    if probe is not None:
        return bool(probe())
    return soffice() is not None or importlib.util.find_spec("PySide6") is not None


def export_formats() -> tuple[list[str], list[str]]:
    """(formats to check, formats skipped here) of the exporter's ``FORMATS``."""
    from .export import FORMATS

    checked = [f for f in FORMATS if f != "pdf"]
    skipped: list[str] = []
    if "pdf" in FORMATS:
        (checked if pdf_available() else skipped).append("pdf")
    return checked, skipped


@contextlib.contextmanager
def private_temp(folder: Path) -> Iterator[Path]:
    """Temporary files (ours, LibreOffice's) go to ``folder`` while the self-test runs."""
    folder.mkdir(parents=True, exist_ok=True)
    saved_env = {k: os.environ.get(k) for k in ("TMPDIR", "TEMP", "TMP")}
    saved_dir = tempfile.tempdir
    tempfile.tempdir = str(folder)
    os.environ.update({k: str(folder) for k in saved_env})
    try:
        yield folder
    finally:
        tempfile.tempdir = saved_dir
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def reopen(path: Path) -> tuple[str, str]:
    """Open an exported file with the library a clerk's office program stands for; return
    a short description and the text it holds ("" for PDF); raise :class:`CheckFailed`
    when it is empty or not that kind of file."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        texts = [p.text for p in document.paragraphs]
        for table in document.tables:
            texts.extend(cell.text for row in table.rows for cell in row.cells)
        joined = "\n".join(texts).replace(WORD_JOINER, "")  # layout only: a reader sees none
        _expect(joined.strip(), "文档没有文字")
        return f"{len(document.tables)} 个表格", joined
    if suffix == ".xlsx":
        import openpyxl

        workbook = openpyxl.load_workbook(str(path))
        try:
            values = [
                str(cell.value)
                for sheet in workbook.worksheets
                for row in sheet.iter_rows()
                for cell in row
                if cell.value is not None
            ]
            names = list(workbook.sheetnames)
        finally:
            workbook.close()
        _expect(values, "工作簿没有内容")
        return f"工作表 {'、'.join(names)}", "\n".join(values)
    if suffix == ".pdf":
        data = path.read_bytes()
        _expect(data.startswith(b"%PDF-"), "不是 PDF 文件")
        _expect(len(data) > 1000, "PDF 文件过小")
        return f"{len(data) // 1024} KB", ""
    raise CheckFailed(f"不认识的文件类型 {suffix}")


def _check_sample(check: _Checker, sample: Path, out_dir: Path, formats: list[str]) -> None:
    from .export import export_report
    from .scoring.engine import compute
    from .scoring.rounding import plain
    from .scoring.validator import validate
    from .storage.pfe import dumps, load, save
    from .templates.loader import load_template

    name = sample.name
    try:
        report = load(sample)
        template = load_template(report.meta.template_id)
    except Exception as exc:
        check.fail(f"{name} 载入", exc)
        return
    check.ok(f"{name} 载入（模板 {template.id}）")
    try:
        sheet = compute(report, template.manifest.rules)
        findings = validate(report, template.manifest, sheet)
    except Exception as exc:
        check.fail(f"{name} 计分与校验", exc)
        return
    check.ok(f"{name} 计分与校验：总分 {plain(sheet.total)}/{plain(sheet.total_weight)}，"
             f"等次 {sheet.grade}，校验问题 {len(findings)} 个")
    copy = out_dir / f"{sample.stem}-副本.pfe"
    try:
        save(report, copy)
        _expect(dumps(load(copy)) == dumps(report), "重新载入后内容不一致")
    except Exception as exc:
        check.fail(f"{name} 保存并重新载入", exc)
    else:
        check.ok(f"{name} 保存并重新载入")
    texts: list[str] = []
    for fmt in formats:
        label = fmt
        if fmt == "pdf":
            label = "pdf（LibreOffice）" if soffice() else "pdf（Qt 排版）"
        what = f"{name} 导出 {label}"
        written = _attempt(check, what,
                           partial(export_report, report, template, out_dir, formats=(fmt,)))
        for path in written or []:
            texts.append(_check_reopen(check, f"{what} 并重新打开 {path.name}", path))
    if "pdf" in formats and soffice():
        what = f"{name} 导出 pdf（Qt 排版）"
        target = out_dir / f"{sample.stem}-Qt排版.pdf"
        if _attempt(check, what, lambda: _qt_pdf(report, template, target)) is not None:
            _check_reopen(check, f"{what} 并重新打开 {target.name}", target)
    project = report.project.name.strip()
    if project and any(texts):
        what = f"{name} 导出的 Word/Excel 文件中有项目名称“{project}”"
        if any(project in text for text in texts):
            check.ok(what)
        else:
            check.fail(what)


def _attempt(check: _Checker, what: str, export: Callable[[], list[Path]]) -> list[Path] | None:
    """Run one export; None when it failed or was skipped (a family not exported yet)."""
    try:
        return export()
    except ExportError as exc:
        if NOT_YET in exc.message:
            check.skip(f"{what}：{exc.message}")
        else:
            check.fail(what, exc)
    except Exception as exc:
        check.fail(what, exc)
    return None


def _check_reopen(check: _Checker, what: str, path: Path) -> str:
    """Reopen ``path`` as a check; the text it holds ("" when it failed or is a PDF)."""
    try:
        described, text = reopen(path)
    except Exception as exc:
        check.fail(what, exc)
        return ""
    check.ok(f"{what}（{described}）")
    return text


def _qt_pdf(report: Report, template: Template, target: Path) -> list[Path]:
    """PDF through the Qt route even where LibreOffice exists: the one clerks without
    LibreOffice get."""
    from .export import plan_export, write_plan_pdf
    from .printing import engine_named

    write_plan_pdf(plan_export(report, template, None), target, engine=engine_named("qt"))
    return [target]


def run_self_test(basedir: Path, out: TextIO | None = None) -> int:
    """Run every check with user data under ``basedir``; print one line per check to
    ``out`` (default stdout); return 0 if all passed, 1 otherwise.

    Sets ``--basedir`` for this process (``paths.set_basedir``)."""
    from .templates.loader import scan

    check = _Checker(out if out is not None else sys.stdout)
    basedir = Path(basedir)
    basedir.mkdir(parents=True, exist_ok=True)
    paths.set_basedir(basedir)
    out_dir = basedir / OUTPUT_FOLDER
    out_dir.mkdir(parents=True, exist_ok=True)
    check.line(f"{APP_NAME} {__version__} 自检")
    check.line(f"程序文件：{paths.bundle_root()}")
    check.line(f"用户数据：{paths.data_dir()}；导出到：{out_dir}")

    try:
        templates, broken = scan()
    except Exception as exc:
        check.fail("载入模板", exc)
        templates, broken = {}, []
    for tid, template in sorted(templates.items()):
        check.ok(f"模板 {tid}（{template.manifest.name}）")
    for bad in broken:
        check.fail(f"载入模板 {bad.id}：{bad.message}")
    if not templates:
        check.fail("没有找到任何模板")

    samples = sorted(paths.samples_dir().glob("*.pfe"))
    if not samples:
        check.fail(f"没有找到样例报告（{paths.samples_dir()}）")
    try:
        formats, unavailable = export_formats()
    except Exception as exc:
        check.fail("载入导出模块", exc)
        formats, unavailable = [], []
    for fmt in unavailable:
        check.skip(f"导出 {fmt}：本机既没有 LibreOffice，也不能用 Qt 排版")
    with private_temp(basedir / "tmp"):
        for sample in samples:
            _check_sample(check, sample, out_dir, formats)
        if samples:
            from .selftest_start import check_start_from

            check_start_from(check, samples[0], out_dir)

    result = check.outcome
    check.line(
        f"自检完成：{result.passed} 项通过，{result.skipped} 项跳过，{len(result.failed)} 项失败"
    )
    return 0 if result.passed and not result.failed else 1
