"""T001–T004, L001: figures quoted in the narrative, placeholders, length."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from ...templates.manifest import Section
from ..findings import MIN_REASON_CHARS, Level
from ..live_values import PLACEHOLDER_RE, placeholders_in
from ..rounding import HUNDRED, ZERO, percent, plain, round_half_up
from .common import chars, normal
from .context import Context
from .rule import Hit, each

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
_GRADE_ALIASES: dict[str, tuple[str, ...]] = {
    "优": ("优秀",),
    "良": ("良好",),
    "中": ("中等",),
    "差": ("较差",),
}


class Text(NamedTuple):
    """A text of the report that is filled in: a section of the outline or 问题和建议."""

    path: str
    label: str
    raw: str
    normal: str  # NFKC: full-width digits, colons and percent signs become ASCII
    section: Section | None


def texts(c: Context) -> list[Text]:
    sections = {s.id: s for s in c.manifest.all_sections()}
    found = [(f"sections.{sid}", c.section_labels.get(sid, sid), text, sections.get(sid))
             for sid, text in c.report.sections.items()]
    found.append(("suggestions", "问题和建议", c.report.suggestions, None))
    return [Text(path, label, raw, normal(raw), section)
            for path, label, raw, section in found if raw.strip()]


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


def _quoted(wrong: list[str]) -> str:
    return "”“".join(dict.fromkeys(wrong))


@each(texts, "L001", Level.HINT, "a narrative section longer than its 字数上限")
def too_long(c: Context, text: Text) -> Hit | None:
    limit = text.section.limit if text.section is not None else None
    count = chars(text.raw) if limit is not None else 0
    if limit is None or count <= limit:
        return None
    return (text.path, f"{text.label}：已写 {count} 字，超过本栏 {limit} 字的上限"
                       f"（多 {count - limit} 字）。请精简。")


@each(texts, "T004", Level.HINT, "a {{ 名称 }} placeholder in the narrative that no live value "
      "answers")
def unknown_placeholder(c: Context, text: Text) -> Hit | None:
    """A placeholder alone on its line marks where a table goes (``{{ 表1 }}``) and is
    left to the exporter."""
    if "{" not in text.raw and "｛" not in text.raw:
        return None
    unknown: list[str] = []
    for line in text.raw.splitlines():
        names = placeholders_in(line)
        if len(names) == 1 and PLACEHOLDER_RE.sub("", line).strip() == "":
            continue
        unknown += [n for n in names if n not in c.values and n not in unknown]
    if not unknown:
        return None
    known = "、".join(list(c.values)[:12])
    return (text.path, f"{text.label}：占位符 {'、'.join('{{ ' + n + ' }}' for n in unknown)} "
                       f"不认识，导出时将原样印出。可用的有：{known}……")


def _accepted_totals(c: Context) -> set[Decimal]:
    """The totals the narrative may quote: the form's, unrounded, and rescaled."""
    sheet, rules = c.sheet, c.rules
    accepted = {sheet.total, round_half_up(sheet.raw_total, rules.total_decimals)}
    if rules.rescale_not_applicable and ZERO < sheet.applicable_weight < sheet.total_weight:
        accepted.add(round_half_up(sheet.raw_total / sheet.applicable_weight
                                   * sheet.total_weight, rules.total_decimals))
    return accepted


@each(texts, "T001", Level.ERROR, "the narrative quotes a total score that differs from the "
      "table")
def quoted_total(c: Context, text: Text) -> Hit | None:
    accepted = _accepted_totals(c)
    wrong = [m.group(0) for m in _TOTAL_RE.finditer(text.normal)
             if Decimal(m.group(1)) not in accepted]
    if not wrong:
        return None
    return (text.path, f"{text.label}：正文写“{_quoted(wrong)}”，但评分表总分为 "
                       f"{plain(c.sheet.total, c.rules.total_decimals)} 分。"
                       "请改正，或插入 {{ 总分 }} 自动取值。")


@each(texts, "T002", Level.ERROR, "the narrative quotes a grade that differs from the table")
def quoted_grade(c: Context, text: Text) -> Hit | None:
    grade_re, alias = _grade_pattern(tuple(g.name for g in c.rules.grades))
    wrong = [m.group(0) for m in grade_re.finditer(text.normal)
             if alias[m.group(1)] != c.sheet.grade]
    if not wrong:
        return None
    return (text.path, f"{text.label}：正文写“{_quoted(wrong)}”，但按评分表评价等次为“"
                       f"{c.sheet.grade}”。请改正，或插入 {{{{ 等次 }}}} 自动取值。")


@each(texts, "T003", Level.VERIFY, "the narrative quotes an 执行率 that differs from the "
      "computed one")
def quoted_rate(c: Context, text: Text) -> Hit | None:
    rate = c.sheet.execution_rate
    if rate is None:
        return None
    wrong = [m.group(0) for m in _RATE_RE.finditer(text.normal)
             if Decimal(m.group(1)) != round_half_up(rate * HUNDRED, _decimals(m.group(1)))]
    if not wrong:
        return None
    return (text.path, f"{text.label}：正文写“{_quoted(wrong)}”，与项目资金表计算的预算执行率 "
                       f"{percent(rate, c.rules.execution.rate_display_decimals)} 不同。"
                       "如是按其他口径计算，请写明口径"
                       f"（至少 {MIN_REASON_CHARS} 个字）；否则请改正。")


def _decimals(number: str) -> int:
    return len(number.split(".", 1)[1]) if "." in number else 0
