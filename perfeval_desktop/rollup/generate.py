"""A folder of generated received reports (mixed templates) for tests and ``make bench``.

Each report is one of the samples with its unit, project, execution and manual scores
varied, so the roll-up has grades, rates and units to show.  Amounts stay consistent
(the 其中 rows still add up to the total).
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from .. import paths
from ..model.report import ManualMethod, Report, iter_nodes
from ..scoring.funding import column_parts
from ..storage import pfe

TOWNS = (
    "城关镇", "河口镇", "新安镇", "石桥镇", "白沙乡", "青山乡", "东风镇", "南湖镇", "西岭乡",
    "北塘镇", "柳林镇", "高桥乡",
)
CENT = Decimal("0.01")


def _scale_execution(report: Report, factor: Decimal) -> None:
    funding = report.funding
    rows = [funding.total, *funding.by_kind.values(), *funding.by_source.values(),
            *(d.amounts for d in funding.details)]
    for amounts in rows:
        if amounts.executed is not None:
            amounts.executed = (amounts.executed * factor).quantize(CENT)
    parts = column_parts(funding, "executed")
    if parts is not None and funding.total.executed is not None:
        funding.total.executed = parts
    funding.typed_execution_rate = None


def _scale_scores(report: Report, factor: Decimal) -> None:
    for _path, _level, node in iter_nodes(report.indicators):
        if isinstance(node.method, ManualMethod) and node.method.score is not None:
            node.method = ManualMethod(score=(node.method.score * factor).quantize(Decimal("0.1")))


def varied(sample: Report, i: int, rng: random.Random) -> Report:
    report = sample.model_copy(deep=True)
    report.meta.unit = f"{TOWNS[i % len(TOWNS)]}医疗保障所"
    report.project.name = f"{sample.project.name}（第{i // len(TOWNS) + 1}批）"
    rate = Decimal(rng.randint(40, 105)) / 100
    current = _current_rate(report)
    if current:
        _scale_execution(report, rate / current)
    if i % 3 == 2:
        _scale_scores(report, Decimal(rng.randint(60, 100)) / 100)
    return report


def _current_rate(report: Report) -> Decimal | None:
    budget = report.funding.total.annual_budget or column_parts(report.funding, "annual_budget")
    executed = report.funding.total.executed or column_parts(report.funding, "executed")
    if not budget or executed is None:
        return None
    return executed / budget


def generate_folder(folder: Path, count: int, seed: int = 15) -> list[Path]:
    """Write ``count`` varied reports of every sample's template into ``folder``."""
    rng = random.Random(seed)
    samples = [pfe.load(p) for p in sorted(paths.samples_dir().glob("*.pfe"))]
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(count):
        report = varied(samples[i % len(samples)], i, rng)
        sub = folder / report.meta.unit
        sub.mkdir(exist_ok=True)
        target = sub / f"报告{i + 1:04d}.pfe"
        target.write_text(pfe.dumps(report), encoding="utf-8")
        written.append(target)
    return written
