"""The checks a finance bureau makes on a report (spec §5): pure, no Qt, no I/O.

``validate(report, manifest)`` returns every :class:`Finding`, sorted by level
(强制性 first) and then in the order of the form.  It runs on every keystroke, so it
walks the indicator tree a fixed number of times and every regex is compiled once.

Each check is a rule (:mod:`.rule`): a small function with its code, level and meaning,
in the module of its area (:mod:`.header`, :mod:`.weights`, :mod:`.indicators`,
:mod:`.deviations`, :mod:`.money`, :mod:`.narrative`, :mod:`.content`), and all of them
are listed once, in :data:`RULES`, in the order of the form.  The table below is that
list (tests/scoring/test_validator_rules.py keeps the two alike).

A 核实性 (``verify``) finding is dropped — it is *settled* — when the clerk has written
a reason of at least ``MIN_REASON_CHARS`` non-space characters, either in
``report.explanations[finding.key]`` (key ``代码@路径``) or in the finding's natural
reason field: the path of D001/D002 ends in ``.deviation_reason`` and that of M005 in
``funding.execution_reason``; such a path is resolved on the report and its text counts.
A 预算执行率 leaf scored below its 分值 (D001) is also settled by
``funding.execution_reason``.  Errors and hints are never settled.

A branch counts with its declared 分值 where one is typed, else with the sum of its
children, so a wrong sum is reported once, at the level where it is (W001), and
W002–W005 compare those values.  There is at most one finding per (code, path), so
``Finding.key`` is unique in a result; several wrong figures quoted in one section
make one T00x finding that lists them all.

Field paths use the syntax of :func:`~perfeval_desktop.model.report.iter_nodes`:
``indicators[0].children[2].weight``, ``funding.total.executed``, ``project.name``,
``sections.results_score``, ``weight_groups[1].weight``; dictionary rows appear under
their JSON key: ``funding.by_kind.当年财政拨款.annual_budget``,
``funding.by_source.中央财政.executed``.  A check about the tree as a whole points at
``indicators``.

======  ======  ==================================================================
code    level   meaning
======  ======  ==================================================================
W001    error   a branch's 分值 differs from the sum of its children's 分值
W002    error   total 分值 (预算执行率 block + indicator tree) ≠ rules.total_weight
W003    error   a merged first-level 分值 cell (weight_groups) ≠ sum of its groups
W004    error   rules.min_share (e.g. 产出 + 效益) below its minimum
W004    verify  a rules.min_share member names no first-level indicator: the share
                cannot be checked
W005    verify  first-level 分值 other than rules.expected_first_level (also missing
                or unexpected first-level indicators)
W006    error   a negative 分值
S001    error   a typed score (手工 / 定性) above the leaf's 分值
S002    error   a typed score below 0
S003    error   an indicator marked 不适用 without a reason (≥ MIN_REASON_CHARS 字)
S004    error   a 定性 score outside the range of the chosen band
S005    error   an applicable leaf with no score yet / an input of its method missing
S006    error   a third-level indicator without 分值 that is not 不适用
M001    error   a column's 年度资金总额 ≠ sum of its 其中 rows (by_kind)
M002    error   a column's 合计 ≠ sum of the 中央/省/市/区/其他 split (by_source)
M003    error   a column's 合计 ≠ sum of the 项目支出明细 lines (details)
M004    verify  执行数 > 预算数 (the execution basis) or > 实际到位数
M005    verify  预算执行率 below rules.execution.reason_below, no 执行率偏低原因
M006    error   执行率 typed by hand differs from 执行数 ÷ 预算数
M007    error   a negative amount
M008    error   the form has a 预算执行率 block but the rate cannot be computed
D001    verify  score below 分值, or actual ≠ target, with no 偏差原因分析
D002    verify  over-achievement ≥ rules.over_achievement_ratio with no 偏差原因分析
D003    hint    a deviation penalty (rules.deviation_penalty) was deducted
T001    error   the narrative quotes a total score that differs from the table
T002    error   the narrative quotes a grade that differs from the table
T003    verify  the narrative quotes an 执行率 that differs from the computed one
T004    hint    a {{ 名称 }} placeholder in the narrative that no live value answers
R001    error   a required field (rules.required_fields) is empty
R002    error   联系电话 is not 7–12 digits
R003    error   a first/second-level indicator without children (unless it is an
                empty row kept on the printed form: keep_empty and no 分值)
R004    error   an indicator without a name
L001    hint    a narrative section longer than its 字数上限
G001    error   the grade typed on the form differs from the computed grade
C001    error   绩效目标 (预期目标 / 实际完成情况) empty: the form prints an empty box
C002    verify  a narrative section (a leaf of the outline) empty: only its heading prints
C003    verify  the form prints 评价人员 and none is filled in
C004    verify  a scored leaf's 年度指标值 / 实际完成值 empty: the printed column is blank
C005    hint    the file held control characters in this field: removed when it was read
                (``Report.cleaned_on_load``), named until the report is saved
======  ======  ==================================================================
"""

from __future__ import annotations

from ...model.report import Report
from ...templates.manifest import Manifest
from ..engine import ScoreSheet, compute
from ..findings import Finding
from . import content, deviations, header, indicators, money, narrative, weights
from .common import LEVEL_ORDER, settled, value_at
from .context import Context
from .rule import Rule, passes, run

__all__ = ["LEVEL_ORDER", "NEEDS_TEMPLATE", "RULES", "settled", "validate", "value_at"]

#: findings only the report's own template can give (its total and grade, fixed weights,
#: the 60% rule, placeholders): left out where a report whose template is missing is
#: shown with a stand-in (``templates.loader.stand_in``), which would make them up
NEEDS_TEMPLATE = frozenset({"W002", "W003", "W004", "W005", "T001", "T002", "G001", "T004"})

#: Every rule, in the order of the form; consecutive rules over the same items (an
#: indicator, a text, a column of amounts) run in one walk, item by item.
RULES: tuple[Rule, ...] = (
    header.required_fields,
    header.phone_number,
    header.declared_grade,
    weights.negative_weight,
    weights.branch_sum,
    weights.total_weight,
    weights.merged_weight,
    weights.min_share_unknown,
    weights.min_share,
    weights.expected_first_level,
    indicators.unnamed,
    indicators.childless_branch,
    indicators.unscored_without_reason,
    indicators.leaf_without_weight,
    indicators.score_above_weight,
    indicators.negative_score,
    indicators.score_outside_band,
    indicators.not_scored_yet,
    deviations.over_achieved,
    deviations.deviation_unexplained,
    deviations.deviation_penalty,
    money.negative_amount,
    money.by_kind_sum,
    money.by_source_sum,
    money.details_sum,
    money.executed_above,
    money.rate_not_computed,
    money.low_rate_unexplained,
    money.typed_rate_differs,
    narrative.too_long,
    narrative.unknown_placeholder,
    narrative.quoted_total,
    narrative.quoted_grade,
    narrative.quoted_rate,
    content.goals_empty,
    content.section_empty,
    content.no_evaluators,
    content.printed_cell_empty,
    content.control_characters_removed,
)
_PASSES = passes(RULES)


def validate(
    report: Report, manifest: Manifest, sheet: ScoreSheet | None = None, *, stand_in: bool = False
) -> list[Finding]:
    """Every check of spec §5 on ``report``; settled 核实性 findings are left out, and with
    ``stand_in`` (the manifest stands in for a missing template) those of NEEDS_TEMPLATE.

    Sorted by ``LEVEL_ORDER`` and, within a level, in the order of the form
    (header, weights, indicators, deviations, money, narrative, content).
    """
    if sheet is None:
        sheet = compute(report, manifest.rules)
    found = [
        f for f in run(Context(report, manifest, sheet), _PASSES)
        if not settled(report, f) and not (stand_in and f.code in NEEDS_TEMPLATE)
    ]
    found.sort(key=lambda f: LEVEL_ORDER[f.level])
    return found
