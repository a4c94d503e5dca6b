"""A form being designed: a copy of a template whose manifest is changed step by step.

Every change is validated by the same :class:`~perfeval_desktop.templates.manifest.Manifest`
model the loader uses, with the loader's Chinese messages; a change that would break the
manifest is refused (:class:`DesignError` lists why) and the draft keeps its last valid
state.  :meth:`TemplateDraft.problems` adds what a report of the form would be told about
its weights (W001–W006 of the validator) on an empty report made from it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import TemplateError
from ..templates.families import families
from ..templates.loader import Template, _describe, _loc_text
from ..templates.manifest import Manifest

Data = dict[str, Any]
NodePath = tuple[int, ...]  # indices from the first level down: (0, 2, 1)

# what the designer calls the fields it edits (the message also names the manifest key)
FIELD_LABELS = {
    "id": "表样编号", "name": "表样名称", "description": "说明", "version": "版本",
    "rules.total_weight": "总分值", "rules.score_decimals": "指标得分小数位数",
    "rules.total_decimals": "总分小数位数", "rules.execution.weight": "预算执行率分值",
    "rules.execution.basis": "执行率分母", "rules.execution.decimals": "执行率得分小数位数",
    "rules.execution.label": "执行率行名称", "rules.grades": "评价等次分档",
    "rules.caps": "按执行率封顶", "rules.min_share": "产出+效益最低占比",
    "rules.over_achievement_ratio": "超额完成比例", "weight_groups": "合并分值格",
    "outline": "报告提纲", "framework": "指标体系",
}


class DesignError(TemplateError):
    """A change refused: ``problems`` are the loader's Chinese messages, one per field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("表样设置有误：\n" + "\n".join(problems))
        self.problems = problems


def _label(where: str) -> str:
    for key in sorted(FIELD_LABELS, key=len, reverse=True):
        if where == key or where.startswith(key + ".") or where.startswith(key + "["):
            return f"{FIELD_LABELS[key]}（{where}）"
    return where


def describe(exc: ValidationError) -> list[str]:
    """The loader's message for each error, naming the field as the designer shows it."""
    out = []
    for err in exc.errors():
        where = _loc_text(tuple(p for p in err["loc"] if not _is_tag(p))) or "表样"
        text = _describe(err).removeprefix("Value error, ")
        out.append(f"{_label(where)}：{text}")
    return out


def _is_tag(part: int | str) -> bool:
    """pydantic's union tags in a location (``manual``, ``function-after[...]``)."""
    return isinstance(part, str) and (part in _TAGS or "[" in part)


_TAGS = {"manual", "compare", "rate", "qualitative", "not_applicable", "budget_execution",
         "GradeCap", "ScoreCap", "grade", "score"}


@dataclass
class TemplateDraft:
    """The manifest being designed, and the folder its forms.xlsx/report.docx come from."""

    manifest: Manifest
    source: Path | None = None  # the folder copied (forms.xlsx, report.docx)
    copied_from: str = ""

    @classmethod
    def copy_of(cls, template: Template, new_id: str, name: str) -> TemplateDraft:
        """A new form from ``template``: its own id and name, version 1.  A copy names its
        family only: the family's forms stay declared once, by its built-in template."""
        data = template.manifest.model_dump()
        data.update(id=new_id, name=name, version="1")
        declared = families().get(template.manifest.family)
        if declared is not None and declared.forms == template.manifest.forms:
            data["forms"] = None
        draft = cls(template.manifest, template.folder, template.id)
        draft._commit(data)
        return draft

    @classmethod
    def edit(cls, template: Template) -> TemplateDraft:
        """Change an installed (user) form in place."""
        return cls(template.manifest, template.folder, template.id)

    # --- the one way a change is made ------------------------------------------------------

    def data(self) -> Data:
        return self.manifest.model_dump()

    def _commit(self, data: Data) -> None:
        try:
            manifest = Manifest.model_validate(data)
        except ValidationError as exc:
            raise DesignError(describe(exc)) from None
        self.manifest = manifest

    def change(self, mutate: Callable[[Data], object]) -> None:
        """Apply ``mutate`` to a copy of the manifest's data; keep it only if valid."""
        data = copy.deepcopy(self.data())
        mutate(data)
        self._commit(data)

    def set(self, key: str, value: Any) -> None:
        """Set a field by its manifest path (``rules.execution.weight``), text or value."""
        parts = key.split(".")

        def put(data: Data) -> None:
            target = data
            for part in parts[:-1]:
                target = target[part]
            target[parts[-1]] = value

        self.change(put)
        if key.startswith("rules.execution."):
            self._sync_expected()

    def check(self, key: str, value: Any) -> list[str]:
        """What setting ``key`` to ``value`` would be told (empty: acceptable); nothing changes."""
        trial = TemplateDraft(self.manifest, self.source, self.copied_from)
        try:
            trial.set(key, value)
        except DesignError as exc:
            return exc.problems
        return []

    # --- what a report of this form would be told about its weights ------------------------

    def problems(self) -> list[str]:
        """The weights the form fixes that do not add up (see :mod:`.checks`)."""
        from .checks import weight_problems

        return weight_problems(self.manifest)

    def _sync_expected(self) -> None:
        """Keep rules.expected_first_level (check W005) in step with the weights designed."""
        if self.manifest.rules.expected_first_level is None:
            return
        expected: dict[str, Decimal] = {}
        ex = self.manifest.rules.execution
        if ex.weight is not None:
            expected[ex.label] = ex.weight
        for node in self.manifest.framework:
            if node.weight is not None:
                expected[node.name] = node.weight

        def put(data: Data) -> None:
            data["rules"]["expected_first_level"] = expected

        self.change(put)

    # --- name, outline ---------------------------------------------------------------------

    def rename(self, name: str, description: str | None = None) -> None:
        def put(data: Data) -> None:
            data["name"] = name
            if description is not None:
                data["description"] = description

        self.change(put)

    def _section_list(self, data: Data, parent: str | None) -> list[Data]:
        if parent is None:
            items: list[Data] = data["outline"]
            return items
        found = _find_section(data["outline"], parent)
        if found is None:
            raise DesignError([f"报告提纲（outline）：没有 id 为“{parent}”的章节"])
        children: list[Data] = found["children"]
        return children

    def add_section(self, section_id: str, number: str, title: str, *,
                    parent: str | None = None, index: int | None = None,
                    guidance: str = "", limit: int | None = None) -> None:
        new: Data = {"id": section_id, "number": number, "title": title, "guidance": guidance,
               "limit": limit, "children": []}

        def put(data: Data) -> None:
            items = self._section_list(data, parent)
            items.insert(len(items) if index is None else index, new)

        self.change(put)

    def set_section(self, section_id: str, **fields: Any) -> None:
        """Change number, title, guidance (填写说明) or limit (字数上限) of a section."""

        def put(data: Data) -> None:
            found = _find_section(data["outline"], section_id)
            if found is None:
                raise DesignError([f"报告提纲（outline）：没有 id 为“{section_id}”的章节"])
            found.update(fields)

        self.change(put)

    def remove_section(self, section_id: str) -> None:
        def put(data: Data) -> None:
            _remove_section(data["outline"], section_id)

        self.change(put)

    # --- the indicator framework ------------------------------------------------------------

    def set_node(self, path: NodePath, **fields: Any) -> None:
        """Change name, weight, target_text, keep_empty or method of a framework node."""

        def put(data: Data) -> None:
            _node_at(data, path).update(fields)

        self.change(put)
        self._sync_expected()

    def add_node(self, parent: NodePath, name: str, weight: Decimal | str | None = None,
                 index: int | None = None, method: str = "manual") -> None:
        new: Data = {"name": name, "weight": weight, "method": {"kind": method}, "children": []}

        def put(data: Data) -> None:
            items = _node_at(data, parent)["children"] if parent else data["framework"]
            items.insert(len(items) if index is None else index, new)

        self.change(put)
        self._sync_expected()

    def remove_node(self, path: NodePath) -> None:
        def put(data: Data) -> None:
            items = _node_at(data, path[:-1])["children"] if len(path) > 1 else data["framework"]
            del items[path[-1]]

        self.change(put)
        self._sync_expected()


def _find_section(items: list[Data], section_id: str) -> Data | None:
    for item in items:
        if item["id"] == section_id:
            return item
        found = _find_section(item["children"], section_id)
        if found is not None:
            return found
    return None


def _remove_section(items: list[Data], section_id: str) -> None:
    for i, item in enumerate(items):
        if item["id"] == section_id:
            del items[i]
            return
        _remove_section(item["children"], section_id)


def _node_at(data: Data, path: NodePath) -> Data:
    items: list[Data] = data["framework"]
    node: Data = {}
    try:
        for i in path:
            node = items[i]
            items = node["children"]
    except IndexError:
        raise DesignError([f"指标体系（framework）：没有第 {path} 项指标"]) from None
    return node
