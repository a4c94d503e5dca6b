"""The designer's engine: each change validated like a manifest on disk, written back as a
readable manifest.yaml that the loader reads to the same form."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from perfeval_desktop.designer import DesignError, TemplateDraft, rules
from perfeval_desktop.designer.save import manifest_text, save_draft
from perfeval_desktop.errors import TemplateError
from perfeval_desktop.templates.loader import load_template, parse_manifest
from perfeval_desktop.templates.manifest import GradeCap, ScoreCap


def _gd() -> TemplateDraft:
    return TemplateDraft.copy_of(load_template("mof_self_eval_gd"), "my_form", "我的表样")


def test_refused_change_has_the_broken_manifest_message(tmp_path: Path) -> None:
    draft = _gd()
    with pytest.raises(DesignError) as caught:
        rules.set_execution(draft, "十分")
    [problem] = caught.value.problems
    assert problem == "预算执行率分值（rules.execution.weight）：应为数字"
    assert draft.manifest.rules.execution.weight == 10  # the last valid state is kept
    # the same mistake in a manifest on disk: the loader's message ends the same way
    text = manifest_text(draft).replace("    weight: 10\n    label", "    weight: 十分\n    label")
    broken = tmp_path / "manifest.yaml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError) as on_disk:
        parse_manifest(broken)
    assert "（rules.execution.weight）：应为数字" in on_disk.value.message
    assert draft.check("rules.score_decimals", 3) == [
        "指标得分小数位数（rules.score_decimals）：应不大于 2"
    ]
    assert draft.check("rules.score_decimals", 1) == []
    assert draft.manifest.rules.score_decimals == 2  # check() changes nothing
    with pytest.raises(DesignError, match="从高到低"):
        rules.set_grades(draft, [("优", 90), ("良", 95), ("差", 0)])
    with pytest.raises(DesignError, match="不在 grades 中"):
        rules.set_caps(draft, grade=[("0.9", "甲", "执行率低")])


def test_outline_edits() -> None:
    draft = _gd()
    draft.set_section("advice", title="意见和建议", limit=300, guidance="没有的写“无”。")
    draft.add_section("sign", "七、", "签字盖章", guidance="负责人签字")
    draft.add_section("issues_other", "（三）", "其他问题", parent="issues")
    draft.remove_section("other")
    ids = [s.id for s in draft.manifest.all_sections()]
    assert ids[-2:] == ["advice", "sign"] and "other" not in ids
    advice = next(s for s in draft.manifest.all_sections() if s.id == "advice")
    assert (advice.title, advice.limit) == ("意见和建议", 300)
    with pytest.raises(DesignError, match="重复"):
        draft.add_section("basic", "八、", "又一个基本情况")
    with pytest.raises(DesignError, match="limit"):
        draft.set_section("advice", limit=0)


def test_framework_and_rules_round_trip(tmp_path: Path) -> None:
    draft = TemplateDraft.copy_of(load_template("yunnan_dept_eval"), "yn_county", "县级评价表")
    draft.set_node((2,), weight=45)
    draft.set_node((3,), weight=15)
    draft.add_node((2, 0), "新增指标", "5", method="compare")
    rules.set_weight_groups(draft, [("决策+过程", ["决策", "过程"], 40),
                                    ("产出+效益", ["产出", "效益"], 60)])
    assert draft.problems() == []
    rules.set_weight_groups(draft, [("决策+过程", ["决策", "过程"], 30),
                                    ("产出+效益", ["产出", "效益"], 70)])
    assert any("决策+过程" in p and "40" in p for p in draft.problems())
    rules.set_weight_groups(draft, [("决策+过程", ["决策", "过程"], 40),
                                    ("产出+效益", ["产出", "效益"], 60)])
    rules.set_min_share(draft, ["产出", "效益"], 60)
    rules.set_over_achievement(draft, "1.5")
    rules.set_caps(draft, grade=[("0.9", "良", "执行率低于90%")],
                   score=[("0.8", 89), ("0.7", 79), ("0.6", 69), ("0.5", 59)])
    rules.set_grades(draft, [("优", 90), ("良", 80), ("中", 60), ("差", 0)])
    rules.set_execution(draft, None, basis="received")
    folder = save_draft(draft, tmp_path)
    text = (folder / "manifest.yaml").read_text(encoding="utf-8")
    assert "&id" not in text and "*id" not in text  # no YAML anchors
    assert text.startswith("# 县级评价表\n") and "复制自“yunnan_dept_eval”" in text
    assert (folder / "forms.xlsx").is_file() and (folder / "report.docx").is_file()
    back = parse_manifest(folder / "manifest.yaml")
    assert back == draft.manifest
    assert back.framework[2].weight == 45 and back.framework[2].children[0].children[-1].name \
        == "新增指标"
    assert back.rules.over_achievement_ratio == Decimal("1.5")
    assert isinstance(back.rules.caps[0], GradeCap) and isinstance(back.rules.caps[1], ScoreCap)
    assert back.rules.execution.basis == "received" and back.rules.execution.weight is None
    plain = yaml.safe_load(text)
    assert plain["rules"]["caps"][1]["bands"][0] == {"below": 0.8, "max_score": 89}
    assert plain["weight_groups"][1] == {"label": "产出+效益", "members": ["产出", "效益"],
                                         "weight": 60}


def test_every_builtin_form_round_trips(tmp_path: Path) -> None:
    from perfeval_desktop.templates.families import family_forms
    from perfeval_desktop.templates.loader import discover

    for tid, template in discover().items():
        draft = TemplateDraft.copy_of(template, f"copy_{tid}", f"{template.manifest.name}（副本）")
        folder = save_draft(draft, tmp_path)
        back = parse_manifest(folder / "manifest.yaml")
        assert back == draft.manifest, tid
        assert back.model_dump(exclude={"id", "name", "version", "forms"}) == \
            template.manifest.model_dump(exclude={"id", "name", "version", "forms"})
        # a copy names its family only; the forms stay declared once, by the built-in
        assert back.forms is None and "forms:" not in (folder / "manifest.yaml").read_text("utf-8")
        assert family_forms(back) == template.manifest.forms is not None
