"""What of PySide6 and Python the bundle keeps: the spec's post-filter on a.binaries / a.datas.

PyInstaller's Qt hooks collect every plugin of a used Qt module, all ~100 translation
files, and the Qt libraries those plugins link (QtNetwork for the TLS plugins, QtPdf for
the PDF image plugin, QtSvg, Wayland, EGL…).  The program needs far less: a window, the
standard dialogs in Chinese, printing to PDF through QtGui, ICO/PNG images.  The rules
below are the one place that says so, for Windows and Linux alike; the frozen
``--self-test`` (which starts Qt and opens every sample in a window) checks they are not
too strict, and tests/installer/test_bundle_filter.py pins them down.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

# Python modules no part of the program imports (and their native libraries: ssl pulls
# libssl/libcrypto; the program makes no network call)
EXCLUDED_MODULES = [
    "tkinter", "_tkinter", "turtle", "turtledemo", "idlelib", "pydoc_data", "lib2to3",
    "sqlite3", "_sqlite3", "ssl", "_ssl", "_hashlib", "curses", "_curses", "readline",
    "unittest", "doctest", "pytest", "_pytest", "hypothesis", "pytestqt", "mypy", "ruff",
    "setuptools", "pkg_resources", "pip",
    # in the import graph only through asyncio/concurrent.futures, never imported when the
    # program runs; bundled, each brings a runtime hook that imports it before the window
    # (multiprocessing ~12 ms, pkgutil ~1 ms of the frozen start)
    "multiprocessing", "pkgutil",
    # lxml's objectify / html / schematron / sax: python-docx and openpyxl use lxml.etree
    # only.  (PyYAML's C loader stays: yaml.CSafeLoader parses the templates ~6x faster.)
    "lxml.objectify", "lxml.html", "lxml.isoschematron", "lxml.sax",
    # encodings of other languages (the program reads and writes UTF-8; GBK stays)
    "_codecs_jp", "_codecs_kr", "_codecs_tw", "_codecs_hk", "_codecs_iso2022",
    "PySide6.QtNetwork", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2", "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets",
    "PySide6.QtSvg", "PySide6.QtSvgWidgets", "PySide6.QtPdf", "PySide6.QtPdfWidgets",
    "PySide6.QtMultimedia", "PySide6.QtMultimediaWidgets", "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets", "PySide6.Qt3DCore", "PySide6.QtSql", "PySide6.QtTest",
    "PySide6.QtDBus", "PySide6.QtXml", "PySide6.QtConcurrent", "PySide6.QtHelp",
    "PySide6.QtUiTools", "PySide6.QtDesigner", "PySide6.QtCharts", "PySide6.QtNetworkAuth",
    "PySide6.QtBluetooth", "PySide6.QtPositioning", "PySide6.QtSerialPort",
    "PySide6.QtStateMachine", "PySide6.QtTextToSpeech", "PySide6.QtVirtualKeyboard",
]

# Qt's own translations: the standard dialogs' buttons in Chinese (ui/app.py loads both)
KEEP_TRANSLATIONS = {"qtbase_zh_CN.qm", "qt_zh_CN.qm"}

# plugin folder -> plugins kept (None: the whole folder); folders not listed are dropped
KEEP_PLUGINS: dict[str, set[str] | None] = {
    # windows: the desktop; xcb: Linux/X11 (XWayland too); offscreen: --self-test and CI
    "platforms": {"qwindows", "qxcb", "qoffscreen", "qcocoa"},
    "styles": None,  # Windows 11 / Vista styles: the native look
    "imageformats": {"qico"},  # the window icon (PNG and BMP are built into QtGui)
    "platforminputcontexts": {"composeplatforminputcontextplugin",
                              "ibusplatforminputcontextplugin"},  # Linux Chinese input
    "platformthemes": {"qxdgdesktopportal"},  # Linux file dialogs (gtk3 would pull GTK)
    "xcbglintegrations": None,
    # printing (ui/print_preview.py): the Windows spooler; the Linux CUPS plugin would pull
    # 8 MB of libcups/gnutls/kerberos into the CI build, where printing goes to PDF anyway
    "printsupport": {"windowsprintersupport", "cocoaprintersupport"},
}

# Qt libraries nothing kept needs (each was only linked by a dropped plugin)
DROPPED_QT_LIBS = re.compile(
    r"^(lib)?Qt6(Network|Pdf|Svg|Qml\w*|Quick\w*|WaylandClient|WaylandEgl\w*|WlShell\w*|"
    r"EglFS\w*|EglFs\w*|VirtualKeyboard\w*|OpenGL|OpenGLWidgets)(\.so\.6|\.dll)$"
)
# Windows: software OpenGL and the shader compiler serve Qt Quick / OpenGL, not widgets
DROPPED_FILES = {"opengl32sw.dll", "d3dcompiler_47.dll"}

_PLUGIN = re.compile(r"(?:^|/)plugins/([^/]+)/(?:lib)?([^/.]+)\.(?:so|dll|dylib)$")
_TRANSLATION = re.compile(r"(?:^|/)translations/([^/]+\.qm)$")


def keep(dest: str) -> bool:
    """Whether the bundle keeps the file collected to ``dest`` (a path inside the bundle)."""
    path = dest.replace("\\", "/")
    name = path.rsplit("/", 1)[-1]
    if "PySide6/" in path or path.startswith("PySide6"):
        translation = _TRANSLATION.search(path)
        if translation:
            return translation.group(1) in KEEP_TRANSLATIONS
        plugin = _PLUGIN.search(path)
        if plugin:
            folder, stem = plugin.groups()
            if folder not in KEEP_PLUGINS:
                return False
            wanted = KEEP_PLUGINS[folder]
            return wanted is None or stem in wanted
        if DROPPED_QT_LIBS.match(name):
            return False
    return name.lower() not in DROPPED_FILES


def _base(dest: str) -> str:
    return dest.replace("\\", "/").rsplit("/", 1)[-1].lower()


def trim(binaries: Iterable[Any], datas: Iterable[Any],
         imports_of: Callable[[str], Iterable[str]]) -> tuple[list[Any], list[Any]]:
    """``(binaries, datas)`` without what :func:`keep` drops, nor what only dropped files
    needed (``imports_of(source)`` names the libraries a binary links, e.g. from
    ``PyInstaller.depend.bindepend.get_imports``), nor symlinks to dropped files.

    Entries are PyInstaller TOC tuples ``(dest, source, kind)``.  A binary that nothing
    in the collection links was collected on purpose (an extension module, a plugin, the
    Python library): those that :func:`keep` keeps are the roots; every library they
    link, directly or not, stays."""
    binaries, datas = list(binaries), list(datas)
    links = {entry[0]: {_base(name) for name in imports_of(entry[1])} for entry in binaries}
    linked = set().union(*links.values()) if links else set()
    kept = [entry for entry in binaries if keep(entry[0])]
    by_base: dict[str, list[Any]] = {}
    for entry in kept:
        by_base.setdefault(_base(entry[0]), []).append(entry)
    todo = [entry for entry in kept if _base(entry[0]) not in linked]
    reached: set[str] = set()
    while todo:
        entry = todo.pop()
        if entry[0] in reached:
            continue
        reached.add(entry[0])
        for name in links[entry[0]]:
            todo.extend(by_base.get(name, []))
    out_binaries = [entry for entry in kept if entry[0] in reached]
    present = {entry[0] for entry in out_binaries}
    out_datas = [
        entry for entry in datas
        if keep(entry[0]) and (len(entry) < 3 or entry[2] != "SYMLINK" or entry[1] in present)
    ]
    return out_binaries, out_datas


def data_entries(root: Any, folders: Iterable[str]) -> list[tuple[str, str]]:
    """``(source file, dest folder)`` pairs for the bundled data folders, without caches
    and editor leftovers (``root`` is a ``pathlib.Path``)."""
    skip_dirs = {"__pycache__", ".git", ".mypy_cache"}
    out: list[tuple[str, str]] = []
    for folder in folders:
        for path in sorted((root / folder).rglob("*")):
            rel = path.relative_to(root)
            if not path.is_file() or skip_dirs & set(rel.parts):
                continue
            if path.name.startswith((".", "~$")) or path.name.endswith(("~", ".pyc", ".bak")):
                continue
            out.append((str(path), str(rel.parent)))
    return out
