"""The 工具 menu's windows (汇总, 表样设计, 导入/导出表样), opened from the main window."""

from __future__ import annotations

from typing import Any


def open_tool(window: Any, name: str) -> Any:
    """Show the tool window ``name`` beside the main window (one of each, kept alive), or
    run 导出表样 / 导入表样."""
    if name in ("export_template", "import_template"):
        from . import template_share

        ask = getattr(window, "share_dialogs", None) or template_share.ShareDialogs(window)
        return getattr(template_share, name)(ask)
    tools: dict[str, Any] = window.__dict__.setdefault("_tool_windows", {})
    tool = tools.get(name)
    if tool is None:
        if name == "rollup":
            from .rollup_window import RollupWindow

            tool = RollupWindow(open_report=window.open_path)
        elif name == "designer":
            from .designer_window import DesignerWindow

            tool = DesignerWindow()
        else:
            raise ValueError(name)
        tools[name] = tool
    tool.show()
    tool.raise_()
    tool.activateWindow()
    return tool
