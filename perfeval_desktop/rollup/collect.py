"""Reading, scoring and checking every received report (the rows of 汇总)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from .. import paths
from ..errors import PerfevalError
from ..model.report import Report
from ..scoring.engine import compute
from ..scoring.findings import Finding, Level
from ..scoring.validator import validate
from ..storage import pfe
from ..templates.loader import Template, discover
from .own import is_own_file

REPORT_SUFFIX = ".pfe"
WORKBOOK_SUFFIXES = (".xlsx", ".xls")  # filled 自评表, read through the importer

Progress = Callable[[int, int, Path], None]
"""Told before each file is read: (files read so far, files found, the file)."""


class Cancelled(PerfevalError):
    """The clerk pressed 取消 while the reports were read."""

    def __init__(self) -> None:
        super().__init__("汇总已取消。")


@dataclass(frozen=True)
class RollupRow:
    """One report as the roll-up table shows it (scored with its own template)."""

    path: Path
    unit: str
    project: str
    year: int | None
    template_id: str
    template_name: str
    template_version: str  # the version the report was made with
    annual_budget: Decimal | None  # 全年预算数: the 执行率's basis (万元)
    executed: Decimal | None  # 全年执行数
    execution_rate: Decimal | None  # unrounded
    total: Decimal
    total_weight: Decimal
    grade: str
    cap_reason: str  # "" when neither the grade nor the score was capped
    errors: tuple[Finding, ...]  # every 强制性 finding
    verify_count: int  # 核实性 findings not yet explained
    notes: tuple[str, ...] = ()
    duplicate_of: Path | None = None  # set on the later copies of a unit + project + year

    @property
    def capped(self) -> bool:
        return bool(self.cap_reason)

    @property
    def error_count(self) -> int:
        return len(self.errors)

    @property
    def key(self) -> tuple[str, str, int | None]:
        return (_norm(self.unit), _norm(self.project), self.year)


@dataclass(frozen=True)
class Unreadable:
    path: Path
    reason: str


@dataclass(frozen=True)
class Duplicate:
    """Several files for the same unit + project + year."""

    unit: str
    project: str
    year: int | None
    paths: tuple[Path, ...]

    @property
    def reason(self) -> str:
        year = f"{self.year}年" if self.year else "（未填年度）"
        return (
            f"{self.unit or '（未填单位）'}“{self.project or '（未填项目名称）'}”{year}"
            f"有 {len(self.paths)} 份报告；图表只计第一份，请核对后删去多余的文件"
        )


@dataclass
class Rollup:
    rows: list[RollupRow] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    roots: list[Path] = field(default_factory=list)  # the folders read

    def shown(self, path: Path) -> str:
        """The file as the table shows it: relative to the folder it was found under."""
        for root in self.roots:
            if path.is_relative_to(root):
                return str(path.relative_to(root)) or path.name
        return str(path)

    @property
    def counted(self) -> list[RollupRow]:
        """The rows the figures count: each unit + project + year once."""
        return [r for r in self.rows if r.duplicate_of is None]


def _norm(text: str) -> str:
    return "".join(text.split())


def find_reports(folders: Iterable[Path], workbooks: bool = False
                 ) -> tuple[list[Path], list[Unreadable]]:
    """Every ``.pfe`` (and with ``workbooks`` every .xlsx/.xls but Office's ``~$`` lock
    files) under the folders, recursively, each file once, sorted; never the roll-up's
    own files (:func:`.own.is_own_file`: an earlier 汇总.xlsx, an export's staging)."""
    suffixes = (REPORT_SUFFIX, *WORKBOOK_SUFFIXES) if workbooks else (REPORT_SUFFIX,)
    found: dict[Path, None] = {}
    missing: list[Unreadable] = []
    for folder in folders:
        if folder.is_file() and folder.suffix.lower() in suffixes:
            files, root = [folder], folder.parent
        elif folder.is_dir():
            root = folder
            try:
                files = [p for p in folder.rglob("*")
                         if p.suffix.lower() in suffixes and not p.name.startswith("~$")]
            except OSError as exc:
                missing.append(Unreadable(folder, f"无法列出文件夹内容（{exc.strerror or exc}）"))
                continue
        else:
            missing.append(Unreadable(folder, "文件夹不存在或无法打开，请检查路径"))
            continue
        for p in files:
            if p.is_file() and not is_own_file(p, root):
                found[p.resolve()] = None
    return sorted(found), missing


def _from_workbook(path: Path, templates: dict[str, Template]) -> tuple[Report, str]:
    """A filled 自评表 read by the importer into a report of the form it looks like."""
    from ..importer import guess_family, import_workbook, read_workbook

    family = guess_family(read_workbook(path))
    candidates = sorted((t for t in templates.values() if t.manifest.family == family),
                        key=lambda t: (t.folder.parent != paths.builtin_templates_dir(), t.id))
    if not candidates:
        raise PerfevalError(f"没有可读入此表格的表样（{family}），请先导入相应表样")
    result = import_workbook(path, candidates[0])
    note = f"由 Excel 自评表按“{candidates[0].manifest.name}”读入"
    if result.unplaced:
        note += f"，{len(result.unplaced)} 个单元格未能读入，请核对原表"
    return result.report, note


def read_one(path: Path, templates: dict[str, Template]) -> RollupRow:
    """Load, score and check one report (PerfevalError says why it cannot be read)."""
    notes: list[str] = []
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        report, note = _from_workbook(path, templates)
        notes.append(note)
    else:
        report = pfe.load(path)
    tid = report.meta.template_id
    template = templates.get(tid)
    if template is None:
        raise PerfevalError(
            f"报告所用的模板“{tid}”没有安装，无法计分。请先用“导入表样”安装该模板后重新汇总"
        )
    manifest = template.manifest
    sheet = compute(report, manifest.rules)
    findings = validate(report, manifest, sheet)
    if report.meta.template_version != manifest.version:
        notes.append(
            f"报告按模板第 {report.meta.template_version} 版填写，"
            f"现按已安装的第 {manifest.version} 版计分"
        )
    cap = " ".join(r for r in (sheet.score_cap_reason, sheet.grade_cap_reason) if r)
    return RollupRow(
        path=path,
        unit=report.meta.unit.strip(),
        project=report.project.name.strip(),
        year=report.meta.year,
        template_id=tid,
        template_name=manifest.name,
        template_version=report.meta.template_version,
        annual_budget=sheet.funding.basis,
        executed=sheet.funding.total.get("executed"),
        execution_rate=sheet.execution_rate,
        total=sheet.total,
        total_weight=sheet.total_weight,
        grade=sheet.grade,
        cap_reason=cap,
        errors=tuple(f for f in findings if f.level is Level.ERROR),
        verify_count=sum(1 for f in findings if f.level is Level.VERIFY),
        notes=tuple(notes),
    )


def _mark_duplicates(result: Rollup) -> None:
    groups: dict[tuple[str, str, int | None], list[int]] = {}
    for i, row in enumerate(result.rows):
        groups.setdefault(row.key, []).append(i)
    for indices in groups.values():
        if len(indices) < 2:
            continue
        first = result.rows[indices[0]]
        for i in indices[1:]:
            result.rows[i] = replace(result.rows[i], duplicate_of=first.path)
        result.duplicates.append(
            Duplicate(first.unit, first.project, first.year,
                      tuple(result.rows[i].path for i in indices))
        )


def collect(
    folders: Sequence[Path],
    *,
    templates: dict[str, Template] | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    workbooks: bool = False,
) -> Rollup:
    """Read every report under ``folders`` (with ``workbooks`` also filled 自评表 .xlsx/.xls;
    never the roll-up's own files, :func:`find_reports`); raises :class:`Cancelled` when
    asked to stop."""
    files, missing = find_reports(folders, workbooks)
    if templates is None:
        templates = discover()
    roots = [Path(f).resolve() for f in folders]
    result = Rollup(unreadable=missing, roots=[r for r in roots if r.is_dir()])
    for i, path in enumerate(files):
        if cancelled is not None and cancelled():
            raise Cancelled()
        if progress is not None:
            progress(i, len(files), path)
        try:
            result.rows.append(read_one(path, templates))
        except PerfevalError as exc:
            result.unreadable.append(Unreadable(path, exc.message))
        except Exception as exc:  # one bad file never stops the roll-up
            result.unreadable.append(
                Unreadable(path, f"文件内容无法计分（{type(exc).__name__}），请让填报单位重新导出")
            )
    _mark_duplicates(result)
    return result
