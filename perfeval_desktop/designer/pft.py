"""表样文件 ``<id>.pft``: one file a finance bureau hands out with a form.

A ``.pft`` is a zip holding ``pft.json`` (format, id, version, name, the files),
``template/`` (the template folder: manifest.yaml, forms.xlsx, report.docx)
and ``library/`` (the form's indicator library entries, where its folder has them).

Importing never trusts the file: size, member count, total unpacked size and the
compression ratio are bounded (zip bombs), names that leave the folder are refused
(``..``, absolute paths, drive letters, links), only the known kinds of file are taken,
and the unpacked folder is loaded like any template on disk before anything is installed.
A form of an id already installed is replaced only when the clerk confirms, and a newer
installed version is never replaced by an older one.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .. import paths
from ..errors import TemplateError
from ..templates.loader import MANIFEST, Template, discover

FORMAT = "perfeval-template"
FORMAT_VERSION = 1
SUFFIX = ".pft"
MAX_FILE_BYTES = 50 * 1024 * 1024  # the .pft itself
MAX_MEMBERS = 500
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200  # unpacked / packed size of one member
ALLOWED_SUFFIXES = {".yaml", ".yml", ".xlsx", ".docx", ".json", ".csv", ".txt"}
TEMPLATE_FILES = ("manifest.yaml", "forms.xlsx", "report.docx")
LIBRARY = "library"
OWN_LIBRARY = "指标库.json"  # the indicator library entries handed out with the form


@dataclass(frozen=True)
class PftContents:
    """What a checked .pft holds, unpacked into ``folder`` (a temporary folder)."""

    source: Path
    template: Template  # loaded from the unpacked folder
    files: tuple[tuple[str, int], ...]  # (name inside the zip, unpacked bytes)
    library: tuple[str, ...]
    folder: Path

    @property
    def id(self) -> str:
        return self.template.id

    @property
    def version(self) -> str:
        return self.template.manifest.version

    def describe(self) -> str:
        m = self.template.manifest
        lines = [f"表样：{m.name}", f"编号：{m.id}　版本：第 {m.version} 版"]
        if m.description:
            lines.append(f"说明：{m.description}")
        lines.append("包含文件：")
        lines += [f"  {name}（{_size(n)}）" for name, n in self.files]
        if self.library:
            lines.append(f"指标库条目文件 {len(self.library)} 个")
        return "\n".join(lines)

    def discard(self) -> None:
        shutil.rmtree(self.folder.parent, ignore_errors=True)


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} 字节"


def version_key(version: str) -> tuple[tuple[int, str], ...]:
    """"2" > "1.10" > "1.9" > "1": numeric parts compared as numbers."""
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in version.split("."))


# --- export ----------------------------------------------------------------------------


def _own_library(work: Path) -> list[tuple[str, Path]]:
    """The bureau's own indicator library (工具 → 指标库), exported beside the form."""
    from ..library.store import LibraryError, export_library

    target = work / OWN_LIBRARY
    try:
        count = export_library(target)
    except (LibraryError, OSError):
        return []
    return [(f"{LIBRARY}/{OWN_LIBRARY}", target)] if count else []


def export_pft(template: Template, out_dir: Path, with_library: bool = True) -> Path:
    """Write ``<out_dir>/<id>.pft`` from an installed template, with the library entries of
    its folder and (``with_library``) the user's own indicator library (TemplateError)."""
    with tempfile.TemporaryDirectory(prefix=".pft-", dir=paths.data_dir()) as work:
        return _export(template, out_dir, _own_library(Path(work)) if with_library else [])


def _export(template: Template, out_dir: Path, extra: list[tuple[str, Path]]) -> Path:
    folder = template.folder
    members = [(f"template/{n}", folder / n) for n in TEMPLATE_FILES if (folder / n).is_file()]
    library = folder / LIBRARY
    if library.is_dir():
        members += [(f"{LIBRARY}/{p.name}", p) for p in sorted(library.iterdir())
                    if p.is_file() and p.suffix.lower() in ALLOWED_SUFFIXES
                    and p.name != OWN_LIBRARY]
    members += extra
    m = template.manifest
    info = {"format": FORMAT, "format_version": FORMAT_VERSION, "id": m.id,
            "version": m.version, "name": m.name, "files": [name for name, _ in members]}
    target = out_dir / f"{m.id}{SUFFIX}"
    try:
        with tempfile.NamedTemporaryFile(dir=out_dir, suffix=".tmp", delete=False) as tmp:
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
                zf.writestr("pft.json", json.dumps(info, ensure_ascii=False, indent=2))
                for name, path in members:
                    zf.write(path, name)
        Path(tmp.name).replace(target)
    except OSError as exc:
        with contextlib.suppress(OSError, NameError):
            Path(tmp.name).unlink(missing_ok=True)
        raise TemplateError(
            f"无法写出表样文件“{target}”（{exc.strerror or exc}），请换一个文件夹后重试。"
        ) from exc
    return target


# --- import: check ---------------------------------------------------------------------


def _refuse(source: Path, why: str) -> TemplateError:
    return TemplateError(f"表样文件“{source.name}”不能导入：{why}")


def _safe_name(source: Path, info: zipfile.ZipInfo) -> PurePosixPath:
    name = info.filename
    path = PurePosixPath(name)
    if (name.startswith(("/", "\\")) or "\\" in name or ":" in name or ".." in path.parts
            or path.is_absolute()):
        raise _refuse(source, f"其中的“{name}”指向表样文件夹以外的位置，可能是恶意文件。")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise _refuse(source, f"其中的“{name}”是链接，不是普通文件。")
    return path


def _check_members(source: Path, zf: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    infos = [i for i in zf.infolist() if not i.is_dir()]
    if len(infos) > MAX_MEMBERS:
        raise _refuse(source, f"包含 {len(infos)} 个文件，超过上限 {MAX_MEMBERS} 个。")
    total = 0
    for info in infos:
        path = _safe_name(source, info)
        top = path.parts[0]
        if path.name != "pft.json" and (top not in ("template", LIBRARY) or len(path.parts) != 2
                                        or path.suffix.lower() not in ALLOWED_SUFFIXES):
            raise _refuse(source, f"其中的“{info.filename}”不是表样可以包含的文件"
                          "（只允许 template/ 下的模板文件和 library/ 下的指标库文件）。")
        total += info.file_size
        if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > 1 << 20:
            raise _refuse(source, f"其中的“{info.filename}”压缩比异常（疑似压缩炸弹）。")
    if total > MAX_UNPACKED_BYTES:
        raise _refuse(source, f"解压后共 {total // (1 << 20)} MB，超过上限 "
                      f"{MAX_UNPACKED_BYTES // (1 << 20)} MB。")
    return infos


def _read_info(source: Path, zf: zipfile.ZipFile) -> dict[str, object]:
    try:
        info = json.loads(zf.read("pft.json").decode("utf-8"))
    except KeyError:
        raise _refuse(source, "缺少 pft.json，不是本程序导出的表样文件。") from None
    except (ValueError, UnicodeDecodeError):
        raise _refuse(source, "pft.json 内容损坏。") from None
    if not isinstance(info, dict) or info.get("format") != FORMAT:
        raise _refuse(source, "不是本程序导出的表样文件。")
    if not isinstance(info.get("format_version"), int) or info["format_version"] > FORMAT_VERSION:
        raise _refuse(source, "由更新版本的程序导出，请先升级程序。")
    return info


def _unpack(source: Path, zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], dest: Path) -> None:
    for info in infos:
        path = PurePosixPath(info.filename)
        if path.name == "pft.json":
            continue
        # template/X → <id>/X, library/X → <id>/library/X
        target = dest / path.name if path.parts[0] == "template" else dest / LIBRARY / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        with zf.open(info) as src, open(target, "wb") as out:
            while chunk := src.read(1 << 16):
                written += len(chunk)
                if written > info.file_size:  # a header that lies about the size
                    raise _refuse(source, f"其中的“{info.filename}”大小与记录不符。")
                out.write(chunk)


def read_pft(source: Path) -> PftContents:
    """Check and unpack a .pft into a temporary folder, and load its template from there."""
    try:
        if source.stat().st_size > MAX_FILE_BYTES:
            raise _refuse(source, f"文件超过 {MAX_FILE_BYTES // (1 << 20)} MB。")
        zf = zipfile.ZipFile(source)
    except FileNotFoundError:
        raise TemplateError(f"找不到表样文件“{source}”，请重新选择。") from None
    except zipfile.BadZipFile:
        raise _refuse(source, "文件已损坏或不是表样文件（.pft）。") from None
    except OSError as exc:
        raise _refuse(source, f"无法读取（{exc.strerror or exc}）。") from None
    work = Path(tempfile.mkdtemp(prefix=".import-", dir=paths.data_dir()))
    try:
        with zf:
            infos = _check_members(source, zf)
            info = _read_info(source, zf)
            tid = str(info.get("id", ""))
            if not tid or "/" in tid or "\\" in tid or tid.startswith("."):
                raise _refuse(source, "pft.json 中的表样编号无效。")
            folder = work / tid
            _unpack(source, zf, infos, folder)
        if not (folder / MANIFEST).is_file():
            raise _refuse(source, "缺少 template/manifest.yaml。")
        template = discover([work], strict=True)[tid]  # the loader's checks, as on disk
    except KeyError:
        shutil.rmtree(work, ignore_errors=True)
        raise _refuse(source, "pft.json 与 manifest.yaml 的表样编号不一致。") from None
    except TemplateError:
        shutil.rmtree(work, ignore_errors=True)
        raise
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise _refuse(source, f"内容无法读取（{exc}）。") from exc
    files = tuple((i.filename, i.file_size) for i in infos if i.filename != "pft.json")
    library = tuple(sorted(p.name for p in (folder / LIBRARY).glob("*"))) \
        if (folder / LIBRARY).is_dir() else ()
    return PftContents(source, template, files, library, folder)


# --- import: install -------------------------------------------------------------------


@dataclass(frozen=True)
class Installed:
    template: Template
    replaced: str | None  # the version replaced, if any
    library_added: int = 0  # indicator library entries new to the clerk's own library


def _merge_library(folder: Path) -> int:
    """The form's 指标库.json merged into the clerk's own library (how many were new)."""
    from ..library.store import LibraryError, import_library

    path = folder / LIBRARY / OWN_LIBRARY
    if not path.is_file():
        return 0
    try:
        return import_library(path)
    except LibraryError as exc:
        raise TemplateError(f"表样已安装，但其中的指标库无法读入：{exc.message}") from exc


Confirm = Callable[[str], bool]


def install_question(contents: PftContents, installed: Template | None) -> str | None:
    """What the clerk must confirm before installing (None: nothing is replaced)."""
    if installed is None:
        return None
    old, new = installed.manifest.version, contents.version
    user = installed.folder.parent.resolve() == paths.user_templates_dir().resolve()
    where = "已安装" if user else "程序内置"
    if version_key(new) > version_key(old):
        return (f"{where}表样“{installed.manifest.name}”为第 {old} 版，导入的是更新的第 {new} 版。"
                "替换后新建的报告按新版填写，已填写的报告仍记录原来的版本。是否替换？")
    return (f"{where}表样“{installed.manifest.name}”为第 {old} 版，导入的是第 {new} 版"
            "（不比已安装的新）。仍要替换吗？")


def install_pft(contents: PftContents, confirm: Confirm) -> Installed | None:
    """Install into the user template folder; None when the clerk declined.

    An older version than the one installed is refused outright (TemplateError)."""
    installed = discover().get(contents.id)
    if installed is not None and version_key(contents.version) < version_key(
            installed.manifest.version):
        contents.discard()
        raise TemplateError(
            f"已安装的表样“{installed.manifest.name}”是第 {installed.manifest.version} 版，"
            f"比导入的第 {contents.version} 版更新，未作替换。"
        )
    question = install_question(contents, installed)
    if question is not None and not confirm(question):
        contents.discard()
        return None
    target = paths.user_templates_dir() / contents.id
    old = target.with_name(f".{contents.id}.old")
    try:
        if old.exists():
            shutil.rmtree(old)
        if target.exists():
            target.rename(old)
        shutil.move(str(contents.folder), str(target))
    except OSError as exc:
        if old.exists() and not target.exists():
            old.rename(target)
        raise TemplateError(
            f"无法安装表样到“{target}”（{exc.strerror or exc}），原有表样未改动。"
        ) from exc
    shutil.rmtree(old, ignore_errors=True)
    contents.discard()
    replaced = installed.manifest.version if installed is not None else None
    return Installed(discover()[contents.id], replaced, _merge_library(target))
