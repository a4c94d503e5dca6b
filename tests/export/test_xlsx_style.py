"""A template folder's styles.xlsx restyles the exported workbooks (fonts, border, page)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from perfeval_desktop import paths
from perfeval_desktop.errors import TemplateError
from perfeval_desktop.export import export_report
from perfeval_desktop.export.xlsx import (
    DEFAULT_STYLE,
    STYLE_FILE,
    SheetStyle,
    load_style,
    write_style_file,
)
from perfeval_desktop.export.xlsx_template import FORMS_FILE
from perfeval_desktop.storage.pfe import load
from perfeval_desktop.templates.loader import load_template

ROOT = Path(__file__).resolve().parents[2]
YN = ROOT / "resources" / "samples" / "yn_wuhua_payables_2024.pfe"


def test_every_builtin_template_has_the_default_style() -> None:
    """Each family styles its forms: by forms.xlsx (the forms drawn in Excel, see
    test_xlsx_template.py) or, for forms laid out by code, by styles.xlsx."""
    for manifest in (ROOT / "templates").glob("*/manifest.yaml"):
        folder = manifest.parent
        assert (folder / "forms.xlsx").is_file() or (folder / STYLE_FILE).is_file(), folder.name
        if (folder / STYLE_FILE).is_file():
            assert load_style(folder / STYLE_FILE) == DEFAULT_STYLE, folder.name


def test_style_round_trips(tmp_path: Path) -> None:
    style = SheetStyle(title_font="方正小标宋简体", table_font="仿宋", table_size=12,
                       border_color="1F4E79", margins_mm=(20, 18, 25, 22), footer="第 &P 页")
    write_style_file(tmp_path / STYLE_FILE, style)
    assert load_style(tmp_path / STYLE_FILE) == style


def test_user_override_restyles_the_export(tmp_path: Path) -> None:
    """A user folder whose forms are laid out by the program (its forms.xlsx removed, as
    in a folder made before forms.xlsx existed) styles them by its styles.xlsx."""
    user = paths.user_templates_dir() / "yunnan_dept_eval"
    shutil.copytree(ROOT / "templates" / "yunnan_dept_eval", user)
    (user / FORMS_FILE).unlink()
    assert not (user / STYLE_FILE).exists()
    write_style_file(user / STYLE_FILE, SheetStyle(table_font="仿宋", table_size=12,
                                                   margins_mm=(20, 20, 25, 25)))
    template = load_template("yunnan_dept_eval")
    assert template.folder == user
    (xlsx,) = export_report(load(YN), template, tmp_path, formats=("xlsx",))
    ws = load_workbook(xlsx).active
    assert ws["A4"].value == "项目名称"
    assert ws["A4"].font.name == "仿宋" and float(ws["A4"].font.sz) == 12
    assert round(ws.page_margins.left * 25.4) == 20 and round(ws.page_margins.top * 25.4) == 25
    assert ws["A2"].value.endswith("部门评价表") and ws["A2"].font.name == "黑体"


def test_a_damaged_style_file_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / STYLE_FILE
    bad.write_bytes(b"not a workbook")
    with pytest.raises(TemplateError) as info:
        load_style(bad)
    assert str(bad) in info.value.message and "重新保存" in info.value.message
