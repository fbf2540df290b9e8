"""A head of service wants Ofsted's own words in the draft: the report's strongest statements on
each judgement area, and the sentences that explain each area for improvement, quoted whole and
verbatim with the paragraph they come from. Never a paraphrase."""

from __future__ import annotations

from pathlib import Path

import pytest

from selfeval.analyse.strengths import explain, sentences, strength_score, strengths_for_area
from selfeval.load.findings import load_findings_file
from selfeval.models.findings import AreaForImprovement, Findings

from conftest import INPUTS

LAMBETH = INPUTS / "findings" / "lambeth-2026-01-full-inspection.yaml"


def _findings(path: Path = LAMBETH) -> Findings:
    return load_findings_file(path).findings


def _paragraph_text(findings: Findings, number: int | None) -> str:
    # Every paragraph with that number: Lambeth's report prints paragraph 57 twice.
    return "\n".join(" ".join(p.text.split()) for s in findings.sections for p in s.paragraphs if p.number == number)


def _report(paragraphs: dict[int, str], area: str = "help_and_protection", start: str = "2025-03-03") -> Findings:
    return Findings.model_validate(
        {
            "local_authority": "Anytown",
            "type": "full inspection",
            "inspection_dates": [{"start": start}],
            "judgements": {area: "Good"},
            "sections": [
                {
                    "heading": "The experiences and progress of children who need help and protection: good",
                    "judgement_area": area,
                    "paragraphs": [{"number": n, "text": t} for n, t in paragraphs.items()],
                }
            ],
        }
    )


def test_every_judgement_area_gets_at_least_two_whole_sentences_quoted_verbatim_with_their_paragraph():
    f = _findings()
    for area in ("impact_of_leaders", "help_and_protection", "children_in_care", "care_leavers"):
        quotes = strengths_for_area([f], area, f.era)
        assert len(quotes) >= 2, area
        for q in quotes:
            assert q.paragraph is not None
            # Verbatim: the sentence is in the paragraph it cites, character for character.
            assert q.text in _paragraph_text(f, q.paragraph), (area, q.text)
            assert q.text[0].isupper() and q.text.rstrip("”’\")").endswith((".", "!", "?"))


def test_quotes_are_spread_across_the_section_one_per_paragraph_in_paragraph_order():
    f = _findings()
    quotes = strengths_for_area([f], "children_in_care", f.era)
    numbers = [q.paragraph for q in quotes]
    assert numbers == sorted(numbers)
    assert len(set(numbers)) == len(numbers)
    section = next(s for s in f.sections if s.judgement_area == "children_in_care")
    span = [p.number for p in section.paragraphs if p.number is not None]
    # Not all bunched at the start of the section.
    assert max(numbers) > span[len(span) // 2]


def test_the_strengths_the_findings_file_lists_itself_come_first():
    f = _findings()
    quotes = strengths_for_area([f], "help_and_protection", f.era)
    assert quotes[0].text == "Work to tackle extra-familial harm is a strength in Lambeth."
    assert quotes[0].paragraph == 17


def test_a_criticism_or_a_qualified_statement_is_never_quoted_as_a_strength():
    report = _report(
        {
            1: "Children benefit from timely and effective help from skilled practitioners who know them well.",
            2: "However, the quality of assessments for children in need is inconsistent across the teams.",
            3: "Strategy meetings are well attended, but they are not always held promptly when risks increase.",
            4: "This has created a stable, skilled and motivated workforce that knows children well.",
            5: "Leaders are working to ensure that early help is consistently effective for all families.",
        }
    )
    quotes = strengths_for_area([report], "help_and_protection", report.era)
    assert [q.paragraph for q in quotes] == [1]
    assert strength_score("The quality of supervision is inconsistent and supervision is not always effective.") is None


def test_a_section_with_no_strength_sentences_gives_no_quotes_rather_than_invented_ones():
    report = _report({1: "Too many children wait too long for an assessment, and plans are not reviewed."})
    assert strengths_for_area([report], "help_and_protection", report.era) == []


def test_sentences_split_at_full_stops_but_not_after_abbreviations():
    text = "Partners, e.g. schools and police, refer promptly. Dr Smith chairs the panel. Children are seen! Plans follow."
    assert sentences(text) == [
        "Partners, e.g. schools and police, refer promptly.",
        "Dr Smith chairs the panel.",
        "Children are seen!",
        "Plans follow.",
    ]


def test_a_report_before_2023_quotes_its_combined_children_in_care_section():
    report = _report(
        {
            7: "Children in care benefit from stable homes and highly effective support from their social workers.",
            8: "Care leavers receive an exceptional service from personal advisers who know them well.",
        },
        area="children_in_care_and_care_leavers",
        start="2019-03-04",
    )
    quotes = strengths_for_area([report], "children_in_care_and_care_leavers", report.era)
    assert [q.paragraph for q in quotes] == [7, 8]


def test_each_area_for_improvement_is_explained_by_the_criticisms_in_its_source_paragraphs():
    f = _findings()
    missing = next(a for a in f.areas_for_improvement if a.id == "LAM-2026-03")
    explanation = explain(f, missing)
    assert explanation.quotes
    for q in explanation.quotes:
        assert q.paragraph == 35
        assert q.text in _paragraph_text(f, 35)
    assert any("return home interviews" in q.text for q in explanation.quotes)


def test_an_imported_area_without_source_paragraphs_is_explained_by_the_paragraphs_on_its_theme():
    report = _report(
        {
            1: "Children benefit from timely help from the front door.",
            2: "Independent reviewing officers know children well. Too many children in care do not attend their reviews, and review letters are not consistently of good quality.",
            3: "Leaders have a clear understanding of the service.",
        }
    )
    area = AreaForImprovement(id="ANY-1", text="The attendance of children in care at their reviews.")
    explanation = explain(report, area)
    assert [q.paragraph for q in explanation.quotes] == [2]
    assert explanation.quotes[0].text.startswith("Too many children in care do not attend")


@pytest.mark.parametrize("name", ["coventry-2022-08-full-inspection", "brent-2023-04-full-inspection"])
def test_imported_real_reports_have_quotes_for_every_area(tmp_path, name):
    pdf = Path(__file__).resolve().parents[2] / "shared" / "domain" / "reports-dev" / f"{name}.pdf"
    if not pdf.exists():
        pytest.skip("the development reports are not here")
    from conftest import run_cli

    out = tmp_path / "findings.yaml"
    result = run_cli("import", str(pdf), "-o", str(out))
    assert result.code == 0, result.output
    f = _findings(out)
    for area in f.era.areas:
        if area == "overall_effectiveness":
            continue
        quotes = strengths_for_area([f], area, f.era)
        assert len(quotes) >= 2, (name, area)
        for q in quotes:
            assert q.text in _paragraph_text(f, q.paragraph)
