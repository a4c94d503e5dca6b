"""Issue #13 §6 (duplicate indicator ids) and §10 (the 60% rule matches names as written)."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from perfeval_desktop.cli import main
from perfeval_desktop.model.report import iter_nodes
from perfeval_desktop.scoring.engine import compute
from perfeval_desktop.scoring.validator import validate
from perfeval_desktop.storage import pfe
from perfeval_desktop.templates.loader import load_template
from perfeval_desktop.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
YN = ROOT / "resources" / "samples" / "yn_wuhua_fund_supervision_2024.pfe"


def _same_ids(tmp_path: Path) -> Path:
    data = json.loads(YN.read_text("utf-8"))

    def walk(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            node["id"] = "dup"
            walk(node.get("children", []))

    walk(data["indicators"])
    path = tmp_path / "dup.pfe"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


def _levels(result: dict[str, Any]) -> dict[str, Any]:
    return {lv["name"]: lv for lv in result["levels"]}


def test_duplicate_ids_are_repaired_and_scores_are_right(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", str(YN), "--json"])
    good = json.loads(capsys.readouterr().out)
    path = _same_ids(tmp_path)
    before = path.read_bytes()

    main(["check", str(path), "--json"])
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert _levels(result)["决策"]["score"] == 20 and _levels(result)["决策"]["weight"] == 20
    assert _levels(result) == _levels(good)
    assert result["total"] == good["total"]
    codes = {f["code"] for f in result["findings"]}
    assert not codes & {"W002", "W003"}
    assert captured.err.count("指标编号重复") == 1  # told once, naming the changed nodes
    assert "决策" not in captured.err.split("改用新编号")[0].split("“")[1]  # the first keeps it
    assert path.read_bytes() == before  # check never writes

    ws = Workspace.open(path)
    assert len(ws.load_notes) == 1 and ws.dirty  # saving writes the repair
    ids = [n.id for _p, _l, n in iter_nodes(ws.report.indicators)]
    assert len(ids) == len(set(ids)) and ids[0] == "dup"


def test_loads_repairs_too() -> None:
    data = json.loads(YN.read_text("utf-8"))
    data["indicators"][1]["id"] = data["indicators"][0]["id"]
    report = pfe.loads(json.dumps(data, ensure_ascii=False))
    assert report.indicators[1].id != report.indicators[0].id


@pytest.mark.parametrize("suffix", ["指标", " 指标 ", ""])
def test_min_share_matches_names_with_and_without_zhibiao(suffix: str) -> None:
    report = pfe.load(YN)
    manifest = load_template(report.meta.template_id).manifest
    assert manifest.rules.min_share is not None
    for node in report.indicators:
        if node.name.strip() in ("产出", "效益"):
            node.name = node.name.strip() + suffix
    findings = validate(report, manifest, compute(report, manifest.rules))
    assert [f for f in findings if f.code in ("W004", "W003")] == []


def test_min_share_still_fires_on_renamed_levels() -> None:
    report = pfe.load(YN)
    manifest = load_template(report.meta.template_id).manifest
    for node in report.indicators:
        if node.name.strip() in ("产出", "效益"):
            node.name += "指标"
        if node.name == "产出指标":
            leaf = node.children[0].children[0]
            assert leaf.weight is not None and leaf.weight > D(5)
            leaf.weight -= D(5)  # 产出 + 效益 drops below 60
    findings = validate(report, manifest, compute(report, manifest.rules))
    w004 = [f for f in findings if f.code == "W004"]
    assert len(w004) == 1 and "低于规定的 60 分" in w004[0].message


def test_rule_naming_no_level_is_a_finding() -> None:
    report = pfe.load(YN)
    manifest = load_template(report.meta.template_id).manifest
    for node in report.indicators:
        if node.name.strip() == "效益":
            node.name = "社会效益情况"
    findings = validate(report, manifest, compute(report, manifest.rules))
    w004 = [f for f in findings if f.code == "W004"]
    assert len(w004) == 1
    assert "找不到一级指标“效益”" in w004[0].message
    assert "0 = 0" not in w004[0].message
