"""The Chinese fonts of the printed forms on Linux (issue #10).

Reports and forms name Windows fonts (仿宋, 黑体, 楷体, 宋体, 方正小标宋简体).  On Linux,
where none is installed, ``resources/fontconfig/fonts.conf`` maps each to a
Simplified-Chinese face of its kind (serif, sans, kai) from Debian's fonts-noto-cjk and
fonts-arphic-ukai; :func:`use_font_aliases` points ``FONTCONFIG_FILE`` at it, so Qt (the
in-app renderer, the preview) and LibreOffice (started with this environment) both use it.
Windows and macOS have their own fonts and are left alone, as is a FONTCONFIG_FILE the
user set.
"""

from __future__ import annotations

import os
import sys

from .paths import bundled

FONTCONFIG_ENV = "FONTCONFIG_FILE"


def font_conf() -> str:
    return str(bundled("resources", "fontconfig", "fonts.conf"))


def use_font_aliases() -> None:
    """Before Qt or LibreOffice starts: the aliases for this process and its children."""
    if not sys.platform.startswith("linux") or FONTCONFIG_ENV in os.environ:
        return
    conf = font_conf()
    if os.path.isfile(conf):
        os.environ[FONTCONFIG_ENV] = conf
