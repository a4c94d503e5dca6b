"""``.pfe`` project files: the report as indented UTF-8 JSON, saved atomically with a backup.

The file is exactly ``report.model_dump(mode="json")`` (amounts, weights and scores are
JSON strings, so they round-trip exactly), readable in Notepad.  :func:`save` never leaves a
half-written file: it writes a temporary file beside the target, keeps the previous version
as ``NAME.pfe.bak`` and renames over the target.  :func:`load` never writes anything and
turns every problem into a :class:`ProjectFileError` with a Chinese message for the clerk.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import stat
import tempfile
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from perfeval_desktop.errors import NewerVersionError, ProjectFileError, SaveError
from perfeval_desktop.filenames import NAME_MAX, fit_bytes, fit_name
from perfeval_desktop.gcpause import gc_paused
from perfeval_desktop.model.limits import MAX_DECIMALS
from perfeval_desktop.model.report import SCHEMA_VERSION, Report, repair_duplicate_ids
from perfeval_desktop.model.text import clean_tree, may_hold_control
from perfeval_desktop.storage.migrations import MigrationError, file_version, migrate

PathLike = str | os.PathLike[str]

BACKUP_SUFFIX = ".bak"
_MAX_LISTED_ERRORS = 5
_MAX_PATH_CHARS = 80
# Anything a malformed file can make json, the migrations or pydantic raise.
_BAD_CONTENT = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    ArithmeticError,
    RecursionError,
)


def backup_path(path: PathLike) -> Path:
    """Where :func:`save` keeps the previous version: ``NAME.pfe.bak`` beside the file
    (NAME shortened when the whole would pass 255 bytes)."""
    target = Path(path)
    return target.with_name(fit_name(target.name + BACKUP_SUFFIX))


# mkstemp's random part, and the longest suffix a temp file gets
_TEMP_EXTRA = 2 + 8 + len(".bak.tmp")


def temp_prefix(target: Path) -> str:
    """``.NAME.``: the start of every temp file a save of ``target`` writes beside it,
    NAME cut so that the temp file's name fits 255 bytes."""
    return f".{fit_bytes(target.name, NAME_MAX - _TEMP_EXTRA)}."


# --- writing ---------------------------------------------------------------------------


def dumps(report: Report) -> str:
    """The file's text: indented JSON, Chinese unescaped, with a trailing newline.

    pydantic's serializer writes the same bytes as ``json.dumps(report.model_dump(
    mode="json"), ensure_ascii=False, indent=2)`` did, 6–7 times faster
    (tests/storage/test_pfe_dumps.py compares them)."""
    return report.model_dump_json(indent=2) + "\n"


def save(report: Report, path: PathLike) -> None:
    """Write ``report`` to ``path`` atomically, keeping the old file as ``NAME.pfe.bak``.

    On failure raises :class:`SaveError`; the existing file is then unchanged and no
    temporary file is left behind.
    """
    target = Path(os.path.abspath(path))
    data = dumps(report).encode("utf-8")
    temps: list[str] = []
    try:
        tmp = _write_temp(target, data, temps)
        if target.exists():
            _copy_mode(target, tmp)
            _backup(target, temps)
        elif os.name != "nt":
            os.chmod(tmp, 0o644)
        os.replace(tmp, target)
        temps.remove(tmp)
    except OSError as exc:
        raise SaveError(_save_message(target, exc)) from exc
    finally:
        for leftover in temps:
            with contextlib.suppress(OSError):
                os.remove(leftover)
    _fsync_dir(target.parent)


def _write_temp(target: Path, data: bytes, temps: list[str]) -> str:
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp", dir=target.parent)
    temps.append(tmp)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    return tmp


def _backup(target: Path, temps: list[str]) -> None:
    """Copy the current file to ``NAME.pfe.bak``, itself atomically (copy, then rename)."""
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".bak.tmp", dir=target.parent)
    temps.append(tmp)
    with os.fdopen(fd, "wb") as dst, open(target, "rb") as src:
        shutil.copyfileobj(src, dst)
        dst.flush()
        os.fsync(dst.fileno())
    _copy_mode(target, tmp)
    os.replace(tmp, backup_path(target))
    temps.remove(tmp)


def _copy_mode(source: Path, dest: str) -> None:
    if os.name != "nt":
        os.chmod(dest, stat.S_IMODE(os.stat(source).st_mode))


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable (POSIX only; Windows cannot open a folder)."""
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _save_message(target: Path, exc: OSError) -> str:
    head = f"无法保存“{target}”"
    detail = f"（系统提示：{exc.strerror or exc}）"
    folder = target.parent
    if exc.errno == errno.ENOSPC or getattr(exc, "winerror", None) == 112:
        return f"{head}：磁盘空间不足{detail}。请清理磁盘空间，或用“另存为”保存到其他磁盘。"
    if isinstance(exc, FileNotFoundError):
        return f"{head}：文件夹“{folder}”不存在{detail}。请用“另存为”选择一个已有的文件夹。"
    if exc.errno == errno.EROFS:
        return (
            f"{head}：文件夹“{folder}”是只读的{detail}。"
            "请用“另存为”保存到其他文件夹（如“文档”）。"
        )
    if isinstance(exc, PermissionError):
        if os.name == "nt":
            return (
                f"{head}：文件被其他程序占用或没有写入权限{detail}。"
                "请关闭 WPS/Excel 中打开的该文件后重试；"
                "若仍不行，请检查文件是否设为只读，或用“另存为”保存到其他文件夹。"
            )
        return (
            f"{head}：没有写入权限（文件夹“{folder}”或文件为只读）{detail}。"
            "请用“另存为”保存到其他文件夹（如“文档”），或请管理员开放写入权限。"
        )
    return f"{head}{detail}。请重试，或用“另存为”保存到其他文件夹。"


# --- reading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    """A report as read, with what was repaired on the way (one message each, Chinese)."""

    report: Report
    notes: list[str]


def load(path: PathLike) -> Report:
    """Read a ``.pfe`` file; every problem becomes a :class:`ProjectFileError`."""
    return read(path).report


def read(path: PathLike) -> Loaded:
    """:func:`load` with the repairs made (duplicate indicator ids) for the clerk to see."""
    source = Path(path)
    try:
        raw = source.read_bytes()
    except FileNotFoundError:
        raise ProjectFileError(
            f"找不到项目文件“{source}”。请检查文件是否已被移动、改名或删除，然后重新选择。"
        ) from None
    except IsADirectoryError:
        raise ProjectFileError(
            f"“{source}”是一个文件夹，不是项目文件。请选择 .pfe 文件。"
        ) from None
    except PermissionError:
        raise ProjectFileError(
            f"无法读取项目文件“{source}”：没有读取权限或文件被其他程序占用。"
            "请关闭占用该文件的程序后重试，或把文件复制到“文档”文件夹再打开。"
        ) from None
    except OSError as exc:
        raise ProjectFileError(
            f"无法读取项目文件“{source}”（系统提示：{exc.strerror or exc}）。"
            "请确认文件所在的磁盘或网络位置可以访问后重试。"
        ) from None
    backup = backup_path(source)
    hint = f"可尝试打开备份文件 {backup.name}。" if backup.is_file() else ""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProjectFileError(
            f"项目文件“{source}”不是 UTF-8 编码的文本（第 {exc.start + 1} 个字节无法识别），"
            f"文件可能已损坏，或不是本程序保存的 .pfe 文件。{hint}"
        ) from None
    with gc_paused():  # 100,000 indicators: 3× faster (gcpause.py)
        report, notes = _loads(text, str(source), hint, raw)
        note = repair_duplicate_ids(report)
    return Loaded(report, [*notes, note] if note else notes)


def loads(text: str, *, source: str = "") -> Report:
    """Parse the text of a ``.pfe`` file (``source`` names it in messages)."""
    report, _notes = _loads(text, source, "")
    repair_duplicate_ids(report)
    return report


def _loads(
    text: str, source: str, hint: str, raw: bytes | None = None
) -> tuple[Report, list[str]]:
    name = f"项目文件“{source}”" if source else "项目文件"
    try:
        return _parse(text, name, hint, raw)
    except ProjectFileError:
        raise
    except RecursionError:
        raise ProjectFileError(
            f"{name}的内容嵌套层数过多，不是本程序保存的报告文件，或已损坏。{hint}"
        ) from None
    except _BAD_CONTENT as exc:
        raise ProjectFileError(
            f"{name}的内容无法识别（{type(exc).__name__}），文件可能已损坏。{hint}"
        ) from None


def _parse(
    text: str, name: str, hint: str, raw: bytes | None = None
) -> tuple[Report, list[str]]:
    text = text.removeprefix("\ufeff")  # Notepad may add a byte-order mark
    if not text or text.isspace():  # (strip() would copy a 50 MB text)
        raise ProjectFileError(f"{name}是空的，没有任何内容，可能保存时被中断。{hint}")
    fast = _parse_fast(text, raw)
    if fast is not None:
        return fast, []
    try:
        # strict=False: a control character typed raw into a string (another program's edit)
        # is read, then removed and named below like an escaped one
        data = json.loads(
            text, parse_float=Decimal, parse_constant=_reject_constant, strict=False
        )
    except json.JSONDecodeError as exc:
        body = text.strip()
        if exc.pos >= len(text.rstrip()) or (body.startswith("{") and not body.endswith("}")):
            problem = "内容不完整（在结尾处被截断），可能保存时被中断"
        else:
            problem = f"已损坏（第 {exc.lineno} 行第 {exc.colno} 列附近无法解析）"
        raise ProjectFileError(
            f"{name}{problem}，或被其他程序改动过。{hint or '请检查文件是否完整。'}"
        ) from None
    if not isinstance(data, dict):
        raise ProjectFileError(
            f"{name}不是绩效自评报告文件（内容不是报告对象）。"
            "请确认打开的是本程序保存的 .pfe 文件。"
        )
    try:
        version = file_version(data)
        if version > SCHEMA_VERSION:
            raise NewerVersionError(
                f"无法打开{name}：此文件由更高版本的程序保存（文件版本 {version}，"
                f"本程序支持 {SCHEMA_VERSION}），请升级绩效自评填报助手后再打开。"
            )
        data = migrate(data)
    except MigrationError as exc:
        raise ProjectFileError(f"无法打开{name}：{exc.message}。{hint}") from None
    notes: list[str] = []
    cleaned = clean_tree(data) if may_hold_control(text) else []
    if cleaned:
        notes.append(_control_note(cleaned))
    try:
        report = Report.model_validate(data)
    except ValidationError as exc:
        raise ProjectFileError(_validation_message(name, exc, hint)) from None
    report.cleaned_on_load.extend((_finding_path(loc), _field_label(loc)) for loc in cleaned)
    return report, notes


def _finding_path(loc: tuple[int | str, ...]) -> str:
    """``('indicators', 0, 'name')`` → ``indicators[0].name``, the validator's path syntax
    (a dictionary key as ``.key``: ``sections.results_score``)."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


# a JSON number with a fraction or an exponent as a value: pydantic would read it through a
# float (999999999999.999999 → 1000000000000), json.loads(parse_float=Decimal) exactly
_JSON_FRACTION = re.compile(r":\s*-?[0-9]+[.eE]")


def _parse_fast(text: str, raw: bytes | None = None) -> Report | None:
    """The common case in one step: a file of this version whose amounts are strings (as
    :func:`save` writes them) and that holds no control character, validated by pydantic
    straight from the text, with no Python dicts in between (100,000 indicators: 0.6 s
    instead of 1 s) — from the file's bytes where given (``raw``, the UTF-8 of ``text``:
    pydantic would otherwise encode the text again, 0.1 s).  None sends every other file
    the long way, which names each problem."""
    if _JSON_FRACTION.search(text) or may_hold_control(text):
        return None
    try:
        report = Report.model_validate_json(
            text if raw is None else raw.removeprefix(b"\xef\xbb\xbf")
        )
    except (ValidationError, ValueError, RecursionError):
        return None
    if "schema_version" not in report.model_fields_set:  # (an old file: migrations)
        return None
    return report if report.schema_version == SCHEMA_VERSION else None


def _control_note(where: list[tuple[int | str, ...]]) -> str:
    shown = "、".join(_field_label(loc) for loc in where[:_MAX_LISTED_ERRORS])
    more = f" 等 {len(where)} 处" if len(where) > _MAX_LISTED_ERRORS else ""
    return (
        f"报告中 {shown}{more}含有控制字符（多为从其他程序粘贴带入，无法写入 Word/Excel），"
        "已删除。请核对这些内容，保存后不再提示。"
    )


def _reject_constant(value: str) -> Any:
    raise ValueError(f"JSON 中不允许 {value}")


# --- pydantic errors in Chinese ----------------------------------------------------------


def _validation_message(name: str, exc: ValidationError, hint: str) -> str:
    errors = exc.errors(include_url=False, include_input=False)
    shown = errors[:_MAX_LISTED_ERRORS]
    lines = [f"- {_field_label(err['loc'])}：{_problem(err)}" for err in shown]
    if len(errors) > _MAX_LISTED_ERRORS:
        lines.append(f"- ……另有 {len(errors) - _MAX_LISTED_ERRORS} 处问题未列出")
    fix = hint or "请用本程序重新保存该报告，或检查文件是否被其他程序改动过。"
    head = f"{name}不是有效的绩效自评报告（共 {len(errors)} 处问题）："
    return "\n".join([head, *lines, fix])


_PROBLEMS = {
    "missing": "缺少此项",
    "extra_forbidden": "是本程序不认识的项",
    "string_type": "应为文本",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "finite_number": "应为有限的数字",
    "decimal_max_places": f"小数位数过多（最多 {MAX_DECIMALS} 位）",
    "list_type": "应为列表",
    "dict_type": "应为对象（键值表）",
    "model_type": "应为对象（键值表）",
    "model_attributes_type": "应为对象（键值表）",
    "recursion_loop": "嵌套层数过多",
    "union_tag_not_found": "缺少计分方式（kind）",
}


def _problem(err: Any) -> str:
    kind: str = err["type"]
    ctx: dict[str, Any] = err.get("ctx") or {}
    if kind in _PROBLEMS:
        return _PROBLEMS[kind]
    if kind.startswith("decimal") or kind.startswith("float"):
        return "应为数字（如 12.50）"
    if kind.startswith("date"):
        return "应为日期（如 2024-03-15）"
    if kind == "greater_than_equal":
        return f"不能小于 {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"不能大于 {ctx.get('le')}"
    if kind in ("enum", "literal_error"):
        return f"应为以下之一：{_choices(ctx.get('expected'))}"
    if kind == "union_tag_invalid":
        expected = _choices(ctx.get("expected_tags"))
        return f"计分方式“{ctx.get('tag')}”无法识别，应为以下之一：{expected}"
    return f"值不正确（{err.get('msg', kind)}）"


def _choices(expected: Any) -> str:
    """pydantic's ``'a', 'b' or 'c'`` as ``a、b、c``."""
    text = str(expected).replace("' or '", "', '")
    return "、".join(item.strip().strip("'") for item in text.split("', '"))


def _field_label(loc: tuple[int | str, ...]) -> str:
    """``('meta', 'year')`` -> ``meta.year（年度）``, following the model for titles."""
    path = ""
    title: str | None = None
    current: Any = Report
    for part in loc:
        title = None
        model = _model_of(current)
        if part == "[key]":  # pydantic's marker for a bad dictionary key
            title = "键名"
        elif isinstance(part, int):
            path += f"[{part}]"
            current = _item_type(current)
        elif model is not None and part in model.model_fields:
            field = model.model_fields[part]
            path += f".{part}" if path else part
            title = field.title
            current = field.annotation
        elif (member := _tagged_member(current, part)) is not None:
            current = member  # the discriminator tag pydantic puts in the location
        elif typing.get_origin(current) is dict:
            path += f"[{part}]"
            current = typing.get_args(current)[1]
        else:
            path += f".{part}" if path else str(part)
            current = None
    path = path or "（整个文件）"
    if len(path) > _MAX_PATH_CHARS:
        path = "…" + path[-_MAX_PATH_CHARS:]
    return f"{path}（{title}）" if title else path


def _union_members(tp: Any) -> tuple[Any, ...]:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return tuple(a for a in typing.get_args(tp) if a is not type(None))
    return (tp,)


def _model_of(tp: Any) -> type[BaseModel] | None:
    members = _union_members(tp)
    if len(members) == 1 and isinstance(members[0], type) and issubclass(members[0], BaseModel):
        return members[0]
    return None


def _item_type(tp: Any) -> Any:
    members = _union_members(tp)
    if len(members) == 1 and typing.get_origin(members[0]) is list:
        return typing.get_args(members[0])[0]
    return None


def _tagged_member(tp: Any, tag: str) -> type[BaseModel] | None:
    for member in _union_members(tp):
        if isinstance(member, type) and issubclass(member, BaseModel):
            kind = member.model_fields.get("kind")
            if kind is not None and kind.default == tag:
                return member
    return None
