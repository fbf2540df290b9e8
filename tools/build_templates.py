"""Build the default Word templates in templates/docx/.

The templates are ordinary .docx files with docxtpl (Jinja2) tags typed into them: a council can
open them in Word, restyle, reword and move sections, and selfeval will still fill them. This
script is how *we* maintain the defaults reproducibly; users never need it.

    python tools/build_templates.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

OUT = Path(__file__).resolve().parents[1] / "templates" / "docx"
NAVY = RGBColor(0x1F, 0x3A, 0x5F)
BODY_FONT = "Arial"


# -- document scaffolding ---------------------------------------------------------------------

def new_document(landscape: bool = False) -> Document:
    doc = Document()
    _drop_thumbnail(doc)
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0 if not landscape else 1.5))
    section.top_margin = section.bottom_margin = Cm(2.0 if not landscape else 1.5)
    _styles(doc)
    return doc


def _drop_thumbnail(doc: Document) -> None:
    # python-docx's default template carries a thumbnail of *its* sample page; Word would show it.
    pkg = doc.part.package
    for rid, rel in list(pkg.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del pkg.rels[rid]


def _british_english(doc: Document) -> None:
    """The document's language is British English (screen readers pronounce by it; Word spell-checks by it)."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), "en-GB")
    lang.set(qn("w:eastAsia"), "en-GB")
    settings_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if settings_lang is not None:
        settings_lang.set(qn("w:val"), "en-GB")


def _styles(doc: Document) -> None:
    _british_english(doc)
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(11)
    _east_asian_font(normal, BODY_FONT)
    normal.paragraph_format.space_after = Pt(6)
    for name, size in (("Title", 26), ("Subtitle", 16), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11.5)):
        st = styles[name]
        st.font.name = BODY_FONT
        _east_asian_font(st, BODY_FONT)
        st.font.size = Pt(size)
        st.font.color.rgb = NAVY
        st.font.bold = name != "Subtitle"
        st.font.italic = False
        if name.startswith("Heading"):
            st.paragraph_format.space_before = Pt(14 if name == "Heading 1" else 10)
            st.paragraph_format.space_after = Pt(4)
            st.paragraph_format.keep_with_next = True
    styles["Heading 1"].paragraph_format.page_break_before = False
    for name in ("List Bullet", "List Number"):
        styles[name].font.name = BODY_FONT
    table_text = styles.add_style("Table Text", 1)
    table_text.base_style = normal
    table_text.font.size = Pt(9)
    table_text.paragraph_format.space_after = Pt(2)
    small = styles.add_style("Small Print", 1)
    small.base_style = normal
    small.font.size = Pt(8.5)
    small.font.color.rgb = RGBColor(0x40, 0x40, 0x40)
    small.paragraph_format.space_after = Pt(1)  # the sources list stays compact: no last page of it alone
    # Word's own contents styles (ids TOC1..TOC3): selfeval pre-fills the contents in them, and Word
    # restyles nothing when it refreshes the page numbers.
    for level in (1, 2, 3):
        toc = styles.add_style(f"toc {level}", 1)
        toc.style_id = f"TOC{level}"
        toc.base_style = normal
        toc.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        toc.paragraph_format.space_after = Pt(2)
    caption = styles["Caption"]
    caption.font.name = BODY_FONT
    caption.font.size = Pt(9)
    caption.font.color.rgb = RGBColor(0x40, 0x40, 0x40)


def _east_asian_font(style, name: str) -> None:
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)
    # Theme font attributes win over named fonts in Word, so drop them for a consistent typeface.
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]


def para(doc_or_cell, text: str = "", style: str | None = None, bold: bool = False, color: RGBColor | None = None,
         size: float | None = None, keep_with_next: bool = False):
    p = doc_or_cell.add_paragraph(style=style)
    if keep_with_next:
        # Labels and table introductions stay on the page of what they introduce.
        p.paragraph_format.keep_with_next = True
    if text:
        run = p.add_run(text)
        run.bold = bold or None
        if color is not None:
            run.font.color.rgb = color
        if size:
            run.font.size = Pt(size)
    return p


def page_break(doc: Document) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _field_runs(paragraph, instr: str, placeholder: str, dirty: bool = False) -> None:
    def run_with(child):
        r = OxmlElement("w:r")
        r.append(child)
        paragraph._p.append(r)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    if dirty:
        begin.set(qn("w:dirty"), "true")
    run_with(begin)
    instr_el = OxmlElement("w:instrText")
    instr_el.set(qn("xml:space"), "preserve")
    instr_el.text = f" {instr} "
    run_with(instr_el)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    t = OxmlElement("w:t")
    t.text = placeholder
    run_with(t)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def table_of_contents(doc: Document) -> None:
    para(doc, "Contents", style="TOC Heading" if "TOC Heading" in [s.name for s in doc.styles] else None, bold=True, color=NAVY, size=16)
    p = doc.add_paragraph()
    # selfeval fills the field's result with the document's headings (render.contents), so every viewer
    # lists them; Word refreshes it with page numbers on opening (dirty, and updateFields).
    _field_runs(p, 'TOC \\o "1-3" \\h \\z \\u', "Word fills in the table of contents when you open the document (or right-click here and choose Update Field).", dirty=True)


def footer(doc: Document, left: str) -> None:
    for section in doc.sections:
        f = section.footer.paragraphs[0]
        f.style = doc.styles["Small Print"]
        f.add_run(left + "\t\tPage ")
        _field_runs(f, "PAGE", "1")
        f.add_run(" of ")
        _field_runs(f, "NUMPAGES", "1")
        header = section.header.paragraphs[0]
        header.style = doc.styles["Small Print"]
        header.add_run("{{ marking }}").bold = True


def table(doc, headers: list[str], widths_cm: list[float], rows: list[list[str]], *, repeat_header: bool = True, keep_rows_whole: bool = True):
    """A grid table; ``rows`` are the template rows (tags included). The header row repeats on each page."""
    t = doc.add_table(rows=1, cols=len(headers))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for i, h in enumerate(headers):
        cell = t.rows[0].cells[i]
        cell.paragraphs[0].style = doc.styles["Table Text"]
        run = cell.paragraphs[0].add_run(h)
        run.bold = True
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    # Every table marks its header row, even a short one that never breaks across pages: screen
    # readers announce the headings with each cell (repeat_header is kept so callers still read as before).
    trpr = t.rows[0]._tr.get_or_add_trPr()
    # Word writes a bare <w:tblHeader/>; w:val="true" fails the Open XML schema.
    trpr.append(OxmlElement("w:tblHeader"))
    expanded: list[list[str]] = []
    for row in rows:
        # docxtpl removes the whole row that holds a {%tr %} tag, so the loop tag gets its own row.
        if row and row[0].startswith("{%tr for"):
            tag_end = row[0].index("%}") + 2
            expanded.append([row[0][:tag_end]] + [""] * (len(row) - 1))
            row = [row[0][tag_end:]] + row[1:]
        expanded.append(row)
    for row in expanded:
        new_row = t.add_row()
        if keep_rows_whole:
            # A short row (a KPI, a judgement) never breaks across pages. Tables whose rows can be
            # longer than a page (the plan, the framework view) must be allowed to break.
            new_row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        cells = new_row.cells
        for i, text in enumerate(row):
            lines = text.split("\n")
            cells[i].paragraphs[0].style = doc.styles["Table Text"]
            cells[i].paragraphs[0].add_run(lines[0])
            for extra in lines[1:]:
                cells[i].add_paragraph(extra, style=doc.styles["Table Text"])
    # LibreOffice and Word lay a table out from w:tblGrid, so set the grid as well as each cell.
    for i, w in enumerate(widths_cm):
        t.columns[i].width = Cm(w)
    for row in t.rows:
        for i, w in enumerate(widths_cm):
            row.cells[i].width = Cm(w)
    # Shading after widths: CT_TcPr wants w:tcW before w:shd.
    for cell in t.rows[0].cells:
        _shade(cell, "1F3A5F")
    _table_look(t)
    return t


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _table_look(t) -> None:
    tblpr = t._tbl.tblPr
    look = tblpr.find(qn("w:tblLook"))
    if look is not None:
        look.set(qn("w:firstRow"), "1")


def caption_and_description(t, caption: str, description: str) -> None:
    """Accessible table title/description (Word: Table Properties > Alt Text)."""
    tblpr = t._tbl.tblPr
    cap = OxmlElement("w:tblCaption")
    cap.set(qn("w:val"), caption)
    desc = OxmlElement("w:tblDescription")
    desc.set(qn("w:val"), description)
    # tblCaption/tblDescription come last in CT_TblPr.
    tblpr.append(cap)
    tblpr.append(desc)


# -- the three documents ---------------------------------------------------------------------------

KPI_HEADERS = ["Indicator", "Latest", "Previous", "Trend", "England", "{{ neighbours_heading }}", "{{ region_heading }}", "Target", "RAG"]
# Widths (cm, 17.0 in all) chosen so no word breaks: "neighbours" and the longest region word
# ("Yorkshire", "Midlands") fit whole in bold 9 pt, as does "suppressed" in the Latest cell;
# Target holds a short figure and RAG its word ("Green", "Amber" in bold on their shading).
KPI_WIDTHS = [2.6, 2.1, 1.8, 1.8, 1.7, 2.1, 2.0, 1.4, 1.5]
KPI_ROW = [
    "{%tr for k in KPIS %}{{ k.name }}",
    "{{ k.latest }}\n{{ k.latest_period }}\n{%p if k.published %}\n{{ k.published }}\n{%p endif %}",
    "{{ k.previous }}",
    "{{ k.trend }}",
    "{{ k.england }}",
    "{{ k.stat_neighbours }}\n{%p if k.rank %}\n{{ k.rank }}\n{%p endif %}",
    "{{ k.region }}",
    "{{ k.target }}",
    "{% cellbg k.rag_fill %}{{ k.rag }}",
]
KPI_END = ["{%tr endfor %}"] + [""] * (len(KPI_HEADERS) - 1)


def kpi_table(doc, source: str, caption: str, *, keep_with_next: bool = False) -> None:
    row = [c.replace("KPIS", source) for c in KPI_ROW]
    t = table(doc, KPI_HEADERS, KPI_WIDTHS, [row, KPI_END])
    if keep_with_next:
        # The document's last table: its rows keep with the sources that follow, so the last page
        # carries rows of the table rather than two lines of sources on their own.
        for cell in t.rows[-2].cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
    caption_and_description(t, caption, "Each row is one performance indicator: latest value, previous value, direction of travel, comparators, target and RAG rating.")


def build_self_evaluation() -> Document:
    doc = new_document()
    # Cover
    for _ in range(5):
        doc.add_paragraph()
    para(doc, "{{ council }}", style="Title")
    para(doc, "{{ title }}", style="Subtitle")
    para(doc, "{{ document_date }}   ·   Version {{ version }}")
    para(doc, "{{ marking }}", bold=True, color=RGBColor(0xC0, 0x00, 0x00), size=14)
    para(doc, "{{ status_note }}", style="Small Print")
    page_break(doc)
    table_of_contents(doc)
    page_break(doc)

    doc.add_heading("1. Context and summary of judgements", level=1)
    # The report's own summary opens the self-evaluation: Ofsted's words before ours.
    para(doc, "{%p if summary %}")
    doc.add_heading("What Ofsted found", level=2)
    para(doc, "{%p for s in summary %}")
    para(doc, "{{ s }}", style="Quote")
    para(doc, "{%p endfor %}")
    para(doc, "{{ summary_source }}", style="Caption")
    para(doc, "{%p endif %}")
    para(doc, "{{ intro }}")
    doc.add_heading("Our local context", level=2)
    para(doc, "{{ local_context }}")
    doc.add_heading("Latest inspection", level=2)
    para(doc, "{{ latest.description }}", keep_with_next=True)
    t = table(
        doc,
        ["Judgement", "Ofsted grade", "Our self-assessed grade now"],
        [8.5, 4.0, 4.5],
        [["{%tr for j in judgements %}{{ j.area }}", "{% cellbg j.grade_fill %}{{ j.grade }}", "{{ j.self_assessed }}"], ["{%tr endfor %}", "", ""]],
    )
    caption_and_description(t, "Summary of judgements", "Ofsted's grade for each judgement at the latest inspection, beside the council's own assessment today.")
    doc.add_heading("Inspections and visits", level=2)
    t = table(
        doc,
        ["When", "Engagement", "What it looked at or found"],
        [3.5, 4.0, 9.5],
        [["{%tr for e in engagements %}{{ e.dates }}", "{{ e.kind }}", "{{ e.outcome }}"], ["{%tr endfor %}", "", ""]],
    )
    caption_and_description(t, "Engagement history", "Ofsted inspections and visits, most recent first.")
    doc.add_heading("Our improvement journey", level=2)
    para(doc, "{{ journey_intro }}", keep_with_next=True)
    t = table(
        doc,
        ["Inspection", "Overall effectiveness", "Help and protection", "Children in care", "Care leavers", "Leaders"],
        [3.4, 2.6, 2.7, 3.0, 2.6, 2.7],
        [["{%tr for j in journey %}{{ j.inspection }}", "{{ j.overall }}", "{{ j.help_and_protection }}", "{{ j.children_in_care }}", "{{ j.care_leavers }}", "{{ j.leaders }}"], ["{%tr endfor %}", "", "", "", "", ""]],
    )
    caption_and_description(t, "Grades over time", "Ofsted's grade for each judgement at each graded inspection, oldest first.")
    para(doc, "{{ journey_note }}")
    para(doc, "{%p if journey_chart %}")
    para(doc, "{{ journey_chart.image }}", keep_with_next=True)
    para(doc, "{{ journey_chart.caption }}", style="Caption")
    para(doc, "{%p endif %}")

    doc.add_heading("2. Quality and impact of practice", level=1)
    para(doc, "{{ practice_intro }}")
    para(doc, "{%p for area in areas %}")
    doc.add_heading("{{ area.title }}", level=2)
    para(doc, "Latest Ofsted grade: {{ area.grade }}.   Our self-assessed grade: {{ area.self_assessed }}")
    para(doc, "{{ area.grade_prompt }}")
    doc.add_heading("What do we know about the quality and impact of practice?", level=3)
    para(doc, "Strengths", bold=True, keep_with_next=True)
    para(doc, "{%p for s in area.strengths %}")
    para(doc, "{{ s }}", style="List Bullet")
    para(doc, "{%p endfor %}")
    para(doc, "Areas for improvement", bold=True, keep_with_next=True)
    para(doc, "{%p for a in area.afis %}")
    para(doc, "{{ a }}", style="List Bullet")
    para(doc, "{%p endfor %}")
    doc.add_heading("How do we know?", level=3)
    para(doc, "{{ area.evidence_intro }}", keep_with_next=True)
    kpi_table(doc, "area.kpis", "Indicators for this judgement area")
    # One paragraph that reads the table, not a bullet per row.
    para(doc, "{%p if area.evidence %}")
    para(doc, "{{ area.evidence }}")
    para(doc, "{%p endif %}")
    para(doc, "{%p for c in area.charts %}")
    para(doc, "{{ c.image }}", keep_with_next=True)  # the caption stays on the chart's page
    para(doc, "{{ c.caption }}", style="Caption")
    para(doc, "{%p endfor %}")
    para(doc, "{{ area.quality_assurance }}")
    doc.add_heading("What are we doing next?", level=3)
    para(doc, "{%p for a in area.actions %}")
    para(doc, "{{ a }}", style="List Bullet")
    para(doc, "{%p endfor %}")
    para(doc, "{%p endfor %}")

    doc.add_heading("3. Progress since the last inspection", level=1)
    para(doc, "{{ progress_intro }}")
    para(doc, "{%p for p in progress %}")
    doc.add_heading("{{ p.heading }}", level=2)
    para(doc, "Earlier finding: {{ p.earlier }}")
    para(doc, "What later engagements found: {{ p.later }}")
    para(doc, "Where it stands: {{ p.standing }}")
    para(doc, "Why these are linked: {{ p.reason }}")
    para(doc, "Related indicators: {{ p.indicators }}")
    para(doc, "{%p endfor %}")

    doc.add_heading("4. The National Framework", level=1)
    para(doc, "{{ framework_intro }}", keep_with_next=True)
    t = table(
        doc,
        ["Outcome or enabler", "Areas for improvement", "Indicators"],
        [5.5, 7.0, 4.5],
        [["{%tr for f in framework %}{{ f.label }}: {{ f.title }}", "{{ f.afis }}", "{{ f.indicators }}"], ["{%tr endfor %}", "", ""]],
        keep_rows_whole=False,
    )
    caption_and_description(t, "National Framework view", "For each outcome and enabler of the Children's Social Care National Framework, the linked areas for improvement and indicators.")

    doc.add_heading("5. Performance overview", level=1)
    para(doc, "{{ kpi_intro }}", keep_with_next=True)
    kpi_table(doc, "kpis", "All performance indicators")

    doc.add_heading("6. Our plans for the next 12 months", level=1)
    para(doc, "{{ plans_intro }}")
    para(doc, "{%p for a in plan_summary %}")
    para(doc, "{{ a }}", style="List Bullet")
    para(doc, "{%p endfor %}")

    doc.add_heading("About this draft", level=1)
    para(doc, "{%p for s in sources %}")
    para(doc, "{{ s }}", style="Small Print")
    para(doc, "{%p endfor %}")
    footer(doc, "{{ council }}: self-evaluation of children's social care practice")
    return doc


PLAN_HEADERS = ["Ref", "Actions", "Lead officer", "Timescale", "Success measures", "Progress", "RAG"]
# 26.7 cm: the landscape page's text width. An area's text spans Actions to Timescale (12.2 cm, two
# or three lines for Ofsted's longest; 'September 2026' fits the timescale's line), so no row is more than a few lines tall.
PLAN_WIDTHS = [2.7, 6.8, 3.0, 2.7, 4.5, 5.4, 1.6]
AREA_SHADE = "EAF0F7"


def plan_table(doc):
    """One row per area (the area verbatim, its source, short ref and judgement area, its indicator
    measures and overall RAG), then one row per action: each row a few lines, never split."""
    area = [
        "{%tr for row in rows %}{{ row.id }}",
        "{{ row.text }}\n{{ row.source }} · {{ row.framework_short }} · {{ row.judgement_area }}", "", "",
        "{%p for m in row.measures %}\n{{ m }}\n{%p endfor %}", "",
        "{% cellbg row.rag_fill %}{{ row.rag }}",
    ]
    action = [
        "{%tr for a in row.actions %}{{ a.id }}", "{{ a.text }}", "{{ a.lead }}", "{{ a.due }}", "{{ a.measure }}", "{{ a.progress }}",
        "{% cellbg a.rag_fill %}{{ a.rag }}",
    ]
    end = ["{%tr endfor %}"] + [""] * (len(PLAN_HEADERS) - 1)
    t = table(doc, PLAN_HEADERS, PLAN_WIDTHS, [area, action, end, end])
    # Rows: 0 header, 1 {%tr for row%}, 2 area, 3 {%tr for a%}, 4 action, 5-6 endfor.
    area_row = t.rows[2]
    text_cell = area_row.cells[1].merge(area_row.cells[3])
    measures_cell = area_row.cells[4].merge(area_row.cells[5])
    for cell in (text_cell, measures_cell):
        for paragraph in cell.paragraphs[1:]:
            if not paragraph.text:  # what the merged-in empty cells brought: no blank lines in the row
                paragraph._p.getparent().remove(paragraph._p)
    for cell in (area_row.cells[0], text_cell, measures_cell):
        if cell is not measures_cell:  # an area may have no indicator measures: no shaded empty cell
            _shade(cell, AREA_SHADE)
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True  # an area stays on the page of its first action
    text_cell.paragraphs[0].runs[0].bold = True
    area_row.cells[0].paragraphs[0].runs[0].bold = True
    caption_and_description(t, "Improvement plan", "For each area for improvement, a row with the area verbatim, its source, National Framework reference, judgement area, indicator success measures and overall RAG status, then one row per action with its lead officer, timescale, success measure, progress and RAG status.")
    return t


def build_improvement_plan() -> Document:
    doc = new_document(landscape=True)
    para(doc, "{{ council }}: improvement plan", style="Title")
    para(doc, "{{ subtitle }}", style="Subtitle")
    para(doc, "{{ document_date }}   ·   Version {{ version }}   ·   {{ marking }}", bold=True)
    para(doc, "{{ intro }}")
    doc.add_heading("RAG status", level=2)
    t = table(
        doc,
        ["Status", "Meaning", "Areas"],
        [3.0, 12.0, 2.5],
        [["{%tr for r in rag_legend %}{% cellbg r.fill %}{{ r.name }}", "{{ r.meaning }}", "{{ r.count }}"], ["{%tr endfor %}", "", ""]],
        repeat_header=False,
    )
    caption_and_description(t, "RAG legend", "What each RAG status means, and how many areas have it.")
    doc.add_heading("Areas for improvement and actions", level=2)
    plan_table(doc)
    para(doc, "{%p if framework_key %}")
    para(doc, "National Framework refs in the table:", keep_with_next=True).paragraph_format.space_before = Pt(8)
    para(doc, "{%p for k in framework_key %}")
    para(doc, "{{ k }}", style="List Bullet")
    para(doc, "{%p endfor %}")
    para(doc, "{%p endif %}")
    para(doc, "{%p if closed %}")
    doc.add_heading("Areas closed since the last plan", level=2)
    para(doc, "{{ closed_intro }}", keep_with_next=True)
    t = table(
        doc,
        ["Ref", "Area for improvement", "Raised in", "Why it is closed"],
        [2.6, 11.4, 4.0, 9.0],
        [["{%tr for c in closed %}{{ c.id }}", "{{ c.text }}", "{{ c.source }}", "{{ c.reason }}"], ["{%tr endfor %}", "", "", ""]],
    )
    caption_and_description(t, "Closed areas", "Earlier areas for improvement that a later inspection, or the council, has closed, with the reason.")
    para(doc, "{%p endif %}")
    doc.add_heading("Performance measures", level=2)
    para(doc, "{{ kpi_intro }}", keep_with_next=True)
    kpi_table(doc, "kpis", "Performance indicators", keep_with_next=True)
    para(doc, "{%p for s in sources %}")
    para(doc, "{{ s }}", style="Small Print", keep_with_next=True)
    para(doc, "{%p endfor %}")
    footer(doc, "{{ council }}: improvement plan")
    return doc


def build_board_summary() -> Document:
    doc = new_document()
    para(doc, "{{ council }}", style="Title")
    para(doc, "{{ title }}", style="Subtitle")
    para(doc, "{{ document_date }}   ·   {{ marking }}", bold=True)
    para(doc, "{{ intro }}")
    doc.add_heading("1. Inspection outcome", level=1)
    para(doc, "{{ latest.description }}", keep_with_next=True)
    # The grade prompt, for candour: Ofsted's last grade, what has changed since, and our own grade now.
    t = table(
        doc,
        ["Judgement", "Ofsted's grade", "Since then", "Our grade now"],
        [5.2, 2.9, 6.0, 2.9],
        [["{%tr for j in judgements %}{{ j.area }}", "{% cellbg j.grade_fill %}{{ j.grade }}", "{{ j.since }}", "{{ j.self_assessed }}"], ["{%tr endfor %}", "", "", ""]],
    )
    caption_and_description(t, "Inspection judgements", "For each judgement: Ofsted's grade at the latest inspection, what has changed since, and the council's own grade now.")
    doc.add_heading("2. Improvement plan progress", level=1)
    para(doc, "{{ progress_summary }}", keep_with_next=True)
    t = table(
        doc,
        ["Status", "Areas"],
        [6.0, 3.0],
        [["{%tr for r in rag_legend %}{% cellbg r.fill %}{{ r.name }}", "{{ r.count }}"], ["{%tr endfor %}", ""]],
    )
    caption_and_description(t, "Plan progress by RAG", "How many areas for improvement are complete, on track, at risk or off track.")
    para(doc, "Each area for improvement and its current status:", keep_with_next=True)
    t = table(
        doc,
        ["Area for improvement", "Framework", "Status"],
        [11.0, 3.5, 2.5],
        [["{%tr for row in rows %}{{ row.text }}", "{{ row.framework_short }}", "{% cellbg row.rag_fill %}{{ row.rag }}"], ["{%tr endfor %}", "", ""]],
    )
    caption_and_description(t, "Areas for improvement", "Each area for improvement and its current RAG status.")
    doc.add_heading("3. Children in care and care leavers: headline indicators", level=1)
    para(doc, "{{ kpi_intro }}", keep_with_next=True)
    kpi_table(doc, "kpis", "Headline indicators for children in care and care leavers")
    para(doc, "{%p for s in kpi_sentences %}")
    para(doc, "{{ s }}", style="List Bullet")
    para(doc, "{%p endfor %}")
    doc.add_heading("4. For the board", level=1)
    para(doc, "{{ board_asks }}")
    para(doc, "{%p for s in sources %}")
    para(doc, "{{ s }}", style="Small Print")
    para(doc, "{%p endfor %}")
    footer(doc, "{{ council }}: corporate parenting board summary")
    return doc


# The layout of each registered document's default template, by document key.
LAYOUTS = {
    "self-evaluation": build_self_evaluation,
    "improvement-plan": build_improvement_plan,
    "board-summary": build_board_summary,
}


def main() -> int:
    from selfeval.render.registry import documents

    OUT.mkdir(parents=True, exist_ok=True)
    missing = [d.key for d in documents() if d.key not in LAYOUTS]
    if missing:
        print(f"no layout here for {', '.join(missing)}: add one to LAYOUTS (or draw that template in Word)", file=sys.stderr)
        return 1
    for document in documents():
        name = document.template
        doc = LAYOUTS[document.key]()
        props = doc.core_properties
        props.title = name.removesuffix(".docx").replace("-", " ").capitalize() + " template"
        props.author = "selfeval"
        props.comments = "Default selfeval template: the tags in double braces are filled in by selfeval generate."
        props.last_modified_by = "selfeval"
        props.revision = 1
        doc.save(OUT / name)
        print(f"wrote {OUT / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
