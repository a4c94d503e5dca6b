"""The selected leaf: its scoring method and the method's inputs, the arithmetic shown."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ..errors import InputError
from ..model.numbers import parse_figure, parse_number
from ..model.report import (
    METHOD_LABELS,
    RATE_SOURCES,
    Band,
    CompareMethod,
    IndicatorNode,
    Nature,
    RateMethod,
)
from ..scoring.methods import compare_inputs, rate_amounts
from ..scoring.rounding import percent, plain
from ..workspace import Change, SetMethod, method_of_kind
from .bridge import WorkspaceBridge
from .fields import LongTextEdit, NodeField, NumberEdit
from .last_year import actual_hint

COMPARE_NOTE = (
    "计分取表格中“年度指标值”“实际完成值”里的数字和 ≥/≤ 符号（如 ≥3000人次、3583人次），"
    "不必再填；两者单位须相同。下面的数值只在表格内容不是数字时填写，可带单位（如 85%、"
    "3000人次），填写后优先于表格。"
)


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color:#5f6368;")
    return label


class _Choice(QComboBox):
    """A combo box bound to an enum field of a node (性质 ≥/=/≤, 定性档次)."""

    def __init__(
        self, bridge: WorkspaceBridge, node_id: str, attr: str, items: list[tuple[str, object]]
    ) -> None:
        super().__init__()
        self.access = NodeField(bridge, node_id, attr, attr)
        self._values = [v for _t, v in items]
        for text, _v in items:
            self.addItem(text)
        self._refresh()
        self.activated.connect(self._picked)
        bridge.changed.connect(self._on_change)

    def _picked(self, i: int) -> None:
        value = self._values[i]
        if value != self.access.get():
            self.access.set(value, False)

    def _refresh(self) -> None:
        value = self.access.get()
        i = self._values.index(value) if value in self._values else -1
        if self.currentIndex() != i:
            self.setCurrentIndex(i)

    def _on_change(self, change: Change) -> None:
        if self.access.touched(change):
            self._refresh()


class FigureEdit(NumberEdit):
    """年度指标值 / 实际完成值 as numbers: typed as in the grid's cells (85%, 3000人次, ≥90%),
    the number kept (its sign and unit are the grid's)."""

    def _parse(self) -> tuple[bool, Decimal | None]:
        figure = parse_figure(self.text())
        if figure is None:
            return super()._parse()
        try:
            return True, parse_number(str(figure.number), self.access.label, "number")
        except InputError as exc:
            self._set_invalid(True)
            self._message(exc.message)
            return False, None


def score_sources(node: IndicatorNode) -> str:
    """Which cells feed the row's score, with what they read as."""
    method = node.method
    if isinstance(method, CompareMethod):
        nature, target, actual = compare_inputs(node, method)
        t_from = "面板" if method.target is not None else f"表格“年度指标值”{node.target_text}"
        a_from = "面板" if method.actual is not None else f"表格“实际完成值”{node.actual_text}"
        t_value = f"{nature.value} {plain(target)}" if target is not None else "（不是数字）"
        a_value = plain(actual) if actual is not None else "（不是数字或单位不同）"
        return f"得分取自：{t_from} → {t_value}；{a_from} → {a_value}"
    if isinstance(method, RateMethod) and method.source:
        return f"得分取自：“项目资金”表的{RATE_SOURCES[method.source]} ÷ 预算数和目标比率"
    if method.kind == "rate":
        return "得分取自：下面的分子、分母金额和目标比率（金额来源可选“项目资金”表）"
    if method.kind == "budget_execution":
        return "得分取自：“项目资金”表的全年执行数 ÷ 全年预算数"
    if method.kind == "not_applicable":
        return "不计分"
    return "得分取自：表格中本行的“得分”格（手工填写）"


def _shape(node: IndicatorNode) -> tuple[str, bool, str | None]:
    """What decides the panel's rows: the method, leaf or group, a rate's source."""
    return node.method.kind, node.is_leaf, getattr(node.method, "source", None)


# short enough for the narrow panel at 125 %: the note below names 项目资金 and the amounts
RATE_SOURCE_CHOICES: list[tuple[str, object]] = [
    ("手工填写", None),
    *((f"{what}÷预算数", key) for key, what in RATE_SOURCES.items()),
]


def _narrow_combos(body: QWidget) -> None:
    """Drop-downs as narrow as the panel (a long 档次 is elided, whole in its tooltip and
    list), so that the panel is never wider than its place on a laptop."""
    for combo in body.findChildren(QComboBox):
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(6)
        combo.setToolTip(combo.currentText())
        combo.currentTextChanged.connect(combo.setToolTip)


class LeafPanel(QGroupBox):
    """Rebuilt for each selected node; empty for branches."""

    def __init__(self, bridge: WorkspaceBridge, parent: QWidget | None = None) -> None:
        super().__init__("计分方法与输入", parent)
        self.bridge = bridge
        self.node_id: str | None = None
        self._layout = QVBoxLayout(self)
        self._body: QWidget | None = None
        self.sources = QLabel()
        self.sources.setObjectName("scoreSources")
        self.sources.setWordWrap(True)
        self._layout.addWidget(self.sources)
        self.arithmetic = QLabel()
        self.arithmetic.setObjectName("arithmetic")
        self.arithmetic.setWordWrap(True)
        self.arithmetic.setStyleSheet("color: #1a5fb4;")
        self._layout.addWidget(self.arithmetic)
        self._layout.addStretch(1)
        self.show_node(None)
        bridge.changed.connect(self._changed)

    def _changed(self, change: Change) -> None:
        if self.node_id is None:
            return
        try:
            self.bridge.ws.node(self.node_id)
        except KeyError:
            self.show_node(None)
            return
        kind_changed = self.node_id in change.nodes and self._shape != _shape(
            self.bridge.ws.node(self.node_id)
        )
        if kind_changed or change.reload:
            self.show_node(self.node_id)
            return
        if self.node_id in change.nodes and self._title is not None:
            self._title.setText(f"<b>{self.bridge.ws.node(self.node_id).name}</b>")
        if self.node_id in change.scores or self.node_id in change.nodes or change.summary:
            self._update_arithmetic()

    def show_node(self, node_id: str | None) -> None:
        if self._body is not None:
            self._body.hide()
            self._body.deleteLater()
            self._body = None
        self.node_id = node_id
        self._body = QWidget()
        form = QFormLayout(self._body)
        form.setContentsMargins(0, 0, 0, 0)
        self._layout.insertWidget(0, self._body)
        self._shape: tuple[str, bool, str | None] = ("", False, None)
        self._title: QLabel | None = None
        self._totals: QLabel | None = None
        self._linked: QLabel | None = None
        if node_id is None:
            form.addRow(QLabel("请在左侧选择一个三级指标。"))
            self.arithmetic.clear()
            self.sources.clear()
            return
        ws = self.bridge.ws
        node = ws.node(node_id)
        self._shape = _shape(node)
        title = self._title = QLabel(f"<b>{node.name}</b>")
        title.setWordWrap(True)
        form.addRow("指标", title)
        hint = actual_hint(ws.report, node)
        if hint is not None:
            form.addRow("上年实际完成值", hint)
        if not node.is_leaf:
            self._group_rows(form, node)
            return
        combo = QComboBox()
        combo.setObjectName("methodCombo")
        kinds = list(METHOD_LABELS)
        for kind in kinds:
            combo.addItem(METHOD_LABELS[kind], kind)
        combo.setCurrentIndex(kinds.index(node.method.kind))

        def picked(i: int) -> None:
            kind = kinds[i]
            current = ws.node(node_id)
            if kind != current.method.kind:
                self.bridge.execute(SetMethod(node_id, method_of_kind(kind, current.method)))

        combo.activated.connect(picked)
        form.addRow("计分方法", combo)
        b = self.bridge

        def number(attr: str, label: str, kind: str = "number") -> NumberEdit:
            edit = NumberEdit(NodeField(b, node_id, attr, f"{node.name}的{label}"), kind)  # type: ignore[arg-type]
            edit.setObjectName(attr.replace(".", "_"))
            return edit

        form.addRow("分值", number("weight", "分值", "score"))
        kind = node.method.kind
        if kind == "manual":
            form.addRow("得分", number("method.score", "得分", "score"))
        elif kind == "qualitative":
            form.addRow(
                "评价档次",
                _Choice(b, node_id, "method.band", [(band.value, band) for band in Band]),
            )
            form.addRow("得分", number("method.score", "得分", "score"))
        elif kind == "compare":
            form.addRow(
                "指标性质",
                _Choice(
                    b,
                    node_id,
                    "method.nature",
                    [
                        ("≥ 正向（越高越好）", Nature.HIGHER),
                        ("= 等于目标", Nature.EQUAL),
                        ("≤ 反向（越低越好）", Nature.LOWER),
                    ],
                ),
            )
            form.addRow(_note(COMPARE_NOTE))
            for attr, label in (("target", "年度指标值"), ("actual", "实际完成值")):
                access = NodeField(b, node_id, f"method.{attr}", f"{node.name}的{label}")
                edit = FigureEdit(access)  # type: ignore[arg-type]
                edit.setObjectName(f"method_{attr}")
                form.addRow(f"{label}（数值）", edit)
        elif kind == "rate":
            self._rate_rows(form, node, number)
        elif kind == "budget_execution":
            rate = ws.sheet.execution_rate
            form.addRow(QLabel(f"按“项目资金”表计算：预算执行率 {percent(rate) or '（未填金额）'}"))
        if kind == "not_applicable":
            reason = LongTextEdit(NodeField(b, node_id, "unscored_reason", "不计分原因"))
            reason.setObjectName("unscoredReason")
            reason.setMaximumHeight(70)
            form.addRow("不计分原因", reason)
        else:
            deviation = LongTextEdit(NodeField(b, node_id, "deviation_reason", "偏差原因"))
            deviation.setObjectName("deviationReason")
            deviation.setMaximumHeight(70)
            form.addRow("偏差原因", deviation)
        form.addRow("扣分", number("deduction", "扣分", "score"))
        _narrow_combos(self._body)
        self._update_arithmetic()

    def _group_rows(self, form: QFormLayout, node: IndicatorNode) -> None:
        """A 一级 / 二级 cell: its totals, and the 分值 the form gives it (checked against
        the sum of its indicators)."""
        self._totals = QLabel()
        self._totals.setObjectName("groupTotals")
        form.addRow("下级合计", self._totals)
        edit = NumberEdit(NodeField(self.bridge, node.id, "weight", f"{node.name}的分值"), "score")
        edit.setObjectName("weight")
        form.addRow("填写的分值", edit)
        form.addRow(_note("一级、二级指标的分值和得分由下级指标合计；填写的分值用于核对合计。"))
        self._update_arithmetic()

    def _rate_rows(
        self, form: QFormLayout, node: IndicatorNode, number: Callable[..., NumberEdit]
    ) -> None:
        """The two amounts: typed, or linked to 项目资金 by choice (not copied: they follow
        it), and the target rate."""
        source = getattr(node.method, "source", None)
        choice = _Choice(self.bridge, node.id, "method.source", RATE_SOURCE_CHOICES)
        choice.setObjectName("rateSource")
        form.addRow("金额来源", choice)
        if source is None:
            form.addRow("分子金额（万元）", number("method.numerator", "分子金额", "amount"))
            form.addRow("分母金额（万元）", number("method.denominator", "分母金额", "amount"))
        else:
            self._linked = _note("")
            self._linked.setObjectName("linkedAmounts")
            form.addRow(self._linked)
        form.addRow("目标比率", number("method.target_rate", "目标比率", "rate"))

    def _update_linked(self, node: IndicatorNode) -> None:
        """The amounts a linked rate reads from 项目资金 as they are now."""
        method = node.method
        if self._linked is None or not isinstance(method, RateMethod) or not method.source:
            return
        numerator, denominator = rate_amounts(method, self.bridge.ws.sheet.funding)
        what = RATE_SOURCES[method.source]
        self._linked.setText(
            f"取自“项目资金”表：{what} {plain(numerator) or '（未填）'} 万元 ÷ 预算数 "
            f"{plain(denominator) or '（未填）'} 万元；项目资金改动后随之重算。"
        )

    def _update_arithmetic(self) -> None:
        if self.node_id is None:
            return
        ns = self.bridge.ws.sheet.nodes.get(self.node_id)
        if ns is not None and ns.leaf is None and self._totals is not None:
            self._totals.setText(f"分值 {plain(ns.weight) or '—'}，得分 {plain(ns.score) or '—'}")
        if ns is None or ns.leaf is None:
            self.arithmetic.clear()
            self.sources.clear()
            return
        node = self.bridge.ws.node(self.node_id)
        self.sources.setText(score_sources(node))
        self._update_linked(node)
        text = ns.leaf.arithmetic or ""
        if ns.leaf.missing:
            text = f"尚未评分：缺少{ns.leaf.missing}"
        self.arithmetic.setText(text)
