"""Issue #13 §3, the last part: “Full recalculation on open stays only for the program's own
formulas.”  A template's forms.xlsx may carry its own calculation settings (manual mode,
iteration, its own fullCalcOnLoad); the exported workbook keeps none of them, and asks Excel
and WPS to recalculate on opening only when it holds formulas the program wrote.  Asserted on
the XML of the files themselves."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from perfeval_desktop import paths
from perfeval_desktop.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "resources" / "samples"
GD = SAMPLES / "gd_yuancheng_medical_aid_2021.pfe"
SC = SAMPLES / "sc_panzhihua_supervision_2022.pfe"
# what a bureau's workbook may say: recalculate manually, iterate, never on save, and in full
# on every opening
HOSTILE_CALC = (
    '<calcPr calcId="191029" calcMode="manual" fullCalcOnLoad="1" iterate="1" '
    'iterateCount="32767" iterateDelta="0.5" calcOnSave="0" forceFullCalc="1" '
    'concurrentCalc="0" fullPrecision="0"/>'
)


def _user_copy_with_calc_flags(template_id: str) -> Path:
    """The built-in template copied into the user's folder, its forms.xlsx's workbook.xml
    carrying HOSTILE_CALC in place of its own calcPr."""
    folder = paths.user_templates_dir() / template_id
    shutil.copytree(ROOT / "templates" / template_id, folder)
    forms = folder / "forms.xlsx"
    with zipfile.ZipFile(forms) as zf:
        entries = [(info, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(forms, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            if info.filename == "xl/workbook.xml":
                text, n = re.subn(r"<calcPr[^>]*/>", HOSTILE_CALC, data.decode("utf-8"))
                assert n == 1
                data = text.encode("utf-8")
            zf.writestr(info, data)
    return forms


def _calc_attributes(xlsx: Path) -> dict[str, str]:
    with zipfile.ZipFile(xlsx) as zf:
        book = zf.read("xl/workbook.xml").decode("utf-8")
    (calc,) = re.findall(r"<calcPr[^>]*/>", book)
    return dict(re.findall(r'(\w+)="([^"]*)"', calc))


def _formula_count(xlsx: Path) -> int:
    with zipfile.ZipFile(xlsx) as zf:
        return sum(zf.read(name).count(b"<f>") for name in zf.namelist()
                   if name.startswith("xl/worksheets/"))


def _export(sample: Path, out: Path) -> Path:
    assert main(["export", str(sample), "-o", str(out), "--format", "xlsx"]) == 0
    (xlsx,) = out.glob("*.xlsx")
    return xlsx


def test_the_template_flags_are_dropped_and_ours_kept_with_our_formulas(tmp_path: Path) -> None:
    forms = _user_copy_with_calc_flags("mof_self_eval_gd")
    assert 'calcMode="manual"' in zipfile.ZipFile(forms).read("xl/workbook.xml").decode()
    xlsx = _export(GD, tmp_path / "out")
    assert _formula_count(xlsx) > 0  # the 总分, 得分 sums… written by the program
    # only the program's flag: none of the template's settings, calcId openpyxl's own
    assert _calc_attributes(xlsx) == {"calcId": "124519", "fullCalcOnLoad": "1"}
    book = load_workbook(xlsx)
    assert book.calculation.fullCalcOnLoad and book.calculation.calcMode is None
    assert book.calculation.iterate is None and book.calculation.forceFullCalc is None


@pytest.mark.parametrize("with_flags", [True, False], ids=["template-flags", "built-in"])
def test_no_recalculation_on_opening_without_our_formulas(
    tmp_path: Path, with_flags: bool
) -> None:
    """四川's 资金计划、到位及使用情况 holds figures, no formula: nothing to recalculate, so
    the workbook does not ask for it, whatever the template said."""
    if with_flags:
        _user_copy_with_calc_flags("sichuan_self_eval")
    xlsx = _export(SC, tmp_path / "out")
    assert _formula_count(xlsx) == 0
    calc = _calc_attributes(xlsx)
    assert calc.get("fullCalcOnLoad", "0") in ("0", "false"), calc
    assert not {"calcMode", "iterate", "iterateCount", "forceFullCalc", "calcOnSave"} & set(calc)
    assert not load_workbook(xlsx).calculation.fullCalcOnLoad
