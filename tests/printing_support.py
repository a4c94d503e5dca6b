"""Stand-ins for LibreOffice: a converter that hangs, and waiting for a process to end."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

from perfeval_desktop.export import export_report
from perfeval_desktop.model.report import Report
from perfeval_desktop.printing.layout import InAppLayout
from perfeval_desktop.templates.loader import load_template

SAMPLES = Path(__file__).resolve().parents[1] / "resources" / "samples"


def hanging_soffice(folder: Path) -> tuple[str, Path]:
    """A stand-in for soffice that starts a child (as soffice starts soffice.bin) and
    hangs; the child's pid is written to the file returned."""
    pidfile = folder / "child.pid"
    script = folder / "fake-soffice"
    script.write_text(f"#!/bin/sh\nsleep 60 & echo $! > {pidfile}; wait\n", "utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script), pidfile


def gone(pid: int, within: float = 5.0) -> bool:
    """Whether process ``pid`` ended (or is a zombie waiting to be reaped) in time."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        status = Path(f"/proc/{pid}/status")
        if status.exists() and "zombie" in status.read_text(errors="replace"):
            return True
        time.sleep(0.05)
    return False


def in_app_report_pdf(sample: str, folder: Path) -> Path:
    """The sample ``sample``'s report (its 正文 alone) printed by the in-app layout."""
    report = Report.model_validate_json((SAMPLES / sample).read_text("utf-8"))
    (docx,) = export_report(report, load_template(report.meta.template_id), folder,
                            formats=("docx",), parts=["report"])
    pdf = folder / "in-app.pdf"
    InAppLayout().print_docx(docx, pdf)
    return pdf
