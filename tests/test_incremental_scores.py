"""An edit scores again only the leaves it wrote; the sheet is always the one a full
computation gives (random edits, methods, funding, rows, undo and redo)."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from perfeval_desktop.model.report import RateMethod, iter_nodes
from perfeval_desktop.scoring import engine
from perfeval_desktop.scoring.engine import compute
from perfeval_desktop.workspace import SetField, SetMethod, SetNodeField, Workspace, method_of_kind

GD = Path(__file__).resolve().parent.parent / "resources" / "samples" / "gd_yuancheng_medical_aid_2021.pfe"
RATE_LINKS = [None, "received", "executed"]
KINDS = ["manual", "compare", "qualitative", "not_applicable", "budget_execution", "rate"]


def _leaves(ws: Workspace) -> list[str]:
    return [n.id for _p, _l, n in iter_nodes(ws.report.indicators) if n.is_leaf]


def _random_edit(ws: Workspace, rng: random.Random) -> None:
    leaf = ws.node(rng.choice(_leaves(ws)))
    roll = rng.random()
    if roll < 0.2:
        ws.execute(SetNodeField(leaf.id, "weight", Decimal(rng.randint(1, 9))))
    elif roll < 0.35:
        method = method_of_kind(rng.choice(KINDS), leaf.method)
        if isinstance(method, RateMethod):  # amounts typed, or linked to 项目资金
            method = method.model_copy(update={"source": rng.choice(RATE_LINKS)})
        ws.execute(SetMethod(leaf.id, method))
    elif roll < 0.5:
        ws.execute(SetNodeField(leaf.id, "target_text", rng.choice(["≥90%", "100%", "按时"])))
    elif roll < 0.6:
        ws.execute(SetNodeField(leaf.id, "actual_text", rng.choice(["95%", "80%", ""])))
    elif roll < 0.7 and leaf.method.kind in ("manual", "qualitative"):
        ws.execute(SetNodeField(leaf.id, "method.score", Decimal(rng.randint(0, 9))))
    elif roll < 0.75:
        ws.execute(SetField("funding.total.executed", Decimal(rng.randint(500, 1200))))
    elif roll < 0.8:  # the 执行率 stays: the rates linked to 到位数 follow all the same
        ws.execute(SetField("funding.total.received", Decimal(rng.randint(500, 1200))))
    elif roll < 0.87:
        ws.add_sibling(leaf.id)
    elif roll < 0.92:
        ws.move_up(leaf.id)
    else:
        (ws.undo if rng.random() < 0.7 else ws.redo)()


def test_incremental_sheet_equals_a_full_computation() -> None:
    ws = Workspace.open(GD)
    rng = random.Random(12)
    for _ in range(300):
        _random_edit(ws, rng)
        assert ws.sheet == compute(ws.report, ws.manifest.rules)


def test_a_cell_edit_scores_only_its_leaf(monkeypatch: object) -> None:
    ws = Workspace.open(GD)
    scored: list[str] = []
    real = engine.score_leaf

    def counting(node, rules, rate, funding=None):  # type: ignore[no-untyped-def]
        scored.append(node.id)
        return real(node, rules, rate, funding)

    monkeypatch.setattr(engine, "score_leaf", counting)  # type: ignore[attr-defined]
    leaf = ws.report.indicators[0].children[0].children[0]
    ws.execute(SetNodeField(leaf.id, "method.score", Decimal(7)))
    assert scored == [leaf.id]
    scored.clear()
    ws.execute(SetField("funding.total.executed", Decimal(1100)))  # the rate: all again
    assert len(scored) == len(_leaves(ws))


def test_a_rate_linked_to_funding_is_scored_again_when_funding_changes() -> None:
    ws = Workspace.open(GD)
    leaf = ws.report.indicators[0].children[0].children[0]
    ws.execute(SetMethod(leaf.id, RateMethod(source="received", target_rate=Decimal("0.9"))))
    assert ws.sheet.nodes[leaf.id].leaf.missing == "项目资金的到位数（比率的分子）"  # type: ignore[union-attr]
    budget = ws.report.funding.total.annual_budget
    assert budget is not None and leaf.weight is not None
    ws.execute(SetField("funding.total.received", budget * Decimal("0.45")))  # 45 % of 90 %
    assert ws.sheet.nodes[leaf.id].score == leaf.weight / 2
    assert "项目资金到位数÷预算数" in ws.sheet.nodes[leaf.id].leaf.arithmetic  # type: ignore[union-attr]
    assert ws.sheet == compute(ws.report, ws.manifest.rules)
    assert leaf.method.numerator is None  # type: ignore[union-attr]  # read, not copied
