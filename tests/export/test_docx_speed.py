"""Issue #11, speed and scale of export: ``write_table`` takes the cell layout once, sets
the paragraph style by id and copies the cells' properties — and writes the same XML as
python-docx's own calls did (``Table.cell().merge()``, ``p.style = doc.styles[…]``,
``keepNext_val``), which recursed once per merged row and failed from ~1,000 indicators."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from perfeval_desktop.bench import generate_report
from perfeval_desktop.export import docx as docx_export
from perfeval_desktop.export import export_report, plan_export
from perfeval_desktop.export.grid import Grid
from perfeval_desktop.storage.pfe import load
from perfeval_desktop.templates.loader import load_template

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
STYLE = "表格文字"
WIDTH = 9_000_000  # EMU


def _reference_merge(tcs: list[list[Any]], grid: Grid) -> None:
    """python-docx's merge, as ``_Cell.merge`` calls it."""
    for c in grid.cells:
        if c.rowspan > 1 or c.colspan > 1:
            tcs[c.row][c.col].merge(tcs[c.last_row][c.last_col])


def _reference_writer(cell_style: str | None) -> type:
    class Writer:
        """The cell texts written through python-docx's public objects, one call each."""

        def __init__(self, table: Any, style_id: str | None, font: str | None,
                     pitch: float | None = None) -> None:
            self.table, self.font, self.pitch = table, font, pitch

        def write(self, tc: Any, text: str, align: Any, size: float, bold: bool) -> None:
            cell = _Cell(tc, self.table)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            for i, line in enumerate(text.split("\n") if text else [""]):
                p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
                if cell_style is not None:
                    p.style = cell_style  # looked up by name in the document's styles
                p.alignment = docx_export._ALIGN[align]
                pf = p.paragraph_format
                pf.space_before = pf.space_after = Pt(0)
                if self.pitch is not None:
                    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
                    pf.line_spacing = Pt(self.pitch)
                if line:
                    docx_export._run(p, line, self.font, size, bold)

    return Writer


def _reference_borders(tc: Any) -> None:
    tcpr = tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for edge in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{edge}")
        for name, value in (("val", "single"), ("sz", "4"), ("space", "0"),
                            ("color", "000000")):
            el.set(qn(f"w:{name}"), value)
        borders.append(el)
    anchor = None
    for tag in ("w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign",
                "w:hideMark"):
        anchor = tcpr.find(qn(tag))
        if anchor is not None:
            break
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        tcpr.append(borders)


def _reference_styler(doc: Any, style: str | None) -> Any:
    """Each paragraph's style set by name, as python-docx's ``p.style = …`` does."""
    def apply(p: Any) -> None:
        if style is not None and style in doc.styles:
            p.style = doc.styles[style]

    return apply


def _table_xml(grid: Grid, cell_style: str | None) -> bytes:
    doc = Document()
    doc.styles.add_style(STYLE, WD_STYLE_TYPE.PARAGRAPH)
    docx_export.write_table(doc, grid, WIDTH, cell_style=cell_style, page_height_pt=700,
                            footer_rows=cell_style is not None, footer_style=cell_style)
    from lxml import etree

    return etree.tostring(doc.element.body)


def _grids() -> list[tuple[str, Grid]]:
    found = []
    reports = [(p.stem, load(p)) for p in sorted(SAMPLES.glob("*.pfe"))]
    reports.append(("generated_60", generate_report(60)))
    for name, report in reports:
        plan = plan_export(report, load_template(report.meta.template_id))
        found += [(f"{name} {part.key}", part.grid) for part in plan.available]
    return found


@pytest.mark.parametrize("cell_style", [None, STYLE])
def test_the_fast_table_is_the_xml_python_docx_wrote(
    monkeypatch: pytest.MonkeyPatch, cell_style: str | None
) -> None:
    grids = _grids()
    assert len(grids) > 10
    fast = [_table_xml(grid, cell_style) for _name, grid in grids]
    with monkeypatch.context() as m:
        m.setattr(docx_export, "merge_cells", _reference_merge)
        m.setattr(docx_export, "_CellWriter", _reference_writer(cell_style))
        m.setattr(docx_export, "_cell_borders", _reference_borders)
        m.setattr(docx_export, "_keep_next",
                  lambda p: setattr(p.get_or_add_pPr(), "keepNext_val", True))
        m.setattr(docx_export, "paragraph_styler", _reference_styler)
        slow = [_table_xml(grid, cell_style) for _name, grid in grids]
    for (name, _grid), a, b in zip(grids, fast, slow, strict=True):
        assert a == b, name


def test_the_reference_is_python_docx_recursing() -> None:
    """The old way fails where the new one does not (the test above compares real work)."""
    import sys

    grid = next(g for name, g in _grids() if name.startswith("generated_60"))
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(60)  # a merged cell of 60+ rows now exceeds it
    try:
        with pytest.raises(RecursionError):
            doc = Document()
            table = doc.add_table(rows=grid.n_rows, cols=grid.n_cols)
            _reference_merge([list(tr.tc_lst) for tr in table._tbl.tr_lst], grid)
        doc = Document()
        table = doc.add_table(rows=grid.n_rows, cols=grid.n_cols)
        docx_export.merge_cells([list(tr.tc_lst) for tr in table._tbl.tr_lst], grid)
    finally:
        sys.setrecursionlimit(limit)


def test_1200_indicators_export_without_recursion_error(tmp_path: Path) -> None:
    report = generate_report(1200)
    template = load_template(report.meta.template_id)
    [path] = export_report(report, template, tmp_path, ["docx"])
    doc = Document(str(path))
    names = {p.text for t in doc.tables for row in t._tbl.tr_lst for tc in row.tc_lst
             for p in (Paragraph(x, t) for x in tc.p_lst)}
    leaves = [n.name for top in report.indicators for second in top.children
              for n in second.children]
    assert len(leaves) == 1200
    assert set(leaves) <= names  # every indicator printed
    # the 绩效指标 column's merged cell spans all of their rows: one restart, the rest continue
    spans = [tc.vMerge for t in doc.tables for tr in t._tbl.tr_lst for tc in tr.tc_lst
             if tc.vMerge is not None]
    assert spans.count("continue") >= 1200
    copy.deepcopy(doc.element)  # the whole document is a sound tree


class _ReferenceStyles:
    """report_docx's passes finding each paragraph's style through python-docx, every time."""

    def __init__(self, doc: Any) -> None:
        pass

    def of(self, p: Any) -> Any:
        return p.style

    def name(self, p: Any) -> str | None:
        return None if p.style is None else str(p.style.name)

    def breaks_page(self, p: Any) -> bool:
        style = p.style
        while style is not None:
            if style.paragraph_format.page_break_before:
                return True
            style = style.base_style
        return False


def test_the_report_passes_write_the_xml_python_docx_styles_gave(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The titles broken, lead-ins and short pages kept (report_docx): each paragraph's
    style found once per style id, the same document as python-docx's ``p.style``."""
    import zipfile

    from perfeval_desktop.export import report_docx

    reports = [(p.stem, load(p)) for p in sorted(SAMPLES.glob("*.pfe"))]
    reports.append(("generated_60", generate_report(60)))

    def documents(folder: Path) -> list[bytes]:
        out = []
        for name, report in reports:
            (folder / name).mkdir(parents=True)
            [path] = export_report(report, load_template(report.meta.template_id),
                                   folder / name, ["docx"])
            with zipfile.ZipFile(path) as z:
                out.append(z.read("word/document.xml"))
        return out

    fast = documents(tmp_path / "fast")
    with monkeypatch.context() as m:
        m.setattr(report_docx, "_Styles", _ReferenceStyles)
        slow = documents(tmp_path / "slow")
    for (name, _report), a, b in zip(reports, fast, slow, strict=True):
        assert a == b, name
    assert any(b"w:keepNext" in a for a in fast)  # the passes did something to compare
