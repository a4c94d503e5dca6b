"""What a template may bring into an export (issue #13 §2, §3).

A form template comes from the bureau on a USB stick; whatever it holds ends up in files
sent onwards.  Nothing in it may reach outside the file: a formula calling a server
(``WEBSERVICE``, ``HYPERLINK``…), a DDE link (``=cmd|'/c calc'!A1``) or a reference into
another workbook (``[1]Sheet1!A1``, ``'C:\\\\x\\\\[a.xlsx]S'!A1``) is refused with a message
naming the cell.
"""

from __future__ import annotations

import re

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
