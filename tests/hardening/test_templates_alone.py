"""Issue #13 §5 and §2 (YAML): a broken or hostile template fails alone, quickly, named."""

from __future__ import annotations

import json
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


def test_report_of_a_broken_template_is_checked_with_its_message(
    user_templates: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
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
    # check: the template's message, then what can be checked (by the built-in form of that
    # id), never a pass: exit code 4
    assert main(["check", str(GD)]) == 4
    out = capsys.readouterr()
    assert out.out.startswith("注意：本报告使用的模板") and "rules" in out.out
    assert "仅供参考" in out.out and "评价等次：良" in out.out and "D001" in out.out
    assert "Traceback" not in out.err
    assert main(["check", "--json", str(GD)]) == 4
    out = capsys.readouterr()
    result = json.loads(out.out)
    assert "rules" in result["template_error"] and out.err.startswith("错误：")
    assert result["total"] == 94 and [f["code"] for f in result["findings"]] == ["D001", "T003"]
    # export: refused with the same message
    assert main(["export", str(GD), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "rules" in err and "Traceback" not in err
    assert "yunnan_dept_eval" in discover()  # the other templates work as usual


def _missing_template_report(tmp_path: Path, tid: str = "bureau_2025") -> Path:
    """The sample as a report of a form this computer does not have, saved by the program."""
    report = pfe.load(GD)
    report.meta.template_id = tid
    path = tmp_path / "bureau.pfe"
    pfe.save(report, path)
    return path


def _install_bureau(user_templates: Path, tid: str = "bureau_2025") -> Path:
    """The form ``tid`` installed (the built-in GD form under that id); its folder."""
    folder = user_templates / tid
    shutil.copytree(ROOT / "templates" / "mof_self_eval_gd", folder)
    manifest = folder / "manifest.yaml"
    manifest.write_text(
        manifest.read_text("utf-8").replace("id: mof_self_eval_gd", f"id: {tid}"), "utf-8"
    )
    return folder


def test_check_of_a_report_whose_template_is_not_installed(
    user_templates: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _missing_template_report(tmp_path)
    before = path.read_bytes()
    assert main(["check", str(path)]) == 4
    out = capsys.readouterr()
    assert out.out.startswith("注意：找不到表样“bureau_2025”") and "bureau_2025.pft" in out.out
    assert "导入表样" in out.out and "复制" in out.out and "templates" in out.out
    # what can be given without the form: the levels and the form-free findings; no total
    # or grade made up from general rules (no 预算执行率 block: 90 ≠ 100 would be false)
    assert "产出指标              50      48" in out.out and "未给出" in out.out
    assert "D001" in out.out and "T003" in out.out
    assert "W002" not in out.out and "T001" not in out.out and "\n评价等次：" not in out.out
    assert out.err == ""
    assert main(["check", "--json", str(path)]) == 4
    out = capsys.readouterr()
    result = json.loads(out.out)
    assert "bureau_2025.pft" in result["template_error"]
    assert result["total"] is None and result["grade"] is None
    assert [lv["score"] for lv in result["levels"]] == [48, 30, 10]
    assert main(["export", str(path), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：找不到表样“bureau_2025”") and "Traceback" not in err
    assert path.read_bytes() == before


def test_report_of_a_missing_template_opens_read_only_and_saves_a_full_copy(
    user_templates: Path, tmp_path: Path
) -> None:
    from perfeval_desktop.errors import InputError, SaveError
    from perfeval_desktop.workspace import Workspace
    from perfeval_desktop.workspace.operations import SetField

    path = _missing_template_report(tmp_path)
    before = path.read_bytes()
    ws = Workspace.open(path)
    assert ws.read_only is not None and ws.template.stand_in
    assert "找不到表样“bureau_2025”" in ws.read_only and "bureau_2025.pft" in ws.read_only
    assert "导入表样" in ws.read_only and "另存为" in ws.read_only
    assert {f.code for f in ws.findings} == {"D001", "T003"}  # none made up by the stand-in
    with pytest.raises(InputError):
        ws.execute(SetField("project.name", "改名"))
    with pytest.raises(SaveError) as refused:
        ws.save()
    assert "另存为" in refused.value.message
    with pytest.raises(SaveError):
        ws.save(path.parent / "." / path.name)  # its own file, under another spelling
    assert path.read_bytes() == before
    # 另存为: everything kept, the copy is a report of the same (missing) template
    copy = tmp_path / "副本.pfe"
    ws.save(copy)
    assert ws.path == copy and ws.read_only is not None and not ws.dirty
    assert copy.read_bytes() == before
    assert path.read_bytes() == before
    # the fix: once the form is installed, the report opens as usual
    _install_bureau(user_templates)
    reopened = Workspace.open(copy)
    assert reopened.read_only is None and reopened.sheet.total == 94


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
        ws.save()  # its own file is never written
    ws.save(tmp_path / "copy.pfe")  # 另存为: a full copy
    assert pfe.load(tmp_path / "copy.pfe") == report and ws.read_only is not None
    assert Workspace.open(YN).read_only is None  # other templates' reports as usual


@pytest.mark.parametrize("fate", ["removed", "broken"])
def test_recovery_copy_of_a_template_since_removed_or_broken_restores_read_only(
    user_templates: Path, tmp_path: Path, fate: str
) -> None:
    """A crash left a recovery copy; before the restart the report's template was removed
    or broken.  Restoring it is not refused: it opens read-only with the message opening
    the file gives, everything of the copy kept, and 另存为 writes it to another file."""
    from perfeval_desktop.errors import InputError, SaveError
    from perfeval_desktop.storage import autosave
    from perfeval_desktop.workspace import Workspace
    from perfeval_desktop.workspace.operations import SetField

    folder = _install_bureau(user_templates)
    path = _missing_template_report(tmp_path)
    before = path.read_bytes()
    ws = Workspace.open(path)
    assert ws.read_only is None  # the form was installed while the clerk typed
    ws.set_field("meta.filler", "张三")
    ws.set_field("project.name", "恢复的项目")
    assert autosave.Autosaver(ws, session="crashed-run").save_now()
    shutil.rmtree(folder)
    if fate == "broken":
        _add(user_templates, "bureau_2025", "id: bureau_2025\nname: 坏的\nrules: 3\n")
    [recovery] = autosave.pending_recoveries()
    restored = Workspace.recovered(recovery.load(), recovery.original)
    opened = Workspace.open(path)
    assert restored.read_only is not None and restored.read_only == opened.read_only
    assert "bureau_2025" in restored.read_only and "另存为" in restored.read_only
    assert ("有错误" if fate == "broken" else "bureau_2025.pft") in restored.read_only
    assert restored.report == ws.report and restored.path == path and restored.dirty
    with pytest.raises(InputError):
        restored.execute(SetField("meta.filler", "李四"))
    with pytest.raises(SaveError) as refused:
        restored.save()  # its own file: never written, the work stays in memory
    assert "另存为" in refused.value.message and restored.dirty
    # unsaved, so the recovery copy is kept (and rewritten) until 另存为
    saver = autosave.Autosaver(restored, recovery.key)
    assert saver.save_now() and len(autosave.pending_recoveries()) == 1
    assert path.read_bytes() == before
    copy = tmp_path / "恢复的副本.pfe"
    restored.save(copy)  # 另存为
    saver.saved()
    assert pfe.load(copy) == ws.report and restored.path == copy and not restored.dirty
    assert restored.read_only is not None and autosave.pending_recoveries() == []
    assert path.read_bytes() == before
