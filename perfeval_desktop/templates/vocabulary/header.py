"""The report's header: the project, the unit, the year, the date (every use)."""

from __future__ import annotations

import re

from ...model.dates import chinese_date, chinese_year_month
from ...model.report import Report
from ..manifest import Manifest
from .table import ALL, FORMS_REPORT, Name

# the year as printed when none is typed: a blank the width of four digits, to write in by
# hand, as the published blank forms print （    年度）
NO_YEAR = "    "

NAMES: tuple[Name, ...] = (
    Name("年度", "评价年度，如 2021；未填时为四个空格（留出手写的位置）", ALL),
    Name("项目名称", "项目名称", ALL),
    Name("主管部门", "主管部门", ALL),
    Name("实施单位", "实施单位（项目(用款)单位）", ALL),
    Name("填报单位", "填报单位（未填时同实施单位）", ALL),
    Name("报告标题", "报告标题（填写的，或按模板由项目名称生成）", ALL),
    Name("项目负责人", "项目负责人", ALL),
    Name("项目类型", "项目类型：经常性、一次性，未选时为空", ALL),
    Name("地区", "地区（区、县名称，如 五华区）：填写的地区，未填时从单位名称中读出，读不出时为空",
         ALL),
    Name("地区级别", "区 或 县（地区以“县”结尾时），如 {{ 地区级别 }}级财政", ALL),
    Name("填报年度", "填报日期的年份（未填时同 年度）", ALL),
    Name("填报日期", "填报日期，如 2022年4月6日；未填时为空", ALL),
    Name("填报年月", "填报日期的年月，如 2023年3月；未填时为空", ALL),
    Name("填报人", "填报人", ALL),
    Name("联系人", "联系人（基本信息中的联系人，可与填报人不同）", ALL),
    Name("联系电话", "联系电话", ALL),
    Name("单位负责人", "单位负责人", ALL),
    Name("预期目标", "年度总体目标：预期目标", FORMS_REPORT),
    Name("实际完成情况", "年度总体目标：实际完成情况", FORMS_REPORT),
)

_REGION = re.compile(
    r"^(?:[^省]{2,8}?(?:省|自治区))?"
    r"(?:[^市州]{2,8}?(?:市|自治州|州|地区|盟))?"
    r"([^省市州区县]{1,6}?(?:区|县|旗))"
)


def region_of(report: Report) -> str | None:
    """The 区/县: the 地区 the clerk typed, else read from the unit's name
    (``昆明市五华区医疗保障局`` → ``五华区``); None when unknown."""
    if report.meta.region.strip():
        return report.meta.region.strip()
    for text in (report.meta.unit, report.project.department, report.project.implementer):
        m = _REGION.match(text.strip())
        if m:
            return m.group(1)
    return None


def level_char(region: str | None) -> str:
    """区 or 县: the level the form is printed for (五华区 → 区级, 某某县 → 县级)."""
    return "县" if region is not None and region.endswith("县") else "区"


def report_title(report: Report, manifest: Manifest) -> str:
    """The report's title: typed by the clerk, or the template's pattern (``{project}``,
    ``{year}``) filled in."""
    typed = report.meta.report_title.strip()
    if typed:
        return typed
    year = str(report.meta.year) if report.meta.year is not None else ""
    return (manifest.report_title.replace("{project}", report.project.name.strip())
            .replace("{year}", year))


def header_texts(report: Report, manifest: Manifest) -> dict[str, str]:
    """Every name of :data:`NAMES`, as every use prints it."""
    meta, project = report.meta, report.project
    region = region_of(report)
    date = meta.fill_date
    year = str(meta.year) if meta.year is not None else NO_YEAR
    return {
        "报告标题": report_title(report, manifest),
        "项目名称": project.name,
        "主管部门": project.department,
        "实施单位": project.implementer,
        "填报单位": meta.unit or project.implementer,
        "项目负责人": project.leader,
        "项目类型": meta.project_type.value if meta.project_type is not None else "",
        "地区": region or "",
        "地区级别": level_char(region),
        "年度": year,
        "填报年度": str(date.year) if date is not None else year,
        "填报日期": chinese_date(date) if date is not None else "",
        "填报年月": chinese_year_month(date) if date is not None else "",
        "填报人": meta.filler,
        "联系人": meta.contact,
        "联系电话": meta.phone,
        "单位负责人": meta.unit_head,
        "预期目标": report.goals.expected,
        "实际完成情况": report.goals.actual,
    }
