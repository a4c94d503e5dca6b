"""Draw the program icon: ``resources/icons/app.png`` (256 px) and ``app.ico`` (16–256 px).

A blue tile with a white form sheet and a red check mark, drawn with Qt (no font, so it
renders the same everywhere).  The files are committed; the builds run this with
``--if-missing`` so that a fresh checkout without them still gets an icon::

    python installer/make_icon.py [--if-missing] [--out resources/icons]
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = (16, 24, 32, 48, 64, 128, 256)


def render_png(size: int) -> bytes:
    """The icon at ``size`` × ``size`` pixels as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
    from PySide6.QtGui import (
        QBrush,
        QColor,
        QImage,
        QLinearGradient,
        QPainter,
        QPainterPath,
        QPen,
    )

    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = float(size)

    # the tile
    tile = QRectF(0.03 * s, 0.03 * s, 0.94 * s, 0.94 * s)
    gradient = QLinearGradient(tile.topLeft(), tile.bottomRight())
    gradient.setColorAt(0.0, QColor("#2f6fb3"))
    gradient.setColorAt(1.0, QColor("#17427a"))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(gradient))
    p.drawRoundedRect(tile, 0.2 * s, 0.2 * s)

    # the sheet with a folded corner
    left, top, right, bottom, fold = 0.25 * s, 0.17 * s, 0.75 * s, 0.83 * s, 0.14 * s
    sheet = QPainterPath()
    sheet.moveTo(left, top)
    sheet.lineTo(right - fold, top)
    sheet.lineTo(right, top + fold)
    sheet.lineTo(right, bottom)
    sheet.lineTo(left, bottom)
    sheet.closeSubpath()
    p.setBrush(QColor("#ffffff"))
    p.drawPath(sheet)
    corner = QPainterPath()
    corner.moveTo(right - fold, top)
    corner.lineTo(right - fold, top + fold)
    corner.lineTo(right, top + fold)
    corner.closeSubpath()
    p.setBrush(QColor("#c9d6e6"))
    p.drawPath(corner)

    # the form's lines (left out where they would only blur)
    if size >= 32:
        pen = QPen(QColor("#8aa2bf"))
        pen.setWidthF(max(1.0, 0.035 * s))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        for i, width in enumerate((0.30, 0.36, 0.36)):
            y = top + 0.2 * s + i * 0.1 * s
            p.drawLine(QPointF(left + 0.07 * s, y), QPointF(left + 0.07 * s + width * s, y))

    # the check mark
    pen = QPen(QColor("#d8342c"))
    pen.setWidthF(max(1.6, 0.085 * s))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    check = QPainterPath()
    check.moveTo(0.36 * s, 0.64 * s)
    check.lineTo(0.46 * s, 0.74 * s)
    check.lineTo(0.66 * s, 0.50 * s)
    p.drawPath(check)
    p.end()

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, b"PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An .ico holding PNG images (Windows Vista and later read PNG entries)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, png in sorted(pngs.items()):
        dim = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset)
        blobs += png
        offset += len(png)
    return header + entries + blobs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "resources" / "icons"))
    parser.add_argument("--if-missing", action="store_true",
                        help="do nothing when app.ico and app.png exist")
    args = parser.parse_args(argv)
    out = Path(args.out)
    ico, png = out / "app.ico", out / "app.png"
    if args.if_missing and ico.is_file() and png.is_file():
        return 0
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    pngs = {size: render_png(size) for size in SIZES}
    out.mkdir(parents=True, exist_ok=True)
    ico.write_bytes(ico_bytes(pngs))
    png.write_bytes(pngs[256])
    del app
    print(f"icon: {ico} ({len(SIZES)} sizes), {png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
