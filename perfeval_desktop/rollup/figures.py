"""The figures of 汇总: grade counts, 执行率 bands around the 90 % line, scores by unit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from ..scoring.rounding import round_half_up
from .collect import RollupRow

RATE_LINE = Decimal("0.9")  # 执行率 below 90 % needs a reason (spec §5)
GRADE_ORDER = ("优", "良", "中", "差")
# lower bounds of the 执行率 bands (shares); the last band is “above 100 %”
_BAND_EDGES = (Decimal("0"), Decimal("0.5"), Decimal("0.6"), Decimal("0.7"), Decimal("0.8"),
               RATE_LINE)


@dataclass(frozen=True)
class RateBucket:
    label: str
    count: int
    below_line: bool


@dataclass(frozen=True)
class UnitScore:
    unit: str
    average: Decimal
    lowest: Decimal
    count: int


def grade_counts(rows: Sequence[RollupRow]) -> dict[str, int]:
    """优/良/中/差 always (0 where none), then any other grade a template defines."""
    counts = {g: 0 for g in GRADE_ORDER}
    for row in rows:
        counts[row.grade] = counts.get(row.grade, 0) + 1
    return counts


def _pct(share: Decimal) -> str:
    return f"{int(share * 100)}%"


def rate_buckets(rows: Sequence[RollupRow]) -> list[RateBucket]:
    """Counts per 执行率 band: below 50 %, 50–60 % … 90–100 %, above 100 % (reports whose
    rate cannot be computed are counted by :func:`no_rate_count`)."""
    edges = list(_BAND_EDGES)
    labels = [f"低于{_pct(edges[1])}"] + [
        f"{_pct(lo)}–{_pct(hi)}" for lo, hi in pairwise(edges[1:])
    ] + [f"{_pct(RATE_LINE)}–100%", "高于100%"]
    counts = [0] * len(labels)
    for row in rows:
        rate = row.execution_rate
        if rate is None:
            continue
        if rate > 1:
            counts[-1] += 1
        else:
            counts[max(i for i, lo in enumerate(edges) if rate >= lo or i == 0)] += 1
    return [
        RateBucket(label, n, below_line=i < len(edges) - 1)
        for i, (label, n) in enumerate(zip(labels, counts, strict=True))
    ]


def no_rate_count(rows: Sequence[RollupRow]) -> int:
    return sum(1 for row in rows if row.execution_rate is None)


def unit_scores(rows: Sequence[RollupRow]) -> list[UnitScore]:
    """Average and lowest 总分 per unit, the lowest average first."""
    by_unit: dict[str, list[Decimal]] = {}
    for row in rows:
        by_unit.setdefault(row.unit or "（未填单位）", []).append(row.total)
    out = [
        UnitScore(unit, round_half_up(sum(totals, Decimal(0)) / len(totals), 2), min(totals),
                  len(totals))
        for unit, totals in by_unit.items()
    ]
    return sorted(out, key=lambda u: (u.average, u.unit))
