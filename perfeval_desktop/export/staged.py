"""导出 in two steps, for the window's export that can be cancelled: the files are first
written into a hidden folder inside the target folder (:func:`stage_export`), then either
moved into place together (:meth:`Staged.commit`) or removed (:meth:`Staged.discard`).
So 取消 at any moment leaves nothing behind in the clerk's folder, neither a half-written
file nor some of the files of an export; a previous export's files stay as they were."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ExportError
from ..model.report import Report
from ..printing import StopAsked
from ..templates.loader import Template
from . import WORK_PREFIX, _write_atomic, export_report, folder_failure, write_failure

STAGE_PREFIX = WORK_PREFIX + "-"


@dataclass
class Staged:
    """The files of one export, written and waiting in ``folder`` inside ``out_dir``."""

    out_dir: Path
    folder: Path
    files: list[Path]

    def commit(self) -> list[Path]:
        """Move the files into ``out_dir`` (replacing older ones); return their paths."""
        written: list[Path] = []
        try:
            for staged in self.files:
                target = self.out_dir / staged.name
                try:
                    os.replace(staged, target)
                except OSError as exc:
                    raise write_failure(target, exc) from exc
                written.append(target)
        finally:
            self.discard()
        return written

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def stage_export(
    report: Report,
    template: Template,
    out_dir: Path,
    formats: Sequence[str],
    progress: Callable[[str, int, int], None] | None = None,
    stop: StopAsked | None = None,
) -> Staged:
    """:func:`export_report` into a hidden folder of ``out_dir``; removed again if it fails
    or ``progress`` raises (取消; ``stop`` also ends a PDF conversion under way)."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise ExportError(f"导出文件夹“{out_dir}”不存在，请重新选择。")
    try:
        folder = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=out_dir))
    except OSError as exc:
        raise folder_failure(out_dir, exc) from exc
    try:
        files = export_report(report, template, folder, formats, progress=progress, stop=stop)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Staged(out_dir, folder, files)


def stage_file(target: Path, write: Callable[[Path], object]) -> Staged:
    """One file for ``target``, ``write(path)`` into a hidden folder beside it (its errors
    as ExportError), waiting for :meth:`Staged.commit` (or :meth:`Staged.discard`)."""
    try:
        folder = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=target.parent))
    except OSError as exc:
        raise folder_failure(target.parent, exc) from exc
    try:
        _write_atomic(folder / target.name, write)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Staged(target.parent, folder, [folder / target.name])
