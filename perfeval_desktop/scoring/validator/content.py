"""C001–C004: what would print empty — 绩效目标, an outline section, 评价人员, the printed
年度指标值 / 实际完成值 of a scored indicator; C005: the fields the file held control
characters in (removed when it was read)."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Level
from .context import Context
from .rule import Hit, once


def _prints(c: Context, what: str) -> bool:
    """Whether the family's printed forms hold ``what`` (its ``forms.prints``)."""
    return c.forms is not None and what in c.forms.prints


def _empty(text: str | None) -> bool:
    return not (text or "").strip()


@once("C001", Level.ERROR, "绩效目标 (预期目标 / 实际完成情况) empty: the form prints an empty box")
def goals_empty(c: Context) -> Iterator[Hit]:
    goals = c.report.goals
    for path, label, text in (("goals.expected", "预期目标", goals.expected),
                              ("goals.actual", "实际完成情况", goals.actual)):
        if _empty(text):
            yield (path, f"绩效目标：“{label}”尚未填写，表上这一栏将打印为空。"
                         "请在“绩效目标”页填写。")


@once("C002", Level.VERIFY, "a narrative section (a leaf of the outline) empty: only its "
      "heading prints")
def section_empty(c: Context) -> Iterator[Hit]:
    for section in c.manifest.all_sections():
        optional = "可不填" in section.guidance  # (a table printed there on its own)
        text = c.report.sections.get(section.id)
        if section.children or optional or not _empty(section.written(text)):
            continue
        kept = "仍是模板的填写说明（不会印出）" if not _empty(text) else "尚未填写"
        printed = "报告将不印出这一页（连同标题）" if section.is_summary else "报告将只印出标题"
        yield (f"sections.{section.id}",
               f"{c.section_labels[section.id]}：{kept}，{printed}。"
               "请填写这一部分；确无内容时请写明原因。")


@once("C003", Level.VERIFY, "the form prints 评价人员 and none is filled in")
def no_evaluators(c: Context) -> Iterator[Hit]:
    if _prints(c, "评价人员") and all(_empty(e.name) for e in c.report.evaluators):
        yield ("evaluators",
               "评价人员：表上印有评价人员栏，但还没有填写任何人员。请在“评价人员”页填写"
               "姓名、职务和单位；如需打印后手写，请写明原因。")


@once("C004", Level.VERIFY, "a scored leaf's 年度指标值 / 实际完成值 empty: the printed "
      "column is blank")
def printed_cell_empty(c: Context) -> Iterator[Hit]:
    columns = [(attr, column) for attr, column in (("target_text", "年度指标值"),
                                                   ("actual_text", "实际完成值"))
               if _prints(c, column)]
    for row in c.rows if columns else ():
        node = row.node
        if row.level < 3 or node.children or node.keep_empty:  # (R003: a childless branch)
            continue
        if node.method.kind == "not_applicable":
            continue
        for attr, column in columns:
            if _empty(getattr(node, attr)):
                yield (f"{row.path}.{attr}",
                       f"{row.label}：“{column}”一栏为空，打印出来是空白。请在指标表中填写"
                       f"（如 ≥3000人次、98%、按时完成）。")


@once("C005", Level.HINT, "the file held control characters in this field: removed when it "
      "was read (``Report.cleaned_on_load``), named until the report is saved")
def control_characters_removed(c: Context) -> Iterator[Hit]:
    cleaned = c.report.cleaned_on_load
    nodes = {row.path: row.label for row in c.rows} if cleaned else {}
    for path, field in cleaned:
        owner, _, attr = path.rpartition(".")
        title = field.rpartition("（")[2].rstrip("）") if field.endswith("）") else ""
        if owner in nodes:
            where = f"{nodes[owner]}：“{title or attr}”"
        elif owner == "sections" and attr in c.section_labels:
            where = f"报告正文“{c.section_labels[attr]}”"
        else:
            where = f"“{title}”" if title else path
        yield (path, f"{where}在文件中含有控制字符（多为从其他程序粘贴带入，无法写入 Word/Excel），"
                     "打开时已删除。请核对这段内容是否完整；保存后不再提示。")
