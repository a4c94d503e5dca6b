"""The private attributes of python-docx and openpyxl that the export needs, in one place.

Checked against python-docx 1.2.0 and openpyxl 3.1.5 (constraints.txt pins them;
tests/export/test_libs.py fails when another version is installed, so that an upgrade
looks here first, and when a module outside this one reaches into their privates).

- python-docx has no public way from its proxy objects (Paragraph, Run, Table, a
  section's footer) to their XML element, which the paper layout edits directly (field
  codes, text boxes, rows moved between tables), nor to the story a proxy belongs to;
- openpyxl has no public way to list a worksheet's cells without creating the empty ones
  in between, to drop them all (a sheet rebuilt row by row), nor to copy a cell's whole
  style (font, border, fill, number format, alignment, protection) as one value.
"""

from __future__ import annotations

from typing import Any

DOCX_VERSION = "1.2.0"
OPENPYXL_VERSION = "3.1.5"


# ---- python-docx ---------------------------------------------------------------------------


def xml(proxy: Any) -> Any:
    """The XML element behind a python-docx proxy (``Paragraph._p``, ``Run._r``,
    ``Table._tbl``, a header's or footer's ``_element``: all are ``_element``)."""
    return proxy._element


def story(proxy: Any) -> Any:
    """The object a python-docx proxy belongs to (its ``_parent``): what a new proxy on
    an element of the same story is made with."""
    return proxy._parent


def section_xml(section: Any) -> Any:
    """The ``w:sectPr`` element behind a python-docx ``Section`` (its ``_sectPr``)."""
    return section._sectPr


def document_part(section: Any) -> Any:
    """The document part a python-docx ``Section`` belongs to (its ``_document_part``): what
    a ``Section`` on another ``w:sectPr`` of the same document is made with."""
    return section._document_part


# ---- openpyxl ------------------------------------------------------------------------------


def cells(ws: Any) -> dict[tuple[int, int], Any]:
    """A worksheet's cells by (row, column), only those that exist (``ws._cells``; the
    dict itself: clearing it empties the sheet)."""
    table: dict[tuple[int, int], Any] = ws._cells
    return table


def style_of(cell: Any) -> Any:
    """A cell's whole style as one value (``cell._style``, a StyleArray), to copy."""
    return cell._style


def set_style(cell: Any, style: Any) -> None:
    """Give ``cell`` the whole style ``style`` (a StyleArray of the same workbook)."""
    cell._style = style
