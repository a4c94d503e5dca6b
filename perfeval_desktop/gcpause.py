"""Cyclic garbage collection paused while a big report is built or checked (issue #13 §11).

Reading a report of 100,000 indicators makes some 10⁶ objects; every few hundred new ones
start a collection that walks the objects made so far, which tripled the time of a read.
Reference counting still frees everything at once; nothing made there holds a cycle worth
collecting.  At the end what was made goes to the oldest generation (``gc.freeze()`` then
``gc.unfreeze()``): the report lives on, and a first young collection over all of it would
cost as much as the read.  Nothing stays frozen: cyclic garbage there (a closed window's,
say) is still collected by the next full collection.
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
            gc.freeze()  # every generation into the permanent one …
            gc.unfreeze()  # … and that into the oldest: collected only by a full collection
            gc.enable()
