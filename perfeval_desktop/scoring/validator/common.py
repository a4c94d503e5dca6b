"""What several areas' rules share: levels, field paths, settled findings, text helpers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from ...model.report import AMOUNT_COLUMNS, Amounts, Report
from ...templates.manifest import Section
from ..findings import MIN_REASON_CHARS, Finding, Level
from ..rounding import plain

#: Levels from the most to the least severe; ``LEVEL_ORDER[level]`` is a sort key.
LEVEL_ORDER: dict[Level, int] = {Level.ERROR: 0, Level.VERIFY: 1, Level.HINT: 2}

COLUMN_LABELS: dict[str, str] = {
    c: str(Amounts.model_fields[c].title or c) for c in AMOUNT_COLUMNS
}
ROOT_LABEL = "绩效指标"

_REASON_FIELDS = frozenset({"deviation_reason", "execution_reason", "unscored_reason"})
_PATH_TOKEN = re.compile(r"\.?([^.\[\]]+)|\[(\d+)\]")


def normal(text: str) -> str:
    """NFKC: full-width digits, colons and percent signs become ASCII."""
    return unicodedata.normalize("NFKC", text)


def level_key(name: str) -> str:
    """A first-level name as rules match it: 产出 = 产出指标 = “ 产出指标 ” (issue #13 §10)."""
    key = "".join(normal(name).split())
    return key.removesuffix("指标") or key


def chars(text: str) -> int:
    """Characters without whitespace (字数)."""
    return sum(1 for ch in text if not ch.isspace())


def filled(text: str | None) -> bool:
    """A reason long enough to count (≥ MIN_REASON_CHARS 字)."""
    return text is not None and chars(text) >= MIN_REASON_CHARS


def sum_text(values: Iterable[Decimal]) -> str:
    """``1 + 2 + 3`` (``0`` for none)."""
    parts = [plain(v) for v in values]
    return " + ".join(parts) if parts else "0"


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


def settled(report: Report, finding: Finding) -> bool:
    """True when a 核实性 finding carries a written reason of ≥ MIN_REASON_CHARS 字:
    in ``report.explanations[finding.key]`` or in the reason field its path points at."""
    if finding.level is not Level.VERIFY:
        return False
    if filled(report.explanations.get(finding.key)):
        return True
    if finding.path.rpartition(".")[2] in _REASON_FIELDS:
        value = value_at(report, finding.path)
        return isinstance(value, str) and filled(value)
    return False


def section_labels(outline: list[Section]) -> dict[str, str]:
    """Each section's label: its heading under its parents' (``二、… / （一）…``)."""
    out: dict[str, str] = {}

    def walk(items: list[Section], parent: str) -> None:
        for s in items:
            label = f"{parent} / {s.heading}" if parent else s.heading
            out[s.id] = label
            walk(s.children, label)

    walk(outline, "")
    return out
