"""Build ``templates/<id>/report.docx`` — the Word template of each report — with python-docx.

    python scripts/build_doc_templates.py [TEMPLATES_DIR] [--only ID ...]
                                          [--title-font 方正小标宋简体]

For every ``<id>/manifest.yaml`` under TEMPLATES_DIR (default: the project's
``templates/``) it writes ``<id>/report.docx`` laid out for the manifest's ``family``:

- ``mof_self_eval`` (广东, seed 002): cover block ``附件2`` / ``…年财政支出绩效自评报告`` /
  项目名称 … 填报日期 on a page without a number, then the report title and the sections;
- ``yunnan_dept_eval`` (seed 004): the report title, then the sections 一 … 八 (the 评价表
  is printed before it);
- ``sichuan_self_eval`` (seed 001): ``附件4``, the report title, then the sections;
- ``mof_outline_eval`` (宿州, seed 000) and ``third_party``: cover page, 目录 (a Word TOC
  field), 摘要, all without page numbers, then the 正文 numbered from 1 and the list of 附件.

The .docx files are the editable source a bureau changes in Word or WPS (styles 报告正文,
标题 1 …, the cover's wording); run this script again only to start over from the
defaults.  Placeholders are documented in :mod:`perfeval_desktop.export.report_docx`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from docx import Document  # noqa: E402
from docx.enum.section import WD_SECTION  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Pt  # noqa: E402

from perfeval_desktop.export import paper  # noqa: E402
from perfeval_desktop.templates.loader import MANIFEST, parse_manifest  # noqa: E402
from perfeval_desktop.templates.manifest import Manifest  # noqa: E402

NOTE = (
    "{#p 报告模板：可在 Word 或 WPS 中修改文字和样式（报告正文、标题 1 至 4、报告标题、封面信息、"
    "附件标识等），改样式即改全部同类段落。双花括号内是占位符（如 项目名称、年度、填报单位、总分、"
    "等次），灰色小字的段落是循环与条件指令，请整段保留、不要拆开。本段说明不会印出。 #}"
)

Runs = list[tuple[str, str | None]]  # (text, character style or None)


class Builder:
    def __init__(self, title_font: str) -> None:
        self.doc: Any = Document()
        body = self.doc.element.body
        for p in list(body.iterchildren(qn("w:p"))):
            body.remove(p)
        paper.apply_styles(self.doc, title_font)
        paper.setup_page(self.doc.sections[0], "portrait")
        paper.set_doc_grid(self.doc.sections[0])  # 22 lines × 28 characters
        self.doc.core_properties.title = "{{ 报告标题 }}"
        self.doc.core_properties.author = "{{ 填报单位 }}"
        self.doc.core_properties.comments = "绩效自评填报助手 报告模板"

    # ---- paragraphs ----------------------------------------------------------------------
    def para(self, style: str, text: str = "", runs: Runs | None = None) -> Any:
        p = self.doc.add_paragraph(style=self.doc.styles[style])
        for chunk, char_style in runs if runs is not None else [(text, None)]:
            if not chunk:
                continue
            r = p.add_run(chunk)
            if char_style is not None:
                r.style = self.doc.styles[char_style]
        return p

    def tag(self, text: str) -> Any:
        """A paragraph holding only a {%p … %} directive (removed when rendered)."""
        return self.para(paper.DIRECTIVE_STYLE, text)

    # ---- blocks --------------------------------------------------------------------------
    def paragraph_branches(self, var: str) -> None:
        """The paragraphs of a narrative: headings, lead-ins, body text."""
        self.tag(f"{{%p if {var}.级别 == 1 %}}")
        self.para("Heading 1", f"{{{{ {var}.文字 }}}}")
        for level in (2, 3, 4):
            self.tag(f"{{%p elif {var}.级别 == {level} %}}")
            self.para(f"Heading {level}", f"{{{{ {var}.文字 }}}}")
        for level, char_style in ((1, paper.LEAD1_STYLE), (2, paper.LEAD2_STYLE)):
            self.tag(f"{{%p elif {var}.引题级别 == {level} %}}")
            self.para(paper.BODY_STYLE, runs=[(f"{{{{ {var}.引题 }}}}", char_style),
                                              (f"{{{{ {var}.文字 }}}}", None)])
        self.tag("{%p else %}")
        self.para(paper.BODY_STYLE, f"{{{{ {var}.引题 }}}}{{{{ {var}.文字 }}}}")
        self.tag("{%p endif %}")

    def sections(self) -> None:
        """正文: each outline section's heading (style by its numbering) and paragraphs."""
        self.tag("{%p for 章节 in 正文 %}")
        self.tag("{%p if 章节.级别 == 1 %}")
        self.para("Heading 1", "{{ 章节.标题 }}")
        for level in (2, 3):
            self.tag(f"{{%p elif 章节.级别 == {level} %}}")
            self.para(f"Heading {level}", "{{ 章节.标题 }}")
        self.tag("{%p else %}")
        self.para("Heading 4", "{{ 章节.标题 }}")
        self.tag("{%p endif %}")
        self.tag("{%p for 段 in 章节.段落 %}")
        self.paragraph_branches("段")
        self.tag("{%p endfor %}")
        self.tag("{%p endfor %}")

    def annex_list(self) -> None:
        """附件：1. … (GB/T 9704 附件说明) after the 正文."""
        self.tag("{%p if 附件列表 %}")
        self.para(paper.ANNEX_LIST_STYLE, "附件：")
        self.tag("{%p for 附件 in 附件列表 %}")
        self.para(paper.ANNEX_LIST_STYLE, "{{ 附件.序号 }}. {{ 附件.名称 }}")
        self.tag("{%p endfor %}")
        self.tag("{%p endif %}")

    def toc(self) -> None:
        self.para(paper.PAGE_TITLE_STYLE, "目  录")
        p = self.para(paper.TOC_ENTRY_STYLE)
        for kind in ("begin", "instr", "separate", "text", "end"):
            r = p.add_run()._r
            if kind == "instr":
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = ' TOC \\o "1-1" \\h \\z \\u '
            elif kind == "text":
                el = OxmlElement("w:t")
                el.text = "（目录在导出时生成；在 Word 中右键“更新域”可刷新页码）"
            else:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            r.append(el)

    def summary(self) -> None:
        self.para(paper.PAGE_TITLE_STYLE, "摘  要")
        self.tag("{%p for 段 in 摘要 %}")
        self.paragraph_branches("段")
        self.tag("{%p endfor %}")

    def numbered_body(self, start: int | None = 1) -> None:
        """End the unnumbered front matter; the next section is numbered from ``start``."""
        cover = self.doc.sections[-1]
        paper.no_page_numbers(cover)
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        paper.setup_page(section, "portrait")
        paper.set_doc_grid(section)
        paper.page_number_footers(section, self.doc)
        paper.set_page_number_start(section, start)

    def numbers_from_first_page(self) -> None:
        paper.page_number_footers(self.doc.sections[0], self.doc)

    def save(self, path: Path) -> None:
        # the section break added by add_section sits in an empty paragraph: fold it into
        # the paragraph before, so the cover ends without an extra empty line
        body = self.doc.element.body
        for p in list(body.iterchildren(qn("w:p"))):
            ppr = p.find(qn("w:pPr"))
            if ppr is None or ppr.find(qn("w:sectPr")) is None:
                continue
            if "".join(t.text or "" for t in p.iter(qn("w:t"))):
                continue
            prev = p.getprevious()
            prev_text = "" if prev is None else "".join(t.text or "" for t in prev.iter(qn("w:t")))
            if (prev is not None and prev.tag == qn("w:p") and "{%" not in prev_text
                    and "{#" not in prev_text):
                prev_ppr = prev.get_or_add_pPr()
                if prev_ppr.find(qn("w:sectPr")) is None:
                    prev_ppr.append(ppr.find(qn("w:sectPr")))
                    body.remove(p)
                    continue
            # after a loop (whose directive paragraphs vanish when rendered) the break keeps
            # its own paragraph, one point high so that it cannot spill onto a new page
            spacing = OxmlElement("w:spacing")
            spacing.set(qn("w:before"), "0")
            spacing.set(qn("w:after"), "0")
            spacing.set(qn("w:line"), "20")
            spacing.set(qn("w:lineRule"), "exact")
            ppr.insert(0 if ppr.find(qn("w:pStyle")) is None else 1, spacing)
        self.doc.save(str(path))


# ---- the families --------------------------------------------------------------------------


def mof_self_eval(b: Builder) -> None:
    """广东 财政支出绩效自评报告 (seed 002): cover block, then the 总结报告."""
    b.para(paper.LABEL_STYLE, "附件2")
    title = b.para(paper.COVER_TITLE_STYLE, "{{ 地区 }}{{ 填报年度 }}年财政支出")
    title.runs[0].add_break()
    title.add_run("绩效自评报告")
    for label, value in (
        ("项目名称：", "{{ 项目名称 }}"),
        ("项目(用款)单位：", "{{ 实施单位 }}"),
        ("主管部门：", "{{ 主管部门 }}"),
    ):
        b.para(paper.COVER_LINE_STYLE, runs=[(label, None), (value, None)])
    note = b.doc.paragraphs[-1]
    note.paragraph_format.space_after = Pt(0)
    small = b.para(paper.COVER_LINE_STYLE, "(一级预算单位)")
    small.runs[0].font.size = Pt(12)
    small.paragraph_format.line_spacing = Pt(18)
    for label, value in (
        ("填报人姓名：", "{{ 填报人 }}"),
        ("联系电话：", "{{ 联系电话 }}"),
        ("填报日期：", "{{ 填报日期 }}"),
    ):
        b.para(paper.COVER_LINE_STYLE, runs=[(label, None), (value, None)])
    b.numbered_body(1)
    b.para(paper.TITLE_STYLE, "{{ 报告标题 }}")
    b.sections()


def yunnan_dept_eval(b: Builder) -> None:
    """云南 项目支出绩效评价报告 (seed 004): title, 一 … 八 (the 评价表, printed before it,
    is not listed as an 附件 after it)."""
    b.numbers_from_first_page()
    b.para(paper.TITLE_STYLE, "{{ 报告标题 }}")
    b.sections()


def sichuan_self_eval(b: Builder) -> None:
    """四川 附件4 项目支出绩效自评报告 (seed 001)."""
    b.numbers_from_first_page()
    b.para(paper.LABEL_STYLE, "附件4")
    b.para(paper.TITLE_STYLE, "{{ 报告标题 }}")
    b.sections()


def mof_outline_eval(b: Builder) -> None:
    """财政部参考提纲 绩效评价报告 (宿州, seed 000): cover, 目录, 摘要, 正文, 附件 list."""
    b.para(paper.COVER_TITLE_STYLE, "项目支出绩效评价报告")
    b.para(paper.COVER_SUBTITLE_STYLE, "{{ 报告标题 }}")
    b.para(paper.COVER_DATE_STYLE, "{{ 填报年月 }}")
    b.toc()
    b.summary()
    b.numbered_body(1)
    b.sections()
    b.annex_list()


def third_party(b: Builder) -> None:
    """第三方绩效评价报告: cover (title, 项目, 单位, 评价机构, date), 目录, 摘要, 正文."""
    b.para(paper.COVER_TITLE_STYLE, "{{ 报告标题 }}")
    for label, value in (
        ("项目名称：", "{{ 项目名称 }}"),
        ("主管部门：", "{{ 主管部门 }}"),
        ("实施单位：", "{{ 实施单位 }}"),
        ("评价机构：", "{{ 填报单位 }}"),
    ):
        b.para(paper.COVER_LINE_STYLE, runs=[(label, None), (value, None)])
    b.para(paper.COVER_DATE_STYLE, "{{ 填报年月 }}")
    b.toc()
    b.summary()
    b.numbered_body(1)
    b.sections()
    b.annex_list()


FAMILIES: dict[str, Callable[[Builder], None]] = {
    "mof_self_eval": mof_self_eval,
    "yunnan_dept_eval": yunnan_dept_eval,
    "sichuan_self_eval": sichuan_self_eval,
    "mof_outline_eval": mof_outline_eval,
    "third_party": third_party,
}


def build(manifest: Manifest, path: Path, title_font: str = paper.DEFAULT_TITLE_FONT) -> None:
    """Write the report template of ``manifest``'s family to ``path``."""
    b = Builder(title_font)
    b.para(paper.DIRECTIVE_STYLE, NOTE)
    FAMILIES[manifest.family](b)
    b.save(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="生成 templates/<id>/report.docx（报告的 Word 模板）")
    ap.add_argument("templates", nargs="?", type=Path, default=ROOT / "templates")
    ap.add_argument("--only", nargs="*", default=None, help="只生成这些模板 id")
    ap.add_argument("--title-font", default=paper.DEFAULT_TITLE_FONT,
                    help=f"标题字体（默认 {paper.DEFAULT_TITLE_FONT}，未安装时 Word/WPS 以"
                         f"华文中宋、宋体代替；也可用 {paper.SONGTI}，此时加粗）")
    args = ap.parse_args(argv)
    built = 0
    for manifest_path in sorted(args.templates.glob(f"*/{MANIFEST}")):
        manifest = parse_manifest(manifest_path)
        if args.only and manifest.id not in args.only:
            continue
        target = manifest_path.parent / "report.docx"
        build(manifest, target, args.title_font)
        print(f"{target.relative_to(args.templates.parent)}  ({manifest.family})")
        built += 1
    if not built:
        print("没有找到模板清单（*/manifest.yaml）", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
