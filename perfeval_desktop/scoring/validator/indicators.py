"""S001–S006, D001–D003, R003–R004: scores and deviations of the indicators."""

from __future__ import annotations

from decimal import Decimal

from ...model.report import (
    BudgetExecutionMethod,
    IndicatorNode,
    ManualMethod,
    NotApplicableMethod,
    QualitativeMethod,
)
from ..findings import MIN_REASON_CHARS, Level
from ..rounding import ZERO, percent, plain
from .base import CheckerBase
from .common import (
    _actual_vs_target,
    _filled,
    _missing_suffix,
)

_TYPED = (ManualMethod, QualitativeMethod)  # (a tuple: ``A | B`` is built on every call)


class IndicatorChecks(CheckerBase):
    def indicators(self) -> None:
        rules = self.rules
        sheet_nodes = self.sheet.nodes
        bands = {b.band: b for b in rules.qualitative_bands}
        ratio = rules.over_achievement_ratio
        for path, level, node, label in self.nodes:
            if not node.name.strip():
                self.add(
                    "R004",
                    Level.ERROR,
                    f"{path}.name",
                    f"{label}：指标名称为空。请填写指标名称，或删除该行。",
                )
            if node.children:
                continue
            if level < 3:
                if not (node.keep_empty and node.weight is None):
                    below = "二级指标" if level == 1 else "三级指标"
                    self.add(
                        "R003",
                        Level.ERROR,
                        f"{path}.children",
                        f"{label}：下面没有{below}。请至少添加一个{below}"
                        + ("。" if level == 1 else "；表中保留的空行须勾选“保留空行”且不填分值。"),
                    )
                continue
            na = isinstance(node.method, NotApplicableMethod)
            if na:
                if not _filled(node.unscored_reason):
                    self.add(
                        "S003",
                        Level.ERROR,
                        f"{path}.unscored_reason",
                        f"{label}：不计分的指标须写明原因（至少 {MIN_REASON_CHARS} 个字），"
                        "例如“因我省未对此项作明确定义，故无法统计”。",
                    )
                continue
            weight = node.weight
            if weight is None:
                self.add(
                    "S006",
                    Level.ERROR,
                    f"{path}.weight",
                    f"{label}：未填分值。请填写分值；不计分的指标请把评分方式改为“不适用”并写明原因。",
                )
                continue
            method = node.method
            if isinstance(method, _TYPED) and method.score is not None:
                if method.score > weight:
                    self.add(
                        "S001",
                        Level.ERROR,
                        f"{path}.method.score",
                        f"{label}：得分 {plain(method.score)} 超过分值 {plain(weight)}。"
                        f"请改为不超过 {plain(weight)} 的分数。",
                    )
                elif method.score < ZERO:
                    self.add(
                        "S002",
                        Level.ERROR,
                        f"{path}.method.score",
                        f"{label}：得分 {plain(method.score)} 为负数。"
                        f"请改为 0 到 {plain(weight)} 之间的分数。",
                    )
                elif isinstance(method, QualitativeMethod) and method.band in bands:
                    band = bands[method.band]
                    low, high = band.low * weight, band.high * weight
                    if not low <= method.score <= high:
                        self.add(
                            "S004",
                            Level.ERROR,
                            f"{path}.method.score",
                            f"{label}：所选档次“{band.band.value}”的得分应在 {plain(low)}–"
                            f"{plain(high)} 分之间（分值 {plain(weight)} 的 {percent(band.low, 0)}–"
                            f"{percent(band.high, 0)}），现为 {plain(method.score)} 分。"
                            "请调整得分或改选档次。",
                        )
            ns = sheet_nodes.get(node.id)
            leaf = ns.leaf if ns is not None else None
            if leaf is None:
                continue
            if leaf.score is None:
                if leaf.missing:
                    self.add(
                        "S005",
                        Level.ERROR,
                        f"{path}{_missing_suffix(leaf.missing)}",
                        f"{label}：尚未评分，缺少{leaf.missing}。请补填后自动计分。",
                    )
                continue
            self._deviation(
                path, node, label, weight, leaf.score, leaf.achievement, leaf.penalty, ratio
            )

    def _deviation(
        self,
        path: str,
        node: IndicatorNode,
        label: str,
        weight: Decimal,
        score: Decimal,
        achievement: Decimal | None,
        penalty: Decimal,
        ratio: Decimal | None,
    ) -> None:
        reason_path = path + ".deviation_reason"
        over = ratio is not None and achievement is not None and achievement >= ratio
        if over and achievement is not None and ratio is not None:
            self.add(
                "D002",
                Level.VERIFY,
                reason_path,
                f"{label}：实际完成值为年度指标值的 {percent(achievement, 1)}，超过 "
                f"{percent(ratio, 0)}。请在“偏差原因分析及改进措施”中说明超额完成的原因"
                f"（至少 {MIN_REASON_CHARS} 个字）。",
            )
        else:
            why = ""
            if score < weight:
                explained = isinstance(node.method, BudgetExecutionMethod) and _filled(
                    self.report.funding.execution_reason  # 执行率偏低原因 explains it
                )
                why = "" if explained else f"得分 {plain(score)} 低于分值 {plain(weight)}"
            else:
                differs = _actual_vs_target(node, self.sheet.funding)
                if differs:
                    why = differs
            if why:
                self.add(
                    "D001",
                    Level.VERIFY,
                    reason_path,
                    f"{label}：{why}。请在“偏差原因分析及改进措施”中写明原因和改进措施"
                    f"（至少 {MIN_REASON_CHARS} 个字）。",
                )
        dev = self.rules.deviation_penalty
        points = penalty - (node.deduction or ZERO) if dev is not None else ZERO
        if dev is not None and points > ZERO:
            self.add(
                "D003",
                Level.HINT,
                reason_path,
                f"{label}：实际与目标偏离 {percent(dev.threshold, 0)} 以上且未说明原因，已扣 "
                f"{plain(points)} 分。填写偏差原因后不再扣分。",
            )
