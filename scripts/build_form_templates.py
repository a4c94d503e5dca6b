"""Write the built-in form templates ``templates/<id>/forms.xlsx`` (issue #3).

The workbook is an ordinary Excel file a bureau opens and restyles in Excel or WPS; this
script only makes the first version reproducible.  The template language is described in
perfeval_desktop/export/xlsx_template.py and in the README.

    python scripts/build_form_templates.py            # every family defined below
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from perfeval_desktop.export.xlsx import DEFAULT_STYLE, page_setup
from perfeval_desktop.export.xlsx_template import FORMS_FILE

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

    def marker(self, row: int, text: str, col: int = 2) -> None:
        """A {%tr … %} row: not printed; kept low and grey so it reads as a note."""
        x = self.ws.cell(row, col, text)
        x.font = Font(name="宋体", size=9, color="808080")
        self.ws.row_dimensions[row].height = 14

    def page(self, *, landscape: bool, title_rows: str, last_row: int) -> None:
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
    s = new_sheet(wb, "项目支出绩效自评表", [11.0, 18.0, 14.0, 37.0, 13.0, 12.0, 8.0, 8.0, 22.0])
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
    for col, caption in zip(range(3, 8), ("年初预算数", "全年预算数", "全年执行数", "分值",
                                          "执行率"), strict=True):
        s.cell(7, col, caption)
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
    for col, caption in zip(range(2, 10), ("一级指标", "二级指标", "三级指标", "年度指标值",
                                           "实际完成值", "分值", "得分",
                                           "偏差原因分析及改进措施"), strict=True):
        s.cell(15, col, caption)
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
    # 总分, 等次 and why it is capped
    s.cell(22, 1, "总分", cols=6)
    s.cell(22, 7, "{{ 总分值 }}")
    s.cell(22, 8, "{{ 总分 }}")
    s.cell(22, 9, "{{ 等次 }}")
    s.marker(23, "{%tr for 说明 in 计分说明 %}")
    s.cell(24, 1, "{{ 说明.标题 }}", cols=2)
    s.cell(24, 3, "{{ 说明.内容 }}", cols=7, align="left")
    s.marker(25, "{%tr endfor %}")
    s.marker(26, "{%tr endkeep %}")
    for first, last, text in ((1, 3, "联系人：{{ 联系人 }}"), (4, 6, "联系电话：{{ 联系电话 }}"),
                              (7, 9, "单位负责人签名：{{ 单位负责人 }}")):
        s.line(28, text, size=12, align="left", first=first, last=last)
    s.page(landscape=True, title_rows="5:5", last_row=28)


FAMILIES: dict[str, list[Callable[[Workbook], None]]] = {
    "mof_self_eval_gd": [self_eval],
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
    for folder, makers in FAMILIES.items():
        print(f"wrote {build(folder, makers).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
