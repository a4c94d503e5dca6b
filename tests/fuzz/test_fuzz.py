"""Fuzzing (issue #13 §12): damaged .pfe files, manifests, placeholders and typed numbers.

Each input ends in a valid result or a clear Chinese error (a PerfevalError), within a time
bound, and the file read is never changed.  Seeded, so a failure names its seed; the inputs
that once crashed are kept in ``corpus/`` and replayed.  About a minute in all.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from fuzz.fuzzing import ROOT, SAMPLES, mutate_json, mutate_text, replay, within
from perfeval_desktop.errors import InputError, PerfevalError, TemplateError
from perfeval_desktop.export import export_report
from perfeval_desktop.export.xlsx_template import fill_sheet
from perfeval_desktop.model.limits import LIMITS
from perfeval_desktop.model.numbers import parse_number
from perfeval_desktop.scoring.engine import compute
from perfeval_desktop.scoring.validator import validate
from perfeval_desktop.storage import pfe
from perfeval_desktop.templates.loader import load_template, parse_manifest, scan

PFE_CASES = 240
EXPORT_CASES = 6
MANIFEST_CASES = 150
PLACEHOLDER_CASES = 300


def _pfe_text(seed: int) -> str:
    rng = random.Random(seed)
    sample = SAMPLES[seed % len(SAMPLES)]
    text = sample.read_text("utf-8")
    if seed % 3 == 0:
        return mutate_text(text, rng, rng.randrange(1, 4))
    data = mutate_json(json.loads(text), rng, rng.randrange(1, 6))
    return json.dumps(data, ensure_ascii=bool(seed % 2), indent=1)


def _check_pfe(text: str, folder: Path, export: bool = False) -> None:
    path = folder / "fuzz.pfe"
    path.write_text(text, "utf-8", errors="surrogatepass")
    before = path.read_bytes()
    with within():
        try:
            report = pfe.read(path).report
            template = load_template(report.meta.template_id)
        except PerfevalError as exc:
            assert exc.message and "Traceback" not in exc.message
            return
        finally:
            assert path.read_bytes() == before
        sheet = compute(report, template.manifest.rules)
        validate(report, template.manifest, sheet)
        pfe.dumps(report).encode("utf-8")
        if export:
            out = folder / "out"
            out.mkdir(exist_ok=True)
            try:
                export_report(report, template, out, formats=("docx", "xlsx"))
            except PerfevalError as exc:
                assert exc.message


def test_damaged_pfe_files(tmp_path: Path) -> None:
    failures: list[tuple[int, str]] = []
    for seed in range(PFE_CASES):
        try:
            _check_pfe(_pfe_text(seed), tmp_path, export=seed < EXPORT_CASES)
        except Exception as exc:  # collected: every failing seed is named at once
            failures.append((seed, f"{type(exc).__name__}: {exc}"[:300]))
    assert failures == []


@pytest.mark.parametrize("case", replay("pfe"), ids=lambda c: c.get("name", "case"))
def test_kept_pfe_inputs(case: dict[str, Any], tmp_path: Path) -> None:
    _check_pfe(case["text"], tmp_path, export=case.get("export", False))


def _check_manifest(text: str, folder: Path) -> None:
    tid = "mof_self_eval_gd"
    target = folder / tid
    target.mkdir(exist_ok=True)
    (target / "manifest.yaml").write_text(text, "utf-8", errors="surrogatepass")
    with within():
        try:
            parse_manifest(target / "manifest.yaml")
        except TemplateError as exc:
            assert exc.message
        templates, broken = scan([folder])
        assert len(templates) + len(broken) == 1


def test_damaged_manifests(tmp_path: Path) -> None:
    source = (ROOT / "templates" / "mof_self_eval_gd" / "manifest.yaml").read_text("utf-8")
    failures: list[tuple[int, str]] = []
    for seed in range(MANIFEST_CASES):
        rng = random.Random(seed)
        text = mutate_text(source, rng, rng.randrange(1, 5))
        try:
            _check_manifest(text, tmp_path)
        except Exception as exc:
            failures.append((seed, f"{type(exc).__name__}: {exc}"[:300]))
    assert failures == []


@pytest.mark.parametrize("case", replay("manifest"), ids=lambda c: c.get("name", "case"))
def test_kept_manifests(case: dict[str, Any], tmp_path: Path) -> None:
    _check_manifest(case["text"], tmp_path)


# --- placeholders --------------------------------------------------------------------------

_ATOMS = ["项目名称", "指标", "总分", "9", "0", "-1", "10**6", "1.5", "'x'", "''", "[1, 2]",
          "range(3)", "none", "loop", "指标[0]", "指标[-99]", "'{0}{1}'", "9**9", "{}"]
_OPS = ["+", "-", "*", "/", "//", "%", "**", "~", " and ", " or ", " in ", "==", "<"]
_TAILS = ["", "|int", "|round", "|length", "|join(',')", "|center(100000000)", "|list",
          "|first", "|string", ".format(1)", "[1]", "[1:2]", ".upper()", "|sum", "|abs",
          "|batch(0)", "|wordwrap(0)", "|indent(10**9)", "|replace('', 'xx')"]


def _expression(rng: random.Random, depth: int = 0) -> str:
    if depth > 2 or rng.random() < 0.4:
        return rng.choice(_ATOMS) + rng.choice(_TAILS)
    left, right = _expression(rng, depth + 1), _expression(rng, depth + 1)
    return f"({left}{rng.choice(_OPS)}{right}){rng.choice(_TAILS)}"


def _cell(rng: random.Random) -> str:
    expr = _expression(rng)
    form = rng.randrange(4)
    if form == 0:
        return "{{ " + expr + " }}"
    if form == 1:
        return "前 {{ " + expr + " }} 后"
    if form == 2:
        return "{% for x in " + expr + " %}{{ x }}{% endfor %}"
    return "{% if " + expr + " %}是{% else %}否{% endif %}"


def _check_placeholder(text: str) -> None:
    ws = Workbook().active
    assert ws is not None
    ws.title = "表"
    ws["A1"] = text
    with within():
        try:
            fill_sheet(ws, {"项目名称": "甲", "指标": [{"名称": "乙"}], "总分": 94}, "t.xlsx")
        except TemplateError as exc:
            assert "t.xlsx" in exc.message


@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # Python on `1[0]` in compiled templates
def test_random_placeholders() -> None:
    failures: list[tuple[int, str, str]] = []
    for seed in range(PLACEHOLDER_CASES):
        text = _cell(random.Random(seed))
        try:
            _check_placeholder(text)
        except Exception as exc:
            failures.append((seed, text, f"{type(exc).__name__}: {exc}"[:200]))
    assert failures == []


@pytest.mark.parametrize("case", replay("placeholder"), ids=lambda c: c.get("name", "case"))
def test_kept_placeholders(case: dict[str, Any]) -> None:
    _check_placeholder(case["text"])


# --- typed numbers -------------------------------------------------------------------------

_NUMBER_CHARS = "0123456789０１２３４５６７８９.,，。 -+−%％万元分eE²①٣\u3000\t"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_NUMBER_CHARS, max_size=40))
def test_typed_numbers(text: str) -> None:
    for kind in LIMITS:
        try:
            value = parse_number(text, "全年执行数", kind)
        except InputError as exc:
            assert "全年执行数" in exc.message
            continue
        assert value is None or abs(value) <= LIMITS[kind]

