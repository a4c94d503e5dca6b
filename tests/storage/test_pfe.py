"""``.pfe`` files: exact round trips, atomic saves with a backup, and clear errors on load."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import reports, texts

from perfeval_desktop.errors import NewerVersionError, ProjectFileError, SaveError
from perfeval_desktop.model.report import (
    SCHEMA_VERSION,
    Amounts,
    CompareMethod,
    FundingKind,
    FundingTable,
    IndicatorNode,
    ManualMethod,
    Meta,
    Nature,
    ProjectInfo,
    Report,
)
from perfeval_desktop.model.text import clean_tree
from perfeval_desktop.storage import pfe

Edit = Callable[[dict[str, Any]], object]
NAME = "2023年乡村教师培训项目.pfe"


def sample_report(project: str = "2023年乡村教师培训项目") -> Report:
    return Report(
        meta=Meta(year=2023, unit="某某县教育体育局", filler="李四", template_id="yunnan_dept_eval",
                  fill_date=dt.date(2024, 3, 15)),
        project=ProjectInfo(name=project, department="某某县教育体育局"),
        funding=FundingTable(
            total=Amounts(annual_budget=Decimal("130.00"), executed=Decimal("118.25")),
            by_kind={FundingKind.APPROPRIATION: Amounts(annual_budget=Decimal("130.00"))},
        ),
        indicators=[
            IndicatorNode(
                id="a1",
                name="产出指标",
                weight=Decimal("50"),
                children=[
                    IndicatorNode(
                        id="a1b1",
                        name="数量指标",
                        children=[
                            IndicatorNode(
                                id="a1b1c1",
                                name="培训教师人数",
                                weight=Decimal("10"),
                                target_text="≥200",
                                unit="人次",
                                method=CompareMethod(nature=Nature.HIGHER, target=Decimal("200"),
                                                     actual=Decimal("215")),
                            ),
                            IndicatorNode(
                                id="a1b1c2",
                                name="培训合格率",
                                weight=Decimal("10"),
                                method=ManualMethod(score=Decimal("9.5")),
                            ),
                        ],
                    )
                ],
            )
        ],
        sections={"overview": "项目概况：为全县乡村教师提供“送培到校”服务。"},
        suggestions="建议提前下达资金。",
    )  # fmt: skip


def saved(tmp_path: Path, report: Report | None = None) -> Path:
    path = tmp_path / NAME
    pfe.save(report or sample_report(), path)
    return path


def folder_listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


# --- format and round trip ---------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(report=reports(text=texts(xml_safe=False)))
def test_save_then_load_gives_the_same_report(
    report: Report, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("rt") / "r.pfe"
    pfe.save(report, path)
    # exact, except for control characters, which loading removes (issue #13 §4)
    data = report.model_dump(mode="json")
    cleaned = clean_tree(data)
    expected = Report.model_validate(data).model_dump()
    # (compared as dumps: a loaded report also says which fields were cleaned, C005)
    assert pfe.load(path).model_dump() == expected
    assert pfe.loads(pfe.dumps(report)).model_dump() == expected
    assert bool(pfe.read(path).notes) == bool(cleaned)


def test_file_is_indented_utf8_json_with_chinese_unescaped(tmp_path: Path) -> None:
    path = saved(tmp_path)
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    assert text == pfe.dumps(sample_report())
    assert text.startswith('{\n  "schema_version": 2,\n')
    assert text.endswith("}\n")
    assert "培训教师人数" in text and "\\u" not in text
    assert '"executed": "118.25"' in text  # amounts are exact strings
    assert json.loads(text) == sample_report().model_dump(mode="json")


def test_byte_order_mark_from_notepad_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes(b"\xef\xbb\xbf" + pfe.dumps(sample_report()).encode("utf-8"))
    assert pfe.load(path) == sample_report()


def test_backup_keeps_the_previous_version(tmp_path: Path) -> None:
    path = tmp_path / NAME
    bak = pfe.backup_path(path)
    assert bak.name == NAME + ".bak"
    first, second, third = (sample_report(f"项目{i}") for i in range(3))
    pfe.save(first, path)
    assert not bak.exists()
    pfe.save(second, path)
    assert pfe.load(bak) == first
    assert pfe.load(path) == second
    pfe.save(third, path)
    assert pfe.load(bak) == second
    assert pfe.load(path) == third
    assert folder_listing(tmp_path) == {NAME, NAME + ".bak"}  # no temporary files left


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_save_keeps_the_file_permissions(tmp_path: Path) -> None:
    path = saved(tmp_path)
    os.chmod(path, 0o640)
    pfe.save(sample_report("改"), path)
    assert path.stat().st_mode & 0o777 == 0o640
    assert (tmp_path / "new.pfe").exists() is False
    pfe.save(sample_report(), tmp_path / "new.pfe")
    assert (tmp_path / "new.pfe").stat().st_mode & 0o777 == 0o644


# --- damaged files -------------------------------------------------------------------


def assert_loads_or_clean_error(path: Path) -> Report | None:
    """The property every byte content must have: a valid Report or a ProjectFileError."""
    try:
        report = pfe.load(path)
    except ProjectFileError as exc:
        assert exc.message and str(path) in exc.message
        return None
    assert Report.model_validate(report.model_dump()) == report
    return report


def test_every_truncation_is_a_clear_error(tmp_path: Path) -> None:
    full = saved(tmp_path).read_bytes()
    cut = tmp_path / "cut.pfe"
    complete = 0
    for length in range(len(full)):
        cut.write_bytes(full[:length])
        if full[:length].rstrip() == full.rstrip():  # only the trailing newline is cut
            assert pfe.load(cut) == sample_report()
            complete += 1
            continue
        with pytest.raises(ProjectFileError) as info:
            pfe.load(cut)
        assert str(cut) in info.value.message
    assert complete == 1
    cut.write_bytes(full[: len(full) // 2])
    with pytest.raises(ProjectFileError, match="截断"):
        pfe.load(cut)


def test_truncated_file_points_to_the_backup(tmp_path: Path) -> None:
    path = saved(tmp_path)
    pfe.save(sample_report("新"), path)
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(ProjectFileError, match=f"可尝试打开备份文件 {NAME}.bak"):
        pfe.load(path)


_edits = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10**6), st.integers(0, 7)),
    st.tuples(st.just("replace"), st.integers(0, 10**6), st.integers(0, 255)),
    st.tuples(st.just("insert"), st.integers(0, 10**6), st.integers(0, 255)),
    st.tuples(st.just("delete"), st.integers(0, 10**6), st.integers(1, 40)),
)


def corrupt(data: bytes, edits: list[tuple[str, int, int]]) -> bytes:
    buf = bytearray(data)
    for op, where, arg in edits:
        i = where % (len(buf) + 1)
        if op == "insert":
            buf.insert(i, arg)
        elif i < len(buf):
            if op == "flip":
                buf[i] ^= 1 << arg
            elif op == "replace":
                buf[i] = arg
            else:
                del buf[i : i + arg]
    return bytes(buf)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(_edits, min_size=1, max_size=6))
def test_corrupted_bytes_give_a_report_or_a_clear_error(
    edits: list[tuple[str, int, int]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("bad")
    original = pfe.dumps(sample_report()).encode("utf-8")
    path = folder / NAME
    path.write_bytes(corrupt(original, edits))
    assert_loads_or_clean_error(path)


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=300) | st.text(max_size=100).map(str.encode))
def test_arbitrary_bytes_give_a_report_or_a_clear_error(
    data: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("junk") / NAME
    path.write_bytes(data)
    assert_loads_or_clean_error(path)


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000,
        '{"a":' * 100_000,
        '{"schema_version":1,"meta":{"template_id":"t"},"indicators":['
        + '{"children":[' * 600
        + "]}" * 600
        + "]}",
        '{"schema_version": 1, "meta": {"template_id": "t", "year": 1' + "0" * 5000 + "}}",
        '{"schema_version": 1, "meta": {"template_id": "t"}, "goals": NaN}',
        '{"schema_version": 1, "meta": {"template_id": "t", "year": 1e999}}',
    ],
    ids=["deep-array", "deep-object", "deep-indicators", "huge-int", "nan", "huge-float"],
)
def test_pathological_json_is_a_clear_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / NAME
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProjectFileError) as info:
        pfe.load(path)
    assert str(path) in info.value.message


def test_loading_never_writes(tmp_path: Path) -> None:
    path = saved(tmp_path)
    pfe.save(sample_report("新"), path)
    path.write_bytes(b'{"schema_version": 1, "meta": ')
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in tmp_path.iterdir()}
    with pytest.raises(ProjectFileError):
        pfe.load(path)
    pfe.load(pfe.backup_path(path))
    after = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in tmp_path.iterdir()}
    assert after == before


# --- messages ------------------------------------------------------------------------


def write_json(tmp_path: Path, data: object) -> Path:
    path = tmp_path / NAME
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_newer_version_asks_to_upgrade(tmp_path: Path) -> None:
    data = sample_report().model_dump(mode="json")
    data["schema_version"] = SCHEMA_VERSION + 6
    data["a_field_from_the_future"] = {"x": 1}
    path = write_json(tmp_path, data)
    with pytest.raises(NewerVersionError) as info:
        pfe.load(path)
    message = info.value.message
    assert f"文件版本 {SCHEMA_VERSION + 6}" in message
    assert f"本程序支持 {SCHEMA_VERSION}" in message
    assert "请升级绩效自评填报助手后再打开" in message and NAME in message
    assert isinstance(info.value, ProjectFileError)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["meta"].update(year="二〇二三"), ["meta.year（年度）", "应为整数"]),
        (lambda d: d["meta"].pop("template_id"), ["meta.template_id（模板）", "缺少此项"]),
        (
            lambda d: d["funding"]["total"].update(executed="一百万"),
            ["funding.total.executed（全年执行数）", "应为数字"],
        ),
        (
            lambda d: d["indicators"][0]["children"][0]["children"][0]["method"].update(
                kind="abc"
            ),
            ["indicators[0].children[0].children[0].method", "计分方式“abc”无法识别", "compare"],
        ),
        (
            lambda d: d["indicators"][0]["children"][0]["children"][0]["method"].update(
                actual="很多"
            ),
            ["indicators[0].children[0].children[0].method.actual", "应为数字"],
        ),
        (lambda d: d.update(remarks="备注"), ["remarks", "不认识"]),
        (lambda d: d["funding"]["by_kind"].update(乡镇资金={}), ["funding.by_kind[乡镇资金]"]),
        (lambda d: d.update(indicators={}), ["indicators", "应为列表"]),
    ],
    ids=["year", "template", "amount", "method-kind", "method-figure", "extra", "key", "list"],
)
def test_wrong_schema_names_the_field(tmp_path: Path, change: Edit, expected: list[str]) -> None:
    data = sample_report().model_dump(mode="json")
    change(data)
    path = write_json(tmp_path, data)
    with pytest.raises(ProjectFileError) as info:
        pfe.load(path)
    assert not isinstance(info.value, NewerVersionError)
    message = info.value.message
    assert NAME in message and "不是有效的绩效自评报告" in message
    for part in expected:
        assert part in message


def test_many_schema_errors_are_summarised(tmp_path: Path) -> None:
    data = sample_report().model_dump(mode="json")
    data.update({f"extra{i}": i for i in range(9)})
    with pytest.raises(ProjectFileError, match=r"共 9 处问题[\s\S]*另有 4 处问题未列出"):
        pfe.load(write_json(tmp_path, data))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "是空的"),
        (b"  \n", "是空的"),
        (b"[1, 2]", "不是绩效自评报告文件"),
        ('"报告"'.encode(), "不是绩效自评报告文件"),
        (b'{"meta": {"template_id": "t"}}', "缺少版本号（schema_version）"),
        (b'{"schema_version": "1", "meta": {}}', "版本号（schema_version）应为整数"),
        (b'{"schema_version": true, "meta": {}}', "版本号（schema_version）应为整数"),
        ('{"schema_version": 1, "meta": {"unit": "县财政局"}}'.encode("gbk"), "不是 UTF-8"),
        (b'{"schema_version": 1,, }', "第 1 行第 22 列"),
    ],
)
def test_damaged_file_messages(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / NAME
    path.write_bytes(content)
    with pytest.raises(ProjectFileError) as info:
        pfe.load(path)
    assert expected in info.value.message
    assert str(path) in info.value.message


def test_loads_names_the_source() -> None:
    with pytest.raises(ProjectFileError, match=r"项目文件“报告\.pfe”"):
        pfe.loads("{", source="报告.pfe")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "不存在.pfe"
    with pytest.raises(ProjectFileError, match="找不到项目文件") as info:
        pfe.load(path)
    assert str(path) in info.value.message
    assert not path.exists()


def test_folder_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(ProjectFileError, match="文件夹"):
        pfe.load(tmp_path)


# --- failed saves --------------------------------------------------------------------


def test_failed_rename_keeps_the_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = saved(tmp_path)
    original = path.read_bytes()
    real_replace = os.replace

    def refuse(src: str, dst: str) -> None:
        if Path(dst) == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(SaveError) as info:
        pfe.save(sample_report("新内容"), path)
    assert NAME in info.value.message and "权限" in info.value.message
    assert path.read_bytes() == original
    assert folder_listing(tmp_path) <= {NAME, NAME + ".bak"}
    assert pfe.load(path) == sample_report()


def test_disk_full_while_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = saved(tmp_path)
    original = path.read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(SaveError, match="磁盘空间不足"):
        pfe.save(sample_report("新内容"), path)
    assert path.read_bytes() == original
    assert folder_listing(tmp_path) == {NAME}


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(SaveError, match="不存在") as info:
        pfe.save(sample_report(), tmp_path / "没有这个文件夹" / NAME)
    assert "没有这个文件夹" in info.value.message


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "只读"
    folder.mkdir()
    path = saved(folder)
    original = path.read_bytes()
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running with privileges that ignore folder permissions (root)")
        with pytest.raises(SaveError, match="另存为"):
            pfe.save(sample_report("新内容"), path)
        assert path.read_bytes() == original
        assert folder_listing(folder) == {NAME}
    finally:
        folder.chmod(0o755)


def test_windows_lock_message_mentions_wps(monkeypatch: pytest.MonkeyPatch) -> None:
    exc = PermissionError(errno.EACCES, "另一个程序正在使用此文件，进程无法访问。")
    target = Path("/报告/a.pfe")
    with monkeypatch.context() as m:
        m.setattr(os, "name", "nt")
        message = pfe._save_message(target, exc)
    assert "请关闭 WPS/Excel 中打开的该文件后重试" in message
    assert "a.pfe" in message


def test_a_rate_linked_to_funding_round_trips_and_older_files_load(tmp_path: Path) -> None:
    """``RateMethod.source`` (issue #12): saved and read back; a file written before it
    existed (no such key) opens with the typed amounts as they were."""
    from perfeval_desktop.model.report import RateMethod

    report = sample_report()
    leaf = report.indicators[0].children[0].children[0]
    leaf.method = RateMethod(source="executed", target_rate=Decimal("0.95"))
    path = tmp_path / NAME
    pfe.save(report, path)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["indicators"][0]["children"][0]["children"][0]["method"]["source"] == "executed"
    assert pfe.load(path) == report

    leaf.method = RateMethod(numerator=Decimal("9"), denominator=Decimal("10"))
    pfe.save(report, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["indicators"][0]["children"][0]["children"][0]["method"]["source"]  # as an older version wrote
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    method = pfe.load(path).indicators[0].children[0].children[0].method
    assert isinstance(method, RateMethod) and method.source is None
    assert (method.numerator, method.denominator) == (Decimal("9"), Decimal("10"))
