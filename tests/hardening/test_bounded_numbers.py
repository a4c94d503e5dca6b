"""Issue #13 §1 and §7: every number is bounded, typed or read, and never blocks saving."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfeval_desktop.cli import main
from perfeval_desktop.errors import InputError, ProjectFileError
from perfeval_desktop.model.limits import LIMITS, MAX_DECIMALS
from perfeval_desktop.model.numbers import parse_number
from perfeval_desktop.model.report import IndicatorNode, ManualMethod
from perfeval_desktop.scoring.rounding import amount, percent, plain, round_half_up
from perfeval_desktop.storage import pfe

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "samples" / "gd_yuancheng_medical_aid_2021.pfe"


@pytest.mark.parametrize("text", ["1²", "①②", "⑩", "٣", "۳", "Ⅻ", "½", "१२", "𝟏𝟐", "1₂"])
def test_other_digit_forms_are_refused(text: str) -> None:
    with pytest.raises(InputError) as info:
        parse_number(text, "全年预算数", "amount")
    assert "全年预算数" in info.value.message
    assert "0–9" in info.value.message


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("１，２３４．５万元", "amount", D("1234.5")),
        ("1000000000000", "amount", D(10) ** 12),
        ("-1000000000000万元", "amount", -(D(10) ** 12)),
        ("0.000001", "amount", D("0.000001")),
        ("28,133.12元", "amount", D("2.813312")),
        ("10000", "score", D(10000)),
        ("3.5分", "score", D("3.5")),
        ("60.1234%", "rate", D("0.601234")),
    ],
)
def test_limits_are_inclusive(text: str, kind: str, expected: D) -> None:
    assert parse_number(text, "全年预算数", kind) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "kind", "fragment"),
    [
        ("1" * 27, "amount", "不能超过 1000000000000 万元"),
        ("1000000000000.01", "amount", "不能超过"),
        ("1" * 29 + ".5", "number", "不能超过"),  # was silently rounded to 28 digits
        ("10001", "score", "不能超过 10000"),
        ("1" * 26, "score", "不能超过"),
        ("0.0000001", "amount", "0.01 元"),
        ("2.123元", "amount", "0.01 元"),
        ("3.1234567", "score", "最多保留 6 位小数"),
        ("60.12345%", "rate", "4 位小数"),
        ("1" * 200, "amount", "太长"),
    ],
)
def test_out_of_range_is_refused_naming_the_field(text: str, kind: str, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        parse_number(text, "全年预算数", kind)  # type: ignore[arg-type]
    assert "全年预算数" in info.value.message
    assert fragment in info.value.message


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_parse_number_either_refuses_or_gives_a_bounded_value(text: str) -> None:
    for kind in ("amount", "rate", "number", "score"):
        try:
            value = parse_number(text, "字段", kind)  # type: ignore[arg-type]
        except InputError as exc:
            assert "字段" in exc.message
            continue
        if value is None:
            continue
        assert abs(value) <= LIMITS[kind]  # type: ignore[index]
        assert value.normalize().as_tuple().exponent >= -MAX_DECIMALS  # type: ignore[operator]
        assert all(ch in "0123456789０１２３４５６７８９" for ch in text if ch.isdigit())


def test_rounding_cannot_overflow_for_products_of_in_range_values() -> None:
    big = D(10) ** 12
    tiny = D("0.000001")
    rate = big / tiny  # 执行数 / 预算数 at the limits
    assert round_half_up(rate * D(10) ** 4, 2) == D(10) ** 22
    assert percent(rate) == f"{D(10) ** 20:f}.00%"
    assert amount(big) == "1000000000000.00"
    assert plain(D("9" * 40), 2) == "9" * 40  # even far outside the limits, no exception


def _damaged(tmp_path: Path, edit: str) -> Path:
    data = json.loads(SAMPLE.read_text("utf-8"))
    if edit == "amount":
        data["funding"]["total"]["annual_budget"] = "1" * 27
    elif edit == "weight":
        data["indicators"][0]["weight"] = "1E+30"
    else:
        data["indicators"][0]["children"][0]["children"][0]["method"] = {
            "kind": "manual", "score": "0.12345678"}
    path = tmp_path / f"{edit}.pfe"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


@pytest.mark.parametrize(
    ("edit", "named"),
    [("amount", "全年预算数"), ("weight", "分值"), ("places", "小数位数过多")],
)
def test_damaged_file_is_refused_naming_the_field(
    tmp_path: Path, edit: str, named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _damaged(tmp_path, edit)
    before = path.read_bytes()
    with pytest.raises(ProjectFileError) as info:
        pfe.load(path)
    assert named in info.value.message
    assert "Traceback" not in info.value.message
    assert main(["check", str(path)]) != 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert named in captured.err + captured.out
    assert path.read_bytes() == before


def test_assignment_past_the_limit_is_refused_by_the_model() -> None:
    node = IndicatorNode(name="决策")
    with pytest.raises(ValueError):
        node.weight = D("1E+30")
    with pytest.raises(ValueError):
        ManualMethod(score=D(10001))


_EDGE = st.sampled_from(["1000000000000", "0.000001", "999999999999.999999", "-1000000000000",
                         "1", "0"])


@settings(max_examples=25, deadline=None)
@given(budget=_EDGE, executed=_EDGE, weight=st.sampled_from(["10000", "0.000001", "0", "100"]))
def test_values_the_editor_accepts_always_score_save_and_reload(
    tmp_path_factory: pytest.TempPathFactory, budget: str, executed: str, weight: str
) -> None:
    from perfeval_desktop.scoring.engine import compute
    from perfeval_desktop.scoring.validator import validate
    from perfeval_desktop.templates.loader import load_template

    report = pfe.load(SAMPLE)
    total = report.funding.total
    total.annual_budget = parse_number(budget, "全年预算数", "amount")
    total.executed = parse_number(executed, "全年执行数", "amount")
    first = report.indicators[0]
    first.weight = parse_number(weight, "分值", "score")
    leaf = first.children[0].children[0]
    leaf.method = ManualMethod(score=parse_number(weight, "得分", "score"))
    manifest = load_template(report.meta.template_id).manifest
    validate(report, manifest, compute(report, manifest.rules))
    path = tmp_path_factory.mktemp("save") / "r.pfe"
    pfe.save(report, path)
    assert pfe.load(path) == report


def test_a_typed_huge_amount_is_refused_and_the_recovery_copy_restores(
    tmp_path: Path,
) -> None:
    """What failed: after typing a 27-digit amount Ctrl+S raised, nothing was written, and
    the recovery copy raised again on restore.  Now the amount is refused when typed, and
    the largest accepted values save, autosave and restore with their scores."""
    from perfeval_desktop import paths
    from perfeval_desktop.storage import autosave
    from perfeval_desktop.workspace import Workspace
    from perfeval_desktop.workspace.operations import SetField

    paths.set_basedir(tmp_path / "base")
    ws = Workspace.open(SAMPLE)
    with pytest.raises(InputError) as info:
        ws.execute(SetField("funding.total.executed", parse_number("1" * 27, "全年执行数",
                                                                    "amount")))
    assert "全年执行数" in info.value.message
    ws.execute(SetField("funding.total.executed", parse_number("1000000000000", "全年执行数",
                                                               "amount")))
    ws.execute(SetField("indicators[0].weight", parse_number("10000", "分值", "score")))
    ws.save(tmp_path / "r.pfe")
    autosave.write(ws.report, "file-0123456789abcdef", tmp_path / "r.pfe", "r.pfe")
    (recovery,) = autosave.pending_recoveries()
    restored = Workspace.recovered(pfe.load(recovery.file), tmp_path / "r.pfe")
    assert restored.report.funding.total.executed == D(10) ** 12
    assert restored.sheet.total == ws.sheet.total and restored.findings == ws.findings
