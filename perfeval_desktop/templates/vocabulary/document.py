"""The document's own parts: the form's key and title, the 正文's sections and 附件."""

from __future__ import annotations

from .table import FORMS, REPORT, Name

NAMES: tuple[Name, ...] = (
    Name("附件标识", "附件编号，如 附件1（每个一级指标一张的表：表2…）", FORMS),
    Name("表名", "表格名称（每个一级指标一张的表：如 决策指标评分表）", FORMS),
    Name("正文", "各章节（循环）：章节.标题、章节.编号、章节.名称、章节.级别、章节.段落"
                 "（循环：段落.文字、段落.级别、段落.引题、段落.引题级别）", REPORT),
    Name("摘要", "摘要的段落（循环，同 章节.段落）", REPORT),
    Name("附件列表", "附件（循环）：附件.标识、附件.序号、附件.名称", REPORT),
)
