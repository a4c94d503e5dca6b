"""Bring the dict read from an older ``.pfe`` file up to the current ``SCHEMA_VERSION``.

``MIGRATIONS`` maps a *from* version to a function that turns a dict of that version into a
dict of the next one; :func:`migrate` applies them in order.  Each function receives its own
deep copy, may raise :class:`MigrationError` (a Chinese message naming the field) and never
has to set ``schema_version``: :func:`migrate` does that after every step.

Version 0 (the prototype's format, before ``schema_version`` existed)
----------------------------------------------------------------------
A flat JSON object marked ``"version": 0``::

    {
      "version": 0,
      "template": "yunnan_dept_eval",          -> meta.template_id
      "year": 2023,                            -> meta.year
      "unit": "某某县财政局",                   -> meta.unit
      "filler": "张三", "phone": "0871-…",      -> meta.filler / meta.phone
      "fill_date": "2024-03-15",               -> meta.fill_date
      "project_name": "…", "department": "…",  -> project.name / project.department
      "implementer": "…", "leader": "…",       -> project.implementer / project.leader
      "funding": {"initial_budget": 120.5, "annual_budget": 130,
                  "received": 130, "executed": 118.25},
                                               -> funding.total (numbers become exact
                                                  decimal strings: 118.25 -> "118.25")
      "goals": {"expected": "…", "actual": "…"},
      "indicators": [                          -> indicators (ids "v0-1", "v0-1-2", …)
        {"name": "产出指标", "weight": 50, "children": [
          {"name": "数量指标", "children": [
            {"name": "…", "weight": 10, "target": "≥20", "actual": "22",
             "unit": "个", "score": 10, "reason": "…"}]}]}],
                                               -> leaf "score" becomes a manual method
                                                  {"kind": "manual", "score": "10"};
                                                  "target"/"actual"/"reason" become
                                                  target_text/actual_text/deviation_reason
      "problems": ["…", "…"],                  -> problems[i].problem
      "suggestions": "…",
      "sections": {"overview": "…"}
    }

Every key is optional except ``version`` and ``template``; unknown keys are an error so that
nothing the clerk typed is silently dropped.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from perfeval_desktop.model.report import SCHEMA_VERSION

Migration = Callable[[dict[str, Any]], dict[str, Any]]


class MigrationError(ValueError):
    """The old file cannot be converted; ``message`` is Chinese and names the field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def file_version(data: dict[str, Any]) -> int:
    """The schema version a loaded dict declares (``schema_version``, or v0's ``version``).

    Raises :class:`MigrationError` when there is none or it is not a whole number.
    """
    if "schema_version" in data:
        key = "schema_version"
    elif "version" in data:
        key = "version"
    else:
        raise MigrationError("缺少版本号（schema_version），不是本程序保存的报告文件，或已被改动")
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise MigrationError(f"版本号（{key}）应为整数，实际为 {value!r:.40}")
    return value


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Return ``data`` converted to ``SCHEMA_VERSION`` (a new dict; ``data`` is not changed).

    A newer version is returned unchanged: the caller reports it (``NewerVersionError``).
    """
    version = file_version(data)
    if version >= SCHEMA_VERSION:
        return data
    current = copy.deepcopy(data)
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise MigrationError(
                f"文件版本 {version} 过旧，本程序（支持版本 {SCHEMA_VERSION}）无法转换"
            )
        current = step(current)
        current.pop("version", None)
        version += 1
        current["schema_version"] = version
    return current


# --- v0 -> v1 --------------------------------------------------------------------------

_V0_META = ("year", "unit", "filler", "phone", "fill_date")
_V0_PROJECT = {
    "project_name": "name",
    "department": "department",
    "implementer": "implementer",
    "leader": "leader",
}
_V0_KEYS = {
    "version", "template", "funding", "goals", "indicators", "problems", "suggestions",
    "sections", *_V0_META, *_V0_PROJECT,
}  # fmt: skip
_V0_AMOUNTS = ("initial_budget", "annual_budget", "received", "executed")
_V0_NODE = {
    "name": "name",
    "weight": "weight",
    "target": "target_text",
    "actual": "actual_text",
    "unit": "unit",
    "reason": "deviation_reason",
}


def _number(value: Any, field: str) -> Any:
    """A v0 number as an exact decimal string (``None`` and strings pass through)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise MigrationError(f"{field} 应为数字，实际为 {value!r:.40}")
    return str(Decimal(str(value)))


def _object(value: Any, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MigrationError(f"{field} 应为对象（键值表）")
    return value


def _array(value: Any, field: str) -> list[Any]:
    if not isinstance(value, list):
        raise MigrationError(f"{field} 应为列表")
    return value


def _v0_node(raw: Any, path: str, node_id: str) -> dict[str, Any]:
    src = _object(raw, path)
    unknown = set(src) - {*_V0_NODE, "score", "children"}
    if unknown:
        raise MigrationError(f"{path} 含有本程序不认识的项：{'、'.join(sorted(unknown))}")
    node: dict[str, Any] = {"id": node_id}
    for old, new in _V0_NODE.items():
        if old in src:
            node[new] = _number(src[old], f"{path}.weight") if old == "weight" else src[old]
    children = _array(src.get("children", []), f"{path}.children")
    node["children"] = [
        _v0_node(child, f"{path}.children[{i}]", f"{node_id}-{i + 1}")
        for i, child in enumerate(children)
    ]
    if "score" in src:
        if children:
            raise MigrationError(f"{path} 有下级指标，不能直接填写得分（score）")
        node["method"] = {"kind": "manual", "score": _number(src["score"], f"{path}.score")}
    return node


def _v0_to_v1(old: dict[str, Any]) -> dict[str, Any]:
    unknown = set(old) - _V0_KEYS
    if unknown:
        raise MigrationError(f"旧版文件含有本程序不认识的项：{'、'.join(sorted(unknown))}")
    if "template" not in old:
        raise MigrationError("旧版文件缺少模板（template）")
    meta: dict[str, Any] = {"template_id": old["template"]}
    meta.update({key: old[key] for key in _V0_META if key in old})
    project = {new: old[key] for key, new in _V0_PROJECT.items() if key in old}
    funding = _object(old.get("funding", {}), "funding")
    total = {key: _number(funding.get(key), f"funding.{key}") for key in _V0_AMOUNTS}
    unknown = set(funding) - set(_V0_AMOUNTS)
    if unknown:
        raise MigrationError(f"funding 含有本程序不认识的项：{'、'.join(sorted(unknown))}")
    indicators = _array(old.get("indicators", []), "indicators")
    problems = _array(old.get("problems", []), "problems")
    new: dict[str, Any] = {
        "meta": meta,
        "project": project,
        "funding": {"total": total},
        "goals": old.get("goals", {}),
        "indicators": [
            _v0_node(node, f"indicators[{i}]", f"v0-{i + 1}") for i, node in enumerate(indicators)
        ],
        "problems": [{"problem": text} for text in problems],
        "suggestions": old.get("suggestions", ""),
        "sections": old.get("sections", {}),
    }
    return new


# --- v1 -> v2 --------------------------------------------------------------------------
# v2 adds meta.contact (联系人), printed under the 自评表; before, the forms printed the
# 填报人 there, so an old file keeps printing what it printed: 联系人 = 填报人.


def _v1_to_v2(old: dict[str, Any]) -> dict[str, Any]:
    meta = old.get("meta")
    if isinstance(meta, dict) and "contact" not in meta:
        meta["contact"] = meta.get("filler", "")
    return old


MIGRATIONS: dict[int, Migration] = {
    0: _v0_to_v1,
    1: _v1_to_v2,
}
