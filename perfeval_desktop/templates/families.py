"""The registry of form families: each is declared once, by the ``forms`` of the manifest of
the built-in template that draws its forms (``templates/<id>/manifest.yaml``).

A template names its family by ``family:``; a template that declares ``forms:`` itself
uses its own declaration (a bureau's new family).  Nothing else in the program lists
families: what differs between them (their parts, the name of the funding total, what the
printed form holds, how an Excel file of the family is recognised) is this data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .. import paths
from ..errors import TemplateError
from .manifest import FamilyForms, Manifest


@dataclass(frozen=True)
class Family:
    """A family as declared: its name (``family:``), the built-in folder declaring it (whose
    ``forms.xlsx`` and ``report.docx`` a folder without its own prints) and its forms."""

    name: str
    builtin: Path
    forms: FamilyForms


@cache
def _declared(folder: Path) -> dict[str, Family]:
    from .loader import MANIFEST, parse_manifest  # (the loader checks against this registry)

    out: dict[str, Family] = {}
    if not folder.is_dir():
        return out
    for sub in sorted(folder.iterdir()):
        if not (sub / MANIFEST).is_file():
            continue
        try:
            manifest = parse_manifest(sub / MANIFEST)
        except TemplateError:
            continue  # a broken built-in is listed with its error by the loader
        if manifest.forms is None:
            continue
        if manifest.family in out:
            raise TemplateError(
                f"{sub / MANIFEST}：类别“{manifest.family}”已由 "
                f"{out[manifest.family].builtin / MANIFEST} 声明，一个类别只能声明一次")
        out[manifest.family] = Family(manifest.family, sub, manifest.forms)
    return out


def families() -> dict[str, Family]:
    """Every family declared by a built-in template, by its ``family`` name."""
    return _declared(paths.builtin_templates_dir())


def family_forms(manifest: Manifest) -> FamilyForms | None:
    """The forms of ``manifest``'s family: its own declaration, else the registry's (None: a
    family nobody declares)."""
    if manifest.forms is not None:
        return manifest.forms
    family = families().get(manifest.family)
    return family.forms if family is not None else None


def builtin_folder(manifest: Manifest) -> Path | None:
    """The built-in template folder declaring ``manifest``'s family."""
    family = families().get(manifest.family)
    return family.builtin if family is not None else None


def family_name(manifest: Manifest) -> str:
    """The family's 中文名称 (its ``family`` where nobody declares it)."""
    forms = family_forms(manifest)
    return forms.name if forms is not None else manifest.family


def _matches(pattern: str, text: str) -> bool:
    if pattern.startswith("^") and pattern.endswith("$") and len(pattern) > 1:
        return text == pattern[1:-1]
    if pattern.startswith("^"):
        return text.startswith(pattern[1:])
    if pattern.endswith("$"):
        return text.endswith(pattern[:-1])
    return pattern in text


def recognise(texts: set[str]) -> str | None:
    """The family whose ``recognise`` marks ``texts`` (cell texts and sheet names, blanks
    removed) show; None when none does."""
    order = sorted(families().values(), key=lambda f: (f.forms.recognise_order, f.name))
    for family in order:
        for group in family.forms.recognise:
            if all(any(_matches(p, t) for t in texts) for p in group):
                return family.name
    return None
