"""导入 Excel: a filled 自评表 (.xlsx or old .xls) read into a new report of a template.

Works on sheets laid out like any of the five families' forms, the program's own exports
and the same forms retyped by hand in Excel or WPS: the header row and columns are found
by their labels (``labels.py``), merged 一级/二级 cells become the tree, and the funding
rows, goals, header fields, 问题清单 and 评价人员 are read where the sheet has them.
Nothing is written: :func:`import_workbook` returns the report and every cell it could not
place (by sheet, row and column) for the clerk to look at before accepting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..model.report import Evaluator, Problem, ProjectType, Report
from ..templates.factory import new_report
from ..templates.families import recognise
from ..templates.loader import Template
from . import fields
from .labels import EVALUATOR_COLUMNS, FORM_TEXT, PROBLEM_COLUMNS, norm
from .tables import IndicatorTable, find_tables
from .tree import TreeBuilder
from .workbook import ImportFileError, Pos, Sheet, column_name, read_workbook

__all__ = ["ImportFileError", "ImportResult", "Unplaced", "guess_family", "import_workbook",
           "read_workbook"]


@dataclass(frozen=True)
class Unplaced:
    """A cell with text that was not read into the report (or could not be understood)."""

    sheet: str
    row: int
    col: int
    text: str
    reason: str = ""

    @property
    def cell(self) -> str:
        return f"{column_name(self.col)}{self.row}"

    def describe(self) -> str:
        where = f"工作表“{self.sheet}”第 {self.row} 行 {column_name(self.col)} 列（{self.cell}）"
        shown = self.text if len(self.text) <= 40 else self.text[:40] + "…"
        why = f"——{self.reason}" if self.reason else "，未能对应到报告的栏目"
        return f"{where}：“{shown}”{why}"


@dataclass
class ImportResult:
    report: Report
    source: Path
    unplaced: list[Unplaced] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)


class _Reader:
    def __init__(self, template: Template, sheets: list[Sheet]) -> None:
        self.manifest = template.manifest
        self.sheets = sheets
        self.report = new_report(self.manifest)
        self.placed: set[tuple[str, Pos]] = set()
        self.problems: list[Unplaced] = []
        self.builder = TreeBuilder(self.manifest.rules, [n.name for n in self.manifest.framework],
                                   self._problem)

    def _problem(self, sheet: Sheet, pos: Pos, message: str) -> None:
        self.problems.append(Unplaced(sheet.name, *pos, sheet.text(*pos), message))
        self.placed.add((sheet.name, pos))

    def read(self) -> list[str]:
        found: dict[str, tuple[str, Pos]] = {}
        tables: list[IndicatorTable] = []
        funding = False
        for sheet in self.sheets:
            for key, value in fields.header_fields(sheet, self.placed).items():
                found.setdefault(key, value)
            year = fields.year_of(sheet, self.placed)
            if year is not None and self.report.meta.year is None:
                self.report.meta.year = year
            for key, text in fields.goals(sheet, self.placed).items():
                if not getattr(self.report.goals, key):
                    setattr(self.report.goals, key, text)
            funding |= fields.funding(sheet, self.report.funding,
                                      self.manifest.rules.funding_sources, self.placed,
                                      self._problem)
            self._rows(sheet)
            self._project_type(sheet)
            fields.computed_rows(sheet, self.placed)
            grade = fields.declared_grade(
                sheet, [g.name for g in self.manifest.rules.grades], self.placed
            )
            self.report.declared_grade = self.report.declared_grade or grade
            tables += find_tables(sheet)
        self._apply(found)
        return self._tree(tables, funding)

    def _rows(self, sheet: Sheet) -> None:
        rows = fields.row_table(sheet, PROBLEM_COLUMNS, ("problem", "cause"), self.placed)
        self.report.problems += [Problem(**r) for r in rows]
        people = fields.row_table(sheet, EVALUATOR_COLUMNS, ("name", "title"), self.placed)
        self.report.evaluators += [Evaluator(**r) for r in people]

    def _project_type(self, sheet: Sheet) -> None:
        for pos, text in sheet.cells.items():
            flat = norm(text)
            for kind in ProjectType:
                if f"{kind.value}项目(√" in flat or f"{kind.value}项目(✓" in flat:
                    self.report.meta.project_type = kind
                    self.placed.add((sheet.name, pos))

    def _apply(self, found: dict[str, tuple[str, Pos]]) -> None:
        for key, (value, _pos) in found.items():
            if key == "suggestions":
                self.report.suggestions = value
            elif key == "meta.fill_date":
                self.report.meta.fill_date = fields.parse_date(value)
            else:
                part, attr = key.split(".")
                setattr(getattr(self.report, part), attr, value)

    def _tree(self, tables: list[IndicatorTable], funding: bool) -> list[str]:
        scored = [t for t in tables if t.scored] or tables
        for table in scored:
            self.builder.add_scored(table)
        for table in tables:
            if table not in scored:
                self.builder.fill_from(table)
            self.placed.update((table.sheet.name, p) for p in table.label_cells + table.end_cells)
        summary = [f"读取了 {len(self.sheets)} 个工作表。"]
        if scored:
            self.report.indicators = self.builder.finish()
            leaves = sum(1 for t in scored for r in t.rows if "l3" in r.values)
            summary.append(f"指标：{len(self.report.indicators)} 个一级指标，{leaves} 个三级指标。")
        else:
            summary.append("没有找到含“三级指标”列的指标表，指标体系按模板默认。")
        missing = "没有找到项目资金表（年初预算数、全年执行数等列）。"
        summary.append("项目资金：已读取。" if funding else missing)
        report = self.report
        summary.append(f"年度总体目标：{'已读取' if report.goals.expected else '没有找到'}；"
                       f"问题 {len(report.problems)} 条；评价人员 {len(report.evaluators)} 人。")
        return summary

    def unplaced(self) -> list[Unplaced]:
        self.placed |= self.builder.placed
        out = list(self.problems)
        for sheet in self.sheets:
            for (row, col), text in sorted(sheet.cells.items()):
                if (sheet.name, (row, col)) in self.placed or FORM_TEXT.match(norm(text)):
                    continue
                out.append(Unplaced(sheet.name, row, col, text))
        return out


def import_workbook(path: Path, template: Template,
                    sheets: list[Sheet] | None = None) -> ImportResult:
    """Read ``path`` into a new report of ``template`` (ImportFileError if unreadable);
    ``sheets``: the file as :func:`read_workbook` read it already (not read again)."""
    reader = _Reader(template, read_workbook(path) if sheets is None else sheets)
    summary = reader.read()
    report = Report.model_validate(reader.report.model_dump())
    return ImportResult(report, path, reader.unplaced(), summary)


def guess_family(sheets: list[Sheet]) -> str:
    """The form family the sheets look like (a template's ``family``; "" when none): by
    the ``recognise`` marks each family declares in its manifest."""
    texts = {norm(t) for s in sheets for t in s.cells.values()} | {norm(s.name) for s in sheets}
    return recognise(texts) or ""
