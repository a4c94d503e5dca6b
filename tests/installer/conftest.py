"""The installer's helper scripts (installer/*.py) are plain scripts, not a package."""

from __future__ import annotations

import sys
from pathlib import Path

INSTALLER = Path(__file__).resolve().parents[2] / "installer"
if str(INSTALLER) not in sys.path:
    sys.path.insert(0, str(INSTALLER))
# installer/windows/*.py (`make windows`) import each other by name, like the scripts above
if str(INSTALLER / "windows") not in sys.path:
    sys.path.insert(0, str(INSTALLER / "windows"))
