"""粘贴整张指标表: a block copied from an Excel 自评表 (一级/二级/三级 columns, merged cells
as blanks) pasted on an empty 指标评分 grid builds the tree, one undo step."""

from __future__ import annotations

from collections.abc import Callable

from ..importer.paste import is_empty_tree, read_pasted_table
from ..workspace import Batch, InsertNode, Operation, RemoveNode
from .bridge import WorkspaceBridge


def paste_indicator_table(
    bridge: WorkspaceBridge, block: list[list[str]], message: Callable[[str], None]
) -> bool:
    """Build the tree from ``block`` when the grid is empty and the block is an indicator
    table; False leaves the paste to the grid's ordinary cell paste."""
    ws = bridge.ws
    if not is_empty_tree(ws.report):
        return False
    pasted = read_pasted_table(block, ws.manifest)
    if pasted is None:
        return False
    ops: list[Operation] = [RemoveNode(node.id) for node in ws.report.indicators]
    ops += [InsertNode(None, i, root) for i, root in enumerate(pasted.roots)]
    bridge.execute(Batch(ops, f"粘贴指标表（{pasted.leaves}个三级指标）"))
    how = "按表头识别各列" if pasted.with_header else (
        "没有表头，按“一级指标、二级指标、三级指标、年度指标值、实际完成值、分值、得分、"
        "偏差原因”的顺序读取")
    counts = f"{len(pasted.roots)}个一级指标，{pasted.leaves}个三级指标"
    text = f"已按粘贴的指标表建立指标体系：{counts}（{how}，可撤销）。"
    if pasted.problems:
        text += "\n以下单元格未能读取：\n" + "\n".join(pasted.problems[:5])
    message(text)
    return True
