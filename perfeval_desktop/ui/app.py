"""Starting the Qt application: Chinese translations, high-DPI, the exception hook, the window.

Only Qt and light modules are imported here: :func:`start_window` shows the main window
first and opens the report once the event loop runs (the model, scoring, templates and
storage modules are imported then); :func:`open_window` opens it before showing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from .. import APP_NAME, __version__
from ..errors import PerfevalError
from . import excepthook
from .main_window import MainWindow


def install_translations(app: QApplication) -> list[QTranslator]:
    """Load Qt's own zh_CN translations so that standard dialogs speak Chinese."""
    loaded = []
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            loaded.append(translator)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    return loaded


def create_app(argv: list[str]) -> QApplication:
    """The application (Qt 6 is high-DPI aware by default: no attribute to set)."""
    app = QApplication.instance() or QApplication(argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    install_translations(app)
    font = QFont(app.font())
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    font.setFamilies(
        ["Microsoft YaHei UI", "Microsoft YaHei", "Noto Sans CJK SC", *font.families()]
    )
    app.setFont(font)
    excepthook.install()
    return app


def start_window(path: Path | None) -> MainWindow:
    """The program's start: the main window shown at once (“正在打开……”), then ``path``
    opened in it by a zero-delay timer (without one: the start page, recent reports and
    the forms), then the recovery offer.  A file that cannot be opened is reported; the
    window stays."""
    window = MainWindow.create_empty()
    window.show()
    window.open_later(path)
    return window


def open_window(path: Path | None) -> MainWindow | None:
    """The main window on ``path``, or on a new report of the first template, opened
    before the window is shown (None, after the message, when it cannot be opened)."""
    from PySide6.QtWidgets import QMessageBox

    from ..workspace import Workspace

    try:
        ws = Workspace.start(path)
    except PerfevalError as exc:
        QMessageBox.critical(None, APP_NAME, exc.message)
        return None
    window = MainWindow(ws)
    window.show()
    window.offer_recovery()
    return window
