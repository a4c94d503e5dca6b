"""PDF for direct printing: LibreOffice when installed, otherwise rendered by Qt.

With LibreOffice (``soffice``) the DOCX (or, for the 附件 forms alone, the XLSX) is converted
headless, with a private user profile in a temp folder (the clerk's own LibreOffice and its
settings are never touched; macros, update checks and remote links are off), under a
timeout.  LibreOffice embeds (subsets of) every font it prints with.

Without LibreOffice, :func:`qt_pdf` prints the same content — the report's title and
sections, then each form as an HTML table — with ``QTextDocument`` and ``QPdfWriter`` on A4,
portrait for the text and in the grid's orientation for each form; Qt embeds the Chinese
fonts.  Qt is imported inside the functions only: this module belongs to the Qt-free core.
"""

from __future__ import annotations

import atexit
import html
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ExportError
from .grid import Grid, Line

log = logging.getLogger(__name__)

TIMEOUT_S = 180.0  # one conversion; a first start with a fresh profile takes ~10 s
WINDOWS_SOFFICE = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)

# fonts: the GB/T 9704 names first, then what every Windows has, then common Linux CJK fonts
FANGSONG = ["仿宋_GB2312", "仿宋", "FangSong", "Noto Serif CJK SC", "Noto Sans CJK SC"]
SONG = ["宋体", "SimSun", "Noto Serif CJK SC", "Noto Sans CJK SC"]
HEI = ["黑体", "SimHei", "Noto Sans CJK SC"]
KAI = ["楷体_GB2312", "楷体", "KaiTi", "Noto Serif CJK SC", "Noto Sans CJK SC"]
TITLE = ["方正小标宋简体", "方正小标宋_GBK", "华文中宋", "宋体", "SimSun", "Noto Serif CJK SC",
         "Noto Sans CJK SC"]

# page geometry in mm: (top, bottom, left, right)
BODY_MARGINS = (37.0, 35.0, 28.0, 26.0)  # GB/T 9704
FORM_MARGINS = (20.0, 20.0, 25.0, 25.0)  # as the DOCX forms (docx.py)
PAGE_NUMBER_GAP_MM = 7.0
A4_MM = (210.0, 297.0)


# ---- what is printed (Qt fallback) ---------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """A section of the report's 正文: its heading, its level (1 一、 2 （一） 3+ 1.) and text."""

    level: int
    heading: str
    text: str


@dataclass
class PrintContent:
    """Everything the Qt fallback prints, format-neutral: no Qt types."""

    title: str = ""
    lines: list[str] = field(default_factory=list)  # under the title (unit, date …)
    sections: list[Heading] = field(default_factory=list)
    forms: list[Grid] = field(default_factory=list)
    include_body: bool = True


# ---- LibreOffice ---------------------------------------------------------------------------


def find_soffice() -> str | None:
    """The LibreOffice program, or None: ``soffice`` / ``libreoffice`` on PATH, or the
    usual install folders on Windows."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    if sys.platform == "win32":
        for candidate in WINDOWS_SOFFICE:
            if Path(candidate).is_file():
                return candidate
    return None


_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Jobs/Jobs/org.openoffice.Office.Jobs:Job['UpdateCheck']/Arguments"><prop oor:name="AutoCheckEnabled" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""  # noqa: E501

_lock = threading.Lock()  # one conversion at a time: they share the private profile
_profile: Path | None = None


def _profile_dir() -> Path:
    """A private LibreOffice profile for this process, removed when it exits."""
    global _profile
    if _profile is None or not _profile.is_dir():
        _profile = Path(tempfile.mkdtemp(prefix="perfeval-lo-"))
        user = _profile / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_REGISTRY, "utf-8")
        atexit.register(shutil.rmtree, _profile, True)
    return _profile


def _reset_profile() -> None:
    global _profile
    if _profile is not None:
        shutil.rmtree(_profile, ignore_errors=True)
        _profile = None


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """End the converter and what it started (soffice → oosplash → soffice.bin)."""
    try:
        if sys.platform == "win32":
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)],
                           capture_output=True, timeout=30, check=False)
        else:
            os.killpg(proc.pid, signal.SIGKILL)
    except (OSError, subprocess.SubprocessError):
        pass
    proc.kill()
    proc.wait(timeout=30)


def libreoffice_to_pdf(source: Path, target: Path, soffice: str,
                       timeout: float = TIMEOUT_S) -> None:
    """Convert ``source`` (.docx / .xlsx) to the PDF ``target`` with LibreOffice headless."""
    with _lock, tempfile.TemporaryDirectory(prefix="perfeval-pdf-") as tmp:
        outdir = Path(tmp)
        args = [
            soffice, f"-env:UserInstallation={_profile_dir().as_uri()}",
            "--headless", "--invisible", "--nologo", "--nodefault", "--norestore",
            "--nolockcheck", "--convert-to", "pdf", "--outdir", str(outdir), str(source),
        ]
        kwargs: dict[str, Any] = {}
        if sys.platform == "win32":
            kwargs["creationflags"] = subprocess.CREATE_NO_WINDOW  # type: ignore[attr-defined]
        else:
            kwargs["start_new_session"] = True
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        try:
            proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, env=env, **kwargs)
        except OSError as exc:
            raise ExportError(f"无法启动 LibreOffice（{soffice}）：{exc.strerror or exc}") from exc
        try:
            output, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            _reset_profile()  # a killed LibreOffice may leave its profile locked
            raise ExportError(
                f"LibreOffice 在 {int(timeout)} 秒内没有完成 PDF 转换，已停止。"
                "请关闭其他程序后重试，或先导出 Word 文档再手工打印。"
            ) from None
        produced = outdir / (source.stem + ".pdf")
        if proc.returncode != 0 or not produced.is_file() or produced.stat().st_size == 0:
            detail = output.decode("utf-8", "replace").strip()[-300:]
            raise ExportError(
                f"LibreOffice 未能把文件转换为 PDF（退出码 {proc.returncode}）：{detail}"
            )
        shutil.copyfile(produced, target)


# ---- the Qt fallback -----------------------------------------------------------------------


def _fonts(families: list[str]) -> str:
    return ", ".join(f"'{f}'" for f in families)


def _line_html(line: Line, px_per_pt: float) -> str:
    font = HEI if line.role in ("title", "heading") else SONG
    weight = "bold" if line.bold else "normal"
    style = (f"font-family: {_fonts(font)}; font-size: {line.size}pt; font-weight: {weight};")
    parts = line.parts or [""]
    if len(parts) == 1:
        return (f"<p align='{line.align}' style=\"{style} margin-top: 0; margin-bottom: "
                f"{round(4 * px_per_pt)}px;\">{html.escape(parts[0]) or '&nbsp;'}</p>")
    width = 100 // len(parts)
    cells = "".join(f"<td width='{width}%' style=\"{style}\">{html.escape(p)}</td>"
                    for p in parts)
    return f"<table width='100%' cellspacing='0' cellpadding='0'><tr>{cells}</tr></table>"


def grid_html(grid: Grid, px_per_mm: float) -> str:
    """A form as HTML for ``QTextDocument``: title lines, the bordered table, footer lines."""
    px_per_pt = px_per_mm * 25.4 / 72
    out = [_line_html(line, px_per_pt) for line in grid.title_lines]
    total = sum(grid.columns) or 1.0
    anchors = grid.anchors()
    pad_v, pad_h = max(1, round(0.3 * px_per_mm)), max(1, round(0.6 * px_per_mm))
    out.append("<table width='100%' border='1' cellspacing='0' cellpadding='0' "
               "style='border-collapse: collapse; border-color: #000; border-style: solid;'>")
    for r in range(grid.n_rows):
        if r == 0 and grid.repeat_rows:
            out.append("<thead>")
        out.append("<tr>")
        for k in range(grid.n_cols):
            c = anchors.get((r, k))
            if c is None:
                continue
            width = 100 * sum(grid.columns[c.col : c.last_col + 1]) / total
            weight = "bold" if c.bold else "normal"
            text = "<br/>".join(html.escape(t) for t in c.text.split("\n")) or "&nbsp;"
            out.append(
                f"<td rowspan='{c.rowspan}' colspan='{c.colspan}' width='{width:.2f}%' "
                f"align='{c.horizontal}' valign='middle' style=\"padding: {pad_v}px {pad_h}px; "
                f"font-family: {_fonts(SONG)}; "
                f"font-size: {c.size or grid.font_size}pt; font-weight: {weight};\">{text}</td>"
            )
        out.append("</tr>")
        if grid.repeat_rows and r == grid.repeat_rows - 1:
            out.append("</thead>")
    out.append("</table>")
    if grid.footer_lines:
        out.append("<p style='margin: 0; font-size: 6pt;'>&nbsp;</p>")
    out.extend(_line_html(line, px_per_pt) for line in grid.footer_lines)
    return "".join(out)


def body_html(content: PrintContent) -> str:
    """The report's 正文 as HTML: title 2号 小标宋, headings 黑体 / 楷体 / 仿宋, body 3号 仿宋."""
    out = [
        f"<p align='center' style=\"font-family: {_fonts(TITLE)}; font-size: 22pt; "
        f"margin-bottom: 16pt;\">{html.escape(content.title)}</p>"
    ]
    for line in content.lines:
        out.append(f"<p align='center' style=\"font-family: {_fonts(FANGSONG)}; "
                   f"font-size: 16pt;\">{html.escape(line)}</p>")
    for sec in content.sections:
        font = HEI if sec.level == 1 else KAI if sec.level == 2 else FANGSONG
        out.append(f"<p style=\"font-family: {_fonts(font)}; font-size: 16pt; "
                   f"text-indent: 32pt; margin: 0; line-height: 150%;\">"
                   f"{html.escape(sec.heading)}</p>")
        for para in (p.strip() for p in sec.text.split("\n")):
            if para:
                out.append(f"<p style=\"font-family: {_fonts(FANGSONG)}; font-size: 16pt; "
                           f"text-indent: 32pt; margin: 0; line-height: 150%;\">"
                           f"{html.escape(para)}</p>")
    return "".join(out)


def _qt_app() -> Any:
    """The running Qt application, or a new one (offscreen where there is no display)."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else "perfeval-desktop"])
    return app


def _fix_column_widths(doc: Any, grid: Grid) -> None:
    """Give the form's table the grid's column widths (Qt's HTML import takes widths from
    single-column cells only, so merged rows would otherwise squeeze some columns) and
    centre every cell vertically (``valign`` is lost on merged cells)."""
    from PySide6.QtGui import QTextCharFormat, QTextLength, QTextTable

    total = sum(grid.columns) or 1.0
    widths = [QTextLength(QTextLength.Type.PercentageLength, 100 * w / total)
              for w in grid.columns]
    for frame in doc.rootFrame().childFrames():
        if (isinstance(frame, QTextTable) and frame.columns() == grid.n_cols
                and frame.rows() == grid.n_rows):
            fmt = frame.format()
            fmt.setColumnWidthConstraints(widths)
            frame.setFormat(fmt)
            for c in grid.cells:  # merged cells centred vertically, as on the form
                cell = frame.cellAt(c.row, c.col)
                cell_fmt = cell.format()
                cell_fmt.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignMiddle)
                cell.setFormat(cell_fmt)


def qt_pdf(content: PrintContent, target: Path) -> None:
    """Print ``content`` to the PDF ``target`` with Qt: A4, fonts embedded, ``— N —``."""
    _qt_app()
    from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
    from PySide6.QtGui import (
        QFont,
        QPageLayout,
        QPageSize,
        QPainter,
        QPdfWriter,
        QTextDocument,
    )

    from .. import APP_NAME

    resolution = 300
    px_per_mm = resolution / 25.4
    blocks: list[tuple[bool, tuple[float, float, float, float], str, Grid | None]] = []
    if content.include_body:
        blocks.append((False, BODY_MARGINS, body_html(content), None))
    for grid in content.forms:
        blocks.append((grid.orientation == "landscape", FORM_MARGINS, grid_html(grid, px_per_mm),
                       grid))
    if not blocks:
        raise ExportError("没有可打印的内容：请至少选择报告正文或一个附件。")

    writer = QPdfWriter(str(target))
    writer.setResolution(resolution)
    writer.setTitle(content.title)
    writer.setCreator(APP_NAME)

    def layout(landscape: bool) -> Any:
        orient = QPageLayout.Orientation.Landscape if landscape else (
            QPageLayout.Orientation.Portrait)
        return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orient, QMarginsF(0, 0, 0, 0),
                           QPageLayout.Unit.Millimeter)

    writer.setPageLayout(layout(blocks[0][0]))
    painter = QPainter()
    if not painter.begin(writer):
        raise ExportError(f"无法写入 PDF 文件“{target.name}”，请检查文件夹权限后重试。")
    number_font = QFont()
    number_font.setFamilies(SONG)
    number_font.setPointSizeF(14)
    page_no = 0
    try:
        for i, (landscape, (top, bottom, left, right), markup, form) in enumerate(blocks):
            if i:
                writer.setPageLayout(layout(landscape))
            page_w, page_h = (A4_MM[1], A4_MM[0]) if landscape else A4_MM
            width = (page_w - left - right) * px_per_mm
            height = (page_h - top - bottom) * px_per_mm
            doc = QTextDocument()
            doc.documentLayout().setPaintDevice(writer)
            doc.setDocumentMargin(0)
            doc.setHtml(markup)
            if form is not None:
                _fix_column_widths(doc, form)
            doc.setPageSize(QSizeF(width, height))
            for p in range(doc.pageCount()):
                if page_no:
                    writer.newPage()
                page_no += 1
                painter.save()
                painter.translate(QPointF(left * px_per_mm, top * px_per_mm - p * height))
                doc.drawContents(painter, QRectF(0, p * height, width, height))
                painter.restore()
                # — N —: right on odd pages, left on even pages, 7 mm below the type area
                painter.setFont(number_font)
                y = (top * px_per_mm + height + PAGE_NUMBER_GAP_MM * px_per_mm)
                box = QRectF(left * px_per_mm, y, width, 10 * px_per_mm)
                align = Qt.AlignmentFlag.AlignRight if page_no % 2 else (
                    Qt.AlignmentFlag.AlignLeft)
                painter.drawText(box, align | Qt.AlignmentFlag.AlignTop, f"— {page_no} —")
    finally:
        painter.end()


# ---- one entry point -----------------------------------------------------------------------


def write_pdf(target: Path, content: PrintContent,
              source: Callable[[Path], None] | None = None, source_suffix: str = ".docx",
              soffice: str | None = None) -> str:
    """Write the PDF ``target``; return the engine used (``"libreoffice"`` or ``"qt"``).

    ``source`` writes the document LibreOffice converts (a .docx or .xlsx); without
    LibreOffice, or when its conversion fails, Qt prints ``content`` instead.
    """
    program = soffice or find_soffice()
    if program and source is not None:
        with tempfile.TemporaryDirectory(prefix="perfeval-src-") as tmp:
            src = Path(tmp) / f"document{source_suffix}"
            source(src)
            try:
                libreoffice_to_pdf(src, target, program)
                return "libreoffice"
            except ExportError as exc:
                log.warning("LibreOffice conversion failed, printing with Qt: %s", exc)
    qt_pdf(content, target)
    return "qt"
