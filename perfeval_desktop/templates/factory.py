"""A new, empty report laid out by a template's outline and indicator framework."""

from __future__ import annotations

from ..model.report import (
    FundingKind,
    FundingSource,
    FundingTable,
    IndicatorNode,
    Meta,
    Report,
    WeightGroup,
)
from .manifest import FrameworkNode, Manifest


def _node(spec: FrameworkNode) -> IndicatorNode:
    return IndicatorNode(
        name=spec.name,
        weight=spec.weight,
        method=spec.method.model_copy(deep=True),
        target_text=spec.target_text,
        keep_empty=spec.keep_empty,
        children=[_node(c) for c in spec.children],
    )


def new_report(manifest: Manifest) -> Report:
    """An empty report of this form family: framework, funding rows and sections in place."""
    rules = manifest.rules
    funding = FundingTable(
        by_kind={FundingKind(k): {} for k in rules.funding_kinds},  # type: ignore[misc]
        by_source={s: {} for s in FundingSource} if rules.funding_sources else {},  # type: ignore[misc]
    )
    return Report(
        meta=Meta(template_id=manifest.id, template_version=manifest.version),
        funding=funding,
        indicators=[_node(n) for n in manifest.framework],
        weight_groups=[
            WeightGroup(label=g.label, members=list(g.members), weight=g.weight)
            for g in manifest.weight_groups
        ],
        sections={s.id: "" for s in manifest.all_sections() if not s.children},
    )
