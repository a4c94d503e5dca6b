"""The spec's post-filter: which Qt plugins, libraries and translations the bundle keeps."""

from __future__ import annotations

import ast
from pathlib import Path

import bundle_filter
import pytest
from bundle_filter import keep, trim


@pytest.mark.parametrize("dest", [
    "PySide6/Qt/translations/qtbase_zh_CN.qm",
    "PySide6/Qt/translations/qt_zh_CN.qm",
    "PySide6/translations/qtbase_zh_CN.qm",  # the Windows wheel's layout
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/plugins/platforms/qwindows.dll",
    "PySide6\\plugins\\platforms\\qoffscreen.dll",
    "PySide6/plugins/styles/qmodernwindowsstyle.dll",
    "PySide6/plugins/imageformats/qico.dll",
    "PySide6/Qt/plugins/imageformats/libqico.so",
    "PySide6/Qt/lib/libQt6Core.so.6",
    "PySide6/Qt/lib/libQt6Gui.so.6",
    "PySide6/Qt/lib/libQt6Widgets.so.6",
    "PySide6/Qt/lib/libQt6DBus.so.6",
    "PySide6/Qt/lib/libQt6PrintSupport.so.6",
    "PySide6/plugins/printsupport/windowsprintersupport.dll",
    "PySide6/Qt6PrintSupport.dll",
    "PySide6/Qt6Core.dll",
    "PySide6/Qt6Widgets.dll",
    "PySide6/QtGui.pyd",
    "libpython3.11.so.1.0",
    "python311.dll",
    "lxml/etree.cpython-311-x86_64-linux-gnu.so",
    "templates/mof_self_eval_gd/manifest.yaml",
    "resources/samples/gd_yuancheng_medical_aid_2021.pfe",
])
def test_kept(dest: str) -> None:
    assert keep(dest)


@pytest.mark.parametrize("dest", [
    "PySide6/Qt/translations/qtbase_de.qm",
    "PySide6/Qt/translations/qt_help_zh_CN.qm",
    "PySide6/Qt/translations/qtdeclarative_zh_CN.qm",
    "PySide6/translations/qtbase_ja.qm",
    "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/plugins/platforms/qdirect2d.dll",
    "PySide6/plugins/platforms/qminimal.dll",
    "PySide6/Qt/plugins/tls/libqopensslbackend.so",
    "PySide6/plugins/tls/qschannelbackend.dll",
    "PySide6/Qt/plugins/networkinformation/libqnetworkmanager.so",
    "PySide6/plugins/imageformats/qpdf.dll",
    "PySide6/plugins/imageformats/qsvg.dll",
    "PySide6/plugins/imageformats/qjpeg.dll",
    "PySide6/plugins/iconengines/qsvgicon.dll",
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
    "PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so",
    "PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-kms-integration.so",
    "PySide6/Qt/plugins/generic/libqevdevtouchplugin.so",
    "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
    "PySide6/Qt/lib/libQt6Network.so.6",
    "PySide6/Qt/lib/libQt6Pdf.so.6",
    "PySide6/Qt/lib/libQt6Svg.so.6",
    "PySide6/Qt/lib/libQt6WaylandClient.so.6",
    "PySide6/Qt/lib/libQt6EglFSDeviceIntegration.so.6",
    "PySide6/Qt6Network.dll",
    "PySide6/Qt6Pdf.dll",
    "PySide6/Qt6Qml.dll",
    "PySide6/Qt6Quick.dll",
    "PySide6/opengl32sw.dll",
    "PySide6/d3dcompiler_47.dll",
])
def test_dropped(dest: str) -> None:
    assert not keep(dest)


def test_unused_python_modules_are_excluded() -> None:
    excluded = set(bundle_filter.EXCLUDED_MODULES)
    assert {"tkinter", "ssl", "PySide6.QtNetwork", "PySide6.QtQml", "PySide6.QtQuick",
            "PySide6.QtWebEngineCore", "PySide6.QtPdf", "PySide6.QtSql", "PySide6.QtTest",
            "PySide6.QtMultimedia", "PySide6.Qt3DCore", "pytest"} <= excluded
    # what the program does use
    for used in ("PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets",
                 "PySide6.QtPrintSupport", "yaml", "lxml.etree", "unicodedata"):
        assert used not in excluded


def test_trim_drops_what_only_dropped_files_needed() -> None:
    binaries = [
        ("lxml/etree.so", "/s/etree.so", "EXTENSION"),
        ("libxml2.so.2", "/s/libxml2.so.2", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/s/libqxcb.so", "BINARY"),
        ("PySide6/Qt/lib/libQt6XcbQpa.so.6", "/s/libQt6XcbQpa.so.6", "BINARY"),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/s/libqgtk3.so", "BINARY"),
        ("libgtk-3.so.0", "/s/libgtk-3.so.0", "BINARY"),
        ("libcairo.so.2", "/s/libcairo.so.2", "BINARY"),
        ("libX11.so.6", "/s/libX11.so.6", "BINARY"),
        ("libpython3.11.so.1.0", "/s/libpython3.11.so.1.0", "BINARY"),
    ]
    links = {
        "/s/etree.so": ["libxml2.so.2"],
        "/s/libqxcb.so": ["libQt6XcbQpa.so.6", "libX11.so.6"],
        "/s/libqgtk3.so": ["libgtk-3.so.0", "libcairo.so.2", "libX11.so.6"],
        "/s/libgtk-3.so.0": ["libcairo.so.2"],
    }
    datas = [
        ("libQt6XcbQpa.so.6", "PySide6/Qt/lib/libQt6XcbQpa.so.6", "SYMLINK"),
        ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK"),
        ("PySide6/Qt/translations/qtbase_fr.qm", "/s/qtbase_fr.qm", "DATA"),
        ("PySide6/Qt/translations/qtbase_zh_CN.qm", "/s/qtbase_zh_CN.qm", "DATA"),
        ("templates/a/manifest.yaml", "/s/manifest.yaml", "DATA"),
    ]
    kept_binaries, kept_datas = trim(binaries, datas, lambda src: links.get(src, []))
    assert [e[0] for e in kept_binaries] == [
        "lxml/etree.so", "libxml2.so.2", "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/lib/libQt6XcbQpa.so.6", "libX11.so.6", "libpython3.11.so.1.0",
    ]
    assert [e[0] for e in kept_datas] == [
        "libQt6XcbQpa.so.6", "PySide6/Qt/translations/qtbase_zh_CN.qm",
        "templates/a/manifest.yaml",
    ]


def test_data_entries_skip_caches_and_leftovers(tmp_path: Path) -> None:
    (tmp_path / "templates" / "t" / "__pycache__").mkdir(parents=True)
    (tmp_path / "templates" / "t" / "manifest.yaml").write_text("id: t\n", encoding="utf-8")
    (tmp_path / "templates" / "t" / "__pycache__" / "x.pyc").write_bytes(b"")
    (tmp_path / "templates" / "t" / "manifest.yaml~").write_text("", encoding="utf-8")
    (tmp_path / "templates" / "t" / "~$表样.docx").write_bytes(b"")
    (tmp_path / "resources" / "samples").mkdir(parents=True)
    (tmp_path / "resources" / "samples" / "a.pfe").write_text("{}", encoding="utf-8")
    (tmp_path / "resources" / ".DS_Store").write_bytes(b"")
    entries = bundle_filter.data_entries(tmp_path, ("templates", "resources"))
    assert sorted((Path(src).name, dest) for src, dest in entries) == [
        ("a.pfe", str(Path("resources/samples"))),
        ("manifest.yaml", str(Path("templates/t"))),
    ]


def test_the_program_never_imports_an_excluded_module() -> None:
    """What the spec leaves out of the bundle must not be needed: the whole self-test (every
    template, sample and export format) and every sample opened in the window, in a fresh
    interpreter, import none of bundle_filter.EXCLUDED_MODULES."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    code = f"""
import io, sys, tempfile
from pathlib import Path
sys.path.insert(0, {str(root / "installer")!r})
from perfeval_desktop import paths, selftest
from perfeval_desktop.printing import libreoffice
import perfeval_gui
from perfeval_desktop.ui.app import create_app
create_app(sys.argv[:1])  # as the GUI program does first (installer/perfeval_gui.py)
libreoffice.find_soffice = lambda: None  # the PDF route of a PC without LibreOffice
with tempfile.TemporaryDirectory() as tmp:
    paths.set_basedir(Path(tmp))
    assert selftest.run_self_test(Path(tmp), io.StringIO()) == 0
    assert perfeval_gui.gui_check(io.StringIO()) == 0
import bundle_filter
print(sorted(m for m in sys.modules
             if any(m == x or m.startswith(x + ".") for x in bundle_filter.EXCLUDED_MODULES)))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=600, env={**__import__("os").environ,
                                            "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr[-2000:]
    imported = set(ast.literal_eval(done.stdout.strip().splitlines()[-1]))
    # hashlib uses OpenSSL's _hashlib where there is one and its own built-in hashes else
    assert imported - {"_hashlib"} == set()
