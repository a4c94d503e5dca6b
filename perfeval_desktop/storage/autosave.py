"""Nothing lost: recovery files of the open reports, written while the clerk works.

Each open report has one recovery file in ``data_dir()/autosave/``, named by a stable key:
``file-<hash of its path>`` for a saved report, ``untitled-<uuid>`` for a new one.  The
report itself is written by :func:`pfe.save` (the same atomic write, with its ``.bak``),
and a small ``<key>.json`` beside it says where the report came from and when it was
saved (also written atomically, through pfe's temp-file machinery).  A recovery file
exists only while the report has unsaved changes: a clean close or a successful save
deletes it, so whatever is left at the next start was left by a crash or a power cut.

:class:`Autosaver` binds one :class:`~perfeval_desktop.workspace.Workspace` to its
recovery file (the UI drives it from a timer); :func:`pending_recoveries` lists what a
previous run left behind; :func:`discard` deletes one.  :func:`clean_stale_temps` removes
the ``.NAME.pfe.*.tmp`` files a killed save leaves beside a report.  No Qt here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import paths
from ..errors import SaveError
from ..model.dates import chinese_date
from ..model.report import Report
from . import pfe

if TYPE_CHECKING:
    from ..workspace import Workspace

FOLDER = "autosave"
REPORT_SUFFIX = ".pfe"
META_SUFFIX = ".json"
INTERVAL_S = 60
STALE_TEMP_AGE_S = 3600.0


def recovery_dir() -> Path:
    folder = paths.data_dir() / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def key_for(path: Path | None) -> str:
    """A stable key for a saved report's path; a fresh ``untitled-…`` one without a path."""
    if path is None:
        return f"untitled-{uuid.uuid4().hex[:16]}"
    norm = os.path.normcase(os.path.abspath(path))
    return "file-" + hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Recovery:
    """A recovery file left in the autosave folder."""

    key: str
    file: Path  # the autosaved report (a .pfe)
    original: Path | None  # where the report was saved before, None for a new report
    saved_at: dt.datetime  # local time of the autosave
    name: str  # the report's file name as the title bar showed it
    session: str = ""  # the run that wrote it (the UI skips those of runs still alive)

    def load(self) -> Report:
        """The autosaved report (ProjectFileError if it cannot be read)."""
        return pfe.load(self.file)

    @property
    def time_text(self) -> str:
        return f"{chinese_date(self.saved_at)} {self.saved_at:%H:%M:%S}"


def _files(key: str) -> tuple[Path, Path]:
    folder = recovery_dir()
    return folder / f"{key}{REPORT_SUFFIX}", folder / f"{key}{META_SUFFIX}"


def write(
    report: Report, key: str, original: Path | None, name: str, session: str = ""
) -> Recovery:
    """Write the recovery file of ``key`` (SaveError when the data folder is not writable)."""
    file, meta = _files(key)
    now = dt.datetime.now().replace(microsecond=0)
    pfe.save(report, file)
    info = {
        "original": str(original) if original is not None else None,
        "name": name,
        "saved_at": now.isoformat(),
        "template_id": report.meta.template_id,
        "session": session,
    }
    _write_atomic(meta, json.dumps(info, ensure_ascii=False, indent=2).encode("utf-8"))
    return Recovery(key, file, original, now, name, session)


def _write_atomic(target: Path, data: bytes) -> None:
    """A small file written like pfe.save writes a report: a temp file beside it, renamed."""
    temps: list[str] = []
    try:
        tmp = pfe._write_temp(target, data, temps)
        os.replace(tmp, target)
        temps.remove(tmp)
    except OSError as exc:
        raise SaveError(
            f"无法写入自动保存文件“{target}”（系统提示：{exc.strerror or exc}）。"
        ) from exc
    finally:
        for leftover in temps:
            with contextlib.suppress(OSError):
                os.remove(leftover)


def _read_meta(meta: Path) -> dict[str, Any]:
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def pending_recoveries() -> list[Recovery]:
    """The recovery files a previous run left behind, newest first."""
    found: list[Recovery] = []
    for file in recovery_dir().glob(f"*{REPORT_SUFFIX}"):
        if file.name.startswith("."):
            continue
        key = file.name[: -len(REPORT_SUFFIX)]
        info = _read_meta(file.with_name(key + META_SUFFIX))
        try:
            mtime = dt.datetime.fromtimestamp(file.stat().st_mtime).replace(microsecond=0)
        except OSError:
            continue
        saved_at = mtime  # the report is written before its description: take the later
        with contextlib.suppress(KeyError, TypeError, ValueError):
            saved_at = max(saved_at, dt.datetime.fromisoformat(str(info["saved_at"])))
        original = Path(info["original"]) if info.get("original") else None
        name = str(info.get("name") or (original.name if original else "未命名.pfe"))
        session = str(info.get("session") or "")
        found.append(Recovery(key, file, original, saved_at, name, session))
    found.sort(key=lambda r: r.saved_at, reverse=True)
    return found


def discard(key: str | Recovery) -> None:
    """Delete a recovery file (and its backup and description); missing files are fine."""
    name = key.key if isinstance(key, Recovery) else key
    file, meta = _files(name)
    for path in (file, pfe.backup_path(file), meta):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    clean_stale_temps(file, max_age=0)


def clean_stale_temps(report: Path, max_age: float = STALE_TEMP_AGE_S) -> list[Path]:
    """Remove the ``.NAME.pfe.*.tmp`` files a killed save left beside ``report`` that are
    older than ``max_age`` seconds (younger ones may belong to a save running right now)."""
    removed: list[Path] = []
    folder = report.parent
    prefix = pfe.temp_prefix(report)
    now = time.time()
    try:
        candidates = list(folder.glob(f"{glob_escape(prefix)}*.tmp"))
    except OSError:
        return removed
    for tmp in candidates:
        try:
            if not tmp.name.startswith(prefix) or not tmp.is_file():
                continue
            if now - tmp.stat().st_mtime < max_age:
                continue
            tmp.unlink()
            removed.append(tmp)
        except OSError:
            continue  # locked or gone: try again next time
    return removed


def clean_temps_at_start(reports: list[Path]) -> list[Path]:
    """At start, when no other copy of the program runs: remove every temp file a killed
    save left, whatever its age, beside ``reports`` (the recent list) and in the autosave
    folder (issue #13 §8)."""
    removed: list[Path] = []
    for report in reports:
        removed += clean_stale_temps(report, max_age=0)
    folder = recovery_dir()
    with contextlib.suppress(OSError):
        for tmp in folder.iterdir():
            if tmp.name.startswith(".") and tmp.name.endswith(".tmp") and tmp.is_file():
                with contextlib.suppress(OSError):
                    tmp.unlink()
                    removed.append(tmp)
    return removed


def glob_escape(text: str) -> str:
    """``text`` as a literal in a glob pattern (file names may contain ``[``)."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


class Autosaver:
    """Keeps the recovery file of one workspace: written when the report has unsaved changes
    that are not in it yet, deleted when there is nothing to lose."""

    def __init__(self, ws: Workspace, key: str | None = None, session: str = "") -> None:
        self.ws = ws
        self.key = key or key_for(ws.path)
        self.session = session
        self._revision: int | None = None  # the workspace revision last written
        self.last: Recovery | None = None
        self.last_error: str = ""

    @property
    def file(self) -> Path:
        return _files(self.key)[0]

    def save_now(self) -> bool:
        """Write the recovery file if there is something new to lose; True when written.

        A clean workspace has nothing to lose: its recovery file is deleted instead."""
        ws = self.ws
        if not ws.dirty:
            self.discard()
            return False
        if self._revision == ws.revision and self.file.is_file():
            return False
        try:
            self.last = write(ws.report, self.key, ws.path, ws.display_name, self.session)
        except SaveError as exc:
            self.last_error = exc.message
            return False
        self.last_error = ""
        self._revision = ws.revision
        return True

    def saved(self) -> None:
        """The report was saved (perhaps under a new name): nothing to recover any more;
        from now on its recovery file is named after the path it was saved to."""
        self.discard()
        if self.ws.path is not None:
            self.key = key_for(self.ws.path)

    def discard(self) -> None:
        self._revision = None
        with contextlib.suppress(OSError):
            discard(self.key)
