"""No Chinese text through strftime/strptime (issue #9).

On a Windows runtime the C library formats dates in the ANSI code page: ``"%Y年%m月%d日"``
raised ``UnicodeEncodeError`` under code page 1252 and ``ValueError: Invalid format string``
under 936, and every PDF export with a 填报日期 crashed. Dates are written by
``perfeval_desktop.model.dates``; this scans the source so no call comes back.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([*(ROOT / "perfeval_desktop").rglob("*.py"), *(ROOT / "installer").rglob("*.py"),
                  *(ROOT / "scripts").rglob("*.py")])
DATE_METHODS = {"strftime", "strptime"}


def _text(node: ast.expr | None) -> str | None:
    """The string a literal (or an f-string's literal parts) holds; None when not a literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values
                       if isinstance(v, ast.Constant) and isinstance(v.value, str))
    return None


def offences(source: str) -> list[str]:
    """Each strftime/strptime call or date format spec whose format is not plain ASCII."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else (
                node.func.id if isinstance(node.func, ast.Name) else "")
            if name not in DATE_METHODS:
                continue
            # the format is the only string argument of strftime, the second one of strptime
            args = [*node.args, *(k.value for k in node.keywords)]
            texts = [_text(a) for a in args]
            if any(t is None for t in texts[-1:]) or any(t is not None and not t.isascii()
                                                         for t in texts[-1:]):
                found.append(f"line {node.lineno}: {name}() needs an ASCII literal format")
        elif isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            spec = _text(node.format_spec) or ""
            if "%" in spec and not spec.isascii():
                found.append(f"line {node.lineno}: date format spec {spec!r}")
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_chinese_date_format(path: Path) -> None:
    assert offences(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("snippet", [
    'd.strftime("%Y年%m月%d日")',
    'datetime.strptime(s, "%Y年%m月")',
    'time.strftime(fmt)',                 # a format from elsewhere cannot be checked: refused
    'f"{d:%Y年%m月}"',
    'd.strftime(format="%m月")',
])
def test_scan_catches(snippet: str) -> None:
    assert len(offences(snippet)) == 1


@pytest.mark.parametrize("snippet", [
    'd.strftime("%Y-%m-%d")', 'datetime.strptime(s, "%Y-%m-%d")', 'f"{d:%Y%m%d}"',
    'f"{n:,}年"', 'chinese_date(d)',
])
def test_scan_allows(snippet: str) -> None:
    assert offences(snippet) == []
