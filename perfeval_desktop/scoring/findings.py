"""What the validator reports: a stable code, a level, the field path and a Chinese message."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Level(str, Enum):
    ERROR = "error"  # 强制性: the form is wrong
    VERIFY = "verify"  # 核实性: acceptable once a written reason (≥ 6 字) is given
    HINT = "hint"  # 提示性

    @property
    def label(self) -> str:
        return {"error": "强制性", "verify": "核实性", "hint": "提示性"}[self.value]


MIN_REASON_CHARS = 6


@dataclass(frozen=True)
class Finding:
    code: str
    level: Level
    path: str  # field path in the report, e.g. "indicators[0].children[1].weight"
    message: str

    @property
    def key(self) -> str:
        """The key under which a 核实性 explanation is stored in ``Report.explanations``."""
        return f"{self.code}@{self.path}"

    def as_json(self) -> dict[str, str]:
        return {
            "code": self.code,
            "level": self.level.value,
            "path": self.path,
            "message": self.message,
        }
