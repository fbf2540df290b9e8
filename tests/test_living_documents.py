"""Living documents: every gap a person fills in is a Word content control that selfeval can find
again, so next quarter's draft keeps their words."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from conftest import run_cli
from word_editing import W, tags_in, type_into, w

DOCS = ("self-evaluation.docx", "improvement-plan.docx", "board-summary.docx")


def _controls(path: Path) -> list[dict[str, object]]:
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    out = []
    for sdt in root.iter(w("sdt")):
        pr = sdt.find(w("sdtPr"))
        text = "".join(t.text or "" for t in sdt.iter(w("t")))
        prev = sdt.getprevious()
        out.append({
            "tag": pr.find(w("tag")).get(w("val")),
            "title": pr.find(w("alias")).get(w("val")),
            "placeholder": pr.find(w("showingPlcHdr")) is not None,
            "text": text,
            "highlighted": any(h.get(w("val")) == "yellow" for h in sdt.iter(w("highlight"))),
            "bookmarked": prev is not None and prev.tag == w("bookmarkStart"),
        })
    return out


def test_every_placeholder_is_a_content_control_with_a_title_a_person_reads_and_a_tag_naming_its_place(example_outputs: Path) -> None:
    for name in DOCS:
        controls = _controls(example_outputs / name)
        assert controls, name
        with zipfile.ZipFile(example_outputs / name) as z:
            xml = z.read("word/document.xml").decode("utf-8")
        # Every marker is inside a control; none is left as bare text.
        assert xml.count("[To complete: ") == sum(1 for c in controls if str(c["text"]).startswith("[To complete: ")), name
        tags = [c["tag"] for c in controls]
        assert len(tags) == len(set(tags)), f"{name}: tags must be unique"
        for c in controls:
            assert c["placeholder"] and c["highlighted"] and c["bookmarked"], c
            assert str(c["tag"]).startswith(name.removesuffix(".docx") + "/")
            assert "\ue000" not in str(c["text"]), "the place a marker carries must not show"

    sef = {c["tag"]: c for c in _controls(example_outputs / "self-evaluation.docx")}
    assert sef["self-evaluation/local-context"]["title"] == "Local context"
    assert sef["self-evaluation/help_and_protection/quality-assurance"]["title"] == "Quality assurance evidence: Help and protection"
    assert sef["self-evaluation/judgements/care_leavers/self-assessed-grade"]["title"] == "Our grade now: Care leavers"
    plan = {c["tag"]: c for c in _controls(example_outputs / "improvement-plan.docx")}
    # The example's newest action has no lead yet (its tracker is illustrative: see tools/build_example_tracker.py).
    assert plan["improvement-plan/LAM-2026-03/LAM-2026-03.3/lead-officer"]["title"] == "Lead officer: LAM-2026-03.3"
    assert plan["improvement-plan/LAM-2026-03/LAM-2026-03.3/lead-officer"]["text"] == "[To complete: lead officer]"
    board = {c["tag"]: c for c in _controls(example_outputs / "board-summary.docx")}
    assert board["board-summary/board-asks"]["title"] == "What the board is asked to note or decide"


def test_the_guidance_comment_and_highlight_stay_with_each_control(example_outputs: Path) -> None:
    doc = Document(str(example_outputs / "self-evaluation.docx"))
    guidance = [c.text for c in doc.comments]
    assert len(guidance) == len(_controls(example_outputs / "self-evaluation.docx"))
    assert any("Ofsted looks for evidence of impact" in g for g in guidance)


def test_a_template_authors_own_content_controls_are_listed_by_templates_check(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    assert run_cli("templates", "export", str(folder)).code == 0
    template = folder / "self-evaluation.docx"
    doc = Document(str(template))
    heading = next(p for p in doc.paragraphs if p.text == "Our local context")
    own = etree.fromstring(
        f'<w:p xmlns:w="{W}"><w:sdt><w:sdtPr><w:alias w:val="Our vision"/><w:tag w:val="our-vision"/></w:sdtPr>'
        '<w:sdtContent><w:r><w:t>Type our vision here.</w:t></w:r></w:sdtContent></w:sdt></w:p>'
    )
    untagged = etree.fromstring(
        f'<w:p xmlns:w="{W}"><w:sdt><w:sdtPr><w:alias w:val="Notes"/></w:sdtPr>'
        '<w:sdtContent><w:r><w:t>Notes</w:t></w:r></w:sdtContent></w:sdt></w:p>'
    )
    heading._p.addnext(untagged)
    heading._p.addnext(own)
    doc.save(str(template))

    result = run_cli("templates", "check", str(folder))
    assert result.code == 0, result.output
    assert "2 content controls of your own" in result.stdout
    assert "Our vision [tag our-vision]" in result.stdout
    assert "Notes [no tag" in result.stdout

    # The control reaches the generated document with its tag, and what people type in it is carried.
    out = tmp_path / "out"
    assert run_cli("generate", "--templates", str(folder), "--out", str(out)).code == 0
    assert "our-vision" in tags_in(out / "self-evaluation.docx")
    type_into(out / "self-evaluation.docx", {"our-vision": "Every child in a loving, stable home."})
    again = run_cli("generate", "--templates", str(folder), "--out", str(out))
    assert again.code == 0, again.output
    assert words_by_tag(out / "self-evaluation.docx")["our-vision"] == "Every child in a loving, stable home."
    said = " ".join(again.stdout.split())
    assert "carried 1 passage into the new draft, in the same places: Our vision" in said, said


# -- carrying a person's words into next quarter's draft -------------------------------------------

from selfeval.content_controls import controls_in  # noqa: E402
from conftest import INPUTS  # noqa: E402
from word_editing import comment_inside, rewrite_paragraph, type_with_tracked_changes  # noqa: E402

WORDS = {
    "self-evaluation/local-context": "Lambeth is an inner London borough of 320,000 people.\nDemand rose 8% this year.",
    "self-evaluation/help_and_protection/quality-assurance": "March audits rated 71% of help and protection work good or better.",
    "self-evaluation/judgements/care_leavers/self-assessed-grade": "Outstanding",
}
PLAN_WORDS = {"improvement-plan/LAM-2026-02/lead-officer": "Head of Safeguarding"}


def council(tmp_path: Path) -> Path:
    """A working folder like 'selfeval init' makes, with the example's findings and workbook (and,
    as a council starting out, no plan tracker yet)."""
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs, ignore=shutil.ignore_patterns("improvement-plan-tracker.xlsx"))
    return inputs


def generate(inputs: Path, out: Path):
    result = run_cli("generate", "--inputs", str(inputs), "--out", str(out))
    assert result.code == 0, result.output
    assert "Traceback" not in result.output
    return result


def words_by_tag(path: Path) -> dict[str, str]:
    return {c.tag: c.text for c in controls_in(Document(str(path)).element.body) if c.tag and not c.showing_placeholder}


def change_latest_re_referrals(inputs: Path, value: float) -> None:
    import openpyxl

    book = inputs / "performance.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["Data"]
    header = next(r for r in ws.iter_rows(min_row=1, max_row=10) if r[0].value == "ID")
    last = max(c.column for c in header if c.value)
    row = next(r for r in ws.iter_rows() if r[0].value == "RE-REF")
    ws.cell(row=row[0].row, column=last, value=value)
    wb.save(book)


def test_next_quarters_draft_keeps_the_words_in_the_same_places_and_shows_the_new_figures(tmp_path: Path) -> None:
    inputs, out = council(tmp_path), tmp_path / "outputs"
    generate(inputs, out)
    sef, plan = out / "self-evaluation.docx", out / "improvement-plan.docx"
    type_into(sef, WORDS, bold={"self-evaluation/judgements/care_leavers/self-assessed-grade"})
    type_into(plan, PLAN_WORDS)
    edited_sef, edited_plan = sef.read_bytes(), plan.read_bytes()
    change_latest_re_referrals(inputs, 27.4)

    result = generate(inputs, out)

    # The person's words are back, each in the control with the same tag.
    assert words_by_tag(sef) == WORDS
    assert words_by_tag(plan) == PLAN_WORDS
    # ... beside the new figure from the workbook.
    from docx_reading import visible_text

    assert "27.4%" in visible_text(Document(str(sef)).element.body)
    # The bold the person gave stays; the placeholder highlight and guidance comment are gone.
    carried = next(s for s in _sdts(sef) if s["tag"] == "self-evaluation/judgements/care_leavers/self-assessed-grade")
    assert carried["bold"] and not carried["highlighted"] and not carried["placeholder"]
    # Their files are kept byte for byte.
    assert (out / "previous" / f"self-evaluation {_today()}.docx").read_bytes() == edited_sef
    assert (out / "previous" / f"improvement-plan {_today()}.docx").read_bytes() == edited_plan
    said = " ".join(result.stdout.split())
    assert "self-evaluation.docx had been edited since selfeval wrote it: your copy is kept, untouched, as" in said
    assert "carried 3 passages into the new draft, in the same places: Local context; Our grade now: Care leavers; Quality assurance evidence: Help and protection" in said
    assert "carried 1 passage into the new draft, in the same places: Lead officer: LAM-2026-02" in said
    assert "no place" not in said

    # Next quarter again, nobody touched the draft: the words are still carried (they are the person's,
    # not selfeval's), and an unedited draft is simply replaced.
    again = generate(inputs, out)
    assert words_by_tag(sef) == WORDS
    assert len(list((out / "previous").iterdir())) == 2
    assert "had been edited" not in again.stdout


def _sdts(path: Path) -> list[dict[str, object]]:
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    out = []
    for sdt in root.iter(w("sdt")):
        pr = sdt.find(w("sdtPr"))
        tag = pr.find(w("tag"))
        out.append({
            "tag": tag.get(w("val")) if tag is not None else None,
            "placeholder": pr.find(w("showingPlcHdr")) is not None,
            "bold": any(True for _ in sdt.find(w("sdtContent")).iter(w("b"))),
            "highlighted": any(True for _ in sdt.iter(w("highlight"))),
        })
    return out


def _today() -> str:
    import datetime as dt

    return dt.date.today().isoformat()


def test_words_for_an_area_for_improvement_closed_since_go_to_the_appendix(tmp_path: Path) -> None:
    inputs, out = council(tmp_path), tmp_path / "outputs"
    visit = inputs / "findings" / "lambeth-2023-08-focused-visit.yaml"
    text = visit.read_text(encoding="utf-8")
    area = "  - id: LAM-2023-01\n"
    assert area in text
    visit.write_text(text.replace(area, area + "    status: open\n"), encoding="utf-8")  # kept open by the council
    generate(inputs, out)
    plan = out / "improvement-plan.docx"
    type_into(plan, {"improvement-plan/LAM-2023-01/actions": "Weekly huddles with the front door team."})
    visit.write_text(text.replace(area, area + "    status: closed\n"), encoding="utf-8")

    result = generate(inputs, out)

    from docx_reading import body_blocks

    blocks = body_blocks(Document(str(plan)))
    heading = blocks.index("Carried forward from the previous version")
    assert "Actions: LAM-2023-01" in blocks[heading:]
    assert "Weekly huddles with the front door team." in blocks[heading:]
    # In a control that keeps its tag, so a reopened area would get the words back.
    assert words_by_tag(plan)["improvement-plan/LAM-2023-01/actions"] == "Weekly huddles with the front door team."
    said = " ".join(result.stdout.split())
    assert "1 passage had no place in the new draft and is in its appendix 'Carried forward from the previous version': Actions: LAM-2023-01" in said


def test_tracked_changes_are_accepted_and_comments_are_said_not_to_be_carried(tmp_path: Path) -> None:
    inputs, out = council(tmp_path), tmp_path / "outputs"
    generate(inputs, out)
    board = out / "board-summary.docx"
    type_with_tracked_changes(board, "board-summary/board-asks", kept="The board is asked to note ", inserted="the progress made.", deleted="nothing.")
    comment_inside(board, "board-summary/board-asks")

    result = generate(inputs, out)

    assert words_by_tag(board)["board-summary/board-asks"] == "The board is asked to note the progress made."
    assert "tracked changes in those passages were accepted" in result.stdout
    assert "comments were not carried (on What the board is asked to note or decide)" in " ".join(result.stderr.split())


def test_edits_outside_the_boxes_are_listed_with_where_they_were(tmp_path: Path) -> None:
    inputs, out = council(tmp_path), tmp_path / "outputs"
    generate(inputs, out)
    plan = out / "improvement-plan.docx"
    # LAM-2026-01's source line, under the area's own words
    rewrite_paragraph(plan, "January 2026 inspection, paragraph 3 · Outcome 2 · Help and protection", "Front door")
    before = plan.read_bytes()

    result = generate(inputs, out)

    said = " ".join(result.stderr.split())
    assert "improvement plan, LAM-2026-01: edited in Word; selfeval writes this from your inputs" in said
    assert (out / "previous" / f"improvement-plan {_today()}.docx").read_bytes() == before
    assert (out / "improvement-plan.docx").read_bytes() != before


# -- other clients (slow: LibreOffice and the Open XML validator) -----------------------------------

def libreoffice_round_trip(path: Path, work: Path) -> None:
    """Open and save ``path`` in LibreOffice (headless --convert-to docx), in place."""
    import subprocess

    from word_clients import soffice

    converted = work / "lo"
    subprocess.run(
        [soffice(), "--headless", f"-env:UserInstallation=file://{work / 'lo-profile'}", "--convert-to", "docx",
         "--outdir", str(converted), str(path)],
        capture_output=True, text=True, timeout=180, check=True,
    )
    shutil.copyfile(converted / path.name, path)


@pytest.mark.slow
def test_a_document_saved_by_libreoffice_keeps_its_controls_and_its_words_are_carried_forward(tmp_path: Path) -> None:
    inputs, out = council(tmp_path), tmp_path / "outputs"
    generate(inputs, out)
    sef = out / "self-evaluation.docx"
    type_into(sef, WORDS)
    libreoffice_round_trip(sef, tmp_path)
    saved = sef.read_bytes()
    # LibreOffice 7 drops the tags and titles but keeps the controls, their text and the bookmarks.
    kept = [c for c in controls_in(Document(str(sef)).element.body) if not c.showing_placeholder]
    assert sorted(c.text for c in kept) == sorted(WORDS.values())
    change_latest_re_referrals(inputs, 27.4)

    result = generate(inputs, out)

    assert words_by_tag(sef) == WORDS
    from docx_reading import visible_text

    assert "27.4%" in visible_text(Document(str(sef)).element.body)
    assert (out / "previous" / f"self-evaluation {_today()}.docx").read_bytes() == saved
    assert "carried 3 passages into the new draft, in the same places" in result.stdout
    assert "in Word" not in result.stderr, "LibreOffice's re-save is not an edit outside the boxes"


@pytest.mark.slow
def test_a_carried_forward_draft_with_an_appendix_is_valid_open_xml_and_lays_out(tmp_path: Path) -> None:
    from word_clients import first_page_png, to_pdf, validate_ooxml

    inputs, out = council(tmp_path), tmp_path / "outputs"
    visit = inputs / "findings" / "lambeth-2023-08-focused-visit.yaml"
    area = "  - id: LAM-2023-01\n"
    text = visit.read_text(encoding="utf-8")
    visit.write_text(text.replace(area, area + "    status: open\n"), encoding="utf-8")  # kept open by the council
    generate(inputs, out)
    plan = out / "improvement-plan.docx"
    type_into(plan, {"improvement-plan/LAM-2023-01/actions": "Weekly huddles.\nMonthly audit.", **PLAN_WORDS})
    visit.write_text(text.replace(area, area + "    status: closed\n"), encoding="utf-8")
    generate(inputs, out)

    errors = validate_ooxml(plan)
    assert errors == [], [e["description"] + " at " + e["xPath"] for e in errors[:5]]
    assert first_page_png(to_pdf(plan, tmp_path)).stat().st_size > 1000


def test_several_paragraphs_typed_in_one_box_are_carried_as_its_lines(tmp_path: Path) -> None:
    from word_editing import type_paragraphs_into

    inputs, out = council(tmp_path), tmp_path / "outputs"
    generate(inputs, out)
    sef = out / "self-evaluation.docx"
    type_paragraphs_into(sef, "self-evaluation/local-context", ["Lambeth is an inner London borough.", "Demand rose 8%.", "A new director started in May."])

    result = generate(inputs, out)

    assert words_by_tag(sef)["self-evaluation/local-context"] == "Lambeth is an inner London borough.\nDemand rose 8%.\nA new director started in May."
    assert "in Word" not in result.stderr, "the person's paragraphs are inside the box, not edits outside it"


def test_an_action_typed_into_the_plan_instead_of_the_tracker_is_named_with_where_it_was(tmp_path: Path) -> None:
    import openpyxl

    inputs, out = council(tmp_path), tmp_path / "outputs"
    assert run_cli("plan", "export", "--inputs", str(inputs)).code == 0
    tracker = inputs / "improvement-plan-tracker.xlsx"
    wb = openpyxl.load_workbook(tracker)
    ws = wb["Actions"]
    col = {c.value: c.column for c in ws[1]}
    row = next(r[0].row for r in ws.iter_rows(min_row=2) if r[col["Area ID"] - 1].value == "LAM-2026-02")
    ws.cell(row=row, column=col["Action"], value="Joint protocol with housing")
    ws.cell(row=row, column=col["Lead officer"], value="Head of Service")
    wb.save(tracker)
    generate(inputs, out)
    plan = out / "improvement-plan.docx"
    rewrite_paragraph(plan, "Joint protocol with housing", "Joint protocol with housing, signed off in March")

    result = generate(inputs, out)

    said = " ".join(result.stderr.split())
    assert ("improvement plan, LAM-2026-02.3, Actions: edited in Word; actions live in the tracker — copy them there") in said  # the action on the tracker's row 3
    assert (out / "previous" / f"improvement-plan {_today()}.docx").is_file()


def test_a_damaged_copy_is_kept_and_the_new_draft_is_written(tmp_path: Path) -> None:
    inputs, out = council(tmp_path), tmp_path / "outputs"
    generate(inputs, out)
    board = out / "board-summary.docx"
    board.write_bytes(b"not a zip any more")

    result = generate(inputs, out)

    assert (out / "previous" / f"board-summary {_today()}.docx").read_bytes() == b"not a zip any more"
    assert zipfile.is_zipfile(board)
    said = " ".join(result.stderr.split())
    assert "board-summary.docx: your words could not be read from it" in said and "by hand" in said
