"""R003–R004, S001–S006: the indicators' names, children, 分值 and scores."""

from __future__ import annotations

from decimal import Decimal

from ...model.report import ManualMethod, QualitativeMethod
from ..findings import MIN_REASON_CHARS, Level
from ..rounding import ZERO, percent, plain
from .common import filled
from .context import EMPTY, NO_WEIGHT, NOT_APPLICABLE, SCORED, UNSCORED, Context, Row, rows
from .rule import Hit, each

_TYPED = (ManualMethod, QualitativeMethod)  # (a tuple: ``A | B`` is built on every call)


def _typed_score(row: Row) -> tuple[Decimal, Decimal] | None:
    """(score typed by hand or by band, 分值) of a leaf with 分值."""
    method, weight = row.node.method, row.node.weight
    if weight is None or not isinstance(method, _TYPED) or method.score is None:
        return None
    return method.score, weight


@each(rows, "R004", Level.ERROR, "an indicator without a name")
def unnamed(c: Context, row: Row) -> Hit | None:
    if row.node.name.strip():
        return None
    return f"{row.path}.name", f"{row.label}：指标名称为空。请填写指标名称，或删除该行。"


@each(rows, "R003", Level.ERROR, "a first/second-level indicator without children (unless it "
      "is an empty row kept on the printed form: keep_empty and no 分值)", kinds=[EMPTY])
def childless_branch(c: Context, row: Row) -> Hit | None:
    node = row.node
    if node.keep_empty and node.weight is None:
        return None
    below = "二级指标" if row.level == 1 else "三级指标"
    return (f"{row.path}.children",
            f"{row.label}：下面没有{below}。请至少添加一个{below}"
            + ("。" if row.level == 1 else "；表中保留的空行须勾选“保留空行”且不填分值。"))


@each(rows, "S003", Level.ERROR, "an indicator marked 不适用 without a reason (≥ "
      "MIN_REASON_CHARS 字)", kinds=[NOT_APPLICABLE])
def unscored_without_reason(c: Context, row: Row) -> Hit | None:
    if filled(row.node.unscored_reason):
        return None
    return (f"{row.path}.unscored_reason",
            f"{row.label}：不计分的指标须写明原因（至少 {MIN_REASON_CHARS} 个字），"
            "例如“因我省未对此项作明确定义，故无法统计”。")


@each(rows, "S006", Level.ERROR, "a third-level indicator without 分值 that is not 不适用",
      kinds=[NO_WEIGHT])
def leaf_without_weight(c: Context, row: Row) -> Hit | None:
    return (f"{row.path}.weight",
            f"{row.label}：未填分值。请填写分值；不计分的指标请把评分方式改为“不适用”并写明原因。")


@each(rows, "S001", Level.ERROR, "a typed score (手工 / 定性) above the leaf's 分值",
      kinds=[UNSCORED, SCORED])
def score_above_weight(c: Context, row: Row) -> Hit | None:
    typed = _typed_score(row)
    if typed is None or typed[0] <= typed[1]:
        return None
    score, weight = typed
    return (f"{row.path}.method.score",
            f"{row.label}：得分 {plain(score)} 超过分值 {plain(weight)}。"
            f"请改为不超过 {plain(weight)} 的分数。")


@each(rows, "S002", Level.ERROR, "a typed score below 0", kinds=[UNSCORED, SCORED])
def negative_score(c: Context, row: Row) -> Hit | None:
    typed = _typed_score(row)
    if typed is None or not typed[0] < ZERO or typed[0] > typed[1]:
        return None
    score, weight = typed
    return (f"{row.path}.method.score",
            f"{row.label}：得分 {plain(score)} 为负数。请改为 0 到 {plain(weight)} 之间的分数。")


@each(rows, "S004", Level.ERROR, "a 定性 score outside the range of the chosen band",
      kinds=[UNSCORED, SCORED])
def score_outside_band(c: Context, row: Row) -> Hit | None:
    method = row.node.method
    if not isinstance(method, QualitativeMethod) or method.band is None:
        return None
    typed = _typed_score(row)
    if typed is None:
        return None
    score, weight = typed
    band = next((b for b in c.rules.qualitative_bands if b.band == method.band), None)
    if band is None or score > weight or score < ZERO:
        return None
    low, high = band.low * weight, band.high * weight
    if low <= score <= high:
        return None
    return (f"{row.path}.method.score",
            f"{row.label}：所选档次“{band.band.value}”的得分应在 {plain(low)}–"
            f"{plain(high)} 分之间（分值 {plain(weight)} 的 {percent(band.low, 0)}–"
            f"{percent(band.high, 0)}），现为 {plain(score)} 分。请调整得分或改选档次。")


@each(rows, "S005", Level.ERROR, "an applicable leaf with no score yet / an input of its "
      "method missing", kinds=[UNSCORED])
def not_scored_yet(c: Context, row: Row) -> Hit | None:
    leaf = row.score
    if leaf is None or not leaf.missing:
        return None
    return (f"{row.path}{_missing_suffix(leaf.missing)}",
            f"{row.label}：尚未评分，缺少{leaf.missing}。请补填后自动计分。")


def _missing_suffix(missing: str) -> str:
    """The field of a leaf that :class:`LeafScore.missing` names."""
    for start, suffix in (
        ("分值", ".weight"),
        ("得分", ".method.score"),
        ("评价档次", ".method.band"),
        ("年度指标值", ".method.target"),
        ("实际完成值", ".method.actual"),
        ("比率的分子", ".method.numerator"),
        ("比率的分母", ".method.denominator"),
        ("目标比率", ".method.target_rate"),
    ):
        if missing.startswith(start):
            return suffix
    return ".method"
