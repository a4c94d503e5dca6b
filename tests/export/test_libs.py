"""Issue #11 §8: the private attributes of python-docx and openpyxl are reached only in
``export/libs.py``, which names the versions it was checked against."""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

from perfeval_desktop.export import libs

PACKAGE = Path(__file__).resolve().parents[2] / "perfeval_desktop"
CONSTRAINTS = PACKAGE.parent / "constraints.txt"
# the privates the export once used (and their likes), on any object but ``self``
PRIVATE = re.compile(
    r"(?<!\bself)(?<!\bcls)\._(cells|style|sheets|tbl|tc|tr|p|r|element|parent|charts|images"
    r"|merged_cells|current_row|named_styles|cell_styles|fonts|borders|fills|rels|body|sectPr"
    r"|document_part)\b")


def test_the_versions_named_are_the_ones_pinned_and_installed() -> None:
    pinned = dict(line.split("==") for line in CONSTRAINTS.read_text().split()
                  if "==" in line)
    assert pinned["python-docx"] == libs.DOCX_VERSION == version("python-docx")
    assert pinned["openpyxl"] == libs.OPENPYXL_VERSION == version("openpyxl")


def test_no_other_module_reaches_into_their_privates() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "libs.py" and path.parent.name == "export":
            continue
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if PRIVATE.search(line.split("#")[0]):
                found.append(f"{path.relative_to(PACKAGE)}:{n}: {line.strip()}")
    assert not found, "\n".join(found)


def test_the_scan_sees_what_it_looks_for() -> None:
    assert PRIVATE.search("rows = table._tbl.tr_lst")
    assert PRIVATE.search("ws._cells.clear()")
    assert PRIVATE.search("xml(p)._p") and not PRIVATE.search("self._p = p")


def test_the_wrappers_reach_the_real_attributes(tmp_path: Path) -> None:
    from docx import Document
    from openpyxl import Workbook
    from openpyxl.styles import Font

    doc = Document()
    p = doc.add_paragraph("x")
    table = doc.add_table(rows=1, cols=1)
    assert libs.xml(p).tag.endswith("}p") and libs.xml(table).tag.endswith("}tbl")
    assert libs.xml(p.add_run("y")).tag.endswith("}r")
    assert libs.story(table) is not None
    section = doc.sections[0]
    assert libs.section_xml(section).tag.endswith("}sectPr")
    assert libs.document_part(section) is doc.part
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["B2"] = 1
    ws["B2"].font = Font(bold=True)
    assert list(libs.cells(ws)) == [(2, 2)]
    libs.set_style(ws["C3"], libs.style_of(ws["B2"]))
    assert ws["C3"].font.bold
