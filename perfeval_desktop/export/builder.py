"""The cell-writing helpers every form builder shares (labels, text, numbers, money, rates)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..model.report import IndicatorNode, Report
from ..scoring.engine import ScoreSheet
from ..scoring.rounding import ZERO, amount, percent, plain, round_half_up
from ..templates.manifest import GradeCap, Manifest, Rules, ScoreCap
from .grid import Align, Cell, Grid, Kind, Line
from .live import reference_list


@dataclass
class Leaf:
    """One printed indicator row: ``node`` is a leaf (or a childless branch kept on the
    form) and ``path`` its ancestors and itself, level 1 first."""

    node: IndicatorNode
    path: list[IndicatorNode]


def leaf_rows(nodes: list[IndicatorNode]) -> list[Leaf]:
    """Every childless node of the tree in form order, with its path."""
    out: list[Leaf] = []

    def walk(items: list[IndicatorNode], path: list[IndicatorNode]) -> None:
        for n in items:
            if n.children:
                walk(n.children, [*path, n])
            else:
                out.append(Leaf(n, [*path, n]))

    walk(nodes, [])
    return out


def weight_group_spans(report: Report) -> dict[int, list[int]]:
    """First-level index → the indexes of its 分值组 (report.weight_groups), where the group
    is printable as one merged cell: its members all found, contiguous and in no other."""
    firsts = report.indicators
    out: dict[int, list[int]] = {}
    for group in report.weight_groups:
        idx = [i for i, n in enumerate(firsts) if n.name in group.members]
        names = sorted(firsts[i].name for i in idx)
        contiguous = bool(idx) and idx == list(range(idx[0], idx[0] + len(idx)))
        if not contiguous or names != sorted(group.members) or any(i in out for i in idx):
            continue  # each of its members prints its own weight
        for i in idx:
            out[i] = idx
    return out


def cap_notes(sheet: ScoreSheet) -> list[tuple[str, str]]:
    """(caption, text) rows explaining caps and rescaling, with the arithmetic."""
    notes: list[tuple[str, str]] = []
    if sheet.score_cap_reason:
        notes.append(("总分封顶说明", sheet.score_cap_reason))
    if sheet.grade_cap_reason:
        notes.append(("等次封顶说明", sheet.grade_cap_reason))
    for note in sheet.notes:
        notes.append(("计分说明", note))
    return notes


def note_lines(sheet: ScoreSheet) -> list[Line]:
    """The caps and rescaling explained, as 注 lines under a form (never rows of its grid)."""
    return [Line([f"注：{text}"], align="left") for _caption, text in cap_notes(sheet)]


def suggestions_text(report: Report) -> str:
    """问题和建议: as typed, else the problems numbered with their measures."""
    return report.suggestions.strip() or "\n".join(
        f"{i}. {p.problem}" + (f"建议：{p.measure}" if p.measure else "")
        for i, p in enumerate(report.problems, start=1) if p.problem
    )


BIG = "9E+99"  # "no limit" in a MIN(...) of score caps


def quote(text: str) -> str:
    """A string literal for a spreadsheet formula."""
    return '"' + text.replace('"', '""') + '"'


def number_literal(value: Decimal) -> str:
    """A literal number for a formula (no exponent, at most 12 decimals)."""
    return plain(value, 12)


def sum_formula(grid: Grid, refs: Sequence[tuple[int, int]]) -> str:
    """``SUM(...)`` over table cells of ``grid``, contiguous runs written as ranges
    (:func:`.live.reference_list`)."""
    cells = [(grid.table_top + r, c + 1) for r, c in refs]
    return f"SUM({reference_list(cells)})" if cells else "0"


class FormBuilder:
    """Holds the report, its ScoreSheet and the Grid being laid out; ``row`` is the next row."""

    def __init__(self, report: Report, manifest: Manifest, sheet: ScoreSheet, grid: Grid) -> None:
        self.report = report
        self.manifest = manifest
        self.rules = manifest.rules
        self.sheet = sheet
        self.grid = grid
        self.row = 0

    def label(self, row: int, col: int, text: str, rowspan: int = 1, colspan: int = 1,
              align: Align | None = None, bold: bool = False,
              formula: str | None = None) -> Cell:
        return self.grid.add(Cell(row, col, text, rowspan, colspan, Kind.LABEL, align=align,
                                  bold=bold, formula=formula))

    def text(self, row: int, col: int, text: str, colspan: int = 1,
             align: Align | None = None) -> Cell:
        return self.grid.add(Cell(row, col, text, 1, colspan, Kind.TEXT, align=align))

    def number(self, row: int, col: int, value: Decimal | None, decimals: int = 2,
               colspan: int = 1, formula: str | None = None, bold: bool = False) -> Cell:
        if value is None:
            return self.grid.add(Cell(row, col, "", 1, colspan, Kind.NUMBER))
        shown = round_half_up(value, decimals)
        return self.grid.add(Cell(row, col, plain(shown, decimals), 1, colspan, Kind.NUMBER,
                                  value=shown, formula=formula, bold=bold))

    def money(self, row: int, col: int, value: Decimal | None, formula: str | None = None,
              *, colspan: int = 1) -> Cell:
        if value is None:
            return self.grid.add(Cell(row, col, "", colspan=colspan, kind=Kind.AMOUNT))
        return self.grid.add(Cell(row, col, amount(value), colspan=colspan, kind=Kind.AMOUNT,
                                  value=value, formula=formula, decimals=2))

    def rate(self, row: int, col: int, value: Decimal | None, formula: str | None,
             *, colspan: int = 1) -> Cell:
        d = self.rules.execution.rate_display_decimals
        return self.grid.add(Cell(row, col, percent(value, d), colspan=colspan,
                                  kind=Kind.PERCENT, value=value, formula=formula, decimals=d))

    def checked_sum(self, refs: Sequence[tuple[int, int]], expected: Decimal | None) -> str | None:
        """``=SUM(refs)`` when the printed values of ``refs`` add up to ``expected``."""
        if expected is None:
            return None
        if sum(self.anchor_values(refs), ZERO) != expected:
            return None
        return "=" + sum_formula(self.grid, refs)

    def anchor_values(self, refs: Sequence[tuple[int, int]]) -> list[Decimal]:
        anchors = self.grid.anchors()
        out: list[Decimal] = []
        for rc in refs:
            cell = anchors.get(rc)
            if cell is not None and cell.value is not None:
                out.append(cell.value)
        return out


def total_formula(
    grid: Grid,
    rules: Rules,
    sheet: ScoreSheet,
    score_refs: Sequence[tuple[int, int]],
    weight_refs: Sequence[tuple[int, int]],
    total_weight_ref: str,
    rate: str | None,
) -> str | None:
    """The live 总分: the scores summed, rescaled (不适用) and capped as the rule set says.

    ``rate`` is a cell reference or a literal of the 预算执行率 (None: no rate, no cap).
    None is returned where the printed scores do not give the sheet's total (a formula
    would then disagree with the printed number).
    """
    base = sum_formula(grid, score_refs)
    app = sum_formula(grid, weight_refs)
    t = total_expression(rules, base, app, total_weight_ref, rate)
    anchors = grid.anchors()
    raw = sum((c.value for rc in score_refs
               if (c := anchors.get(rc)) is not None and c.value is not None), ZERO)
    if (
        not rules.rescale_not_applicable
        and sheet.score_cap_reason is None
        and round_half_up(raw, rules.total_decimals) != sheet.total
    ):
        return None
    return "=" + t


def total_expression(rules: Rules, base: str, applicable: str, total_weight_ref: str,
                     rate: str | None) -> str:
    """The 总分 formula (without ``=``) from the sum of the scores ``base``, the sum of the
    applicable weights ``applicable``, the total weight and the 预算执行率 ``rate``."""
    x = base
    if rules.rescale_not_applicable:
        x = (f"IF(AND({applicable}>0,{applicable}<{total_weight_ref}),"
             f"({base})/({applicable})*{total_weight_ref},{base})")
    t = f"ROUND({x},{rules.total_decimals})"
    if rate is not None:
        limits = [
            f"IF(AND(ISNUMBER({rate}),{rate}<{number_literal(b.below)}),{plain(b.max_score)},{BIG})"
            for cap in rules.caps if isinstance(cap, ScoreCap) for b in cap.bands
        ]
        if limits:
            t = f"MIN({t},{','.join(limits)})"
    return t


def grade_formula(rules: Rules, total_ref: str, rate: str | None,
                  shown: dict[str, str] | None = None) -> str:
    """The live 等次 of the total in ``total_ref``, then the grade caps, strictest first.

    ``rate`` is the 预算执行率 (a reference or literal; None: no grade cap); ``shown`` maps
    a grade to the text the cell prints for it (default: the grade's name).
    """
    def q(name: str) -> str:
        return quote(shown[name] if shown else name)

    order = [g.name for g in rules.grades]
    f = q(rules.grades[-1].name)
    for band in reversed(rules.grades[:-1]):
        f = f"IF({total_ref}>={plain(band.min)},{q(band.name)},{f})"
    if rate is not None:
        caps = sorted((c for c in rules.caps if isinstance(c, GradeCap)),
                      key=lambda c: order.index(c.max_grade))
        for cap in caps:
            floor = next(g.min for g in rules.grades if g.name == cap.max_grade)
            f = (f"IF(AND(ISNUMBER({rate}),{rate}<{number_literal(cap.below)},"
                 f"{total_ref}>={plain(floor)}),{q(cap.max_grade)},{f})")
    return "=" + f
