"""汇总: reading, scoring, duplicates, unreadable files, 汇总.xlsx and the CLI."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from perfeval_desktop.cli import main
from perfeval_desktop.rollup import Cancelled, collect
from perfeval_desktop.rollup.figures import grade_counts, rate_buckets, unit_scores
from perfeval_desktop.rollup.generate import generate_folder
from perfeval_desktop.rollup.workbook import write_rollup
from perfeval_desktop.storage import pfe

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
GD = SAMPLES / "gd_yuancheng_medical_aid_2021.pfe"


@pytest.fixture
def received(tmp_path: Path) -> Path:
    """Two units' folders: the 广东 sample, a copy of it (duplicate), the 云南 sample, a
    damaged file and a report of a template nobody installed."""
    root = tmp_path / "收到的报告"
    (root / "甲").mkdir(parents=True)
    (root / "乙").mkdir()
    shutil.copy(GD, root / "甲" / "源城.pfe")
    shutil.copy(GD, root / "乙" / "源城（重发）.pfe")
    shutil.copy(SAMPLES / "yn_wuhua_payables_2024.pfe", root / "乙" / "五华.pfe")
    (root / "甲" / "坏.pfe").write_text('{"schema_version": 1, "meta": ', encoding="utf-8")
    alien = pfe.load(GD)
    alien.meta.template_id = "no_such_form"
    alien.project.name = "别的项目"
    (root / "乙" / "外地.pfe").write_text(pfe.dumps(alien), encoding="utf-8")
    return root


def test_each_report_scored_with_its_own_template(received: Path) -> None:
    result = collect([received])
    by_name = {r.path.name: r for r in result.rows}
    assert set(by_name) == {"源城.pfe", "源城（重发）.pfe", "五华.pfe"}
    gd = by_name["源城.pfe"]
    # seed 002 by hand: 701.23 / 1155.5 = 60.69 %, 执行率得分 6 of 10, total 94, 良 (capped)
    assert gd.template_id == "mof_self_eval_gd"
    assert gd.annual_budget == Decimal("1155.5") and gd.executed == Decimal("701.23")
    assert gd.execution_rate == Decimal("701.23") / Decimal("1155.5")
    assert gd.total == Decimal(94) and gd.grade == "良" and gd.capped
    assert "低于90%" in gd.cap_reason
    yn = by_name["五华.pfe"]
    assert yn.template_id == "yunnan_dept_eval" and yn.total == Decimal(100)
    assert yn.grade == "优" and not yn.capped


def test_duplicates_and_unreadable_are_listed_with_reasons(received: Path) -> None:
    result = collect([received])
    [dup] = result.duplicates
    assert {p.name for p in dup.paths} == {"源城.pfe", "源城（重发）.pfe"}
    assert "2 份报告" in dup.reason and "医疗救助补助资金" in dup.reason
    later = [r for r in result.rows if r.duplicate_of is not None]
    assert len(later) == 1 and len(result.counted) == 2
    reasons = {u.path.name: u.reason for u in result.unreadable}
    assert set(reasons) == {"坏.pfe", "外地.pfe"}
    assert "截断" in reasons["坏.pfe"] or "不完整" in reasons["坏.pfe"]
    assert "no_such_form" in reasons["外地.pfe"] and "导入表样" in reasons["外地.pfe"]
    # every file found is either a row or an unreadable entry: nothing dropped
    assert len(result.rows) + len(result.unreadable) == len(list(received.rglob("*.pfe")))


def test_progress_and_cancel(received: Path) -> None:
    seen: list[tuple[int, int]] = []
    collect([received], progress=lambda i, n, _p: seen.append((i, n)))
    assert seen == [(i, 5) for i in range(5)]  # told before each file
    with pytest.raises(Cancelled):
        collect([received], cancelled=lambda: len(seen) > 6,
                progress=lambda i, n, _p: seen.append((i, n)))


def test_missing_folder_is_reported(tmp_path: Path) -> None:
    result = collect([tmp_path / "没有这个文件夹"])
    assert result.rows == [] and "不存在" in result.unreadable[0].reason


def test_figures_by_hand(tmp_path: Path) -> None:
    generate_folder(tmp_path, 24)
    rows = collect([tmp_path]).counted
    counts = grade_counts(rows)
    assert list(counts)[:4] == ["优", "良", "中", "差"] and sum(counts.values()) == 24
    buckets = rate_buckets(rows)
    assert sum(b.count for b in buckets) == sum(1 for r in rows if r.execution_rate is not None)
    below = sum(1 for r in rows if r.execution_rate is not None and r.execution_rate < Decimal("0.9"))
    assert sum(b.count for b in buckets if b.below_line) == below
    units = unit_scores(rows)
    for u in units:
        totals = [r.total for r in rows if r.unit == u.unit]
        assert u.count == len(totals) and u.lowest == min(totals)
        assert abs(u.average - sum(totals) / len(totals)) <= Decimal("0.005")


def test_workbook_reopened(received: Path, tmp_path: Path) -> None:
    result = collect([received])
    out = tmp_path / "汇总.xlsx"
    write_rollup(result, out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["汇总表", "等次分布", "执行率分布", "各单位得分", "问题清单", "重复与无法读取"]
    table = wb["汇总表"]
    assert table["B2"].value == "单位" and table["H2"].value == "执行率"
    rows = list(table.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 3
    gd = next(r for r in rows if r[15] == str(Path("甲") / "源城.pfe"))
    assert gd[8] == 94 and gd[9] == "良" and gd[10] == "是"
    assert abs(gd[7] - 701.23 / 1155.5) < 1e-9
    assert any(r[13] and "重复" in r[13] for r in rows)
    assert len(wb["等次分布"]._charts) == 1  # type: ignore[attr-defined]
    assert len(wb["执行率分布"]._charts) == 2  # type: ignore[attr-defined]
    assert len(wb["各单位得分"]._charts) == 1  # type: ignore[attr-defined]
    problems = list(wb["问题清单"].iter_rows(min_row=3, values_only=True))
    assert len(problems) == sum(r.error_count for r in result.rows)
    listed = [r[1] for r in wb["重复与无法读取"].iter_rows(min_row=3, values_only=True)]
    assert str(Path("甲") / "坏.pfe") in listed and str(Path("乙") / "外地.pfe") in listed
    assert sum(1 for x in listed if "源城" in str(x)) == 2


def test_cli_rollup(received: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "汇总.xlsx"
    assert main(["rollup", str(received), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert "已汇总 3 份报告" in captured.out
    assert "无法读取" in captured.err and "重复" in captured.err
    assert load_workbook(out)["汇总表"]["A3"].value == 1
    assert main(["rollup", str(received), "-o", str(tmp_path / "汇总.csv")]) == 2
    assert ".xlsx" in capsys.readouterr().err
    empty = tmp_path / "空"
    empty.mkdir()
    assert main(["rollup", str(empty), "-o", str(out)]) == 2


def test_filled_workbooks_read_through_the_importer(tmp_path: Path) -> None:
    from perfeval_desktop.export import export_report
    from perfeval_desktop.templates.loader import load_template

    folder = tmp_path / "收到"
    folder.mkdir()
    report = pfe.load(GD)
    [xlsx] = export_report(report, load_template(report.meta.template_id), folder,
                           formats=("xlsx",))
    shutil.copy(SAMPLES / "yn_wuhua_payables_2024.pfe", folder / "五华.pfe")
    (folder / "~$锁定.xlsx").write_bytes(b"lock")  # Office's lock file: not a report
    (folder / "随便.xlsx").write_bytes(b"not a workbook")
    out = folder / "汇总.xlsx"
    assert len(collect([folder]).rows) == 1  # .pfe only unless asked
    write_rollup(collect([folder]), out)
    result = collect([folder], workbooks=True)  # never 汇总.xlsx itself
    by_name = {r.path.name: r for r in result.rows}
    assert set(by_name) == {xlsx.name, "五华.pfe"}
    row = by_name[xlsx.name]
    # the exported 自评表 read back scores as the report did: 94, 良 (capped at 60.69 %)
    assert row.template_id == "mof_self_eval_gd" and row.total == Decimal(94)
    assert row.grade == "良" and row.capped and "由 Excel 自评表" in row.notes[0]
    assert [u.path.name for u in result.unreadable] == ["随便.xlsx"]


def test_own_files_never_read_as_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                         ) -> None:
    """An earlier 汇总.xlsx under any name or folder, an export's temp file and staging
    folder are the program's own files: the roll-up (library and CLI alike) skips them."""
    from perfeval_desktop.export import export_report
    from perfeval_desktop.export.staged import stage_export
    from perfeval_desktop.templates.loader import load_template

    folder = tmp_path / "收到"
    (folder / "旧").mkdir(parents=True)
    shutil.copy(GD, folder / "源城.pfe")
    report = pfe.load(SAMPLES / "yn_wuhua_payables_2024.pfe")
    template = load_template(report.meta.template_id)
    [sheet] = export_report(report, template, folder, formats=("xlsx",))
    write_rollup(collect([folder]), folder / "旧" / "去年的汇总.xlsx")
    staged = stage_export(report, template, folder, ("xlsx",))  # left by a crash
    shutil.copy(sheet, folder / ".~导出abc.xlsx")  # an export's unfinished temp file
    shutil.copy(GD, staged.folder / "源城.pfe")
    result = collect([folder], workbooks=True)
    assert sorted(r.path.name for r in result.rows) == sorted([sheet.name, "源城.pfe"])
    assert result.unreadable == [] and result.duplicates == []
    out = tmp_path / "汇总.xlsx"
    assert main(["rollup", str(folder), "--xlsx", "-o", str(out)]) == 0
    assert "已汇总 2 份报告" in capsys.readouterr().out
    # the CLI writing into the folder it reads, twice: the second run does not read the first
    inside = folder / "汇总.xlsx"
    for _ in range(2):
        assert main(["rollup", str(folder), "--xlsx", "-o", str(inside)]) == 0
        assert "已汇总 2 份报告" in capsys.readouterr().out
    # named on the command line, 汇总.xlsx is still not a report
    assert collect([inside], workbooks=True).rows == []
