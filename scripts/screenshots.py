"""Open each sample offscreen, grab every tab of the editor and write PNGs to docs/screenshots/.

QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from perfeval_desktop import paths  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    paths.set_basedir(tempfile.mkdtemp(prefix="perfeval-shots-"))

    from perfeval_desktop.ui.app import create_app
    from perfeval_desktop.ui.main_window import MainWindow
    from perfeval_desktop.workspace import Workspace

    app = create_app([sys.argv[0]])
    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    for sample in sorted((ROOT / "resources" / "samples").glob("*.pfe")):
        window = MainWindow(Workspace.open(sample))
        window.resize(1600, 960)
        window.show()
        editor = window.editor
        assert editor is not None
        for i in range(editor.count()):
            editor.setCurrentIndex(i)
            if editor.currentWidget() is editor.indicators:
                tree = editor.indicators.tree
                first_leaf = next(n for n in _leaves(window.ws.report.indicators))
                editor.indicators.select(first_leaf)
                del tree
            app.processEvents()
            name = f"{sample.stem}-{i:02d}.png"
            window.grab().save(str(OUT / name))
            written.append(name)
        window.ws.mark_saved()
        window.close()
        window.deleteLater()
        app.processEvents()
    print("\n".join(written))
    return 0


def _leaves(nodes):  # type: ignore[no-untyped-def]
    for node in nodes:
        if node.children:
            yield from _leaves(node.children)
        else:
            yield node.id


if __name__ == "__main__":
    raise SystemExit(main())
