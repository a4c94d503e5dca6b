"""A pasted indicator table read with the importer's reader (no Qt)."""

from __future__ import annotations

from pathlib import Path

from perfeval_desktop.importer.paste import is_empty_tree, read_pasted_table
from perfeval_desktop.storage.pfe import load
from perfeval_desktop.templates.factory import new_report
from perfeval_desktop.templates.loader import load_template

GD = load_template("mof_self_eval_gd")
SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "samples" / "gd_yuancheng_medical_aid_2021.pfe"


def test_empty_tree_is_a_new_reports_framework() -> None:
    assert is_empty_tree(new_report(GD.manifest))
    assert not is_empty_tree(load(SAMPLE))


def test_blocks_that_are_not_indicator_tables_are_left_alone() -> None:
    assert read_pasted_table([["≥95%", "97%", "5"]], GD.manifest) is None
    assert read_pasted_table([["产出指标", "数量指标", ""]], GD.manifest) is None


def test_yunnan_layout_with_weight_columns() -> None:
    header = ["一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "得分"]
    rows = [["决策", "20", "项目立项", "6", "立项依据充分性", "3", "3"],
            ["", "", "", "", "立项程序规范性", "3", "2.5"],
            ["产出", "80", "数量指标", "80", "现场检查定点医疗机构", "80", "80"]]
    pasted = read_pasted_table([header, *rows], load_template("yunnan_dept_eval").manifest)
    assert pasted is not None and pasted.with_header and pasted.leaves == 3
    assert [(n.name, n.weight) for n in pasted.roots] == [("决策", 6), ("产出", 80)]
    assert pasted.roots[0].children[0].children[1].method.score == 2.5  # type: ignore[union-attr]
