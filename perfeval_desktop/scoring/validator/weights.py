"""W001–W006: weights of levels, groups and the whole form."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ...templates.manifest import MinShare
from ..findings import Level
from ..rounding import ZERO, plain
from .common import ROOT_LABEL, level_key, sum_text
from .context import BRANCH, Context, Row, rows
from .rule import Hit, each, once


@each(rows, "W006", Level.ERROR, "a negative 分值")
def negative_weight(c: Context, row: Row) -> Hit | None:
    weight = row.node.weight
    if weight is not None and weight < ZERO:
        return f"{row.path}.weight", f"{row.label}：分值 {plain(weight)} 为负数。请改为 0 或正数。"
    return None


@each(rows, "W001", Level.ERROR, "a branch's 分值 differs from the sum of its children's 分值",
      kinds=[BRANCH])
def branch_sum(c: Context, row: Row) -> Hit | None:
    node = row.node
    if node.weight is None:
        return None
    parts = [c.eff(child) for child in node.children]
    total = sum(parts, ZERO)
    if total == node.weight:
        return None
    return (f"{row.path}.weight",
            f"{row.label}：分值 {plain(node.weight)} 与下级指标分值合计不符"
            f"（{sum_text(parts)} = {plain(total)}）。请调整本级或下级指标的分值，使两者相等。")


@once("W002", Level.ERROR,
      "total 分值 (预算执行率 block + indicator tree) ≠ rules.total_weight")
def total_weight(c: Context) -> Iterator[Hit]:
    execution = c.rules.execution
    parts_text: list[str] = []
    total = ZERO
    if execution.weight is not None:
        total += execution.weight
        parts_text.append(f"{execution.label} {plain(execution.weight)}")
    for _path, node in c.first_level:
        total += c.printed(node)
        parts_text.append(f"{node.name or '（未命名）'} {plain(c.printed(node))}")
    if total != c.rules.total_weight:
        yield ("indicators",
               f"{ROOT_LABEL}：总分值为 {' + '.join(parts_text) or '0'} = {plain(total)}，"
               f"应为 {plain(c.rules.total_weight)}。请调整各级指标的分值。")


@once("W003", Level.ERROR, "a merged first-level 分值 cell (weight_groups) ≠ sum of its groups")
def merged_weight(c: Context) -> Iterator[Hit]:
    for gi, group in enumerate(c.report.weight_groups):
        if group.weight is None:
            continue
        values: list[Decimal] = []
        absent: list[str] = []
        for member in group.members:
            hit = c.by_name.get(level_key(member))
            if hit is None:
                absent.append(member)
            else:
                values.append(c.printed(hit[1]))
        total = sum(values, ZERO)
        if absent or total != group.weight:
            extra = f"；一级指标“{'、'.join(absent)}”不存在" if absent else ""
            yield (f"weight_groups[{gi}].weight",
                   f"合并分值格“{group.label}”：{sum_text(values)} = {plain(total)} ≠ "
                   f"{plain(group.weight)}{extra}。请调整{'、'.join(group.members)}的分值，"
                   f"使合计为 {plain(group.weight)}。")


def _absent(c: Context, share: MinShare) -> list[str]:
    return [m for m in share.members if level_key(m) not in c.by_name]


@once("W004", Level.VERIFY,
      "a rules.min_share member names no first-level indicator: the share cannot be checked")
def min_share_unknown(c: Context) -> Iterator[Hit]:
    share = c.rules.min_share
    absent = _absent(c, share) if share is not None else []
    if share is not None and absent:
        present = "、".join(n.name for _p, n in c.first_level if n.name.strip()) or "（无）"
        yield ("indicators",
               f"{share.label}：找不到一级指标“{'、'.join(absent)}”（现有一级指标：{present}），"
               f"无法核对是否达到 {plain(share.min)} 分。请把一级指标名称改为"
               f"“{'、'.join(share.members)}”（可带“指标”二字）。")


@once("W004", Level.ERROR, "rules.min_share (e.g. 产出 + 效益) below its minimum")
def min_share(c: Context) -> Iterator[Hit]:
    share = c.rules.min_share
    if share is None or _absent(c, share):
        return
    hits = [c.by_name[level_key(m)] for m in share.members]
    values = [c.printed(node) for _path, node in hits]
    total = sum(values, ZERO)
    if total < share.min:
        yield (f"{hits[0][0]}.weight" if hits else "indicators",
               f"{share.label}（{'、'.join(share.members)}）：{sum_text(values)} = "
               f"{plain(total)}，低于规定的 {plain(share.min)} 分。请提高这些一级指标的分值。")


@once("W005", Level.VERIFY, "first-level 分值 other than rules.expected_first_level (also "
      "missing or unexpected first-level indicators)")
def expected_first_level(c: Context) -> Iterator[Hit]:
    expected = c.rules.expected_first_level
    if expected is None:
        return
    ex = c.rules.execution
    missing: list[str] = []
    whole: list[str] = []  # problems of the tree as a whole: one finding at "indicators"
    for name, value in expected.items():
        if ex.weight is not None and name == ex.label:
            if ex.weight != value:
                whole.append(f"{name}分值为 {plain(ex.weight)}，本表式规定为 {plain(value)} 分")
            continue
        hit = c.by_name.get(level_key(name))
        if hit is None:
            missing.append(f"{name}（{plain(value)} 分）")
        elif c.printed(hit[1]) != value:
            yield (f"{hit[0]}.weight",
                   f"{name}：分值 {plain(c.printed(hit[1]))}，本表式规定为 {plain(value)} 分。"
                   "请改回规定分值，或写明调整原因。")
    if missing:
        whole.insert(0, f"缺少一级指标 {'、'.join(missing)}")
    if whole:
        yield "indicators", f"{ROOT_LABEL}：{'；'.join(whole)}。请按本表式补齐或改正，或写明原因。"
    known = {level_key(name) for name in expected}
    for path, node in c.first_level:
        if level_key(node.name) not in known:
            yield (f"{path}.name",
                   f"{node.name or '（未命名）'}：不是本表式规定的一级指标"
                   f"（{'、'.join(expected)}）。请核对名称，或写明原因。")
