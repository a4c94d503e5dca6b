"""绩效目标完成清单、问题清单、评分情况表（宿州，种子000）: not written yet (issue #3)."""

from __future__ import annotations

from ..errors import ExportError
from ..model.report import Report
from ..scoring.engine import ScoreSheet
from ..templates.manifest import Manifest
from .forms import FormPart


def build_parts(report: Report, manifest: Manifest, sheet: ScoreSheet) -> list[FormPart]:
    raise ExportError(f"模板“{manifest.name}”的附件表格暂不能导出，请等待后续版本。")
