"""Old ``.pfe`` files are converted to the current schema before validation."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from perfeval_desktop.errors import ProjectFileError
from perfeval_desktop.model.report import (
    SCHEMA_VERSION,
    Amounts,
    FundingTable,
    Goals,
    IndicatorNode,
    ManualMethod,
    Meta,
    Problem,
    ProjectInfo,
    Report,
)
from perfeval_desktop.storage import migrations, pfe

Edit = Callable[[dict[str, Any]], object]
V0_FILE = Path(__file__).resolve().parent.parent / "data" / "v0_report.pfe"


def expected_v1() -> Report:
    def leaf(node_id: str, name: str, weight: str, target: str, actual: str, unit: str,
             score: str, reason: str = "") -> IndicatorNode:  # fmt: skip
        return IndicatorNode(
            id=node_id,
            name=name,
            weight=Decimal(weight),
            target_text=target,
            actual_text=actual,
            unit=unit,
            method=ManualMethod(score=Decimal(score)),
            deviation_reason=reason,
        )

    return Report(
        schema_version=SCHEMA_VERSION,
        meta=Meta(
            year=2022,
            unit="某某县农业农村局",
            filler="王五",
            contact="王五",  # v1 -> v2: the forms printed the 填报人 as 联系人
            phone="0871-12345678",
            fill_date=dt.date(2023, 3, 20),
            template_id="yunnan_dept_eval",
        ),
        project=ProjectInfo(
            name="2022年高标准农田建设项目",
            department="某某县农业农村局",
            implementer="某某县农田建设服务中心",
            leader="赵六",
        ),
        funding=FundingTable(
            total=Amounts(
                initial_budget=Decimal("1200"),
                annual_budget=Decimal("1350.5"),
                received=Decimal("1350.5"),
                executed=Decimal("1288.25"),
            )
        ),
        goals=Goals(
            expected="新建高标准农田 1.2 万亩，亩均粮食产能提高 100 斤以上。",
            actual="完成高标准农田建设 1.25 万亩，经验收合格。",
        ),
        indicators=[
            IndicatorNode(
                id="v0-1",
                name="产出指标",
                weight=Decimal("50"),
                children=[
                    IndicatorNode(
                        id="v0-1-1",
                        name="数量指标",
                        children=[
                            leaf("v0-1-1-1", "新建高标准农田面积", "20", "≥1.2", "1.25",
                                 "万亩", "20"),
                            leaf("v0-1-1-2", "新建机耕路", "10", "≥35", "32", "公里", "8.5",
                                 "部分路段因征地协调滞后未完工，已列入2023年计划。"),
                        ],
                    )
                ],
            ),
            IndicatorNode(
                id="v0-2",
                name="满意度指标",
                weight=Decimal("10"),
                children=[
                    IndicatorNode(
                        id="v0-2-1",
                        name="服务对象满意度指标",
                        children=[
                            leaf("v0-2-1-1", "受益农户满意度", "10", "≥90%", "95%", "", "10")
                        ],
                    )
                ],
            ),
        ],
        problems=[
            Problem(problem="项目前期征地协调时间较长，影响机耕路施工进度。"),
            Problem(problem="部分乡镇管护责任未落实到人。"),
        ],
        suggestions="建议提前开展项目前期工作，落实建后管护责任。",
        sections={"overview": "项目概况：在 5 个乡镇建设高标准农田。"},
    )


def v0_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(V0_FILE.read_text(encoding="utf-8"))
    return data


def test_v0_file_loads_as_the_expected_v1_report() -> None:
    report = pfe.load(V0_FILE)
    assert report == expected_v1()
    assert report.schema_version == SCHEMA_VERSION
    # amounts keep the digits typed in the old file, exactly
    assert str(report.funding.total.executed) == "1288.25"


def test_migrated_report_saves_as_current_version(tmp_path: Path) -> None:
    before = V0_FILE.read_bytes()
    path = tmp_path / "converted.pfe"
    pfe.save(pfe.load(V0_FILE), path)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["schema_version"] == SCHEMA_VERSION and "version" not in saved
    assert pfe.load(path) == expected_v1()
    assert V0_FILE.read_bytes() == before  # loading never rewrites the old file


def test_migrate_does_not_change_its_input() -> None:
    data = v0_data()
    snapshot = copy.deepcopy(data)
    migrated = migrations.migrate(data)
    assert data == snapshot
    assert migrated["schema_version"] == SCHEMA_VERSION
    assert migrated["indicators"][0]["children"][0]["children"][1]["method"] == {
        "kind": "manual",
        "score": "8.5",
    }


def test_current_version_passes_through_unchanged() -> None:
    data = {"schema_version": SCHEMA_VERSION, "meta": {"template_id": "t"}}
    assert migrations.migrate(data) == data


def test_v1_file_gets_its_filler_as_contact_and_a_v2_file_keeps_its_own() -> None:
    v1 = {"schema_version": 1, "meta": {"template_id": "t", "filler": "潘挚"}}
    migrated = migrations.migrate(v1)
    assert migrated["schema_version"] == 2
    assert migrated["meta"]["contact"] == "潘挚" and "contact" not in v1["meta"]
    report = pfe.loads(json.dumps({"schema_version": 2, "meta": {
        "template_id": "t", "filler": "潘挚", "contact": "潘攀"}}))
    assert (report.meta.filler, report.meta.contact) == ("潘挚", "潘攀")


def test_every_version_below_current_has_a_migration() -> None:
    assert sorted(migrations.MIGRATIONS) == list(range(SCHEMA_VERSION))


def test_unknown_older_version_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "古老.pfe"
    path.write_text('{"schema_version": -3, "meta": {}}', encoding="utf-8")
    with pytest.raises(ProjectFileError, match="文件版本 -3 过旧") as info:
        pfe.load(path)
    assert "古老.pfe" in info.value.message


def test_missing_migration_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(migrations.MIGRATIONS, 0)
    with pytest.raises(ProjectFileError, match="文件版本 0 过旧") as info:
        pfe.load(V0_FILE)
    assert "v0_report.pfe" in info.value.message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(colour="红"), "不认识的项：colour"),
        (lambda d: d.pop("template"), "缺少模板（template）"),
        (lambda d: d["funding"].update(executed=[1]), "funding.executed 应为数字"),
        (lambda d: d["indicators"][0].update(score=5), "indicators[0] 有下级指标"),
        (lambda d: d["indicators"][1].update(children={}), "indicators[1].children 应为列表"),
        (lambda d: d.update(indicators=[1]), "indicators[0] 应为对象"),
        (
            lambda d: d["indicators"][0]["children"][0]["children"][0].update(score=True),
            "indicators[0].children[0].children[0].score 应为数字",
        ),
    ],
    ids=["extra", "template", "amount", "group-score", "children", "node", "bool-score"],
)
def test_bad_v0_content_names_the_field(tmp_path: Path, change: Edit, expected: str) -> None:
    data = v0_data()
    change(data)
    path = tmp_path / "旧版.pfe"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ProjectFileError) as info:
        pfe.load(path)
    assert expected in info.value.message
    assert "旧版.pfe" in info.value.message


def test_v0_number_in_text_field_is_reported_after_migration(tmp_path: Path) -> None:
    data = v0_data()
    data["project_name"] = 2022
    path = tmp_path / "旧版.pfe"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ProjectFileError, match=r"project\.name（项目名称）：应为文本"):
        pfe.load(path)
