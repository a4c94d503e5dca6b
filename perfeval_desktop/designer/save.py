"""Writing a designed form into the user template folder: a readable manifest.yaml
(written by the program) beside the forms.xlsx/report.docx copied from the source."""

from __future__ import annotations

import os
import shutil
import tempfile
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import yaml

from .. import paths
from ..errors import TemplateError
from ..templates.loader import MANIFEST, parse_manifest
from ..templates.manifest import FrameworkNode, Manifest
from .draft import TemplateDraft

LAYOUT_FILES = ("forms.xlsx", "report.docx")
# rules written even where they equal the default: what a bureau looks for in the file
_RULES_SHOWN = ("total_weight", "score_decimals", "total_decimals", "lower_formula",
                "execution", "grades", "caps", "over_achievement_ratio")


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # every value written out in full: no &anchors or *aliases


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    if value == value.to_integral_value():
        return dumper.represent_int(int(value))
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(value.normalize(), "f"))


def _enum(dumper: yaml.SafeDumper, value: Enum) -> yaml.Node:
    return dumper.represent_str(str(value.value))


_Dumper.add_representer(Decimal, _decimal)
_Dumper.add_multi_representer(Enum, _enum)


def _node_data(node: FrameworkNode) -> dict[str, Any]:
    """A framework node without defaults; a method other than 手工 keeps its ``kind``."""
    data = node.model_dump(exclude_defaults=True, exclude={"children", "method"})
    method = node.method.model_dump(exclude_defaults=True)
    if method or node.method.kind != "manual":
        data["method"] = {"kind": node.method.kind, **method}
    if node.children:
        data["children"] = [_node_data(c) for c in node.children]
    return data


def manifest_data(manifest: Manifest) -> dict[str, Any]:
    """The manifest as the file shows it: defaults left out, the main rules always shown."""
    data = manifest.model_dump(exclude_defaults=True)
    data.setdefault("version", manifest.version)
    rules = manifest.rules.model_dump(exclude_defaults=True)
    shown = manifest.rules.model_dump(include=set(_RULES_SHOWN))
    data["rules"] = {**shown, **{k: v for k, v in rules.items() if k not in shown}}
    for key in ("outline", "weight_groups"):
        data.pop(key, None)
        value = getattr(manifest, key)
        if value:
            data[key] = [v.model_dump(exclude_defaults=True) for v in value]
    data.pop("framework", None)
    if manifest.framework:
        data["framework"] = [_node_data(n) for n in manifest.framework]
    order = ("id", "version", "name", "description", "family", "forms", "report_title", "outline",
             "framework", "weight_groups", "rules")
    return {k: data[k] for k in order if k in data}


def manifest_text(draft: TemplateDraft) -> str:
    head = (
        f"# {draft.manifest.name}\n"
        "# 由“表样设计”写出（UTF-8，可用记事本查看）；"
        + (f"复制自“{draft.copied_from}”。" if draft.copied_from else "")
        + "\n# 分值、等次、封顶规则均在此处；表格版式在 forms.xlsx，正文版式在 report.docx。\n"
    )
    body = yaml.dump(manifest_data(draft.manifest), Dumper=_Dumper, allow_unicode=True,
                     sort_keys=False, width=100, default_flow_style=False)
    return head + body


def save_draft(draft: TemplateDraft, base: Path | None = None) -> Path:
    """Write ``<base or user templates>/<id>/``; the written manifest is read back and
    must equal the draft (TemplateError otherwise). Returns the folder."""
    folder = (base or paths.user_templates_dir()) / draft.manifest.id
    try:
        folder.mkdir(parents=True, exist_ok=True)
        source = draft.source
        if source is not None and source.resolve() != folder.resolve():
            for name in LAYOUT_FILES:
                if (source / name).is_file():
                    shutil.copy2(source / name, folder / name)
        fd, tmp = tempfile.mkstemp(prefix=".manifest.", suffix=".yaml", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(manifest_text(draft))
        os.replace(tmp, folder / MANIFEST)
    except OSError as exc:
        raise TemplateError(
            f"无法把表样写入文件夹“{folder}”（{exc.strerror or exc}），请检查磁盘空间和写入权限。"
        ) from exc
    back = parse_manifest(folder / MANIFEST)
    if back != draft.manifest:
        raise TemplateError(f"写出的表样文件 {folder / MANIFEST} 与设计内容不一致，请重试。")
    draft.source = folder
    return folder


__all__ = ["LAYOUT_FILES", "manifest_data", "manifest_text", "save_draft"]
