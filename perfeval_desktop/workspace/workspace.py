"""The open report: applies edits, keeps the undo history, recomputes, says what changed.

Why the history lives here and not in a ``QUndoStack``: the core stays testable without
Qt (undo/redo, dirty tracking and merging of keystrokes are tested in plain pytest), the
monkey test and the benchmark run headless, and autosave/recovery (``revision``) can be
driven from the same place.  The UI wraps it in a thin Qt adapter (``ui/bridge.py``)
that turns listener calls into signals and exposes 撤销/重做 as QActions.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count
from pathlib import Path

from ..errors import InputError, SaveError
from ..model.report import IndicatorNode, Report, new_id
from ..scoring.engine import NodeScore, Reuse, ScoreSheet, compute
from ..scoring.findings import Finding
from ..scoring.validator import validate
from ..storage import pfe
from ..templates.factory import new_report
from ..templates.loader import Template, discover, template_for_reading
from ..templates.manifest import Manifest
from .changes import Change, Effect, Listener, StructureEdit, combine
from .operations import (
    Batch,
    InsertNode,
    MoveNode,
    Operation,
    RemoveNode,
    SetExplanation,
    SetField,
    SetMethod,
    SetNodeField,
    method_of_kind,
)
from .paths import Location, locate, subtree_height

MAX_LEVELS = 3
#: said under the reason a report opens read-only (its template is broken or missing)
READ_ONLY_NOTE = (
    "此报告以只读方式打开：可以查看、选中文字复制，或用 另存为 保存一份内容完整的副本；"
    "不能修改或导出，原文件不会被改动。"
)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return True  # cannot tell: never risk the original

_serials = count(1)


@dataclass
class _Done:
    op: Operation
    serial: int
    sealed: bool = False


def _summary_of(sheet: ScoreSheet) -> tuple[object, ...]:
    return (
        sheet.levels,
        sheet.total,
        sheet.grade,
        sheet.raw_total,
        sheet.total_weight,
        sheet.grade_cap_reason,
        sheet.score_cap_reason,
        sheet.execution_score,
        sheet.notes,
        sheet.funding,
    )


def _score_key(ns: NodeScore) -> tuple[object, ...]:
    return (ns.weight, ns.applicable_weight, ns.score, ns.scored, ns.leaf)


def _reuse(sheet: ScoreSheet, effect: Effect) -> Reuse | None:
    """An edit of some indicators' own fields: the other leaves keep their scores.  Rows
    added, removed or moved, or anything written outside the tree (funding), score all."""
    if effect.all_edits() or any(p.startswith("indicators") for p in effect.paths):
        return None
    return Reuse(sheet, effect.nodes)


class Workspace:
    """One open report with its template.  Edit only through :meth:`execute`."""

    def __init__(self, report: Report, template: Template, path: Path | None = None) -> None:
        self.report = report
        self.template = template
        self.path = path
        self._undo: list[_Done] = []
        self._redo: list[_Done] = []
        self._saved_serial = 0  # a new, untouched report has nothing to lose
        self._listeners: list[Listener] = []
        self.revision = 0  # bumps on every change (autosave compares it)
        self.load_notes: list[str] = []  # repairs made while reading the file (pfe.read)
        #: why the report may only be looked at (its template is broken), or None
        self.read_only: str | None = None
        #: When True, an edit recomputes the scores at once but leaves the validator for
        #: :meth:`flush_validation` (the UI calls it shortly after the last keystroke);
        #: reading :attr:`findings` meanwhile still validates, so nothing stale is read.
        self.defer_validation = False
        self.sheet: ScoreSheet = compute(report, self.manifest.rules)
        self._findings: list[Finding] = self._validate()
        self._stale = False  # findings not yet recomputed after an edit
        self._pending = False  # findings not yet announced to the listeners after an edit
        self._announced: list[Finding] = self._findings

    # --- opening and saving --------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> Workspace:
        """Load a .pfe file and its template (ProjectFileError / TemplateError).

        What loading repaired is in :attr:`load_notes` and leaves the report unsaved."""
        loaded = pfe.read(path)
        ws = cls._for_reading(loaded.report, path)
        ws.load_notes = loaded.notes
        if ws.read_only is None and loaded.notes:
            ws.mark_unsaved()
        return ws

    @classmethod
    def _for_reading(cls, report: Report, path: Path | None) -> Workspace:
        """The report with the template it is shown with; read-only, saying why, when that
        template is broken or not installed (issue #13 §5: shown, never changed)."""
        template, why = template_for_reading(report.meta.template_id, list(report.sections))
        ws = cls(report, template, path)
        if why is not None:
            ws.read_only = f"{why}\n{READ_ONLY_NOTE}"
        return ws

    @classmethod
    def new(cls, template: Template) -> Workspace:
        return cls(new_report(template.manifest), template)

    @classmethod
    def start(cls, path: Path | None) -> Workspace:
        """What the program opens on start: the report ``path``, or without one a new report
        of the first template (ProjectFileError / TemplateError)."""
        if path is not None:
            return cls.open(path)
        templates = discover()
        return cls.new(templates[sorted(templates)[0]])

    @classmethod
    def recovered(cls, report: Report, path: Path | None) -> Workspace:
        """A report restored from a recovery file: it belongs to ``path`` (the file it was
        saved to before, left untouched) and is unsaved until the clerk saves it.  When its
        template has since become broken or been removed, it opens read-only as :meth:`open`
        does, content kept: 另存为 writes it to another file (the recovery file stays until
        then, as the report is unsaved)."""
        ws = cls._for_reading(report, path)
        ws.mark_unsaved()
        return ws

    def save(self, path: Path | None = None) -> None:
        """Save atomically (SaveError keeps everything in memory and the state dirty)."""
        target = path or self.path
        if target is None:
            raise ValueError("no path to save to")
        if self.read_only is not None:
            self._save_copy(target)
            return
        pfe.save(self.report, target)
        self.path = target
        self.mark_saved()
        if self.report.cleaned_on_load:  # the file holds no control character now (C005)
            self.report.cleaned_on_load.clear()
            self._stale = self._pending = True
            self.flush_validation()

    def _save_copy(self, target: Path) -> None:
        """另存为 of a read-only report: the whole report, as read, into another file (its
        own file is never written); the window then shows the copy, still read-only."""
        if self.path is not None and _same_file(target, self.path):
            raise SaveError(
                "此报告为只读，不能保存到原文件。请用 另存为 换一个文件名，保存一份完整的副本。"
                f"{self.read_only.splitlines()[0] if self.read_only else ''}"
            )
        pfe.save(self.report, target)
        self.path = target
        self.mark_saved()  # (a restored recovery copy: its content is in a file now)

    def mark_saved(self) -> None:
        was = self.dirty
        self._saved_serial = self._top_serial()
        if self._undo:
            self._undo[-1].sealed = True
        if was:
            self._notify(Change(dirty_changed=True))

    def mark_unsaved(self) -> None:
        """The report differs from its file (restored from a recovery file): dirty until
        saved, whatever is undone."""
        was = self.dirty
        self._saved_serial = -1
        if not was:
            self._notify(Change(dirty_changed=True))

    @property
    def manifest(self) -> Manifest:
        return self.template.manifest

    @property
    def dirty(self) -> bool:
        """True when the report differs from the saved file (or was never saved)."""
        return self._saved_serial != self._top_serial()

    @property
    def display_name(self) -> str:
        return self.path.name if self.path is not None else "未命名.pfe"

    def _top_serial(self) -> int:
        return self._undo[-1].serial if self._undo else 0

    # --- the validator's findings ----------------------------------------------------------

    def _validate(self) -> list[Finding]:
        return validate(self.report, self.manifest, self.sheet, stand_in=self.template.stand_in)

    @property
    def findings(self) -> list[Finding]:
        """The validator's findings on the report as it is now."""
        if self._stale:
            self._findings = self._validate()
            self._stale = False
        return self._findings

    @property
    def validation_pending(self) -> bool:
        """True while an edit's findings have not been announced (deferred validation)."""
        return self._pending

    def flush_validation(self) -> Change | None:
        """Validate now if an edit left it for later; listeners get ``Change(findings=True)``
        when the findings differ from the ones announced last."""
        if not self._pending:
            return None
        self._pending = False
        findings = self.findings
        if findings == self._announced:
            self._announced = findings
            return None
        self._announced = findings
        change = Change(findings=True)
        self._notify(change)
        return change

    # --- listeners -----------------------------------------------------------------------

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _notify(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener.changed(change)

    # --- editing -------------------------------------------------------------------------

    def execute(self, op: Operation, *, merge: bool = False) -> Change:
        """Apply ``op``, record it for undo, recompute; with ``merge`` it joins the previous
        edit of the same field (typing), unless that one was sealed by :meth:`seal`."""
        if self.read_only is not None:
            raise InputError(f"此报告为只读，不能修改。{self.read_only.splitlines()[0]}")
        was_dirty = self.dirty
        effect = self._run(op, undo=False)
        top = self._undo[-1] if self._undo else None
        merged = None
        if merge and top is not None and not top.sealed and top.serial != self._saved_serial:
            merged = top.op.merge(op)
        if merged is not None and top is not None:
            if merged.is_noop():  # typed back to where it was: no undo step, state as before
                self._undo.pop()
            else:
                top.op = merged
                top.serial = next(_serials)
        else:
            self._undo.append(_Done(op, next(_serials), sealed=not merge))
        self._redo.clear()
        return self._recompute(effect, was_dirty)

    def seal(self) -> None:
        """Typing in the current field is over: the next keystroke starts a new undo step."""
        if self._undo:
            self._undo[-1].sealed = True

    def undo(self) -> Change | None:
        if not self._undo:
            return None
        was_dirty = self.dirty
        done = self._undo.pop()
        done.sealed = True
        effect = self._run(done.op, undo=True)
        self._redo.append(done)
        return self._recompute(effect, was_dirty)

    def redo(self) -> Change | None:
        if not self._redo:
            return None
        was_dirty = self.dirty
        done = self._redo.pop()
        effect = self._run(done.op, undo=False)
        self._undo.append(done)
        return self._recompute(effect, was_dirty)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def undo_label(self) -> str:
        return self._undo[-1].op.label if self._undo else ""

    @property
    def redo_label(self) -> str:
        return self._redo[-1].op.label if self._redo else ""

    def _run(self, op: Operation, *, undo: bool) -> Effect:
        if isinstance(op, Batch):
            return self._run_batch(op, undo=undo)
        edit = op.plan(self.report, undo=undo)
        if edit is not None:
            for listener in list(self._listeners):
                listener.structure_about_to_change(edit)
        try:
            effect = op.revert(self.report) if undo else op.apply(self.report)
        finally:
            if edit is not None:
                for listener in list(self._listeners):
                    listener.structure_changed(edit)
        return effect

    def _run_batch(self, batch: Batch, *, undo: bool) -> Effect:
        """The parts in order (backwards on undo); when one fails, those done are undone."""
        parts = list(reversed(batch.ops)) if undo else batch.ops
        effects: list[Effect] = []
        try:
            for part in parts:
                effects.append(self._run(part, undo=undo))
        except Exception:
            for part in reversed(parts[: len(effects)]):
                self._run(part, undo=not undo)
            raise
        return combine(effects)

    def _recompute(self, effect: Effect, was_dirty: bool) -> Change:
        old_sheet = self.sheet
        self.sheet = compute(self.report, self.manifest.rules, _reuse(old_sheet, effect))
        if self.defer_validation:
            self._stale = self._pending = True
            findings_changed = False
        else:
            self._findings = self._validate()
            self._stale = self._pending = False
            findings_changed = self._announced != self._findings
            self._announced = self._findings
        self.revision += 1
        scores = frozenset(
            node_id
            for node_id, ns in self.sheet.nodes.items()
            if (old := old_sheet.nodes.get(node_id)) is not ns
            and (old is None or _score_key(old) != _score_key(ns))
        )
        change = Change(
            paths=effect.paths,
            nodes=effect.nodes,
            edits=effect.all_edits(),
            explanations=effect.explanations,
            scores=scores,
            summary=_summary_of(old_sheet) != _summary_of(self.sheet),
            findings=findings_changed,
            dirty_changed=was_dirty != self.dirty,
        )
        self._notify(change)
        return change

    # --- convenience: the edits the UI makes -----------------------------------------------

    def set_field(self, path: str, value: object, *, merge: bool = False) -> Change:
        return self.execute(SetField(path, value), merge=merge)

    def set_node_field(
        self, node_id: str, attr: str, value: object, *, merge: bool = False
    ) -> Change:
        return self.execute(SetNodeField(node_id, attr, value), merge=merge)

    def set_method(self, node_id: str, kind: str) -> Change:
        node = self.node(node_id)
        return self.execute(SetMethod(node_id, method_of_kind(kind, node.method)))

    def set_explanation(self, key: str, text: str, *, merge: bool = False) -> Change:
        return self.execute(SetExplanation(key, text), merge=merge)

    def node(self, node_id: str) -> IndicatorNode:
        return locate(self.report, node_id).node

    def locate(self, node_id: str) -> Location:
        return locate(self.report, node_id)

    # --- the structural edits: planned as operations (the UI runs them through its bridge's
    # ``execute``), or planned and run at once ---------------------------------------------

    def sibling_op(self, node_id: str | None, name: str = "新指标") -> InsertNode:
        """A new indicator after ``node_id`` (None: a new first-level one at the end)."""
        node = IndicatorNode(id=new_id(), name=name)
        if node_id is None:
            return InsertNode(None, len(self.report.indicators), node)
        loc = self.locate(node_id)
        parent = loc.parent.id if loc.parent else None
        return InsertNode(parent, loc.row + 1, node)

    def child_op(self, node_id: str, name: str = "新指标") -> InsertNode | None:
        loc = self.locate(node_id)
        if loc.level >= MAX_LEVELS:
            return None
        node = IndicatorNode(id=new_id(), name=name)
        return InsertNode(node_id, len(loc.node.children), node)

    def move_op(self, node_id: str, how: str) -> MoveNode | None:
        """``how``: up, down, indent (last child of the one above), outdent (after its
        parent); None when the indicator cannot move so."""
        loc = self.locate(node_id)
        parent = loc.parent.id if loc.parent else None
        if how == "up":
            return MoveNode(node_id, parent, loc.row - 1, "上移指标") if loc.row > 0 else None
        if how == "down":
            if loc.row >= len(loc.siblings) - 1:
                return None
            return MoveNode(node_id, parent, loc.row + 2, "下移指标")
        if how == "indent":
            if loc.row == 0 or loc.level + subtree_height(loc.node) > MAX_LEVELS:
                return None
            above = loc.siblings[loc.row - 1]
            return MoveNode(node_id, above.id, len(above.children), "降级指标")
        if loc.parent is None:
            return None
        ploc = self.locate(loc.parent.id)
        grand = ploc.parent.id if ploc.parent else None
        return MoveNode(node_id, grand, ploc.row + 1, "升级指标")

    def _run_planned(self, op: Operation | None) -> Change | None:
        return None if op is None else self.execute(op)

    def add_sibling(self, node_id: str | None, name: str = "新指标") -> Change:
        return self.execute(self.sibling_op(node_id, name))

    def add_child(self, node_id: str, name: str = "新指标") -> Change | None:
        return self._run_planned(self.child_op(node_id, name))

    def remove_node(self, node_id: str) -> Change:
        return self.execute(RemoveNode(node_id))

    def move_up(self, node_id: str) -> Change | None:
        return self._run_planned(self.move_op(node_id, "up"))

    def move_down(self, node_id: str) -> Change | None:
        return self._run_planned(self.move_op(node_id, "down"))

    def indent(self, node_id: str) -> Change | None:
        """Make the indicator the last child of the one above it (one level deeper)."""
        return self._run_planned(self.move_op(node_id, "indent"))

    def outdent(self, node_id: str) -> Change | None:
        """Move the indicator up one level, right after its parent."""
        return self._run_planned(self.move_op(node_id, "outdent"))

    def can_move(self, node_id: str) -> dict[str, bool]:
        """Which structural edits are possible on a node (for enabling buttons)."""
        loc = self.locate(node_id)
        return {
            "up": loc.row > 0,
            "down": loc.row < len(loc.siblings) - 1,
            "indent": loc.row > 0 and loc.level + subtree_height(loc.node) <= MAX_LEVELS,
            "outdent": loc.parent is not None,
            "child": loc.level < MAX_LEVELS,
        }


__all__ = ["MAX_LEVELS", "StructureEdit", "Workspace"]
