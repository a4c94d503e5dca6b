"""The workspace without Qt: operations, undo/redo, dirty tracking and what-changed sets."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from perfeval_desktop.errors import InputError
from perfeval_desktop.model.report import (
    FundingKind,
    FundingSource,
    IndicatorNode,
    Problem,
    QualitativeMethod,
    iter_nodes,
)
from perfeval_desktop.storage import pfe
from perfeval_desktop.templates.loader import discover
from perfeval_desktop.workspace import (
    Change,
    InsertRow,
    RemoveRow,
    StructureEdit,
    Workspace,
    node_for_path,
)

ROOT = Path(__file__).resolve().parent.parent
GD = ROOT / "resources" / "samples" / "gd_yuancheng_medical_aid_2021.pfe"
YN = ROOT / "resources" / "samples" / "yn_wuhua_payables_2024.pfe"


@pytest.fixture
def ws() -> Workspace:
    return Workspace.open(GD)


def leaf1(ws: Workspace) -> IndicatorNode:
    return ws.report.indicators[0].children[0].children[0]


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    def structure_about_to_change(self, edit: StructureEdit) -> None:
        self.calls.append(("before", edit))

    def structure_changed(self, edit: StructureEdit) -> None:
        self.calls.append(("after", edit))

    def changed(self, change: Change) -> None:
        self.calls.append(("changed", change))


def test_open_sample_scores_and_is_clean(ws: Workspace) -> None:
    assert ws.sheet.total == Decimal("94")
    assert ws.sheet.grade == "良"
    assert not ws.dirty and not ws.can_undo
    assert ws.display_name == GD.name


def test_field_edit_reports_path_and_summary_and_undoes(ws: Workspace) -> None:
    change = ws.set_field("funding.total.executed", Decimal("1100"))
    assert change.paths == {"funding.total.executed"}
    assert change.summary and change.dirty_changed
    assert change.touches("funding") and not change.touches("project")
    assert ws.sheet.total == Decimal("98") and ws.sheet.grade == "优"
    assert ws.dirty
    undo = ws.undo()
    assert undo is not None and undo.paths == {"funding.total.executed"}
    assert ws.report.funding.total.executed == Decimal("701.23")
    assert ws.sheet.grade == "良" and not ws.dirty
    ws.redo()
    assert ws.report.funding.total.executed == Decimal("1100") and ws.dirty


def test_leaf_score_change_names_node_and_ancestors_scores(ws: Workspace) -> None:
    node = leaf1(ws)
    change = ws.set_node_field(node.id, "method.score", Decimal("8"))
    assert change.nodes == {node.id}
    parents = {ws.report.indicators[0].id, ws.report.indicators[0].children[0].id}
    assert change.scores == {node.id, *parents}
    assert ws.sheet.total == Decimal("96")
    assert not change.paths


def test_unchanged_score_reports_no_scores(ws: Workspace) -> None:
    change = ws.set_node_field(leaf1(ws).id, "target_text", "90%")
    assert change.nodes and not change.scores and not change.summary


def test_typing_merges_into_one_undo_step_until_sealed(ws: Workspace) -> None:
    for text in ("新", "新项", "新项目"):
        ws.set_field("project.name", text, merge=True)
    ws.seal()
    ws.set_field("project.name", "新项目名", merge=True)
    ws.undo()
    assert ws.report.project.name == "新项目"
    ws.undo()
    assert ws.report.project.name == "医疗救助补助资金"
    assert not ws.dirty and not ws.can_undo
    assert ws.can_redo and ws.redo_label.startswith("修改“项目名称”")


def test_dirty_tracks_saved_state(ws: Workspace, tmp_path: Path) -> None:
    ws.set_field("meta.filler", "张三")
    target = tmp_path / "a.pfe"
    ws.save(target)
    assert not ws.dirty and ws.path == target
    ws.set_field("meta.filler", "李四")
    assert ws.dirty
    ws.undo()
    assert not ws.dirty  # back at the saved state
    ws.undo()
    assert ws.dirty  # before the saved state
    ws.redo()
    assert not ws.dirty
    ws.undo()
    ws.set_field("meta.phone", "12345678")  # a new branch: the saved state is gone
    assert ws.dirty
    assert pfe.load(target).meta.filler == "张三"


def test_typing_after_save_does_not_merge_into_saved_step(ws: Workspace, tmp_path: Path) -> None:
    ws.set_field("project.leader", "王", merge=True)
    ws.save(tmp_path / "b.pfe")
    ws.set_field("project.leader", "王五", merge=True)
    assert ws.dirty
    ws.undo()
    assert ws.report.project.leader == "王" and not ws.dirty


def test_refused_value_keeps_old_and_records_nothing(ws: Workspace) -> None:
    with pytest.raises(InputError, match="年度"):
        ws.set_field("meta.year", 3000)
    assert ws.report.meta.year == 2021
    assert not ws.can_undo and not ws.dirty


def test_missing_funding_row_is_created_and_removed_on_undo(ws: Workspace) -> None:
    assert FundingSource.CENTRAL not in ws.report.funding.by_source
    ws.set_field("funding.by_source.中央财政.executed", Decimal("5"))
    assert ws.report.funding.by_source[FundingSource.CENTRAL].executed == Decimal("5")
    ws.undo()
    assert FundingSource.CENTRAL not in ws.report.funding.by_source
    ws.set_field("funding.by_kind.其他资金.annual_budget", Decimal("1"))
    assert ws.report.funding.by_kind[FundingKind.OTHER].annual_budget == Decimal("1")


def test_sections_and_explanations(ws: Workspace) -> None:
    ws.set_field("sections.advice", "无。")
    assert ws.report.sections["advice"] == "无。"
    verify = [f for f in ws.findings if f.code == "D001"]
    assert verify
    change = ws.set_explanation(verify[0].key, "系统上线影响支出进度")
    assert change.explanations and change.findings
    assert all(f.key != verify[0].key for f in ws.findings)
    ws.undo()
    assert any(f.key == verify[0].key for f in ws.findings)


def test_method_change_and_undo_restores_inputs(ws: Workspace) -> None:
    node = leaf1(ws)
    old = node.method
    ws.set_method(node.id, "compare")
    assert node.method.kind == "compare"
    assert ws.sheet.nodes[node.id].scored is False
    ws.set_method(node.id, "manual")
    assert node.method.kind == "manual" and node.method.score is None
    ws.undo()
    ws.undo()
    assert node.method is old and isinstance(node.method, QualitativeMethod)
    assert ws.sheet.total == Decimal("94")


def test_table_rows_insert_remove_with_structure_edits(ws: Workspace) -> None:
    rec = Recorder()
    ws.add_listener(rec)
    before = list(ws.report.problems)
    ws.execute(InsertRow("problems", 0, Problem(problem="系统未完善")))
    assert ws.report.problems[0].problem == "系统未完善"
    assert [c[0] for c in rec.calls] == ["before", "after", "changed"]
    assert rec.calls[0][1] == StructureEdit("problems", "insert", None, 0)
    change = rec.calls[2][1]
    assert isinstance(change, Change) and change.restructured("problems")
    ws.set_field("problems[0].cause", "新平台")
    ws.execute(RemoveRow("problems", 0))
    assert ws.report.problems == before
    ws.undo()
    assert ws.report.problems[0].cause == "新平台"
    ws.undo()
    ws.undo()
    assert ws.report.problems == before and not ws.dirty


def _names(ws: Workspace) -> list[tuple[int, str]]:
    return [(level, n.name) for _p, level, n in iter_nodes(ws.report.indicators)]


def test_tree_insert_delete_move_indent_outdent_round_trip(ws: Workspace) -> None:
    before = _names(ws)
    total = ws.sheet.total
    rec = Recorder()
    ws.add_listener(rec)
    quantity = ws.report.indicators[0].children[0]
    first = quantity.children[0]

    ws.add_sibling(first.id, "新指标A")
    assert quantity.children[1].name == "新指标A"
    assert rec.calls[0][1] == StructureEdit("indicators", "insert", quantity.id, 1)
    new_id = quantity.children[1].id
    ws.set_node_field(new_id, "weight", Decimal("2"))
    ws.move_up(new_id)
    assert quantity.children[0].id == new_id
    ws.move_down(new_id)
    assert quantity.children[1].id == new_id
    moves = [c[1] for c in rec.calls if c[0] == "before"]
    assert moves[-1] == StructureEdit("indicators", "move", quantity.id, 0, quantity.id, 2)
    assert ws.indent(new_id) is None  # 三级 is the deepest level
    ws.outdent(new_id)
    assert ws.report.indicators[0].children[1].id == new_id
    ws.indent(new_id)
    assert quantity.children[-1].id == new_id
    ws.add_child(new_id)  # too deep: refused
    assert quantity.children[-1].children == []
    ws.remove_node(quantity.id)
    assert ws.report.indicators[0].children[0].name == "质量指标"
    assert ws.sheet.total < total

    while ws.can_undo:
        ws.undo()
    assert _names(ws) == before and ws.sheet.total == total and not ws.dirty
    while ws.can_redo:
        ws.redo()
    assert ws.report.indicators[0].children[0].name == "质量指标"
    # every announced edit was followed by its completion, in order
    kinds = [c[0] for c in rec.calls if c[0] != "changed"]
    assert kinds == ["before", "after"] * (len(kinds) // 2)


def test_can_move_flags(ws: Workspace) -> None:
    first = ws.report.indicators[0]
    flags = ws.can_move(first.id)
    assert flags == {"up": False, "down": True, "indent": False, "outdent": False, "child": True}
    assert ws.can_move(first.children[0].children[0].id)["child"] is False


def test_node_for_path() -> None:
    ws = Workspace.open(GD)
    node, rest = node_for_path(ws.report, "indicators[0].children[0].children[2].weight")
    assert node is ws.report.indicators[0].children[0].children[2] and rest == "weight"
    node, rest = node_for_path(ws.report, "indicators[1].children")
    assert node is ws.report.indicators[1] and rest == "children"
    assert node_for_path(ws.report, "indicators") == (None, "indicators")
    assert node_for_path(ws.report, "project.name") == (None, "project.name")


@pytest.mark.parametrize("template_id", sorted(discover()))
def test_new_from_every_template_is_clean_and_editable(template_id: str) -> None:
    ws = Workspace.new(discover()[template_id])
    assert not ws.dirty and ws.path is None and ws.display_name == "未命名.pfe"
    first_leaf = next(n for _p, _l, n in iter_nodes(ws.report.indicators) if n.is_leaf)
    ws.set_node_field(first_leaf.id, "weight", Decimal("5"))
    assert ws.sheet.nodes[first_leaf.id].weight == Decimal("5") and ws.dirty


def test_yunnan_details_rows(tmp_path: Path) -> None:
    ws = Workspace.open(YN)
    n = len(ws.report.funding.details)
    from perfeval_desktop.model.report import FundingDetail

    ws.execute(InsertRow("funding.details", n, FundingDetail(name="明细2")))
    ws.set_field(f"funding.details[{n}].amounts.executed", Decimal("1"))
    assert any(f.code == "M003" for f in ws.findings) or ws.sheet.funding.total["executed"]
    ws.save(tmp_path / "y.pfe")
    assert pfe.load(tmp_path / "y.pfe") == ws.report


def test_300_indicator_edit_is_fast(ws: Workspace) -> None:
    import time

    quantity = ws.report.indicators[0].children[0]
    for i in range(300):
        quantity.children.append(IndicatorNode(name=f"x{i}", weight=Decimal("0.1")))
    ws = Workspace(ws.report, ws.template)
    node = quantity.children[0]
    start = time.perf_counter()
    for k in range(20):
        ws.set_node_field(node.id, "method.score", Decimal(k % 8), merge=True)
    per_edit = (time.perf_counter() - start) / 20
    assert per_edit < 0.05  # generous for slow CI; typically a few ms


def test_merged_weight_cell_and_declared_grade_are_undoable_fields(tmp_path: Path) -> None:
    """云南's merged 分值 cell (weight_groups[i].weight) and the declared 评价等次 are set
    like any report field: one undo step each, named in Chinese, checked by W003 / G001."""
    ws = Workspace.open(YN)
    assert ws.report.weight_groups[0].weight == Decimal(40)
    assert not any(f.code in ("W003", "G001") for f in ws.findings)

    change = ws.set_field("weight_groups[0].weight", Decimal(45))
    assert change.paths == frozenset({"weight_groups[0].weight"})
    assert ws.undo_label == "修改“决策+过程的分值”"
    (w003,) = [f for f in ws.findings if f.code == "W003"]
    assert w003.path == "weight_groups[0].weight" and "≠ 45" in w003.message

    ws.set_field("declared_grade", "良")
    assert ws.undo_label == "修改“填写的评价等次”"
    (g001,) = [f for f in ws.findings if f.code == "G001"]
    assert "“良”" in g001.message and "“优”" in g001.message

    ws.undo()
    assert ws.report.declared_grade == "优"
    assert not any(f.code == "G001" for f in ws.findings)
    ws.undo()
    assert ws.report.weight_groups[0].weight == Decimal(40) and not ws.dirty
    ws.redo()
    ws.redo()
    assert (ws.report.weight_groups[0].weight, ws.report.declared_grade) == (Decimal(45), "良")
    ws.save(tmp_path / "yn.pfe")
    assert pfe.load(tmp_path / "yn.pfe") == ws.report


def test_batch_is_one_undo_step_announcing_every_row_edit(ws: Workspace) -> None:
    from perfeval_desktop.model.report import Problem
    from perfeval_desktop.workspace import Batch, SetField

    before = ws.report.model_copy(deep=True)
    rec = Recorder()
    ws.add_listener(rec)
    n = len(ws.report.problems)
    ops = [
        InsertRow("problems", n, Problem(problem="甲")),
        InsertRow("problems", n + 1, Problem(problem="乙")),
        SetField(f"problems[{n}].cause", "原因甲"),
    ]
    change = ws.execute(Batch(ops, "粘贴2行"))
    assert [p.problem for p in ws.report.problems[n:]] == ["甲", "乙"]
    assert ws.report.problems[n].cause == "原因甲"
    assert [e.row for e in change.edits] == [n, n + 1]
    assert f"problems[{n}].cause" in change.paths
    assert [c for c, _ in rec.calls].count("before") == 2
    assert ws.undo_label == "粘贴2行"
    undo = ws.undo()
    assert undo is not None and [e.kind for e in undo.edits] == ["remove", "remove"]
    assert ws.report == before and not ws.can_undo


def test_batch_failing_part_undoes_the_parts_before_it(ws: Workspace) -> None:
    from perfeval_desktop.model.report import Problem
    from perfeval_desktop.workspace import Batch, SetField

    before = ws.report.model_copy(deep=True)
    ops = [
        InsertRow("problems", 0, Problem(problem="甲")),
        SetField("meta.year", 3000),  # refused by the model
    ]
    with pytest.raises(InputError, match="年度"):
        ws.execute(Batch(ops, "粘贴1行"))
    assert ws.report == before and not ws.can_undo


def test_insert_nodes_is_one_row_edit_of_many_rows(ws: Workspace) -> None:
    from perfeval_desktop.workspace import InsertNodes

    quantity = ws.report.indicators[0].children[0]
    before = ws.report.model_copy(deep=True)
    rec = Recorder()
    ws.add_listener(rec)
    nodes = [IndicatorNode(name=f"新{i}") for i in range(3)]
    change = ws.execute(InsertNodes(quantity.id, 1, nodes))
    assert [c.name for c in quantity.children[1:4]] == ["新0", "新1", "新2"]
    assert change.edits == (StructureEdit("indicators", "insert", quantity.id, 1, count=3),)
    assert [c for c, _ in rec.calls].count("before") == 1
    undo = ws.undo()
    assert undo is not None and undo.edits[0].kind == "remove" and undo.edits[0].last == 3
    assert ws.report == before


@pytest.mark.parametrize(
    ("kind", "attr", "value"),
    [
        ("manual", "method.score", Decimal("3")),
        ("qualitative", "method.band", "达成年度指标"),
        ("compare", "method.nature", "≤"),
        ("compare", "method.target", Decimal("3")),
        ("compare", "method.actual", Decimal("3")),
        ("rate", "method.numerator", Decimal("3")),
        ("rate", "method.denominator", Decimal("3")),
        ("rate", "method.target_rate", Decimal("0.9")),
        ("manual", "weight", Decimal("3")),
        ("manual", "deduction", Decimal("1")),
        ("manual", "unit", "人次"),
        ("manual", "deviation_reason", "原因"),
    ],
)
def test_undo_labels_name_fields_in_chinese(ws: Workspace, kind: str, attr: str, value: object) -> None:
    """Issue #12: no “…的score / actual / denominator” in 撤销/重做."""
    import re

    leaf = leaf1(ws)
    ws.set_method(leaf.id, kind)
    ws.set_node_field(leaf.id, attr, value)
    assert not re.search(r"[A-Za-z_]", ws.undo_label), ws.undo_label
    assert not re.search(r"[A-Za-z_]", ws.redo_label or "撤销")
