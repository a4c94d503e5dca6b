"""The CLI verbs of #14 end to end: new --from, import, library search/add/export/import."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from perfeval_desktop.cli import main
from perfeval_desktop.storage.pfe import load

ROOT = Path(__file__).resolve().parents[2]
GD = ROOT / "resources" / "samples" / "gd_yuancheng_medical_aid_2021.pfe"


def test_library_search_add_export_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["library", "search", "xsyljz"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("医疗救助｜产出指标／数量指标／享受医疗救助人次｜性质 ≥｜指标值 ≥50000人次")
    assert "出处：霍山县" in printed and "ahhuoshan.gov.cn" in printed
    report = tmp_path / "报告.pfe"
    shutil.copy(GD, report)
    assert main(["library", "add", str(report), "xsyljz", "yljzhgl", "lyl"]) == 0
    assert capsys.readouterr().out.count("已插入：") == 3
    quantity = load(report).indicators[0].children[0]
    assert [c.name for c in quantity.children][-2:] == ["享受医疗救助人次", "列养率"]
    assert report.with_suffix(".pfe.bak").exists()
    assert main(["library", "add", str(report), "没有这个指标qqq"]) == 2
    assert "报告未改动" in capsys.readouterr().err
    assert main(["library", "add", str(report), "lxyjcfx", "--group"]) == 0  # 立项依据充分性
    assert load(report).indicators[-1].name == "决策"
    exported = tmp_path / "指标库.json"
    assert main(["library", "export", str(exported)]) == 0 and exported.exists()
    assert main(["library", "import", str(exported)]) == 0
    assert "已导入 0 条" in capsys.readouterr().out.splitlines()[-1]
