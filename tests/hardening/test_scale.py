"""Issue #13 §11: the speed-ups of ``check`` keep every result exactly (the time itself is
measured by ``make bench``: check_100000)."""

from __future__ import annotations

import gc
import json
from decimal import Decimal as D
from pathlib import Path

import pytest

from perfeval_desktop.gcpause import gc_paused
from perfeval_desktop.model.numbers import Figure, normalize, parse_figure
from perfeval_desktop.model.report import IndicatorNode, Report, repair_duplicate_ids
from perfeval_desktop.storage import pfe
from perfeval_desktop.storage.pfe import _parse_fast

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "resources" / "samples").glob("*.pfe"))


def _slow(text: str) -> Report:
    """The long way: json.loads with exact Decimals, then pydantic over the dicts."""
    data = json.loads(text, parse_float=D)
    return Report.model_validate(data)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_fast_read_equals_the_long_way(sample: Path) -> None:
    text = sample.read_text(encoding="utf-8")
    fast = _parse_fast(text)
    assert fast is not None, "a file as save() writes it takes the fast path"
    assert fast == _slow(text)
    # … and so does reading the file's bytes (read() hands them to pydantic), BOM or not
    raw = text.encode("utf-8")
    assert _parse_fast(text, raw) == fast
    assert _parse_fast(text, b"\xef\xbb\xbf" + raw) == fast  # (Notepad's byte-order mark)


def test_repeated_figures_are_checked_once_and_refusals_every_time() -> None:
    """model/limits.py hands out the same Decimal for a text it has checked for that kind of
    figure; a text refused is refused again each time, with pydantic's own error."""
    from pydantic import ValidationError

    first = IndicatorNode.model_validate_json('{"weight": "12.5", "deduction": "12.5"}')
    again = IndicatorNode.model_validate_json('{"weight": "12.5"}')
    assert first.weight == again.weight == first.deduction == D("12.5")
    for _ in range(2):
        with pytest.raises(ValidationError) as refused:
            IndicatorNode.model_validate_json('{"weight": "12.1234567"}')  # 7 decimals
        assert refused.value.errors()[0]["type"] == "decimal_max_places"
        with pytest.raises(ValidationError) as refused:
            IndicatorNode.model_validate_json('{"weight": "10001"}')  # over 10⁴
        assert refused.value.errors()[0]["type"] == "less_than_equal"
    # a score of 10001 is refused, an amount of 10001 (another kind, another limit) is not
    from perfeval_desktop.model.report import Amounts

    assert Amounts.model_validate_json('{"executed": "10001"}').executed == D(10001)


def _with_weight(raw: str) -> str:
    text = SAMPLES[0].read_text(encoding="utf-8")
    data = json.loads(text)
    data["indicators"][0]["children"][0]["children"][0]["weight"] = "@@"
    return json.dumps(data, ensure_ascii=False, indent=1).replace('"@@"', raw)


@pytest.mark.parametrize("raw", ["999999999999.999999", "1.10", "2E+1", "-0.5"])
def test_a_json_float_goes_the_exact_way(raw: str, tmp_path: Path) -> None:
    """pydantic reads a JSON float through a C double (999999999999.999999 would become
    10¹²): such a file takes the long way, which keeps every digit."""
    data = json.loads(SAMPLES[0].read_text(encoding="utf-8"))
    data["funding"]["total"]["executed"] = "@@"
    text = json.dumps(data, ensure_ascii=False, indent=1).replace('"@@"', raw)
    assert _parse_fast(text) is None
    path = tmp_path / "float.pfe"
    path.write_text(text, encoding="utf-8")
    executed = pfe.load(path).funding.total.executed
    assert executed == D(raw)
    assert str(executed) == str(D(raw))


def test_control_characters_and_old_versions_go_the_long_way(tmp_path: Path) -> None:
    text = SAMPLES[0].read_text(encoding="utf-8")
    data = json.loads(text)
    data["project"]["name"] = "项目\u0007名称"
    with_bell = json.dumps(data, ensure_ascii=False)
    assert _parse_fast(with_bell) is None
    path = tmp_path / "bell.pfe"
    path.write_text(with_bell, encoding="utf-8")
    loaded = pfe.read(path)
    assert loaded.report.project.name == "项目名称"
    assert any("控制字符" in note for note in loaded.notes)
    del data["schema_version"]
    assert _parse_fast(json.dumps(data, ensure_ascii=False)) is None
    data["schema_version"] = 99
    assert _parse_fast(json.dumps(data, ensure_ascii=False)) is None


def test_a_file_with_a_bad_field_is_named_the_long_way(tmp_path: Path) -> None:
    path = tmp_path / "bad.pfe"
    path.write_text(_with_weight('"1E+30"'), encoding="utf-8")
    with pytest.raises(pfe.ProjectFileError) as info:
        pfe.load(path)
    assert "分值" in info.value.message


def test_gc_paused_restores_the_collector() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block leaves it to the outer one
    assert gc.isenabled()
    with pytest.raises(ValueError), gc_paused():
        raise ValueError
    assert gc.isenabled()


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_gc_paused_keeps_no_garbage_for_good() -> None:
    """A cycle that became garbage before a read is still collected after it (a frozen
    one never was: closed windows kept their autosave locks and memory in a long run)."""
    import weakref

    cycle = _Cycle()
    ref = weakref.ref(cycle)
    del cycle
    with gc_paused():
        pass
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert ref() is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("≥95%", Figure("≥", D(95), "%")),
        ("不低于 3,000 人次", Figure("≥", D(3000), "人次")),
        ("大于等于１２件", Figure("≥", D(12), "件")),
        ("不超过5天", Figure("≤", D(5), "天")),
        ("达到100%", Figure("≥", D(100), "%")),
        ("<= 2.5 小时", Figure("≤", D("2.5"), "小时")),
        ("3583人次", Figure("", D(3583), "人次")),
        ("按时完成", None),
        ("", None),
    ],
)
def test_parse_figure_after_the_fast_paths(text: str, expected: Figure | None) -> None:
    assert parse_figure(text) == expected
    assert parse_figure(text) == expected  # (cached: the same answer twice)


@pytest.mark.parametrize(
    ("text", "expected"),
    [(" 1 234.5 ", "1234.5"), ("１，２３４．５", "1,234.5"), ("1\u3000000", "1000"), ("6−1", "6-1")],
)
def test_normalize_ascii_and_other_text(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_repair_duplicate_ids_fast_path_and_repair() -> None:
    leaves = [IndicatorNode(id="a", name="甲"), IndicatorNode(id="b", name="乙")]
    report = Report.model_validate(
        {"meta": {"template_id": "x"}, "indicators": [{"id": "top", "children": leaves}]}
    )
    assert repair_duplicate_ids(report) is None
    report.indicators[0].children[1].id = "a"
    note = repair_duplicate_ids(report)
    assert note is not None and "乙" in note
    assert report.indicators[0].children[0].id == "a"
    assert report.indicators[0].children[1].id not in ("a", "b", "top")
