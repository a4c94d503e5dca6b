"""指标库: the built-in entries name their sources; search by name, pinyin initials and
category; the clerk's own library in plain files, exported and imported as one file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from perfeval_desktop import paths
from perfeval_desktop.library import (
    LibraryEntry,
    LibraryIndex,
    export_library,
    import_library,
    initials,
    load_builtin,
    load_library,
    remember_report,
    save_own,
)
from perfeval_desktop.library.insert import insert_entries
from perfeval_desktop.library.store import LibraryError
from perfeval_desktop.model.report import iter_nodes
from perfeval_desktop.storage.pfe import load
from perfeval_desktop.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
GD = ROOT / "resources" / "samples" / "gd_yuancheng_medical_aid_2021.pfe"
YN = ROOT / "resources" / "samples" / "yn_wuhua_payables_2024.pfe"
KINDS = {"医疗救助", "城乡居民医保补助", "医保基金监管", "农村道路养护", "农田水利", "义务教育",
         "乡村振兴衔接资金", "环境整治", "公共卫生", "共性指标"}


def test_builtin_entries_name_their_sources() -> None:
    entries = load_builtin()
    assert {e.kind for e in entries} == KINDS  # 养老服务: no public source found, left out
    assert len({e.key for e in entries}) == len(entries)
    for entry in entries:
        assert entry.source and entry.l1 and entry.l2 and entry.name, entry
        assert entry.nature in ("≥", "=", "≤", "定性", "")
    gov = [e for e in entries if ".gov.cn" in e.source]
    assert len(gov) >= 30
    seeds = [e for e in entries if "本项目种子" in e.source]
    assert {e.kind for e in seeds} >= {"医疗救助", "医保基金监管", "共性指标"}


def test_pinyin_initials() -> None:
    assert initials("预算执行率") == "yszxl"
    assert initials("“一站式”即时结算覆盖地区") == "yzsjsjsfgdq"
    assert initials("0-6岁儿童健康管理数") == "06setjkgls"
    assert initials("abc") == "abc"


def test_search_by_name_initials_and_category() -> None:
    index = LibraryIndex(load_builtin())
    assert index.search("xsyljz")[0].name == "享受医疗救助人次"
    assert {"预算执行率", "政策知晓率"} <= {e.name for e in index.search("zxl")}
    assert index.search("满意度")[0].name.endswith("满意度")
    assert {e.kind for e in index.search("义务教育")} == {"义务教育"}
    found = index.search("myd", kind="义务教育")
    assert {e.name for e in found} == {"学生满意度", "家长满意度", "学生家长满意度", "学校满意度"}
    assert index.search("产出 hgl")  # every word must match: category and initials
    assert index.search("没有这个指标qqqq") == []


def test_own_library_files_export_and_import(tmp_path: Path) -> None:
    entry = LibraryEntry(kind="本单位指标", l1="产出指标", l2="数量指标", name="走访慰问困难群众户数",
                         nature="≥", target="≥120户", unit="户", source="某镇（2024年度报告）",
                         origin="own")
    assert save_own([entry]) == 1 and save_own([entry]) == 0
    own = paths.data_dir() / "library" / "own.json"
    assert json.loads(own.read_text(encoding="utf-8"))["entries"][0]["name"] == "走访慰问困难群众户数"
    assert load_library().index().search("zfwwkn")[0].name == "走访慰问困难群众户数"
    exported = tmp_path / "指标库.json"
    assert export_library(exported) == 1
    own.unlink()
    assert load_library().own == []
    assert import_library(exported) == 1
    assert load_library().own[0].source == "某镇（2024年度报告）"
    bad = tmp_path / "坏.json"
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(LibraryError, match="不是本程序的指标库文件"):
        import_library(bad)


def test_opened_reports_are_offered() -> None:
    report = load(YN)
    assert remember_report(report, YN.name) > 0
    found = load_library().index().search("yfsxwcl")
    assert found[0].name == "应付事项完成率" and found[0].source == f"报告：{YN.name}"
    assert remember_report(report, YN.name) == 0


def test_insert_leaves_and_groups_one_undo_step_each() -> None:
    ws = Workspace.open(GD)
    index = LibraryIndex(load_builtin())
    picked = [index.search(q)[0] for q in ("xsyljz", "yljzhgl", "lyl")]
    before = ws.report.model_copy(deep=True)
    batch, ids = insert_entries(ws.report, picked)
    ws.execute(batch)
    placed = {n.id: p for p, _lv, n in iter_nodes(ws.report.indicators)}
    assert set(ids) <= set(placed)
    quantity = ws.report.indicators[0].children[0]
    assert [c.name for c in quantity.children][-2:] == ["享受医疗救助人次", "列养率"]
    leaf = quantity.children[-2]
    assert leaf.target_text == "≥50000人次" and leaf.unit == "人次" and leaf.method.kind == "compare"
    ws.undo()
    assert ws.report == before
    # a whole 二级 group of another 一级 name (决策) comes with a new 一级
    group = [e for e in index.entries if e.kind == "共性指标" and e.l2 == "项目立项"]
    batch, _ids = insert_entries(ws.report, group)
    ws.execute(batch)
    assert ws.report.indicators[-1].name == "决策"
    assert [c.name for c in ws.report.indicators[-1].children[0].children] == [
        "立项依据充分性", "立项程序规范性"]
    # under a chosen 二级
    target = ws.report.indicators[1].children[0]
    batch, _ids = insert_entries(ws.report, picked[:1], under=target.id)
    ws.execute(batch)
    assert target.children[-1].name == "享受医疗救助人次"
