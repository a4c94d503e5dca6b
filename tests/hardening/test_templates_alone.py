"""Issue #13 §5 and §2 (YAML): a broken or hostile template fails alone, quickly, named."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from perfeval_desktop import paths
from perfeval_desktop.cli import main
from perfeval_desktop.errors import TemplateError
from perfeval_desktop.storage import pfe
from perfeval_desktop.templates.loader import broken_templates, discover, load_template

ROOT = Path(__file__).resolve().parents[2]
GD = ROOT / "resources" / "samples" / "gd_yuancheng_medical_aid_2021.pfe"
YN = ROOT / "resources" / "samples" / "yn_wuhua_fund_supervision_2024.pfe"
BOMB = """id: bomb
name: 炸弹
a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]
i: [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


@pytest.fixture
def user_templates(tmp_path: Path) -> Path:
    paths.set_basedir(tmp_path / "base")
    try:
        folder = paths.user_templates_dir()
        folder.mkdir(parents=True, exist_ok=True)
        yield folder
    finally:
        paths.set_basedir(None)


def _add(folder: Path, name: str, text: str) -> None:
    (folder / name).mkdir()
    (folder / name / "manifest.yaml").write_text(text, "utf-8")


def test_alias_bomb_is_refused_within_seconds(
    user_templates: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _add(user_templates, "bomb", BOMB)
    started = time.monotonic()
    assert main(["templates"]) == 0
    out = capsys.readouterr().out
    assert time.monotonic() - started < 10
    assert "bomb\t（有错误，不能使用）" in out and "锚点或别名" in out and "第 3 行" in out
    assert "mof_self_eval_gd\t" in out  # the others are listed as usual


def test_broken_and_misnamed_templates_fail_alone(
    user_templates: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _add(user_templates, "broken", "id: broken\nname: [未闭合\n")
    _add(user_templates, "wrong_name",
         (ROOT / "templates" / "mof_self_eval_gd" / "manifest.yaml").read_text("utf-8"))
    bad = {b.id: b.message for b in broken_templates()}
    assert set(bad) == {"broken", "wrong_name"}
    assert "格式错误" in bad["broken"] and "不一致" in bad["wrong_name"]
    assert "mof_self_eval_gd" in discover()
    with pytest.raises(TemplateError):
        discover(strict=True)
    # reports of other templates check and export as usual
    assert main(["check", str(GD)]) in (0, 1)
    out = tmp_path / "out"
    out.mkdir()
    assert main(["export", str(GD), "-o", str(out), "--format", "docx"]) == 0
    assert "Traceback" not in capsys.readouterr().err


def test_report_of_a_broken_template_is_refused_with_its_message(
    user_templates: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = pfe.load(GD)
    tid = report.meta.template_id
    _add(user_templates, tid, f"id: {tid}\nname: 坏的\nrules: 3\n")
    # a broken user copy of a built-in template: its reports say what is wrong with it,
    # the built-in one is not used silently instead
    with pytest.raises(TemplateError) as info:
        load_template(tid)
    assert "有错误" in info.value.message and "rules" in info.value.message
    assert "manifest.yaml" in info.value.message
    assert main(["check", str(GD)]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert "yunnan_dept_eval" in discover()  # the other templates work as usual


def test_deeply_nested_manifest_is_refused_alone(user_templates: Path) -> None:
    _add(user_templates, "deep", "id: deep\nname: x\nrules: " + "[" * 5000 + "]" * 5000 + "\n")
    (bad,) = broken_templates()
    assert bad.id == "deep" and bad.message
    shutil.rmtree(user_templates / "deep")


def test_report_of_a_broken_template_opens_read_only_in_the_workspace(
    user_templates: Path, tmp_path: Path
) -> None:
    from perfeval_desktop.errors import InputError, SaveError
    from perfeval_desktop.workspace import Workspace
    from perfeval_desktop.workspace.operations import SetField

    report = pfe.load(GD)
    tid = report.meta.template_id
    _add(user_templates, tid, f"id: {tid}\nname: 坏的\nrules: 3\n")
    ws = Workspace.open(GD)
    assert ws.read_only is not None and tid in ws.read_only and "只读" in ws.read_only
    assert ws.template.manifest.id == tid  # shown with the built-in form of that id
    with pytest.raises(InputError) as refused:
        ws.execute(SetField("project.name", "改名"))
    assert "只读" in refused.value.message and ws.report.project.name == report.project.name
    with pytest.raises(SaveError):
        ws.save(tmp_path / "copy.pfe")
    assert not (tmp_path / "copy.pfe").exists()
    assert Workspace.open(YN).read_only is None  # other templates' reports as usual
