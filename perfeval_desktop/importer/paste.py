"""A whole indicator table pasted from Excel/WPS (tab-separated cells, merged cells as
blanks) read into a tree with the same reader as 导入 Excel.

With a header row (一级指标 | 二级指标 | 三级指标 | …) the columns are found by their labels;
without one the block is read as the 自评表's columns in their usual order
(:data:`DEFAULT_HEADER`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model.report import IndicatorNode, Report, iter_nodes
from ..templates.manifest import Manifest
from .labels import split_weight
from .tables import find_tables
from .tree import TreeBuilder, first_level_name
from .workbook import Pos, Sheet

DEFAULT_HEADER = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                  "偏差原因分析及改进措施")
_PLACEHOLDER = ("", "指标")


@dataclass
class PastedTable:
    roots: list[IndicatorNode]
    leaves: int
    with_header: bool
    problems: list[str] = field(default_factory=list)


def is_empty_tree(report: Report) -> bool:
    """Nothing of the clerk's in the tree yet: no leaf with a weight, figure or real name
    (a new report's framework with its 指标1 placeholders counts as empty)."""
    for _path, _level, node in iter_nodes(report.indicators):
        if node.is_leaf and not node.keep_empty and (
            node.weight is not None or node.target_text or node.actual_text
            or node.name.rstrip("0123456789") not in _PLACEHOLDER
        ):
            return False
    return True


def _first_level(text: str, manifest: Manifest) -> bool:
    """A headerless block must start with a 一级指标 (the template's, or one named …指标)."""
    name = split_weight(text)[0]
    names = [n.name for n in manifest.framework]
    return "指标" in name or first_level_name(name, names) in names


def _sheet(block: list[list[str]], header: tuple[str, ...] | None) -> Sheet:
    sheet = Sheet("粘贴内容")
    shift = 0
    if header is not None:
        shift = 1
        for c, label in enumerate(header, 1):
            sheet.cells[(1, c)] = label
    for r, row in enumerate(block, 1 + shift):
        for c, text in enumerate(row, 1):
            if text.strip():
                sheet.cells[(r, c)] = text.strip()
    return sheet


def read_pasted_table(block: list[list[str]], manifest: Manifest) -> PastedTable | None:
    """The tree in ``block``, or None when it is not an indicator table (then the paste is
    an ordinary one)."""
    sheet = _sheet(block, None)
    tables = find_tables(sheet)
    with_header = bool(tables)
    if not tables:
        if len(block) < 1 or max(len(r) for r in block) < 3 or not block[0][0].strip():
            return None
        if not block[0][2].strip() or not _first_level(block[0][0], manifest):
            return None
        sheet = _sheet(block, DEFAULT_HEADER[: max(len(r) for r in block)])
        tables = find_tables(sheet)
    problems: list[str] = []

    def problem(_sheet: Sheet, pos: Pos, message: str) -> None:
        row = pos[0] - (0 if with_header else 1)
        problems.append(f"粘贴内容第{row}行第{pos[1]}列：{message}")

    builder = TreeBuilder(manifest.rules, [n.name for n in manifest.framework], problem)
    leaves = 0
    for table in tables:
        builder.add_scored(table)
        leaves += sum(1 for row in table.rows if "l3" in row.values)
    roots = builder.finish()
    if not leaves:
        return None
    return PastedTable(roots, leaves, with_header, problems)
