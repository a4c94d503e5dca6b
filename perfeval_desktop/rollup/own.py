"""The roll-up's own files, which are never read as a unit's report: 汇总.xlsx as
:mod:`.workbook` writes it (known by its sheets, so also one written by an earlier run
under any name) and every unfinished file or staging folder of an export (named with
:data:`~perfeval_desktop.export.WORK_PREFIX`).  The window and the CLI both go through
:func:`~.collect.find_reports`, which asks :func:`is_own_file`."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]

from ..export import WORK_PREFIX
from ..export.xlsx_values import sheet_parts

SHEETS = ("汇总表", "等次分布", "执行率分布", "各单位得分", "问题清单", "重复与无法读取")
"""The sheets of 汇总.xlsx, in order (:func:`.workbook.build_workbook` writes them)."""


def is_rollup_workbook(path: Path) -> bool:
    """Whether ``path`` is a 汇总.xlsx: a workbook holding every sheet the roll-up writes.
    A file that cannot be opened is not (the importer then says why it cannot be read)."""
    if path.suffix.lower() != ".xlsx":
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(sheet_parts(zf))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError):
        return False
    return set(SHEETS) <= names


def is_work_file(path: Path, root: Path) -> bool:
    """Whether ``path`` (under ``root``) is, or lies in, an export's unfinished temp file or
    staging folder."""
    parts = path.relative_to(root).parts if path.is_relative_to(root) else (path.name,)
    return any(part.startswith(WORK_PREFIX) for part in parts)


def is_own_file(path: Path, root: Path) -> bool:
    """The roll-up's own output or an export's unfinished file: never a report to read."""
    return is_work_file(path, root) or is_rollup_workbook(path)
