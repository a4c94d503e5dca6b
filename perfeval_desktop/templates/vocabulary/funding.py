"""The funding table: its total row, the 其中 rows, the detail lines, the sources, the plan."""

from __future__ import annotations

from .table import FORMS, REPORT_NARRATIVE, Name

AMOUNT_NAMES = {"initial_budget": "年初预算数", "annual_budget": "全年预算数",
                "received": "实际到位数", "executed": "全年执行数"}

NAMES: tuple[Name, ...] = (
    Name("执行率", "预算执行率，与表中一致（如 60.7%）", REPORT_NARRATIVE),
    Name("年初预算数", "年初预算数（万元，合计，小数位按录入，如 1155.5）", REPORT_NARRATIVE),
    Name("全年预算数", "全年预算数（万元）", REPORT_NARRATIVE),
    Name("实际到位数", "实际到位数（万元）", REPORT_NARRATIVE),
    Name("全年执行数", "全年执行数（万元）", REPORT_NARRATIVE),
    Name("资金", "年度资金总额（合计）：资金.年初预算数、资金.全年预算数、资金.实际到位数、"
                 "资金.全年执行数、资金.分值、资金.执行率、资金.得分；资金.指标名称（预算执行率这一项"
                 "的名称，资金.分值 为空时没有这一项）", FORMS),
    Name("资金类别", "资金来源各行（循环）：类.名称、类.年初预算数、类.全年预算数、类.实际到位数、"
                     "类.全年执行数、类.执行率", FORMS),
    Name("资金明细", "项目支出明细内容各行（循环；没有明细时为一个空行）：项.名称 及金额、执行率，"
                     "同 资金类别", FORMS),
    Name("资金来源", "按财政级次的各行：资金来源.中央财政、资金来源.省级财政、资金来源.市级财政、"
                     "资金来源.区县级财政、资金来源.其他，各有金额、执行率，同 资金类别", FORMS),
    Name("资金计划", "资金计划、到位及使用情况：资金计划.计划数（年初预算数，未填时为全年预算数）、"
                     "资金计划.到位数、资金计划.使用数、资金计划.到位率、资金计划.使用率", FORMS),
)
