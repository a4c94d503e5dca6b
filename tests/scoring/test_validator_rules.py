"""The validator's shape (issue #11 §7): small rule functions, one module per area, each
with its code, level and meaning, registered in one list that the documentation's table
shows; no private helper imported across modules (tests/test_function_length.py: no long
function)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from perfeval_desktop.scoring import validator
from perfeval_desktop.scoring.findings import Level
from perfeval_desktop.scoring.validator.rule import Each, Once

SCORING = Path(validator.__file__).resolve().parents[1]


def documented() -> dict[tuple[str, str], str]:
    """(code, level) → meaning, from the table in the validator's docstring."""
    table = (validator.__doc__ or "").split("======  ======")[2]
    rows: dict[tuple[str, str], str] = {}
    key: tuple[str, str] | None = None
    for line in table.splitlines():
        head = re.match(r"([A-Z]\d{3})\s+(\w+)\s+(.*)", line)
        if head:
            key = (head.group(1), head.group(2))
            rows[key] = head.group(3).strip()
        elif key is not None and line.strip() and not line.startswith("="):
            rows[key] += " " + line.strip()
    return rows


def test_every_rule_is_in_the_one_list_and_the_table() -> None:
    rules = validator.RULES
    pairs = [(r.code, r.level.value) for r in rules]
    assert len(pairs) == len(set(pairs)), "a (code, level) registered twice"
    assert all(isinstance(r, Once | Each) and r.meaning.strip() for r in rules)
    assert all(isinstance(r.level, Level) and re.fullmatch(r"[A-Z]\d{3}", r.code) for r in rules)
    table = documented()
    assert set(table) == set(pairs)
    for rule in rules:  # the rule's own words and the table's are the same words
        assert " ".join(rule.meaning.split()) == table[(rule.code, rule.level.value)], rule.code


def test_rules_live_in_their_areas_modules() -> None:
    areas = {r.check.__module__.rpartition(".")[2] for r in validator.RULES}
    assert areas == {"header", "weights", "indicators", "deviations", "money", "narrative",
                     "content"}


def test_no_private_helper_is_imported_across_modules() -> None:
    found = []
    for path in sorted(SCORING.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom):
                found += [f"{path.name}: {a.name}" for a in node.names
                          if a.name.startswith("_") and a.name != "__version__"]
    assert found == []
