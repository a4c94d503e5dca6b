"""docs/screenshots/: which script writes which picture (the README shows them).

Each screenshot script declares the files it writes (its ``OUTPUTS``) and writes them
through :func:`save`, which refuses any other name; no script removes a file, so a run of
one never loses the pictures of another (tests/test_screenshots.py checks that every
picture there and every one the README links is declared by exactly one script).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"


def save(widget: Any, name: str, outputs: tuple[str, ...]) -> None:
    """``widget`` grabbed into docs/screenshots/``name`` (replacing it), if declared."""
    if name not in outputs:
        raise SystemExit(f"{name} is not among the script's OUTPUTS: declare it first")
    OUT.mkdir(parents=True, exist_ok=True)
    if not widget.grab().save(str(OUT / name)):
        raise SystemExit(f"could not write {OUT / name}")
    print(name)


def settle(app: Any, until: Any, limit: int = 400_000) -> None:
    """Process ``app``'s events until ``until()`` holds (the script exits if it never does)."""
    for _ in range(limit):
        app.processEvents()
        if until():
            return
    raise SystemExit("the work never got that far")
