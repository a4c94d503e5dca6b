"""What a template may bring into an export (issue #13 §2, §3).

A form template comes from the bureau on a USB stick; whatever it holds ends up in files
sent onwards.  Nothing in it may reach outside the file: a formula calling a server
(``WEBSERVICE``, ``HYPERLINK``…), a DDE link (``=cmd|'/c calc'!A1``) or a reference into
another workbook (``[1]Sheet1!A1``, ``'C:\\\\x\\\\[a.xlsx]S'!A1``) is refused with a message
naming the cell.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..errors import TemplateError

_STRING = re.compile(r'"(?:[^"]|"")*"')
_OUTSIDE_CALLS = re.compile(
    r"(?<![\w.])(WEBSERVICE|HYPERLINK|FILTERXML|RTD|CALL|REGISTER(?:\.ID)?|EXEC|"
    r"IMPORTDATA|IMPORTXML|IMPORTHTML|IMPORTRANGE|IMAGE|DDE|DDEAUTO)\s*\(",
    re.IGNORECASE,
)
_EXTERNAL_REF = re.compile(r"\[[^\]]*\][^!\[(]*!|[A-Za-z]:\\|\\\\|(?:https?|file|ftp)://",
                           re.IGNORECASE)


def outside_link(formula: str) -> str | None:
    """What in ``formula`` reaches outside the workbook, or None."""
    bare = _STRING.sub('""', formula)
    m = _OUTSIDE_CALLS.search(bare)
    if m:
        return f"函数 {m.group(1).upper()}"
    if "|" in bare:
        return "DDE 链接（“|”）"
    m = _EXTERNAL_REF.search(bare)
    if m:
        return f"外部引用“{m.group(0)}”"
    return None


def check_formula(formula: str, where: str) -> None:
    """Refuse a template formula that reaches outside the file (TemplateError naming it)."""
    found = outside_link(formula)
    if found is not None:
        raise TemplateError(
            f"{where} 的公式 {formula} 含有{found}，会在打开文件时连接外部程序、网络或其他文件，"
            "为安全起见不允许。请在模板中删除该公式，或改为占位符。"
        )


# --- the template file itself, before it is opened ------------------------------------------

MAX_UNPACKED = 64 * 1024 * 1024  # bytes of all parts unpacked (real templates: < 2 MB)
MAX_PARTS = 2000
MAX_CELLS = 200_000  # cells of one worksheet (real forms: a few thousand)
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_EXTERNAL_REL = re.compile(rb"<Relationship\b[^>]*>", re.IGNORECASE)
_ALLOWED_EXTERNAL = (b"/hyperlink",)  # a link the reader may click; nothing is fetched
_OUTSIDE_PARTS = ("externallinks/", "connections.xml", "queryTables/")


def check_package(path: Path, shown: str) -> None:
    """Refuse a forms.xlsx / report.docx that could exhaust memory when opened (a zip bomb,
    XML entity declarations) or that reaches outside the file (attachedTemplate, linked
    images, external workbook links, data connections).  A file that is not a zip at all
    is left to the opener, which explains it in its own words."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_PARTS or sum(i.file_size for i in infos) > MAX_UNPACKED:
            raise TemplateError(
                f"模板 {shown} 解压后过大（{len(infos)} 个部件，"
                f"{sum(i.file_size for i in infos) // (1024 * 1024)} MB），不是正常的模板文件。"
                "请从财政部门重新获取该模板。"
            )
        for info in infos:
            _check_part(zf, info, shown)


def _check_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str) -> None:
    name = info.filename
    if any(part.lower() in name.lower() for part in _OUTSIDE_PARTS):
        raise TemplateError(
            f"模板 {shown} 含有指向其他文件或数据源的链接（{name}），打开导出的文件时会连接外部。"
            "请在 Excel 中“数据 → 编辑链接 → 断开链接”并删除数据连接后重新保存模板。"
        )
    if not name.lower().endswith((".xml", ".rels", ".vml")):
        return
    data = zf.read(info)
    if _DECLARATION.search(data):
        raise TemplateError(
            f"模板 {shown} 的 {name} 含有 XML 实体声明（<!DOCTYPE>/<!ENTITY>），"
            "Word/Excel 保存的文件不会有这种内容。请从财政部门重新获取该模板。"
        )
    if name.lower().startswith("xl/worksheets/"):
        cells = sum(data.count(tag) for tag in (b"<c ", b"<c>", b":c ", b":c>"))
        if cells > MAX_CELLS:
            raise TemplateError(
                f"模板 {shown} 的工作表 {name} 有 {cells} 个单元格（上限 {MAX_CELLS}），"
                "不是正常的表式，打开会耗尽内存。请从财政部门重新获取该模板。"
            )
    if name.lower().endswith(".rels"):
        for rel in _EXTERNAL_REL.findall(data):
            if b'TargetMode="External"' in rel and not any(
                t in rel for t in _ALLOWED_EXTERNAL
            ):
                target = re.search(rb'Target="([^"]*)"', rel)
                where = target.group(1).decode("utf-8", "replace") if target else name
                raise TemplateError(
                    f"模板 {shown} 引用了外部的文件或网址（{where[:120]}），"
                    "如附加模板（attachedTemplate）或链接的图片，打开导出的文件时会连接外部。"
                    "请在 Word/Excel 中删除该链接（图片改为嵌入）后重新保存模板。"
                )
