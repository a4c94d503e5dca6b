"""A name a template can use, with its one Chinese description and where it can be used."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Use(Enum):
    """Where a name can be written."""

    FORMS = "表格"  # forms.xlsx: the 附件 forms
    REPORT = "正文模板"  # report.docx: the Word template of the 正文
    NARRATIVE = "正文文字"  # the text the clerk types into a section


ALL = frozenset(Use)
FORMS = frozenset({Use.FORMS})
REPORT = frozenset({Use.REPORT})
FORMS_REPORT = frozenset({Use.FORMS, Use.REPORT})
REPORT_NARRATIVE = frozenset({Use.REPORT, Use.NARRATIVE})


@dataclass(frozen=True)
class Name:
    """``name`` as written between ``{{ }}``; ``per_level``: a family of names, one per
    first-level indicator X (``X得分`` → 产出指标得分, 决策得分 …)."""

    name: str
    help: str
    uses: frozenset[Use]
    per_level: bool = False

    @property
    def suffix(self) -> str:
        """What follows the first level's name in a ``per_level`` name (得分, 分值, 得分率)."""
        return self.name.removeprefix("X") if self.per_level else ""

    @property
    def shown(self) -> str:
        return f"{{{{ {self.name} }}}}"
