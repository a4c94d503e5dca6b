"""The whole report as a Word document: ``templates/<id>/report.docx`` rendered, then the 附件.

``write_report_docx(report, template, sheet, parts, path)``:

1. renders the template folder's ``report.docx`` with docxtpl in a sandboxed Jinja
   environment (:func:`render_template`): a template can never run code, an unknown
   placeholder or an attempt to reach Python internals raises :class:`TemplateError`
   naming the file and the placeholder;
2. fills the table of contents, if the template has one, with the level-1 headings
   (bookmarked, with ``PAGEREF`` page numbers that Word, WPS and LibreOffice compute);
3. puts inline tables where the narrative asks for them (see below);
4. appends each :class:`~.forms.FormPart` as an 附件: its own section starting on a new
   page, portrait or landscape per the grid, page numbers continuing, ``附件N`` at the
   top left and the form's title centred, then the table (header rows repeated, rows
   kept whole).

The template context (what ``{{ … }}`` can name in report.docx) is the vocabulary's
(:mod:`perfeval_desktop.templates.vocabulary`, use 正文模板);
the narrative typed by the clerk is filled with :mod:`.live_values` before it goes in,
so the text prints the very figures of the tables.

Inline tables: a part whose key does not start with ``附件`` (or that carries a
``section`` attribute naming an outline section id) is printed inside the 正文 rather
than as an 附件 — at a narrative line consisting only of ``{{ 键 }}`` or ``{{ 标题 }}``,
else right after the heading of its ``section``, else at the end of the 正文.
"""

from __future__ import annotations

import copy
import math
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt
from docx.text.paragraph import Paragraph
from jinja2 import StrictUndefined
from jinja2 import TemplateError as JinjaTemplateError
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .. import paths
from ..errors import TemplateError
from ..model.report import Report
from ..model.text import clean_text
from ..scoring.engine import ScoreSheet
from ..scoring.live_values import fill, live_values
from ..templates.families import builtin_folder
from ..templates.loader import Template
from ..templates.manifest import Manifest, Section
from ..templates.vocabulary.header import header_texts
from . import paper
from .docx import write_table
from .forms import FormPart
from .grid import Grid, Line
from .libs import document_part, section_xml, xml
from .nobreak import glue_document
from .sandbox import BudgetedSandbox, BudgetExceeded, deadline
from .template_safety import check_package
from .titles import title_breaks

__all__ = [
    "REPORT_DOCX",
    "build_context",
    "narrative_paragraphs",
    "render_template",
    "template_file",
    "write_report_docx",
]

REPORT_DOCX = "report.docx"


HEAD_MAX = 30  # a numbered lead-in longer than this is not a heading

_LEVELS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(r"^[一二三四五六七八九十]{1,3}、")),
    (2, re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]")),
    (4, re.compile(r"^[（(]\d{1,2}[）)]")),
    (3, re.compile(r"^\d{1,2}(?:[.．、](?!\d)|\s)")),
)
_LEAD_END = re.compile(r"[。：:]")
_MARK = "\ue000{}\ue001"
_MARK_RE = re.compile("\ue000(\\d+)\ue001")
_TAG_RE = re.compile(r"{{.*?}}|{%.*?%}", re.DOTALL)


# ---- narrative → paragraphs ---------------------------------------------------------------


def heading_level(number: str, depth: int) -> int:
    """The heading level a section number prints at (一、 1; （一） 2; 1. 3; （1） 4)."""
    text = number.strip()
    for level, pattern in _LEVELS:
        if pattern.match(text + " "):
            return level
    return min(max(depth, 1), 4)


def classify(line: str) -> dict[str, Any]:
    """One narrative line as a paragraph of the template.

    ``级别`` 1–4: the whole line is a heading (一、 / （一） / 1. / （1））; 0: body text,
    whose numbered lead-in (``（一）项目决策情况。``) is split off into ``引题`` with its
    level in ``引题级别`` so that the template prints it in the heading's font.
    """
    text = line.strip()
    for level, pattern in _LEVELS:
        m = pattern.match(text)
        if not m:
            continue
        end = _LEAD_END.search(text, m.end())
        if end is not None and end.start() - m.end() <= HEAD_MAX:
            lead, rest = text[: end.end()], text[end.end():]
            if rest.strip():
                return {"级别": 0, "引题级别": level, "引题": lead, "文字": rest}
            return {"级别": level, "引题级别": 0, "引题": "", "文字": text}
        if len(text) - m.end() <= HEAD_MAX:
            return {"级别": level, "引题级别": 0, "引题": "", "文字": text}
        break
    return {"级别": 0, "引题级别": 0, "引题": "", "文字": text}


def narrative_paragraphs(text: str) -> list[dict[str, Any]]:
    """A section's text, one paragraph per non-empty line."""
    return [classify(line) for line in text.splitlines() if line.strip()]


# ---- context ------------------------------------------------------------------------------


def _section_of(part: FormPart) -> str | None:
    return part.section or None


def annex_title(part: FormPart, project_name: str = "") -> str:
    """The title printed on the 附件 page: the form's title line, else 项目名称 + name."""
    for line in part.grid.title_lines:
        if line.role == "title" and line.text.strip():
            return line.text.strip()
    return f"{project_name}{part.title}"


def is_inline(part: FormPart) -> bool:
    return not part.key.startswith("附件") or _section_of(part) is not None


@dataclass
class Context:
    data: dict[str, Any]
    inline: list[FormPart]  # in marker order: _MARK.format(i) ↔ inline[i]
    annexes: list[FormPart]
    warnings: list[str]


@dataclass
class _Body:
    """The 正文 and 摘要 as paragraphs: each section's narrative filled with the live values,
    and the inline tables placed (a marker paragraph each, :data:`_MARK`)."""

    report: Report
    values: dict[str, str]
    inline: list[FormPart]
    body: list[dict[str, Any]] = field(default_factory=list)
    summary: list[dict[str, Any]] = field(default_factory=list)
    by_section: dict[str, dict[str, Any]] = field(default_factory=dict)
    placed: set[int] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)

    def table_at(self, line: str) -> int | None:
        """The inline table a narrative line ``{{ 键 }}`` / ``{{ 标题 }}`` places."""
        m = re.fullmatch(r"[{｛]\s*[{｛]\s*(.*?)\s*[}｝]\s*[}｝]", line)
        if m is None:
            return None
        for i, part in enumerate(self.inline):
            if m.group(1) in (part.key, part.title):
                return i
        return None

    def paragraphs(self, label: str, raw: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for line in raw.splitlines():
            stripped = line.strip()
            if not stripped:
                continue
            table = self.table_at(stripped)
            if table is not None:
                self.placed.add(table)
                out.append(_mark(table))
                continue
            filled = fill(stripped, self.values)
            for name in filled.unknown:
                self.warnings.append(
                    f"“{label}”中的占位符 {{{{ {name} }}}} 不认识，已原样印出。"
                    f"可用：{'、'.join(self.values)}。"
                )
            out.append(classify(filled.text))
        return out

    def walk(self, sections: list[Section], depth: int) -> None:
        for s in sections:
            text = s.written(self.report.sections.get(s.id))  # never the 填写说明
            if depth == 1 and s.is_summary:
                self.summary.extend(self.paragraphs(s.title, text))
                self.walk(s.children, depth + 1)
                continue
            entry = {
                "id": s.id,
                "编号": s.number,
                "名称": s.title,
                "标题": s.heading,
                "级别": heading_level(s.number, depth),
                "段落": self.paragraphs(s.heading, text),
            }
            self.body.append(entry)
            self.by_section[s.id] = entry
            self.walk(s.children, depth + 1)

    def place_tables(self) -> None:
        """Each inline table no narrative line placed: after its section's heading, else
        at the end of the 正文."""
        for i, part in enumerate(self.inline):
            if i in self.placed:
                continue
            target = self.by_section.get(_section_of(part) or "")
            if target is not None:
                target["段落"].insert(0, _mark(i))
            elif self.body:
                self.body[-1]["段落"].append(_mark(i))
            else:
                self.summary.append(_mark(i))


def _mark(i: int) -> dict[str, Any]:
    return {"级别": 0, "引题级别": 0, "引题": "", "文字": _MARK.format(i)}


def build_context(
    report: Report, manifest: Manifest, sheet: ScoreSheet, parts: Sequence[FormPart] = ()
) -> Context:
    """Everything report.docx can name (the vocabulary's names of use 正文模板), with the
    narrative filled with live values."""
    values = live_values(report, manifest, sheet)
    inline = [p for p in parts if is_inline(p)]
    annexes = [p for p in parts if not is_inline(p)]
    body = _Body(report, values, inline)
    body.walk(manifest.outline, 1)
    body.place_tables()
    name = report.project.name
    data: dict[str, Any] = {
        **values,
        **header_texts(report, manifest),
        "正文": body.body,
        "摘要": body.summary,
        "附件列表": [
            {"标识": p.key, "序号": str(i), "名称": annex_title(p, name)}
            for i, p in enumerate((a for a in annexes if not a.first), start=1)
        ],
        "一级指标": [
            {"名称": lv.name, "分值": values.get(f"{lv.name}分值", ""),
             "得分": values.get(f"{lv.name}得分", ""),
             "得分率": values.get(f"{lv.name}得分率", "")}
            for lv in sheet.levels
        ],
    }
    return Context(data, inline, annexes, body.warnings)


# ---- the template -------------------------------------------------------------------------


def _shown(path: Path) -> str:
    """The template's path as the clerk should read it (relative to the bundle if inside)."""
    for base in (paths.bundle_root(),):
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return str(path)


def template_file(template: Template) -> Path:
    """``report.docx`` of the template's folder; a user folder without one falls back to
    the built-in template of the same id, then of the same family."""
    own = template.folder / REPORT_DOCX
    if own.is_file():
        return own
    same_id = paths.builtin_templates_dir() / template.id / REPORT_DOCX
    if same_id.is_file():
        return same_id
    family = builtin_folder(template.manifest)
    if family is not None and (family / REPORT_DOCX).is_file():
        return family / REPORT_DOCX
    raise TemplateError(
        f"模板文件夹 {template.folder} 中没有 {REPORT_DOCX}（报告的 Word 模板）。"
        f"请从内置模板复制一份 {REPORT_DOCX} 到该文件夹后重试。"
    )


def _environment() -> ImmutableSandboxedEnvironment:
    """The sandbox of the 正文 template, with the budgets of sandbox.py."""
    return BudgetedSandbox(undefined=StrictUndefined, autoescape=True)


def _template_xmls(tpl: Any) -> list[str]:
    """Body, headers and footers as docxtpl hands them to Jinja (one paragraph a line)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    xmls = [tpl.patch_xml(tpl.get_xml())]
    for rel in tpl.docx.part.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external:
            xmls.append(tpl.patch_xml(tpl.xml_to_string(rel.target_part.element)))
    return [re.sub(r"<w:p([ >])", r"\n<w:p\1", x) for x in xmls]


def _tags_of(text: str) -> list[str]:
    tags = []
    for m in _TAG_RE.finditer(text):
        tag = re.sub(r"<[^>]+>", "", m.group(0))
        tags.append(re.sub(r"^([{][{%])([a-z]{1,2}) ", r"\1 ", tag))
    return tags


def _template_tags(xmls: list[str]) -> list[str]:
    """The Jinja tags of the document, as the clerk typed them."""
    return [tag for source in xmls for tag in _tags_of(source)]


def _walk_names(node: Any, bound: frozenset[str], lines: list[str], skip: set[str],
                found: dict[str, str]) -> None:
    from jinja2 import nodes

    if isinstance(node, nodes.For):
        _walk_names(node.iter, bound, lines, skip, found)
        inner = bound | {n.name for n in node.target.find_all(nodes.Name)} | {"loop"}
        if isinstance(node.target, nodes.Name):
            inner = inner | {node.target.name}
        for child in [*node.body, *node.else_]:
            _walk_names(child, inner, lines, skip, found)
        if node.test is not None:
            _walk_names(node.test, inner, lines, skip, found)
        return
    if (isinstance(node, nodes.Name) and node.ctx == "load" and node.name not in bound
            and node.name not in found and node.name not in skip):
        line = lines[node.lineno - 1] if 0 < node.lineno <= len(lines) else ""
        found[node.name] = _find_tag(_tags_of(line), node.name)
    for child in node.iter_child_nodes():
        _walk_names(child, bound, lines, skip, found)


def _unbound_names(env: Any, xmls: list[str]) -> dict[str, str]:
    """{name: the tag it is first used in} for every name not bound by a loop or set."""
    from jinja2 import nodes

    found: dict[str, str] = {}
    for source in xmls:
        try:
            tree = env.parse(source)
        except TemplateSyntaxError:
            continue  # reported with its context when rendering
        assigned = {n.name for a in tree.find_all(nodes.Assign)
                    for n in a.target.find_all(nodes.Name)}
        _walk_names(tree, frozenset(), source.splitlines(), assigned, found)
    return found


def _find_tag(tags: Iterable[str], word: str) -> str:
    """The tag that names ``word``, a printing ``{{ }}`` tag preferred."""
    pattern = re.compile(rf"(?<![\w]){re.escape(word)}(?![\w])")
    found = [t for t in tags if pattern.search(t)]
    found.sort(key=lambda t: not t.startswith("{{"))
    return found[0] if found else f"{{{{ {word} }}}}"


_LEVEL_SUFFIXES = ("得分率", "得分", "分值")


def _available(context: dict[str, Any]) -> str:
    """The placeholders a template can use, first-level ones summarised."""
    names = [k for k in context if k.isidentifier() and not k.endswith(_LEVEL_SUFFIXES)]
    levels = [k for k in context if k.endswith("得分") and k != "总分"]
    text = "、".join(names)
    if levels:
        text += f"，以及各一级指标的得分、分值、得分率（如 {levels[0]}、{levels[0]}率）"
    return text


def _unknown_message(shown: str, tag: str, name: str, context: dict[str, Any]) -> str:
    import difflib  # (a template's mistake only: not imported by every export)

    close = difflib.get_close_matches(name, [k for k in context if k.isidentifier()], n=3,
                                      cutoff=0.5)
    hint = f"是否应为：{'、'.join(close)}？" if close else ""
    what = "" if tag.replace(" ", "") == f"{{{{{name}}}}}" else f"（“{name}”）"
    return (f"模板 {shown} 中的占位符 {tag} 不存在{what}。{hint}"
            f"可用：{_available(context)}。请在 Word 中改正该占位符后重试。")


_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_PROPERTY_MAX = 255  # characters: Word's limit on a core property (python-docx enforces it)


def _render_properties(tpl: Any, context: dict[str, Any], jinja_env: Any) -> None:
    """docxtpl's render_properties, each property cut to Word's 255 characters (a long
    project name in {{ 报告标题 }} would fail the export) and free of control characters."""
    props = tpl.docx.core_properties
    for prop in _PROPERTIES:
        rendered = jinja_env.from_string(getattr(props, prop) or "").render(context)
        setattr(props, prop, clean_text(rendered)[:_PROPERTY_MAX])


def _open_template(path: Path, shown: str) -> Any:
    """The docxtpl ``DocxTemplate`` of ``path``, checked before opening."""
    from docxtpl import DocxTemplate

    check_package(path, shown)  # no zip bomb, entity or outside link: before opening
    try:
        tpl = DocxTemplate(str(path))
        tpl.init_docx()
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as exc:
        raise TemplateError(
            f"无法打开模板 {shown}：它不是有效的 Word 文档（.docx）。"
            "请在 Word 或 WPS 中另存为 .docx 格式后重试。"
        ) from exc
    return tpl


def _refuse_unknown(env: Any, xmls: list[str], context: dict[str, Any], shown: str) -> None:
    """Every unknown name at once, before rendering, with the tag it is used in."""
    unbound = _unbound_names(env, xmls)
    unknown = [n for n in unbound if n not in context and n not in env.globals]
    if unknown:
        first = unknown[0]
        message = _unknown_message(shown, unbound[first], first, context)
        if len(unknown) > 1:
            others = "、".join(unbound[n] for n in unknown[1:])
            message += f"另有不存在的占位符：{others}。"
        raise TemplateError(message)


def _render_error(exc: Exception, shown: str, tags: list[str],
                  context: dict[str, Any]) -> TemplateError:
    """A rendering failure as the Chinese message naming the file and the placeholder."""
    if isinstance(exc, BudgetExceeded):
        return TemplateError(f"模板 {shown} 无法填写：{exc}。请简化其中的占位符或循环后重试。")
    if isinstance(exc, SecurityError):
        m = re.search(r"attribute '([^']+)'", str(exc))
        word = m.group(1) if m else ""
        tag = _find_tag(tags, word) if word else ""
        return TemplateError(
            f"模板 {shown} 中的占位符 {tag} 试图访问程序内部（{word or exc}），"
            "为安全起见不允许。请删除该占位符，只使用这些占位符："
            f"{_available(context)}。"
        )
    if isinstance(exc, UndefinedError):
        text = str(exc)
        m = re.search(r"has no attribute '([^']+)'", text) or re.search(r"'([^']+)' is undefined",
                                                                     text)
        name = m.group(1) if m else text
        return TemplateError(_unknown_message(shown, _find_tag(tags, name), name, context))
    if isinstance(exc, TemplateSyntaxError):
        near = " ".join(t.strip() for t in getattr(exc, "docx_context", []) if t.strip())
        return TemplateError(
            f"模板 {shown} 中的指令有语法错误（{exc.message}），附近的文字：“{near[:120]}”。"
            "请检查 {% %} 与 {{ }} 是否成对、for/if 是否都有 endfor/endif；"
            "在 Word 中编辑过的指令最好整段删除后重新输入。"
        )
    return TemplateError(f"模板 {shown} 无法生成报告：{exc}。请检查模板中的占位符。")


def render_template(path: Path, context: dict[str, Any]) -> Any:
    """Render ``path`` with ``context``; return the docxtpl ``DocxTemplate`` (rendered).

    Every problem of the template raises :class:`TemplateError` with a Chinese message
    naming the file and the placeholder.
    """
    shown = _shown(path)
    tpl = _open_template(path, shown)
    env = _environment()
    xmls = _template_xmls(tpl)
    tags = _template_tags(xmls)
    _refuse_unknown(env, xmls, context, shown)
    tpl.render_properties = partial(_render_properties, tpl)
    try:
        with deadline():
            tpl.render(context, env)
    except (BudgetExceeded, JinjaTemplateError) as exc:
        raise _render_error(exc, shown, tags, context) from exc
    return tpl


# ---- after rendering: TOC, inline tables, 附件 ------------------------------------------


def _style(doc: Any, name: str) -> Any | None:
    try:
        return doc.styles[name]
    except KeyError:
        return None


def _body_paragraph(doc: Any, style: str) -> Any:
    p = doc.add_paragraph()
    st = _style(doc, style)
    if st is not None:
        p.style = st
    return p


def _line_paragraph(doc: Any, line: Line, style: str, width: int) -> Any:
    p = _body_paragraph(doc, style)
    parts = line.parts or [""]
    if style == paper.TABLE_NOTE_STYLE:
        p.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                       "right": WD_ALIGN_PARAGRAPH.RIGHT}[line.align]
    if len(parts) > 1:
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT
        step = width // len(parts)
        for i in range(1, len(parts)):
            p.paragraph_format.tab_stops.add_tab_stop(Emu(step * i), WD_TAB_ALIGNMENT.LEFT)
    run = p.add_run("\t".join(parts))
    if style == paper.TABLE_NOTE_STYLE and line.size and line.size != 12.0:
        run.font.size = Pt(line.size)
    if line.bold:
        run.font.bold = True
    return p


_ANNEX_LABEL = re.compile(r"^附件\s*\d*\s*[:：]?$")


def _grid_lines(grid: Grid) -> tuple[list[Line], list[Line]]:
    """(title lines, other lines above the table), without a printed ``附件N`` label."""
    titles: list[Line] = []
    others: list[Line] = []
    for line in grid.title_lines:
        if _ANNEX_LABEL.match(line.text.strip()):
            continue
        (titles if line.role == "title" else others).append(line)
    return titles, others


def _move_section_break(doc: Any) -> None:
    """``add_section`` ends the previous section with a new empty paragraph; fold its
    ``sectPr`` into the paragraph before it, so no empty line can spill onto a page."""
    body = doc.element.body
    holder = body.findall(qn("w:p"))[-1]
    prev = holder.getprevious()
    sectpr = holder.find(qn("w:pPr")).find(qn("w:sectPr"))
    if prev is not None and prev.tag == qn("w:p"):
        ppr = prev.get_or_add_pPr()
        if ppr.find(qn("w:sectPr")) is None:
            ppr.append(sectpr)
            body.remove(holder)
            return
    # after a table: keep the holder, as small as Word allows
    holder_ppr = holder.get_or_add_pPr()
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:line"), "20")
    spacing.set(qn("w:lineRule"), "exact")
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0")
    holder_ppr.insert(0, spacing)


def _new_section(doc: Any, orientation: paper.Orientation) -> Any:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _move_section_break(doc)
    paper.setup_page(section, orientation)
    paper.no_doc_grid(section)  # the body's 22 × 28 grid is for text, not for forms
    paper.set_page_number_start(section, None)  # continue through the 附件
    section.different_first_page_header_footer = False
    section.header.is_linked_to_previous = True
    section.even_page_header.is_linked_to_previous = True
    previous = doc.sections[-2]
    # GB/T 9704 §10.2: a landscape page's number on the edge the sheet's foot is on
    if orientation == "landscape":
        paper.landscape_page_number_footers(section, doc)
    elif previous.orientation == WD_ORIENT.LANDSCAPE:
        paper.page_number_footers(section, doc)
    else:
        section.footer.is_linked_to_previous = True
        section.even_page_footer.is_linked_to_previous = True
    return section


def _append_annex(doc: Any, part: FormPart) -> None:
    grid = part.grid
    section = _new_section(doc, grid.orientation)
    width = paper.text_width(section)
    label = _body_paragraph(doc, paper.LABEL_STYLE)
    label.add_run(part.key)
    titles, others = _grid_lines(grid)
    for line in titles or [Line([annex_title(part)], role="title")]:
        p = _body_paragraph(doc, paper.ANNEX_TITLE_STYLE)
        p.add_run(line.text)
    for line in others:
        _line_paragraph(doc, line, paper.TABLE_NOTE_STYLE, width)
    height = (section.page_height - section.top_margin - section.bottom_margin) / 12700
    # the lines under the form (signatures, 注) as the table's last, borderless row: a page
    # never holds them alone (LibreOffice ignores keep-with-next from a table's last row)
    write_table(doc, grid, width, cell_style=paper.TABLE_TEXT_STYLE, page_height_pt=height,
                footer_rows=True, footer_style=paper.TABLE_NOTE_STYLE)


def _added(doc: Any, write: Callable[[], object]) -> list[Any]:
    """The body elements ``write`` appends, in order (a table split for its repeated
    headings is two tables and a paragraph)."""
    body = doc.element.body
    before = set(body.iterchildren())
    write()
    return [el for el in body.iterchildren() if el not in before and el.tag != qn("w:sectPr")]


def _prepend_annex(doc: Any, part: FormPart) -> None:
    """Print ``part`` at the very start, on pages of its own, before the 正文 (云南)."""
    body = doc.element.body
    first = next((el for el in body.iterchildren()
                  if el.tag in (qn("w:p"), qn("w:tbl"))), None)
    section = doc.sections[0]
    width = paper.text_width(section)
    height = (section.page_height - section.top_margin - section.bottom_margin) / 12700
    if part.grid.margins_mm is not None:
        top, bottom, left, right = part.grid.margins_mm
        width = int(Mm(paper.A4_SHORT_MM - left - right))
        height = (paper.A4_LONG_MM - top - bottom) / 25.4 * 72

    def write() -> None:
        label = _body_paragraph(doc, paper.LABEL_STYLE)
        label.add_run(part.key + "：")
        titles, others = _grid_lines(part.grid)
        for line in titles or [Line([annex_title(part)], role="title")]:
            title = _body_paragraph(doc, paper.ANNEX_TITLE_STYLE)
            run = title.add_run(line.text)
            if part.grid.margins_mm is not None:  # one page: the form's title size, no
                run.font.size = Pt(line.size)     # blank line above it
                title.paragraph_format.space_before = Pt(0)
                title.paragraph_format.line_spacing = Pt(line.size * 1.4)
        for line in others:
            _line_paragraph(doc, line, paper.TABLE_NOTE_STYLE, width)
        write_table(doc, part.grid, width, cell_style=paper.TABLE_TEXT_STYLE,
                    page_height_pt=height, footer_rows=True, footer_style=paper.TABLE_NOTE_STYLE)

    added = _added(doc, write)
    if first is None:
        return
    for el in added:
        first.addprevious(el)
    if part.grid.margins_mm is not None:  # a form on one page: a section with its margins
        first.addprevious(_form_section_end(section, part.grid.margins_mm))
    elif first.tag == qn("w:p"):  # the 正文 starts on a page of its own
        Paragraph(first, doc).paragraph_format.page_break_before = True


def _form_section_end(section: Any, margins_mm: tuple[float, float, float, float]) -> Any:
    """The paragraph ending a section of ``section``'s page and page numbers with the
    form's own margins and no document grid (the next section starts a new page)."""
    end = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    spacing = OxmlElement("w:spacing")  # as small as Word allows: nothing to print
    for attr, value in (("before", "0"), ("after", "0"), ("line", "20"), ("lineRule", "exact")):
        spacing.set(qn(f"w:{attr}"), value)
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.append(snap)
    ppr.append(spacing)
    sectpr = copy.deepcopy(section_xml(section))
    ppr.append(sectpr)
    end.append(ppr)
    from docx.section import Section

    form = Section(sectpr, document_part(section))
    form.top_margin, form.bottom_margin, form.left_margin, form.right_margin = (
        Mm(m) for m in margins_mm)
    form.footer_distance = Mm(max(margins_mm[1] - 10, 5))  # the number inside the margin
    paper.no_doc_grid(form)
    return end


def _place_inline(doc: Any, marker: Any, part: FormPart) -> None:
    """Replace the marker paragraph by the part's title lines and table (body width)."""
    width = int(Mm(paper.A4_SHORT_MM - paper.MARGIN_LEFT_MM - paper.MARGIN_RIGHT_MM))
    grid = part.grid
    elements: list[Any] = []
    titles, others = _grid_lines(grid)
    for line in titles:
        p = _body_paragraph(doc, paper.TABLE_TITLE_STYLE)
        p.add_run(line.text)
        elements.append(xml(p))
    for line in others:
        elements.append(xml(_line_paragraph(doc, line, paper.TABLE_NOTE_STYLE, width)))
    height = (paper.A4_LONG_MM - paper.MARGIN_TOP_MM - paper.MARGIN_BOTTOM_MM) / 25.4 * 72
    elements += _added(doc, lambda: write_table(doc, grid, width, page_height_pt=height,
                                                cell_style=paper.TABLE_TEXT_STYLE))
    for line in grid.footer_lines:
        elements.append(xml(_line_paragraph(doc, line, paper.TABLE_NOTE_STYLE, width)))
    gap = _body_paragraph(doc, paper.TABLE_NOTE_STYLE)  # a little air before the text
    gap.paragraph_format.line_spacing = Pt(8)
    gap.paragraph_format.space_after = Pt(0)
    gap.paragraph_format.keep_with_next = False
    elements.append(xml(gap))
    anchor = marker
    for el in elements:
        anchor.addnext(el)
        anchor = el
    marker.getparent().remove(marker)


def _inline_tables(doc: Any, inline: list[FormPart]) -> None:
    body = doc.element.body
    markers: dict[int, Any] = {}
    for p in body.iter(qn("w:p")):
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        m = _MARK_RE.search(text)
        if m:
            markers[int(m.group(1))] = p
    for i, part in enumerate(inline):
        marker = markers.get(i)
        if marker is None:  # the template prints no body paragraphs: end of the document
            marker = xml(_body_paragraph(doc, paper.BODY_STYLE))
        _place_inline(doc, marker, part)


# ---- table of contents ---------------------------------------------------------------------


def _toc_field(body: Any) -> tuple[Any, Any] | None:
    """(first, last) paragraph of the TOC field in the body, if the template has one."""
    paragraphs = list(body.iter(qn("w:p")))
    for i, p in enumerate(paragraphs):
        instr = "".join(t.text or "" for t in p.iter(qn("w:instrText")))
        if instr.strip().startswith("TOC"):
            depth = 0
            for q in paragraphs[i:]:
                for fc in q.iter(qn("w:fldChar")):
                    kind = fc.get(qn("w:fldCharType"))
                    depth += 1 if kind == "begin" else -1 if kind == "end" else 0
                if depth <= 0:
                    return p, q
            return p, paragraphs[-1]
    return None


def _em_width(text: str) -> float:
    """Width of ``text`` in ems: CJK characters 1, Latin letters and digits ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.5 for ch in text)


def _style_id(p: Any) -> str:
    pstyle = p.find(qn("w:pPr") + "/" + qn("w:pStyle"))
    return str(pstyle.get(qn("w:val"))) if pstyle is not None else ""


def _row_lines(tbl: Any) -> list[float]:
    """Estimated height of each table row, in body lines (28.9 pt)."""
    out: list[float] = []
    for tr in tbl.iterchildren(qn("w:tr")):
        height = 0.0
        trh = tr.find(qn("w:trPr") + "/" + qn("w:trHeight"))
        if trh is not None and (trh.get(qn("w:val")) or "").isdigit():
            height = int(trh.get(qn("w:val"))) / 20
        for tc in tr.iterchildren(qn("w:tc")):
            tcw = tc.find(qn("w:tcPr") + "/" + qn("w:tcW"))
            width = int(tcw.get(qn("w:w")) or 0) / 20 if tcw is not None else 0.0
            size = paper.TABLE_PT
            lines = 0
            for p in tc.iterchildren(qn("w:p")):
                text = "".join(t.text or "" for t in p.iter(qn("w:t")))
                per = max((width - 7) / size, 1.0)
                lines += max(1, math.ceil(_em_width(text) / per))
            height = max(height, lines * size * 1.25 + 3)
        out.append(height / paper.LINE_PT)
    return out


def _next_section_start(paragraph: Any) -> int | None:
    """The first page number of the section after the one ``paragraph`` ends, if it
    restarts numbering."""
    el = paragraph.getnext()
    while el is not None:
        sectpr = el.find(qn("w:pPr") + "/" + qn("w:sectPr")) if el.tag == qn("w:p") else (
            el if el.tag == qn("w:sectPr") else None)
        if sectpr is not None:
            pg = sectpr.find(qn("w:pgNumType"))
            start = pg.get(qn("w:start")) if pg is not None else None
            return int(start) if start and start.isdigit() else None
        el = el.getnext()
    return None


def _estimate_pages(start: Any, headings: list[Any]) -> list[int]:
    """Page of each heading, counting lines of the 156 mm type area from ``start``.

    This is only the cached result shown until the fields are updated: Word updates the
    TOC when the document opens (``w:updateFields``) or on 更新域."""
    # whole characters a line holds (punctuation is never carried to a line's start)
    per_line = math.floor((paper.A4_SHORT_MM - paper.MARGIN_LEFT_MM - paper.MARGIN_RIGHT_MM)
                          / (paper.BODY_PT * 25.4 / 72))
    per_page = int((paper.A4_LONG_MM - paper.MARGIN_TOP_MM - paper.MARGIN_BOTTOM_MM)
                   / (paper.LINE_PT * 25.4 / 72))
    pages: list[int] = []
    line = 0
    wanted = {id(h) for h in headings}
    el = start
    while el is not None and len(pages) < len(headings):
        if el.tag == qn("w:p"):
            ppr = el.find(qn("w:pPr"))
            style = _style_id(el)
            text = "".join(t.text or "" for t in el.iter(qn("w:t")))
            if style in ("PageTitle",) and line % per_page:  # starts a page
                line += per_page - line % per_page
            if style.startswith("Heading"):
                # headings are kept with what follows: a chain of them and two lines of
                # text move to the next page together
                chain, nxt = 1, el.getnext()
                while nxt is not None and nxt.tag == qn("w:p") and _style_id(nxt).startswith(
                        "Heading"):
                    chain, nxt = chain + 1, nxt.getnext()
                room = per_page - line % per_page
                if room < chain + 2 and line % per_page:
                    line += room
            if id(el) in wanted:
                pages.append(line // per_page + 1)
            if style in ("ReportTitle", "AnnexTitle", "PageTitle"):
                line += 2 * max(1, math.ceil(_em_width(text) * 22 / 16 / per_line)) + 1
            elif text:
                line += max(1, math.ceil((_em_width(text) + 2) / per_line))
            sectpr = ppr.find(qn("w:sectPr")) if ppr is not None else None
            if sectpr is not None:  # a section ends: the next starts a page, maybe at 1
                start_at = _next_section_start(el)
                if start_at is not None:
                    line = (start_at - 1) * per_page
                elif line % per_page:
                    line += per_page - line % per_page
        elif el.tag == qn("w:tbl"):
            rows = _row_lines(el)
            total = sum(rows)
            room = per_page - line % per_page
            kept = el.find(".//" + qn("w:keepNext")) is not None
            if kept and room < total <= per_page:  # kept together: starts a new page
                line += room
            line += math.ceil(total)
        el = el.getnext()
    return pages + [pages[-1] if pages else 1] * (len(headings) - len(pages))


def _toc_headings(last: Any, instr: str) -> list[Any]:
    """The headings after the TOC, at the outline levels the field asks for (\\o "1-N")."""
    m = re.search(r'\\o\s+"(\d)-(\d)"', instr)
    top = int(m.group(2)) if m else 1
    names = {f"Heading{i}" for i in range(1, top + 1)}
    headings: list[Any] = []
    el = last.getnext()
    while el is not None:
        if el.tag == qn("w:p"):
            ppr = el.find(qn("w:pPr"))
            pstyle = ppr.find(qn("w:pStyle")) if ppr is not None else None
            if pstyle is not None and pstyle.get(qn("w:val")) in names:
                headings.append(el)
        el = el.getnext()
    return headings


def _bookmark(heading: Any, n: int) -> str:
    """Bookmark ``heading`` as ``_Toc…`` (the target of its entry's PAGEREF)."""
    name = f"_Toc{900000 + n}"
    bm_start = OxmlElement("w:bookmarkStart")
    bm_start.set(qn("w:id"), str(900000 + n))
    bm_start.set(qn("w:name"), name)
    bm_end = OxmlElement("w:bookmarkEnd")
    bm_end.set(qn("w:id"), str(900000 + n))
    ppr = heading.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(bm_start)
    else:
        heading.insert(0, bm_start)
    heading.append(bm_end)
    return name


def _field_char(para: Paragraph, kind: str, instr: str = "") -> None:
    r = xml(para.add_run())
    if kind == "instr":
        it = OxmlElement("w:instrText")
        it.set(qn("xml:space"), "preserve")
        it.text = f" {instr} "
        r.append(it)
    else:
        fc = OxmlElement("w:fldChar")
        fc.set(qn("w:fldCharType"), kind)
        r.append(fc)


def _toc_entries(doc: Any, first: Any, instr: str, headings: list[Any],
                 pages: list[int]) -> list[Any]:
    """One entry per heading, in the look of the template's first entry: text, tab,
    ``PAGEREF`` page; the TOC field starts in the first entry and ends in the last."""
    built: list[Any] = []
    for n, (h, page) in enumerate(zip(headings, pages, strict=True)):
        name = _bookmark(h, n)
        text = "".join(t.text or "" for t in h.iter(qn("w:t")))
        p_el = copy.deepcopy(first)
        for child in list(p_el):
            if child.tag != qn("w:pPr"):
                p_el.remove(child)
        para = Paragraph(p_el, doc)
        if n == 0:
            for kind in ("begin", "instr", "separate"):
                _field_char(para, kind, instr)
        para.add_run(text)
        para.add_run("\t")
        paper.add_field(para, f"PAGEREF {name} \\h", str(page))
        if n == len(headings) - 1:
            _field_char(para, "end")
        built.append(p_el)
    return built


def _replace_toc(body: Any, first: Any, last: Any, built: list[Any]) -> None:
    """The template's placeholder entries (first … last) replaced by ``built``; a section
    break in them is kept."""
    old: list[Any] = []
    cur = first
    while cur is not None:
        old.append(cur)
        if cur is last:
            break
        cur = cur.getnext()
    for el in built:
        first.addprevious(el)
    for el in old:
        ppr = el.find(qn("w:pPr"))
        sectpr = ppr.find(qn("w:sectPr")) if ppr is not None else None
        if sectpr is not None:
            built[-1].get_or_add_pPr().append(sectpr)
        body.remove(el)


def _fill_toc(doc: Any) -> None:
    body = doc.element.body
    found = _toc_field(body)
    if found is None:
        return
    first, last = found
    instr = "".join(t.text or "" for t in first.iter(qn("w:instrText"))).strip()
    headings = _toc_headings(last, instr)
    if not headings:
        return
    # the page the 正文 starts on is page 1: numbering restarts after the TOC's section
    pages = _estimate_pages(last.getnext(), headings)
    _replace_toc(body, first, last, _toc_entries(doc, first, instr, headings, pages))
    _update_fields_on_open(doc)


def _update_fields_on_open(doc: Any) -> None:
    settings = doc.settings.element
    el = settings.find(qn("w:updateFields"))
    if el is None:
        el = OxmlElement("w:updateFields")
        # schema order: w:updateFields comes right before these (CT_Settings)
        for tag in ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat",
                    "w:docVars", "w:rsids", "m:mathPr", "w:themeFontLang",
                    "w:clrSchemeMapping", "w:decimalSymbol", "w:listSeparator"):
            anchor = settings.find(qn(tag))
            if anchor is not None:
                anchor.addprevious(el)
                break
        else:
            settings.append(el)
    el.set(qn("w:val"), "true")


# ---- the writer -----------------------------------------------------------------------------


TITLE_STYLES = (paper.TITLE_STYLE, paper.COVER_TITLE_STYLE, paper.COVER_SUBTITLE_STYLE,
                paper.ANNEX_TITLE_STYLE, paper.PAGE_TITLE_STYLE)


class _Styles:
    """Each body paragraph's style (``Paragraph.style``), found once per style id for one
    pass over the document: python-docx searches the styles part on every access, which
    was most of the time of these passes.  The same style, so the same XML."""

    def __init__(self, doc: Any) -> None:
        self._part = doc.part
        self._by_id: dict[str | None, Any] = {}
        self._breaks: dict[str | None, bool] = {}

    def of(self, p: Any) -> Any:
        """``p.style``: the paragraph's style, the default one when it names none."""
        sid = xml(p).style
        if sid not in self._by_id:
            self._by_id[sid] = self._part.get_style(sid, WD_STYLE_TYPE.PARAGRAPH)
        return self._by_id[sid]

    def name(self, p: Any) -> str | None:
        style = self.of(p)
        return None if style is None else str(style.name)

    def breaks_page(self, p: Any) -> bool:
        """The paragraph's style, or one it is based on, starts a new page."""
        sid = xml(p).style
        if sid not in self._breaks:
            style, found = self.of(p), False
            while style is not None and not found:
                found = bool(style.paragraph_format.page_break_before)
                style = style.base_style
            self._breaks[sid] = found
        return self._breaks[sid]


def _break_titles(doc: Any) -> None:
    """Each long title in lines broken between words (manual line breaks): before its
    document name, inside its project's name only where a word ends (:mod:`.titles`)."""
    width = paper.text_width(doc.sections[0]) / 12700
    styles = _Styles(doc)
    for p in doc.paragraphs:
        if styles.name(p) not in TITLE_STYLES or len(p.runs) != 1:
            continue
        style = styles.of(p)
        size = style.font.size.pt if style.font.size else paper.TITLE_PT
        breaks = title_breaks(p.text, width // size)
        if not breaks:
            continue
        run = p.runs[0]
        text = run.text
        run.text = text[: breaks[0]]
        for at, end in zip(breaks, [*breaks[1:], len(text)], strict=True):
            run.add_break()
            xml(run).append(copy.deepcopy(xml(run).find(qn("w:t"))))
            xml(run)[-1].text = text[at:end]


MIN_PAGE_LINES = 4  # a page before a page break holds at least this many lines


def _starts_page(p: Any, styles: _Styles) -> bool:
    """The paragraph starts a page: page break before, by itself or by its style."""
    return bool(p.paragraph_format.page_break_before) or styles.breaks_page(p)


def _breaks_page(el: Any) -> bool:
    """A body element after which the next one starts a page: a paragraph ending a
    section (every section of the report starts on a new page)."""
    ppr = el.find(qn("w:pPr")) if el.tag == qn("w:p") else None
    return ppr is not None and ppr.find(qn("w:sectPr")) is not None


def _printable(el: Any) -> bool:
    """A body element that prints something: a table, a paragraph with text or a drawing."""
    if el.tag == qn("w:tbl"):
        return True
    return el.tag == qn("w:p") and bool(
        "".join(t.text or "" for t in el.iter(qn("w:t"))).strip()
        or el.findall(".//" + qn("w:drawing")))


def _alone(doc: Any, el: Any, styles: _Styles) -> bool:
    """Nothing prints after the body element ``el`` before the next page starts."""
    nxt = el.getnext()
    while nxt is not None and nxt.tag in (qn("w:p"), qn("w:tbl")):
        if nxt.tag == qn("w:p") and _starts_page(Paragraph(nxt, doc), styles):
            return True
        if _printable(nxt):
            return False
        if _breaks_page(nxt):
            return True
        nxt = nxt.getnext()
    return True  # the document's end


def _no_lone_headings(doc: Any) -> None:
    """A title that starts a page (摘要, 目录 …) with nothing to print after it before the
    next page starts is not printed, nor its page: the 宿州 摘要 left as the template's
    guidance printed a page holding its heading only (the check C002 tells the clerk
    that the section is empty)."""
    body = doc.element.body
    styles = _Styles(doc)
    for p in list(doc.paragraphs):
        el = xml(p)
        if el.getparent() is body and p.text.strip() and _starts_page(p, styles) and not (
                _breaks_page(el)) and _alone(doc, el, styles):
            body.remove(el)


def _estimated_lines(p: Any) -> int:
    return max(1, -(-len(p.text) // paper.CHARS_PER_LINE))


def _lead_ins_with_next(doc: Any) -> None:
    """A one-line lead-in of the running text (“产出指标方面：”) stays with what it leads
    into: never stranded at a page's foot, as a heading is not."""
    styles = _Styles(doc)
    for p in doc.paragraphs:
        text = p.text.strip()
        if styles.name(p) == paper.BODY_STYLE and \
                text.endswith(("：", ":")) and len(text) <= paper.CHARS_PER_LINE - 2:
            p.paragraph_format.keep_with_next = True


def _no_short_pages(doc: Any) -> None:
    """No page of a few lines before a page break (the 摘要 running two lines over, the 正文
    starting on a new page): the last paragraphs before each break keep their lines
    together and with each other, at least MIN_PAGE_LINES of them, so that such a page
    takes whole paragraphs over with it (Word, WPS, LibreOffice and the in-app PDF)."""
    body = doc.element.body
    paragraphs = list(doc.paragraphs)
    styles = _Styles(doc)
    ends = [k for k, p in enumerate(paragraphs)
            if xml(p).find(qn("w:pPr")) is not None
            and xml(p).find(qn("w:pPr")).find(qn("w:sectPr")) is not None]
    ends += [k - 1 for k, p in enumerate(paragraphs) if k and _starts_page(p, styles)]
    for end in sorted(set(ends)):
        # nothing keeps with what the break puts on the next page: the 附件 list (kept with
        # next by its style) would leave its page for one of its own
        paragraphs[end].paragraph_format.keep_with_next = False
        k = end
        while k > 0 and not paragraphs[k].text.strip() and not xml(paragraphs[k]).findall(
                ".//" + qn("w:drawing")):
            k -= 1  # the empty paragraph holding the section break
        paragraphs[k].paragraph_format.keep_with_next = False
        lines, after = 0, None
        while k >= 0 and lines < MIN_PAGE_LINES:
            p = paragraphs[k]
            if styles.name(p) != paper.BODY_STYLE or not p.text.strip() or \
                    xml(p).getparent() is not body or (after is not None
                                                     and xml(p).getnext() is not after):
                break  # only the 正文's running text, up to a table, title or empty line
            p.paragraph_format.keep_together = True
            if after is not None:
                p.paragraph_format.keep_with_next = True
            lines += _estimated_lines(p)
            after, k = xml(p), k - 1


def write_report_docx(
    report: Report,
    template: Template,
    sheet: ScoreSheet,
    parts: list[FormPart],
    path: Path,
) -> list[str]:
    """Write the report (cover, 目录, 摘要, 正文 as report.docx lays them out) and ``parts``
    as its 附件 to ``path``.  Returns warnings for the clerk (unknown narrative
    placeholders, printed as typed); a broken template raises :class:`TemplateError`."""
    ctx = build_context(report, template.manifest, sheet, parts)
    tpl = render_template(template_file(template), ctx.data)
    doc = tpl.docx
    paper.no_hanging_punctuation(doc)  # a template's own styles too (a user's)
    _inline_tables(doc, ctx.inline)
    _break_titles(doc)
    _fill_toc(doc)
    for part in reversed([p for p in ctx.annexes if p.first]):
        _prepend_annex(doc, part)
    for part in ctx.annexes:
        if not part.first:
            _append_annex(doc, part)
    _lead_ins_with_next(doc)
    _no_lone_headings(doc)
    _no_short_pages(doc)  # (the 附件 sections' breaks too)
    glue_document(doc)  # last: the line estimates above count no joiners
    tpl.save(str(path))
    return ctx.warnings
