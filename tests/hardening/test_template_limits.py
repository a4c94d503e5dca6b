"""Issue #13 §2/§3: hostile templates are refused within seconds, naming file and place;
templates reaching outside the file are refused before they are opened."""

from __future__ import annotations

import shutil
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from perfeval_desktop import paths
from perfeval_desktop.errors import PerfevalError
from perfeval_desktop.export import export_report, sandbox
from perfeval_desktop.storage import pfe
from perfeval_desktop.templates.loader import load_template

ROOT = Path(__file__).resolve().parents[2]
GD = ROOT / "resources" / "samples" / "gd_yuancheng_medical_aid_2021.pfe"
TID = "mof_self_eval_gd"


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    """A user copy of the GD template, overriding the built-in one."""
    paths.set_basedir(tmp_path / "base")
    try:
        target = paths.user_templates_dir() / TID
        shutil.copytree(ROOT / "templates" / TID, target)
        yield target
    finally:
        paths.set_basedir(None)


def _export(tmp_path: Path, fmt: str) -> str:
    report = pfe.load(GD)
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    template = load_template(TID)
    assert template.folder.parent == paths.user_templates_dir()
    started = time.monotonic()
    with pytest.raises(PerfevalError) as info:
        export_report(report, template, out, formats=(fmt,))
    assert time.monotonic() - started < 15
    assert list(out.iterdir()) == []
    return info.value.message


def _docx_with(folder: Path, text: str) -> None:
    doc = Document(str(folder / "report.docx"))
    doc.add_paragraph(text)
    doc.save(str(folder / "report.docx"))


def _xlsx_with(folder: Path, text: str) -> str:
    wb = load_workbook(folder / "forms.xlsx")
    ws = wb.worksheets[0]
    ws.cell(2, 1).value = text
    wb.save(folder / "forms.xlsx")
    return ws.title


@pytest.mark.parametrize(("text", "word"), [
    ("{{ 9**(9**9) }}", "乘方"),
    ("{{ 'x'*10**9 }}", "过长"),
    ("{{ 'x'.center(10**9) }}", "过大"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}.{% endfor %}{% endfor %}",
     "range"),
])
def test_hostile_placeholders_in_forms_xlsx(
    folder: Path, tmp_path: Path, text: str, word: str
) -> None:
    sheet = _xlsx_with(folder, text)
    message = _export(tmp_path, "xlsx")
    assert word in message and "forms.xlsx" in message and sheet in message
    assert "A2" in message


@pytest.mark.parametrize(("text", "word"), [
    ("{{ 9**(9**9) }}", "乘方"),
    ("{{ 'x'*10**9 }}", "过长"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}.{% endfor %}{% endfor %}",
     "range"),
])
def test_hostile_placeholders_in_report_docx(
    folder: Path, tmp_path: Path, text: str, word: str
) -> None:
    _docx_with(folder, text)
    message = _export(tmp_path, "docx")
    assert word in message and "report.docx" in message


def test_endless_loops_stop_at_the_deadline(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sandbox, "TIME_LIMIT_S", 1.0)
    _docx_with(folder, "{% for a in 'x'*90000 %}{% for b in 'x'*90000 %}"
                       "{% for c in 'x'*90000 %}{% endfor %}{% endfor %}{% endfor %}")
    message = _export(tmp_path, "docx")
    assert "1 秒" in message and "report.docx" in message


def _rezip(path: Path, change: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    parts.update(change)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


ATTACHED = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/attachedTemplate" Target="file://host/share/evil.dotm" '
            b'TargetMode="External"/></Relationships>')


@pytest.mark.parametrize(("file", "change", "word"), [
    ("report.docx", {"word/_rels/settings.xml.rels": ATTACHED}, "file://host/share/evil.dotm"),
    ("report.docx", {"word/_rels/document.xml.rels": ATTACHED.replace(
        b"attachedTemplate", b"image").replace(b"file://host/share/evil.dotm",
                                               b"\\\\host\\share\\a.png")}, "host"),
    ("forms.xlsx", {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"}, "externalLinks"),
    ("forms.xlsx", {"xl/connections.xml": b"<connections/>"}, "connections.xml"),
    ("forms.xlsx", {"xl/bomb.xml": b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]><x>&a;</x>"}, "实体"),
    ("forms.xlsx", {"xl/worksheets/big.xml": b" " * (70 * 1024 * 1024)}, "解压后过大"),
])
def test_templates_reaching_out_or_bombs_are_refused_before_opening(
    folder: Path, tmp_path: Path, file: str, change: dict[str, bytes], word: str
) -> None:
    _rezip(folder / file, change)
    message = _export(tmp_path, "docx" if file == "report.docx" else "xlsx")
    assert word in message and file in message


def _sheet_of(cells: int) -> Iterator[bytes]:
    yield b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    yield b"<sheetData>"
    row = b'<row r="1">' + b'<c r="A1"/>' * 1000 + b"</row>"
    for _ in range(cells // 1000):
        yield row
    yield b"</sheetData></worksheet>"


@pytest.mark.parametrize(("cells", "word"), [(20_000_000, "解压后过大"), (300_000, "单元格")])
def test_a_forms_xlsx_of_millions_of_cells_is_refused_in_seconds(
    folder: Path, tmp_path: Path, cells: int, word: str
) -> None:
    """What failed: a 1 MB forms.xlsx holding 20 million cells ran 120 s and took 6 GB.
    Under the size limit, a sheet of too many cells is refused by counting them."""
    forms = folder / "forms.xlsx"
    with zipfile.ZipFile(forms, "a", zipfile.ZIP_DEFLATED) as zf, zf.open(
        "xl/worksheets/many.xml", "w", force_zip64=True
    ) as part:
        for chunk in _sheet_of(cells):
            part.write(chunk)
    if cells == 20_000_000:
        assert forms.stat().st_size < 2 * 1024 * 1024  # a small file on the stick
    message = _export(tmp_path, "xlsx")
    assert word in message and "forms.xlsx" in message
