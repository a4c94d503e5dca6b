"""Every name a template can use — in ``forms.xlsx``, in ``report.docx`` and in the text a
clerk types (``{{ 名称 }}``) — defined once, with its Chinese description, in one table.

The table is split by subject (:mod:`.header`, :mod:`.funding`, :mod:`.indicators`,
:mod:`.totals`, :mod:`.document`); each :class:`~.table.Name` says where it can be used.
The contexts that fill the names (``export/form_context``, ``export/report_docx``,
``scoring/live_values``) give exactly these names (tests/templates/test_vocabulary.py), and
the README's list and the in-app help are generated from it (:func:`markdown`,
:func:`help_lines`; ``python -m perfeval_desktop.templates.vocabulary`` prints the README's).
"""

from __future__ import annotations

from . import document, funding, header, indicators, totals
from .table import Name, Use

__all__ = ["VOCABULARY", "Name", "Use", "help_lines", "markdown", "names"]

VOCABULARY: tuple[Name, ...] = (*header.NAMES, *document.NAMES, *funding.NAMES,
                                *indicators.NAMES, *totals.NAMES)


def names(use: Use) -> list[Name]:
    """The names ``use`` can write, in the table's order."""
    return [n for n in VOCABULARY if use in n.uses]


def help_lines(use: Use) -> list[str]:
    """``{{ 名称 }}：说明`` for each name ``use`` can write (the in-app help)."""
    return [f"{n.shown}：{n.help}" for n in names(use)]


def markdown() -> str:
    """The README's table of names: each with its description and where it can be used."""
    head = "| 占位符 | 含义 | " + " | ".join(u.value for u in Use) + " |"
    rows = [head, "|---|---|" + "---|" * len(Use)]
    for n in VOCABULARY:
        marks = " | ".join("✓" if u in n.uses else "" for u in Use)
        rows.append(f"| `{n.shown}` | {n.help.replace('|', '｜')} | {marks} |")
    return "\n".join(rows) + "\n"
