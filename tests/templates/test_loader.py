"""Template manifests: the built-ins load, user folders override, errors name file and line."""

from __future__ import annotations

import shutil
from decimal import Decimal as D
from pathlib import Path

import pytest

from perfeval_desktop import paths
from perfeval_desktop.errors import TemplateError
from perfeval_desktop.scoring.engine import compute
from perfeval_desktop.templates.factory import new_report
from perfeval_desktop.templates.loader import (
    broken_templates,
    discover,
    load_template,
    not_installed,
    parse_manifest,
    scan,
)

ROOT = Path(__file__).resolve().parents[2]
BUILTIN = ROOT / "templates"


def test_builtin_templates_load_with_outline_framework_and_rules() -> None:
    found = discover([BUILTIN])
    assert {"mof_self_eval_gd", "yunnan_dept_eval"} <= set(found)
    gd = found["mof_self_eval_gd"].manifest
    assert [s.heading for s in gd.outline][:2] == ["一、项目支出基本情况", "二、绩效自评工作开展情况"]
    assert all(s.guidance for s in gd.all_sections() if not s.children)
    assert gd.rules.execution.weight == D(10)
    assert gd.rules.expected_first_level == {"预算执行率": D(10), "产出指标": D(50), "效益指标": D(30), "满意度指标": D(10)}
    yn = found["yunnan_dept_eval"].manifest
    assert [g.label for g in yn.weight_groups] == ["决策+过程", "产出+效益"]
    assert len([s for s in yn.outline]) == 8


def test_new_report_follows_the_framework() -> None:
    manifest = load_template("yunnan_dept_eval", [BUILTIN]).manifest
    report = new_report(manifest)
    sheet = compute(report, manifest.rules)
    decision = report.indicators[0]
    assert decision.name == "决策" and sheet.nodes[decision.id].weight == D(20)
    assert set(report.sections) == {s.id for s in manifest.all_sections() if not s.children}
    assert len(report.funding.by_source) == 5
    assert report.weight_groups[0].weight == D(40)


def write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "manifest.yaml"
    path.write_text(text, "utf-8")
    return path


def test_user_folder_overrides_builtin_of_same_id(tmp_path: Path) -> None:
    user = paths.user_templates_dir()
    shutil.copytree(BUILTIN / "yunnan_dept_eval", user / "yunnan_dept_eval")
    manifest = user / "yunnan_dept_eval" / "manifest.yaml"
    manifest.write_text(
        manifest.read_text("utf-8").replace("name: 区级预算支出部门评价表", "name: 本局修改版部门评价表"),
        "utf-8",
    )
    template = load_template("yunnan_dept_eval")
    assert template.folder == user / "yunnan_dept_eval"
    assert template.manifest.name.startswith("本局修改版")


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path / "bad", "id: bad\nname: 测试\nfamily: mof_self_eval\noutline:\n  - id: a\n   title: 错位\n")
    with pytest.raises(TemplateError) as info:
        parse_manifest(path)
    assert str(path) in info.value.message
    assert "第 6 行" in info.value.message


def test_schema_error_names_file_line_and_field(tmp_path: Path) -> None:
    text = (
        "id: bad\nname: 测试\nfamily: mof_self_eval\n"
        "framework:\n  - name: 产出指标\n    weight: 五十\n"
    )
    path = write(tmp_path / "bad", text)
    with pytest.raises(TemplateError) as info:
        parse_manifest(path)
    msg = info.value.message
    assert str(path) in msg and "第 6 行" in msg and "framework[0].weight" in msg


def test_unknown_key_and_missing_field_are_reported(tmp_path: Path) -> None:
    path = write(tmp_path / "bad", "id: bad\nfamily: mof_self_eval\ncolour: red\n")
    with pytest.raises(TemplateError) as info:
        parse_manifest(path)
    assert "第 3 行（colour）" in info.value.message
    assert "name" in info.value.message


def test_grade_cap_must_name_a_known_grade(tmp_path: Path) -> None:
    text = (
        "id: bad\nname: 测试\nfamily: mof_self_eval\nrules:\n  caps:\n"
        "    - {kind: grade, below: 0.9, max_grade: 好, reason: x}\n"
    )
    with pytest.raises(TemplateError) as info:
        parse_manifest(write(tmp_path / "bad", text))
    assert "好" in info.value.message


def test_folder_name_must_match_id(tmp_path: Path) -> None:
    write(tmp_path / "other", "id: bad\nname: 测试\nfamily: mof_self_eval\n")
    with pytest.raises(TemplateError) as info:
        discover([tmp_path], strict=True)
    assert "不一致" in info.value.message
    assert discover([tmp_path]) == {}  # left out, listed as broken (issue #13 §5)
    (bad,) = broken_templates([tmp_path])
    assert bad.id == "other" and "不一致" in bad.message


def test_not_utf8_is_explained(tmp_path: Path) -> None:
    folder = tmp_path / "gbk"
    folder.mkdir()
    (folder / "manifest.yaml").write_bytes("id: gbk\nname: 测试\n".encode("gbk"))
    with pytest.raises(TemplateError) as info:
        parse_manifest(folder / "manifest.yaml")
    assert "UTF-8" in info.value.message


def test_unknown_template_lists_the_known_ones() -> None:
    with pytest.raises(TemplateError) as info:
        load_template("nope", [BUILTIN])
    assert "mof_self_eval_gd" in info.value.message


def _by_scan(template_id: str, dirs: list[Path]) -> Path | str:
    """What load_template gave when it read every folder: the template's folder, or the
    message (as it was written before it read only the id's own folders)."""
    found, broken = scan(dirs)
    if template_id in found:
        return found[template_id].folder
    for bad in broken:
        if bad.id == template_id:
            return f"本报告使用的模板“{template_id}”有错误，暂不能打开：{bad.message}"
    return not_installed(template_id, found)


def _by_load(template_id: str, dirs: list[Path]) -> Path | str:
    try:
        return load_template(template_id, dirs).folder
    except TemplateError as exc:
        return exc.message


def test_load_template_reads_only_its_folders_and_finds_what_scan_finds(tmp_path: Path) -> None:
    """The built-in alone, a user copy overriding it, a broken user copy hiding it, both
    broken, a broken folder whose name is no id, names that are paths: the same template or
    the same message as the scan of every folder."""
    builtin, user = tmp_path / "builtin", tmp_path / "user"
    for tid in ("yunnan_dept_eval", "mof_self_eval_gd", "third_party_eval"):
        shutil.copytree(BUILTIN / tid, builtin / tid)
    shutil.copytree(BUILTIN / "yunnan_dept_eval", user / "yunnan_dept_eval")  # overrides
    write(user / "mof_self_eval_gd", "id: mof_self_eval_gd\nname: [\n")  # broken: hides
    write(builtin / "both_bad", "id: both_bad\nname: [\n")
    write(user / "both_bad", "id: other\nname: 测试\nfamily: mof_self_eval\n")
    write(user / "Bad_Name", "id: bad_name\nname: 测试\nfamily: mof_self_eval\n")
    (user / "loose").write_text("not a folder", "utf-8")
    dirs = [builtin, user]
    ids = ["yunnan_dept_eval", "mof_self_eval_gd", "third_party_eval", "both_bad", "Bad_Name",
           "loose", "nope", "", ".", "..", "../builtin/yunnan_dept_eval", "user/Bad_Name"]
    for tid in ids:
        assert _by_load(tid, dirs) == _by_scan(tid, dirs), tid
    assert _by_load("yunnan_dept_eval", dirs) == user / "yunnan_dept_eval"
    assert _by_load("third_party_eval", dirs) == builtin / "third_party_eval"
    assert "有错误" in str(_by_load("mof_self_eval_gd", dirs))
    assert "找不到表样" in str(_by_load("../builtin/yunnan_dept_eval", dirs))
