"""R001–R002, G001: required fields, phone, declared grade."""

from __future__ import annotations

from ..findings import Level
from ..rounding import plain
from .base import CheckerBase
from .common import (
    _field_title,
    _phone_ok,
    value_at,
)


class HeaderChecks(CheckerBase):
    def required(self) -> None:
        report = self.report
        for path in self.rules.required_fields:
            value = value_at(report, path)
            if value is None or (isinstance(value, str) and not value.strip()):
                label = _field_title(report, path)
                self.add("R001", Level.ERROR, path, f"{label}：必填，尚未填写。请填写{label}。")
        phone = report.meta.phone
        if phone.strip() and not _phone_ok(phone):
            self.add(
                "R002",
                Level.ERROR,
                "meta.phone",
                f"联系电话：“{phone}”不是有效的电话号码。请填写 7–12 位数字，"
                "区号可用“-”分隔，例如 0762-3893981 或 13812345678。",
            )
        declared = (report.declared_grade or "").strip()
        if declared and declared != self.sheet.grade:
            why = f"（{self.sheet.grade_cap_reason}）" if self.sheet.grade_cap_reason else ""
            self.add(
                "G001",
                Level.ERROR,
                "declared_grade",
                f"评价等次：填写为“{declared}”，按总分 {plain(self.sheet.total)} 分应为“"
                f"{self.sheet.grade}”{why}。请改为“{self.sheet.grade}”。",
            )
