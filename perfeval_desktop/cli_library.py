"""``perfeval-desktop library …``: the indicator library from the command line.

    library search 查询 [--kind 类别]      名称、拼音首字母或类别查找，列出出处
    library add 报告.pfe 查询… [--group]    每个查询的第一条插入报告（--group：整个二级指标）
    library export|import 文件.json         本单位指标库导出、导入
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import PerfevalError

if TYPE_CHECKING:  # the library is imported by its commands: not by every other command
    from .library import LibraryEntry


def _line(entry: LibraryEntry) -> str:
    where = f"{entry.kind}｜{entry.l1}／{entry.l2}／{entry.name}"
    target = f"｜性质 {entry.nature or '—'}｜指标值 {entry.target or '—'}｜单位 {entry.unit or '—'}"
    return f"{where}{target}｜出处：{entry.source}"


def cmd_search(args: argparse.Namespace) -> int:
    from .library import load_library

    found = load_library().index().search(" ".join(args.query), args.kind or "")
    for entry in found[: args.limit]:
        print(_line(entry))
    print(f"共找到 {len(found)} 条。" if found else "没有找到。可换用名称中的字或拼音首字母。")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from .library import load_library
    from .library.insert import insert_entries
    from .workspace import Workspace

    ws = Workspace.open(Path(args.file))
    index = load_library().index()
    chosen: list[LibraryEntry] = []
    for query in args.query:
        found = index.search(query)
        if not found:
            raise PerfevalError(f"指标库中没有找到“{query}”，报告未改动。请换用名称或拼音首字母。")
        first = found[0]
        place = (first.kind, first.l1, first.l2)
        group = [e for e in index.entries if (e.kind, e.l1, e.l2) == place]
        chosen += group if args.group else [first]
    batch, _ids = insert_entries(ws.report, chosen)
    ws.execute(batch)
    ws.save()
    for entry in chosen:
        print(f"已插入：{entry.l1}／{entry.l2}／{entry.name}（出处：{entry.source}）")
    print(f"已保存 {ws.path}（上一版留作 .bak）")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .library import export_library

    print(f"已导出本单位指标库 {export_library(Path(args.file))} 条：{args.file}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .library import import_library

    print(f"已导入 {import_library(Path(args.file))} 条新指标到本单位指标库。")
    return 0


def add_parser(sub: Any) -> None:
    p = sub.add_parser("library", help="指标库：查找、插入报告、导出、导入")
    verbs = p.add_subparsers(dest="verb", required=True, metavar="操作")
    s = verbs.add_parser("search", help="按名称、拼音首字母或类别查找")
    s.add_argument("query", nargs="+", help="如 zxl、医疗救助、满意度")
    s.add_argument("--kind", help="只在此类别中查找，如 义务教育")
    s.add_argument("--limit", type=int, default=30, help="最多列出几条（默认 30）")
    s.set_defaults(func=cmd_search)
    a = verbs.add_parser("add", help="把每个查询找到的第一条插入报告并保存")
    a.add_argument("file", help="报告文件 (.pfe)")
    a.add_argument("query", nargs="+", help="每个查询插入一条，如 xsyljz yljzhgl")
    a.add_argument("--group", action="store_true", help="插入找到的指标所在的整个二级指标")
    a.set_defaults(func=cmd_add)
    e = verbs.add_parser("export", help="导出本单位指标库为一个文件")
    e.add_argument("file")
    e.set_defaults(func=cmd_export)
    i = verbs.add_parser("import", help="导入指标库文件（并入本单位指标库）")
    i.add_argument("file")
    i.set_defaults(func=cmd_import)
