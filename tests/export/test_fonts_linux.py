"""Linux PDFs print 仿宋 / 黑体 / 楷体 as three Simplified-Chinese faces of their kinds (issue #10).

Without resources/fontconfig/fonts.conf every font the documents name came out as the one
sans face fontconfig knew first (Noto Sans CJK JP): body, 一、 and （一） headings alike.
Checked with ``pdffonts`` on the 宿州 report (仿宋 body, 黑体 and 楷体 headings), printed by
LibreOffice and by the in-app renderer.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from perfeval_desktop import fonts
from perfeval_desktop.export import export_report
from perfeval_desktop.printing import libreoffice as pdf
from perfeval_desktop.storage.pfe import load
from perfeval_desktop.templates.loader import load_template

ROOT = Path(__file__).resolve().parents[2]
SZ = ROOT / "resources" / "samples" / "sz_fund_supervision_2022.pfe"
FACES = {"serif": "NotoSerifCJK", "sans": "NotoSansCJK", "kai": "UKai"}


def installed(family: str) -> bool:
    out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True,
                         timeout=60).stdout
    return family in out


pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fontconfig: Linux only"),
    pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils missing"),
    pytest.mark.skipif(shutil.which("fc-match") is None or not installed("AR PL UKai CN")
                       or not installed("Noto Serif CJK SC"),
                       reason="fonts-noto-cjk / fonts-arphic-ukai missing (.ci/run installs them)"),
]


def embedded(path: Path) -> list[str]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True,
                         timeout=60).stdout
    return [line.split()[0].split("+")[-1] for line in out.splitlines()[2:] if line.strip()]


def kinds(names: list[str]) -> set[str]:
    return {kind for kind, face in FACES.items() if any(face in n for n in names)}


def test_the_program_points_fontconfig_at_its_aliases() -> None:
    assert os.environ[fonts.FONTCONFIG_ENV] == fonts.font_conf()
    for family, face in (("仿宋", "Noto Serif CJK SC"), ("宋体", "Noto Serif CJK SC"),
                         ("方正小标宋简体", "Noto Serif CJK SC"), ("黑体", "Noto Sans CJK SC"),
                         ("楷体", "AR PL UKai CN"), ("KaiTi", "AR PL UKai CN")):
        got = subprocess.run(["fc-match", "-f", "%{family[0]}", family], capture_output=True,
                             text=True, check=True, timeout=60).stdout
        assert got == face, (family, got)


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(pdf.find_soffice() is None, reason="LibreOffice not installed")
def test_libreoffice_pdf_has_a_serif_a_sans_and_a_kai_face(tmp_path: Path) -> None:
    report = load(SZ)
    (path,) = export_report(report, load_template(report.meta.template_id), tmp_path,
                            formats=("pdf",))
    names = embedded(path)
    assert kinds(names) == set(FACES), names


def test_in_app_pdf_has_a_serif_a_sans_and_a_kai_face(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)  # the Qt renderer
    report = load(SZ)
    (path,) = export_report(report, load_template(report.meta.template_id), tmp_path,
                            formats=("pdf",))
    names = embedded(path)
    assert kinds(names) == set(FACES), names
