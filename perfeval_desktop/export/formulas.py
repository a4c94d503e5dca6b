"""The live spreadsheet formulas of the forms: string and number literals, the 总分 with its
rescaling and caps, the 等次 with its grade caps (used by :mod:`.form_context`)."""

from __future__ import annotations

from decimal import Decimal

from ..scoring.rounding import plain
from ..templates.manifest import GradeCap, Rules, ScoreCap

BIG = "9E+99"  # "no limit" in a MIN(...) of score caps


def quote(text: str) -> str:
    """A string literal for a spreadsheet formula."""
    return '"' + text.replace('"', '""') + '"'


def number_literal(value: Decimal) -> str:
    """A literal number for a formula (no exponent, at most 12 decimals)."""
    return plain(value, 12)


def total_expression(rules: Rules, base: str, applicable: str, total_weight_ref: str,
                     rate: str | None) -> str:
    """The 总分 formula (without ``=``) from the sum of the scores ``base``, the sum of the
    applicable weights ``applicable``, the total weight and the 预算执行率 ``rate``."""
    x = base
    if rules.rescale_not_applicable:
        x = (f"IF(AND({applicable}>0,{applicable}<{total_weight_ref}),"
             f"({base})/({applicable})*{total_weight_ref},{base})")
    t = f"ROUND({x},{rules.total_decimals})"
    if rate is not None:
        limits = [
            f"IF(AND(ISNUMBER({rate}),{rate}<{number_literal(b.below)}),{plain(b.max_score)},{BIG})"
            for cap in rules.caps if isinstance(cap, ScoreCap) for b in cap.bands
        ]
        if limits:
            t = f"MIN({t},{','.join(limits)})"
    return t


def grade_formula(rules: Rules, total_ref: str, rate: str | None,
                  shown: dict[str, str] | None = None) -> str:
    """The live 等次 of the total in ``total_ref``, then the grade caps, strictest first.

    ``rate`` is the 预算执行率 (a reference or literal; None: no grade cap); ``shown`` maps
    a grade to the text the cell prints for it (default: the grade's name).
    """
    def q(name: str) -> str:
        return quote(shown[name] if shown else name)

    order = [g.name for g in rules.grades]
    f = q(rules.grades[-1].name)
    for band in reversed(rules.grades[:-1]):
        f = f"IF({total_ref}>={plain(band.min)},{q(band.name)},{f})"
    if rate is not None:
        caps = sorted((c for c in rules.caps if isinstance(c, GradeCap)),
                      key=lambda c: order.index(c.max_grade))
        for cap in caps:
            floor = next(g.min for g in rules.grades if g.name == cap.max_grade)
            f = (f"IF(AND(ISNUMBER({rate}),{rate}<{number_literal(cap.below)},"
                 f"{total_ref}>={plain(floor)}),{q(cap.max_grade)},{f})")
    return "=" + f
