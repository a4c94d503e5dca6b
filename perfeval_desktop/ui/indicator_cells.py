"""What each cell of the indicator grid shows, and what typing into it means (no Qt).

Columns as the printed form has them, plus the program's 计分方法.  What a clerk types into
年度指标值 / 实际完成值 is kept as typed (the form prints it); its sign, number and unit are
read by the one parser (:func:`model.numbers.parse_figure`): the 指标性质 and 度量单位
cells show them, and a 比较 indicator is scored from them.
"""

from __future__ import annotations

from typing import Any

from ..errors import InputError
from ..model.numbers import Figure, parse_figure, parse_number
from ..model.report import (
    METHOD_LABELS,
    CompareMethod,
    IndicatorNode,
    ManualMethod,
    Nature,
    QualitativeMethod,
)
from ..scoring.engine import ScoreSheet
from ..scoring.methods import compare_inputs
from ..scoring.rounding import plain
from ..workspace import Batch, Operation, SetMethod, SetNodeField, method_of_kind

COLUMNS = [
    "一级指标",
    "二级指标",
    "三级指标",
    "指标性质",
    "年度指标值",
    "度量单位",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
    "计分方法",
]
# the header as the form prints it, in two lines where the column is narrow
HEADERS = [
    "一级\n指标",
    "二级\n指标",
    "三级指标",
    "指标\n性质",
    "年度\n指标值",
    "度量\n单位",
    "实际\n完成值",
    "分值",
    "得分",
    "偏差原因",
    "计分\n方法",
]
(
    COL_L1,
    COL_L2,
    COL_L3,
    COL_NATURE,
    COL_TARGET,
    COL_UNIT,
    COL_ACTUAL,
    COL_WEIGHT,
    COL_SCORE,
    COL_REASON,
    COL_METHOD,
) = range(len(COLUMNS))
COL_NAME = COL_L3  # "the name cell": index_of() puts it in the node's own level's column
NAME_COLUMNS = (COL_L1, COL_L2, COL_L3)
TEXT_ATTR = {COL_TARGET: "target_text", COL_ACTUAL: "actual_text", COL_REASON: "deviation_reason"}
ATTR_COLUMN = {
    "target_text": COL_TARGET,
    "actual_text": COL_ACTUAL,
    "unit": COL_UNIT,
    "weight": COL_WEIGHT,
    "method": COL_SCORE,
    "deviation_reason": COL_REASON,
    "unscored_reason": COL_METHOD,
    "deduction": COL_SCORE,
}
QUALITATIVE = "定性"
_NATURES = {"≥": Nature.HIGHER, "=": Nature.EQUAL, "≤": Nature.LOWER}
_NATURE_WORDS = {">=": "≥", ">": "≥", "正向": "≥", "<=": "≤", "<": "≤", "反向": "≤", "＝": "="}
METHOD_KINDS = {label: kind for kind, label in METHOD_LABELS.items()}


def scorable(node: IndicatorNode) -> bool:
    """A leaf that is scored (not an empty row kept on the printed form)."""
    return node.is_leaf and not (node.keep_empty and node.weight is None)


def typed_sign(node: IndicatorNode) -> str:
    figure = parse_figure(node.target_text)
    return figure.sign if figure is not None else ""


def nature_text(node: IndicatorNode) -> str:
    """指标性质 as the row reads: the sign typed in 年度指标值, else the method's."""
    method = node.method
    if isinstance(method, CompareMethod):
        return compare_inputs(node, method)[0].value
    if isinstance(method, QualitativeMethod):
        return QUALITATIVE
    if method.kind in ("rate", "budget_execution"):
        return "≥"
    return typed_sign(node)


def unit_text(node: IndicatorNode) -> str:
    """度量单位: as typed, else read from 年度指标值 (``≥3000人次`` → 人次)."""
    if node.unit:
        return node.unit
    figure = parse_figure(node.target_text)
    return figure.unit if figure is not None else ""


def editable(node: IndicatorNode, col: int) -> bool:
    """The row's own node's cells (the name cells are editable wherever a node is)."""
    if col in TEXT_ATTR or col == COL_UNIT:
        return col != COL_REASON or node.is_leaf
    if col == COL_WEIGHT:
        return True
    if col == COL_SCORE:
        return scorable(node) and isinstance(node.method, ManualMethod | QualitativeMethod)
    if col == COL_METHOD:
        return scorable(node)
    if col == COL_NATURE:  # a sign typed in 年度指标值 decides it
        return scorable(node) and not typed_sign(node)
    return False


def display(node: IndicatorNode, col: int, sheet: ScoreSheet) -> str:
    """The text of the row's own node's cell in ``col`` (not the name columns)."""
    if col in TEXT_ATTR:
        return str(getattr(node, TEXT_ATTR[col]))
    if col == COL_NATURE:
        return nature_text(node)
    if col == COL_UNIT:
        return unit_text(node)
    if col == COL_METHOD:
        if node.is_leaf and not scorable(node):
            return "（表中保留的空行）"
        return METHOD_LABELS[node.method.kind]
    ns = sheet.nodes.get(node.id)
    if ns is None:
        return ""
    if col == COL_WEIGHT:
        if node.weight is None:
            return "—" if node.method.kind == "not_applicable" else ""
        return plain(ns.weight)
    if col == COL_SCORE:
        return plain(ns.score) if ns.scored else "—"
    return ""


def edit_value(node: IndicatorNode, col: int, sheet: ScoreSheet) -> Any:
    if col == COL_UNIT:
        return node.unit
    if col == COL_WEIGHT:
        return plain(node.weight, 4)
    if col == COL_SCORE:
        return plain(getattr(node.method, "score", None), 4)
    if col == COL_METHOD:
        return node.method.kind
    return display(node, col, sheet)


def parse_cell(col: int, text: str, field: str) -> Any:
    """What ``text`` typed into ``col`` stands for (InputError naming ``field``)."""
    if col in TEXT_ATTR or col in NAME_COLUMNS or col == COL_UNIT:
        return text.strip() if col == COL_UNIT else text
    if col == COL_METHOD:
        kind = METHOD_KINDS.get(text.strip(), text.strip())
        if kind not in METHOD_LABELS:
            raise InputError(f"“{field}”应为以下之一：{'、'.join(METHOD_LABELS.values())}。")
        return kind
    if col == COL_NATURE:
        raw = text.strip()
        raw = _NATURE_WORDS.get(raw, raw)
        if raw == "":
            return None
        if raw != QUALITATIVE and raw not in _NATURES:
            raise InputError(f"“{field}”应为 ≥、=、≤ 或 定性（也可以不填）。")
        return raw
    if col in (COL_WEIGHT, COL_SCORE):
        return parse_number(text, field, "score")
    raise InputError(f"“{field}”由程序计算，不能填写。")


def nature_op(node: IndicatorNode, value: str | None) -> Operation | None:
    """≥ / = / ≤ makes the row a 比较 indicator of that sign, 定性 a 定性分档 one."""
    if value is None or value == nature_text(node):
        return None
    if value == QUALITATIVE:
        return SetMethod(node.id, method_of_kind("qualitative", node.method))
    nature = _NATURES[value]
    if isinstance(node.method, CompareMethod):
        return SetNodeField(node.id, "method.nature", nature)
    method = method_of_kind("compare", node.method)
    assert isinstance(method, CompareMethod)
    return SetMethod(node.id, method.model_copy(update={"nature": nature}))


def target_op(node: IndicatorNode, text: str) -> Operation | None:
    """The typed 年度指标值; its unit fills an empty 度量单位 (one undo step)."""
    if text == node.target_text:
        return None
    op = SetNodeField(node.id, "target_text", text)
    old: Figure | None = parse_figure(node.target_text)
    new = parse_figure(text)
    unit_follows = not node.unit or (old is not None and node.unit == old.unit)
    if new is not None and new.unit and unit_follows and new.unit != node.unit:
        label = f"修改“{node.name or '指标'}”的年度指标值"
        return Batch([op, SetNodeField(node.id, "unit", new.unit)], label)
    return op


def new_node(values: dict[int, Any]) -> IndicatorNode:
    """A pasted row: its texts, 度量单位, 分值, 指标性质 / 计分方法 and (手工/定性) 得分."""
    texts = {TEXT_ATTR[c]: v for c, v in values.items() if c in TEXT_ATTR}
    node = IndicatorNode(name=values.get(COL_L3, ""), **texts)
    node.unit = values.get(COL_UNIT) or unit_text(node)
    node.weight = values.get(COL_WEIGHT)
    typed = ManualMethod(score=values.get(COL_SCORE))
    node.method = method_of_kind(values.get(COL_METHOD, "manual"), typed)
    nature = values.get(COL_NATURE)
    if nature is not None and COL_METHOD not in values:
        op = nature_op(node, nature)
        if isinstance(op, SetMethod):
            node.method = op.method
    return node
