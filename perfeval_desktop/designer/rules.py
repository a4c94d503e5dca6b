"""The rule set of a form being designed: rounding, 执行率 block, grades, caps, groups.

Each function is one change of :class:`~perfeval_desktop.designer.draft.TemplateDraft`,
validated like a manifest on disk (DesignError names the field and the fix).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from .draft import Data, TemplateDraft

Number = Decimal | str | int


def _rules(draft: TemplateDraft, **fields: Any) -> None:
    def put(data: Data) -> None:
        data["rules"].update(fields)

    draft.change(put)


def set_total_weight(draft: TemplateDraft, total: Number) -> None:
    _rules(draft, total_weight=total)


def set_rounding(draft: TemplateDraft, *, scores: int | None = None, totals: int | None = None,
                 execution: int | None = None) -> None:
    """Decimal places (0–2) of computed leaf scores, of totals, of the 执行率 score."""

    def put(data: Data) -> None:
        rules = data["rules"]
        if scores is not None:
            rules["score_decimals"] = scores
        if totals is not None:
            rules["total_decimals"] = totals
        if execution is not None:
            rules["execution"]["decimals"] = execution

    draft.change(put)


def set_execution(draft: TemplateDraft, weight: Number | None, *, basis: str | None = None,
                  label: str | None = None) -> None:
    """The 预算执行率 block's 分值 (None: the form has no such block) and its basis
    (annual_budget 全年预算数 / initial_budget 年初预算数 / received 实际到位数)."""

    def put(data: Data) -> None:
        ex = data["rules"]["execution"]
        ex["weight"] = weight
        if basis is not None:
            ex["basis"] = basis
        if label is not None:
            ex["label"] = label

    draft.change(put)
    draft._sync_expected()


def set_grades(draft: TemplateDraft, bands: Sequence[tuple[str, Number]]) -> None:
    """Grade bands, highest first, each with its inclusive lower bound; the last is 0."""
    _rules(draft, grades=[{"name": n, "min": m} for n, m in bands])


def set_caps(draft: TemplateDraft, *, grade: Sequence[tuple[Number, str, str]] = (),
             score: Sequence[tuple[Number, Number]] = (),
             score_reason: str = "预算执行率偏低，总分按执行率封顶") -> None:
    """Caps by 执行率: ``grade`` (below, max grade, reason); ``score`` (below, max score)."""
    caps: list[Data] = [
        {"kind": "grade", "below": b, "max_grade": g, "reason": r} for b, g, r in grade
    ]
    if score:
        caps.append({"kind": "score", "reason": score_reason,
                     "bands": [{"below": b, "max_score": m} for b, m in score]})
    _rules(draft, caps=caps)


def set_weight_groups(draft: TemplateDraft,
                      groups: Sequence[tuple[str, Sequence[str], Number | None]]) -> None:
    """Merged first-level 分值 cells (云南: 决策+过程 40, 产出+效益 60)."""

    def put(data: Data) -> None:
        data["weight_groups"] = [
            {"label": label, "members": list(members), "weight": weight}
            for label, members, weight in groups
        ]

    draft.change(put)


def set_min_share(draft: TemplateDraft, members: Sequence[str] | None, minimum: Number = 60,
                  label: str = "") -> None:
    """The rule that ``members`` (产出 + 效益) weigh at least ``minimum``; None removes it."""
    value = None
    if members is not None:
        value = {"members": list(members), "min": minimum,
                 "label": label or "+".join(members)}
    _rules(draft, min_share=value)


def set_over_achievement(draft: TemplateDraft, ratio: Number | None) -> None:
    """An actual of ``ratio`` × target or more needs a reason (None: no such check)."""
    _rules(draft, over_achievement_ratio=ratio)
