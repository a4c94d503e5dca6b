"""M001–M008: the funding table and the execution rate."""

from __future__ import annotations

from decimal import Decimal

from ...model.report import (
    AMOUNT_COLUMNS,
    Amounts,
)
from ...templates.families import family_forms
from ..findings import MIN_REASON_CHARS, Level
from ..rounding import HUNDRED, ZERO, amount, percent, plain, round_half_up
from .base import CheckerBase
from .common import (
    _COLUMN_LABELS,
)


class FundingChecks(CheckerBase):
    def funding(self) -> None:
        table = self.report.funding
        forms = family_forms(self.manifest)
        total_label = forms.funding_total if forms is not None else "年度资金总额"
        rows: list[tuple[str, str, Amounts]] = [("funding.total", total_label, table.total)]
        rows += [
            (f"funding.by_kind.{k.value}", f"其中：{k.value}", a) for k, a in table.by_kind.items()
        ]
        rows += [(f"funding.by_source.{s.value}", s.value, a) for s, a in table.by_source.items()]
        rows += [
            (f"funding.details[{i}].amounts", f"明细第 {i + 1} 行“{d.name or '未命名'}”", d.amounts)
            for i, d in enumerate(table.details)
        ]
        for prefix, row_label, amounts in rows:
            for col in AMOUNT_COLUMNS:
                value = getattr(amounts, col)
                if value is not None and value < ZERO:
                    self.add(
                        "M007",
                        Level.ERROR,
                        f"{prefix}.{col}",
                        f"项目资金 / {row_label} / {_COLUMN_LABELS[col]}：{amount(value)} "
                        "为负数。请填写 0 或正数（万元）。",
                    )

        parts_of = (
            ("M001", "其中各行", [a for a in table.by_kind.values()]),
            ("M002", "中央、省、市、区(县)级财政及其他", [a for a in table.by_source.values()]),
            ("M003", "各明细行", [d.amounts for d in table.details]),
        )
        for col in AMOUNT_COLUMNS:
            typed = getattr(table.total, col)
            if typed is None:
                continue
            for code, what, group in parts_of:
                values = [v for v in (getattr(a, col) for a in group) if v is not None]
                if not values:
                    continue
                total = sum(values, ZERO)
                if total != typed:
                    self.add(
                        code,
                        Level.ERROR,
                        f"funding.total.{col}",
                        f"项目资金 / {total_label} / {_COLUMN_LABELS[col]}：填写 {amount(typed)}，"
                        f"{what}合计 {' + '.join(amount(v) for v in values)} = {amount(total)}，"
                        "两者不符。请核对合计数与各行金额。",
                    )
        self._execution(table.typed_execution_rate, total_label)

    def _execution(self, typed_rate: Decimal | None, total_label: str) -> None:
        rule = self.rules.execution
        figures = self.sheet.funding
        rate = figures.execution_rate
        executed = figures.total.get("executed")
        basis = figures.basis
        basis_label = _COLUMN_LABELS[rule.basis]
        problems: list[str] = []
        if executed is not None and basis is not None and executed > basis:
            problems.append(f"执行数 {amount(executed)} 大于{basis_label} {amount(basis)}")
        received = figures.total.get("received")
        if (
            rule.basis != "received"
            and executed is not None
            and received is not None
            and executed > received
        ):
            problems.append(f"执行数 {amount(executed)} 大于实际到位数 {amount(received)}")
        if problems:
            self.add(
                "M004",
                Level.VERIFY,
                "funding.total.executed",
                f"项目资金 / {total_label} / 全年执行数：{'，'.join(problems)}。"
                "请核对金额；如确属实际情况，请写明原因。",
            )
        if rate is None:
            if rule.weight is not None:
                miss = "funding.total.executed" if basis else f"funding.total.{rule.basis}"
                what = "全年执行数：未填写" if basis else f"{basis_label}：未填写或为 0"
                self.add(
                    "M008",
                    Level.ERROR,
                    miss,
                    f"项目资金 / {total_label} / {what}，无法计算{rule.label}"
                    f"（分值 {plain(rule.weight)} 分暂按 0 计）。请填写金额。",
                )
            return
        if rate < rule.reason_below:
            self.add(
                "M005",
                Level.VERIFY,
                "funding.execution_reason",
                f"项目资金 / 执行率偏低原因：{rule.label} "
                f"{percent(rate, rule.rate_display_decimals)}，"
                f"低于 {percent(rule.reason_below, 0)}。请写明执行率偏低的原因"
                f"（至少 {MIN_REASON_CHARS} 个字）。",
            )
        if typed_rate is not None:
            typed_pct = typed_rate * HUNDRED
            exp = typed_pct.normalize().as_tuple().exponent
            own = -exp if isinstance(exp, int) and exp < 0 else 0
            d = min(own, rule.rate_display_decimals)
            if round_half_up(typed_pct, d) != round_half_up(rate * HUNDRED, d):
                self.add(
                    "M006",
                    Level.ERROR,
                    "funding.typed_execution_rate",
                    f"项目资金 / 执行率：手填 {percent(typed_rate, own if own <= 2 else 2)}，"
                    f"按执行数 ÷ {basis_label}计算为 {amount(executed)} ÷ {amount(basis)} = "
                    f"{percent(rate, rule.rate_display_decimals)}。"
                    "请改为计算值，或清空由程序计算。",
                )
