"""工具 → 导出表样… / 导入表样…: a form handed out as one .pft file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..designer.pft import SUFFIX, export_pft, install_pft, read_pft
from ..errors import PerfevalError
from ..templates.loader import Template, discover


class ShareDialogs:
    """The questions 导出/导入表样 asks (tests replace this object)."""

    def __init__(self, parent: Any) -> None:
        self.parent = parent

    def choose_template(self, templates: list[Template]) -> Template | None:
        from PySide6.QtWidgets import QInputDialog

        names = [f"{t.manifest.name}（{t.id} 第 {t.manifest.version} 版）" for t in templates]
        name, ok = QInputDialog.getItem(self.parent, "导出表样", "选择要导出的表样：", names, 0,
                                        False)
        return templates[names.index(name)] if ok else None

    def folder(self) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(self.parent, "把表样文件存到")
        return Path(folder) if folder else None

    def pft_file(self) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self.parent, "导入表样", "",
                                              f"表样文件 (*{SUFFIX})")
        return Path(path) if path else None

    def confirm(self, title: str, text: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(self.parent, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def inform(self, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(self.parent, title, text)


def export_template(ask: Any) -> Path | None:
    templates = sorted(discover().values(), key=lambda t: t.id)
    template = ask.choose_template(templates)
    if template is None:
        return None
    folder = ask.folder()
    if folder is None:
        return None
    try:
        path: Path = export_pft(template, folder)
    except PerfevalError as exc:
        ask.inform("导出表样", exc.message)
        return None
    ask.inform("导出表样", f"已导出“{template.manifest.name}”第 {template.manifest.version} 版："
               f"\n{path}\n把此文件发给各单位，在“工具 → 导入表样…”中导入。")
    return path


def import_template(ask: Any) -> Template | None:
    source = ask.pft_file()
    if source is None:
        return None
    try:
        contents = read_pft(source)
        if not ask.confirm("导入表样", contents.describe() + "\n\n是否安装此表样？"):
            contents.discard()
            return None
        done = install_pft(contents, lambda q: bool(ask.confirm("替换表样", q)))
    except PerfevalError as exc:
        ask.inform("导入表样", exc.message)
        return None
    if done is None:
        ask.inform("导入表样", "未替换已安装的表样。")
        return None
    added = f"指标库新增 {done.library_added} 条；" if done.library_added else ""
    ask.inform("导入表样", f"已安装“{done.template.manifest.name}”第 "
               f"{done.template.manifest.version} 版；{added}新建报告时即可选用。")
    template: Template = done.template
    return template
