"""复制上年: this year's report from last year's keeps the frame and clears the figures."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from perfeval_desktop import paths
from perfeval_desktop.carryover import carry_over
from perfeval_desktop.cli import main
from perfeval_desktop.model.report import AMOUNT_COLUMNS, Report, iter_nodes
from perfeval_desktop.scoring.engine import compute
from perfeval_desktop.storage.pfe import dumps, load, loads
from perfeval_desktop.templates.loader import load_template

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "resources" / "samples").glob("*.pfe"))
GD = ROOT / "resources" / "samples" / "gd_yuancheng_medical_aid_2021.pfe"


def _this_year(path: Path) -> tuple[Report, Report]:
    last = load(path)
    return last, carry_over(last, load_template(last.meta.template_id).manifest, path)


def _amounts(report: Report) -> list[Decimal | None]:
    rows = [report.funding.total, *report.funding.by_kind.values(),
            *report.funding.by_source.values(), *(d.amounts for d in report.funding.details)]
    return [getattr(row, c) for row in rows for c in AMOUNT_COLUMNS]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_keeps_the_frame_and_clears_the_figures(path: Path) -> None:
    last, new = _this_year(path)
    assert new.meta.year == last.meta.year + 1  # type: ignore[operator]
    assert new.meta.template_id == last.meta.template_id and new.meta.fill_date is None
    assert new.project == last.project and new.meta.unit == last.meta.unit
    old_nodes = [(lv, n) for _p, lv, n in iter_nodes(last.indicators)]
    new_nodes = [(lv, n) for _p, lv, n in iter_nodes(new.indicators)]
    assert [(lv, n.id, n.name, n.weight, n.target_text, n.unit, n.method.kind)
            for lv, n in new_nodes] == [
        (lv, n.id, n.name, n.weight, n.target_text, n.unit, n.method.kind) for lv, n in old_nodes
    ]
    for _lv, node in new_nodes:
        assert node.actual_text == "" and node.deviation_reason == "" and node.deduction is None
        method = node.method.model_dump()
        for key in ("score", "actual", "numerator", "denominator", "band"):
            assert method.get(key) is None, (node.name, key)
    assert set(_amounts(new)) <= {None}
    assert new.funding.execution_reason == "" and new.funding.typed_execution_rate is None
    assert set(new.sections.values()) <= {""} and new.problems == [] and new.suggestions == ""
    assert new.explanations == {} and new.declared_grade is None and new.goals.actual == ""
    assert new.goals.expected == last.goals.expected
    hints = new.last_year
    assert hints is not None and hints.year == last.meta.year and hints.notes == []
    typed = {n.id: n.actual_text for _lv, n in old_nodes if n.actual_text.strip()}
    assert hints.actuals == typed
    assert hints.sections == {k: v for k, v in last.sections.items() if v.strip()}
    assert hints.goals_actual == last.goals.actual
    assert compute(new, load_template(new.meta.template_id).manifest.rules).total == 0
    assert loads(dumps(new)) == new  # the hints travel in the file


def test_gd_hints_name_last_years_figures() -> None:
    _last, new = _this_year(GD)
    assert new.last_year is not None
    assert "部分达成预期" in new.last_year.actuals.values()
    assert len(new.last_year.sections) == 9


def _changed_template() -> None:
    """The 广东 template as a bureau changed it: a section gone, one new, a 二级 moved,
    a 一级 renamed."""
    folder = paths.user_templates_dir() / "mof_self_eval_gd"
    shutil.copytree(ROOT / "templates" / "mof_self_eval_gd", folder)
    manifest = folder / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace("  - id: other\n    number: 六、\n    title: 其他需要说明的问题\n",
                        "  - id: lessons\n    number: 六、\n    title: 经验做法\n")
    text = text.replace("      - name: 可持续影响指标\n        children: [{name: 指标1}]\n", "")
    text = text.replace("      - name: 成本指标\n", "      - name: 可持续影响指标\n"
                        "        children: [{name: 指标1}]\n      - name: 成本指标\n")
    text = text.replace("  - name: 满意度指标\n", "  - name: 满意度\n")
    text = text.replace("      - name: 服务对象满意度指标\n", "      - name: 满意度指标\n")
    text = text.replace("    满意度指标: 10\n", "    满意度: 10\n")
    manifest.write_text(text.replace('version: "1"', 'version: "2"'), encoding="utf-8")


def test_changed_template_moves_and_drops_with_notes() -> None:
    _changed_template()
    _last, new = _this_year(GD)
    assert new.meta.template_version == "2"
    firsts = {n.name: n for n in new.indicators}
    assert list(firsts) == ["产出指标", "效益指标", "满意度"]
    assert "可持续影响指标" in [c.name for c in firsts["产出指标"].children]
    assert "可持续影响指标" not in [c.name for c in firsts["效益指标"].children]
    moved = next(c for c in firsts["产出指标"].children if c.name == "可持续影响指标")
    assert [c.name for c in moved.children] == ["指标1：对健全社会救助体系的影响",
                                               "指标2：对健全医疗保障制度体系的作用"]
    notes = "\n".join(new.last_year.notes)  # type: ignore[union-attr]
    assert "“可持续影响指标”按现行表样从“效益指标”移到“产出指标”" in notes
    assert "新增一级指标“满意度”" in notes
    assert "一级指标“满意度指标”在现行表样中已没有，其下三级指标未带入：指标1：政策知晓率、指标2：工作满意度" in notes
    assert [c.name for c in firsts["满意度"].children] == ["满意度指标"]
    assert "（other）" in notes and "六、经验做法" in notes
    assert "other" not in new.sections and new.sections["lessons"] == ""
    assert "other" not in new.last_year.sections  # type: ignore[union-attr]


def test_cli_new_from_last_year(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "2022.pfe"
    assert main(["new", "--from", str(GD), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "2022 年度" in printed and str(out) in printed
    report = load(out)
    assert report.meta.year == 2022 and report.last_year is not None
    assert report == _this_year(GD)[1].model_copy(
        update={"last_year": report.last_year.model_copy(update={"source": str(GD)})}
    )
    assert main(["new", "--from", str(GD), "-o", str(out)]) == 2  # never overwrites
    assert "已存在" in capsys.readouterr().err
    assert main(["new", "--from", str(tmp_path / "无.pfe"), "-o", str(tmp_path / "x.pfe")]) == 2
    assert not (tmp_path / "x.pfe").exists()
