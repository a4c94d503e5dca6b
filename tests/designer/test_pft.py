"""导出表样 / 导入表样: one .pft file, checked like a template from disk, installed with
confirmation when it replaces a form; reports keep the version they were made with."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from perfeval_desktop import paths
from perfeval_desktop.designer import TemplateDraft, rules
from perfeval_desktop.designer.pft import export_pft, install_pft, read_pft, version_key
from perfeval_desktop.designer.save import save_draft
from perfeval_desktop.errors import TemplateError
from perfeval_desktop.rollup import collect
from perfeval_desktop.storage import pfe
from perfeval_desktop.templates.factory import new_report
from perfeval_desktop.templates.loader import discover, load_template


def _design(version: str = "1") -> Path:
    """A county form saved in the current basedir; returns its folder."""
    draft = TemplateDraft.copy_of(load_template("mof_self_eval_gd"), "county_form", "县表样")
    rules.set_rounding(draft, scores=1)
    draft.set("version", version)
    folder = save_draft(draft)
    (folder / "library").mkdir(exist_ok=True)
    (folder / "library" / "指标库.csv").write_text("名称,分值\n参保率,5\n", "utf-8")
    return folder


def _other_basedir(tmp_path: Path, name: str) -> None:
    """Another PC: its own user data folder."""
    paths.set_basedir(tmp_path / name)


def test_export_import_on_another_basedir(tmp_path: Path) -> None:
    from perfeval_desktop.library.model import LibraryEntry
    from perfeval_desktop.library.store import load_library, save_own

    _design()
    save_own([LibraryEntry(l1="产出指标", l2="数量指标", name="县定救助人次", nature="≥",
                           target="≥1000", unit="人次", source="某县财政局")])
    pft = export_pft(load_template("county_form"), tmp_path)
    assert pft.name == "county_form.pft"
    with zipfile.ZipFile(pft) as zf:
        info = json.loads(zf.read("pft.json"))
        assert info["id"] == "county_form" and info["version"] == "1"
        assert {"template/manifest.yaml", "template/forms.xlsx", "template/report.docx",
                "library/指标库.csv", "library/指标库.json"} <= set(zf.namelist())
    _other_basedir(tmp_path, "乡镇")
    assert "county_form" not in discover()
    contents = read_pft(pft)
    text = contents.describe()
    assert "县表样" in text and "第 1 版" in text and "template/forms.xlsx" in text
    assert "指标库条目文件 2 个" in text
    asked: list[str] = []
    done = install_pft(contents, lambda q: asked.append(q) or True)
    assert done is not None and asked == [] and done.replaced is None
    # the bureau's library entries are now in the clerk's own library
    assert done.library_added == 1
    assert [e.name for e in load_library().own] == ["县定救助人次"]
    installed = load_template("county_form")
    assert installed.manifest.rules.score_decimals == 1
    assert (installed.folder / "library" / "指标库.csv").is_file()
    assert not list(paths.data_dir().glob(".import-*"))  # the temporary folder is gone


def test_newer_version_replaces_only_on_confirmation(tmp_path: Path) -> None:
    _design("1")
    v1 = load_template("county_form")
    report = new_report(v1.manifest)
    report.meta.unit = "城关镇医保所"
    report_file = tmp_path / "v1报告.pfe"
    pfe.save(report, report_file)
    out = tmp_path / "出"
    out.mkdir()
    _other_basedir(tmp_path, "财政局")  # the bureau makes version 2
    _design("2")
    pft = export_pft(load_template("county_form"), out)
    _other_basedir(tmp_path, "clerk")  # the clerk's PC has version 1
    _design("1")
    asked: list[str] = []
    assert install_pft(read_pft(pft), lambda q: asked.append(q) or False) is None
    assert "第 1 版" in asked[0] and "第 2 版" in asked[0] and "是否替换" in asked[0]
    assert load_template("county_form").manifest.version == "1"
    done = install_pft(read_pft(pft), lambda q: True)
    assert done is not None and done.replaced == "1"
    assert load_template("county_form").manifest.version == "2"
    # the report made under version 1 keeps it, and the roll-up says which it was
    assert pfe.load(report_file).meta.template_version == "1"
    [row] = collect([tmp_path], templates=discover()).rows
    assert row.template_version == "1" and "第 1 版" in row.notes[0] and "第 2 版" in row.notes[0]
    # an older version never replaces a newer one
    older_dir = tmp_path / "旧"
    older_dir.mkdir()
    _other_basedir(tmp_path, "old-bureau")
    _design("1")
    old_pft = export_pft(load_template("county_form"), older_dir)
    _other_basedir(tmp_path, "clerk")
    with pytest.raises(TemplateError, match="比导入的第 1 版更新"):
        install_pft(read_pft(old_pft), lambda q: True)
    assert load_template("county_form").manifest.version == "2"


def test_replacing_a_builtin_asks(tmp_path: Path) -> None:
    pft = export_pft(load_template("mof_self_eval_gd"), tmp_path)
    asked: list[str] = []
    assert install_pft(read_pft(pft), lambda q: asked.append(q) or False) is None
    assert "程序内置" in asked[0]


def _zip(path: Path, members: dict[str, bytes], info: dict[str, object] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("pft.json", json.dumps(info or {"format": "perfeval-template",
                                                   "format_version": 1, "id": "evil"}))
        for name, data in members.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize(("members", "message"), [
    ({"template/../../evil.yaml": b"x"}, "以外的位置"),
    ({"/etc/evil.yaml": b"x"}, "以外的位置"),
    ({"template/C:evil.yaml": b"x"}, "以外的位置"),
    ({"template/run.exe": b"MZ"}, "不是表样可以包含的文件"),
    ({"template/sub/manifest.yaml": b"x"}, "不是表样可以包含的文件"),
    ({"template/forms.xlsx": b"\0" * (8 << 20)}, "压缩炸弹"),
    ({"template/forms.xlsx": b"x"}, "缺少 template/manifest.yaml"),
    ({"template/manifest.yaml": b"id: evil\nname: [\n"}, "格式错误"),
])
def test_hostile_files_refused(tmp_path: Path, members: dict[str, bytes], message: str) -> None:
    pft = _zip(tmp_path / "evil.pft", members)
    with pytest.raises(TemplateError, match=message):
        read_pft(pft)
    assert not (tmp_path / "evil.yaml").exists()
    assert not list(paths.data_dir().glob(".import-*"))
    assert "evil" not in discover()


def test_not_a_pft(tmp_path: Path) -> None:
    bad = tmp_path / "x.pft"
    bad.write_bytes(b"not a zip")
    with pytest.raises(TemplateError, match="已损坏或不是表样文件"):
        read_pft(bad)
    plain = tmp_path / "y.pft"
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("template/manifest.yaml", "id: y\n")
    with pytest.raises(TemplateError, match=r"缺少 pft\.json"):
        read_pft(plain)
    newer = _zip(tmp_path / "z.pft", {}, {"format": "perfeval-template", "format_version": 99,
                                         "id": "z"})
    with pytest.raises(TemplateError, match="升级程序"):
        read_pft(newer)
    link = tmp_path / "l.pft"
    with zipfile.ZipFile(link, "w") as zf:
        zf.writestr("pft.json", json.dumps({"format": "perfeval-template", "format_version": 1,
                                            "id": "l"}))
        info = zipfile.ZipInfo("template/manifest.yaml")
        info.external_attr = (0o120777 << 16)
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(TemplateError, match="链接"):
        read_pft(link)


def test_version_order() -> None:
    assert version_key("2") > version_key("1.10") > version_key("1.9") > version_key("1")


def test_cli_export_and_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from perfeval_desktop.cli import main

    _design("1")
    assert main(["export-template", "county_form", "-o", str(tmp_path)]) == 0
    pft = tmp_path / "county_form.pft"
    assert pft.is_file()
    _other_basedir(tmp_path, "乡镇")
    assert main(["import-template", str(pft)]) == 0
    assert "已安装表样“县表样”" in capsys.readouterr().out
    assert main(["import-template", str(pft)]) == 0  # the same version again: asks
    out = capsys.readouterr().out
    assert "仍要替换吗" in out and "--yes" in out
    assert main(["import-template", str(pft), "--yes"]) == 0
    assert main(["import-template", str(tmp_path / "无.pft")]) == 2
    assert "找不到表样文件" in capsys.readouterr().err
