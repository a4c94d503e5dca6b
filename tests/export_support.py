"""Helpers shared by the export tests: reading DOCX/XLSX back and rendering through LibreOffice.

Imported as ``from export_support import …`` (``tests/`` is on ``sys.path``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn


def norm(text: Any) -> str:
    """Text without any white space (None → "")."""
    return re.sub(r"\s+", "", "" if text is None else str(text))


def pdf_norm(text: str) -> str:
    """Text as pdftotext gives it, without blanks and curly quotes (extracted out of order)."""
    return re.sub(r"[\s“”]", "", text)


def merged(ws: Any) -> set[str]:
    """The merged ranges of an openpyxl worksheet, as "A1:B2" strings."""
    return {str(r) for r in ws.merged_cells.ranges}


def docx_rows(table: Any) -> list[list[tuple[str, int, str | None]]]:
    """Each row's cells as (text, gridSpan, vMerge), per pitfalls.md (walk tr.tc_lst)."""
    out = []
    for tr in table._tbl.tr_lst:
        row = []
        for tc in tr.tc_lst:
            text = "\n".join("".join(t.text or "" for t in p.iter(qn("w:t")))
                             for p in tc.iterchildren(qn("w:p")))
            row.append((text, tc.grid_span, tc.vMerge))
        out.append(row)
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


def grid_files(parts: Any, out: Path) -> dict[str, Path]:
    """The parts' Grids written by the code-layout writers: {"xlsx": 附件.xlsx, "docx": 附件.docx}."""
    from perfeval_desktop.export.docx import write_docx
    from perfeval_desktop.export.xlsx import write_xlsx

    grids = [(p.title, p.grid) for p in parts]
    xlsx, docx = out / "附件.xlsx", out / "附件.docx"
    write_xlsx(grids, xlsx)
    write_docx(grids, docx)
    return {"xlsx": xlsx, "docx": docx}
