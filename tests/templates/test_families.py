"""One family registry: each form family is declared once, in the ``forms`` of its built-in
template's manifest.yaml, and no other file of the program lists families."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
import yaml

from perfeval_desktop import paths
from perfeval_desktop.errors import TemplateError
from perfeval_desktop.export.forms import family_parts
from perfeval_desktop.importer import guess_family
from perfeval_desktop.importer.workbook import Sheet
from perfeval_desktop.templates.factory import new_report
from perfeval_desktop.templates.families import families, family_forms, recognise
from perfeval_desktop.templates.loader import load_template, parse_manifest
from perfeval_desktop.templates.manifest import Manifest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "perfeval_desktop"


def test_every_builtin_family_is_declared_once_by_the_template_drawing_its_forms() -> None:
    declared = families()
    assert set(declared) == {"mof_self_eval", "yunnan_dept_eval", "mof_outline_eval",
                             "sichuan_self_eval", "third_party"}
    for name, family in declared.items():
        manifest = parse_manifest(family.builtin / "manifest.yaml")
        assert manifest.family == name and manifest.forms == family.forms
        assert (family.builtin / "forms.xlsx").is_file()
        assert family.forms.name and family.forms.parts
    # every other built-in template names its family only
    for folder in sorted((ROOT / "templates").iterdir()):
        manifest = parse_manifest(folder / "manifest.yaml")
        assert manifest.family in declared
        if manifest.forms is not None:
            assert declared[manifest.family].builtin == folder


def test_the_parts_are_the_manifests_data() -> None:
    """The parts of each family as the published reports print them (seeds 000–004)."""
    want = {
        "mof_self_eval": [("附件1", "项目支出绩效自评表", "", False)],
        "yunnan_dept_eval": [("附件1", "区级预算支出部门评价表", "", True)],
        "mof_outline_eval": [("附件1", "绩效目标完成清单", "", False),
                             ("附件2", "问题清单", "", False), ("附件3", "评分情况表", "", False)],
        "sichuan_self_eval": [("资金表", "资金计划、到位及使用情况", "funds_plan", False)],
        "third_party": [("表1", "项目整体得分情况表", "", False)],
    }
    for name, family in families().items():
        assert [(p.key, p.title, p.section, p.first) for p in family.forms.parts] == want[name]
    tp = families()["third_party"].forms
    assert tp.repeat_per_indicator and tp.repeat_sheet == "一级指标评分表"
    template = load_template("third_party_eval")
    parts = family_parts(new_report(template.manifest), template.manifest)
    assert parts is not None
    assert [(p.key, p.title, p.generic) for p in parts] == [
        ("表1", "项目整体得分情况表", ""), ("表2", "决策指标评分表", "一级指标评分表"),
        ("表3", "过程指标评分表", "一级指标评分表"), ("表4", "产出指标评分表", "一级指标评分表"),
        ("表5", "效益指标评分表", "一级指标评分表")]


def _family_names_in(text: str, names: set[str]) -> set[str]:
    """The family names written as string constants of the code (docstrings aside)."""
    tree = ast.parse(text)
    docs = {id(node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
    return {node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docs and node.value in names}


def test_no_other_file_of_the_program_lists_families() -> None:
    """A family's name appears in the program's code nowhere: what differs between families
    is each manifest's ``forms`` data (the scan reads every string constant)."""
    names = set(families())
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        hits = _family_names_in(path.read_text(encoding="utf-8"), names)
        if hits:
            found[str(path.relative_to(ROOT))] = sorted(hits)
    assert found == {}
    # and the scan sees one when it is there
    assert _family_names_in('x = "yunnan_dept_eval"', names) == {"yunnan_dept_eval"}


def test_export_holds_no_family_specific_module() -> None:
    """export/ is one pipeline for every family: no module named after one, none that
    tests a family's name (the forms are forms.xlsx sheets, the parts manifest data)."""
    modules = {p.stem for p in (PACKAGE / "export").rglob("*.py")}
    retired = {"self_eval_table", "yunnan_table", "sichuan_tables", "outline_annexes",
               "third_party_tables", "builder"}
    assert not modules & retired
    for path in (PACKAGE / "export").rglob("*.py"):
        assert ".family ==" not in path.read_text(encoding="utf-8"), path


def _user_template(tmp_path: Path, builtin: str, edit: dict[str, object]) -> Path:
    folder = paths.user_templates_dir() / "county_x"
    shutil.copytree(ROOT / "templates" / builtin, folder)
    data = yaml.safe_load((folder / "manifest.yaml").read_text("utf-8"))
    data.update(edit, id="county_x")
    data = {k: v for k, v in data.items() if v is not None}
    (folder / "manifest.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return folder


def test_a_template_names_its_family_and_gets_its_forms(tmp_path: Path) -> None:
    """A bureau's template writing only ``family:`` prints that family's declared forms."""
    _user_template(tmp_path, "mof_outline_eval_sz", {"forms": None})
    template = load_template("county_x")
    assert template.manifest.forms is None
    assert family_forms(template.manifest) == families()["mof_outline_eval"].forms


def test_a_template_declaring_its_own_parts_uses_them(tmp_path: Path) -> None:
    """The manifest's own ``forms`` (a bureau's changed list of parts) is what it prints."""
    own = families()["mof_outline_eval"].forms.model_dump()
    own["parts"] = own["parts"][:2]
    _user_template(tmp_path, "mof_outline_eval_sz", {"forms": own})
    template = load_template("county_x")
    parts = family_parts(new_report(template.manifest), template.manifest)
    assert parts is not None and [p.key for p in parts] == ["附件1", "附件2"]


def test_an_unknown_family_is_refused_naming_the_known_ones(tmp_path: Path) -> None:
    _user_template(tmp_path, "mof_self_eval_gd", {"forms": None, "family": "county_new"})
    with pytest.raises(TemplateError) as info:
        load_template("county_x")
    msg = str(info.value)
    assert "county_new" in msg and "未知" in msg and "yunnan_dept_eval（区级预算支出部门评价表（云南））" in msg


def test_duplicate_part_keys_are_refused() -> None:
    data = parse_manifest(ROOT / "templates" / "mof_outline_eval_sz" / "manifest.yaml").model_dump()
    assert data["forms"] is not None
    data["forms"]["parts"][1]["key"] = "附件1"
    with pytest.raises(ValueError, match="附件1"):
        Manifest.model_validate(data)


@pytest.mark.parametrize(("cells", "family"), [
    ({"五华区区级预算支出部门评价表"}, "yunnan_dept_eval"),
    ({"项目支出明细内容", "年初预算数"}, "yunnan_dept_eval"),
    ({"指标性质", "度量单位"}, "sichuan_self_eval"),
    ({"指标性质"}, "mof_self_eval"),  # both marks of a group are needed
    ({"附件3评分情况表"}, "mof_outline_eval"),
    ({"项目整体得分情况表"}, "third_party"),
    ({"决策指标评分表"}, "third_party"),
    ({"项目支出绩效自评表"}, "mof_self_eval"),
    (set(), "mof_self_eval"),
])
def test_an_excel_file_is_recognised_by_the_marks_its_family_declares(
        cells: set[str], family: str) -> None:
    assert recognise(cells) == family
    sheet = Sheet("Sheet1", {(i, 1): t for i, t in enumerate(sorted(cells), start=1)})
    assert guess_family([sheet]) == family
