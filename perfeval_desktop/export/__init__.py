"""Exporting a report's 附件 forms as XLSX / DOCX files.

``export_report`` picks the forms of the template's family, builds a format-neutral
:class:`~.grid.Grid` for each, and writes them with :mod:`.xlsx` / :mod:`.docx`.  Files are
written to a temporary file in the target folder and moved into place, so a failed
export never leaves half a file behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from ..errors import ExportError
from ..model.report import Report
from ..scoring.engine import compute
from ..templates.loader import Template
from ..templates.manifest import Manifest
from .docx import write_docx
from .forms import builders
from .grid import Grid
from .self_eval_table import table_title
from .xlsx import write_xlsx

__all__ = ["FORMATS", "Grid", "export_report", "grids_for", "safe_filename"]

Writer = Callable[[list[tuple[str, Grid]], Path], None]
FORMATS: dict[str, Writer] = {"xlsx": write_xlsx, "docx": write_docx}
FAMILY_NAMES = {
    "mof_self_eval": "项目支出绩效自评表（财政部格式）",
    "yunnan_dept_eval": "区级预算支出部门评价表（云南）",
    "mof_outline_eval": "项目支出绩效评价报告附件（宿州）",
    "sichuan_self_eval": "项目支出绩效自评报告（四川）",
    "third_party": "第三方绩效评价报告",
}


def safe_filename(name: str) -> str:
    """A file name Windows accepts: no \\ / : * ? " < > | or control characters,
    no trailing dots or spaces, not empty."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip().rstrip(". ")
    return cleaned[:150] or "未命名"


def grids_for(report: Report, manifest: Manifest) -> tuple[str, list[tuple[str, Grid]]]:
    """(file stem, [(sheet name, grid)]) of the 附件 forms of ``manifest``'s family."""
    build = builders().get(manifest.family)
    if build is None:
        family = FAMILY_NAMES.get(manifest.family, manifest.family)
        raise ExportError(f"模板“{manifest.name}”属于“{family}”，这类表格暂不能导出。")
    sheet = compute(report, manifest.rules)
    parts = build(report, manifest, sheet)
    if manifest.family == "mof_self_eval":
        stem = table_title(report)
    else:
        name = parts[0].title if len(parts) == 1 else "附件"
        stem = f"{report.project.name or '未命名项目'}-{name}"
    return stem, [(part.title, part.grid) for part in parts]


def _write_atomic(target: Path, write: Callable[[Path], None]) -> None:
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".~导出", suffix=target.suffix, dir=target.parent)
    except OSError as exc:
        raise ExportError(
            f"无法在文件夹“{target.parent}”中写入文件（{exc.strerror or exc}）。"
            "请选择有写入权限的文件夹后重试。"
        ) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, target)
    except PermissionError as exc:
        raise ExportError(
            f"无法写入文件“{target.name}”：文件可能正在 WPS 或 Excel/Word 中打开。"
            "请先在 WPS/Excel 中关闭该文件，然后重试导出。"
        ) from exc
    except OSError as exc:
        raise ExportError(
            f"写入文件“{target}”失败（{exc.strerror or exc}），请检查磁盘空间和文件夹权限后重试。"
        ) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def export_report(
    report: Report,
    template: Template,
    out_dir: Path,
    formats: Sequence[str] = ("xlsx", "docx"),
) -> list[Path]:
    """Write the template family's forms of ``report`` into ``out_dir``; return the paths.

    The files are named ``{项目名称}-项目支出绩效自评表.xlsx`` / ``.docx``.  Any failure
    raises :class:`ExportError` with a message for the clerk.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ExportError(f"不支持的导出格式：{'、'.join(unknown)}（可选 xlsx、docx）")
    stem, grids = grids_for(report, template.manifest)
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise ExportError(f"导出文件夹“{out_dir}”不存在，请重新选择。")
    paths: list[Path] = []
    for fmt in formats:
        target = out_dir / f"{safe_filename(stem)}.{fmt}"
        _write_atomic(target, partial(FORMATS[fmt], grids))
        paths.append(target)
    return paths
