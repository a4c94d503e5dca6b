"""The in-app help of the placeholders: the vocabulary's help text as a tooltip
(:mod:`perfeval_desktop.templates.vocabulary`), so the window says what the README says."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QLabel

from ..templates.vocabulary import Use, help_text


def placeholder_tooltip(use: Use, first: str = "") -> str:
    """``help_text(use)`` (after a ``first`` line) as rich text, so Qt wraps its long lines
    at a readable width."""
    text = f"{first}\n\n{help_text(use)}" if first else help_text(use)
    lines = [html.escape(line) for line in text.splitlines()]
    return "<qt>" + "<br>".join(lines) + "</qt>"


def placeholder_hint(section_id: str) -> QLabel:
    """A line under a section's guidance naming a few placeholders; hovering lists them all
    with what each prints."""
    hint = QLabel("可插入 {{ 总分 }}、{{ 等次 }}、{{ 执行率 }} 等占位符，导出时填入表中的数值"
                  "（鼠标停在此处查看全部）")
    hint.setObjectName(f"placeholders.{section_id}")
    hint.setWordWrap(True)
    hint.setFixedWidth(300)
    hint.setStyleSheet("color:#5f6368; font-size:9pt; padding:2px 8px;")
    hint.setToolTip(placeholder_tooltip(Use.NARRATIVE))
    return hint
