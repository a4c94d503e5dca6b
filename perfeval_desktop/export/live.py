"""Computed values that carry their own live spreadsheet formula.

A form template (:mod:`.xlsx_template`) names values with placeholders only —
``{{ 行.得分 }}``, ``{{ 一级.分值 }}``, ``{{ 总分 }}`` — and never writes a formula.
Each such value is a :class:`Live`: the exact number the engine computed, how it is
printed (:class:`~.grid.Kind`, decimals), a ``key`` naming it (the 得分 of indicator
``n3``), and optionally a :class:`Formula` over other keys (the 分值 of 产出指标 is the
sum of the 分值 of its leaves).  When the template is filled, every placed value records
the cell it landed in; a formula is then written with those cells' addresses, so a clerk
who edits a score in Excel sees the totals, 得分率 and grade recalculate.  Where a key
the formula needs is not on the sheet — or the printed cells would not add up to the
printed value — the plain number is written instead, never a formula that disagrees
with the form.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..scoring.rounding import ZERO, as_typed, percent, plain, round_half_up
from .grid import Kind, display_width

Key = Hashable
_SLOT = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Many:
    """Several keys filling one slot: their cells as a reference list.

    ``optional`` keys may be missing from the sheet (a value the form has no row for, such
    as the 预算执行率 block of a rule set without one); the others must all be placed.
    """

    keys: tuple[Key, ...]
    optional: frozenset[Key] = frozenset()


@dataclass(frozen=True)
class Formula:
    """A formula ``pattern`` with ``{slot}`` holes filled with cell references.

    ``slots`` maps a slot to one key (its cell, e.g. ``G8``) or :class:`Many` keys (their
    cells as a reference list, contiguous cells of a column as ranges: ``H8,H15:H22``).
    ``sums`` names Many slots whose placed values must add up to ``total`` for the
    formula to be used (a sum that would disagree with the printed number is dropped).
    ``literals`` give a slot's text where its key is not on the sheet; ``otherwise`` is
    the formula to use where this one cannot be (the 总分 of a table of first-level
    indicators is the sum of their scores, not of the leaves').
    """

    pattern: str
    slots: Mapping[str, Key | Many]
    sums: tuple[str, ...] = ()
    total: Decimal | None = None
    round_to: int | None = None  # the sums are compared with ``total`` rounded so
    literals: Mapping[str, str] = field(default_factory=dict)  # a slot's value off the sheet
    otherwise: Formula | None = None

    def resolve(self, placed: Mapping[Key, Placed]) -> str | None:
        got = self._resolve(placed)
        if got is None and self.otherwise is not None:
            return self.otherwise.resolve(placed)
        return got

    def _resolve(self, placed: Mapping[Key, Placed]) -> str | None:
        refs: dict[str, str] = {}
        for slot, keys in self.slots.items():
            if isinstance(keys, Many):
                cells = [placed.get(k) for k in keys.keys]
                if any(c is None and k not in keys.optional
                       for c, k in zip(cells, keys.keys, strict=True)):
                    return None
                found = [c for c in cells if c is not None]
                if not found:  # nothing of it on the sheet
                    return None
                if slot in self.sums:
                    if self.total is None:  # nothing printed to agree with
                        return None
                    got = sum((c.value for c in found if c.value is not None), ZERO)
                    if self.round_to is not None:
                        got = round_half_up(got, self.round_to)
                    if got != self.total:
                        return None
                refs[slot] = reference_list([(c.row, c.col) for c in found]) or "0"
            else:
                cell = placed.get(keys)
                if cell is not None:
                    refs[slot] = cell.address
                elif slot in self.literals:
                    refs[slot] = self.literals[slot]
                else:
                    return None
        return "=" + _SLOT.sub(lambda m: refs.get(m.group(1), m.group(0)), self.pattern)


@dataclass(frozen=True)
class Placed:
    """Where a keyed value was written (1-based sheet row/column) and the number it shows."""

    row: int
    col: int
    value: Decimal | None

    @property
    def address(self) -> str:
        return f"{column_letter(self.col)}{self.row}"


def column_letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(col))


def reference_list(cells: Sequence[tuple[int, int]]) -> str:
    """``H8,H15:H22``: cells sorted by column then row, runs of a column as ranges (cells
    all in one row: runs of that row, ``B4:E4``)."""
    parts: list[str] = []
    run: list[tuple[int, int]] = []
    unique = set(cells)
    by_row = len({r for r, _c in unique}) == 1
    along, across = (1, 0) if by_row else (0, 1)  # the index that steps, the one that stays

    def flush() -> None:
        if run:
            first, last = run[0], run[-1]
            a = f"{column_letter(first[1])}{first[0]}"
            parts.append(a if first == last else f"{a}:{column_letter(last[1])}{last[0]}")

    for rc in sorted(unique, key=lambda x: (x[across], x[along])):
        if run and rc[across] == run[-1][across] and rc[along] == run[-1][along] + 1:
            run.append(rc)
            continue
        flush()
        run = [rc]
    flush()
    return ",".join(parts)


@dataclass(frozen=True)
class Live:
    """A computed value as a form prints it; ``str()`` is the printed text.

    ``value`` is the exact number (None: an empty cell); for LABEL/TEXT kinds ``text``
    holds what is printed.  ``narrow`` is the text to print instead where ``text`` is
    wider than its cell (``产出指标\\n(50分)``), with ``narrow_formula`` its formula;
    ``fit`` = (share, margin): ``text`` is too wide where it is wider than
    ``width × share − margin`` characters (a family whose 附件 Word prints narrower than
    the sheet judges with a smaller share).
    """

    value: Decimal | None = None
    kind: Kind = Kind.NUMBER
    decimals: int = 2
    key: Key | None = None
    formula: Formula | None = None
    label: str | None = None  # the printed text of a LABEL/TEXT value
    narrow: str | None = None
    narrow_formula: Formula | None = field(default=None, compare=False)
    fit: tuple[float, float] = (1.0, 0.5)

    @property
    def number(self) -> Decimal | None:
        """The number written to the cell: rounded to what is printed for scores."""
        if self.value is None:
            return None
        if self.kind is Kind.NUMBER:
            return round_half_up(self.value, self.decimals)
        return self.value

    @property
    def text(self) -> str:
        if self.label is not None:
            return self.label
        if self.kind is Kind.AMOUNT:  # as typed (1155.5, 228.50); a form cell's 0.00 fixes it
            return as_typed(self.value)
        if self.kind is Kind.PERCENT:
            return percent(self.value, self.decimals)
        return plain(self.value, self.decimals)

    def fitted(self, width: float) -> tuple[str, Formula | None]:
        """The text and formula for a cell ``width`` characters wide."""
        share, margin = self.fit
        if self.narrow is not None and display_width(self.text) > width * share - margin:
            return self.narrow, self.narrow_formula
        return self.text, self.formula

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def live_number(value: Decimal | None, key: Key | None = None, decimals: int = 2,
                formula: Formula | None = None) -> Live:
    return Live(value, Kind.NUMBER, decimals, key, formula)


def live_amount(value: Decimal | None, key: Key | None = None,
                formula: Formula | None = None, decimals: int = 2) -> Live:
    return Live(value, Kind.AMOUNT, decimals, key, formula)


def live_percent(value: Decimal | None, decimals: int, key: Key | None = None,
                 formula: Formula | None = None) -> Live:
    return Live(value, Kind.PERCENT, decimals, key, formula)


def live_label(text: str, key: Key | None = None, formula: Formula | None = None) -> Live:
    return Live(None, Kind.LABEL, 2, key, formula, label=text)


def sum_of(keys: Sequence[Key], total: Decimal | None) -> Formula:
    """``SUM`` of the cells of ``keys``, used only when they add up to ``total``."""
    return Formula("SUM({x})", {"x": Many(tuple(keys))}, ("x",), total)
