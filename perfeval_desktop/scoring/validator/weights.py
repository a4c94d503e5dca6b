"""W001–W006: weights of levels, groups and the whole form."""

from __future__ import annotations

from decimal import Decimal

from ...model.report import (
    IndicatorNode,
)
from ...templates.manifest import MinShare
from ..findings import Level
from ..rounding import ZERO, plain
from .base import CheckerBase
from .common import (
    _ROOT_LABEL,
    _sum_text,
    level_key,
)


class WeightChecks(CheckerBase):
    def weights(self) -> None:
        rules = self.rules
        for path, _level, node, label in self.nodes:
            if node.weight is not None and node.weight < ZERO:
                self.add(
                    "W006",
                    Level.ERROR,
                    f"{path}.weight",
                    f"{label}：分值 {plain(node.weight)} 为负数。请改为 0 或正数。",
                )
            if node.children and node.weight is not None:
                parts = [self.eff(c) for c in node.children]
                total = sum(parts, ZERO)
                if total != node.weight:
                    self.add(
                        "W001",
                        Level.ERROR,
                        f"{path}.weight",
                        f"{label}：分值 {plain(node.weight)} 与下级指标分值合计不符"
                        f"（{_sum_text(parts)} = {plain(total)}）。请调整本级或下级指标的分值，"
                        "使两者相等。",
                    )

        first = [(f"indicators[{i}]", n) for i, n in enumerate(self.report.indicators)]
        parts_text: list[str] = []
        total = ZERO
        if rules.execution.weight is not None:
            total += rules.execution.weight
            parts_text.append(f"{rules.execution.label} {plain(rules.execution.weight)}")
        for _p, node in first:
            total += self.printed(node)
            parts_text.append(f"{node.name or '（未命名）'} {plain(self.printed(node))}")
        if total != rules.total_weight:
            self.add(
                "W002",
                Level.ERROR,
                "indicators",
                f"{_ROOT_LABEL}：总分值为 {' + '.join(parts_text) or '0'} = {plain(total)}，"
                f"应为 {plain(rules.total_weight)}。请调整各级指标的分值。",
            )

        by_name = {level_key(n.name): (p, n) for p, n in reversed(first)}
        for gi, group in enumerate(self.report.weight_groups):
            if group.weight is None:
                continue
            values: list[Decimal] = []
            absent: list[str] = []
            for member in group.members:
                hit = by_name.get(level_key(member))
                if hit is None:
                    absent.append(member)
                else:
                    values.append(self.printed(hit[1]))
            total = sum(values, ZERO)
            if absent or total != group.weight:
                extra = f"；一级指标“{'、'.join(absent)}”不存在" if absent else ""
                self.add(
                    "W003",
                    Level.ERROR,
                    f"weight_groups[{gi}].weight",
                    f"合并分值格“{group.label}”：{_sum_text(values)} = {plain(total)} ≠ "
                    f"{plain(group.weight)}{extra}。请调整{'、'.join(group.members)}的分值，"
                    f"使合计为 {plain(group.weight)}。",
                )

        if rules.min_share is not None:
            self._min_share(rules.min_share, first, by_name)

        expected = rules.expected_first_level
        if expected is not None:
            self._expected_first_level(expected, first, by_name)

    def _min_share(
        self,
        share: MinShare,
        first: list[tuple[str, IndicatorNode]],
        by_name: dict[str, tuple[str, IndicatorNode]],
    ) -> None:
        """W004: 产出+效益 ≥ 60; a member naming no first-level indicator is itself a finding."""
        values: list[Decimal] = []
        target_path = "indicators"
        absent: list[str] = []
        for member in share.members:
            hit = by_name.get(level_key(member))
            if hit is None:
                absent.append(member)
                continue
            values.append(self.printed(hit[1]))
            if target_path == "indicators":
                target_path = f"{hit[0]}.weight"
        if absent:
            present = "、".join(n.name for _p, n in first if n.name.strip()) or "（无）"
            self.add(
                "W004",
                Level.VERIFY,
                "indicators",
                f"{share.label}：找不到一级指标“{'、'.join(absent)}”（现有一级指标：{present}），"
                f"无法核对是否达到 {plain(share.min)} 分。请把一级指标名称改为"
                f"“{'、'.join(share.members)}”（可带“指标”二字）。",
            )
            return
        total = sum(values, ZERO)
        if total < share.min:
            self.add(
                "W004",
                Level.ERROR,
                target_path,
                f"{share.label}（{'、'.join(share.members)}）：{_sum_text(values)} = "
                f"{plain(total)}，低于规定的 {plain(share.min)} 分。请提高这些一级指标的分值。",
            )

    def _expected_first_level(
        self,
        expected: dict[str, Decimal],
        first: list[tuple[str, IndicatorNode]],
        by_name: dict[str, tuple[str, IndicatorNode]],
    ) -> None:
        ex = self.rules.execution
        missing: list[str] = []
        whole: list[str] = []  # problems of the tree as a whole: one finding at "indicators"
        for name, value in expected.items():
            if ex.weight is not None and name == ex.label:
                if ex.weight != value:
                    whole.append(f"{name}分值为 {plain(ex.weight)}，本表式规定为 {plain(value)} 分")
                continue
            hit = by_name.get(level_key(name))
            if hit is None:
                missing.append(f"{name}（{plain(value)} 分）")
            elif self.printed(hit[1]) != value:
                self.add(
                    "W005",
                    Level.VERIFY,
                    f"{hit[0]}.weight",
                    f"{name}：分值 {plain(self.printed(hit[1]))}，本表式规定为 {plain(value)} 分。"
                    "请改回规定分值，或写明调整原因。",
                )
        if missing:
            whole.insert(0, f"缺少一级指标 {'、'.join(missing)}")
        if whole:
            self.add(
                "W005",
                Level.VERIFY,
                "indicators",
                f"{_ROOT_LABEL}：{'；'.join(whole)}。请按本表式补齐或改正，或写明原因。",
            )
        known = {level_key(name) for name in expected}
        for path, node in first:
            if level_key(node.name) not in known:
                self.add(
                    "W005",
                    Level.VERIFY,
                    f"{path}.name",
                    f"{node.name or '（未命名）'}：不是本表式规定的一级指标"
                    f"（{'、'.join(expected)}）。请核对名称，或写明原因。",
                )
