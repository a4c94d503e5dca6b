"""A rule of the validator: its code, its level, what it means, and its check.

A rule's check returns what it found as :data:`Hit` ``(path, message)``; the runner makes
each a :class:`~..findings.Finding` with the rule's code and level, so a rule cannot report
under another's.  :class:`Once` rules look at the report as a whole and may find several
things; :class:`Each` rules look at one item at a time (an indicator row, a text, a column)
and find at most one thing in it.  Consecutive :class:`Each` rules over the same items run
in one walk, item by item: findings come in the order of the form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ..findings import Finding, Level
from .context import Context

Hit = tuple[str, str]  # (field path, message)
T = TypeVar("T")


@dataclass(frozen=True)
class Rule:
    code: str
    level: Level
    meaning: str  # what the rule finds, as the table in the package's docstring says

    def finding(self, hit: Hit) -> Finding:
        return Finding(self.code, self.level, hit[0], hit[1])


@dataclass(frozen=True)
class Once(Rule):
    check: Callable[[Context], Iterable[Hit]]


@dataclass(frozen=True)
class Each(Rule, Generic[T]):
    over: Callable[[Context], Sequence[T]]
    check: Callable[[Context, T], Hit | None]
    kinds: frozenset[str] | None  # the items' ``kind`` it looks at (None: every item)


def once(code: str, level: Level, meaning: str) -> Callable[
        [Callable[[Context], Iterable[Hit]]], Once]:
    """The decorated function is the check of a :class:`Once` rule."""
    return lambda check: Once(code, level, meaning, check)


def each(over: Callable[[Context], Sequence[T]], code: str, level: Level, meaning: str,
         kinds: Iterable[str] | None = None) -> Callable[
             [Callable[[Context, T], Hit | None]], Each[T]]:
    """The decorated function is the check of an :class:`Each` rule over ``over(context)``,
    asked only about the items of ``kinds`` (their ``kind``) where given."""
    only = frozenset(kinds) if kinds is not None else None
    return lambda check: Each(code, level, meaning, over, check, only)


def passes(rules: Sequence[Rule]) -> list[list[Rule]]:
    """The rules in order, consecutive :class:`Each` rules over the same items together."""
    out: list[list[Rule]] = []
    for rule in rules:
        last = out[-1][0] if out else None
        if isinstance(rule, Each) and isinstance(last, Each) and last.over is rule.over:
            out[-1].append(rule)
        else:
            out.append([rule])
    return out


def run(context: Context, grouped: list[list[Rule]]) -> Iterator[Finding]:
    """Every finding of the rules on ``context``, in the order of the rules and items."""
    for group in grouped:
        first = group[0]
        if isinstance(first, Once):
            yield from (first.finding(hit) for hit in first.check(context))
            continue
        walkers = [r for r in group if isinstance(r, Each)]
        table, default = _by_kind(walkers)
        for item in walkers[0].over(context):
            for rule in table.get(item.kind, default) if table else default:
                hit = rule.check(context, item)
                if hit is not None:
                    yield rule.finding(hit)


def _by_kind(walkers: list[Each[Any]]) -> tuple[dict[str, list[Each[Any]]], list[Each[Any]]]:
    """The rules to ask, in order, about an item of each kind named by a rule's ``kinds``,
    and about the others (the rules without ``kinds``)."""
    kinds = {kind for r in walkers for kind in r.kinds or ()}
    table = {kind: [r for r in walkers if r.kinds is None or kind in r.kinds] for kind in kinds}
    return table, [r for r in walkers if r.kinds is None]
