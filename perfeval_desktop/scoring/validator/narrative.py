"""T001–T004, L001: figures quoted in the narrative, placeholders, length."""

from __future__ import annotations

from decimal import Decimal

from ..findings import MIN_REASON_CHARS, Level
from ..live_values import PLACEHOLDER_RE, live_values, placeholders_in
from ..rounding import HUNDRED, ZERO, percent, plain, round_half_up
from .base import CheckerBase
from .common import (
    _RATE_RE,
    _TOTAL_RE,
    _chars,
    _decimals,
    _dedupe,
    _grade_pattern,
    _normal,
    _section_labels,
)


class NarrativeChecks(CheckerBase):
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
