"""The labels a 自评表 uses, as the five families and hand-retyped copies spell them.

Columns and rows are found by these labels, never by position: a form with a column more
or less, or its blocks in another order, is read the same.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[\s\u3000]+")
_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")
_WEIGHT = re.compile(r"[(（]\s*([0-9]+(?:\.[0-9]+)?)\s*分\s*[)）]")


def norm(text: str) -> str:
    """Half-width, no spaces or line breaks, Chinese colons dropped at the end."""
    text = unicodedata.normalize("NFKC", text)
    return _SPACES.sub("", text).rstrip(":：")


def bare(text: str) -> str:
    """``norm`` without bracketed parts: ``全年预算数(A)`` → ``全年预算数``."""
    return _BRACKETED.sub("", norm(text))


def split_weight(text: str) -> tuple[str, str]:
    """``产出指标 (50分)`` → (``产出指标``, ``50``); without a weight (name, "")."""
    found = _WEIGHT.search(unicodedata.normalize("NFKC", text))
    name = _WEIGHT.sub("", unicodedata.normalize("NFKC", text)).strip()
    return _SPACES.sub("", name), found.group(1) if found else ""


# --- the indicator table ------------------------------------------------------------------

INDICATOR_COLUMNS: dict[str, str] = {
    "一级指标": "l1",
    "二级指标": "l2",
    "三级指标": "l3",
    "三级指标名称": "l3",
    "分值": "weight",
    "绩效分值": "weight",
    "指标分值": "weight",
    "标准分值": "weight",
    "权重": "weight",
    "得分": "score",
    "实际得分": "score",
    "自评得分": "score",
    "评价得分": "score",
    "年度指标值": "target",
    "指标值": "target",
    "年度目标值": "target",
    "目标值": "target",
    "预期指标值": "target",
    "全年指标值": "target",
    "实际完成值": "actual",
    "全年实际完成值": "actual",
    "实际值": "actual",
    "度量单位": "unit",
    "计量单位": "unit",
    "指标性质": "nature",
    "偏差原因分析及改进措施": "reason",
    "偏差原因分析": "reason",
    "未完成原因和改进措施": "reason",
    "评分说明": "reason",
    "扣分原因": "reason",
}

COMPUTED_ROWS = ("评价项目", "权重", "分值", "得分率", "等次封顶说明", "总分", "合计")
TABLE_END = ("总分", "合计", "小计", "总计", "评价等次", "得分合计")

# --- the funding block ---------------------------------------------------------------------

AMOUNT_COLUMNS: dict[str, str] = {
    "年初预算数": "initial_budget",
    "计划数": "initial_budget",
    "全年预算数": "annual_budget",
    "调整后预算数": "annual_budget",
    "预算数": "annual_budget",
    "实际到位数": "received",
    "到位数": "received",
    "全年执行数": "executed",
    "执行数": "executed",
    "实际支出数": "executed",
    "支出数": "executed",
    "使用数": "executed",
}
FUNDING_COMPUTED = ("执行率", "分值", "得分", "到位率", "使用率")
FUNDING_TOTAL = ("年度资金总额", "合计", "总计", "资金总额", "金额", "项目资金总额")
FUNDING_DETAIL_COLUMN = "项目支出明细内容"
KIND_ALIASES: dict[str, str] = {
    "当年财政拨款": "当年财政拨款",
    "财政拨款": "当年财政拨款",
    "上级追加": "上级追加",
    "上年结余结转资金": "上年结余结转资金",
    "上年结转资金": "上年结余结转资金",
    "上年结余结转": "上年结余结转资金",
    "其他资金": "其他资金",
}
SOURCE_ALIASES: dict[str, str] = {
    "中央财政": "中央财政",
    "中央资金": "中央财政",
    "省级财政": "省级财政",
    "省级资金": "省级财政",
    "市级财政": "市级财政",
    "市级资金": "市级财政",
    "区级财政": "区(县)级财政",
    "县级财政": "区(县)级财政",
    "区(县)级财政": "区(县)级财政",
    "区县级财政": "区(县)级财政",
    "其他": "其他",
}

# --- header fields and small tables --------------------------------------------------------

HEADER_FIELDS: dict[str, str] = {
    "项目名称": "project.name",
    "主管部门": "project.department",
    "主管部门(一级预算单位)": "project.department",
    "实施单位": "project.implementer",
    "项目实施单位": "project.implementer",
    "项目(用款)单位": "project.implementer",
    "项目负责人": "project.leader",
    "联系电话": "meta.phone",
    "联系人": "meta.contact",
    "填报人": "meta.filler",
    "填报人姓名": "meta.filler",
    "单位负责人": "meta.unit_head",
    "单位负责人签名": "meta.unit_head",
    "填报单位": "meta.unit",
    "填报单位(公章)": "meta.unit",
    "填报单位(盖章)": "meta.unit",
    "问题和建议": "suggestions",
    "填报日期": "meta.fill_date",
}
GOAL_EXPECTED = ("预期目标", "年初设定目标", "年度目标")
GOAL_ACTUAL = ("实际完成情况", "年度总体目标完成情况综述", "全年实际完成情况", "目标完成情况")

PROBLEM_COLUMNS: dict[str, str] = {
    "问题": "problem",
    "存在问题": "problem",
    "原因": "cause",
    "整改措施/建议": "measure",
    "整改措施": "measure",
    "建议": "measure",
    "责任单位": "owner",
    "完成时限": "deadline",
}
EVALUATOR_COLUMNS: dict[str, str] = {"姓名": "name", "职务/职称": "title", "单位": "unit"}

# Texts of the printed form itself (titles, legends, signature lines): read, nothing to place.
FORM_TEXT = re.compile(
    r"^(附件\d*|表\d+.*|.*(自评表|评价表|评分表|评分情况表|完成清单|问题清单|得分情况表|使用情况)"
    r"|[(（]?\d{4}[)）]?年度[)）]?|项目资金(\(万元\))?|绩效指标|年度总体目标|评价人员|签字"
    r"|单位:分|项目类型|.*年月日|注:.*|.*签字.*|.*分为优.*|二、.*|序号|指标|等次封顶说明|[(（]\d{4}年度[)）]"
    r"|资金情况|评价项目)$"
)
