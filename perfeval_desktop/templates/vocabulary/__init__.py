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

__all__ = ["VOCABULARY", "Name", "Use", "help_lines", "help_text", "markdown", "names"]

# the scores first: what a clerk inserts most
VOCABULARY: tuple[Name, ...] = (*totals.NAMES, *funding.NAMES, *indicators.NAMES,
                                *header.NAMES, *document.NAMES)


def names(use: Use) -> list[Name]:
    """The names ``use`` can write, in the table's order."""
    return [n for n in VOCABULARY if use in n.uses]


def help_lines(use: Use) -> list[str]:
    """``{{ 名称 }}：说明`` for each name ``use`` can write (the in-app help)."""
    return [f"{n.shown}：{n.help}" for n in names(use)]


HELP_LEADS = {
    Use.FORMS: "表格（forms.xlsx）中可写的占位符，导出时填入：",
    Use.REPORT: "正文版式（report.docx）中可写的占位符，导出时填入：",
    Use.NARRATIVE: "正文中可插入的占位符，导出时填入与表格相同的数值（原样写入双花括号及名称）：",
}


def help_text(use: Use) -> str:
    """The in-app help of ``use``: a lead line, then :func:`help_lines`."""
    return "\n".join([HELP_LEADS[use], *help_lines(use)])


def markdown() -> str:
    """The README's table of names: each with its description and where it can be used."""
    head = "| 占位符 | 含义 | " + " | ".join(u.value for u in Use) + " |"
    rows = [head, "|---|---|" + "---|" * len(Use)]
    for n in VOCABULARY:
        marks = " | ".join("✓" if u in n.uses else "" for u in Use)
        rows.append(f"| `{n.shown}` | {n.help.replace('|', '｜')} | {marks} |")
    return "\n".join(rows) + "\n"
