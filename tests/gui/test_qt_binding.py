"""The Qt binding must not corrupt Python's reference counts.

PySide6 6.12.0 on Python 3.11 drops a reference to ``None`` on every C++ call returning
void; after a few thousand calls the interpreter aborts ("none_dealloc").  This pins the
behaviour so that a binding upgrade with such a bug fails here, not on a clerk's PC.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QFont


def test_void_calls_leave_the_refcount_of_none_alone(qapp: object) -> None:
    font = QFont()
    before = sys.getrefcount(None)
    for _ in range(2000):
        font.setPointSizeF(12)
    after = sys.getrefcount(None)
    # other threads may touch None a little; a leak is one reference per call
    assert abs(after - before) < 100, (before, after)
