"""Hypothesis strategies for the report model, shared by every test package.

Import as ``from strategies import reports``: ``tests/`` is on ``sys.path`` because pytest
inserts it for ``tests/conftest.py`` (rootdir-style imports); a test folder that must work even
without the conftest adds an empty ``__init__.py`` (as ``tests/storage/`` does), which makes
pytest insert ``tests/`` for it too.

Everything generated is a *valid* model object:

- ``texts()``: short strings mixing Chinese, ASCII, full-width punctuation, ``≥ ≤ ％``,
  newlines and tabs.  By default they are XML-safe (no control characters other than
  ``\\n``/``\\t``) so that docx/xlsx exporters can reuse them; pass ``xml_safe=False`` for
  storage tests that want any Unicode scalar value.
- ``money()``: ``Decimal`` with exactly 2 places (万元); ``weights()`` 0–100, 2 places.
- ``methods()``: every scoring-method kind of ``model.report.ScoringMethod``.
- ``indicator_trees()``: lists of ``IndicatorNode`` of depth ≤ 3 with at most ``max_nodes``
  nodes; leaves get a random method, groups keep the default manual method; ids are unique.
- ``reports()``: a whole ``Report``.  Every builder takes ``text=`` so a test can swap the
  text strategy everywhere (e.g. ``reports(text=texts(xml_safe=False))``).

Keep examples small (≤ 20 indicator nodes by default): round trips and exports must stay fast.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from perfeval_desktop.model.report import (
    Amounts,
    Band,
    BudgetExecutionMethod,
    CompareMethod,
    Evaluator,
    FundingDetail,
    FundingKind,
    FundingSource,
    FundingTable,
    Goals,
    IndicatorNode,
    ManualMethod,
    Meta,
    Nature,
    NotApplicableMethod,
    Problem,
    ProjectInfo,
    ProjectType,
    QualitativeMethod,
    RateMethod,
    Report,
    WeightGroup,
)

Text = st.SearchStrategy[str]

CHINESE_WORDS = (
    "项目", "资金", "绩效", "目标", "完成", "产出", "效益", "满意度", "数量", "质量", "时效",
    "成本", "社会", "经济", "生态", "可持续", "预算", "执行", "万元", "个", "％", "≥", "≤",
    "（", "）", "，", "。", "、", "：", "；", "“", "”", "县财政局", "教育", "卫生健康",
)  # fmt: skip
TEMPLATE_IDS = ("mof_self_eval_gd", "yunnan_dept_eval", "test_template")
GRADES = ("优", "良", "中", "差")


def texts(*, max_size: int = 12, xml_safe: bool = True) -> Text:
    """Short text mixing Chinese words and arbitrary characters (see module docstring)."""
    if xml_safe:
        chars = st.characters(
            codec="utf-8",
            exclude_categories=("Cc", "Cs", "Co", "Cn"),
            include_characters="\n\t",
        )
    else:
        chars = st.characters(codec="utf-8")
    pieces = st.one_of(st.sampled_from(CHINESE_WORDS), chars.map(str))
    return st.lists(pieces, max_size=max_size).map("".join)


def _decimals(low: str, high: str, places: int = 2) -> st.SearchStrategy[Decimal]:
    return st.decimals(
        min_value=Decimal(low),
        max_value=Decimal(high),
        places=places,
        allow_nan=False,
        allow_infinity=False,
    )


def money() -> st.SearchStrategy[Decimal]:
    """An amount in 万元: 2 places, 0 – 9 999 999.99."""
    return _decimals("0", "9999999.99")


def weights() -> st.SearchStrategy[Decimal]:
    """A weight or a score: 2 places, 0 – 100."""
    return _decimals("0", "100")


def rates() -> st.SearchStrategy[Decimal]:
    """A rate as a fraction (1 = 100 %), 2 places, 0 – 2."""
    return _decimals("0", "2")


def _maybe(strategy: st.SearchStrategy[Decimal]) -> st.SearchStrategy[Decimal | None]:
    return st.none() | strategy


def amounts() -> st.SearchStrategy[Amounts]:
    m = _maybe(money())
    return st.builds(Amounts, initial_budget=m, annual_budget=m, received=m, executed=m)


def funding_tables(text: Text | None = None) -> st.SearchStrategy[FundingTable]:
    text = texts() if text is None else text
    return st.builds(
        FundingTable,
        total=amounts(),
        by_kind=st.dictionaries(st.sampled_from(FundingKind), amounts(), max_size=2),
        by_source=st.dictionaries(st.sampled_from(FundingSource), amounts(), max_size=2),
        details=st.lists(st.builds(FundingDetail, name=text, amounts=amounts()), max_size=2),
        typed_execution_rate=_maybe(rates()),
        execution_reason=text,
    )


def metas(text: Text | None = None) -> st.SearchStrategy[Meta]:
    text = texts() if text is None else text
    return st.builds(
        Meta,
        year=st.none() | st.integers(1990, 2100),
        unit=text,
        filler=text,
        phone=text,
        fill_date=st.none() | st.dates(),
        project_type=st.none() | st.sampled_from(ProjectType),
        unit_head=text,
        template_id=st.sampled_from(TEMPLATE_IDS),
        template_version=st.sampled_from(("1", "2", "2024.1")),
    )


def project_infos(text: Text | None = None) -> st.SearchStrategy[ProjectInfo]:
    text = texts() if text is None else text
    return st.builds(ProjectInfo, name=text, department=text, implementer=text, leader=text)


def methods() -> st.SearchStrategy[
    ManualMethod
    | CompareMethod
    | RateMethod
    | QualitativeMethod
    | NotApplicableMethod
    | BudgetExecutionMethod
]:
    """One of every scoring-method kind, with empty and filled figures."""
    return st.one_of(
        st.builds(ManualMethod, score=_maybe(weights())),
        st.builds(
            CompareMethod,
            nature=st.sampled_from(Nature),
            target=_maybe(money()),
            actual=_maybe(money()),
        ),
        st.builds(
            RateMethod,
            numerator=_maybe(money()),
            denominator=_maybe(money()),
            target_rate=rates(),
            source=st.sampled_from([None, "received", "executed"]),
        ),
        st.builds(
            QualitativeMethod, band=st.none() | st.sampled_from(Band), score=_maybe(weights())
        ),
        st.just(NotApplicableMethod()),
        st.just(BudgetExecutionMethod()),
    )


@st.composite
def indicator_trees(
    draw: st.DrawFn,
    *,
    max_nodes: int = 20,
    max_depth: int = 3,
    max_children: int = 4,
    text: Text | None = None,
) -> list[IndicatorNode]:
    """A list of first-level indicators (depth ≤ ``max_depth``, ≤ ``max_nodes`` in all)."""
    text = texts(max_size=6) if text is None else text
    budget = draw(st.integers(0, max_nodes))
    salt = draw(st.integers(0, 0xFFFFFFFF))
    counter = 0

    def build(level: int) -> list[IndicatorNode]:
        nonlocal budget, counter
        count = draw(st.integers(0, min(max_children, budget)))
        budget -= count
        nodes = []
        for _ in range(count):
            counter += 1
            node_id = f"{salt:08x}{counter:04x}"
            children = build(level + 1) if level < max_depth else []
            method = draw(methods()) if not children else ManualMethod()
            nodes.append(
                IndicatorNode(
                    id=node_id,
                    name=draw(text),
                    weight=draw(_maybe(weights())),
                    target_text=draw(text),
                    actual_text=draw(text),
                    unit=draw(st.sampled_from(("", "个", "％", "万元", "人次"))),
                    method=method,
                    deduction=draw(_maybe(weights())),
                    deviation_reason=draw(text),
                    unscored_reason=draw(text),
                    keep_empty=draw(st.booleans()),
                    children=children,
                )
            )
        return nodes

    return build(1)


def problems(text: Text | None = None) -> st.SearchStrategy[Problem]:
    text = texts() if text is None else text
    return st.builds(Problem, problem=text, cause=text, measure=text, owner=text, deadline=text)


def evaluators(text: Text | None = None) -> st.SearchStrategy[Evaluator]:
    text = texts() if text is None else text
    return st.builds(Evaluator, name=text, title=text, unit=text)


def weight_groups(text: Text | None = None) -> st.SearchStrategy[WeightGroup]:
    text = texts() if text is None else text
    return st.builds(
        WeightGroup, label=text, members=st.lists(text, max_size=3), weight=_maybe(weights())
    )


SECTION_KEYS = ("overview", "basic_info", "goals", "analysis", "problems", "suggestions")
FINDING_CODES = ("F001", "F002", "W010", "E100")


def reports(*, text: Text | None = None, max_nodes: int = 20) -> st.SearchStrategy[Report]:
    """A valid ``Report`` with every part filled at random (see module docstring)."""
    text = texts() if text is None else text
    explanation_keys = st.builds(
        lambda code, path: f"{code}@{path}",
        st.sampled_from(FINDING_CODES),
        st.sampled_from(("funding.total", "indicators[0]", "indicators[0].children[1]")),
    )
    return st.builds(
        Report,
        meta=metas(text),
        project=project_infos(text),
        funding=funding_tables(text),
        goals=st.builds(Goals, expected=text, actual=text),
        indicators=indicator_trees(max_nodes=max_nodes, text=text),
        weight_groups=st.lists(weight_groups(text), max_size=2),
        sections=st.dictionaries(st.sampled_from(SECTION_KEYS) | text, text, max_size=3),
        problems=st.lists(problems(text), max_size=2),
        suggestions=text,
        evaluators=st.lists(evaluators(text), max_size=2),
        declared_grade=st.none() | st.sampled_from(GRADES),
        explanations=st.dictionaries(explanation_keys, text, max_size=2),
    )
