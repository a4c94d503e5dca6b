"""The totals: 总分值, 总分, 等次 and what explains them, the problems and the people."""

from __future__ import annotations

from .table import ALL, FORMS, REPORT_NARRATIVE, Name

NAMES: tuple[Name, ...] = (
    Name("总分", "总分，按评分表（如 94、88.57）", ALL),
    Name("等次", "评价等次，已按执行率等规则封顶（优 / 良 / 中 / 差）", ALL),
    Name("满分", "总分值（如 100）", REPORT_NARRATIVE),
    Name("总分值", "各项分值合计", FORMS),
    Name("一级分值合计", "一级指标分值格（行.分值组.分值）合计", FORMS),
    Name("二级分值合计", "有下级的二级指标分值合计", FORMS),
    Name("总得分率", "总分 ÷ 总分值", FORMS),
    Name("等次勾选", "各等次打勾：优 ☑　　良 □　　中 □　　差 □", FORMS),
    Name("等次说明", "各等次的分数段：100-90（含）分为优、90-80（含）分为良……", FORMS),
    Name("计分说明", "总分/等次封顶说明等（循环）：说明.标题、说明.内容", FORMS),
    Name("问题清单", "存在的问题（循环）：项.问题、项.原因、项.整改措施、项.责任单位、项.完成时限",
         FORMS),
    Name("问题和建议", "问题和建议：填写的内容，未填时为各条问题及整改建议", FORMS),
    Name("评价人员", "评价人员（循环）：人.姓名、人.职务（职务/职称）、人.单位", FORMS),
)
