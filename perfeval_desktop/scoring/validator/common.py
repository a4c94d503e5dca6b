"""Constants, text helpers and field paths shared by the validator's checks."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from ...model.numbers import parse_figure
from ...model.report import (
    AMOUNT_COLUMNS,
    Amounts,
    CompareMethod,
    IndicatorNode,
    Nature,
    RateMethod,
    Report,
)
from ...templates.manifest import Section
from ..findings import MIN_REASON_CHARS, Finding, Level
from ..funding import FundingFigures
from ..methods import compare_inputs, rate_amounts
from ..rounding import percent, plain

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


def level_key(name: str) -> str:
    """A first-level name as rules match it: 产出 = 产出指标 = “ 产出指标 ” (issue #13 §10)."""
    key = "".join(_normal(name).split())
    return key.removesuffix("指标") or key


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


_NATURES = {nature.value: nature for nature in Nature}  # (Nature(sign) per leaf: 100,000 calls)


def _actual_vs_target(node: IndicatorNode, funding: FundingFigures | None = None) -> str:
    """Why the actual differs from the target, or "" where it does not / cannot tell."""
    method = node.method
    if isinstance(method, CompareMethod):
        nature, target, actual = compare_inputs(node, method)
        if target is None or actual is None or actual == target or _met(nature, target, actual):
            return ""
        return f"实际完成值 {plain(actual)} 与年度指标值 {plain(target)} 不同"
    if isinstance(method, RateMethod):
        numerator, denominator = rate_amounts(method, funding)
        if numerator is not None and denominator:
            rate = numerator / denominator
            if rate != method.target_rate:
                return f"实际比率 {percent(rate)} 与目标 {percent(method.target_rate)} 不同"
        return ""
    typed_target, typed_actual = parse_figure(node.target_text), parse_figure(node.actual_text)
    if (
        typed_target is not None
        and typed_actual is not None
        and typed_target.unit == typed_actual.unit
        and typed_target.number != typed_actual.number
        and not _met(_NATURES[typed_target.sign or "="], typed_target.number, typed_actual.number)
    ):
        return f"实际完成值 {node.actual_text.strip()} 与年度指标值 {node.target_text.strip()} 不同"
    return ""


def _met(nature: Nature, target: Decimal, actual: Decimal) -> bool:
    """A target met in its own direction (≥ with more, ≤ with less) asks for no reason
    (an over-achievement far beyond it is D002's business)."""
    if nature is Nature.HIGHER:
        return actual >= target
    if nature is Nature.LOWER:
        return actual <= target
    return actual == target


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
