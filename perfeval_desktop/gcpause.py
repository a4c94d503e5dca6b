"""Cyclic garbage collection paused while a big report is built or checked (issue #13 §11).

Reading a report of 100,000 indicators makes some 10⁶ objects; every few hundred new ones
start a collection that walks the objects made so far, which tripled the time of a read.
Reference counting still frees everything at once; nothing made there holds a cycle worth
collecting.  At the end what was made is frozen (``gc.freeze``: the report lives on, and a
first collection over all of it would cost as much as the read) and the collector resumes,
as it was.  Frozen objects are still freed by reference counting when the report goes.
"""

from __future__ import annotations

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
            gc.freeze()
            gc.enable()
