"""Every engine the program can choose passes the shared contract (tests/printing/contract.py):
each name of ``printing.ENGINES`` is an engine class, and a test class of this folder runs
the contract on it."""

from __future__ import annotations

import importlib
from pathlib import Path

from contract import EngineContract

from perfeval_desktop.printing import ENGINES, PrintEngine, engine_named
from perfeval_desktop.printing.layout import InAppLayout
from perfeval_desktop.printing.libreoffice import LibreOffice


def test_each_engine_is_a_class_of_the_interface() -> None:
    classes = {LibreOffice, InAppLayout}
    assert {c.name for c in classes} == set(ENGINES)
    assert all(issubclass(c, PrintEngine) for c in classes)
    assert isinstance(engine_named("qt"), InAppLayout)


def test_each_engine_has_its_contract_class() -> None:
    for path in sorted(Path(__file__).parent.glob("test_*.py")):
        importlib.import_module(path.stem)
    covered = [c.ENGINE for c in EngineContract.__subclasses__()]
    assert sorted(covered) == sorted(ENGINES)
