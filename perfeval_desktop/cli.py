"""The command line ``perfeval-desktop``: the same core as the window, no Qt.

Exit codes: 0 success; 1 ``check`` found error-level (强制性) findings; 2 the command could
not run (bad arguments, unreadable file, broken template) — the reason is printed in Chinese;
3 an internal error (a Chinese line, never a traceback); 4 ``check`` of a report whose
template (表样) is broken or not installed: the template's message above the text output
(on stderr with ``--json``), then the scores and findings the program can give without it
(by the built-in template of that id; with none, the levels and the findings that need no
form, no total or grade), never a pass — ``--json`` has ``"template_error"`` (null when the
template is fine).

``check --json`` prints one JSON object, a stable interface::

    {
      "file": "…", "template": "mof_self_eval_gd",
      "total": 94, "total_weight": 100, "grade": "良", "uncapped_grade": "优",
      "grade_cap_reason": "因预算执行率60.7%低于90%，总分94分的评价等次由“优”降为“良”" | null,
      "score_cap_reason": null | "…",
      "execution_rate": 0.6069 | null,          # 全年执行数 / 预算数, 4 decimals
      "execution_score": 6 | null,              # the 预算执行率 block, where the form has one
      "levels": [{"name": "预算执行率", "weight": 10, "score": 6, "rate": 0.6}, …],
      "findings": [{"code": "D001", "level": "error|verify|hint", "path": "…", "message": "…"}],
      "counts": {"error": 0, "verify": 1, "hint": 0},
      "template_error": null | "本报告使用的表样“…”没有安装…"   # exit code 4 when set
    }

Numbers are JSON numbers with at most two decimals (rates four), computed exactly.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import __version__, paths
from .errors import PerfevalError
from .gcpause import gc_paused, no_collection_at_exit

# the modules the commands share, some 10⁵ objects (pydantic's models above all) and no
# garbage among them: no cyclic collection while they are made (gcpause.py)
with gc_paused():
    from .model.report import Report
    from .scoring.engine import ScoreSheet, compute
    from .scoring.findings import Finding, Level
    from .scoring.rounding import percent, plain, round_half_up
    from .storage.pfe import load, read, save
    from .templates.factory import new_report
    from .templates.loader import Template, load_template, scan, template_for_reading


def _num(value: Decimal | None, decimals: int = 2) -> int | float | None:
    """A Decimal as a JSON number: integral values as int, others with ≤ ``decimals``."""
    if value is None:
        return None
    q = round_half_up(value, decimals)
    if q == q.to_integral_value():
        return int(q)
    return float(plain(q, decimals))


def check_result(
    path: Path,
    report: Report,
    template: Template,
    checked: tuple[ScoreSheet, list[Finding]] | None = None,
) -> dict[str, Any]:
    """The ``check --json`` object; ``checked`` is the sheet and findings when computed."""
    sheet, findings = checked or _checked(report, template)
    return {
        "file": str(path),
        "template": template.id,
        "total": _num(sheet.total),
        "total_weight": _num(sheet.total_weight),
        "grade": sheet.grade,
        "uncapped_grade": sheet.uncapped_grade,
        "grade_cap_reason": sheet.grade_cap_reason,
        "score_cap_reason": sheet.score_cap_reason,
        "execution_rate": _num(sheet.execution_rate, 4),
        "execution_score": _num(sheet.execution_score),
        "levels": [
            {"name": lv.name, "weight": _num(lv.weight), "score": _num(lv.score),
             "rate": _num(lv.rate, 4)}
            for lv in sheet.levels
        ],
        "findings": [f.as_json() for f in findings],
        "counts": {lv.value: sum(1 for f in findings if f.level is lv) for lv in Level},
    }


def _checked(report: Report, template: Template) -> tuple[ScoreSheet, list[Finding]]:
    from .scoring.validator import validate  # (not imported by the other commands)

    sheet = compute(report, template.manifest.rules)
    return sheet, validate(report, template.manifest, sheet, stand_in=template.stand_in)


def _print_check(
    report: Report, sheet: ScoreSheet, findings: list[Finding], stand_in: bool = False
) -> None:
    out = sys.stdout
    out.write(f"项目：{report.project.name or '（未填项目名称）'}\n")
    out.write(f"{'指标':<12}{'分值':>8}{'得分':>8}{'得分率':>10}\n")
    for lv in sheet.levels:
        out.write(f"{lv.name:<12}{plain(lv.weight):>8}{plain(lv.score):>8}{percent(lv.rate):>10}\n")
    if stand_in:  # the total and grade follow the missing template's rules: not made up
        out.write("总分、评价等次：按表样的规则计算（预算执行率分值、封顶等），表样不可用，未给出。\n")
    else:
        out.write(f"{'总分':<12}{plain(sheet.total_weight):>8}{plain(sheet.total):>8}\n")
        out.write(f"评价等次：{sheet.grade}\n")
        for reason in (sheet.score_cap_reason, sheet.grade_cap_reason, *sheet.notes):
            if reason:
                out.write(f"  {reason}\n")
    if not findings:
        out.write("校验通过，没有发现问题。\n")
        return
    out.write(f"校验发现 {len(findings)} 个问题：\n")
    for f in findings:
        out.write(f"  [{f.level.label}] {f.code} {f.path}：{f.message}\n")


def _read(path: Path) -> Report:
    """The report in ``path``; what reading it repaired is told on stderr, once."""
    loaded = read(path)
    for note in loaded.notes:
        print(f"提示：{note}", file=sys.stderr)
    return loaded.report


def cmd_check(args: argparse.Namespace) -> int:
    path = Path(args.file)
    with gc_paused():  # a one-shot command over a tree of up to 10⁶ objects (gcpause.py)
        report = _read(path)
        template, why = template_for_reading(report.meta.template_id, list(report.sections))
        sheet, findings = _checked(report, template)  # once: 100,000 indicators in seconds
    if why is not None and args.json:  # its template is broken or missing: said once
        print(f"错误：{why}\n{PARTIAL_CHECK}", file=sys.stderr)
    if args.json:
        result = check_result(path, report, template, (sheet, findings))
        result["template_error"] = why
        if template.stand_in:  # (see _print_check)
            result.update(dict.fromkeys(_BY_TEMPLATE_RULES))
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        if why is not None:
            sys.stdout.write(f"注意：{why}\n{PARTIAL_CHECK}\n")
        _print_check(report, sheet, findings, template.stand_in)
    if why is not None:
        return EXIT_PARTIAL
    return 1 if any(f.level is Level.ERROR for f in findings) else 0


#: ``check`` of a report whose template is broken or not installed (see the module's doc)
EXIT_PARTIAL = 4
#: the ``--json`` figures only the report's own template gives (null without it)
_BY_TEMPLATE_RULES = ("total", "total_weight", "grade", "uncapped_grade", "grade_cap_reason",
                      "score_cap_reason", "execution_score")
PARTIAL_CHECK = (
    "以下计分和校验未按本报告的表样进行（按同编号的内置表样，或通用规则），仅供参考；"
    "表样的规则（分值、封顶、必填栏目等）未核对。修好或安装表样后请重新校验。"
)


def cmd_new(args: argparse.Namespace) -> int:
    out = Path(args.output)
    if out.exists() and not args.force:
        raise PerfevalError(
            f"文件 {out} 已存在，为避免覆盖已填写的内容未作改动。换一个文件名，或加 --force。"
        )
    if args.from_file is not None:
        return _new_from_last_year(Path(args.from_file), out)
    template = load_template(args.template)
    report = new_report(template.manifest)
    save(report, out)
    print(f"已新建“{template.manifest.name}”报告：{out}")
    return 0


def _new_from_last_year(source: Path, out: Path) -> int:
    from .carryover import carry_over

    last = load(source)
    template = load_template(last.meta.template_id)
    report = carry_over(last, template.manifest, source)
    save(report, out)
    print(f"已由上年报告 {source} 新建 {report.meta.year or ''} 年度报告：{out}")
    print("保留了项目、单位、指标体系、分值、计分方法、指标值和度量单位；"
          "金额、实际完成值、得分、报告正文和偏差原因已清空（上年内容在程序中作为参考显示）。")
    for note in report.last_year.notes if report.last_year else []:
        print(f"  表样变化：{note}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .importer import import_workbook

    out = Path(args.output)
    if out.exists() and not args.force:
        raise PerfevalError(
            f"文件 {out} 已存在，为避免覆盖已填写的内容未作改动。换一个文件名，或加 --force。"
        )
    template = load_template(args.template)
    result = import_workbook(Path(args.file), template)
    for line in result.summary:
        print(line)
    if result.unplaced:
        print(f"以下 {len(result.unplaced)} 个单元格未能读入报告，请核对：")
        for cell in result.unplaced:
            print(f"  {cell.describe()}")
    else:
        print("表中每个单元格都已读入。")
    save(result.report, out)
    print(f"已按“{template.manifest.name}”导入：{out}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    # one report made into files: what is made lives until the end, no cycle worth
    # collecting meanwhile (the export's modules, its workbooks and documents; gcpause.py)
    with gc_paused():
        return _export(args)


def _export(args: argparse.Namespace) -> int:
    from .export import FORMATS, export_report

    formats = [f.strip().lower() for f in args.format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        shown = "、".join(unknown) if unknown else "（未填写）"
        raise PerfevalError(
            f"不支持的导出格式：{shown}。可用：{'、'.join(FORMATS)}，"
            "用逗号分隔，如 --format docx,pdf"
        )
    parts = None
    if args.parts is not None:
        parts = [p.strip() for p in args.parts.replace("，", ",").split(",") if p.strip()]
    report = _read(Path(args.file))
    template = load_template(report.meta.template_id)
    out_dir = Path(args.output)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PerfevalError(
            f"无法创建导出文件夹“{out_dir}”（{exc.strerror or exc}），请换一个文件夹后重试。"
        ) from exc
    for written in export_report(report, template, out_dir, formats=formats, parts=parts):
        print(f"已导出：{written}")
    if "pdf" in formats and _printing_engine() != "libreoffice":
        print("提示：未找到 LibreOffice，PDF 由程序内置排版生成；"
              "安装 LibreOffice 后 PDF 与 Word 文档的版式完全一致。")
    return 0


def _printing_engine() -> str:
    from . import printing  # (imported for a PDF only)

    return printing.chosen().name


def cmd_rollup(args: argparse.Namespace) -> int:
    """汇总: every .pfe under the folders scored with its own template, into one workbook."""
    from .rollup import collect
    from .rollup.workbook import write_rollup

    out = Path(args.output)
    if out.suffix.lower() != ".xlsx":
        raise PerfevalError(f"汇总文件应为 .xlsx（现为“{out.name}”），如 -o 汇总.xlsx")
    result = collect([Path(f) for f in args.folders], workbooks=args.xlsx)
    if not result.rows and not result.unreadable:
        raise PerfevalError("所选文件夹中没有找到报告文件（.pfe），请检查文件夹后重试。")
    write_rollup(result, out)
    print(f"已汇总 {len(result.rows)} 份报告：{out}")
    for dup in result.duplicates:
        print(f"重复：{dup.reason}", file=sys.stderr)
        for path in dup.paths:
            print(f"  {path}", file=sys.stderr)
    for bad in result.unreadable:
        print(f"无法读取：{bad.path}：{bad.reason}", file=sys.stderr)
    return 0


def cmd_export_template(args: argparse.Namespace) -> int:
    """导出表样: <id>.pft, the file a bureau hands out."""
    from .designer.pft import export_pft

    out = Path(args.output)
    if not out.is_dir():
        raise PerfevalError(f"导出文件夹“{out}”不存在，请先建立该文件夹。")
    print(f"已导出表样：{export_pft(load_template(args.template), out)}")
    return 0


def cmd_import_template(args: argparse.Namespace) -> int:
    """导入表样: checked, its contents shown, installed (replacing only with --yes)."""
    from .designer.pft import install_pft, read_pft

    contents = read_pft(Path(args.file))
    print(contents.describe())

    def confirm(question: str) -> bool:
        print(question)
        if not args.yes:
            print("未替换。确认替换请加 --yes 重新导入。")
        return bool(args.yes)

    done = install_pft(contents, confirm)
    if done is not None:
        print(f"已安装表样“{done.template.manifest.name}”：{done.template.folder}")
    return 0


def cmd_templates(args: argparse.Namespace) -> int:
    templates, broken = scan()
    for tid, template in sorted(templates.items()):
        print(f"{tid}\t{template.manifest.name}\t{template.folder}")
    for bad in broken:  # listed with what is wrong; the others work as usual
        message = bad.message.replace("\n", " ")
        print(f"{bad.id}\t（有错误，不能使用）{message}\t{bad.folder}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    json.dump(Report.model_json_schema(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def cmd_self_test(args: argparse.Namespace) -> int:
    """The installed program's smoke test (installer/, issue #5): see selftest.py."""
    import tempfile

    from .selftest import run_self_test

    if args.basedir:
        return run_self_test(Path(args.basedir))
    with tempfile.TemporaryDirectory(prefix="perfeval-self-test-") as tmp:
        return run_self_test(Path(tmp))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="perfeval-desktop",
        description="绩效自评填报助手（命令行）：新建、校验、导出项目支出绩效自评报告",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--basedir", help="把用户数据（模板、自动保存、日志）放在此目录下（测试用）"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    p = sub.add_parser("new", help="按模板新建报告文件 (.pfe)，或复制上年报告（--from）")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--template", help="模板 id，见 templates 命令")
    which.add_argument("--from", dest="from_file", metavar="上年报告.pfe",
                       help="复制上年报告：保留指标体系等，年度加一，清空金额、完成值和得分")
    p.add_argument("-o", "--output", required=True, help="新报告文件路径")
    p.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("import", help="导入已填写的 Excel 自评表（.xlsx、.xls）为新报告")
    p.add_argument("file", help="Excel 文件（.xlsx 或 .xls）")
    p.add_argument("--template", required=True, help="按哪个模板导入（模板 id，见 templates 命令）")
    p.add_argument("-o", "--output", required=True, help="新报告文件路径 (.pfe)")
    p.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("check", help="计分并校验报告；有强制性问题时退出码为 1")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="以 JSON 输出（稳定接口）")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("export", help="导出报告与附件表格（docx、xlsx、pdf）")
    p.add_argument("file", help="报告文件 (.pfe)")
    p.add_argument("-o", "--output", required=True, help="输出文件夹（不存在时新建）")
    p.add_argument("--format", default="docx,xlsx",
                   help="逗号分隔：docx（报告正文及附件）、xlsx（附件表格）、pdf（直接打印）")
    p.add_argument("--parts", default=None,
                   help="逗号分隔的导出部分：report（报告正文）、附件1、附件2……；默认全部")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "rollup", help="汇总收到的报告：计分、校验并写出 汇总.xlsx（含图表与问题清单）"
    )
    p.add_argument("folders", nargs="+", metavar="FOLDER",
                   help="存放报告 (.pfe) 的文件夹（含子文件夹）")
    p.add_argument("-o", "--output", required=True, help="汇总表文件，如 汇总.xlsx")
    p.add_argument("--xlsx", action="store_true",
                   help="同时读取填好的 Excel 自评表（.xlsx/.xls），按其格式对应的表样读入")
    p.set_defaults(func=cmd_rollup)

    p = sub.add_parser("export-template", help="导出表样为 <id>.pft，发给各单位导入")
    p.add_argument("template", help="模板 id，见 templates 命令")
    p.add_argument("-o", "--output", required=True, help="写入的文件夹")
    p.set_defaults(func=cmd_export_template)

    p = sub.add_parser("import-template", help="导入表样文件 (.pft)：检查、显示内容并安装")
    p.add_argument("file", help="表样文件 (.pft)")
    p.add_argument("--yes", action="store_true", help="替换已安装的同编号表样")
    p.set_defaults(func=cmd_import_template)

    from .cli_library import add_parser as add_library

    add_library(sub)

    p = sub.add_parser("templates", help="列出可用模板")
    p.set_defaults(func=cmd_templates)

    p = sub.add_parser("schema", help="输出 .pfe 文件的 JSON Schema")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("self-test", help="自检：载入全部模板，计分、导出并重新打开每个样例报告")
    p.add_argument("--basedir", default=argparse.SUPPRESS,
                   help="自检写入的文件夹（默认临时文件夹，结束后删除）")
    p.set_defaults(func=cmd_self_test)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; ``argv`` None is this process's own (``sys.argv``), a process that
    ends with the command (gcpause.no_collection_at_exit)."""
    if argv is None:
        no_collection_at_exit()
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8")
    args = build_parser().parse_args(argv)
    if args.basedir:
        paths.set_basedir(args.basedir)
    try:
        code: int = args.func(args)
        return code
    except PerfevalError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return 2
    except (Exception, RecursionError) as exc:  # a bug: a Chinese line, never a traceback
        print(
            f"错误：程序内部出错（{type(exc).__name__}: {str(exc)[:300]}），文件未被改动。"
            "请把此提示和所用文件发给技术支持。",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":
    raise SystemExit(main())
