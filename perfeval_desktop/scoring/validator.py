"""The checks a finance bureau makes on a report (spec §5): pure, no Qt, no I/O.

``validate(report, manifest)`` returns every :class:`Finding`, sorted by level
(强制性 first) and then in the order of the form.  It runs on every keystroke, so it
walks the indicator tree a fixed number of times and every regex is compiled once.

A 核实性 (``verify``) finding is dropped — it is *settled* — when the clerk has written
a reason of at least ``MIN_REASON_CHARS`` non-space characters, either in
``report.explanations[finding.key]`` (key ``代码@路径``) or in the finding's natural
reason field: the path of D001/D002 ends in ``.deviation_reason`` and that of M005 in
``funding.execution_reason``; such a path is resolved on the report and its text counts.
A 预算执行率 leaf scored below its 分值 (D001) is also settled by
``funding.execution_reason``.  Errors and hints are never settled.

A branch counts with its declared 分值 where one is typed, else with the sum of its
children, so a wrong sum is reported once, at the level where it is (W001), and
W002–W005 compare those values.  There is at most one finding per (code, path), so
``Finding.key`` is unique in a result; several wrong figures quoted in one section
make one T00x finding that lists them all.

Field paths use the syntax of :func:`~perfeval_desktop.model.report.iter_nodes`:
``indicators[0].children[2].weight``, ``funding.total.executed``, ``project.name``,
``sections.results_score``, ``weight_groups[1].weight``; dictionary rows appear under
their JSON key: ``funding.by_kind.当年财政拨款.annual_budget``,
``funding.by_source.中央财政.executed``.  A check about the tree as a whole points at
``indicators``.

======  ======  ==================================================================
code    level   meaning
======  ======  ==================================================================
W001    error   a branch's 分值 differs from the sum of its children's 分值
W002    error   total 分值 (预算执行率 block + indicator tree) ≠ rules.total_weight
W003    error   a merged first-level 分值 cell (weight_groups) ≠ sum of its groups
W004    error   rules.min_share (e.g. 产出 + 效益) below its minimum
W005    verify  first-level 分值 other than rules.expected_first_level (also missing
                or unexpected first-level indicators)
W006    error   a negative 分值
S001    error   a typed score (手工 / 定性) above the leaf's 分值
S002    error   a typed score below 0
S003    error   an indicator marked 不适用 without a reason (≥ MIN_REASON_CHARS 字)
S004    error   a 定性 score outside the range of the chosen band
S005    error   an applicable leaf with no score yet / an input of its method missing
S006    error   a third-level indicator without 分值 that is not 不适用
M001    error   a column's 年度资金总额 ≠ sum of its 其中 rows (by_kind)
M002    error   a column's 合计 ≠ sum of the 中央/省/市/区/其他 split (by_source)
M003    error   a column's 合计 ≠ sum of the 项目支出明细 lines (details)
M004    verify  执行数 > 预算数 (the execution basis) or > 实际到位数
M005    verify  预算执行率 below rules.execution.reason_below, no 执行率偏低原因
M006    error   执行率 typed by hand differs from 执行数 ÷ 预算数
M007    error   a negative amount
M008    error   the form has a 预算执行率 block but the rate cannot be computed
D001    verify  score below 分值, or actual ≠ target, with no 偏差原因分析
D002    verify  over-achievement ≥ rules.over_achievement_ratio with no 偏差原因分析
D003    hint    a deviation penalty (rules.deviation_penalty) was deducted
T001    error   the narrative quotes a total score that differs from the table
T002    error   the narrative quotes a grade that differs from the table
T003    verify  the narrative quotes an 执行率 that differs from the computed one
T004    hint    a {{ 名称 }} placeholder in the narrative that no live value answers
R001    error   a required field (rules.required_fields) is empty
R002    error   联系电话 is not 7–12 digits
R003    error   a first/second-level indicator without children (unless it is an
                empty row kept on the printed form: keep_empty and no 分值)
R004    error   an indicator without a name
L001    hint    a narrative section longer than its 字数上限
G001    error   the grade typed on the form differs from the computed grade
======  ======  ==================================================================
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from ..model.report import (
    AMOUNT_COLUMNS,
    Amounts,
    BudgetExecutionMethod,
    CompareMethod,
    IndicatorNode,
    ManualMethod,
    NotApplicableMethod,
    QualitativeMethod,
    RateMethod,
    Report,
)
from ..templates.manifest import Manifest, Rules, Section
from .engine import ScoreSheet, compute
from .findings import MIN_REASON_CHARS, Finding, Level
from .live_values import PLACEHOLDER_RE, live_values, placeholders_in
from .rounding import HUNDRED, ZERO, amount, percent, plain, round_half_up

__all__ = ["LEVEL_ORDER", "settled", "validate", "value_at"]

#: Levels from the most to the least severe; ``LEVEL_ORDER[level]`` is a sort key.
LEVEL_ORDER: dict[Level, int] = {Level.ERROR: 0, Level.VERIFY: 1, Level.HINT: 2}

_REASON_FIELDS = frozenset({"deviation_reason", "execution_reason", "unscored_reason"})
_COLUMN_LABELS: dict[str, str] = {
    c: str(Amounts.model_fields[c].title or c) for c in AMOUNT_COLUMNS
}
_ROOT_LABEL = "绩效指标"

# --- text helpers ------------------------------------------------------------------------

_PATH_TOKEN = re.compile(r"\.?([^.\[\]]+)|\[(\d+)\]")
_NUM = r"(\d+(?:\.\d+)?)"
_TOTAL_RE = re.compile(
    r"(?:(?:自评|总体|综合评价|综合|整体|最终|本次|项目|评价)总?得分|总得分)"
    r"\s*(?:为|是|:)?\s*" + _NUM + r"\s*分"
)
_RATE_RE = re.compile(
    r"执行率\s*(?:为|是|达到|达|可达到|可达|约为|约|仅为|仅|只有|:)?\s*"
    + _NUM
    + r"\s*%(?!\s*(?:及?以上|及?以下|左右))"
)
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?(%?)")
_PHONE_AREA = re.compile(r"\(0\d{2,3}\)")
_PHONE_DIGITS = re.compile(r"\d{7,12}")
_PHONE_COUNTRY = re.compile(r"\+?86(1\d{10})")
_GRADE_ALIASES: dict[str, tuple[str, ...]] = {
    "优": ("优秀",),
    "良": ("良好",),
    "中": ("中等",),
    "差": ("较差",),
}


def _normal(text: str) -> str:
    """NFKC: full-width digits, colons and percent signs become ASCII."""
    return unicodedata.normalize("NFKC", text)


def _chars(text: str) -> int:
    """Characters without whitespace (字数)."""
    return sum(1 for ch in text if not ch.isspace())


def _filled(text: str | None) -> bool:
    return text is not None and _chars(text) >= MIN_REASON_CHARS


def _decimals(number: str) -> int:
    return len(number.split(".", 1)[1]) if "." in number else 0


@lru_cache(maxsize=16)
def _grade_pattern(names: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """The grade-quoting regex for a rule set's grade names, with alias → name."""
    alias: dict[str, str] = {}
    for name in names:
        alias[name] = name
        for other in _GRADE_ALIASES.get(name, ()):
            alias.setdefault(other, name)
    alternation = "|".join(re.escape(a) for a in sorted(alias, key=len, reverse=True))
    pattern = re.compile(
        r"(?:评价等次|评价等级|评定等次|等次|评价结果|自评结果|评定结果|评价为|评定为)"
        r"\s*(?:为|是|:|评定为|确定为)?\s*[“\"'「『]?\s*(" + alternation + r")"
        r"(?:\s*[”\"'」』]|(?![\u4e00-\u9fff])|(?=[等级档]))"
    )
    return pattern, alias


# --- paths -------------------------------------------------------------------------------


def value_at(report: Report, path: str) -> Any:
    """The value at a field path (``indicators[0].children[1].deviation_reason``,
    ``funding.by_kind.其他资金.executed``); None where the path leads nowhere."""
    current: Any = report
    for match in _PATH_TOKEN.finditer(path):
        name, index = match.group(1), match.group(2)
        if index is not None:
            if not isinstance(current, list) or int(index) >= len(current):
                return None
            current = current[int(index)]
        elif isinstance(current, dict):
            current = next(
                (v for k, v in current.items() if str(getattr(k, "value", k)) == name), None
            )
        elif isinstance(current, BaseModel) and name in type(current).model_fields:
            current = getattr(current, name)
        else:
            return None
        if current is None:
            return None
    return current


def _field_title(report: Report, path: str) -> str:
    """The pydantic ``title`` of the field at ``path`` (project.name → 项目名称)."""
    owner_path, _, name = path.rpartition(".")
    owner = value_at(report, owner_path) if owner_path else report
    if isinstance(owner, BaseModel):
        info = type(owner).model_fields.get(name)
        if info is not None and info.title:
            return info.title
    return path


def settled(report: Report, finding: Finding) -> bool:
    """True when a 核实性 finding carries a written reason of ≥ MIN_REASON_CHARS 字:
    in ``report.explanations[finding.key]`` or in the reason field its path points at."""
    if finding.level is not Level.VERIFY:
        return False
    if _filled(report.explanations.get(finding.key)):
        return True
    if finding.path.rpartition(".")[2] in _REASON_FIELDS:
        value = value_at(report, finding.path)
        return isinstance(value, str) and _filled(value)
    return False


# --- the checks ----------------------------------------------------------------------------


class _Checker:
    def __init__(self, report: Report, manifest: Manifest, sheet: ScoreSheet) -> None:
        self.report = report
        self.manifest = manifest
        self.rules: Rules = manifest.rules
        self.sheet = sheet
        self.values: dict[str, str] | None = None  # live values, computed when first needed
        self.out: list[Finding] = []
        # one walk of the tree: (path, level, node, label), parents before children
        self.nodes: list[tuple[str, int, IndicatorNode, str]] = []
        self.effective: dict[int, Decimal] = {}  # id(node) → declared 分值 or children's sum
        self._walk(report.indicators, "indicators", 1, "")

    # helpers
    def add(self, code: str, level: Level, path: str, message: str) -> None:
        self.out.append(Finding(code, level, path, message))

    def _walk(self, nodes: list[IndicatorNode], prefix: str, level: int, parent: str) -> Decimal:
        total = ZERO
        for i, node in enumerate(nodes):
            path = f"{prefix}[{i}]"
            name = node.name.strip() or f"（第 {i + 1} 项，未命名）"
            label = f"{parent} / {name}" if parent else name
            self.nodes.append((path, level, node, label))
            children = self._walk(node.children, f"{path}.children", level + 1, label)
            if node.weight is not None:
                eff = node.weight
            else:
                eff = children if node.children else ZERO
            self.effective[id(node)] = eff
            total += eff
        return total

    def eff(self, node: IndicatorNode) -> Decimal:
        """A node's weight as declared (or, undeclared, its children's) — for W001."""
        return self.effective[id(node)]

    def printed(self, node: IndicatorNode) -> Decimal:
        """A node's weight as the form prints it: the sum of its leaves (the ScoreSheet)."""
        return self.sheet.nodes[node.id].weight

    # weights -----------------------------------------------------------------------------
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

        by_name = {n.name.strip(): (p, n) for p, n in reversed(first)}
        for gi, group in enumerate(self.report.weight_groups):
            if group.weight is None:
                continue
            values: list[Decimal] = []
            absent: list[str] = []
            for member in group.members:
                hit = by_name.get(member.strip())
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

        share = rules.min_share
        if share is not None:
            values = []
            target_path = "indicators"
            for member in share.members:
                hit = by_name.get(member.strip())
                if hit is not None:
                    values.append(self.printed(hit[1]))
                    if target_path == "indicators":
                        target_path = f"{hit[0]}.weight"
            total = sum(values, ZERO)
            if total < share.min:
                self.add(
                    "W004",
                    Level.ERROR,
                    target_path,
                    f"{share.label}（{'、'.join(share.members)}）：{_sum_text(values)} = "
                    f"{plain(total)}，低于规定的 {plain(share.min)} 分。请提高这些一级指标的分值。",
                )

        expected = rules.expected_first_level
        if expected is not None:
            self._expected_first_level(expected, first, by_name)

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
            hit = by_name.get(name)
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
        for path, node in first:
            if node.name.strip() not in expected:
                self.add(
                    "W005",
                    Level.VERIFY,
                    f"{path}.name",
                    f"{node.name or '（未命名）'}：不是本表式规定的一级指标"
                    f"（{'、'.join(expected)}）。请核对名称，或写明原因。",
                )

    # structure and scores ----------------------------------------------------------------
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
            if isinstance(method, ManualMethod | QualitativeMethod) and method.score is not None:
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
        reason_path = f"{path}.deviation_reason"
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
                differs = _actual_vs_target(node)
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
        points = penalty - (node.deduction or ZERO)
        if dev is not None and points > ZERO:
            self.add(
                "D003",
                Level.HINT,
                reason_path,
                f"{label}：实际与目标偏离 {percent(dev.threshold, 0)} 以上且未说明原因，已扣 "
                f"{plain(points)} 分。填写偏差原因后不再扣分。",
            )

    # money ---------------------------------------------------------------------------------
    def funding(self) -> None:
        table = self.report.funding
        total_label = "合计" if self.manifest.family == "yunnan_dept_eval" else "年度资金总额"
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

    # narrative -----------------------------------------------------------------------------
    def narrative(self) -> None:
        sheet, rules = self.sheet, self.rules
        accepted_totals = {sheet.total, round_half_up(sheet.raw_total, rules.total_decimals)}
        if rules.rescale_not_applicable and ZERO < sheet.applicable_weight < sheet.total_weight:
            accepted_totals.add(
                round_half_up(
                    sheet.raw_total / sheet.applicable_weight * sheet.total_weight,
                    rules.total_decimals,
                )
            )
        grade_re, alias = _grade_pattern(tuple(g.name for g in rules.grades))
        rate = sheet.execution_rate
        sections = {s.id: s for s in self.manifest.all_sections()}
        labels = _section_labels(self.manifest.outline)
        texts: list[tuple[str, str, str]] = [
            (f"sections.{sid}", labels.get(sid, sid), text)
            for sid, text in self.report.sections.items()
        ]
        texts.append(("suggestions", "问题和建议", self.report.suggestions))
        for path, label, raw in texts:
            if not raw.strip():
                continue
            sid = path.partition(".")[2] if path.startswith("sections.") else ""
            section = sections.get(sid)
            if section is not None and section.limit is not None:
                count = _chars(raw)
                if count > section.limit:
                    self.add(
                        "L001",
                        Level.HINT,
                        path,
                        f"{label}：已写 {count} 字，超过本栏 {section.limit} 字的上限"
                        f"（多 {count - section.limit} 字）。请精简。",
                    )
            if "{" in raw or "｛" in raw:
                self._placeholders(path, label, raw)
            text = _normal(raw)
            wrong = [
                m.group(0)
                for m in _TOTAL_RE.finditer(text)
                if Decimal(m.group(1)) not in accepted_totals
            ]
            if wrong:
                self.add(
                    "T001",
                    Level.ERROR,
                    path,
                    f"{label}：正文写“{'”“'.join(_dedupe(wrong))}”，但评分表总分为 "
                    f"{plain(sheet.total, rules.total_decimals)} 分。"
                    "请改正，或插入 {{ 总分 }} 自动取值。",
                )
            wrong = [
                m.group(0) for m in grade_re.finditer(text) if alias[m.group(1)] != sheet.grade
            ]
            if wrong:
                self.add(
                    "T002",
                    Level.ERROR,
                    path,
                    f"{label}：正文写“{'”“'.join(_dedupe(wrong))}”，但按评分表评价等次为“"
                    f"{sheet.grade}”。"
                    "请改正，或插入 {{ 等次 }} 自动取值。",
                )
            if rate is not None:
                wrong = []
                for m in _RATE_RE.finditer(text):
                    quoted = m.group(1)
                    if Decimal(quoted) != round_half_up(rate * HUNDRED, _decimals(quoted)):
                        wrong.append(m.group(0))
                if wrong:
                    self.add(
                        "T003",
                        Level.VERIFY,
                        path,
                        f"{label}：正文写“{'”“'.join(_dedupe(wrong))}”，"
                        "与项目资金表计算的预算执行率 "
                        f"{percent(rate, self.rules.execution.rate_display_decimals)} 不同。"
                        "如是按其他口径计算，请写明口径"
                        f"（至少 {MIN_REASON_CHARS} 个字）；否则请改正。",
                    )

    def _placeholders(self, path: str, label: str, raw: str) -> None:
        """T004: a {{ 名称 }} in the text that no live value answers (printed as typed).

        A placeholder alone on its line marks where a table goes (``{{ 表1 }}``) and is
        left to the exporter.
        """
        if self.values is None:
            self.values = live_values(self.report, self.manifest, self.sheet)
        unknown: list[str] = []
        for line in raw.splitlines():
            names = placeholders_in(line)
            if len(names) == 1 and PLACEHOLDER_RE.sub("", line).strip() == "":
                continue
            unknown += [n for n in names if n not in self.values and n not in unknown]
        if unknown:
            known = "、".join(list(self.values)[:12])
            self.add(
                "T004",
                Level.HINT,
                path,
                f"{label}：占位符 {'、'.join('{{ ' + n + ' }}' for n in unknown)} 不认识，"
                f"导出时将原样印出。可用的有：{known}……",
            )

    # header ----------------------------------------------------------------------------
    def required(self) -> None:
        report = self.report
        for path in self.rules.required_fields:
            value = value_at(report, path)
            if value is None or (isinstance(value, str) and not value.strip()):
                label = _field_title(report, path)
                self.add("R001", Level.ERROR, path, f"{label}：必填，尚未填写。请填写{label}。")
        phone = report.meta.phone
        if phone.strip() and not _phone_ok(phone):
            self.add(
                "R002",
                Level.ERROR,
                "meta.phone",
                f"联系电话：“{phone}”不是有效的电话号码。请填写 7–12 位数字，"
                "区号可用“-”分隔，例如 0762-3893981 或 13812345678。",
            )
        declared = (report.declared_grade or "").strip()
        if declared and declared != self.sheet.grade:
            why = f"（{self.sheet.grade_cap_reason}）" if self.sheet.grade_cap_reason else ""
            self.add(
                "G001",
                Level.ERROR,
                "declared_grade",
                f"评价等次：填写为“{declared}”，按总分 {plain(self.sheet.total)} 分应为“"
                f"{self.sheet.grade}”{why}。请改为“{self.sheet.grade}”。",
            )


def _sum_text(values: Iterable[Decimal]) -> str:
    parts = [plain(v) for v in values]
    return " + ".join(parts) if parts else "0"


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


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


def _plain_number(text: str) -> tuple[Decimal, str] | None:
    s = _normal(text).strip()
    if not _PLAIN_NUMBER.fullmatch(s):
        return None
    unit = "%" if s.endswith("%") else ""
    try:
        return Decimal(s.rstrip("%")), unit
    except InvalidOperation:
        return None


def _actual_vs_target(node: IndicatorNode) -> str:
    """Why the actual differs from the target, or "" where it does not / cannot tell."""
    method = node.method
    if isinstance(method, CompareMethod):
        if (
            method.target is not None
            and method.actual is not None
            and method.actual != method.target
        ):
            return f"实际完成值 {plain(method.actual)} 与年度指标值 {plain(method.target)} 不同"
        return ""
    if isinstance(method, RateMethod):
        if method.numerator is not None and method.denominator:
            rate = method.numerator / method.denominator
            if rate != method.target_rate:
                return f"实际比率 {percent(rate)} 与目标 {percent(method.target_rate)} 不同"
        return ""
    target, actual = _plain_number(node.target_text), _plain_number(node.actual_text)
    if (
        target is not None
        and actual is not None
        and target[1] == actual[1]
        and target[0] != actual[0]
    ):
        return f"实际完成值 {node.actual_text.strip()} 与年度指标值 {node.target_text.strip()} 不同"
    return ""


def _phone_ok(phone: str) -> bool:
    s = _normal(phone).replace(" ", "").replace("-", "")
    s = _PHONE_AREA.sub(lambda m: m.group(0)[1:-1], s, count=1) if s.startswith("(") else s
    country = _PHONE_COUNTRY.fullmatch(s)
    if country:
        s = country.group(1)
    return _PHONE_DIGITS.fullmatch(s) is not None


def _section_labels(outline: list[Section]) -> dict[str, str]:
    out: dict[str, str] = {}

    def walk(items: list[Section], parent: str) -> None:
        for s in items:
            label = f"{parent} / {s.heading}" if parent else s.heading
            out[s.id] = label
            walk(s.children, label)

    walk(outline, "")
    return out


def validate(report: Report, manifest: Manifest, sheet: ScoreSheet | None = None) -> list[Finding]:
    """Every check of spec §5 on ``report``; settled 核实性 findings are left out.

    Sorted by ``LEVEL_ORDER`` and, within a level, in the order of the form
    (header, weights, indicators, money, narrative).
    """
    if sheet is None:
        sheet = compute(report, manifest.rules)
    checker = _Checker(report, manifest, sheet)
    checker.required()
    checker.weights()
    checker.indicators()
    checker.funding()
    checker.narrative()
    found = [f for f in checker.out if not settled(report, f)]
    found.sort(key=lambda f: LEVEL_ORDER[f.level])
    return found
