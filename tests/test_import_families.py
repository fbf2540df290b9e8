"""`selfeval import` on the layouts Ofsted has used since 2013, each a family of reports rather than one file.

Every test builds a small report in the layout of its family (plain text, the same lines a PDF gives)
or reads a real one from ../shared/domain/reports-dev, and checks what a council's performance lead
would check by eye: the council, the grades, the paragraph numbers, the areas for improvement, and
that the import's self-checks say when something does not add up.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from selfeval.load.report import import_report
from selfeval.load.report.checks import paragraph_check
from selfeval.load.report.dates import parse_date_ranges
from selfeval.models.findings import Findings

DEV = Path(__file__).parents[2] / "shared" / "domain" / "reports-dev"
needs_dev = pytest.mark.skipif(not DEV.is_dir(), reason=f"shared reports-dev folder {DEV} is absent (CI has it)")


def ilacs_text(
    title: list[str],
    table: list[str],
    paragraph_style: str = "{n}. {text}",
    afis: tuple[str, ...] = ("The quality of child in need plans.", "Management oversight of casework."),
) -> str:
    """A 2019-style ILACS report: title lines, judgement table, summary, areas, three graded sections."""
    lines = [*title, "", "Inspection dates: 7 October 2019 to 18 October 2019", "", "Lead inspector: Sam Jones", "Her Majesty’s Inspector", "",
             "Judgement Grade", "", *table, "",
             "Services for children have improved since the last inspection.", "",
             "What needs to improve?", ""]
    lines += [f"◼ {a}" for a in afis] + [""]
    n = 0
    for heading in ("The experiences and progress of children who need help and protection: good",
                    "The experiences and progress of children in care and care leavers: good",
                    "The impact of leaders on social work practice with children and families: good"):
        lines += [heading, ""]
        for _ in range(12):
            n += 1
            lines += [paragraph_style.format(n=n, text=f"Inspectors found practice point {n}. Plans for children are reviewed."), ""]
    return "\n".join(lines) + "\n"


GOOD_TABLE = [
    "The impact of leaders on social work practice with children and families Good",
    "The experiences and progress of children who need help and protection Good",
    "The experiences and progress of children in care and care leavers Good",
    "Overall effectiveness Good",
]


def _import(tmp_path: Path, text: str, name: str = "report.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return import_report(path)


def _failed(ex) -> list[str]:
    return [c.name for c in ex.checks if not c.passed]


# -- paragraph numbers -----------------------------------------------------------------------


def test_paragraph_numbers_without_a_space_are_read(tmp_path: Path) -> None:
    ex = _import(tmp_path, ilacs_text(["Inspection of Havering local authority children’s services"], GOOD_TABLE, "{n}.{text}"))
    numbers = [p.number for s in ex.sections for p in s.paragraphs]
    assert numbers == list(range(1, 37))
    assert _failed(ex) == [] and ex.warnings == []


def test_a_paragraph_swallowed_by_the_one_before_fails_the_check() -> None:
    check = paragraph_check([8, 9], ["Text.", "Children are seen. 10.The next paragraph was not split off."])
    assert not check.passed and "paragraph 10 read as part of the paragraph before" in check.detail


def test_a_gap_in_the_numbers_fails_the_check() -> None:
    check = paragraph_check([1, 2, 4], ["a.", "b.", "c."])
    assert not check.passed and "missing paragraph 3" in check.detail


def test_a_number_ofsted_printed_twice_is_not_an_import_error() -> None:
    check = paragraph_check(list(range(1, 58)) + [57, 58], ["a."] * 59)
    assert check.passed and "prints paragraph 57 twice" in check.detail


# -- grades printed over two lines ---------------------------------------------------------------


def test_grades_wrapped_over_two_lines_are_read(tmp_path: Path) -> None:
    table = [
        "The impact of leaders on social work practice with children", "and families", "Requires improvement", "to be good", "",
        "The experiences and progress of children who need help", "and protection", "Requires improvement to", "be good", "",
        "The experiences and progress of children in care and care", "leavers", "Inadequate", "",
        "Overall effectiveness Requires improvement", "to be good",
    ]
    ex = _import(tmp_path, ilacs_text(["Inspection of Haringey local authority children’s services"], table))
    assert {j.area: j.grade_id for j in ex.judgements} == {
        "impact_of_leaders": "requires_improvement",
        "help_and_protection": "requires_improvement",
        "children_in_care_and_care_leavers": "inadequate",
        "overall_effectiveness": "requires_improvement",
    }
    assert "judgements" not in _failed(ex)


def test_a_missing_grade_fails_the_judgements_check(tmp_path: Path) -> None:
    ex = _import(tmp_path, ilacs_text(["Inspection of Haringey local authority children’s services"], GOOD_TABLE[:2] + GOOD_TABLE[3:]))
    assert _failed(ex) == ["judgements"]
    assert any("no row for 'Children in care and care leavers'" in w for w in ex.warnings)


# -- the council --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "council"),
    [
        (["Rutland County Council", "", "Inspection of local authority children’s services"], "Rutland"),
        (["Tameside metropolitan borough", "", "Inspection of local authority children’s social care", "services"], "Tameside"),
        (["Haringey", "", "Inspection of children’s social care services"], "Haringey"),
        (["Inspection of Medway Children’s Services"], "Medway"),
        (["Inspection of Bradford Children and Families Trust"], "Bradford"),
        (["Inspection of Slough Children’s Services Trust"], "Slough"),
        (["London Borough of Croydon", "", "Inspection of children’s social care services"], "Croydon"),
    ],
)
def test_the_council_is_resolved_against_the_catalogue(tmp_path: Path, title: list[str], council: str) -> None:
    ex = _import(tmp_path, ilacs_text(title, GOOD_TABLE))
    assert ex.type == "full inspection"
    assert ex.council == council
    assert "council" not in _failed(ex)
    assert ex.to_findings(dt.date(2026, 1, 1)).local_authority == council


def test_a_title_naming_no_council_fails_the_council_check(tmp_path: Path) -> None:
    ex = _import(tmp_path, ilacs_text(["Inspection of Northmoor local authority children’s services"], GOOD_TABLE))
    assert "council" in _failed(ex)
    assert any("'Northmoor' is not a council in the catalogue" in w for w in ex.warnings)


# -- areas for improvement ------------------------------------------------------------------------


def test_sub_bullets_stay_inside_their_area(tmp_path: Path) -> None:
    text = ilacs_text(["Inspection of Cornwall local authority children’s services"], GOOD_TABLE, afis=(
        "The provision of accommodation for homeless young people, including:",
    )).replace("◼ The provision of accommodation for homeless young people, including:\n",
               "◼ The provision of accommodation for homeless young people, including:\n\n− sufficiency of accommodation\n\n"
               "− management oversight of unregulated provision.\n\n◼ The quality of life-story work.\n")
    ex = _import(tmp_path, text)
    assert [a.text for a in ex.areas] == [
        "The provision of accommodation for homeless young people, including: sufficiency of accommodation; "
        "management oversight of unregulated provision.",
        "The quality of life-story work.",
    ]
    assert _failed(ex) == []


def test_an_all_outstanding_report_without_areas_passes(tmp_path: Path) -> None:
    table = [row.replace("Good", "Outstanding") for row in GOOD_TABLE]
    text = ilacs_text(["Inspection of Thurrock local authority children’s services"], table)
    text = text.replace("What needs to improve?\n\n◼ The quality of child in need plans.\n◼ Management oversight of casework.\n", "")
    ex = _import(tmp_path, text)
    assert ex.areas == [] and _failed(ex) == []


def test_a_graded_report_without_areas_fails_the_areas_check(tmp_path: Path) -> None:
    text = ilacs_text(["Inspection of Thurrock local authority children’s services"], GOOD_TABLE)
    text = text.replace("What needs to improve?\n\n◼ The quality of child in need plans.\n◼ Management oversight of casework.\n", "")
    ex = _import(tmp_path, text)
    assert "areas" in _failed(ex)


def test_checks_are_in_the_json(tmp_path: Path) -> None:
    ex = _import(tmp_path, ilacs_text(["Inspection of Havering local authority children’s services"], GOOD_TABLE))
    data = ex.to_expected_json()
    assert [c["name"] for c in data["checks"]] == ["paragraphs", "council", "judgements", "areas"]
    assert all(c["passed"] for c in data["checks"]) and data["council"] == "Havering"


# -- dates ----------------------------------------------------------------------------------------


def test_numeric_dates_are_read_day_first() -> None:
    assert parse_date_ranges("12/09/2016 to 06/10/2016") == [(dt.date(2016, 9, 12), dt.date(2016, 10, 6))]


# -- SIF (2013-2018) ---------------------------------------------------------------------------


@needs_dev
def test_lambeth_2015_sif_report() -> None:
    ex = import_report(DEV / "lambeth-2015-05-sif-inspection.pdf")
    assert (ex.type, ex.council, ex.published) == ("SIF inspection", "Lambeth", dt.date(2015, 5, 12))
    assert ex.date_ranges == [(dt.date(2015, 2, 24), dt.date(2015, 3, 18))]
    assert {j.area: j.grade_id for j in ex.judgements} == {
        "overall_effectiveness": "inadequate",
        "help_and_protection": "requires_improvement",
        "children_looked_after": "inadequate",
        "adoption_performance": "inadequate",
        "care_leavers": "requires_improvement",
        "leadership_management_governance": "inadequate",
        "lscb": "inadequate",
    }
    # 22 recommendations to the council (5 for priority action) and 14 to the LSCB (4 priority)
    assert len(ex.areas) == 36
    assert [a.priority for a in ex.areas[:6]] == [True] * 5 + [False]
    assert ex.areas[0].text.startswith("Ensure that all young people who go missing from home and care")
    assert ex.areas[0].source_paragraphs == [1]
    assert [a.judgement_area for a in ex.areas].count("lscb") == 14
    assert _failed(ex) == []
    # Recommendation 22 (child and adolescent mental health services) is discussed under more than
    # one judgement: the import says so rather than guessing.
    assert ex.warnings == ["LAM-2015-22: neither its words nor any paragraph of the report place it in a judgement area; "
                           "set judgement_area in the findings file"]


@needs_dev
def test_sif_findings_validate_and_keep_the_sif_era(tmp_path: Path) -> None:
    from selfeval.write.findings_yaml import dump_findings

    findings = import_report(DEV / "lambeth-2018-05-sif-inspection.pdf").to_findings(dt.date(2026, 1, 1))
    again = Findings.model_validate(yaml.safe_load(dump_findings(findings)))
    assert again.type == "sif_inspection" and again.era.id == "sif"  # inspected in 2018, still SIF
    assert "lscb" not in again.judgements  # the 2018 re-inspections had no LSCB review
    assert again.judgements["adoption_performance"] == "inadequate"


def test_a_pre_2018_inspection_that_is_not_sif_is_refused_with_the_way_out() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as e:
        Findings.model_validate({"local_authority": "Leeds", "type": "full inspection",
                                 "inspection_dates": [{"start": "2015-01-20", "end": "2015-02-11"}]})
    assert "is a SIF inspection (type: SIF inspection)" in str(e.value)


# -- a failed self-check follows the findings file until a person has looked -----------------------


def _cli(*args: object):
    from typer.testing import CliRunner

    from selfeval.cli import app

    return CliRunner().invoke(app, [str(a) for a in args])


def test_validate_reports_an_unchecked_import_until_confirmed(tmp_path: Path) -> None:
    report = tmp_path / "northmoor.txt"
    report.write_text(ilacs_text(["Inspection of Northmoor local authority children’s services"], GOOD_TABLE), encoding="utf-8")
    out = tmp_path / "inputs" / "findings" / "northmoor.yaml"
    imported = _cli("import", report, "-o", out)
    assert imported.exit_code == 0, imported.output
    assert "self-check failed (council)" in imported.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["provenance"]["checks_failed"] == ["council: 'Northmoor' is not a council in the catalogue"]

    checked = _cli("validate", tmp_path / "inputs")
    assert checked.exit_code == 0
    assert "OK, but 1 findings file imported with warnings" in checked.output
    assert "northmoor.yaml: imported with warnings: council: 'Northmoor' is not a council in the catalogue" in checked.output

    # The person checks it and says so: validate is quiet about it from then on.
    text = out.read_text(encoding="utf-8")
    assert "  checked: false\n" in text  # written out, so the person sees where to say so
    out.write_text(text.replace("  checked: false\n", "  checked: true\n"), encoding="utf-8")
    again = _cli("validate", tmp_path / "inputs")
    assert again.exit_code == 0 and "imported with warnings" not in again.output


def test_an_edit_since_the_import_counts_as_a_person_having_looked(tmp_path: Path) -> None:
    report = tmp_path / "northmoor.txt"
    report.write_text(ilacs_text(["Inspection of Northmoor local authority children’s services"], GOOD_TABLE), encoding="utf-8")
    out = tmp_path / "inputs" / "findings" / "northmoor.yaml"
    assert _cli("import", report, "-o", out).exit_code == 0
    out.write_text(out.read_text(encoding="utf-8").replace("local_authority: Northmoor", "local_authority: Rutland"), encoding="utf-8")
    result = _cli("validate", tmp_path / "inputs")
    assert result.exit_code == 0 and "imported with warnings" not in result.output


def test_warnings_of_one_kind_are_counted_not_flooded() -> None:
    from selfeval.commands.import_report import group_warnings

    many = [f"no paragraphs found under 'Heading {i}'" for i in range(40)] + ["could not find the lead inspector"]
    shown = group_warnings(many)
    assert shown[:3] == many[:3]
    assert shown[3].startswith("... and 37 more warnings like the one above")
    assert shown[4] == "could not find the lead inspector"


# -- framework refs: every printed spelling, and which outcome was meant ------------------------------


@pytest.mark.parametrize(
    ("text", "without", "refs", "raw"),
    [
        ("Planning. [Outcome 3, national framework]", "Planning.", ["outcome 3"], "[Outcome 3, national framework]"),
        ("Planning. (National Framework, Outcome 2)", "Planning.", ["outcome 2"], "(National Framework, Outcome 2)"),
        ("Oversight (enabler 2, leaders drive conditions for effective practice).", "Oversight.", ["enabler 2"],
         "(enabler 2, leaders drive conditions for effective practice)"),
        ("Oversight (enabler 2, leaders drive …)", "Oversight", ["enabler 2"], "(enabler 2, leaders drive …)"),
        ("Staffing levels. Enabler three: National Framework.", "Staffing levels.", ["enabler 3"], "Enabler three: National Framework"),
        ("Homes for children (outcome 4, national framework).", "Homes for children.", ["outcome 4"], "(outcome 4, national framework)"),
    ],
)
def test_framework_ref_spellings(text: str, without: str, refs: list[str], raw: str) -> None:
    from selfeval.framework_refs import split_refs

    rest, found = split_refs(text)
    assert (rest, [r.ref for r in found], found[0].raw) == (without, refs, raw)


def test_prose_that_mentions_outcomes_is_not_a_ref() -> None:
    from selfeval.framework_refs import split_refs

    assert split_refs("Children in care. Outcomes are poor.") == ("Children in care. Outcomes are poor.", [])


def test_a_2026_outcome_number_is_kept_as_printed_and_read_as_meant(tmp_path: Path) -> None:
    table_2026 = [
        "The impact of leaders on social work practice with children and families Good",
        "The experiences and progress of children who need help and protection Good",
        "The experiences and progress of children in care Good",
        "The experiences and progress of care leavers Good",
    ]
    text = ilacs_text(["Inspection of Trafford local authority children’s services"], table_2026, afis=(
        "Timeliness and response to children at risk of significant harm (outcome 2, national framework).",
        "The exploration of family networks for children in need (outcome 3, national framework).",
    )).replace("7 October 2019 to 18 October 2019", "8 June 2026 to 19 June 2026")
    ex = _import(tmp_path, text)
    safety, family = ex.areas
    # Printed in DfE's March 2026 order (safety = 2); stored verbatim, meant in the canonical numbering.
    assert (safety.refs[0].raw, safety.refs[0].printed, safety.refs[0].ref) == ("(outcome 2, national framework)", "outcome 2", "outcome 3")
    assert (family.refs[0].printed, family.refs[0].ref) == ("outcome 3", "outcome 2")
    findings = ex.to_findings(dt.date(2026, 9, 1))
    ref = findings.areas_for_improvement[0].framework_refs[0]
    assert (ref.ref, ref.raw, ref.source) == ("outcome 3", "(outcome 2, national framework)", "ofsted")
    assert ref.reasons and "harm" in ref.reasons[0]  # says why: the wording is about safety
    assert findings.areas_for_improvement[0].text.endswith("(outcome 2, national framework).")  # Ofsted's words untouched


def test_an_area_no_word_places_is_inferred_from_the_paragraphs_that_discuss_it(tmp_path: Path) -> None:
    text = ilacs_text(["Inspection of Havering local authority children’s services"], GOOD_TABLE, afis=(
        "The timeliness of dental checks for children.",
    )).replace("12. Inspectors found practice point 12.", "12. Dental checks are late for a third of children; their timeliness is not tracked.")
    ex = _import(tmp_path, text)
    [area] = ex.areas
    assert (area.judgement_area, area.area_inferred, area.source_paragraphs) == ("help_and_protection", True, [12])
    afi = ex.to_findings(dt.date(2026, 1, 1)).areas_for_improvement[0]
    assert (afi.judgement_area, afi.judgement_area_inferred, afi.source_paragraphs) == ("help_and_protection", True, [12])
    from selfeval.analyse.areas import judgement_area_for

    assert "inferred on import from paragraph(s) 12" in judgement_area_for(afi, None)[1]


def test_a_fingerprint_in_provenance_is_not_mistaken_for_an_nhs_number(tmp_path: Path) -> None:
    from selfeval.load.findings import load_findings_file

    path = tmp_path / "f.yaml"
    path.write_text(
        "local_authority: Leeds\ntype: focused visit\ninspection_dates: [{start: 2024-05-01}]\n"
        "provenance:\n  source_file: r.pdf\n  sha256: " + "4010232137" + "a" * 54 + "\n  imported: 2024-06-01\n",
        encoding="utf-8",
    )
    assert load_findings_file(path).findings.provenance is not None


def test_a_visit_import_says_plainly_what_it_does_not_read(tmp_path: Path) -> None:
    report = Path(__file__).parents[2] / "shared" / "domain" / "reports" / "lambeth-2023-08-focused-visit.md"
    if not report.is_file():
        pytest.skip("shared reports folder is absent")
    result = _cli("import", report, "-o", tmp_path / "fv.yaml")
    assert result.exit_code == 0, result.output
    assert "Not read from this focused visit: strengths are not separated" in result.output
