"""Starting the Qt application: Chinese translations, high-DPI, the first window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from .. import APP_NAME, __version__
from ..errors import PerfevalError
from ..storage.pfe import load
from ..templates.loader import load_template
from .score_window import ScoreWindow


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
    app = QApplication.instance() or QApplication(argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    install_translations(app)
    return app


def open_window(path: Path) -> ScoreWindow | None:
    try:
        report = load(path)
        template = load_template(report.meta.template_id)
    except PerfevalError as exc:
        QMessageBox.critical(None, APP_NAME, exc.message)
        return None
    window = ScoreWindow(report, template, path)
    window.show()
    return window
