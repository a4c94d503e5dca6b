"""Loading template folders: ``<id>/manifest.yaml`` validated, errors with file and line.

Built-in templates ship in the bundle's ``templates/``; a folder of the same id in the
user's templates folder overrides the built-in one.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .. import paths
from ..errors import TemplateError
from .families import families, recognise
from .manifest import Manifest, Section

MANIFEST = "manifest.yaml"
_SAFE_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")  # Manifest.id's pattern
# libyaml's parser where PyYAML was built with it (about 6× faster at start-up)
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Template:
    manifest: Manifest
    folder: Path
    #: a plain form made up to show a report whose own template cannot be used (read-only)
    stand_in: bool = False

    @property
    def id(self) -> str:
        return self.manifest.id


def _resolve(root: yaml.Node, loc: tuple[int | str, ...]) -> tuple[tuple[int | str, ...], int]:
    """Follow ``loc`` through the YAML nodes; return the real keys and the 1-based line.

    Parts that are not keys of the document (pydantic's union tags) are skipped.
    """
    current = root
    kept: list[int | str] = []
    for key in loc:
        nxt: yaml.Node | None = None
        if isinstance(current, yaml.MappingNode):
            for k, v in current.value:
                if getattr(k, "value", None) == key:
                    nxt = v
                    break
        elif isinstance(current, yaml.SequenceNode) and isinstance(key, int):
            if 0 <= key < len(current.value):
                nxt = current.value[key]
        if nxt is not None:
            kept.append(key)
            current = nxt
    return tuple(kept), current.start_mark.line + 1


_MESSAGES = {
    "missing": "缺少必填项",
    "extra_forbidden": "不认识的键（是否拼写错误？）",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "string_type": "应为文字",
    "list_type": "应为列表（每项以“- ”开头）",
    "dict_type": "应为键值结构",
    "model_type": "应为键值结构",
    "model_attributes_type": "应为键值结构",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "string_pattern_mismatch": "只能使用小写字母、数字、下划线和连字符",
    "union_tag_invalid": "计分方法 kind 不认识",
    "greater_than": "应大于 0",
    "less_than_equal": "应不大于 {le}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
}


def _describe(err: Any) -> str:
    text = _MESSAGES.get(err["type"])
    if err["type"] == "value_error":  # the manifest's own checks, written in Chinese
        return str(err["msg"]).removeprefix("Value error, ")
    if text is None:
        return f"取值不符合要求（{err['type']}）"
    if "{" in text:
        text = text.format(**{k: str(v) for k, v in (err.get("ctx") or {}).items()})
    if err["type"] in ("literal_error", "enum", "union_tag_invalid"):
        ctx = err.get("ctx") or {}
        expected = ctx.get("expected") or ctx.get("expected_tags")
        if expected:
            text += f"，可用：{expected}"
    return text


def _loc_text(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


MANIFEST_MAX_CHARS = 1_000_000


def _refuse_aliases(text: str, path: Path) -> None:
    """Anchors and aliases (``&a`` / ``*a``) can make a tiny file expand to billions of
    nodes (an alias bomb); a manifest has no use for them."""
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            line = event.start_mark.line + 1 if event.start_mark else 0
            raise TemplateError(
                f"模板文件 {path} 第 {line} 行使用了 YAML 锚点或别名"
                "（& 或 *），模板清单中不允许使用。请把引用的内容直接写出。"
            )


# the YAML parser's problems, as a clerk reads them
_YAML_PROBLEMS = (
    ("did not find expected ',' or ']'", "方括号 [ ] 没有配对，或缺少逗号"),
    ("did not find expected ',' or '}'", "花括号 { } 没有配对，或缺少逗号"),
    ("mapping values are not allowed", "此处不能出现冒号（内容含冒号时请加引号）"),
    ("could not find expected ':'", "缺少冒号"),
    ("found character '\\t'", "不能用 Tab 键缩进，请改用空格"),
    ("found unexpected end of stream", "引号没有配对"),
    ("did not find expected key", "缩进不一致"),
    ("did not find expected '-' indicator", "列表的缩进不一致"),
    ("found duplicate anchor", "锚点重复"),
)


def _yaml_problem(problem: str) -> str:
    for english, chinese in _YAML_PROBLEMS:
        if problem.startswith(english):
            return chinese
    return f"无法解析（{problem}）"


def parse_manifest(path: Path) -> Manifest:
    """Read and validate one manifest; any problem raises TemplateError naming file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TemplateError(f"无法读取模板文件 {path}：{exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise TemplateError(f"模板文件 {path} 不是 UTF-8 编码，请用 UTF-8 另存后重试") from exc
    if len(text) > MANIFEST_MAX_CHARS:
        raise TemplateError(
            f"模板文件 {path} 过大（{len(text)} 个字符，上限 {MANIFEST_MAX_CHARS}），"
            "不是正常的模板清单。请从财政部门重新获取该模板。"
        )
    try:
        _refuse_aliases(text, path)
        data: Any = yaml.load(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        raise TemplateError(
            f"模板文件 {path} 第 {line} 行格式错误：{_yaml_problem(str(exc.problem or exc))}。"
            "请检查缩进和冒号。"
        ) from exc
    except yaml.YAMLError as exc:  # the reader's: a control character, a bad encoding
        raise TemplateError(
            f"模板文件 {path} 含有不能出现在模板中的字符（{exc}）。"
            "请用记事本打开，删除乱码后按 UTF-8 另存。"
        ) from exc
    if not isinstance(data, dict):
        raise TemplateError(f"模板文件 {path} 第 1 行：内容应为键值结构（id、name、outline……）")
    try:
        return Manifest.model_validate(data)
    except ValidationError as exc:
        # only now is the document parsed again, keeping the line of every node
        root = yaml.compose(text, Loader=_LOADER)
        assert root is not None  # the document parsed to a mapping above
        lines = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            clean, line = _resolve(root, loc)
            if err["type"] == "missing" and loc:
                clean = (*clean, loc[-1])
            where = _loc_text(clean) or "根"
            lines.append(f"{path} 第 {line} 行（{where}）：{_describe(err)}")
        raise TemplateError("模板清单有误：\n" + "\n".join(lines)) from exc


def template_dirs() -> list[Path]:
    """Where templates are looked for, later folders overriding earlier ones."""
    dirs = [paths.builtin_templates_dir()]
    user = paths.user_templates_dir()
    if user not in dirs:
        dirs.append(user)
    return dirs


@dataclass(frozen=True)
class BrokenTemplate:
    """A template folder that cannot be used, with the message saying why (issue #13 §5)."""

    folder: Path
    message: str

    @property
    def id(self) -> str:
        return self.folder.name


def _read_folder(folder: Path) -> Template:
    try:
        manifest = parse_manifest(folder / MANIFEST)
    except TemplateError:
        raise
    except Exception as exc:  # a hostile file: whatever the parser raises, this folder alone
        raise TemplateError(
            f"模板文件 {folder / MANIFEST} 无法读取（{type(exc).__name__}）。"
            "请从财政部门重新获取该模板。"
        ) from exc
    if manifest.id != folder.name:
        raise TemplateError(
            f"{folder / MANIFEST}：id “{manifest.id}” 与文件夹名 “{folder.name}” 不一致，"
            "请把两者改为相同"
        )
    if manifest.forms is None and manifest.family not in families():
        known = "、".join(f"{k}（{f.forms.name}）" for k, f in families().items())
        raise TemplateError(
            f"{folder / MANIFEST}：类别 family “{manifest.family}” 未知。可用：{known}；"
            "或在本文件的 forms 中声明这一类别的表格。"
        )
    return Template(manifest, folder)


def scan(dirs: list[Path] | None = None) -> tuple[dict[str, Template], list[BrokenTemplate]]:
    """Every usable template by id, and the broken folders: one broken template never hides
    the others.  A broken user folder hides the built-in template of its id too: the
    bureau's version was meant, so its reports say what is wrong with it."""
    found: dict[str, Template] = {}
    broken: list[BrokenTemplate] = []
    for base in dirs if dirs is not None else template_dirs():
        if not base.is_dir():
            continue
        for folder in sorted(p for p in base.iterdir() if (p / MANIFEST).is_file()):
            try:
                template = _read_folder(folder)
            except TemplateError as exc:
                broken.append(BrokenTemplate(folder, exc.message))
                found.pop(folder.name, None)  # never silently the built-in one instead
                continue
            found[template.id] = template
    return found, broken


def discover(dirs: list[Path] | None = None, *, strict: bool = False) -> dict[str, Template]:
    """Every usable template by id; a user folder overrides a built-in one of the same id.

    Broken folders are left out (:func:`broken_templates` lists them); ``strict`` raises
    the first one's TemplateError instead."""
    found, broken = scan(dirs)
    if strict and broken:
        raise TemplateError(broken[0].message)
    return found


def broken_templates(dirs: list[Path] | None = None) -> list[BrokenTemplate]:
    return scan(dirs)[1]


def load_template(template_id: str, dirs: list[Path] | None = None) -> Template:
    """The template ``template_id`` as :func:`scan` finds it, reading only its own folders
    (a template's id is its folder's name): a user folder overrides the built-in one, a
    broken one says what is wrong with it (the first broken one, as scan lists them)."""
    template: Template | None = None
    first_broken: str | None = None
    for base in dirs if dirs is not None else template_dirs():
        folder = base / template_id
        # a name the folder lists (never a path, nor another spelling on a case-blind disk)
        if not (base.is_dir() and template_id in os.listdir(base)
                and (folder / MANIFEST).is_file()):
            continue
        try:
            template = _read_folder(folder)
        except TemplateError as exc:
            template = None
            first_broken = first_broken or exc.message
    if template is not None:
        return template
    if first_broken is not None:
        raise TemplateError(f"本报告使用的模板“{template_id}”有错误，暂不能打开：{first_broken}")
    raise TemplateError(not_installed(template_id, scan(dirs)[0]))


def not_installed(template_id: str, templates: dict[str, Template]) -> str:
    """What a clerk reads when a report's template (表样) is not on this computer: which
    one, and the two ways on (install its .pft, or move the content to an installed form)."""
    shown = template_id if len(template_id) <= 60 else f"{template_id[:60]}…"
    known = "、".join(sorted(templates)) or "无"
    return (
        f"找不到表样“{shown}”：它没有安装在这台电脑上（已安装：{known}，"
        "名称见 文件 → 新建 或命令 templates）。"
        f"请向下发表样的财政部门索取表样文件“{shown}.pft”，用 工具 → 导入表样… 安装"
        f"（命令行：perfeval-desktop import-template {shown}.pft）后重试；"
        "或按已安装的表样新建报告，把原报告的内容复制过去。"
    )


def template_for_reading(template_id: str, sections: list[str]) -> tuple[Template, str | None]:
    """The template to show a report with, and why it opens read-only (None: it does not).

    A report of a broken template opens read-only with the template's message (issue #13
    §5): shown with the built-in template of that id where a broken user copy hides one,
    else with a plain stand-in (the report's own sections, default rules).  A template that
    is not installed at all opens it read-only too, with a stand-in and the message naming
    the missing 表样 and the way on (:func:`not_installed`)."""
    templates, broken = scan()
    if template_id in templates:
        return templates[template_id], None
    bad = next((b for b in broken if b.id == template_id), None)
    if bad is None:  # not installed at all: shown with a stand-in, never refused
        shown = stand_in(template_id, sections, templates)
        return shown, not_installed(template_id, templates)
    message = f"本报告使用的模板“{template_id}”有错误：{bad.message}"
    builtin = paths.builtin_templates_dir() / template_id
    try:
        return _read_folder(builtin), message
    except (TemplateError, OSError):
        pass
    return stand_in(template_id, sections, templates), message


def stand_in(
    template_id: str, sections: list[str], templates: dict[str, Template] | None = None
) -> Template:
    """A plain template to show a report whose own one cannot be used: the report's own
    sections (titled as an installed form titles a section of that id), default rules."""
    known: dict[str, Section] = {}
    for template in (templates or {}).values():
        for section in template.manifest.all_sections():
            known.setdefault(section.id, section)
    outline = [
        known[key].model_copy(update={"children": []}) if key in known
        else Section(id=key, title=key)
        for key in sections
    ]
    safe = template_id if _SAFE_ID.fullmatch(template_id) else "broken"
    manifest = Manifest(
        id=safe, name=f"{template_id[:60]}（只读）", outline=outline,
        family=recognise(set()) or next(iter(families()), "unknown"),  # the plain family
    )
    return Template(manifest, paths.user_templates_dir() / safe, stand_in=True)
