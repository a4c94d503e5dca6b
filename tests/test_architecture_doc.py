"""docs/architecture.md: one page, linked from the README, and every file or folder it
names exists (so the map cannot silently go stale)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
# named as where things will go, not yet there
PLANNED: set[str] = set()


def _named_paths(text: str) -> set[str]:
    found = set()
    for code in re.findall(r"`([^`\s]+)`", text):
        if "/" in code or code.endswith(".py"):
            found.add(code.split("(")[0])
    return found


def _exists(name: str) -> bool:
    """``name`` is a file or folder of the repository, written in full or by its tail
    (``paper.py``, ``vocabulary/header.py``)."""
    name = name.replace("<id>", "mof_self_eval_gd").rstrip("/")
    if (ROOT / name).exists():
        return True
    tails = (p.relative_to(ROOT).as_posix() for base in ("perfeval_desktop", "templates", "tests")
             for p in (ROOT / base).rglob("*") if "__pycache__" not in p.parts)
    return any(t == name or t.endswith("/" + name) for t in tails)


def test_the_architecture_page_is_linked_short_and_names_only_real_paths() -> None:
    text = DOC.read_text("utf-8")
    assert "docs/architecture.md" in (ROOT / "README.md").read_text("utf-8")
    assert len(text.splitlines()) <= 90  # one page
    named = _named_paths(text)
    assert {"workspace/", "export/form_context/", "templates/vocabulary/"} <= named
    missing = sorted(n for n in named - PLANNED if not _exists(n))
    assert missing == []
