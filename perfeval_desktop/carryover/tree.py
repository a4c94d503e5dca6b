"""Last year's indicator tree in the current framework's 一级/二级 arrangement.

Conservative on purpose: a clerk may have removed a framework's 二级 group or added one of
their own, so only what the template itself changed is followed.  Each first level of the
framework comes in its order (one the tree lacks is added from the framework); a second
level that the framework now places under another first level moves there; a first level
the framework no longer has is dropped, except for its second levels that have a home
elsewhere.  Every move and drop is written to ``notes``.
"""

from __future__ import annotations

from ..model.report import IndicatorNode, iter_nodes
from ..templates.factory import _node as framework_node
from ..templates.manifest import FrameworkNode


def rearrange(
    tree: list[IndicatorNode], framework: list[FrameworkNode], notes: list[str]
) -> list[IndicatorNode]:
    home = {second.name: first.name for first in framework for second in first.children}
    by_name = {node.name: node for node in tree}
    out: list[IndicatorNode] = []
    for spec in framework:
        node = by_name.pop(spec.name, None)
        if node is None:
            node = framework_node(spec)
            notes.append(f"现行表样新增一级指标“{spec.name}”，已按表样加入，请填写其下指标。")
        out.append(node)
    firsts = {node.name: node for node in out}
    for first in out:
        for second in list(first.children):
            dest = home.get(second.name)
            if dest is not None and dest != first.name:
                first.children.remove(second)
                _place(firsts[dest], second)
                notes.append(f"二级指标“{second.name}”按现行表样从“{first.name}”移到“{dest}”。")
    for old in by_name.values():
        _drop_first_level(old, home, firsts, notes)
    return out


def _drop_first_level(
    old: IndicatorNode, home: dict[str, str], firsts: dict[str, IndicatorNode], notes: list[str]
) -> None:
    dropped: list[str] = []
    for second in old.children:
        dest = home.get(second.name)
        if dest is not None:
            _place(firsts[dest], second)
            notes.append(f"二级指标“{second.name}”按现行表样从“{old.name}”移到“{dest}”。")
        else:
            dropped += [n.name for _p, _lv, n in iter_nodes([second]) if n.is_leaf]
    if dropped:
        notes.append(f"一级指标“{old.name}”在现行表样中已没有，其下三级指标未带入："
                     f"{'、'.join(dropped)}。")
    else:
        notes.append(f"一级指标“{old.name}”在现行表样中已没有，其下指标已全部移入现行表样。")


def _place(first: IndicatorNode, second: IndicatorNode) -> None:
    """Put ``second`` under ``first``: it replaces a group of the same name that is only the
    framework's empty placeholder, else its indicators join that group."""
    for i, existing in enumerate(first.children):
        if existing.name == second.name:
            if _is_placeholder(existing):
                first.children[i] = second
            else:
                existing.children.extend(second.children)
            return
    first.children.append(second)


def _is_placeholder(node: IndicatorNode) -> bool:
    return all(
        not n.target_text and not n.unit and n.weight is None
        for _p, _lv, n in iter_nodes(node.children)
    )
