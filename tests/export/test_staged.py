"""``stage_export``: the files of an export wait in a hidden folder until committed;
a stop (取消: ``progress`` raises) or a failure at any step leaves the folder as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from perfeval_desktop.errors import ExportError
from perfeval_desktop.export.staged import STAGE_PREFIX, stage_export
from perfeval_desktop.model.report import Report
from perfeval_desktop.storage.pfe import load
from perfeval_desktop.templates.loader import Template, load_template

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "samples" / (
    "gd_yuancheng_medical_aid_2021.pfe"
)


class Stop(Exception):
    pass


@pytest.fixture
def loaded() -> tuple[Report, Template]:
    report = load(SAMPLE)
    return report, load_template(report.meta.template_id)


def test_steps_are_reported_and_commit_puts_the_files_in_place(
    loaded: tuple[Report, Template], tmp_path: Path
) -> None:
    steps: list[tuple[str, int, int]] = []
    staged = stage_export(*loaded, tmp_path, ["docx", "xlsx"],
                          lambda text, done, total: steps.append((text, done, total)))
    assert [s[1:] for s in steps] == [(0, 3), (1, 3), (2, 3)]
    assert [s[0] for s in steps] == ["计算得分，填写表格", "写出 Word 文档", "写出 Excel 表格"]
    assert [p.name for p in tmp_path.iterdir()] == [staged.folder.name]
    assert staged.folder.name.startswith(STAGE_PREFIX)
    written = staged.commit()
    assert sorted(tmp_path.iterdir()) == sorted(written)
    assert sorted(p.suffix for p in written) == [".docx", ".xlsx"]


@pytest.mark.parametrize("at", [0, 1, 2])
def test_a_stop_at_any_step_leaves_nothing(
    loaded: tuple[Report, Template], tmp_path: Path, at: int
) -> None:
    old = tmp_path / "医疗救助补助资金-项目支出绩效自评表.xlsx"
    old.write_bytes(b"the previous export")

    def progress(_text: str, done: int, _total: int) -> None:
        if done == at:
            raise Stop

    with pytest.raises(Stop):
        stage_export(*loaded, tmp_path, ["docx", "xlsx"], progress)
    assert list(tmp_path.iterdir()) == [old] and old.read_bytes() == b"the previous export"


def test_discard_removes_the_staged_files(loaded: tuple[Report, Template],
                                          tmp_path: Path) -> None:
    staged = stage_export(*loaded, tmp_path, ["docx"])
    staged.discard()
    staged.discard()  # twice: the worker and the window may both discard it
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_explained(loaded: tuple[Report, Template],
                                       tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="不存在"):
        stage_export(*loaded, tmp_path / "gone", ["docx"])
