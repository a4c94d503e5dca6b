"""Cached values for the formulas of a saved workbook, as Excel itself stores them.

openpyxl writes a formula cell as ``<c><f>SUM(H9:H12)</f><v></v></c>``: a reader that does
not recalculate (file previewers, import tools, a bureau's own system) sees a blank.  Excel
saves the formula *and* its last result (``<v>94</v>``, or ``t="str"`` with the text of a
text result).  :func:`store_values` adds those results to a workbook openpyxl has saved, from
the values the program computed — the numbers and texts the forms print, which the
formulas give — so the file reads the same with and without recalculation.  A workbook
holding such formulas keeps ``fullCalcOnLoad``: Excel and WPS still recalculate on opening
(``templated.write_filled_xlsx``; a template's own calculation settings are dropped).
"""

from __future__ import annotations

import posixpath
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]

Cached = Decimal | str  # a number, or the text a formula gives (等次, "")
APPLICATION = "perfeval-desktop"

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def _q(tag: str) -> str:
    return f"{{{_MAIN}}}{tag}"


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """{sheet name: its part name in the package (xl/worksheets/sheet1.xml)}."""
    book = etree.fromstring(zf.read("xl/workbook.xml"))
    rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{{{_PKG_REL}}}Relationship")}
    out: dict[str, str] = {}
    for sheet in book.iter(_q("sheet")):
        target = targets.get(sheet.get(f"{{{_REL}}}id"), "")
        if target:
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))
            out[str(sheet.get("name"))] = path
    return out


def _number(value: Decimal) -> str:
    """As Excel stores a number — a double, its shortest exact text — without an exponent
    or trailing zeros: 94, 1155.5, 0.6068628299437473."""
    text = format(Decimal(repr(float(value))), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _cache_sheet(xml: bytes, values: Mapping[str, Cached]) -> bytes:
    root = etree.fromstring(xml)
    for c in root.iter(_q("c")):
        ref = c.get("r")
        if ref not in values or c.find(_q("f")) is None:
            continue
        for old in c.findall(_q("v")):
            c.remove(old)
        value = values[ref]
        v = etree.SubElement(c, _q("v"))
        if isinstance(value, Decimal):
            v.text = _number(value)
            c.attrib.pop("t", None)  # a number
        else:
            v.text = value
            c.set("t", "str")  # the text result of a formula
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _application(xml: bytes) -> bytes:
    """The program's name as the file's application, not openpyxl's "Microsoft Excel
    Compatible": LibreOffice trusts the cached results of a file Excel saved and skips
    recalculating it, and then exports a text result (等次, the 一级 labels) to .xls as 0."""
    root = etree.fromstring(xml)
    for el in root.iter("{http://schemas.openxmlformats.org/officeDocument/2006/"
                        "extended-properties}Application"):
        el.text = APPLICATION
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def store_values(path: Path, values: Mapping[str, Mapping[str, Cached]]) -> None:
    """Give the formula cells of workbook ``path`` their values: ``values`` maps a sheet
    name to {A1 reference: value}.  Cells without a formula are left as they are."""
    wanted = {name: v for name, v in values.items() if v}
    if not wanted:
        return
    with zipfile.ZipFile(path) as zf:
        parts = {part: wanted[name] for name, part in sheet_parts(zf).items() if name in wanted}
        fd, tmp_name = tempfile.mkstemp(suffix=".xlsx", dir=path.parent)
        try:
            with open(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as out:
                for info in zf.infolist():
                    data = zf.read(info.filename)
                    if info.filename in parts:
                        data = _cache_sheet(data, parts[info.filename])
                    elif info.filename == "docProps/app.xml":
                        data = _application(data)
                    out.writestr(info, data)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
    shutil.move(tmp_name, path)
