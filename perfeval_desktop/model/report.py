"""The report a clerk fills in: pydantic models, no Qt and no I/O.

Every amount, weight and score is a ``Decimal``; JSON carries them as strings so a
``.pfe`` file round-trips exactly.  Nothing here is computed: totals, rates and the
grade come from :mod:`perfeval_desktop.scoring`.
"""

from __future__ import annotations

import datetime as _dt
import uuid
from decimal import Decimal
from enum import Enum
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from .limits import AmountValue, NumberValue, RateValue, ScoreValue

SCHEMA_VERSION = 2


def new_id() -> str:
    return uuid.uuid4().hex[:12]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


Amount = AmountValue | None  # every Decimal below is bounded: see model/limits.py


class ProjectType(str, Enum):
    RECURRING = "经常性"
    ONE_OFF = "一次性"


class Meta(_Model):
    year: int | None = Field(default=None, ge=1990, le=2100, title="年度")
    unit: str = Field(default="", title="填报单位")
    region: str = Field(default="", title="地区（区、县名称，印在报告封面和表名上）")
    filler: str = Field(default="", title="填报人")
    contact: str = Field(default="", title="联系人（印在自评表下方，可与填报人不同）")
    phone: str = Field(default="", title="联系电话")
    fill_date: _dt.date | None = Field(default=None, title="填报日期")
    project_type: ProjectType | None = Field(default=None, title="项目类型")
    unit_head: str = Field(default="", title="单位负责人")
    report_title: str = Field(default="", title="报告标题（留空时按模板由项目名称生成）")
    template_id: str = Field(title="模板")
    template_version: str = Field(default="1", title="模板版本")


class ProjectInfo(_Model):
    name: str = Field(default="", title="项目名称")
    department: str = Field(default="", title="主管部门")
    implementer: str = Field(default="", title="实施单位")
    leader: str = Field(default="", title="项目负责人")


class Amounts(_Model):
    """One row of the funding table, in 万元."""

    initial_budget: Amount = Field(default=None, title="年初预算数")
    annual_budget: Amount = Field(default=None, title="全年预算数")
    received: Amount = Field(default=None, title="实际到位数")
    executed: Amount = Field(default=None, title="全年执行数")


AMOUNT_COLUMNS: tuple[str, ...] = ("initial_budget", "annual_budget", "received", "executed")


class FundingKind(str, Enum):
    """Composition rows under 年度资金总额 (其中…)."""

    APPROPRIATION = "当年财政拨款"
    SUPERIOR = "上级追加"
    CARRYOVER = "上年结余结转资金"
    OTHER = "其他资金"


class FundingSource(str, Enum):
    """Split of the total by government level."""

    CENTRAL = "中央财政"
    PROVINCIAL = "省级财政"
    CITY = "市级财政"
    COUNTY = "区(县)级财政"
    OTHER = "其他"


class FundingDetail(_Model):
    """A line of 项目支出明细内容 (云南 layout)."""

    name: str = ""
    amounts: Amounts = Field(default_factory=Amounts)


class FundingTable(_Model):
    """项目资金（万元）.

    ``total`` is 年度资金总额 / 合计 as typed; where a column of it is left empty the
    scoring engine derives it from the details, the composition rows or the sources.
    """

    total: Amounts = Field(default_factory=Amounts)
    by_kind: dict[FundingKind, Amounts] = Field(default_factory=dict)
    by_source: dict[FundingSource, Amounts] = Field(default_factory=dict)
    details: list[FundingDetail] = Field(default_factory=list)
    typed_execution_rate: RateValue | None = Field(default=None, title="执行率（手填）")
    execution_reason: str = Field(default="", title="执行率偏低原因")


class Goals(_Model):
    expected: str = Field(default="", title="预期目标")
    actual: str = Field(default="", title="实际完成情况")


class Nature(str, Enum):
    HIGHER = "≥"
    EQUAL = "="
    LOWER = "≤"


# --- scoring methods of a leaf (spec §4.2) -------------------------------------------


class ManualMethod(_Model):
    kind: Literal["manual"] = "manual"
    score: ScoreValue | None = Field(default=None, title="得分")


class CompareMethod(_Model):
    """≥ / = / ≤ against the target: both figures as numbers."""

    kind: Literal["compare"] = "compare"
    nature: Nature = Field(default=Nature.HIGHER, title="指标性质")
    target: NumberValue | None = Field(default=None, title="年度指标值（数值）")
    actual: NumberValue | None = Field(default=None, title="实际完成值（数值）")


#: a rate's amounts linked to 项目资金: its numerator column (the denominator is 预算数)
RATE_SOURCES = {"received": "到位数", "executed": "执行数"}


class RateMethod(_Model):
    """A rate computed from two amounts, scored as ≥ against ``target_rate``.

    With ``source`` set, the amounts are not the typed ones but 项目资金's: that column's
    total (到位数 or 执行数) ÷ 预算数 (the basis of 预算执行率), read again whenever 项目资金
    changes (scoring/methods.py ``rate_amounts``).  Files without it load as before."""

    kind: Literal["rate"] = "rate"
    numerator: AmountValue | None = Field(default=None, title="分子金额")
    denominator: AmountValue | None = Field(default=None, title="分母金额")
    target_rate: RateValue = Field(default=Decimal("1"), title="目标比率")
    source: Literal["received", "executed"] | None = Field(default=None, title="金额取自项目资金")


class Band(str, Enum):
    ACHIEVED = "达成年度指标"
    PARTIAL = "部分达成年度指标并具有一定效果"
    FAILED = "未达成年度指标且效果较差"


class QualitativeMethod(_Model):
    kind: Literal["qualitative"] = "qualitative"
    band: Band | None = Field(default=None, title="评价档次")
    score: ScoreValue | None = Field(default=None, title="得分")


class NotApplicableMethod(_Model):
    """Listed with its reason (``IndicatorNode.unscored_reason``), counts 0 of 0."""

    kind: Literal["not_applicable"] = "not_applicable"


class BudgetExecutionMethod(_Model):
    """预算执行率 from the funding table: min(rate, 1) × 分值."""

    kind: Literal["budget_execution"] = "budget_execution"


ScoringMethod = Annotated[
    Union[
        ManualMethod,
        CompareMethod,
        RateMethod,
        QualitativeMethod,
        NotApplicableMethod,
        BudgetExecutionMethod,
    ],
    Field(discriminator="kind"),
]

METHOD_LABELS: dict[str, str] = {
    "manual": "手工评分",
    "compare": "比较指标值（≥ / = / ≤）",
    "rate": "由两个金额计算比率",
    "qualitative": "定性分档",
    "not_applicable": "不适用（不计分）",
    "budget_execution": "预算执行率",
}


class IndicatorNode(_Model):
    """一级 / 二级 / 三级 indicator.  A node without children is a leaf (三级)."""

    id: str = Field(default_factory=new_id)
    name: str = Field(default="", title="指标名称")
    weight: ScoreValue | None = Field(default=None, title="分值")
    target_text: str = Field(default="", title="年度指标值")
    actual_text: str = Field(default="", title="实际完成值")
    unit: str = Field(default="", title="度量单位")
    method: ScoringMethod = Field(default_factory=ManualMethod)
    deduction: ScoreValue | None = Field(default=None, title="扣分")
    deviation_reason: str = Field(default="", title="偏差原因分析及改进措施")
    unscored_reason: str = Field(default="", title="不计分原因")
    keep_empty: bool = Field(default=False, title="表中保留的空行")
    children: list[IndicatorNode] = Field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.children


class WeightGroup(_Model):
    """A merged first-level 分值 cell spanning several first-level groups (云南, spec §3.2)."""

    label: str
    members: list[str] = Field(title="一级指标名称")
    weight: ScoreValue | None = Field(default=None, title="合并分值")


class Problem(_Model):
    problem: str = Field(default="", title="问题")
    cause: str = Field(default="", title="原因")
    measure: str = Field(default="", title="整改措施")
    owner: str = Field(default="", title="责任单位")
    deadline: str = Field(default="", title="完成时限")


class Evaluator(_Model):
    name: str = Field(default="", title="姓名")
    title: str = Field(default="", title="职务/职称")
    unit: str = Field(default="", title="单位")


class LastYearHints(_Model):
    """What last year's report said, kept beside this year's fields (复制上年), never copied
    into them: the editor shows each hint next to its field."""

    year: int | None = Field(default=None, title="上年年度")
    source: str = Field(default="", title="上年报告文件")
    actuals: dict[str, str] = Field(default_factory=dict, title="上年实际完成值（键为指标 id）")
    sections: dict[str, str] = Field(default_factory=dict, title="上年报告正文（键为章节 id）")
    goals_actual: str = Field(default="", title="上年实际完成情况")
    notes: list[str] = Field(default_factory=list, title="表样变化说明")


class Report(_Model):
    schema_version: int = SCHEMA_VERSION
    meta: Meta
    project: ProjectInfo = Field(default_factory=ProjectInfo)
    funding: FundingTable = Field(default_factory=FundingTable)
    goals: Goals = Field(default_factory=Goals)
    indicators: list[IndicatorNode] = Field(default_factory=list)
    weight_groups: list[WeightGroup] = Field(default_factory=list)
    sections: dict[str, str] = Field(default_factory=dict)
    problems: list[Problem] = Field(default_factory=list)
    suggestions: str = Field(default="", title="问题和建议")
    evaluators: list[Evaluator] = Field(default_factory=list)
    declared_grade: str | None = Field(default=None, title="填写的评价等次")
    explanations: dict[str, str] = Field(
        default_factory=dict, title="核实性问题的说明（键为 代码@路径）"
    )
    last_year: LastYearHints | None = Field(default=None, title="上年报告的参考内容")
    # (path, label) of each field whose control characters were removed when the file was
    # read (storage/pfe.py); never saved: the validator names each (C005) until a save
    _cleaned_on_load: list[tuple[str, str]] = PrivateAttr(default_factory=list)

    @property
    def cleaned_on_load(self) -> list[tuple[str, str]]:
        """The fields the file held control characters in, as (field path, label)."""
        return self._cleaned_on_load

    def __eq__(self, other: object) -> bool:
        """Equal content (what was cleaned on load is the file's history, not content)."""
        if not isinstance(other, Report):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__


def iter_nodes(
    nodes: list[IndicatorNode], path: str = "indicators"
) -> list[tuple[str, int, IndicatorNode]]:
    """All nodes depth-first as (field path, level 1..3, node)."""
    out: list[tuple[str, int, IndicatorNode]] = []

    def walk(items: list[IndicatorNode], prefix: str, level: int) -> None:
        for i, node in enumerate(items):
            p = f"{prefix}[{i}]"
            out.append((p, level, node))
            walk(node.children, f"{p}.children", level + 1)

    walk(nodes, path, 1)
    return out


def repair_duplicate_ids(report: Report) -> str | None:
    """Give the later copies of a repeated indicator id new ids (scores are keyed by id).

    Returns one message for the clerk naming the indicators changed, or None when every id
    was unique.  The first node with an id keeps it, so explanations and the tree stay put.
    """
    every = list(report.indicators)
    for node in every:  # breadth-first, the list growing as it goes: the fast common case
        every.extend(node.children)
    ids = {node.id for node in every}
    if len(ids) == len(every) and "" not in ids:
        return None
    seen: set[str] = set()
    changed: list[IndicatorNode] = []
    stack = list(reversed(report.indicators))
    while stack:  # depth-first, in the order of the form; no paths built on the way
        node = stack.pop()
        if node.id in seen or not node.id:
            changed.append(node)
        else:
            seen.add(node.id)
        stack.extend(reversed(node.children))
    if not changed:
        return None
    for node in changed:
        node.id = new_id()
    paths = {id(n): p for p, _level, n in iter_nodes(report.indicators)}
    named = [f"“{n.name or '（未命名）'}”（{paths[id(n)]}）" for n in changed]
    shown = "、".join(named[:5]) + (f" 等 {len(named)} 个" if len(named) > 5 else "")
    return (
        f"报告文件中有指标编号重复，已为 {shown} 指标改用新编号，得分按新编号计算。"
        "保存后不再提示。"
    )
