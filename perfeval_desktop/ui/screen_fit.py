"""The window within the screen's available area (a 1366×768 laptop at 125 % scaling
offers about 1093×580 logical pixels under the taskbar)."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

FRAME = (16, 40)  # what the window manager adds around a window: borders, title bar


def fit_to_screen(window: QWidget) -> None:
    """Shrink and move ``window`` (its wanted or restored geometry) into the available area
    of its screen; a window that fits is left where it is."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    area = screen.availableGeometry()
    width = min(window.width(), area.width() - FRAME[0])
    height = min(window.height(), area.height() - FRAME[1])
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    wanted = QRect(window.pos(), window.size())
    if not area.contains(wanted):
        x = min(max(wanted.x(), area.x()), area.right() - width - FRAME[0] + 1)
        y = min(max(wanted.y(), area.y()), area.bottom() - height - FRAME[1] + 1)
        window.move(max(x, area.x()), max(y, area.y()))
