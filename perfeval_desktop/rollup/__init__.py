"""汇总: the finance bureau's roll-up of the reports it receives (no Qt here).

:func:`collect` reads every ``.pfe`` under some folders, scores and checks each with its
own template, and returns one :class:`Rollup`: a row per report, the files it could not
read with the reason, and the duplicates (same unit + project + year).  Nothing is
dropped silently.  :func:`~perfeval_desktop.rollup.workbook.write_rollup` writes 汇总.xlsx.
"""

from .collect import (
    Cancelled,
    Duplicate,
    Rollup,
    RollupRow,
    Unreadable,
    collect,
    find_reports,
    read_one,
)

__all__ = [
    "Cancelled",
    "Duplicate",
    "Rollup",
    "RollupRow",
    "Unreadable",
    "collect",
    "find_reports",
    "read_one",
]
