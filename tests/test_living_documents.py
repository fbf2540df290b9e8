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
from word_editing import W, tags_in, w

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
    assert plan["improvement-plan/LAM-2026-02/actions"]["title"] == "Actions: LAM-2026-02"
    assert plan["improvement-plan/LAM-2026-02/actions"]["text"] == "[To complete: actions for this area]"
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

    # And the control reaches the generated document with its tag, untouched.
    out = tmp_path / "out"
    assert run_cli("generate", "--templates", str(folder), "--out", str(out)).code == 0
    assert "our-vision" in tags_in(out / "self-evaluation.docx")
