"""Self-test checks of issue #14 (the frozen program too): 复制上年, 导入 Excel of an exported
form with the same figures, and the indicator library with its pinyin search."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def check_start_from(check: Any, sample: Path, out_dir: Path) -> None:
    """One line per check through ``check`` (selftest's _Checker)."""
    from .carryover import carry_over
    from .export import export_report
    from .importer import import_workbook
    from .library import load_library
    from .scoring.engine import compute
    from .storage.pfe import load
    from .templates.loader import load_template

    try:
        report = load(sample)
        template = load_template(report.meta.template_id)
        this_year = carry_over(report, template.manifest, sample)
        assert this_year.meta.year == (report.meta.year or 0) + 1 or report.meta.year is None
        check.ok(f"复制上年：{sample.name} → {this_year.meta.year} 年度")
        folder = out_dir / "导入"
        folder.mkdir(exist_ok=True)
        (xlsx,) = export_report(report, template, folder, formats=("xlsx",))
        imported = import_workbook(Path(xlsx), template).report
        before, after = compute(report, template.manifest.rules), compute(
            imported, template.manifest.rules)
        assert (before.total, before.grade) == (after.total, after.grade), "总分或等次不同"
        check.ok(f"导入 Excel：{Path(xlsx).name} 总分 {after.total}，等次 {after.grade}")
        import xlrd  # .xls files: the reader is in the program

        found = load_library().index().search("zxl")
        assert found and all(e.source for e in found), "拼音查找没有结果"
        check.ok(f"指标库：拼音 zxl 找到 {len(found)} 条（xlrd {xlrd.__version__}）")
    except Exception as exc:
        check.fail("复制上年、导入 Excel、指标库", exc)
