"""Forms drawn in Excel (``forms.xlsx``) and filled by the template engine (issue #3).

- the engine on small hand-made templates: placeholders, row loops with their merges,
  ``{%vm%}``/``{%hm%}``, conditions, typed formulas, live formulas, print titles, errors;
- the built-in 财政部 自评表 template prints, cell for cell, what the form builder lays
  out (for the seed sample and for random reports);
- a bureau's edited copy of forms.xlsx (a label, a font, the page) is what gets exported.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from export_support import docx_rows, form_tables, merged, norm, under_form_lines, visible
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Border, Font, Side

from perfeval_desktop import paths
from perfeval_desktop.errors import TemplateError
from perfeval_desktop.export import export_report
from perfeval_desktop.export.grid import Grid, Kind
from perfeval_desktop.export.live import (
    Formula,
    Many,
    Placed,
    live_amount,
    live_number,
    live_percent,
    reference_list,
    sum_of,
)
from perfeval_desktop.export.xlsx_template import FORMS_FILE, fill_sheet
from perfeval_desktop.storage.pfe import load
from perfeval_desktop.templates.loader import load_template

ROOT = Path(__file__).resolve().parents[2]
GD = ROOT / "resources" / "samples" / "gd_yuancheng_medical_aid_2021.pfe"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def sheet(rows: list[list[Any]], merges: tuple[str, ...] = (), boxed_from: int = 1) -> Any:
    """A template sheet: ``rows`` of cell values; rows from ``boxed_from`` on bordered."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "表"
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(r, c, value)
            if r >= boxed_from and not (isinstance(value, str) and value.startswith("{%tr")):
                cell.border = BOX
    for m in merges:
        ws.merge_cells(m)
    return ws


def values(ws: Any) -> list[list[Any]]:
    return [[c.value for c in row] for row in ws.iter_rows()]


# ---- the engine ---------------------------------------------------------------------------


def test_placeholders_keep_the_text_around_them_and_numbers_stay_numbers() -> None:
    ws = sheet([["（{{ 年度 }} 年度）", "{{ 分 }}", "{{ 名 }}", "{{ 空 }}"]])
    filled = fill_sheet(ws, {"年度": "2024", "分": Decimal("3.5"), "名": "张三", "空": None},
                        "t.xlsx")
    assert values(ws) == [["（2024 年度）", Decimal("3.5"), "张三", None]]
    cells = {(c.row, c.col): c for c in filled.grid.cells}
    assert cells[(0, 1)].kind is Kind.NUMBER and cells[(0, 1)].text == "3.5"
    assert cells[(0, 0)].kind is Kind.TEXT and cells[(0, 0)].text == "（2024 年度）"


def test_row_loop_repeats_rows_stretches_spanning_merges_and_repeats_inner_ones() -> None:
    ws = sheet([
        ["清单", "名称", "说明", None],
        [None, "{%tr for x in 项 %}", None, None],
        [None, "{{ x.名 }}", "{{ x.注 }}", None],
        [None, "{%tr endfor %}", None, None],
        ["合计", None, "{{ 合计 }}", None],
    ], merges=("A1:A3", "C3:D3", "A5:B5"))
    items = [{"名": f"第{i}项", "注": f"注{i}"} for i in range(1, 4)]
    filled = fill_sheet(ws, {"项": items, "合计": 3}, "t.xlsx")
    assert [row[:3] for row in values(ws)] == [
        ["清单", "名称", "说明"], [None, "第1项", "注1"], [None, "第2项", "注2"],
        [None, "第3项", "注3"], ["合计", None, 3],
    ]
    assert merged(ws) == {"A1:A4", "C2:D2", "C3:D3", "C4:D4", "A5:B5"}
    assert filled.grid.n_rows == 5 and filled.grid.at(3, 0) is filled.grid.at(0, 0)


def test_empty_loop_prints_no_rows_and_loop_variables() -> None:
    ws = sheet([
        ["{%tr for x in 项 %}"],
        ["{{ loop.index }}/{{ loop.length }} {{ x }}"],
        ["{%tr endfor %}"],
        ["完"],
    ])
    fill_sheet(ws, {"项": ["甲", "乙"]}, "t.xlsx")
    assert [r[0] for r in values(ws)] == ["1/2 甲", "2/2 乙", "完"]
    ws = sheet([["{%tr for x in 项 %}"], ["{{ x }}"], ["{%tr endfor %}"], ["完"]])
    fill_sheet(ws, {"项": []}, "t.xlsx")
    assert [r[0] for r in values(ws)] == ["完"]


def test_nested_loops_and_conditions() -> None:
    ws = sheet([
        ["{%tr for g in 组 %}"],
        ["{{ g.名 }}"],
        ["{%tr for m in g.员 %}"],
        ["  {{ m }}"],
        ["{%tr endfor %}"],
        ["{%tr if g.注 %}"],
        ["注：{{ g.注 }}"],
        ["{%tr endif %}"],
        ["{%tr endfor %}"],
    ])
    groups = [{"名": "甲组", "员": ["a", "b"], "注": "有"}, {"名": "乙组", "员": ["c"], "注": ""}]
    fill_sheet(ws, {"组": groups}, "t.xlsx")
    assert [r[0] for r in values(ws)] == ["甲组", "  a", "  b", "注：有", "乙组", "  c"]


def test_vertical_merge_by_key_and_horizontal_merge() -> None:
    ws = sheet([
        ["{%tr for r in 行 %}"],
        ["{%vm r.一级 %}{{ r.一级.名 }}", "{%hm r.层 == 1 %}{{ r.名 }}", "{{ r.分 }}"],
        ["{%tr endfor %}"],
    ])
    a, b = {"id": "a", "名": "产出"}, {"id": "b", "名": "产出"}  # same name, other node
    rows = [{"一级": a, "名": "x", "层": 2, "分": 1}, {"一级": a, "名": "y", "层": 2, "分": 2},
            {"一级": b, "名": "z", "层": 1, "分": 3}]
    fill_sheet(ws, {"行": rows}, "t.xlsx")
    assert merged(ws) == {"A1:A2", "A3:B3"}
    assert values(ws) == [["产出", "x", 1], [None, "y", 2], ["产出", None, 3]]


def test_typed_formulas_follow_their_row() -> None:
    ws = sheet([
        ["{%tr for x in 项 %}"],
        ["{{ x }}", "=A2*2"],
        ["{%tr endfor %}"],
    ])
    fill_sheet(ws, {"项": [1, 2, 3]}, "t.xlsx")
    assert [r[1] for r in values(ws)] == ["=A1*2", "=A2*2", "=A3*2"]


def test_live_values_write_formulas_that_agree_with_the_printed_numbers() -> None:
    ws = sheet([
        ["{%tr for x in 项 %}"],
        ["{{ x }}"],
        ["{%tr endfor %}"],
        ["{{ 合计 }}"],
        ["{{ 错的合计 }}"],
        ["{{ 比率 }}"],
    ])
    items = [live_amount(Decimal(v), ("a", i)) for i, v in enumerate(("1.25", "2.50"))]
    keys = [("a", 0), ("a", 1)]
    ctx = {
        "项": items,
        "合计": live_amount(Decimal("3.75"), ("sum",), sum_of(keys, Decimal("3.75"))),
        "错的合计": live_amount(Decimal("9"), None, sum_of(keys, Decimal("9"))),
        "比率": live_number(Decimal("0.5"), None, 1,
                            Formula("{a}/{b}", {"a": ("a", 0), "b": ("a", 1)})),
    }
    fill_sheet(ws, ctx, "t.xlsx")
    got = [r[0] for r in values(ws)]
    assert got[0] == Decimal("1.25") and ws["A1"].number_format == "0.00"
    assert got[2:] == ["=SUM(A1:A2)", Decimal("9"), "=A1/A2"]
    # a key that is not on the sheet: the plain number
    ws = sheet([["{{ 合计 }}"]])
    fill_sheet(ws, {"合计": live_amount(Decimal(3), None, Formula("SUM({x})",
                                                                    {"x": Many((("z",),))}))},
               "t.xlsx")
    assert ws["A1"].value == Decimal(3)


def test_keep_blocks_and_keep_with_next() -> None:
    """``{%tr keep with next %}`` keeps its rows with the first row printed after them (a
    heading and the table header with the first indicator row); blocks nest, inner first."""
    ws = sheet([
        ["{%tr keep with next %}"],
        ["标题"],
        ["表头"],
        ["{%tr endkeep %}"],
        ["{%tr for x in 项 %}"],
        ["{{ x }}"],
        ["{%tr endfor %}"],
        ["{%tr keep %}"],
        ["{%tr keep %}"],
        ["尾1"],
        ["{%tr endkeep %}"],
        ["尾2"],
        ["{%tr endkeep %}"],
    ])
    grid = fill_sheet(ws, {"项": [1, 2, 3]}, "t.xlsx").grid
    assert [c.text for c in grid.cells] == ["标题", "表头", "1", "2", "3", "尾1", "尾2"]
    assert grid.keep_together == [(0, 2), (5, 5), (5, 6)]
    # nothing printed after the block: kept with nothing more
    ws = sheet([["甲"], ["{%tr  keep  with  next %}"], ["乙"], ["{%tr endkeep %}"]])
    assert fill_sheet(ws, {}, "t.xlsx").grid.keep_together == [(1, 1)]


def test_typed_text_starting_with_equals_stays_text() -> None:
    """A clerk's text ``=3`` is written as text, not as a formula; a blank drawn cell is a
    part of the form (a label), not text to be typed."""
    ws = sheet([["{{ 电话 }}", "=A1", None]], merges=("C1:D1",))
    grid = fill_sheet(ws, {"电话": "=63399978"}, "t.xlsx").grid
    assert ws["A1"].value == "=63399978" and ws["A1"].data_type == "s"
    assert ws["B1"].value == "=A1" and ws["B1"].data_type == "f"
    blank = grid.at(0, 2)
    assert blank is not None and blank.colspan == 2 and blank.kind is Kind.LABEL


def test_print_titles_follow_the_rows() -> None:
    ws = sheet([
        ["标题"],
        ["表头"],
        ["{%tr for x in 项 %}"],
        ["{{ x }}"],
        ["{%tr endfor %}"],
    ], boxed_from=2)
    ws.print_title_rows = "2:2"
    filled = fill_sheet(ws, {"项": list(range(30))}, "t.xlsx")
    assert ws.print_title_rows.replace("$", "") == "2:2"
    assert filled.grid.repeat_rows == 1 and [ln.text for ln in filled.grid.title_lines] == ["标题"]
    assert ws.print_area.replace("$", "").endswith("A1:A32")  # 标题, 表头 and 30 rows


def test_rows_grow_for_wrapped_text() -> None:
    ws = sheet([["{{ 长 }}"]])
    ws.column_dimensions["A"].width = 10
    ws["A1"].font = Font(size=10.5)
    from openpyxl.styles import Alignment

    ws["A1"].alignment = Alignment(wrap_text=True)
    fill_sheet(ws, {"长": "很长的文字" * 10}, "t.xlsx")
    assert ws.row_dimensions[1].height > 60


@pytest.mark.parametrize(("text", "words"), [
    ("{{ 项目名 }}", ["t.xlsx", "“表”", "单元格 A1", "{{ 项目名 }}", "项目名", "可用：项目名称"]),
    ("{{ 项目名称.__class__ }}", ["单元格 A1", "程序内部"]),
    ("{{ 项目名称.__len__ }}", ["程序内部"]),
    ("{{ 项目名称.upper.__globals__ }}", ["程序内部"]),
    ("{{ 项目名称 ", ["单元格 A1", "成对"]),
])
def test_bad_placeholders_name_the_file_sheet_cell_and_placeholder(text: str,
                                                                  words: list[str]) -> None:
    ws = sheet([["x"], [text]])
    ws.move_range("A2", rows=-1)
    with pytest.raises(TemplateError) as info:
        fill_sheet(ws, {"项目名称": "甲"}, "t.xlsx")
    for word in words:
        assert word in info.value.message, (word, info.value.message)


@pytest.mark.parametrize(("rows", "word"), [
    ([["{%tr for x in 项 %}"], ["{{ x }}"]], "endfor"),
    ([["{%tr endfor %}"]], "没有对应"),
    ([["{%tr while 1 %}"]], "不认识"),
    ([["{%tr for x in 名 %}"], ["{{ x }}"], ["{%tr endfor %}"]], "不是可以逐行列出"),
])
def test_bad_row_markers(rows: list[list[Any]], word: str) -> None:
    with pytest.raises(TemplateError) as info:
        fill_sheet(sheet(rows), {"项": [1], "名": "甲"}, "t.xlsx")
    assert word in info.value.message and "t.xlsx" in info.value.message


# ---- a bureau edits forms.xlsx ---------------------------------------------------------------


def test_a_bureaus_edited_forms_xlsx_is_what_gets_exported(tmp_path: Path) -> None:
    user = paths.user_templates_dir() / "mof_self_eval_gd"
    shutil.copytree(ROOT / "templates" / "mof_self_eval_gd", user)
    wb = load_workbook(user / FORMS_FILE)
    ws = wb["项目支出绩效自评表"]
    assert ws["A5"].value == "项目名称"
    ws["A5"].value = "项目全称"  # a label
    for row in ws.iter_rows(min_row=5, max_row=20):  # the table font
        for cell in row:
            cell.font = Font(name="仿宋", size=12, bold=cell.font.b)
    ws.page_margins.left = 1.0  # inches
    (footer,) = [c for row in ws.iter_rows() for c in row
                 if isinstance(c.value, str) and c.value.startswith("联系人：")]
    footer.value = "填表人：{{ 联系人 }}"  # 联系人 潘攀 (the 填报人 is 潘挚)
    wb.save(user / FORMS_FILE)

    template = load_template("mof_self_eval_gd")
    assert template.folder == user
    xlsx, docx = export_report(load(GD), template, tmp_path, formats=("xlsx", "docx"),
                               parts=["附件1"])
    out = load_workbook(xlsx).active
    assert out["A5"].value == "项目全称" and out["C5"].value == "医疗救助补助资金"
    assert out["A5"].font.name == "仿宋" and float(out["A5"].font.sz) == 12
    assert round(out.page_margins.left, 2) == 1.0
    footer = [out.cell(out.max_row - 1, c).value for c in range(1, 10)]  # (then the 注)
    assert "填表人：潘攀" in footer
    doc = Document(str(docx))
    rows = [visible(r) for r in docx_rows(form_tables(doc)[0])]
    assert rows[0][:2] == ["项目全称", "医疗救助补助资金"]
    assert any("填表人：潘攀" in norm(t) for t in under_form_lines(doc))


def test_a_broken_forms_xlsx_says_which_file(tmp_path: Path) -> None:
    user = paths.user_templates_dir() / "mof_self_eval_gd"
    shutil.copytree(ROOT / "templates" / "mof_self_eval_gd", user)
    (user / FORMS_FILE).write_bytes(b"not a workbook")
    with pytest.raises(TemplateError) as info:
        export_report(load(GD), load_template("mof_self_eval_gd"), tmp_path, formats=("xlsx",))
    assert FORMS_FILE in info.value.message and str(user) in info.value.message
    assert "另存为" in info.value.message
    assert list(tmp_path.iterdir()) == []


# ---- repeated columns, fixed decimals, formulas with alternatives ------------------------------


def test_column_loop_repeats_columns_with_their_widths_merges_and_names() -> None:
    rows: list[list[Any]] = [
        ["标题", None, None, None],
        [None, "{%tc for x in 项 %}", "{%tc endfor %}", None],
        ["名称", "{{ x.名 }}", None, "合计"],
        ["值", "{{ x.甲 }}", "{{ loop.index }}", "{{ 合计 }}"],
    ]

    def filled(items: list[dict[str, Any]]) -> tuple[Any, Grid]:
        ws = sheet(rows, merges=("A1:D1", "B3:C3"), boxed_from=3)
        for col, width in zip("ABCD", (10, 5, 6, 8), strict=True):
            ws.column_dimensions[col].width = width
        return ws, fill_sheet(ws, {"项": items, "合计": 9}, "t.xlsx").grid

    ws, grid = filled([{"名": "甲组", "甲": 1}, {"名": "乙组", "甲": 2}])
    assert values(ws) == [
        ["标题", None, None, None, None, None],  # the {%tc%} row is not printed
        ["名称", "甲组", None, "乙组", None, "合计"],
        ["值", 1, 1, 2, 2, 9],
    ]
    assert merged(ws) == {"A1:F1", "B2:C2", "D2:E2"}  # stretched; repeated with its columns
    assert grid.columns == [10, 5, 6, 5, 6, 8] and grid.n_rows == 2
    assert [ln.text for ln in grid.title_lines] == ["标题"]
    ws, grid = filled([])
    assert values(ws) == [["标题", None], ["名称", "合计"], ["值", 9]]
    assert merged(ws) == {"A1:B1"} and grid.columns == [10, 8]


@pytest.mark.parametrize(("rows", "word"), [
    ([["{%tc for x in 项 %}"], ["{{ x }}"]], "缺少对应"),
    ([["{%tc endfor %}"]], "没有对应"),
    ([["{%tc for x in 名 %}{%tc endfor %}"]], "不是可以逐列列出"),
    ([["{%tc for x in 项 %}", "{%tc for y in 项 %}"]], "不能嵌套"),
    ([["{%tc for x in 项 %}"], ["{%tc endfor %}"]], "同一行"),
    ([["列 {%tc for x in 项 %}{%tc endfor %}"]], "单独"),
])
def test_bad_column_markers(rows: list[list[Any]], word: str) -> None:
    with pytest.raises(TemplateError) as info:
        fill_sheet(sheet(rows), {"项": [1], "名": "甲"}, "t.xlsx")
    assert word in info.value.message and "t.xlsx" in info.value.message


def test_a_fixed_number_format_prints_that_many_decimals() -> None:
    """A cell formatted ``0.00`` prints 3 as 3.00 in Word too, as Excel shows it."""
    ws = sheet([["{{ 分 }}", "{{ 分 }}", "{{ 数 }}", "{{ 分 }}", "{{ 率 }}"]])
    for col, fmt in (("A", "0.00"), ("C", "0.0"), ("D", "0"), ("E", "0.00")):
        ws[f"{col}1"].number_format = fmt
    ctx = {"分": live_number(Decimal("3.456"), None, 2), "数": Decimal("2.5"),
           "率": live_percent(Decimal("0.5"), 1)}
    grid = fill_sheet(ws, ctx, "t.xlsx").grid
    assert [c.text for c in grid.cells] == ["3.46", "3.46", "2.5", "3", "50.0%"]
    assert ws["A1"].value == Decimal("3.46") and ws["A1"].number_format == "0.00"


def test_formula_alternatives_optional_keys_and_row_ranges() -> None:
    placed = {("a", i): Placed(4, 2 + i, Decimal(i)) for i in range(4)}
    first = Formula("SUM({x})", {"x": Many((("z",),))})
    assert first.resolve(placed) is None  # ("z",) is not on the sheet
    either = Formula("SUM({x})", {"x": Many((("z",),))},
                     otherwise=Formula("SUM({x})", {"x": Many(tuple(placed))}))
    assert either.resolve(placed) == "=SUM(B4:E4)"  # one row: a range along it
    optional = Formula("SUM({x})", {"x": Many((("z",), ("a", 1)), frozenset({("z",)}))})
    assert optional.resolve(placed) == "=SUM(C4)"
    nothing = Formula("SUM({x})", {"x": Many((("z",),), frozenset({("z",)}))})
    assert nothing.resolve(placed) is None  # none of it on the sheet: no formula
    assert reference_list([(8, 8), (15, 8), (16, 8), (5, 6)]) == "F5,H8,H15:H16"
