"""Exporting a report: the 正文 with its 附件 as DOCX, the 附件 forms as XLSX, and PDF.

``export_report`` computes the ScoreSheet, fills the template family's 附件 parts
(:mod:`.forms`) from the sheets of its ``forms.xlsx`` (:mod:`.templated`), and writes the
chosen formats:

- ``docx``: the whole report — cover, sections, then each part as an 附件 —
  (:mod:`.report_docx`, from the template's ``report.docx``); without the 正文 (``parts``
  lists 附件 only) the forms alone (:mod:`.docx`);
- ``xlsx``: one workbook, one sheet per selected 附件 part (nothing when only the 正文 is
  selected);
- ``pdf``: for direct printing (:func:`write_plan_pdf`, :mod:`..printing`): the DOCX (the
  report's, or the forms' alone) converted by LibreOffice, or laid out in-app where
  LibreOffice is missing; the print preview shows this same PDF.

Files are named ``{项目名称}-{报告名}.docx`` / ``{项目名称}-{表名}.xlsx`` (``附件`` when
several forms share one file), made safe for Windows.  Each is written to a temp file in
the target folder and moved into place, so a failed export never leaves half a file behind
nor damages the previous one.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ExportError, PerfevalError
from ..filenames import safe_stem
from ..model.report import Report
from ..scoring.engine import ScoreSheet, compute
from ..templates.families import family_name
from ..templates.loader import Template
from ..templates.manifest import Manifest
from ..templates.vocabulary.header import report_title
from .docx import write_docx
from .forms import FormPart, family_parts
from .grid import Grid
from .guard import guarded
from .report_docx import is_inline, write_report_docx
from .templated import fill_form_templates, write_filled_xlsx

if TYPE_CHECKING:  # printing (LibreOffice's runner, subprocess…) is imported for a PDF only
    from ..printing import PrintEngine, StopAsked

__all__ = [
    "FORMATS",
    "REPORT_PART",
    "ExportPlan",
    "FormPart",
    "Grid",
    "export_report",
    "plan_export",
    "report_title",
    "safe_filename",
    "write_plan_pdf",
]

log = logging.getLogger(__name__)

FORMATS: dict[str, str] = {
    "docx": "Word 文档（报告正文及附件）",
    "xlsx": "Excel 工作簿（附件表格）",
    "pdf": "PDF（直接打印）",
}
_KINDS = {".docx": " Word 文档", ".xlsx": " Excel 表格", ".pdf": " PDF"}  # progress steps
REPORT_PART = "report"  # the 正文 in ``parts`` / ``--parts``
REPORT_ALIASES = {"report", "正文", "报告"}


def safe_filename(name: str) -> str:
    """A file name Windows accepts, within 255 bytes with its extension (filenames.py)."""
    return safe_stem(name)


def project_name(report: Report) -> str:
    return report.project.name.strip() or "未命名项目"


def report_name(report: Report, manifest: Manifest) -> str:
    """The 报告名 of the file name: the title without a leading project name."""
    title = report_title(report, manifest)
    name = report.project.name.strip()
    if name and title.startswith(name) and len(title) > len(name):
        title = title[len(name):].lstrip("-—_ ")
    return title or "绩效自评报告"


# ---- what is exported --------------------------------------------------------------------


@dataclass
class ExportPlan:
    """The report, its ScoreSheet and the parts chosen for export."""

    report: Report
    template: Template
    sheet: ScoreSheet
    available: list[FormPart]
    include_report: bool
    parts: list[FormPart]  # the selected 附件, in the template's order
    filled: bytes  # forms.xlsx filled (each part is one of its sheets)

    @property
    def project(self) -> str:
        return project_name(self.report)

    @property
    def report_stem(self) -> str:
        return safe_filename(f"{self.project}-{report_name(self.report, self.template.manifest)}")

    @property
    def forms_stem(self) -> str:
        name = self.parts[0].title if len(self.parts) == 1 else "附件"
        return safe_filename(f"{self.project}-{name}")

    @property
    def grids(self) -> list[tuple[str, Grid]]:
        return [(part.title, part.grid) for part in self.parts]

    @property
    def report_parts(self) -> list[FormPart]:
        """What goes with the 正文: the selected 附件, and the tables printed inside the 正文
        (part keys not starting with 附件) whether or not they were selected."""
        keys = {p.key for p in self.parts}
        return [p for p in self.available if p.key in keys or is_inline(p)]


def _build_parts(report: Report, template: Template,
                 sheet: ScoreSheet) -> tuple[list[FormPart], bytes]:
    """The family's 附件, filled from the template's ``forms.xlsx``."""
    manifest = template.manifest
    parts = family_parts(report, manifest)
    if parts is None:
        family = family_name(manifest)
        raise ExportError(f"模板“{manifest.name}”属于“{family}”，这类表格暂不能导出。")
    return fill_form_templates(parts, report, template, sheet)


def _describe(available: list[FormPart]) -> str:
    names = [f"{REPORT_PART}（报告正文）"] + [f"{p.key}（{p.title}）" for p in available]
    return "、".join(names)


def plan_export(report: Report, template: Template,
                parts: Sequence[str] | None = None) -> ExportPlan:
    """Compute the sheet, build the 附件 parts and select ``parts`` (None: everything).

    An unknown part key raises :class:`ExportError` listing the available ones.
    """
    manifest = template.manifest
    sheet = compute(report, manifest.rules)
    available, filled = guarded("填写表格模板", lambda: _build_parts(report, template, sheet))
    if parts is None:
        return ExportPlan(report, template, sheet, available, True, list(available), filled)
    wanted = [p.strip() for p in parts if p.strip()]
    if not wanted:
        raise ExportError(f"没有选择要导出的部分。可选：{_describe(available)}")
    by_key = {p.key: p for p in available}
    unknown = [k for k in wanted if k not in by_key and k.lower() not in REPORT_ALIASES]
    if unknown:
        raise ExportError(
            f"“{manifest.name}”没有“{'”“'.join(unknown)}”这一部分。"
            f"可选：{_describe(available)}（用逗号分隔，如 --parts report,附件1）。"
        )
    include_report = any(k.lower() in REPORT_ALIASES for k in wanted)
    selected = [p for p in available if p.key in wanted]
    return ExportPlan(report, template, sheet, available, include_report, selected, filled)


# ---- writers -----------------------------------------------------------------------------


def _write_report(plan: ExportPlan, path: Path) -> None:
    """The DOCX of the 正文 (report.docx rendered) with the selected parts as its 附件."""
    parts = plan.report_parts
    for warning in write_report_docx(plan.report, plan.template, plan.sheet, parts, path):
        log.warning("%s: %s", path.name, warning)


def write_plan_pdf(plan: ExportPlan, target: Path, engine: PrintEngine | None = None,
                   stop: StopAsked | None = None) -> str:
    """The PDF of ``plan``, made once from its DOCX (the report's with its parts, or the
    forms alone) by the printing engine chosen at start (``engine`` forces one; ``stop``
    is 取消).  Returns the engine's name.  The export and the print preview both print
    this PDF."""
    from ..printing import write_pdf

    if plan.include_report:
        return write_pdf(target, lambda p: _write_report(plan, p),
                         report_title(plan.report, plan.template.manifest), engine, stop)
    return write_pdf(target, lambda p: write_docx(plan.grids, p), plan.forms_stem, engine,
                     stop)


def _write_forms_xlsx(plan: ExportPlan, path: Path) -> None:
    """The 附件 forms as one workbook: the sheets filled from the template's ``forms.xlsx``
    as they are."""
    write_filled_xlsx(plan.filled, plan.parts, path)


def folder_failure(folder: Path, exc: OSError) -> ExportError:
    """The clerk's message when no file can be made in ``folder``."""
    if isinstance(exc, FileNotFoundError):
        return ExportError(f"导出文件夹“{folder}”不存在，请重新选择。")
    return ExportError(
        f"无法在文件夹“{folder}”中写入文件（{exc.strerror or exc}）。"
        "请选择有写入权限的文件夹后重试。"
    )


def write_failure(target: Path, exc: OSError) -> ExportError:
    """The clerk's message when ``target`` cannot be written or put in place."""
    if isinstance(exc, PermissionError):
        return ExportError(
            f"无法写入文件“{target.name}”：文件可能正在 WPS 或 Excel/Word 中打开。"
            "请先在 WPS/Excel 中关闭该文件，然后重试导出。"
        )
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return ExportError(
            f"磁盘空间不足，无法写入文件“{target.name}”。请清理磁盘或换一个文件夹后重试。"
        )
    return ExportError(
        f"写入文件“{target}”失败（{exc.strerror or exc}），请检查磁盘空间和文件夹权限后重试。"
    )


WORK_PREFIX = ".~导出"
"""How the program's unfinished files and folders are named (hidden, Office-like): the
temp file an export is written to and the staging folders of :mod:`.staged`.  Nothing so
named is ever read as a report (:func:`~perfeval_desktop.rollup.find_reports`)."""


def _write_atomic(target: Path, write: Callable[[Path], object]) -> None:
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=WORK_PREFIX, suffix=target.suffix, dir=target.parent)
    except OSError as exc:
        raise folder_failure(target.parent, exc) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        raise write_failure(target, exc) from exc
    except PerfevalError:
        raise
    except Exception as exc:  # a library failing on odd content: say which file, keep going
        log.exception("export of %s", target)
        raise ExportError(
            f"生成文件“{target.name}”时出错：{type(exc).__name__}: {exc}。"
            "请检查报告内容或模板后重试。"
        ) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def export_report(
    report: Report,
    template: Template,
    out_dir: Path,
    formats: Sequence[str] = ("docx", "xlsx"),
    parts: Sequence[str] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    stop: StopAsked | None = None,
) -> list[Path]:
    """Write ``report`` in ``formats`` into ``out_dir``; return the paths written.

    ``parts`` selects ``report`` (the 正文) and 附件 part keys (``附件1`` …); None is
    everything.  Any failure raises :class:`ExportError` (or :class:`TemplateError` for a
    broken template) with a message for the clerk.  ``progress(text, done, total)`` is
    called before each step (the window's progress bar; it may raise to stop there);
    ``stop()`` turning True (取消) also ends a PDF conversion under way.
    """
    wanted = list(dict.fromkeys(f.strip().lower() for f in formats if f.strip()))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        shown = "、".join(unknown) if unknown else "（未选择）"
        raise ExportError(f"不支持的导出格式：{shown}。可选：{'、'.join(FORMATS)}")
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise ExportError(f"导出文件夹“{out_dir}”不存在，请重新选择。")
    step = progress or (lambda _text, _done, _total: None)
    step("计算得分，填写表格", 0, len(wanted) + 1)
    plan = plan_export(report, template, parts)

    jobs: list[tuple[Path, Callable[[Path], object]]] = []
    for fmt in wanted:
        if fmt == "docx":
            if plan.include_report:
                jobs.append((out_dir / f"{plan.report_stem}.docx",
                             lambda p: _write_report(plan, p)))
            elif plan.parts:
                jobs.append((out_dir / f"{plan.forms_stem}.docx",
                             lambda p: write_docx(plan.grids, p)))
        elif fmt == "xlsx":
            if plan.parts:
                jobs.append((out_dir / f"{plan.forms_stem}.xlsx",
                             lambda p: _write_forms_xlsx(plan, p)))
        elif fmt == "pdf":
            stem = plan.report_stem if plan.include_report else plan.forms_stem
            jobs.append((out_dir / f"{stem}.pdf", lambda p: write_plan_pdf(plan, p, stop=stop)))
    if not jobs:
        raise ExportError(
            "所选内容没有可导出的文件：报告正文只能导出为 Word（docx）或 PDF，"
            "Excel（xlsx）只包含附件表格。请增加格式或选择附件。"
        )
    written: list[Path] = []
    for i, (target, write) in enumerate(jobs, 1):
        step(f"写出{_KINDS.get(target.suffix, target.suffix)}", i, len(jobs) + 1)
        _write_atomic(target, write)
        written.append(target)
    return written
