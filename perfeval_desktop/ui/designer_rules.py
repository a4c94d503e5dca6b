"""表样设计 → 计分规则: each field applied to the draft as it is typed; a refused value is
named with the loader's message and the form keeps its last valid rules."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from ..designer import DesignError, TemplateDraft, rules
from ..scoring.rounding import plain

BASES = (
    ("annual_budget", "全年预算数"), ("initial_budget", "年初预算数"), ("received", "实际到位数")
)
_SPLIT = re.compile(r"[；;，,\n]+")


def _items(text: str) -> list[str]:
    return [t.strip() for t in _SPLIT.split(text) if t.strip()]


def _number(text: str, field: str) -> Decimal:
    try:
        return Decimal(text.strip().rstrip("%％"))
    except InvalidOperation:
        raise DesignError([f"{field}：“{text}”应为数字"]) from None


def parse_grades(text: str) -> list[tuple[str, Decimal]]:
    """“优 90；良 80；中 60；差 0” → [(优, 90), …]."""
    out = []
    for item in _items(text):
        parts = item.split()
        if len(parts) != 2:
            raise DesignError([f"评价等次分档：“{item}”应写成“名称 最低分”，如“优 90”"])
        out.append((parts[0], _number(parts[1], "评价等次分档")))
    return out


def parse_score_caps(text: str) -> list[tuple[Decimal, Decimal]]:
    """“80:89；70:79” (执行率低于 % : 总分最高) → [(0.8, 89), (0.7, 79)]."""
    out = []
    for item in _items(text):
        parts = re.split(r"[:：]", item)
        if len(parts) != 2:
            raise DesignError([f"总分封顶：“{item}”应写成“执行率%:最高分”，如“80:89”"])
        out.append((_number(parts[0], "总分封顶") / 100, _number(parts[1], "总分封顶")))
    return out


def parse_groups(text: str) -> list[tuple[str, list[str], Decimal | None]]:
    """“决策+过程=40；产出+效益=60” → [(决策+过程, [决策, 过程], 40), …]."""
    out = []
    for item in _items(text):
        label, _, weight = item.partition("=")
        members = [m.strip() for m in re.split(r"[+＋、]", label) if m.strip()]
        if len(members) < 2:
            raise DesignError([f"合并分值格：“{item}”应写成“一级指标+一级指标=分值”"])
        out.append((label.strip(), members,
                    _number(weight, "合并分值格") if weight.strip() else None))
    return out


class RulesTab(QWidget):
    """The rule set as a form.  ``report`` is called with (field, problems) after each edit."""

    def __init__(self, draft: TemplateDraft, report: Callable[[str, list[str]], None]) -> None:
        super().__init__()
        self.draft = draft
        self.report = report
        form = QFormLayout(self)
        self.total = self._line(form, "总分值", "total", self._total)
        self.score_decimals = self._spin(form, "指标得分小数位数", "scores")
        self.total_decimals = self._spin(form, "总分小数位数", "totals")
        self.has_execution = QCheckBox("表中有预算执行率行（按执行率计分）")
        form.addRow("", self.has_execution)
        self.execution_weight = self._line(form, "预算执行率分值", "execution", self._execution)
        self.basis = QComboBox()
        for _key, label in BASES:
            self.basis.addItem(label)
        form.addRow("执行率分母", self.basis)
        self.execution_decimals = self._spin(form, "执行率得分小数位数", "execution_decimals")
        self.grades = self._line(form, "评价等次分档", "grades", self._grades)
        self.grade_cap = self._line(form, "执行率低于（%）时等次最高为", "grade_cap",
                                    self._grade_cap)
        self.score_caps = self._line(form, "总分封顶（执行率%:最高分）", "score_caps",
                                     self._score_caps)
        self.groups = self._line(form, "合并分值格", "groups", self._groups)
        self.share = self._line(form, "占比规则（一级指标+一级指标≥分值）", "share", self._share)
        self.over = self._line(form, "超额完成需说明的比例", "over", self._over)
        self.load()
        self.has_execution.toggled.connect(lambda _=False: self._apply("execution",
                                                                       self._execution))
        self.basis.currentIndexChanged.connect(lambda _=0: self._apply("execution",
                                                                       self._execution))

    # --- building -----------------------------------------------------------------------

    def _line(self, form: QFormLayout, label: str, key: str, apply: Callable[[], None]
              ) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(f"rule_{key}")
        form.addRow(label, edit)
        edit.textEdited.connect(lambda _t: self._apply(key, apply))
        return edit

    def _spin(self, form: QFormLayout, label: str, key: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setObjectName(f"rule_{key}")
        spin.setRange(0, 2)
        spin.setSuffix(" 位")
        form.addRow(label, spin)
        spin.valueChanged.connect(lambda _v: self._apply(key, self._rounding))
        return spin

    def set_draft(self, draft: TemplateDraft) -> None:
        self.draft = draft
        self.load()

    def load(self) -> None:
        """Show the draft's rules (after a copy or a reload)."""
        r = self.draft.manifest.rules
        self.total.setText(plain(r.total_weight))
        for spin, value in ((self.score_decimals, r.score_decimals),
                            (self.total_decimals, r.total_decimals),
                            (self.execution_decimals, r.execution.decimals)):
            spin.blockSignals(True)
            spin.setValue(value)
            spin.blockSignals(False)
        self.has_execution.blockSignals(True)
        self.has_execution.setChecked(r.execution.weight is not None)
        self.has_execution.blockSignals(False)
        self.execution_weight.setText(plain(r.execution.weight))
        self.execution_weight.setEnabled(r.execution.weight is not None)
        self.basis.blockSignals(True)
        self.basis.setCurrentIndex([k for k, _ in BASES].index(r.execution.basis))
        self.basis.blockSignals(False)
        self.grades.setText("；".join(f"{g.name} {plain(g.min)}" for g in r.grades))
        self._load_caps()
        self.groups.setText("；".join(
            f"{g.label}={plain(g.weight)}" if g.weight is not None else g.label
            for g in self.draft.manifest.weight_groups))
        share = r.min_share
        self.share.setText(f"{'+'.join(share.members)}≥{plain(share.min)}" if share else "")
        self.over.setText(plain(r.over_achievement_ratio))

    def _load_caps(self) -> None:
        from ..templates.manifest import GradeCap, ScoreCap

        caps = self.draft.manifest.rules.caps
        grade = next((c for c in caps if isinstance(c, GradeCap)), None)
        self.grade_cap.setText(f"{plain(grade.below * 100)} {grade.max_grade}" if grade else "")
        score = next((c for c in caps if isinstance(c, ScoreCap)), None)
        self.score_caps.setText("；".join(f"{plain(b.below * 100)}:{plain(b.max_score)}"
                                         for b in score.bands) if score else "")

    # --- applying -----------------------------------------------------------------------

    def _apply(self, key: str, apply: Callable[[], None]) -> None:
        try:
            apply()
        except DesignError as exc:
            self.report(key, exc.problems)
        else:
            self.report(key, [])

    def _total(self) -> None:
        rules.set_total_weight(self.draft, self.total.text().strip())

    def _rounding(self) -> None:
        rules.set_rounding(self.draft, scores=self.score_decimals.value(),
                           totals=self.total_decimals.value(),
                           execution=self.execution_decimals.value())

    def _execution(self) -> None:
        on = self.has_execution.isChecked()
        self.execution_weight.setEnabled(on)
        weight: Any = self.execution_weight.text().strip() or None
        rules.set_execution(self.draft, weight if on else None,
                            basis=BASES[self.basis.currentIndex()][0])

    def _grades(self) -> None:
        rules.set_grades(self.draft, parse_grades(self.grades.text()))
        self._grade_cap()

    def _caps(self) -> None:
        grade: list[tuple[Decimal, str, str]] = []
        parts = self.grade_cap.text().split()
        if parts:
            if len(parts) != 2:
                raise DesignError(["等次封顶：应写成“执行率% 等次”，如“90 良”"])
            below = _number(parts[0], "等次封顶") / 100
            grade.append((below, parts[1], f"因预算执行率低于{plain(below * 100)}%"))
        rules.set_caps(self.draft, grade=grade, score=parse_score_caps(self.score_caps.text()))

    _grade_cap = _caps
    _score_caps = _caps

    def _groups(self) -> None:
        rules.set_weight_groups(self.draft, parse_groups(self.groups.text()))

    def _share(self) -> None:
        text = self.share.text().strip()
        if not text:
            rules.set_min_share(self.draft, None)
            return
        found = re.match(r"^(.*?)(?:≥|>=)\s*(\S+)$", text)
        label, minimum = (found.group(1), found.group(2)) if found else (text, "60")
        members = [m.strip() for m in re.split(r"[+＋、]", label) if m.strip()]
        rules.set_min_share(self.draft, members, _number(minimum, "占比规则"), label.strip())

    def _over(self) -> None:
        text = self.over.text().strip()
        rules.set_over_achievement(self.draft, _number(text, "超额完成比例") if text else None)
