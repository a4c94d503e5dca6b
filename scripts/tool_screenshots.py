"""The finance bureau's tool windows, offscreen, as PNGs in docs/screenshots/:

QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/tool_screenshots.py

- ``rollup-table.png`` and ``rollup-charts.png``: 工具 → 汇总… over 60 generated reports
  of every sample's template, one sent twice and one damaged file (the 汇总表 tab sorted
  by 总分, then the 图表 tab);
- ``designer.png``: 工具 → 表样设计…, the 广东 form copied as a new county form, its
  计分规则 on the left and the 附件表格 of the sample report scored by them on the right.

Nothing is written outside a temp folder but these files (shot_files.py).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from shot_files import save, settle  # noqa: E402

from perfeval_desktop import paths  # noqa: E402

OUTPUTS = ("rollup-table.png", "rollup-charts.png", "designer.png")
"""Every file this script writes (and the only ones)."""


def rollup_shots(app: Any, work: Path) -> None:
    from PySide6.QtCore import Qt

    from perfeval_desktop.rollup.generate import generate_folder
    from perfeval_desktop.ui.rollup_window import RollupWindow

    received = work / "收到的报告"
    written = generate_folder(received, 60)
    shutil.copy(written[0], written[0].with_name("重发.pfe"))  # one unit sent it twice
    (received / "损坏.pfe").write_text('{"schema_version": 1, "meta": ', encoding="utf-8")
    tool = RollupWindow()
    tool.resize(1366, 768)
    tool.show()
    tool.choose_folder = lambda: received
    tool.add_folder()
    tool.start()
    settle(app, lambda: tool.result is not None and not tool.tasks.busy)
    tool.table.sortByColumn(7, Qt.SortOrder.AscendingOrder)
    app.processEvents()
    save(tool, "rollup-table.png", OUTPUTS)
    tool.tabs.setCurrentWidget(tool.charts)
    for _ in range(5):
        app.processEvents()
    save(tool, "rollup-charts.png", OUTPUTS)
    tool.close()


def designer_shot(app: Any) -> None:
    from perfeval_desktop.ui.designer_window import DesignerWindow

    designer = DesignerWindow()
    designer.resize(1280, 800)
    designer.show()
    designer.new_id.setText("county_2025")
    designer.new_name.setText("某县项目支出绩效自评表")
    designer.copy_template()
    designer.tabs.setCurrentWidget(designer.rules)
    designer.preview_tabs.setCurrentWidget(designer.forms_view)
    designer.refresh_preview()
    for _ in range(5):
        app.processEvents()
    save(designer, "designer.png", OUTPUTS)
    designer.close()


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="perfeval-shots-") as tmp:
        paths.set_basedir(Path(tmp) / "home")
        from perfeval_desktop.ui.app import create_app

        app = create_app([sys.argv[0]])
        rollup_shots(app, Path(tmp))
        designer_shot(app)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
