"""R001–R002, G001: required fields, phone, declared grade."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel

from ...model.report import Report
from ..findings import Level
from ..rounding import plain
from .common import normal, value_at
from .context import Context
from .rule import Hit, once

_PHONE_AREA = re.compile(r"\(0\d{2,3}\)")
_PHONE_DIGITS = re.compile(r"\d{7,12}")
_PHONE_COUNTRY = re.compile(r"\+?86(1\d{10})")


def _field_title(report: Report, path: str) -> str:
    """The pydantic ``title`` of the field at ``path`` (project.name → 项目名称)."""
    owner_path, _, name = path.rpartition(".")
    owner = value_at(report, owner_path) if owner_path else report
    if isinstance(owner, BaseModel):
        info = type(owner).model_fields.get(name)
        if info is not None and info.title:
            return info.title
    return path


def phone_ok(phone: str) -> bool:
    s = normal(phone).replace(" ", "").replace("-", "")
    s = _PHONE_AREA.sub(lambda m: m.group(0)[1:-1], s, count=1) if s.startswith("(") else s
    country = _PHONE_COUNTRY.fullmatch(s)
    if country:
        s = country.group(1)
    return _PHONE_DIGITS.fullmatch(s) is not None


@once("R001", Level.ERROR, "a required field (rules.required_fields) is empty")
def required_fields(c: Context) -> Iterator[Hit]:
    for path in c.rules.required_fields:
        value = value_at(c.report, path)
        if value is None or (isinstance(value, str) and not value.strip()):
            label = _field_title(c.report, path)
            yield path, f"{label}：必填，尚未填写。请填写{label}。"


@once("R002", Level.ERROR, "联系电话 is not 7–12 digits")
def phone_number(c: Context) -> Iterator[Hit]:
    phone = c.report.meta.phone
    if phone.strip() and not phone_ok(phone):
        yield ("meta.phone",
               f"联系电话：“{phone}”不是有效的电话号码。请填写 7–12 位数字，"
               "区号可用“-”分隔，例如 0762-3893981 或 13812345678。")


@once("G001", Level.ERROR, "the grade typed on the form differs from the computed grade")
def declared_grade(c: Context) -> Iterator[Hit]:
    declared = (c.report.declared_grade or "").strip()
    sheet = c.sheet
    if declared and declared != sheet.grade:
        why = f"（{sheet.grade_cap_reason}）" if sheet.grade_cap_reason else ""
        yield ("declared_grade",
               f"评价等次：填写为“{declared}”，按总分 {plain(sheet.total)} 分应为“"
               f"{sheet.grade}”{why}。请改为“{sheet.grade}”。")
