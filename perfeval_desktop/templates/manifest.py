"""What a form family is, as data: outline, indicator framework and rule set.

A bureau edits ``templates/<id>/manifest.yaml``; nothing here is region-specific code.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..model.limits import ScoreValue
from ..model.report import Band, ManualMethod, ScoringMethod

SUMMARY_TITLES = ("摘要", "摘 要")


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Section(_M):
    """One narrative section of the report outline."""

    id: str
    number: str = ""  # 一、 / （一） / 1.
    title: str
    guidance: str = ""  # 填写说明
    limit: int | None = Field(default=None, gt=0)  # 字数上限
    children: list[Section] = Field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.number}{self.title}"

    @property
    def is_summary(self) -> bool:
        """The 摘要: an unnumbered section of that title, printed on a page of its own
        before the 正文 (and not at all while it is empty)."""
        return not self.number.strip() and self.title.strip() in SUMMARY_TITLES

    def written(self, text: str | None) -> str:
        """What the clerk wrote in this section: ``text``, or "" where it is only the
        template's own 填写说明 (“（主要从……概述）” left in place, as in seed 000's 摘要):
        an instruction is not the report's content, it never prints."""
        text = text or ""
        if self.guidance.strip() and _bare(text) == _bare(self.guidance):
            return ""
        return text


def _bare(text: str) -> str:
    """``text`` without its spaces and line breaks, its brackets half-width."""
    return "".join(text.split()).translate(_BRACKETS)


_BRACKETS = str.maketrans("（）", "()")


class FrameworkNode(_M):
    name: str
    weight: ScoreValue | None = None
    method: ScoringMethod = Field(default_factory=ManualMethod)
    target_text: str = ""
    keep_empty: bool = False
    children: list[FrameworkNode] = Field(default_factory=list)


class WeightGroupSpec(_M):
    label: str
    members: list[str]
    weight: ScoreValue | None = None


class GradeBand(_M):
    name: str
    min: ScoreValue


class GradeCap(_M):
    """Execution rate below ``below`` → the grade is at most ``max_grade``."""

    kind: Literal["grade"] = "grade"
    below: ScoreValue
    max_grade: str
    reason: str


class ScoreCapBand(_M):
    below: ScoreValue
    max_score: ScoreValue


class ScoreCap(_M):
    """Execution-rate bands each capping the total score; the strictest band applies."""

    kind: Literal["score"] = "score"
    bands: list[ScoreCapBand]
    reason: str = "预算执行率偏低，总分按执行率封顶"


class QualitativeBand(_M):
    band: Band
    low: ScoreValue  # share of 分值, inclusive
    high: ScoreValue  # share of 分值, inclusive


def _default_bands() -> list[QualitativeBand]:
    return [
        QualitativeBand(band=Band.ACHIEVED, low=Decimal("0.8"), high=Decimal("1")),
        QualitativeBand(band=Band.PARTIAL, low=Decimal("0.6"), high=Decimal("0.8")),
        QualitativeBand(band=Band.FAILED, low=Decimal("0"), high=Decimal("0.6")),
    ]


class ExecutionRule(_M):
    """预算执行率 as a block of the funding table (财政部 自评表: 分值 10)."""

    weight: ScoreValue | None = None  # None: not a separate block (scored inside the tree)
    label: str = "预算执行率"
    basis: Literal["annual_budget", "initial_budget", "received"] = "annual_budget"
    decimals: int = Field(default=2, ge=0, le=2)
    rate_display_decimals: int = Field(default=1, ge=0, le=2)
    reason_below: ScoreValue = Decimal("0.9")  # 核实性: below this a reason is needed


class DeviationPenalty(_M):
    threshold: ScoreValue  # relative deviation, e.g. 0.3
    points: ScoreValue


class MinShare(_M):
    members: list[str]
    min: ScoreValue
    label: str


class Rules(_M):
    total_weight: ScoreValue = Decimal("100")
    score_decimals: int = Field(default=2, ge=0, le=2)
    total_decimals: int = Field(default=2, ge=0, le=2)
    lower_formula: Literal["linear", "ratio"] = "linear"
    execution: ExecutionRule = Field(default_factory=ExecutionRule)
    grades: list[GradeBand] = Field(
        default_factory=lambda: [
            GradeBand(name="优", min=Decimal(90)),
            GradeBand(name="良", min=Decimal(80)),
            GradeBand(name="中", min=Decimal(60)),
            GradeBand(name="差", min=Decimal(0)),
        ]
    )
    caps: list[GradeCap | ScoreCap] = Field(default_factory=list)
    qualitative_bands: list[QualitativeBand] = Field(default_factory=_default_bands)
    rescale_not_applicable: bool = False
    over_achievement_ratio: ScoreValue | None = Decimal("1.3")
    deviation_penalty: DeviationPenalty | None = None
    expected_first_level: dict[str, ScoreValue] | None = None
    min_share: MinShare | None = None
    required_fields: list[str] = Field(
        default_factory=lambda: [
            "project.name",
            "project.department",
            "project.implementer",
            "meta.year",
            "meta.filler",
            "meta.phone",
            "meta.fill_date",
        ]
    )
    funding_sources: bool = False  # the form has the 中央/省/市/区/其他 split
    funding_kinds: list[str] = Field(default_factory=list)  # 其中 rows printed

    @model_validator(mode="after")
    def _grades_sorted(self) -> Rules:
        mins = [g.min for g in self.grades]
        if mins != sorted(mins, reverse=True):
            raise ValueError("grades 必须按最低分从高到低排列")
        if not self.grades or self.grades[-1].min != 0:
            raise ValueError("grades 的最后一档最低分必须为 0")
        names = {g.name for g in self.grades}
        for cap in self.caps:
            if isinstance(cap, GradeCap) and cap.max_grade not in names:
                raise ValueError(f"caps 中的等次“{cap.max_grade}”不在 grades 中")
        return self


class FormPartSpec(_M):
    """One form a family prints: a sheet of its ``forms.xlsx`` (named by ``sheet``, else by
    ``title`` or ``key``)."""

    key: str = Field(min_length=1)  # 附件1, 表1, 资金表 … (what ``export --parts`` selects)
    title: str = Field(min_length=1)  # the form's name: the sheet's and the file's name
    sheet: str = ""
    # where it sits in the report: "" an 附件 after the 正文; an outline section id: inside
    # the 正文 after that section's heading
    section: str = ""
    first: bool = False  # an 附件 printed before the 正文 (云南: the 评价表 first)


class FamilyForms(_M):
    """A form family, declared once in the manifest of the built-in template that draws its
    forms (``templates/families.py`` is the registry of these declarations)."""

    name: str = Field(min_length=1)  # 中文名称, as messages name the family
    parts: list[FormPartSpec] = Field(default_factory=list)
    # one more part per first-level indicator (表2 …), drawn by the ``repeat_sheet`` sheet
    repeat_per_indicator: bool = False
    repeat_sheet: str = "一级指标评分表"
    # the 附件 are printed in Word with their columns scaled to the type area, so a one-line
    # 标签 (``产出 (40分)``) must fit a narrower cell (宿州, 四川)
    narrow_labels: bool = False
    funding_total: str = "年度资金总额"  # the name of the funding table's total row
    # what the printed forms hold that the validator checks for: 评价人员, 年度指标值/实际完成值
    prints: list[Literal["评价人员", "年度指标值", "实际完成值"]] = Field(default_factory=list)
    # 导入 Excel: the workbook is of this family when, for one of these groups, every
    # pattern matches a cell's text or a sheet's name (blanks removed): ``X`` contains X,
    # ``^X`` starts with it, ``X$`` ends with it, ``^X$`` is X (no regular expressions)
    recognise: list[list[str]] = Field(default_factory=list)
    recognise_order: int = 0  # the groups of a lower number are tried first

    @model_validator(mode="after")
    def _unique_keys(self) -> FamilyForms:
        keys = [p.key for p in self.parts]
        for key in keys:
            if keys.count(key) > 1:
                raise ValueError(f"表格的键“{key}”重复")
        return self


class Manifest(_M):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    version: str = "1"
    name: str
    description: str = ""
    # the form family (templates/families.py): declared by the ``forms`` of one built-in
    # template, named by every other template of the family
    family: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    forms: FamilyForms | None = None
    report_title: str = "{project}绩效自评报告"
    outline: list[Section] = Field(default_factory=list)
    framework: list[FrameworkNode] = Field(default_factory=list)
    weight_groups: list[WeightGroupSpec] = Field(default_factory=list)
    rules: Rules = Field(default_factory=Rules)

    def all_sections(self) -> list[Section]:
        out: list[Section] = []

        def walk(items: list[Section]) -> None:
            for s in items:
                out.append(s)
                walk(s.children)

        walk(self.outline)
        return out

    @model_validator(mode="after")
    def _unique_sections(self) -> Manifest:
        seen: set[str] = set()
        for s in self.all_sections():
            if s.id in seen:
                raise ValueError(f"章节 id “{s.id}” 重复")
            seen.add(s.id)
        return self
