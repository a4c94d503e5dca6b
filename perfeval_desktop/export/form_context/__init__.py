"""What a form template (``forms.xlsx``) can name: the report and its scores as placeholders.

Every computed figure is a :class:`~..live.Live` that knows its live formula, so the
filled sheet recalculates in Excel/WPS exactly as the engine computed it.  The names and
what each means are the vocabulary's (:mod:`perfeval_desktop.templates.vocabulary`, use
表格); they are filled here by subject: the header (shared with every use), the funding
(:mod:`.funding`), the indicators (:mod:`.indicators`) and the totals (:mod:`.totals`).
"""

from __future__ import annotations

from typing import Any

from ...model.report import Report
from ...scoring.engine import ScoreSheet
from ...templates.manifest import Manifest
from ...templates.vocabulary.header import header_texts
from .funding import funding_context
from .indicators import indicator_context
from .totals import totals_context

__all__ = ["form_context"]


def form_context(report: Report, manifest: Manifest, sheet: ScoreSheet,
                 key: str = "", title: str = "", indicator: str = "") -> dict[str, Any]:
    """The placeholders of a form template for ``report`` scored as ``sheet``: ``key`` and
    ``title`` are the form's (附件1, 项目支出绩效自评表), ``indicator`` the id of the
    first-level indicator a per-indicator table is about."""
    indicators = indicator_context(report, manifest, sheet, indicator)
    return {
        "附件标识": key,
        "表名": title,
        **header_texts(report, manifest),
        **funding_context(report, manifest.rules, sheet),
        **indicators.names,
        **totals_context(report, manifest.rules, sheet, indicators),
    }
