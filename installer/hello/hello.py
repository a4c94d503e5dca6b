"""The floor: a bare PySide6 window, bundled with PyInstaller's default options.

``make bundle-hello`` builds it with ``hello.spec`` (what ``pyi-makespec --windowed`` writes)
so that the size and start time of our bundle can be compared with the naive minimum.
With ``PERFEVAL_QUIT_AFTER_SHOWN=1`` it quits as soon as the first window has been shown,
exactly like the program's launcher, so that start times can be measured.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel


def main() -> int:
    app = QApplication(sys.argv)
    label = QLabel("你好")
    label.resize(320, 120)
    label.show()
    if os.environ.get("PERFEVAL_QUIT_AFTER_SHOWN"):
        QTimer.singleShot(0, app.quit)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
