"""Write the built-in form templates ``templates/<id>/forms.xlsx`` (issue #3).

The workbook is an ordinary Excel file a bureau opens and restyles in Excel or WPS; this
script only makes the first version reproducible.  The template language is described in
perfeval_desktop/export/xlsx_template.py and in the README.

    python scripts/build_form_templates.py            # every family defined below
    python scripts/build_form_templates.py third_party_eval   # one family
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from perfeval_desktop.export.self_eval_table import COLUMN_WIDTHS as SELF_EVAL_WIDTHS
from perfeval_desktop.export.sichuan_tables import FUNDING_HEADERS, FUNDING_TITLE, FUNDING_WIDTHS
from perfeval_desktop.export.third_party_tables import LEVEL_SHEET
from perfeval_desktop.export.xlsx import DEFAULT_STYLE, page_setup
from perfeval_desktop.export.xlsx_template import FORMS_FILE
from perfeval_desktop.export.yunnan_table import COLUMN_WIDTHS, FORM_TITLE, NOTE, NOTE_SIZE

ROOT = Path(__file__).resolve().parent.parent
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TABLE_SIZE = 10.5


@dataclass
class Sheet:
    ws: Worksheet
    n_cols: int

    def line(self, row: int, text: str, *, size: float, font: str = "宋体",
             bold: bool = False, align: str = "center", first: int = 1,
             last: int | None = None) -> None:
        """A line above or below the table: no border, one merged cell."""
        last = last or self.n_cols
        cell = self.ws.cell(row, first, text)
        cell.font = Font(name=font, size=size, bold=bold)
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=False)
        if last > first:
            self.ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        self.ws.row_dimensions[row].height = round(size * 1.4 + 8.0, 1)

    def cell(self, row: int, col: int, text: str | None, *, cols: int = 1, rows: int = 1,
             align: str = "center", bold: bool = False, fmt: str | None = None) -> None:
        """A bordered table cell (merged over ``rows`` × ``cols``)."""
        for r in range(row, row + rows):
            for c in range(col, col + cols):
                x = self.ws.cell(r, c)
                x.border = BOX
                x.font = Font(name="宋体", size=TABLE_SIZE, bold=bold)
                x.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
                if fmt:
                    x.number_format = fmt
        self.ws.cell(row, col).value = text
        if rows > 1 or cols > 1:
            self.ws.merge_cells(start_row=row, start_column=col, end_row=row + rows - 1,
                                end_column=col + cols - 1)

    def captions(self, row: int, first: int, texts: Iterable[str], bold: bool = False) -> None:
        """Column headings in consecutive cells of ``row`` from column ``first`` on."""
        for col, text in enumerate(texts, start=first):
            self.cell(row, col, text, bold=bold)

    def marker(self, row: int, text: str, col: int = 2) -> None:
        """A {%tr … %} / {%tc … %} row: not printed; kept low and grey so it reads as a
        note (not in a repeated column, which may be printed no time at all)."""
        x = self.ws.cell(row, col, text)
        x.font = Font(name="宋体", size=9, color="808080")
        self.ws.row_dimensions[row].height = 14

    def notes(self, row: int, size: float = TABLE_SIZE) -> int:
        """``注：`` lines under the form, one per 计分说明 (a cap and its arithmetic): what the
        program adds is never a row of the form's grid.  Returns the last row used."""
        self.marker(row, "{%tr for 说明 in 计分说明 %}")
        self.line(row + 1, "注：{{ 说明.内容 }}", size=size, align="left")
        self.ws.cell(row + 1, 1).alignment = Alignment(horizontal="left", vertical="center",
                                                        wrap_text=True)
        self.marker(row + 2, "{%tr endfor %}")
        return row + 2

    def page(self, *, landscape: bool, title_rows: str | None, last_row: int) -> None:
        page_setup(self.ws, landscape, DEFAULT_STYLE)
        self.ws.print_title_rows = title_rows
        self.ws.print_area = f"A1:{get_column_letter(self.n_cols)}{last_row}"


def new_sheet(wb: Workbook, title: str, widths: list[float]) -> Sheet:
    ws = wb.create_sheet(title)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    return Sheet(ws, len(widths))


# ---- 财政部 项目支出绩效自评表 (seed 002 附件1) ----------------------------------------------


def self_eval(wb: Workbook) -> None:
    s = new_sheet(wb, "项目支出绩效自评表", list(SELF_EVAL_WIDTHS))
    s.line(1, "{{ 附件标识 }}", size=14, font="黑体", align="left")
    s.line(2, '{{ 项目名称 or "未命名项目" }}-项目支出绩效自评表', size=18, font="黑体",
           bold=True)
    s.line(3, "({{ 年度 }} 年度)", size=12)
    s.line(4, "填报单位(公章) {{ 填报单位 }}", size=12, align="left")
    # header
    s.cell(5, 1, "项目名称", cols=2)
    s.cell(5, 3, "{{ 项目名称 }}", cols=7, align="left")
    s.cell(6, 1, "主管部门", cols=2)
    s.cell(6, 3, "{{ 主管部门 }}", cols=3, align="left")
    s.cell(6, 6, "实施单位")
    s.cell(6, 7, "{{ 实施单位 }}", cols=3, align="left")
    # funding: 年度资金总额, then one row per kind (其中: …)
    s.cell(7, 1, "项目资金\n(万元)", rows=4)
    s.cell(7, 2, None)
    s.captions(7, 3, ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率"))
    s.cell(7, 8, "得分", cols=2)
    s.cell(8, 2, "年度资金总额", align="left")
    for col, name in ((3, "年初预算数"), (4, "全年预算数"), (5, "全年执行数")):
        s.cell(8, col, f"{{{{ 资金.{name} }}}}", fmt="0.00")
    s.cell(8, 6, "{{ 资金.分值 }}")
    s.cell(8, 7, "{{ 资金.执行率 }}", fmt="0.0%")
    s.cell(8, 8, "{{ 资金.得分 }}", cols=2)
    s.marker(9, "{%tr for 类 in 资金类别 %}")
    s.cell(10, 2, '{{ "其中:" if loop.first else "" }}{{ 类.名称 }}', align="left")
    for col, name in ((3, "年初预算数"), (4, "全年预算数"), (5, "全年执行数")):
        s.cell(10, col, f"{{{{ 类.{name} }}}}", fmt="0.00")
    s.cell(10, 6, "—")
    s.cell(10, 7, "{{ 类.执行率 }}", fmt="0.0%")
    s.cell(10, 8, "—", cols=2)
    s.marker(11, "{%tr endfor %}")
    # 年度总体目标
    s.cell(12, 1, "年度总体目标", rows=2)
    s.cell(12, 2, "预期目标", cols=3)
    s.cell(12, 5, "实际完成情况", cols=5)
    s.cell(13, 2, "{{ 预期目标 }}", cols=3, align="left")
    s.cell(13, 5, "{{ 实际完成情况 }}", cols=5, align="left")
    # 绩效指标 … 计分说明: one row per leaf, first/second level merged down; kept on a page
    s.marker(14, "{%tr keep %}")
    s.cell(15, 1, "绩效指标", rows=6)
    s.captions(15, 2, ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值",
                       "分值", "得分", "偏差原因分析及改进措施"))
    s.marker(16, "{%tr for 行 in 指标行 %}")
    s.cell(17, 2, "{%vm 行.一级 %}{{ 行.一级.标签 }}")
    s.cell(17, 3, "{%hm 行.层级 == 1 %}{%vm 行.二级 %}{{ 行.二级.标签 }}")
    s.cell(17, 4, "{%hm 行.层级 <= 2 %}{{ 行.名称 }}", align="left")
    s.cell(17, 5, "{{ 行.年度指标值 }}")
    s.cell(17, 6, "{{ 行.实际完成值 }}")
    s.cell(17, 7, "{{ 行.分值 }}")
    s.cell(17, 8, "{{ 行.得分 }}")
    s.cell(17, 9, "{{ 行.偏差原因 }}", align="left")
    s.marker(18, "{%tr endfor %}")
    s.marker(19, "{%tr if not 指标行 %}")  # no indicator yet: one empty row to write in
    s.cell(20, 2, None, cols=8)
    s.marker(21, "{%tr endif %}")
    # 总分 and 等次; why it is capped goes in a 注 under the form
    s.cell(22, 1, "总分", cols=6)
    s.cell(22, 7, "{{ 总分值 }}")
    s.cell(22, 8, "{{ 总分 }}")
    s.cell(22, 9, "{{ 等次 }}")
    s.marker(23, "{%tr endkeep %}")
    for first, last, text in ((1, 3, "联系人：{{ 联系人 }}"), (4, 6, "联系电话：{{ 联系电话 }}"),
                              (7, 9, "单位负责人签名：{{ 单位负责人 }}")):
        s.line(25, text, size=12, align="left", first=first, last=last)
    last = s.notes(26, size=12)
    # the column headings (一级指标 … 偏差原因) repeat on every page the table runs onto
    s.page(landscape=True, title_rows="15:15", last_row=last)


# ---- 财政部参考提纲 附件1–3 (宿州, seed 000) -------------------------------------------------


def annex_heading(s: Sheet, tail: str) -> None:
    """附件N, the title (项目名称 + the form's name) and the year, as seed 000 prints them."""
    s.line(1, "{{ 附件标识 }}", size=14, font="黑体", align="left")
    s.line(2, '{{ 项目名称 or "未命名项目" }}' + tail, size=16, font="黑体", bold=True)
    s.line(3, "（{{ 年度 }}年度）", size=12)


def outline_goals(wb: Workbook) -> None:
    """附件1 绩效目标完成清单: the indicators with a 年度目标值, the tree merged down."""
    s = new_sheet(wb, "绩效目标完成清单", [11.0, 14.0, 47.0, 20.0, 20.0, 20.0])
    annex_heading(s, "项目支出项目绩效目标完成清单")
    s.cell(4, 1, "指标", cols=3, bold=True)
    for col, caption in ((4, "年度目标值"), (5, "实际完成值"), (6, "完成情况")):
        s.cell(4, col, caption, rows=2, bold=True)
    s.captions(5, 1, ("一级指标", "二级指标", "三级指标"), bold=True)
    s.marker(6, "{%tr for 行 in 绩效目标行 %}")
    s.cell(7, 1, "{%vm 行.一级 %}{{ 行.一级.名称 }}")
    s.cell(7, 2, "{%hm 行.层级 == 1 %}{%vm 行.二级 %}{{ 行.二级.名称 }}")
    s.cell(7, 3, "{%hm 行.层级 <= 2 %}{{ 行.名称 }}", align="left")
    s.cell(7, 4, "{{ 行.年度指标值 }}")
    s.cell(7, 5, "{{ 行.实际完成值 }}")
    s.cell(7, 6, "{{ 行.完成情况 }}")
    s.marker(8, "{%tr endfor %}")
    s.marker(9, "{%tr if not 绩效目标行 %}")
    s.cell(10, 1, "无", cols=6)
    s.marker(11, "{%tr endif %}")
    s.page(landscape=True, title_rows="4:5", last_row=11)


def outline_problems(wb: Workbook) -> None:
    """附件2 问题清单: one row per problem, 无 where there is none."""
    s = new_sheet(wb, "问题清单", [7.0, 33.0, 28.0, 36.0, 20.0, 14.0])
    annex_heading(s, "项目支出项目绩效评价问题清单")
    s.captions(4, 1, ("序号", "问题", "原因", "整改措施/建议", "责任单位", "完成时限"),
               bold=True)
    s.marker(5, "{%tr for 项 in 问题清单 %}")
    s.cell(6, 1, "{{ loop.index }}")
    for col, name in ((2, "问题"), (3, "原因"), (4, "整改措施")):
        s.cell(6, col, f"{{{{ 项.{name} }}}}", align="left")
    s.cell(6, 5, "{{ 项.责任单位 }}")
    s.cell(6, 6, "{{ 项.完成时限 }}")
    s.marker(7, "{%tr endfor %}")
    s.marker(8, "{%tr if not 问题清单 %}")
    s.cell(9, 1, "无", cols=6)
    s.marker(10, "{%tr endif %}")
    s.page(landscape=True, title_rows="4:4", last_row=10)


def outline_scores(wb: Workbook) -> None:
    """附件3 评分情况表: every leaf with 分值, 得分 and 评分说明, 合计 and 评价等次 live."""
    s = new_sheet(wb, "评分情况表", [10.0, 13.0, 26.0, 6.0, 6.0, 25.0])
    annex_heading(s, "项目支出项目绩效评价评分情况表")
    s.captions(4, 1, ("一级指标", "二级指标", "三级指标", "分值", "得分", "评分说明"),
               bold=True)
    # a rule set scoring 预算执行率 outside the tree (财政部 自评表): a row of its own
    s.marker(5, "{%tr if 资金.分值 %}")
    s.cell(6, 1, "{{ 资金.指标名称 }}", cols=3)
    s.cell(6, 4, "{{ 资金.分值 }}")
    s.cell(6, 5, "{{ 资金.得分 }}")
    s.cell(6, 6, None)
    s.marker(7, "{%tr endif %}")
    s.marker(8, "{%tr for 行 in 指标行 %}")
    s.cell(9, 1, "{%vm 行.一级 %}{{ 行.一级.标签 }}")
    s.cell(9, 2, "{%hm 行.层级 == 1 %}{%vm 行.二级 %}{{ 行.二级.标签 }}")
    s.cell(9, 3, "{%hm 行.层级 <= 2 %}{{ 行.名称 }}", align="left")
    s.cell(9, 4, "{{ 行.分值 }}")
    s.cell(9, 5, "{{ 行.得分 }}")
    s.cell(9, 6, "{{ 行.评分说明 }}", align="left")
    s.marker(10, "{%tr endfor %}")
    s.marker(11, "{%tr if not 指标行 %}")
    s.cell(12, 1, "无", cols=6)
    s.marker(13, "{%tr endif %}")
    s.cell(14, 1, "合计", cols=3, bold=True)
    s.cell(14, 4, "{{ 总分值 }}", bold=True)
    s.cell(14, 5, "{{ 总分 }}", bold=True)
    s.cell(14, 6, None)
    s.cell(15, 1, "评价等次", cols=3, bold=True)
    s.cell(15, 4, "{{ 等次 }}", cols=3, bold=True)
    last = s.notes(16)
    s.page(landscape=False, title_rows="4:4", last_row=last)


# ---- 第三方绩效评价报告 表1 and 表2…表N ---------------------------------------------------------


def table_heading(s: Sheet) -> None:
    """``表1　项目整体得分情况表`` and ``单位：分`` on the right."""
    s.line(1, "{{ 附件标识 }}　{{ 表名 }}", size=14, font="黑体", bold=True)
    s.line(2, "单位：分", size=TABLE_SIZE, align="right")


def third_party_summary(wb: Workbook) -> None:
    """表1 项目整体得分情况表: a column per first-level indicator (the {%tc %} row), 合计."""
    # the 分值 and 得分 as the engine rounds them, printed without trailing zeros (4, 17.03)
    s = new_sheet(wb, "项目整体得分情况表", [12.0, 12.0, 12.0])
    table_heading(s)
    s.marker(3, "{%tc for 项 in 一级指标 %}{%tc endfor %}")  # column B, once per indicator
    s.marker(4, "{%tr keep %}", col=1)
    s.cell(5, 1, "评价项目", bold=True)
    s.cell(5, 2, '{{ 项.名称 if 项.名称.endswith("指标") else 项.名称 ~ "指标" }}', bold=True)
    s.cell(5, 3, "合计", bold=True)
    s.cell(6, 1, "权重")
    s.cell(6, 2, "{{ 项.分值 }}")
    s.cell(6, 3, "{{ 总分值 }}")
    s.cell(7, 1, "分值")
    s.cell(7, 2, "{{ 项.得分 }}")  # as computed, at most score_decimals places: 4, 17.03
    s.cell(7, 3, "{{ 总分 }}")
    s.cell(8, 1, "得分率")
    s.cell(8, 2, "{{ 项.得分率 }}", fmt="0.00%")
    s.cell(8, 3, "{{ 总得分率 }}", fmt="0.00%")
    s.marker(9, "{%tr endkeep %}", col=1)
    s.page(landscape=False, title_rows="5:5", last_row=9)


def third_party_levels(wb: Workbook) -> None:
    """表2…表N: one sheet drawing the score table of every first-level indicator, which
    the context names 本表一级指标 (附件标识 and 表名 are the part's: 表2, 决策指标评分表)."""
    s = new_sheet(wb, LEVEL_SHEET, [18.0, 36.0, 12.0, 12.0])
    table_heading(s)
    s.marker(3, "{%tr keep %}")
    s.captions(4, 1, ("二级指标", "三级指标", "绩效分值", "实际得分"), bold=True)
    s.marker(5, "{%tr for 行 in 本表一级指标.评分行 %}")
    s.cell(6, 1, "{%vm 行.二级 %}{{ 行.二级.名称 }}")
    s.cell(6, 2, "{{ 行.名称 }}", align="left")
    s.cell(6, 3, "{{ 行.绩效分值 }}")
    s.cell(6, 4, "{{ 行.实际得分 }}")
    s.marker(7, "{%tr endfor %}")
    s.marker(8, "{%tr if not 本表一级指标.评分行 %}")
    s.cell(9, 1, None, cols=4)
    s.marker(10, "{%tr endif %}")
    s.cell(11, 1, "小计", cols=2, bold=True)
    s.cell(11, 3, "{{ 本表一级指标.分值 }}")
    s.cell(11, 4, "{{ 本表一级指标.得分 }}")
    s.marker(12, "{%tr endkeep %}")
    s.page(landscape=False, title_rows="4:4", last_row=12)


# ---- 云南 区级预算支出部门评价表 (seed 004 附件1) ---------------------------------------------

IDEO = "\u3000"  # one CJK character wide: the padding the form prints


def yunnan_form(wb: Workbook) -> None:
    """The 评价表: header, 项目资金 (明细, 合计, 其中 by source), goals, the indicator tree
    with a 分值 column per level (the 一级 cells of a 分值组 merged: 决策+过程 40), 总分, the
    ticked 评价等次 with its legend, 问题和建议, 评价人员, the signature lines and the 注."""
    s = new_sheet(wb, FORM_TITLE, list(COLUMN_WIDTHS))
    s.line(1, "{{ 附件标识 }}：", size=14, font="黑体", align="left")
    s.line(2, "{{ 地区 }}{{ 地区级别 }}级预算支出部门评价表", size=18, font="黑体", bold=True)
    s.line(3, '（ {{ 年度.strip() or "\u3000\u3000" }} ）年度', size=12)
    s.marker(4, "{%tr if not 地区 %}")  # no 区/县 in the title: the unit is named below it
    s.line(5, "填报单位：{{ 填报单位 }}", size=12, align="left")
    s.marker(6, "{%tr endif %}")
    # header
    s.cell(7, 1, "项目名称")
    s.cell(7, 2, "{{ 项目名称 }}", cols=7, align="left")
    s.cell(8, 1, "主管部门")
    s.cell(8, 2, "{{ 主管部门 }}", cols=3, align="left")
    s.cell(8, 5, "项目实施单位")
    s.cell(8, 6, "{{ 实施单位 }}", cols=3, align="left")
    s.cell(9, 1, "项目负责人")
    s.cell(9, 2, "{{ 项目负责人 }}", cols=3, align="left")
    s.cell(9, 5, "联系电话")
    s.cell(9, 6, "{{ 联系电话 }}", cols=3, align="left")
    s.cell(10, 1, "项目类型")
    tick = '{{{{ "√" if 项目类型 == "{}" else "\u3000" }}}}'
    s.cell(10, 2, f"经常性项目（ {tick.format('经常性')} ）{IDEO * 4}"
                  f"一次性项目（ {tick.format('一次性')} ）", cols=7, align="left")
    # 项目资金: the detail lines (one empty line where there is none), 合计, the sources
    s.cell(11, 1, "项目资金\n（万元）", rows=3)
    s.cell(11, 2, "项目支出明细内容", cols=3)
    s.captions(11, 5, ("年初预算数", "实际到位数", "实际支出数", "执行率"))
    s.marker(12, "{%tr for 项 in 资金明细 %}")
    s.cell(13, 2, "{{ 项.名称 }}", cols=3, align="left")
    amounts = ("年初预算数", "实际到位数", "全年执行数", "执行率")
    for col, name in zip(range(5, 9), amounts, strict=True):
        s.cell(13, col, f"{{{{ 项.{name} }}}}")
    s.marker(14, "{%tr endfor %}")
    s.cell(15, 1, f"合{IDEO * 2}计", cols=4)
    for col in range(5, 9):  # blank, as the published form prints it
        s.cell(15, col, None)
    sources = (("其中：中央财政", "中央财政"), (IDEO * 3 + "省级财政", "省级财政"),
               (IDEO * 3 + "市级财政", "市级财政"),
               (IDEO * 3 + "{{ 地区级别 }}级财政", "区县级财政"),
               (IDEO * 3 + "其他" + IDEO * 2, "其他"))
    for row, (caption, key) in enumerate(sources, start=16):
        s.cell(row, 1, caption, cols=4)
        for col, name in zip(range(5, 9), amounts, strict=True):
            s.cell(row, col, f"{{{{ 资金来源.{key}.{name} }}}}")
    # 年度总体目标
    s.cell(21, 1, "年度总体目标", rows=2)
    s.cell(21, 2, "预期目标", cols=4)
    s.cell(21, 6, "实际完成情况", cols=3)
    s.cell(22, 2, "{{ 预期目标 }}", cols=4, align="left")
    s.cell(22, 6, "{{ 实际完成情况 }}", cols=3, align="left")
    # 绩效评价指标评分: the heading never alone at the foot of a page
    s.marker(23, "{%tr keep with next %}")
    s.cell(24, 1, "二、绩效评价指标评分（参考）", cols=8, align="left", bold=True)
    for col, caption in ((1, "一级指标"), (2, "分值"), (3, "二级指标"), (4, "分值"),
                         (7, "分值"), (8, "得分")):
        s.cell(25, col, caption)
    s.cell(25, 5, "三级指标", cols=2)
    s.marker(26, "{%tr endkeep %}")
    # one row per leaf, drawn for each level it may be at; 一级, 分值组 and 二级 merged down
    s.marker(27, "{%tr for 行 in 指标行 %}")
    first, group = "{%vm 行.一级 %}{{ 行.一级.名称 }}", "{%vm 行.分值组 %}{{ 行.分值组.分值 }}"
    s.marker(28, "{%tr if 行.层级 >= 3 %}")
    s.cell(29, 1, first)
    s.cell(29, 2, group)
    s.cell(29, 3, "{%vm 行.二级 %}{{ 行.二级.名称 }}")
    s.cell(29, 4, "{%vm 行.二级 %}{{ 行.二级.分值 }}")
    s.cell(29, 5, "{{ 行.名称 }}{% if 行.不适用 and 行.不适用原因 %}（不适用：{{ 行.不适用原因 }}）"
                  "{% endif %}", cols=2)
    s.cell(29, 7, "{{ 行.分值 }}")
    s.cell(29, 8, "{{ 行.得分 }}")
    s.marker(30, "{%tr endif %}")
    s.marker(31, "{%tr if 行.层级 == 2 %}")  # a second-level indicator without children
    s.cell(32, 1, first)
    s.cell(32, 2, group)
    s.cell(32, 3, "{{ 行.二级.名称 }}")
    s.cell(32, 4, "{{ 行.二级分值 }}")
    s.cell(32, 5, None, cols=2)
    s.cell(32, 7, "{{ 行.三级分值 }}")
    s.cell(32, 8, "{{ 行.得分 }}")
    s.marker(33, "{%tr endif %}")
    s.marker(34, "{%tr if 行.层级 == 1 %}")  # a first-level indicator without children
    s.cell(35, 1, first)
    s.cell(35, 2, group)
    s.cell(35, 3, None)
    s.cell(35, 4, None)
    s.cell(35, 5, None, cols=2)
    s.cell(35, 7, "{{ 行.三级分值 }}")
    s.cell(35, 8, "{{ 行.得分 }}")
    s.marker(36, "{%tr endif %}")
    s.marker(37, "{%tr endfor %}")
    s.marker(38, "{%tr if not 指标行 %}")
    s.cell(39, 1, None, cols=8)
    s.marker(40, "{%tr endif %}")
    s.cell(41, 1, "总分")
    s.cell(41, 2, "{{ 一级分值合计 }}")
    s.cell(41, 3, None)
    s.cell(41, 4, "{{ 二级分值合计 }}")
    s.cell(41, 5, None, cols=2)
    s.cell(41, 7, "{{ 总分值 }}")
    s.cell(41, 8, "{{ 总分 }}")
    # 评价等次 … 评价人员 on one page (with the lines under the form, where Word keeps them)
    s.marker(42, "{%tr keep %}")
    s.marker(43, "{%tr keep %}")
    s.cell(44, 1, "评价等次", rows=2)
    s.cell(44, 2, "{{ 等次勾选 }}", cols=7, align="left")
    s.cell(45, 2, "{{ 等次说明 }}", cols=7, align="left")
    s.marker(46, "{%tr endkeep %}")
    s.cell(47, 1, "问题和建议")
    s.cell(47, 2, "{{ 问题和建议 }}", cols=7, align="left")
    s.marker(48, "{%tr keep %}")
    s.cell(49, 1, "评价人员", cols=8)
    for col, caption in ((1, "姓名"), (3, "职务/职称"), (5, "单位"), (7, "签字")):
        s.cell(50, col, caption, cols=2)
    s.marker(51, "{%tr for 人 in 评价人员 %}")
    for col, name in ((1, "姓名"), (3, "职务"), (5, "单位")):
        s.cell(52, col, f"{{{{ 人.{name} }}}}", cols=2)
    s.cell(52, 7, None, cols=2)
    s.marker(53, "{%tr endfor %}")
    s.marker(54, "{%tr if not 评价人员 %}")  # three empty rows to write in by hand
    for row in (55, 56, 57):
        for col in (1, 3, 5, 7):
            s.cell(row, col, None, cols=2)
    s.marker(58, "{%tr endif %}")
    s.marker(59, "{%tr endkeep %}")
    s.marker(60, "{%tr endkeep %}")
    # row 61 left empty: the signature lines and the 注 under the form
    blank = f"年{IDEO * 2}月{IDEO * 2}日"
    for row, caption, date in ((62, "填报人（签字）：", f'{{{{ 填报日期 or "{blank}" }}}}'),
                               (63, "评价组组长（签字）：", blank),
                               (64, "评价部门负责人（签字并盖章）：", blank)):
        s.line(row, caption, size=12, align="left", first=1, last=4)
        s.line(row, date, size=12, align="left", first=5, last=8)
    s.line(65, NOTE, size=NOTE_SIZE, align="left")
    last = s.notes(66, size=NOTE_SIZE)
    # the column headings of the indicator table repeat where it runs onto a second page
    s.page(landscape=False, title_rows="25:25", last_row=last)


# ---- 四川 附件4: 资金计划、到位及使用情况, its only table (seed 001) ---------------------------


def sichuan_funding(wb: Workbook) -> None:
    """The table printed inside the 正文 under 1．资金计划及到位: no title of its own."""
    s = new_sheet(wb, FUNDING_TITLE, list(FUNDING_WIDTHS))
    s.captions(1, 1, FUNDING_HEADERS, bold=True)
    s.cell(2, 1, "金额（万元）")
    for col, name in enumerate(("计划数", "到位数", "使用数"), start=2):
        s.cell(2, col, f"{{{{ 资金计划.{name} }}}}")
    s.page(landscape=False, title_rows="1:1", last_row=2)


FAMILIES: dict[str, list[Callable[[Workbook], None]]] = {
    "mof_self_eval_gd": [self_eval],
    "mof_outline_eval_sz": [outline_goals, outline_problems, outline_scores],
    "third_party_eval": [third_party_summary, third_party_levels],
    "yunnan_dept_eval": [yunnan_form],
    "sichuan_self_eval": [sichuan_funding],
}


def build(folder: str, makers: list[Callable[[Workbook], None]]) -> Path:
    wb = Workbook()
    default = wb.active
    for make in makers:
        make(wb)
    if default is not None:
        wb.remove(default)
    target = ROOT / "templates" / folder / FORMS_FILE
    wb.save(str(target))
    return target


def main() -> None:
    wanted = sys.argv[1:] or list(FAMILIES)
    for folder in wanted:
        print(f"wrote {build(folder, FAMILIES[folder]).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
