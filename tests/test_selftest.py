"""The smoke test the frozen program runs (``--self-test``), here in-process and fast.

PDF goes through the Qt route (LibreOffice is hidden), the network is cut, and an audit
hook records every file the run creates, changes or removes: all of it must be under the
basedir (the self-test's output folder is inside it).
"""

from __future__ import annotations

import io
import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from perfeval_desktop import cli, paths, selftest
from perfeval_desktop.printing import libreoffice as pdf

_recording: list[list[tuple[str, str]]] = []  # the active recorder (audit hooks stay forever)
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_PATH_EVENTS = {
    "os.mkdir": (0,), "os.remove": (0,), "os.rmdir": (0,), "os.rename": (0, 1),
    "os.replace": (0, 1), "os.truncate": (0,), "os.chmod": (0,), "os.symlink": (0, 1),
    "os.link": (0, 1), "shutil.copyfile": (1,), "shutil.rmtree": (0,),
    "tempfile.mkstemp": (0,), "tempfile.mkdtemp": (0,),
}
# where a path argument may be relative to a directory descriptor (shutil.rmtree deletes a
# temp folder's files as os.remove("name", dir_fd=…)): the index of that descriptor
_DIR_FD = {"os.mkdir": {0: 2}, "os.remove": {0: 1}, "os.rmdir": {0: 1},
           "os.rename": {0: 2, 1: 3}, "os.replace": {0: 2, 1: 3}}


def _resolved(event: str, args: tuple[Any, ...], i: int) -> str:
    path = os.fspath(args[i])
    fd_index = _DIR_FD.get(event, {}).get(i)
    if fd_index is not None and fd_index < len(args):
        fd = args[fd_index]
        if isinstance(fd, int) and fd >= 0 and not os.path.isabs(path):
            return os.path.join(os.readlink(f"/proc/self/fd/{fd}"), path)
    return path


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _recording:
        return
    log = _recording[-1]
    if event == "open":
        path, mode, flags = args
        writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            mode is None and isinstance(flags, int) and flags & _WRITE_FLAGS
        )
        if writes and isinstance(path, str | os.PathLike):
            log.append((event, os.fspath(path)))
    elif event in _PATH_EVENTS:
        for i in _PATH_EVENTS[event]:
            if i < len(args) and isinstance(args[i], str | os.PathLike):
                log.append((event, _resolved(event, args, i)))
    elif event.startswith("socket.") and event not in ("socket.__new__", "socket.gethostname"):
        log.append((event, repr(args)[:200]))


sys.addaudithook(_audit)


@pytest.fixture
def record() -> Iterator[list[tuple[str, str]]]:
    log: list[tuple[str, str]] = []
    _recording.append(log)
    try:
        yield log
    finally:
        _recording.remove(log)


def _no_network(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError(f"network call during the self-test: {args!r}")


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _no_network)
    monkeypatch.setattr(socket.socket, "connect_ex", _no_network)
    monkeypatch.setattr(socket, "create_connection", _no_network)
    monkeypatch.setattr(socket, "getaddrinfo", _no_network)


@pytest.fixture
def qt_pdf_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No LibreOffice: PDF through Qt (fast, and the route most clerks' PCs take)."""
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")


def _inside(path: str, folder: Path) -> bool:
    resolved = Path(os.path.abspath(path)).resolve()
    return resolved == folder or folder in resolved.parents


def test_self_test_passes_offline_and_writes_only_under_basedir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, offline: None, qt_pdf_only: None,
    record: list[tuple[str, str]],
) -> None:
    basedir = (tmp_path / "basedir").resolve()
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # Python's own caches are not ours
    out = io.StringIO()
    before = len(record)

    code = selftest.run_self_test(basedir, out)

    del record[:before]
    text = out.getvalue()
    assert code == 0, text
    assert "\n失败  " not in text
    templates = sorted(p.name for p in (paths.builtin_templates_dir()).iterdir()
                       if (p / "manifest.yaml").is_file())
    for tid in templates:
        assert f"通过  模板 {tid}" in text
    samples = sorted(paths.samples_dir().glob("*.pfe"))
    assert samples
    for sample in samples:
        assert f"通过  {sample.name} 载入" in text
        assert f"通过  {sample.name} 计分与校验" in text
        assert f"通过  {sample.name} 保存并重新载入" in text
    # every sample of a family that exports produced files that reopen
    exported = [line for line in text.splitlines() if "并重新打开" in line]
    for fmt in ("docx", "xlsx", "pdf"):
        assert any(f"导出 {fmt}" in line for line in exported), fmt
    assert "pdf（Qt 排版）" in text
    assert text.rstrip().splitlines()[-1].startswith("自检完成：")
    outputs = list((basedir / selftest.OUTPUT_FOLDER).iterdir())
    assert any(p.suffix == ".xlsx" for p in outputs) and any(p.suffix == ".pdf" for p in outputs)

    network = [entry for entry in record if entry[0].startswith("socket.")]
    assert network == []
    writes = [path for event, path in record if not event.startswith("socket.")]
    assert writes, "the audit hook saw no write at all"
    outside = sorted({p for p in writes if not _inside(p, basedir) and p != os.devnull})
    assert outside == []
    assert list(cwd.iterdir()) == []


def test_a_broken_template_fails_the_self_test(
    tmp_path: Path, offline: None, qt_pdf_only: None,
) -> None:
    basedir = tmp_path / "basedir"
    broken = basedir / "data" / "templates" / "broken"
    broken.mkdir(parents=True)
    (broken / "manifest.yaml").write_text("id: broken\nname: [unclosed\n", encoding="utf-8")
    out = io.StringIO()

    assert selftest.run_self_test(basedir, out) == 1
    text = out.getvalue()
    assert "失败  载入模板" in text and "manifest.yaml" in text
    assert "项失败" in text.splitlines()[-1]


def test_reopen_rejects_what_is_not_the_promised_file(tmp_path: Path) -> None:
    fake_pdf = tmp_path / "x.pdf"
    fake_pdf.write_bytes(b"<html>not a pdf</html>" * 100)
    with pytest.raises(selftest.CheckFailed, match="不是 PDF"):
        selftest.reopen(fake_pdf)
    with pytest.raises(selftest.CheckFailed):
        selftest.reopen(tmp_path / "x.txt")
    broken_docx = tmp_path / "x.docx"
    broken_docx.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(Exception):  # noqa: B017 - whatever python-docx raises
        selftest.reopen(broken_docx)


def test_cli_self_test_command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: list[Path] = []

    def fake(basedir: Path, out: Any = None) -> int:
        seen.append(basedir)
        return 0

    monkeypatch.setattr(selftest, "run_self_test", fake)
    assert cli.main(["self-test", "--basedir", str(tmp_path / "a")]) == 0
    assert cli.main(["--basedir", str(tmp_path / "b"), "self-test"]) == 0
    assert cli.main(["self-test"]) == 0  # a temp folder, removed afterwards
    assert seen[:2] == [tmp_path / "a", tmp_path / "b"]
    assert not seen[2].exists()
