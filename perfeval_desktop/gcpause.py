"""Cyclic garbage collection paused while a big report is built or checked (issue #13 §11),
and not run over the whole heap when a command-line process ends (issue #11).

Reading a report of 100,000 indicators makes some 10⁶ objects; every few hundred new ones
start a collection that walks the objects made so far, which tripled the time of a read.
Reference counting still frees everything at once; nothing made there holds a cycle worth
collecting.  At the end what was made goes to the oldest generation (``gc.freeze()`` then
``gc.unfreeze()``): the report lives on, and a first young collection over all of it would
cost as much as the read.  Nothing stays frozen: cyclic garbage there (a closed window's,
say) is still collected by the next full collection.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection inside the block; nested blocks leave it to the outermost."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()  # every generation into the permanent one …
            gc.unfreeze()  # … and that into the oldest: collected only by a full collection
            gc.enable()


_AT_EXIT: list[bool] = []  # the hook below, once registered


def no_collection_at_exit() -> None:
    """At this process's exit, no collection over what it made: the system frees it.

    For a one-shot process (the command line: ``perfeval-desktop export``).  CPython ends
    by clearing every module and collecting the cycles that leaves — over a heap of some
    10⁵ objects (pydantic, openpyxl, python-docx, Jinja and the report) about 40 ms of a
    0.6 s export.  Frozen by an ``atexit`` hook, they are left to the system.  Nothing is
    lost: the other ``atexit`` hooks still run (logging flushes and closes its files), the
    interpreter flushes the standard streams, the commands write and close their files
    themselves, and CPython never promised ``__del__`` at exit.  Not for a process that
    goes on (the window, the tests): they call the command line's ``main`` with their own
    arguments.
    """
    if not _AT_EXIT:
        atexit.register(gc.freeze)
        _AT_EXIT.append(True)
