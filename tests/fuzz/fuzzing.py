"""Seeded mutation shared by the fuzz tests (issue #13 §12).

Every mutation is drawn from ``random.Random(seed)``, so a failing case is reproduced by its
seed alone; the inputs that once crashed are kept in ``corpus/`` and replayed as tests.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).parent / "corpus"
ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "resources" / "samples").glob("*.pfe"))
TIME_BOUND_S = 10.0  # any single input: a result or a clear error within this

ODD_STRINGS = [
    "", " ", "\x00", "\x07\x0b", "\ud800", "\u202e", "１２３", "1E+30", "-1e-30", "NaN",
    "Infinity", "9" * 40, "0.0000001", "①②", "٣", "{{ 9**9 }}", "${x}", "a" * 5000,
    "null", "[]", "{}", "产出指标", "manual", "compare", "≥", "<!DOCTYPE x>",
]
ODD_VALUES: list[Any] = [
    None, True, False, 0, -1, 2**64, 1.5, 1e308, "", [], {}, [[[]]], {"kind": "x"},
    {"kind": "compare", "target": "1E+400"}, {"kind": "rate", "denominator": "0"},
    *ODD_STRINGS,
]


@contextmanager
def within(seconds: float = TIME_BOUND_S) -> Iterator[None]:
    started = time.monotonic()
    yield
    elapsed = time.monotonic() - started
    assert elapsed < seconds, f"took {elapsed:.1f} s"


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*prefix, i))
    return out


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def mutate_json(data: Any, rng: random.Random, steps: int = 3) -> Any:
    """``data`` (decoded JSON) with ``steps`` structural mutations: a value replaced by an
    odd one, a key dropped or duplicated subtree, a list entry copied."""
    for _ in range(steps):
        paths = [p for p in _paths(data) if p]
        if not paths:
            return rng.choice(ODD_VALUES)
        path = rng.choice(paths)
        parent = _get(data, path[:-1])
        key = path[-1]
        action = rng.randrange(4)
        if action == 0:
            parent[key] = rng.choice(ODD_VALUES)
        elif action == 1 and isinstance(parent, dict):
            del parent[key]
        elif action == 1 and isinstance(parent, list):
            parent.insert(key, json.loads(json.dumps(parent[key])))  # a copy: duplicate ids
        elif action == 2:
            value = parent[key]
            if isinstance(value, str):
                cut = rng.randrange(len(value) + 1)
                parent[key] = value[:cut] + rng.choice(ODD_STRINGS) + value[cut:]
            else:
                parent[key] = str(value)
        else:
            other = _get(data, rng.choice(paths))
            parent[key] = json.loads(json.dumps(other))
    return data


def mutate_text(text: str, rng: random.Random, steps: int = 3) -> str:
    """Byte-level damage: cut, repeat, delete or insert a piece of ``text``."""
    for _ in range(steps):
        if not text:
            return rng.choice(ODD_STRINGS)
        i = rng.randrange(len(text))
        j = min(len(text), i + rng.randrange(1, 40))
        action = rng.randrange(4)
        if action == 0:
            text = text[:i]
        elif action == 1:
            text = text[:i] + text[j:]
        elif action == 2:
            text = text[:i] + text[i:j] * rng.randrange(2, 5) + text[j:]
        else:
            text = text[:i] + rng.choice(ODD_STRINGS) + text[i:]
    return text


def replay(kind: str) -> list[Any]:
    """The kept inputs of ``kind`` (``corpus/<kind>-*.json``) for the regression tests."""
    return [json.loads(p.read_text("utf-8")) for p in sorted(CORPUS.glob(f"{kind}-*.json"))]


def keep(kind: str, name: str, case: Any) -> None:  # pragma: no cover - used when hunting
    (CORPUS / f"{kind}-{name}.json").write_text(
        json.dumps(case, ensure_ascii=True, indent=1), "utf-8")


Check = Callable[[Any], None]
