"""One entry of the indicator library, and its conversion to and from a report's node."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ..model.report import CompareMethod, IndicatorNode, ManualMethod, Nature, QualitativeMethod

NATURES = ("≥", "=", "≤", "定性", "")


class LibraryEntry(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    kind: str = Field(default="", title="类别（项目类型）")
    l1: str = Field(default="", title="一级指标")
    l2: str = Field(default="", title="二级指标")
    name: str = Field(title="三级指标")
    nature: str = Field(default="", title="指标性质（≥ = ≤ 定性）")
    target: str = Field(default="", title="年度指标值（写法示例）")
    unit: str = Field(default="", title="度量单位")
    source: str = Field(default="", title="出处")
    note: str = Field(default="", title="说明")
    origin: str = Field(default="builtin", title="builtin / own / report")

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.kind, self.l1, self.l2, self.name)


def node_from_entry(entry: LibraryEntry) -> IndicatorNode:
    """A 三级 indicator to insert: name, target, 度量单位 and a method fitting its nature
    (the weight and this year's figures are the clerk's to fill)."""
    nature = {"≥": Nature.HIGHER, "=": Nature.EQUAL, "≤": Nature.LOWER}.get(entry.nature)
    method: CompareMethod | QualitativeMethod | ManualMethod
    if nature is not None:
        method = CompareMethod(nature=nature)
    elif entry.nature == "定性":
        method = QualitativeMethod()
    else:
        method = ManualMethod()
    return IndicatorNode(name=entry.name, target_text=entry.target, unit=entry.unit,
                         method=method)


def entry_from_node(
    node: IndicatorNode, l1: str, l2: str, kind: str, source: str, origin: str = "own"
) -> LibraryEntry:
    method = node.method
    nature = ""
    if isinstance(method, CompareMethod):
        nature = method.nature.value
    elif isinstance(method, QualitativeMethod):
        nature = "定性"
    return LibraryEntry(kind=kind, l1=l1, l2=l2, name=node.name, nature=nature,
                        target=node.target_text, unit=node.unit, source=source, origin=origin)
