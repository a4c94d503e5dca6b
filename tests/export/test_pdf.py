"""PDF for direct printing: through LibreOffice, and rendered by Qt where it is missing.

Both: A4 pages (portrait for the 正文, landscape for wide forms), a sensible page count,
every font embedded (Chinese ones among them), and the table's values in the text.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from export_support import fold

from perfeval_desktop import printing
from perfeval_desktop.errors import ExportError
from perfeval_desktop.export import export_report
from perfeval_desktop.model.report import Report
from perfeval_desktop.printing import docx_read, fonts, line_ends
from perfeval_desktop.printing import layout as pdf
from perfeval_desktop.printing import libreoffice as lo
from perfeval_desktop.templates.loader import Template, load_template

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "samples" / (
    "gd_yuancheng_medical_aid_2021.pfe"
)
PROJECT = "医疗救助补助资金"
# values of 附件1 (项目支出绩效自评表) that must be printed, none cut off
TABLE_VALUES = ["项目支出绩效自评表", "年度资金总额", "1155.5", "701.23", "60.7%", "80.96",
                "845.51", "228.50", "0.53", "医疗救助资金支出率", "部分达成预期", "总分", "良",
                "联系人：潘攀", "3893981"]
CJK_FONT = re.compile(r"CJK|Sim|Song|Fang|Hei|Kai|宋|仿|黑|楷|Ming|Heiti|WenQuanYi|Droid",
                      re.IGNORECASE)

needs_poppler = pytest.mark.skipif(
    shutil.which("pdfinfo") is None or shutil.which("pdftotext") is None
    or shutil.which("pdffonts") is None, reason="poppler-utils (pdfinfo) not installed")
needs_libreoffice = pytest.mark.skipif(lo.find_soffice() is None,
                                       reason="LibreOffice (soffice) not installed")


@pytest.fixture
def report() -> Report:
    return Report.model_validate_json(SAMPLE.read_text("utf-8"))


@pytest.fixture
def template() -> Template:
    return load_template("mof_self_eval_gd")


@pytest.fixture
def no_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lo, "find_soffice", lambda: None)


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout


def pdf_info(path: Path) -> tuple[str, list[tuple[int, int]]]:
    info = run("pdfinfo", "-f", "1", "-l", "999", str(path))
    producer = re.search(r"^Producer:\s*(.*)$", info, re.M)
    sizes = [(round(float(w)), round(float(h)))
             for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    return (producer.group(1) if producer else ""), sizes


def pdf_fonts(path: Path) -> list[tuple[str, str]]:
    """(font name, emb) for every font of the PDF."""
    lines = run("pdffonts", str(path)).splitlines()[2:]
    out = []
    for line in lines:
        # name type… encoding emb sub uni object ID: emb is the 4th field from the end but 2
        fields = line.split()
        out.append((fields[0], fields[-5]))
    return out


def pdf_text(path: Path) -> str:
    return fold(run("pdftotext", "-raw", str(path), "-"))


def assert_printable(path: Path, pages: range) -> list[tuple[int, int]]:
    _producer, sizes = pdf_info(path)
    assert len(sizes) in pages, f"{len(sizes)} pages"
    assert all(size in ((595, 842), (842, 595)) for size in sizes), sizes  # A4
    fonts = pdf_fonts(path)
    assert fonts and all(emb == "yes" for _name, emb in fonts), fonts
    assert any(CJK_FONT.search(name) for name, _emb in fonts), fonts
    return sizes


# ---- LibreOffice ---------------------------------------------------------------------------


@pytest.mark.libreoffice
@pytest.mark.slow
@needs_libreoffice
@needs_poppler
def test_report_pdf_through_libreoffice(report: Report, template: Template,
                                        tmp_path: Path) -> None:
    (path,) = export_report(report, template, tmp_path, formats=("pdf",))
    assert path.name == f"{PROJECT}-支出绩效自评总结报告.pdf"
    producer, _ = pdf_info(path)
    assert "LibreOffice" in producer
    sizes = assert_printable(path, range(1, 25))
    assert (842, 595) in sizes  # the 自评表 is printed landscape
    text = pdf_text(path)
    for value in TABLE_VALUES:
        assert fold(value) in text, value
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temp file, no source


@pytest.mark.libreoffice
@pytest.mark.slow
@needs_libreoffice
@needs_poppler
def test_forms_pdf_through_libreoffice_from_the_docx(report: Report, template: Template,
                                                     tmp_path: Path) -> None:
    """The 附件 alone: LibreOffice prints the forms' DOCX, the one the in-app renderer
    prints without it (总分 94)."""
    (path,) = export_report(report, template, tmp_path, formats=("pdf",), parts=["附件1"])
    assert path.name == f"{PROJECT}-项目支出绩效自评表.pdf"
    # 2 pages with Noto Sans everywhere; 3 with the serif faces of 仿宋/宋体 (taller lines),
    # the lines under the form then alone on the last (a known gap: the forms-only DOCX
    # prints them as paragraphs, which LibreOffice does not keep with the table)
    sizes = assert_printable(path, range(1, 4))
    assert all(size == (842, 595) for size in sizes)
    text = pdf_text(path)
    for value in TABLE_VALUES:
        assert fold(value) in text, value
    layout = run("pdftotext", "-layout", str(path), "-")
    assert re.search(r"总分\s+100\s+94\s+良", layout)
    producer, _ = pdf_info(path)
    assert "LibreOffice" in producer


# ---- the Qt fallback -----------------------------------------------------------------------


@needs_poppler
def test_report_pdf_rendered_by_qt(report: Report, template: Template, tmp_path: Path,
                                   no_libreoffice: None) -> None:
    (path,) = export_report(report, template, tmp_path, formats=("pdf",))
    producer, _ = pdf_info(path)
    assert "Qt" in producer
    sizes = assert_printable(path, range(3, 20))
    assert sizes[0] == (595, 842)  # the 正文 portrait
    assert sizes[-1] == (842, 595)  # the 自评表 landscape
    text = pdf_text(path)
    assert "医疗救助补助资金支出绩效自评总结报告" in text  # the title
    for heading in ("一、项目支出基本情况", "（一）自评分数情况及分析", "五、"):
        assert fold(heading) in text, heading
    assert "经自评得分94分" in text  # a section's text
    for value in TABLE_VALUES:
        assert fold(value) in text, value
    # page numbers as the DOCX has them: none on the cover, then 1, 2 … through the 附件
    pages = run("pdftotext", "-raw", str(path), "-").split("\f")[: len(sizes)]
    numbers = [re.findall(r"—\s*(\d+)\s*—", page) for page in pages]
    assert numbers == [[]] + [[str(n)] for n in range(1, len(sizes))]
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


@needs_poppler
def test_forms_pdf_rendered_by_qt(report: Report, template: Template, tmp_path: Path,
                                  no_libreoffice: None) -> None:
    (path,) = export_report(report, template, tmp_path, formats=("pdf",), parts=["附件1"])
    sizes = assert_printable(path, range(1, 5))
    assert all(size == (842, 595) for size in sizes)
    text = pdf_text(path)
    for value in TABLE_VALUES:
        assert fold(value) in text, value
    assert "一、项目支出基本情况" not in text  # no 正文


def test_qt_pdf_without_poppler_is_a_pdf(report: Report, template: Template, tmp_path: Path,
                                         no_libreoffice: None) -> None:
    (path,) = export_report(report, template, tmp_path, formats=("pdf",), parts=["附件1"])
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
    assert b"/FontFile2" in data  # fonts embedded


# ---- finding LibreOffice, and when it fails -----------------------------------------------


def test_find_soffice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    found = {"libreoffice": "/opt/lo/libreoffice"}
    monkeypatch.setattr(lo.shutil, "which", lambda name: found.get(name))
    assert lo.find_soffice() == "/opt/lo/libreoffice"
    found["soffice"] = "/usr/bin/soffice"
    assert lo.find_soffice() == "/usr/bin/soffice"
    found.clear()
    monkeypatch.setattr(lo.sys, "platform", "linux")
    assert lo.find_soffice() is None
    exe = tmp_path / "soffice.exe"
    exe.write_bytes(b"")
    monkeypatch.setattr(lo.sys, "platform", "win32")
    monkeypatch.setattr(lo, "WINDOWS_SOFFICE", (str(tmp_path / "missing.exe"), str(exe)))
    assert lo.find_soffice() == str(exe)


def fake_soffice(tmp_path: Path, body: str) -> str:
    script = tmp_path / "fake-soffice"
    script.write_text(f"#!/bin/sh\n{body}\n", "utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell script stands in for soffice")
def test_a_hanging_libreoffice_is_stopped(tmp_path: Path) -> None:
    """The timeout ends the converter and what it started (soffice.bin under oosplash)."""
    pidfile = tmp_path / "child.pid"
    soffice = fake_soffice(tmp_path, f"sleep 60 & echo $! > {pidfile}; wait")
    source = tmp_path / "a.docx"
    source.write_bytes(b"x")
    start = time.monotonic()
    with pytest.raises(ExportError) as info:
        lo.libreoffice_to_pdf(source, tmp_path / "a.pdf", soffice, timeout=1)
    assert time.monotonic() - start < 20
    assert "秒内没有完成" in info.value.message
    assert not (tmp_path / "a.pdf").exists()
    child = int(pidfile.read_text().strip())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and Path(f"/proc/{child}").exists():
        status = Path(f"/proc/{child}/status")
        if status.exists() and "zombie" in status.read_text(errors="replace"):
            break  # killed, waiting for init to reap it
        time.sleep(0.1)
    else:
        assert not Path(f"/proc/{child}").exists() or sys.platform != "linux"


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell script stands in for soffice")
def test_libreoffice_gets_a_private_profile_and_no_proxy(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "args.txt"
    soffice = fake_soffice(
        tmp_path,
        f'printf "%s\\n" "$@" > {log}; env >> {log}\n'
        'for a in "$@"; do last="$a"; done\n'
        'out=""; prev=""; for a in "$@"; do [ "$prev" = "--outdir" ] && out="$a"; prev="$a"; done\n'
        'printf "%%PDF-1.4 fake" > "$out/$(basename "${last%.*}").pdf"',
    )
    monkeypatch.setenv("http_proxy", "http://proxy.invalid:3128")
    source = tmp_path / "document.docx"
    source.write_bytes(b"x")
    lo.libreoffice_to_pdf(source, tmp_path / "out.pdf", soffice)
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")
    args = log.read_text("utf-8")
    assert "--headless" in args and "--convert-to" in args
    profile = re.search(r"-env:UserInstallation=file://(\S+)", args)
    assert profile and Path(profile.group(1)).is_dir()
    assert "DisableMacrosExecution" in (Path(profile.group(1)) / "user" /
                                       "registrymodifications.xcu").read_text("utf-8")
    assert "proxy.invalid" not in args


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell script stands in for soffice")
def test_a_failing_libreoffice_falls_back_to_qt(report: Report, template: Template,
                                                tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    soffice = fake_soffice(tmp_path, "echo 'Error: source file could not be loaded'; exit 1")
    monkeypatch.setattr(lo, "find_soffice", lambda: soffice)
    out = tmp_path / "out"
    out.mkdir()
    (path,) = export_report(report, template, out, formats=("pdf",), parts=["附件1"])
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and b"Qt" in data
    with pytest.raises(ExportError, match="未能把文件转换为 PDF"):
        lo.libreoffice_to_pdf(tmp_path / "x.docx", tmp_path / "x.pdf", soffice)


def test_printing_imports_no_qt_until_it_prints() -> None:
    """The CLI and the export import printing/ without starting Qt: only the in-app layout
    imports it, and only when it prints."""
    code = ("import sys; import perfeval_desktop.printing, perfeval_desktop.printing.layout; "
            "assert not [m for m in sys.modules if m.startswith('PySide6')]")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60,
                   env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})


# ---- the Qt fallback prints the DOCX as LibreOffice does (issue #3) -------------------------

SAMPLES = SAMPLE.parent
MM = 72 / 25.4


def sample(name: str) -> tuple[Report, Template]:
    report = Report.model_validate_json((SAMPLES / name).read_text("utf-8"))
    return report, load_template(report.meta.template_id)


def page_texts(path: Path) -> list[str]:
    return [fold(p) for p in run("pdftotext", "-raw", str(path), "-").split("\f")]


def line_boxes(path: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, text) of every text line of ``page`` (1-based), in pt."""
    xml = run("pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(path), "-")
    out = []
    for m in re.finditer(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                         r'yMax="([\d.]+)">(.*?)</line>', xml, re.S):
        text = "".join(re.findall(r">([^<]*)</word>", m.group(5)))
        out.append((float(m.group(1)), float(m.group(2)), float(m.group(3)),
                    float(m.group(4)), text))
    return out


def test_autospace_and_fonts() -> None:
    """The air Word adds between 汉字 and Latin letters or digits, and the stand-ins of the
    GB/T 9704 fonts."""
    assert fonts.autospace("2021年度资金") == {3}
    assert fonts.autospace("预算执行率60.7%，得分6") == {4, 12}
    assert fonts.autospace("附件1", digits=False) == set()
    assert fonts.autospace("（2024）年度") == set()  # brackets are not 汉字
    assert fonts.cjk_families("仿宋")[:2] == ["仿宋", "仿宋_GB2312"]
    assert fonts.cjk_families("方正小标宋简体")[-2:] == ["Noto Serif CJK SC", "Noto Sans CJK SC"]
    assert fonts.cjk_families(None) == fonts.SONG


def test_scripts_as_libreoffice_tells_them() -> None:
    """Which characters print in the East Asian font, as LibreOffice tells them: 汉字 and
    full-width forms always, digits and ASCII never, a weak one (≥, “, □) with the
    character before it, at the start with the first that has a script."""
    assert fonts.east_asian("次≥6800人") == [True, True, False, False, False, False, True]
    assert fonts.east_asian("60≥5") == [False, False, False, False]
    assert fonts.east_asian("“一站式”") == [True, True, True, True, True]
    assert fonts.east_asian("（2023）") == [True, False, False, False, False, True]
    assert fonts.east_asian("") == []
    # LibreOffice's hanging punctuation for zh_CN: the stops, never the brackets or quotes
    assert {"，", "。", "、", "；", "："} <= line_ends.HANGING
    assert not {"）", "”", "》"} & line_ends.HANGING


def test_styles_resolved_as_word_does(tmp_path: Path) -> None:
    """The report's paragraphs as Qt lays them out: 报告正文 3号 仿宋, fixed 28.9 pt lines,
    two characters indented, justified; headings kept with the next paragraph."""
    from docx import Document

    report, template = sample("gd_yuancheng_medical_aid_2021.pfe")
    (path,) = export_report(report, template, tmp_path, formats=("docx",))
    doc = Document(str(path))
    styles = docx_read.Styles(doc)
    body = next(p for p in doc.paragraphs if p.style.name == "报告正文")._p
    look, font = styles.para(body), styles.font(body, None)
    assert (look.line, look.line_rule, look.align) == (28.9, "exact", "justify")
    assert look.first_line == 32 and not look.keep_next
    assert font.size == 16 and "仿宋" in font.families
    heading = next(p for p in doc.paragraphs if p.style.name == "Heading 1")._p
    assert styles.para(heading).keep_next and "黑体" in styles.font(heading, None).families
    sections = docx_read.docx_sections(doc)
    assert [s.numbered for s in sections][:2] == [False, True]  # the cover has no number
    assert sections[-1].page[0] > sections[-1].page[1]  # the 自评表: landscape


@needs_poppler
def test_qt_prints_the_cover_toc_and_summary(tmp_path: Path, no_libreoffice: None) -> None:
    """宿州 (参考提纲): the cover alone on page 1, the 目录 with dot leaders on page 2,
    unnumbered; the 正文 starts on page 3 as page 1 (the sample's 摘要 is empty: no page
    holding its heading alone)."""
    report, template = sample("sz_fund_supervision_2022.pfe")
    (path,) = export_report(report, template, tmp_path, formats=("pdf",))
    pages = page_texts(path)
    assert pages[0] == fold("项目支出绩效评价报告医疗保障基金安全监管项目支出绩效评价报告2023年3月")
    assert pages[1].startswith("目录一、项目基本情况...") and "八、其他需要说明的问题" in pages[1]
    assert pages[2].startswith("一、项目基本情况") and pages[2].endswith("—1—")
    assert not any("—" in p for p in pages[:2]) and not any("摘要" in p for p in pages)


@needs_poppler
def test_qt_prints_the_cover_block(tmp_path: Path, no_libreoffice: None) -> None:
    """广东: the cover block (附件2, the title, 项目名称 … 填报日期) on a page of its own."""
    report, template = sample("gd_yuancheng_medical_aid_2021.pfe")
    (path,) = export_report(report, template, tmp_path, formats=("pdf",))
    first = page_texts(path)[0]
    assert first.startswith("附件2源城区2022年财政支出绩效自评报告项目名称:医疗救助补助资金")
    assert first.endswith("填报日期:2022年4月6日")


@needs_poppler
def test_qt_paper_is_gb_t_9704(tmp_path: Path, no_libreoffice: None) -> None:
    """A page of 正文: the type area 156 × 225 mm at 37 mm from the top and 28 mm from the
    left, 28.9 pt between lines, the page number 7 mm under the type area, right on odd
    pages and left on even ones."""
    report, template = sample("yn_wuhua_payables_2024.pfe")
    (path,) = export_report(report, template, tmp_path, formats=("pdf",))
    # the 评价表 comes first (seed 004); the two pages after the report's first are 正文
    start = next(i for i, text in enumerate(page_texts(path), start=1)
                 if text.startswith("应付未付专项经费项目支出绩效评价报告"))
    for page in (start + 1, start + 2):
        lines = line_boxes(path, page)
        number = next(box for box in lines if re.fullmatch(r"—\d+—", box[4]))
        # visible text only: Qt writes the line above each page again, clipped away
        text = [box for box in lines if box is not number and box[1] > 36 * MM]
        assert abs(min(box[0] for box in text) - 28 * MM) < 1.5
        # a comma that does not fit hangs in the margin, as in LibreOffice (one em, 3号)
        for box in text:
            hangs = box[4][-1:] in line_ends.HANGING
            assert box[2] < (210 - 26) * MM + 1 + (16 if hangs else 0), box
        assert 37 * MM - 2 < min(box[1] for box in text) < 37 * MM + 12
        assert max(box[3] for box in text) < (297 - 35) * MM + 1
        # every line on the 28.9 pt grid: a line's box top moves a little with its fonts
        # (Latin digits, the 楷体 face of a （一） heading), never by a line
        # (lines that start with 汉字: a line starting "3." is boxed by the Latin font)
        boxes = sorted((box for box in text if box[4][:1] >= "\u3000"), key=lambda b: b[1])
        tops = [box[1] for box in boxes]
        # between lines boxed by the same font (a 楷体 heading's box sits lower)
        pitches = [b[1] - a[1] for a, b in itertools.pairwise(boxes) if b[1] - a[1] < 40
                   and abs((b[3] - b[1]) - (a[3] - a[1])) < 0.5]
        assert pitches and sum(abs(p - 28.9) < 0.3 for p in pitches) >= 0.8 * len(pitches)
        offsets = [(t - tops[0]) / 28.9 for t in tops]
        assert all(abs(o - round(o)) * 28.9 < 3.5 for o in offsets), pitches
        assert number[1] > (297 - 35 + 5) * MM
        if page % 2:
            assert number[2] > (210 - 26) * MM - 20
        else:
            assert number[0] < 28 * MM + 20


@pytest.mark.libreoffice
@pytest.mark.slow
@needs_libreoffice
@needs_poppler
@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.pfe")))
def test_qt_pages_as_many_as_libreoffice(name: str, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Every sample's report: the Qt fallback prints within 10 % as many pages as
    LibreOffice, on the same paper (portrait 正文, landscape where the DOCX turns)."""
    report, template = sample(name)
    by_lo, qt = tmp_path / "lo", tmp_path / "qt"
    by_lo.mkdir()
    qt.mkdir()
    (lo_pdf,) = export_report(report, template, by_lo, formats=("pdf",))
    printing.choose("qt")
    (qt_pdf,) = export_report(report, template, qt, formats=("pdf",))
    assert "Qt" in pdf_info(qt_pdf)[0]
    lo_sizes, qt_sizes = pdf_info(lo_pdf)[1], pdf_info(qt_pdf)[1]
    assert abs(len(qt_sizes) - len(lo_sizes)) <= max(1, len(lo_sizes) // 10), (
        len(lo_sizes), len(qt_sizes))
    assert qt_sizes[0] == lo_sizes[0] and qt_sizes[-1] == lo_sizes[-1]


def test_a_document_the_renderer_cannot_lay_out_is_explained(
        report: Report, template: Template, tmp_path: Path, no_libreoffice: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """No second, plainer renderer behind the in-app one: its failure is said in Chinese,
    naming the file, and leaves no file behind."""
    def broken(*_args: object) -> None:
        raise RuntimeError("odd document")

    monkeypatch.setattr(pdf, "qt_docx_pdf", broken)
    with pytest.raises(ExportError) as info:
        export_report(report, template, tmp_path, formats=("pdf",))
    assert f"{PROJECT}-支出绩效自评总结报告.pdf" in info.value.message
    assert "odd document" in info.value.message
    assert list(tmp_path.iterdir()) == []


def test_the_engine_is_chosen_once(report: Report, template: Template, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """LibreOffice when installed, else in-app, chosen once (at the first print); every
    engine gets the same DOCX."""
    from perfeval_desktop.export import plan_export, write_plan_pdf

    monkeypatch.setattr(lo, "find_soffice", lambda: "/usr/bin/soffice")
    assert printing.engine_named().name == "libreoffice"
    monkeypatch.setattr(lo, "find_soffice", lambda: None)
    assert printing.engine_named().name == "qt"
    seen: list[bytes] = []

    def convert(source: Path, target: Path, *_args: object) -> None:
        with zipfile.ZipFile(source) as docx:  # a DOCX; the zip's times may differ
            seen.append(docx.read("word/document.xml"))
        target.write_bytes(b"%PDF-1.4 LibreOffice")

    monkeypatch.setattr(lo, "libreoffice_to_pdf", convert)
    monkeypatch.setattr(pdf, "qt_docx_pdf",
                        lambda source, target, *_args: convert(source, target))
    plan = plan_export(report, template, ["附件1"])
    assert write_plan_pdf(plan, tmp_path / "a.pdf") == "qt"  # chosen here: no LibreOffice
    monkeypatch.setattr(lo, "find_soffice", lambda: "/usr/bin/soffice")
    assert write_plan_pdf(plan, tmp_path / "b.pdf") == "qt"  # still the engine chosen
    assert printing.choose().name == "libreoffice"  # the next start
    assert write_plan_pdf(plan, tmp_path / "c.pdf") == "libreoffice"
    assert write_plan_pdf(plan, tmp_path / "d.pdf", engine=printing.engine_named("qt")) == "qt"
    assert len(seen) == 4 and len(set(seen)) == 1  # the same document every time
