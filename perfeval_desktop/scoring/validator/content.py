"""C001–C004: what would print empty — 绩效目标, an outline section, 评价人员, the printed
年度指标值 / 实际完成值 of a scored indicator; C005: the fields the file held control
characters in (removed when it was read)."""

from __future__ import annotations

from ...templates.families import family_forms
from ...templates.manifest import Manifest
from ..findings import Level
from .base import CheckerBase
from .common import _section_labels


def _prints(manifest: Manifest, what: str) -> bool:
    """Whether the family's printed forms hold ``what`` (its ``forms.prints``)."""
    forms = family_forms(manifest)
    return forms is not None and what in forms.prints


def _empty(text: str | None) -> bool:
    return not (text or "").strip()


class ContentChecks(CheckerBase):
    def content(self) -> None:
        report = self.report
        for path, label in (("goals.expected", "预期目标"), ("goals.actual", "实际完成情况")):
            if _empty(getattr(report.goals, path.split(".")[1])):
                self.add(
                    "C001",
                    Level.ERROR,
                    path,
                    f"绩效目标：“{label}”尚未填写，表上这一栏将打印为空。请在“绩效目标”页填写。",
                )
        labels = _section_labels(self.manifest.outline)
        for section in self.manifest.all_sections():
            optional = "可不填" in section.guidance  # (a table printed there on its own)
            text = report.sections.get(section.id)
            if section.children or optional or not _empty(section.written(text)):
                continue
            kept = "仍是模板的填写说明（不会印出）" if not _empty(text) else "尚未填写"
            self.add(
                "C002",
                Level.VERIFY,
                f"sections.{section.id}",
                f"{labels[section.id]}：{kept}，报告将只印出标题。请填写这一部分；"
                "确无内容时请写明原因。",
            )
        if _prints(self.manifest, "评价人员") and not any(
            not _empty(e.name) for e in report.evaluators
        ):
            self.add(
                "C003",
                Level.VERIFY,
                "evaluators",
                "评价人员：表上印有评价人员栏，但还没有填写任何人员。请在“评价人员”页填写"
                "姓名、职务和单位；如需打印后手写，请写明原因。",
            )
        self._printed_columns()
        self._cleaned_on_load()

    def _cleaned_on_load(self) -> None:
        """C005: each field whose control characters were removed when the file was read
        (``Report.cleaned_on_load``), named as the form names it, until the report is saved."""
        cleaned = self.report.cleaned_on_load
        if not cleaned:
            return
        nodes = {path: label for path, _level, _node, label in self.nodes}
        sections = _section_labels(self.manifest.outline)
        for path, field in cleaned:
            owner, _, attr = path.rpartition(".")
            title = field.rpartition("（")[2].rstrip("）") if field.endswith("）") else ""
            if owner in nodes:
                where = f"{nodes[owner]}：“{title or attr}”"
            elif owner == "sections" and attr in sections:
                where = f"报告正文“{sections[attr]}”"
            else:
                where = f"“{title}”" if title else path
            self.add(
                "C005",
                Level.HINT,
                path,
                f"{where}在文件中含有控制字符（多为从其他程序粘贴带入，无法写入 Word/Excel），"
                "打开时已删除。请核对这段内容是否完整；保存后不再提示。",
            )

    def _printed_columns(self) -> None:
        columns = [(attr, column) for attr, column in (("target_text", "年度指标值"),
                                                       ("actual_text", "实际完成值"))
                   if _prints(self.manifest, column)]
        if not columns:
            return
        for path, level, node, label in self.nodes:
            if level < 3 or not node.is_leaf or node.keep_empty:  # (R003: a childless branch)
                continue
            if node.method.kind == "not_applicable":
                continue
            for attr, column in columns:
                if _empty(getattr(node, attr)):
                    self.add(
                        "C004",
                        Level.VERIFY,
                        f"{path}.{attr}",
                        f"{label}：“{column}”一栏为空，打印出来是空白。请在指标表中填写"
                        f"（如 ≥3000人次、98%、按时完成）。",
                    )
