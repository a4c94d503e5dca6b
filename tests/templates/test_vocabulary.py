"""One vocabulary: every name a template can use is defined once, with its description, in
templates/vocabulary; each use fills exactly its names, the same value for the same name;
the README's list and the in-app help are made from the table."""

from __future__ import annotations

import ast
import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from perfeval_desktop.export.form_context import form_context
from perfeval_desktop.export.report_docx import build_context
from perfeval_desktop.model.report import Report
from perfeval_desktop.scoring.engine import ScoreSheet, compute
from perfeval_desktop.scoring.live_values import describe, fill, live_values
from perfeval_desktop.storage.pfe import load
from perfeval_desktop.templates.loader import Template, load_template
from perfeval_desktop.templates.vocabulary import VOCABULARY, Use, help_lines, markdown, names
from perfeval_desktop.templates.vocabulary.header import NO_YEAR

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "resources" / "samples").glob("*.pfe"))
PACKAGE = ROOT / "perfeval_desktop"


def scored(path: Path) -> tuple[Report, Template, ScoreSheet]:
    report = load(path)
    template = load_template(report.meta.template_id)
    return report, template, compute(report, template.manifest.rules)


def fixed(use: Use) -> set[str]:
    return {n.name for n in names(use) if not n.per_level}


def without_levels(keys: set[str], sheet: ScoreSheet, use: Use) -> set[str]:
    """``keys`` less the per-level names (产出指标得分 …) of ``sheet``'s first levels."""
    suffixes = [n.suffix for n in names(use) if n.per_level]
    levels = {f"{lv.name.strip()}{s}" for lv in sheet.levels for s in suffixes}
    return keys - levels


def test_each_name_is_defined_once_with_a_description() -> None:
    seen = [n.name for n in VOCABULARY]
    assert len(seen) == len(set(seen))
    assert all(n.help.strip() and n.uses for n in VOCABULARY)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_each_use_fills_exactly_its_names(path: Path) -> None:
    report, template, sheet = scored(path)
    manifest = template.manifest
    first = report.indicators[0].id
    assert set(form_context(report, manifest, sheet, "表2", "决策指标评分表", first)) == \
        fixed(Use.FORMS)
    values = live_values(report, manifest, sheet)
    assert without_levels(set(values), sheet, Use.NARRATIVE) == fixed(Use.NARRATIVE)
    data = build_context(report, manifest, sheet).data
    assert without_levels(set(data), sheet, Use.REPORT) == fixed(Use.REPORT)
    # a per-level name for every first level, in the narrative and in report.docx
    for lv in sheet.levels:
        for n in names(Use.NARRATIVE):
            if n.per_level:
                assert f"{lv.name.strip()}{n.suffix}" in values


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_a_name_prints_the_same_in_every_use(path: Path) -> None:
    report, template, sheet = scored(path)
    manifest = template.manifest
    forms = form_context(report, manifest, sheet)
    values = live_values(report, manifest, sheet)
    data = build_context(report, manifest, sheet).data
    for n in VOCABULARY:
        if n.per_level or Use.NARRATIVE not in n.uses:
            continue
        assert data[n.name] == values[n.name], n.name
        if Use.FORMS in n.uses and isinstance(forms[n.name], str):
            assert forms[n.name] == values[n.name], n.name


def test_an_unset_year_and_region_print_alike_everywhere() -> None:
    """The three vocabularies used to differ: 年度 unset was four spaces on the forms and
    nothing in the 正文; 地区 was read from the unit's name on the forms only."""
    report, template, _ = scored(ROOT / "resources" / "samples" / "gd_yuancheng_medical_aid_2021.pfe")
    report.meta.year = None
    report.meta.fill_date = None
    report.meta.region = ""
    report.meta.unit = "昆明市五华区医疗保障局"
    manifest = template.manifest
    sheet = compute(report, manifest.rules)
    forms = form_context(report, manifest, sheet)
    values = live_values(report, manifest, sheet)
    data = build_context(report, manifest, sheet).data
    for use in (forms, values, data):
        assert use["年度"] == NO_YEAR == "    "
        assert use["填报年度"] == NO_YEAR
        assert use["地区"] == "五华区" and use["地区级别"] == "区"
    report.meta.fill_date = dt.date(2022, 4, 6)
    assert live_values(report, manifest, sheet)["填报年度"] == "2022"
    assert fill("{{ 地区 }}{{ 年度 }}年", values).text == "五华区    年"


def test_the_gd_cover_prints_the_region_read_from_the_unit_and_a_blank_year(
        tmp_path: Path) -> None:
    """Seed 002's cover 源城区 2022 年财政支出绩效自评报告: with neither typed, the 地区 read
    from the unit's name and a blank to write the year in (before: neither was printed)."""
    from docx import Document

    from perfeval_desktop.export import export_report

    report, template, _ = scored(ROOT / "resources" / "samples" / "gd_yuancheng_medical_aid_2021.pfe")
    report.meta.region, report.meta.unit = "", "昆明市五华区医疗保障局"
    report.meta.year = report.meta.fill_date = None
    (docx,) = export_report(report, template, tmp_path, formats=("docx",), parts=["report"])
    texts = [p.text for p in Document(str(docx)).paragraphs if p.text.strip()]
    assert texts[1] == "五华区    年财政支出\n绩效自评报告"


def _help_tables(text: str, vocabulary: set[str]) -> list[int]:
    """Lines of dict literals mapping five or more vocabulary names to fixed Chinese texts:
    a second table of descriptions (not the importer's labels → field paths)."""
    found = []
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.Dict) or not node.values:
            continue
        pairs = [(k.value, v.value) for k, v in zip(node.keys, node.values, strict=True)
                 if isinstance(k, ast.Constant) and isinstance(v, ast.Constant)
                 and isinstance(v.value, str)]
        described = [k for k, v in pairs if k in vocabulary and re.search(r"[\u4e00-\u9fff]", v)]
        if len(pairs) == len(node.values) and len(described) >= 5:
            found.append(node.lineno)
    return found


def test_no_second_table_of_descriptions() -> None:
    """FORM_CONTEXT_HELP, CONTEXT_HELP and FIXED each described the names their own way;
    the descriptions are the vocabulary's alone."""
    vocabulary = {n.name for n in VOCABULARY}
    found = {str(p.relative_to(ROOT)): lines for p in sorted(PACKAGE.rglob("*.py"))
             if "vocabulary" not in p.parts
             and (lines := _help_tables(p.read_text("utf-8"), vocabulary))}
    assert found == {}
    assert _help_tables('H = {"总分": "总分", "等次": "等次", "年度": "年度", "地区": "地区",'
                        ' "资金": "资金"}', vocabulary) == [1]
    assert _help_tables('F = {"总分": "a", "等次": "b", "年度": "c", "地区": "d", "资金": "e"}',
                        vocabulary) == []


def test_rate_decimals_are_defined_once() -> None:
    found = [str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py")
             if re.search(r"^RATE_DECIMALS\s*=", p.read_text("utf-8"), re.MULTILINE)]
    assert found == ["perfeval_desktop/templates/vocabulary/indicators.py"]


# ---- the built-in templates use only names of the table ------------------------------------

_TAG = re.compile(r"{{(.*?)}}|{%-?(.*?)-?%}", re.DOTALL)
_NAME = re.compile(r"(?<![.\w])([^\W\d]\w*)")
_LOOP = re.compile(r"\bfor\s+(\w+)(?:\s*,\s*(\w+))?\s+in\b")
_WORDS = {"for", "in", "if", "else", "elif", "endif", "endfor", "not", "and", "or", "is",
          "tr", "tc", "vm", "hm", "keep", "with", "next", "endkeep", "loop", "p", "r", "true",
          "false", "none", "True", "False", "None", "strip", "set", "endset", "length"}


def _used(texts: list[str]) -> set[str]:
    tags = ["".join(g or "" for g in m.groups()) for t in texts for m in _TAG.finditer(t)]
    local = {v for tag in tags for m in _LOOP.finditer(tag) for v in m.groups() if v}
    out: set[str] = set()
    for tag in tags:
        tag = re.sub(r"(['\"]).*?\1", "", tag.replace("#", ""))  # strings, comments
        out |= {m.group(1) for m in _NAME.finditer(tag)}
    return out - local - _WORDS


def _docx_texts(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return [re.sub(r"<[^>]+>", "", z.read(n).decode("utf-8")) for n in z.namelist()
                if n.startswith("word/") and n.endswith(".xml")]


def _xlsx_texts(path: Path) -> list[str]:
    wb = load_workbook(path)
    return [str(c.value) for ws in wb for row in ws.iter_rows() for c in row
            if isinstance(c.value, str)]


@pytest.mark.parametrize("folder", sorted((ROOT / "templates").iterdir()), ids=lambda p: p.name)
def test_the_builtin_templates_use_only_names_of_the_table(folder: Path) -> None:
    forms = _used(_xlsx_texts(folder / "forms.xlsx"))
    assert forms and forms <= fixed(Use.FORMS), forms - fixed(Use.FORMS)
    report = _used(_docx_texts(folder / "report.docx"))
    assert report <= fixed(Use.REPORT) | {"章节", "段落", "附件", "项"}, report - fixed(Use.REPORT)


def test_the_scan_sees_a_name_outside_the_table() -> None:
    assert _used(["{{ 项目名称 }}", "{%tr for 行 in 指标行 %}{{ 行.得分 }}", "{{ 总分数 }}"]) == {
        "项目名称", "指标行", "总分数"}


# ---- the README and the in-app help are made from the table --------------------------------


def test_the_readme_lists_the_table() -> None:
    text = (ROOT / "README.md").read_text("utf-8")
    start, end = "<!-- vocabulary:start -->\n", "<!-- vocabulary:end -->"
    assert start in text and end in text
    listed = text.split(start, 1)[1].split(end, 1)[0]
    assert listed == markdown(), (
        "README 的占位符表与 templates/vocabulary 不一致：用 "
        "python -m perfeval_desktop.templates.vocabulary 重新生成")
    for n in VOCABULARY:
        assert f"`{n.shown}`" in listed


def test_the_editor_list_describes_each_name_by_the_table() -> None:
    report, template, sheet = scored(SAMPLES[0])
    values = live_values(report, template.manifest, sheet)
    listed = dict(describe(values))
    table = {n.shown: n.help for n in names(Use.NARRATIVE)}
    assert listed["{{ 总分 }}"] == table["{{ 总分 }}"]
    assert listed["{{ 年度 }}"] == table["{{ 年度 }}"]
    assert next(iter(listed)) == "{{ 总分 }}"
    assert help_lines(Use.NARRATIVE)[0] == f"{names(Use.NARRATIVE)[0].shown}：" \
        f"{names(Use.NARRATIVE)[0].help}"

