"""Helpers shared by the export tests: reading DOCX/XLSX back and rendering through LibreOffice.

Imported as ``from export_support import …`` (``tests/`` is on ``sys.path``).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import unicodedata
import uuid
from itertools import pairwise
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn


def norm(text: Any) -> str:
    """Text without any white space (None → ""), nor the word joiners the DOCX keeps its
    numbers with their units by (export/nobreak.py: layout only, the reader sees none)."""
    return re.sub(r"[\s\u2060]+", "", "" if text is None else str(text))


def fold(text: str) -> str:
    """Text as compared: NFKC (full-width ： → :), no blanks, quotes or word joiners."""
    return re.sub(r"[\s“”\"\u2060]", "", unicodedata.normalize("NFKC", text))


def pdf_norm(text: str) -> str:
    """Text as pdftotext gives it, without blanks and curly quotes (extracted out of order)."""
    return re.sub(r"[\s“”]", "", text)


def read_docx(path: Path) -> Any:
    """A DOCX reopened with python-docx as its reader sees the text: without the word
    joiners that keep its numbers with their units (export/nobreak.py; layout only, a
    copy out of Word or of the PDF has none).  tests/export/test_nobreak.py reads them."""
    from docx import Document

    doc = Document(str(path))
    for t in doc.element.body.iter(qn("w:t")):
        if t.text and "\u2060" in t.text:
            t.text = t.text.replace("\u2060", "")
    return doc


def merged(ws: Any) -> set[str]:
    """The merged ranges of an openpyxl worksheet, as "A1:B2" strings."""
    return {str(r) for r in ws.merged_cells.ranges}


def is_under_form(tr: Any) -> bool:
    """The table's last, borderless row holding the lines under the form (联系人 …, 注)."""
    tcs = tr.tc_lst
    if len(tcs) != 1 or tcs[0].tcPr is None:
        return False
    borders = tcs[0].tcPr.find(qn("w:tcBorders"))
    return borders is not None and all(b.get(qn("w:val")) == "nil" for b in borders)


def under_form_lines(doc: Any) -> list[str]:
    """The lines under the document's forms (docx.write_table's footer rows), in order."""
    return ["".join(t.text or "" for t in p.iter(qn("w:t")))
            for tr in doc.element.body.iter(qn("w:tr")) if is_under_form(tr)
            for p in tr.iter(qn("w:p"))]


def docx_rows(table: Any) -> list[list[tuple[str, int, str | None]]]:
    """Each row's cells as (text, gridSpan, vMerge), per pitfalls.md (walk tr.tc_lst); the
    lines under the form in the table's last row are not the form's (:func:`under_form_lines`)."""
    out = []
    for tr in table._tbl.tr_lst:
        if is_under_form(tr):
            continue
        row = []
        for tc in tr.tc_lst:
            text = "\n".join("".join(t.text or "" for t in p.iter(qn("w:t")))
                             for p in tc.iterchildren(qn("w:p")))
            row.append((text, tc.grid_span, tc.vMerge))
        out.append(row)
    return out


def _is_gap(el: Any) -> bool:
    """The 1 pt paragraph between the two tables of a form split for its repeated headings."""
    if el is None or el.tag != qn("w:p") or "".join(t.text or "" for t in el.iter(qn("w:t"))):
        return False
    spacing = el.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
    return spacing is not None and spacing.get(qn("w:line")) == "20"


def form_tables(doc: Any) -> list[Any]:
    """The document's tables, a form split in two for its repeated column headings
    (docx.split_table: table, 1 pt paragraph, table) read back as one table."""
    import copy

    from docx.table import Table

    out: list[Any] = []
    prev: list[Any] = []  # the elements since the last table
    for el in doc.element.body.iterchildren():
        if el.tag == qn("w:tbl"):
            if out and len(prev) == 1 and _is_gap(prev[0]):
                for tr in el.tr_lst:
                    out[-1]._tbl.append(copy.deepcopy(tr))
            else:
                out.append(Table(copy.deepcopy(el), doc._body))
            prev = []
        else:
            prev.append(el)
    return out


def visible(row: list[tuple[str, int, str | None]]) -> list[str]:
    """The texts of a row's cells that are not the continuation of a vertical merge."""
    return [norm(t) for t, _span, vm in row if vm != "continue"]


def to_pdf(path: Path, out: Path) -> Path:
    """Convert a DOCX/XLSX to PDF with LibreOffice headless (a private profile, removed after)."""
    profile = Path("/tmp") / f"perfeval-lo-{uuid.uuid4().hex}"
    try:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(out), str(path)],
            check=True, capture_output=True, timeout=240,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = out / f"{path.stem}.pdf"
    assert pdf.exists(), f"LibreOffice wrote no PDF for {path.name}"
    return pdf


def pdf_facts(pdf: Path) -> tuple[int, list[tuple[float, float]], str, str]:
    """Pages, page sizes (pt), the text laid out as printed, and in content order (the
    lines of a wrapped cell together)."""
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], check=True,
                          capture_output=True, text=True, timeout=60).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    sizes = [(float(w), float(h)) for w, h in
             re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    texts = [
        subprocess.run(["pdftotext", mode, str(pdf), "-"], check=True,
                       capture_output=True, text=True, timeout=60).stdout
        for mode in ("-layout", "-raw")
    ]
    return pages, sizes, texts[0], texts[1]


def template_files(plan: Any, out: Path, parts: list[str] | None = None,
                   docx_name: str = "附件.docx") -> dict[str, Path]:
    """The forms of an ExportPlan filled from forms.xlsx: the exported XLSX (``parts``, else
    every 附件) and a forms-only DOCX of their Grids, as {"xlsx": …, "docx": …}."""
    from perfeval_desktop.export import export_report
    from perfeval_desktop.export.docx import write_docx

    keys = parts if parts is not None else [p.key for p in plan.available]
    (xlsx,) = export_report(plan.report, plan.template, out, formats=("xlsx",), parts=keys)
    docx = out / docx_name
    write_docx(plan.grids, docx)
    return {"xlsx": xlsx, "docx": docx}


def filled_parts(report: Any, template: Any, manifest: Any = None) -> list[Any]:
    """The 附件 parts of ``report`` filled from ``template``'s forms.xlsx (under ``manifest``
    instead of the template's own, where given): the forms as they are printed."""
    from perfeval_desktop.export import plan_export
    from perfeval_desktop.templates.loader import Template

    if manifest is not None:
        template = Template(manifest, template.folder)
    return list(plan_export(report, template).available)


# ---- the layout of a PDF: words and table rules (LibreOffice against the in-app renderer) --

RULE_TOL = 1.0  # pt: two rule positions closer than this are one rule
BOUND_TOL = 1.0  # pt: how far a cell's text may stand over its column's bounds
# pt: a rule drawn this close outside a page's clip shows all the same: a rendering at
# 72 dpi (render-preview's 70) clips to whole pixels (the next page's top rule at the foot)
SNAP = 1.0


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True,
                          timeout=60).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]


Word = tuple[float, float, float, float, str]


def pdf_words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Per page, (xMin, yMin, xMax, yMax, text) of every word (``pdftotext -bbox-layout``),
    in pt from the page's top left."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True,
                         capture_output=True, text=True, timeout=120).stdout
    pages = []
    for page in re.findall(r"<page .*?</page>", xml, re.S):
        words: list[Word] = []
        for line in re.findall(r"<line[ >].*?</line>", page, re.S):
            words += _glued([(float(a), float(b), float(c), float(d), fold(html.unescape(t)))
                             for a, b, c, d, t in re.findall(
                                 r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                                 r'yMax="([\d.]+)">([^<]*)</word>', line)
                             if fold(html.unescape(t))])
        pages.append(words)
    return pages


def _glued(words: list[Word]) -> list[Word]:
    """A line's words, those printed touching (no gap at all) as one: poppler ends a word
    at an invisible glyph without text, as the in-app layout's word joiner (U+2060, see
    perfeval_desktop/printing/breaks.py) is, though the PDF's text runs on."""
    out: list[Word] = []
    for w in words:
        if out and abs(w[0] - out[-1][2]) < 0.001:
            a = out[-1]
            out[-1] = (a[0], min(a[1], w[1]), w[2], max(a[3], w[3]), a[4] + w[4])
        else:
            out.append(w)
    return out


Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in pt from the page's top left


def _clip_box(obj: Any, height: float) -> Box | None:
    """The box a page object is clipped to (pdfium keeps a clip only on the objects it cuts:
    the in-app renderer paints whole tables and clips them to each page)."""
    import ctypes

    import pypdfium2.raw as raw

    clip = raw.FPDFPageObj_GetClipPath(obj.raw)
    if not clip:
        return None
    x, y = ctypes.c_float(), ctypes.c_float()
    box: Box | None = None
    for i in range(raw.FPDFClipPath_CountPaths(clip)):
        points = []
        for k in range(raw.FPDFClipPath_CountPathSegments(clip, i)):
            raw.FPDFPathSegment_GetPoint(raw.FPDFClipPath_GetPathSegment(clip, i, k), x, y)
            points.append((x.value, height - y.value))
        if points:
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            part = (min(xs), min(ys), max(xs), max(ys))
            box = part if box is None else (max(box[0], part[0]), max(box[1], part[1]),
                                            min(box[2], part[2]), min(box[3], part[3]))
    return box


def _cut(seg: Box, box: Box | None) -> Box | None:
    """A horizontal or vertical segment cut to ``box`` (None: nothing of it is inside)."""
    if box is None:
        return seg
    x0, y0, x1, y1 = seg
    edge = 0.25  # a 0.5 pt border centred on the clip's edge: half of it shows, too thin
    if x0 == x1 or abs(x0 - x1) < abs(y0 - y1):  # vertical
        if not box[0] + edge <= x0 <= box[2] - edge:
            return None
        a, b = max(min(y0, y1), box[1]), min(max(y0, y1), box[3])
        return (x0, a, x1, b) if b > a else None
    if not box[1] + edge <= y0 <= box[3] - edge and not (
            box[3] - edge < y0 <= box[3] + SNAP or box[1] - SNAP <= y0 < box[1] + edge):
        return None
    a, b = max(min(x0, x1), box[0]), min(max(x0, x1), box[2])
    return (a, y0, b, y1) if b > a else None


def _segments(page: Any) -> tuple[list[Box], Box | None]:
    """The straight segments (x0, y0, x1, y1) of every path drawn on a pypdfium2 page, as
    far as they show (cut to their clip), in pt from the page's top left (a border drawn as
    a thin filled box gives its edges); and the area the page's clips leave visible."""
    import ctypes

    import pypdfium2.raw as raw

    height = page.get_height()
    out: list[Box] = []
    visible: Box | None = None
    x, y = ctypes.c_float(), ctypes.c_float()
    for obj in page.get_objects(max_depth=4):
        clip = _clip_box(obj, height)
        if clip is not None:
            visible = clip if visible is None else (
                min(visible[0], clip[0]), min(visible[1], clip[1]),
                max(visible[2], clip[2]), max(visible[3], clip[3]))
        if obj.type != raw.FPDF_PAGEOBJ_PATH:
            continue
        m = raw.FS_MATRIX()
        raw.FPDFPageObj_GetMatrix(obj.raw, m)
        start = prev = None
        for i in range(raw.FPDFPath_CountSegments(obj.raw)):
            seg = raw.FPDFPath_GetPathSegment(obj.raw, i)
            raw.FPDFPathSegment_GetPoint(seg, x, y)
            point = (m.a * x.value + m.c * y.value + m.e,
                     height - (m.b * x.value + m.d * y.value + m.f))
            if raw.FPDFPathSegment_GetType(seg) == raw.FPDF_SEGMENT_MOVETO:
                start = prev = point
                continue
            ends = [(prev, point)] if prev is not None else []
            prev = point
            if raw.FPDFPathSegment_GetClose(seg) and start is not None:
                ends.append((prev, start))
                prev = start
            for a, b in ends:
                cut = _cut((*a, *b), clip)
                if cut is not None:
                    out.append(cut)
    return out, visible


def _merge(lines: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Rules (position, start, end) at the same position (within RULE_TOL) and touching
    or overlapping merged into one (a border drawn as a thin box: its two edges)."""
    out: list[list[float]] = []
    for pos, a, b in sorted(lines):
        for rule in out:
            if abs(rule[0] - pos) <= RULE_TOL and a <= rule[2] + RULE_TOL and b >= rule[1] - RULE_TOL:
                rule[0] = (rule[0] + pos) / 2 if abs(rule[0] - pos) > 0.01 else rule[0]
                rule[1], rule[2] = min(rule[1], a), max(rule[2], b)
                break
        else:
            out.append([pos, a, b])
    return [(p, a, b) for p, a, b in out]


Rules = tuple[list[tuple[float, float, float]], list[tuple[float, float, float]], Box | None]


def pdf_rules(pdf: Path) -> list[Rules]:
    """Per page, the table rules: (vertical [(x, top, bottom)], horizontal [(y, left, right)],
    the area not clipped away or None)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        pages = []
        for i in range(len(doc)):
            segs, visible = _segments(doc[i])
            vertical = [(x0, min(y0, y1), max(y0, y1)) for x0, y0, x1, y1 in segs
                        if abs(x0 - x1) < 0.3 and abs(y0 - y1) > 2]
            horizontal = [(y0, min(x0, x1), max(x0, x1)) for x0, y0, x1, y1 in segs
                          if abs(y0 - y1) < 0.3 and abs(x0 - x1) > 2]
            pages.append((_merge(vertical), _merge(horizontal), visible))
        return pages
    finally:
        doc.close()


def column_bounds(word: tuple[float, float, float, float, str],
                  vertical: list[tuple[float, float, float]]) -> tuple[float, float] | None:
    """The rules left and right of ``word`` at its middle height: the bounds of the table
    column (or merged columns) it is printed in; None outside any table."""
    x0, y0, x1, y1, _t = word
    mid = (y0 + y1) / 2
    crossing = [x for x, top, bottom in vertical if top <= mid <= bottom]
    left = [x for x in crossing if x <= x0 + BOUND_TOL]
    right = [x for x in crossing if x >= x1 - BOUND_TOL]
    if not left or not right:
        return None
    return max(left), min(right)


def _pair(lo: list[Word], qt: list[Word]) -> list[tuple[Word, Word | None]]:
    """Each word of ``lo`` with the word of the same text in ``qt`` printed nearest to where
    it stands, read top to bottom (the running vertical offset followed: the renderers may
    place a table a few points apart)."""
    free = list(qt)
    out: list[tuple[Word, Word | None]] = []
    offset = 0.0
    for word in sorted(lo, key=lambda w: (w[1], w[0])):
        same = [w for w in free if w[4] == word[4]]
        if not same:
            out.append((word, None))
            continue
        best = min(same, key=lambda w: abs(w[1] - word[1] - offset) + abs(w[0] - word[0]))
        free.remove(best)
        offset = best[1] - word[1]
        out.append((word, best))
    return out


def _coverage(rules: list[tuple[float, float, float]], pos: float) -> float:
    """The length the rules at ``pos`` (within 1.5 pt) cover, overlaps counted once."""
    total, end = 0.0, float("-inf")
    for a, b in sorted((a, b) for p, a, b in rules if abs(p - pos) <= 1.5):
        if b > end:
            total += b - max(a, end)
            end = b
    return total


def _positions(rules: list[tuple[float, float, float]]) -> list[float]:
    """The distinct positions of ``rules``: those within 1.5 pt of each other are one."""
    out: list[float] = []
    for p in sorted(p for p, _a, _b in rules):
        if not out or p - out[-1] > 1.5:
            out.append(p)
    return out


def _rule_differences(page: int, lo: Rules, qt: Rules) -> list[str]:
    """The table rules of a page: every vertical rule of LibreOffice's where the in-app
    renderer has one as long (within a fifth), none of its own; as many horizontal rules
    (rows) on the page, a rule drawn just outside the page's clip counted (:data:`SNAP`),
    and none of them longer in-app than LibreOffice's rule of the same row."""
    out = []
    for name, lo_rules, qt_rules in (("vertical", lo[0], qt[0]),):
        for pos in _positions(lo_rules + qt_rules):
            want, got = _coverage(lo_rules, pos), _coverage(qt_rules, pos)
            if want < 4 and got < 4:
                continue
            if not 0.8 * want - 2 <= got <= 1.25 * want + 2:
                out.append(f"page {page}: {name} rule at x={pos:.0f} pt is {got:.0f} pt long "
                           f"in-app, {want:.0f} pt in LibreOffice")
    lo_rows = _positions([r for r in lo[1] if r[2] - r[1] > 4])
    qt_rows = _positions([r for r in qt[1] if r[2] - r[1] > 4])
    if len(lo_rows) != len(qt_rows):
        out.append(f"page {page}: {len(qt_rows)} horizontal rules in-app, {len(lo_rows)} in "
                   "LibreOffice")
        return out
    # the rows' rules in order (the renderers may place a table a few points apart): none
    # drawn in-app over more of the row than LibreOffice draws
    for lo_y, qt_y in zip(lo_rows, qt_rows, strict=True):
        want, got = _coverage(lo[1], lo_y), _coverage(qt[1], qt_y)
        if got > want + 2 * RULE_TOL + 2:  # the rule's ends may stand a point apart
            out.append(f"page {page}: horizontal rule at y={qt_y:.0f} pt is {got:.0f} pt long "
                       f"in-app, {want:.0f} pt at y={lo_y:.0f} pt in LibreOffice")
    return out


def _body_lines(words: list[Word], vertical: list[tuple[float, float, float]]) -> list[str]:
    """The page's lines of text outside its tables, top to bottom: the words whose middles
    stand within 4 pt of the line's first word's, left to right, joined; without the page
    number (the in-app PDF may print it outside the area compared)."""
    rows: list[tuple[float, list[Word]]] = []
    for word in sorted(words, key=lambda w: ((w[1] + w[3]) / 2, w[0])):
        if column_bounds(word, vertical) is not None or PAGE_NUMBER.fullmatch(word[4]):
            continue
        mid = (word[1] + word[3]) / 2
        if rows and mid - rows[-1][0] <= 4:
            rows[-1][1].append(word)
        else:
            rows.append((mid, [word]))
    lines = ["".join(w[4] for w in sorted(line, key=lambda w: w[0])) for _mid, line in rows]
    return [t for t in lines if not t.isdigit()]  # the number of "— 3 —"


PAGE_NUMBER = re.compile(r"[—\d]*—[—\d]*")  # "—2—", a page number's or a turned one's "—"
LEADER = re.compile(r"\.{4,}")  # a 目录 entry's dots: as many as fit, by each one's metrics


def _same_line(lo: str, qt: str) -> bool:
    """Two lines alike: the same text, but for how many dots a leader has (a comma that
    LibreOffice leaves out of its PDF is a difference: a report without its commas)."""
    return LEADER.sub("…", lo) == LEADER.sub("…", qt)


def _line_differences(page: int, lo: list[str], qt: list[str]) -> list[str]:
    """The first line of text outside the tables that the in-app PDF breaks otherwise than
    LibreOffice (a body line holding 27 characters where LibreOffice's holds 28)."""
    for k, (a, b) in enumerate(zip(lo, qt, strict=False)):
        if not _same_line(a, b):
            return [f"page {page}: line {k + 1} outside the tables is “{b}” in-app, “{a}” "
                    "in LibreOffice"]
    if len(lo) != len(qt):
        return [f"page {page}: {len(qt)} lines outside the tables in-app, {len(lo)} in "
                "LibreOffice"]
    return []


# what a unit starts with (export/nobreak.py's units), and a magnitude's unit after it
UNIT_HEADS = "万亿元年月日号分个人户家项次份条张名期例起岁天%％‰"
_ENDS_IN_NUMBER = re.compile(r"[0-9０-９][.．]?$")
_ENDS_IN_MAGNITUDE = re.compile(r"[0-9０-９][万亿][余多]?$")


def number_unit_splits(lines: list[str]) -> list[str]:
    """Each break of ``lines`` (a PDF's body lines, in order) inside a number with its unit:
    a line ending in a digit or decimal point whose next line starts with a unit (“9.21|
    万元”, “2022|年”), or ending in the middle of one (“0.53万|元”), as “…9.21|万元…”."""
    out = []
    for a, b in pairwise(lines):
        if ((_ENDS_IN_NUMBER.search(a) and b[:1] in UNIT_HEADS)
                or (_ENDS_IN_MAGNITUDE.search(a) and b[:1] in "元人户")):
            out.append(f"“{a[-8:]}|{b[:8]}”")
    return out


def _body_splits(name: str, words: list[list[Word]], rules: list[Rules]) -> list[str]:
    """The breaks inside a number with its unit among a PDF's lines outside its tables,
    page after page (:func:`number_unit_splits`)."""
    lines = [line for page, page_rules in zip(words, rules, strict=True)
             for line in _body_lines(page, page_rules[0])]
    return [f"{name}: a line ends inside a number with its unit: {split}"
            for split in number_unit_splits(lines)]


def layout_differences(lo: Path, qt: Path) -> list[str]:
    """How the in-app PDF ``qt`` of a DOCX lays it out otherwise than LibreOffice's ``lo``:
    the page count; per page, the table rules, the lines of text outside the tables (where
    they break), and every word LibreOffice prints inside a table cell: the in-app PDF
    prints the same word on the same page (not wrapped nor cut) within the bounds of the
    column LibreOffice prints it in.  And in either PDF, no line of the body text ending
    inside a number with its unit."""
    lo_words, qt_words = pdf_words(lo), pdf_words(qt)
    lo_rules, qt_rules = pdf_rules(lo), pdf_rules(qt)
    out = _body_splits("LibreOffice", lo_words, lo_rules) + _body_splits("in-app", qt_words,
                                                                         qt_rules)
    if len(lo_words) != len(qt_words):
        out.append(f"{len(qt_words)} pages in-app, {len(lo_words)} in LibreOffice")
    for p in range(min(len(lo_words), len(qt_words))):
        out += _rule_differences(p + 1, lo_rules[p], qt_rules[p])
        vertical = lo_rules[p][0]
        area = qt_rules[p][2]
        shown = [w for w in qt_words[p] if area is None or (
            area[0] <= (w[0] + w[2]) / 2 <= area[2] and area[1] <= (w[1] + w[3]) / 2 <= area[3])]
        out += _line_differences(p + 1, _body_lines(lo_words[p], vertical),
                                 _body_lines(shown, qt_rules[p][0]))
        for word, match in _pair(lo_words[p], shown):
            bounds = column_bounds(word, vertical)
            if bounds is None:
                continue  # not in a table
            left, right = bounds
            where = f"page {p + 1}: “{word[4]}” (column {left:.0f}–{right:.0f} pt)"
            if match is None:
                out.append(f"{where} is not on this page in-app")
            elif match[0] < left - BOUND_TOL or match[2] > right + BOUND_TOL:
                out.append(f"{where} is printed at {match[0]:.0f}–{match[2]:.0f} pt in-app")
    return out
