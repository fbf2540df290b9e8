"""`selfeval import`: every shared report against its hand-checked answer, plus the parsers and the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from selfeval.load.report import import_report
from selfeval.load.report.dates import parse_date_ranges
from selfeval.framework_refs import split_refs
from selfeval.models.findings import Findings

REPO = Path(__file__).parents[1]
REPORTS = Path(__file__).parents[2] / "shared" / "domain" / "reports"
FINDINGS = REPO / "inputs" / "findings"
needs_reports = pytest.mark.skipif(not REPORTS.is_dir(), reason=f"shared reports folder {REPORTS} is absent (CI has it)")

PDFS = sorted(p.name for p in REPORTS.glob("*.pdf")) if REPORTS.is_dir() else []
TEXTS = ["lambeth-2026-01-full-inspection.txt", "lambeth-2023-08-focused-visit.md"]
AFI_KEYS = ("text", "text_without_refs", "framework_refs", "framework_refs_raw")


@needs_reports
@pytest.mark.parametrize("name", PDFS)
def test_pdf_matches_expected(name: str) -> None:
    expected = json.loads((REPORTS / name.replace(".pdf", ".expected.json")).read_text(encoding="utf-8"))
    got = import_report(REPORTS / name).to_expected_json()
    for key in ("local_authority", "inspection_dates", "lead_inspector", "type", "ilacs_inspection_kind", "judgements"):
        assert got[key] == expected[key], key
    assert [{k: a[k] for k in AFI_KEYS} for a in got["areas_for_improvement"]] == [
        {k: a[k] for k in AFI_KEYS} for a in expected["areas_for_improvement"]
    ]
    assert got["section_headings"] == expected["section_headings"]
    assert got["paragraphs_by_section"] == expected["paragraphs_by_section"]
    assert got["footnotes"] == expected["footnotes"]
    assert got["warnings"] == []


@needs_reports
@pytest.mark.parametrize("name", TEXTS)
def test_lambeth_matches_inputs_yaml(name: str) -> None:
    extraction = import_report(REPORTS / name)
    assert extraction.warnings == []
    got = extraction.to_findings(dt.date(2026, 1, 1))
    want = Findings.model_validate(yaml.safe_load((FINDINGS / name.rsplit(".", 1)[0]).with_suffix(".yaml").read_text(encoding="utf-8")))
    for key in ("local_authority", "type", "inspection_kind", "inspection_dates", "lead_inspector", "inspectors", "judgements", "summary"):
        assert getattr(got, key) == getattr(want, key), key
    assert [(a.id, a.text, [(r.ref, r.raw) for r in a.framework_refs]) for a in got.areas_for_improvement] == [
        (a.id, a.text, [(r.ref, r.raw) for r in a.framework_refs]) for a in want.areas_for_improvement
    ]
    assert [(s.heading, s.grade) for s in got.sections] == [(s.heading, s.grade) for s in want.sections]
    assert [[(p.number, p.text) for p in s.paragraphs] for s in got.sections] == [
        [(p.number, p.text) for p in s.paragraphs] for s in want.sections
    ]


@needs_reports
def test_focused_visit_letter_fields() -> None:
    got = import_report(REPORTS / "lambeth-2023-08-focused-visit.md")
    assert got.type == "focused visit"
    assert got.published == dt.date(2023, 8, 1)
    assert got.afi_heading_raw == "What needs to improve in this area of social work practice?"
    assert all(a.refs == [] for a in got.areas)


# -- framework refs, every style seen ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "without", "refs", "raws"),
    [
        ("Front door screening. (outcome 3, national framework)", "Front door screening.", ["outcome 3"], ["(outcome 3, national framework)"]),
        ("Support for care leavers (Outcome four, National Framework).", "Support for care leavers.", ["outcome 4"], ["(Outcome four, National Framework)"]),
        ("Staffing for children (Enabler two).", "Staffing for children.", ["enabler 2"], ["(Enabler two)"]),
        ("Timely decisions. (Principle 1)", "Timely decisions.", ["principle 1"], ["(Principle 1)"]),
        (
            "Management oversight (enabler: leaders drive conditions for effective practice, national framework)",
            "Management oversight",
            ["enabler 2"],
            ["(enabler: leaders drive conditions for effective practice, national framework)"],
        ),
        ("Safety planning (outcome 2, national framework)", "Safety planning", ["outcome 2"], ["(outcome 2, national framework)"]),
        ("Homes (outcome 3 and enabler 2, national framework).", "Homes.", ["outcome 3", "enabler 2"], ["(outcome 3 and enabler 2, national framework)"] * 2),
        ("The response to children (see paragraph 3).", "The response to children (see paragraph 3).", [], []),
        ("No ref at all.", "No ref at all.", [], []),
    ],
)
def test_split_refs(text: str, without: str, refs: list[str], raws: list[str]) -> None:
    rest, found = split_refs(text)
    assert rest == without
    assert [r.ref for r in found] == refs
    assert [r.raw for r in found] == raws


def test_ref_wrapped_across_lines_is_joined_before_parsing() -> None:
    from selfeval.load.report.parse import _join

    text = _join("Homes to meet children’s needs. (outcome", "4, national framework)")
    assert split_refs(text)[1][0].ref == "outcome 4"


def test_unknown_ref_is_kept_raw() -> None:
    rest, found = split_refs("Something (outcome 9, national framework)")
    assert rest == "Something" and found[0].ref is None and found[0].raw == "(outcome 9, national framework)"


# -- dates ---------------------------------------------------------------------------------------

D = dt.date


@pytest.mark.parametrize(
    ("text", "ranges"),
    [
        ("12 to 23 January 2026", [(D(2026, 1, 12), D(2026, 1, 23))]),
        ("9 July 2018 to 20 July 2018", [(D(2018, 7, 9), D(2018, 7, 20))]),
        ("28 November to 2 December 2022", [(D(2022, 11, 28), D(2022, 12, 2))]),
        ("27 June to 28 June 2023", [(D(2023, 6, 27), D(2023, 6, 28))]),
        ("30 December 2025 to 2 January 2026", [(D(2025, 12, 30), D(2026, 1, 2))]),
        ("6 to 8 March and 20 to 22 March 2024", [(D(2024, 3, 6), D(2024, 3, 8)), (D(2024, 3, 20), D(2024, 3, 22))]),
        ("4 and 5 July 2023", [(D(2023, 7, 4), D(2023, 7, 5))]),
        ("14 May 2024", [(D(2024, 5, 14), None)]),
    ],
)
def test_date_styles(text: str, ranges: list) -> None:
    assert parse_date_ranges(text) == ranges


def test_no_date_is_an_error() -> None:
    with pytest.raises(ValueError):
        parse_date_ranges("next week")


# -- YAML writer ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["lambeth-2026-01-full-inspection.yaml", "lambeth-2023-08-focused-visit.yaml"])
def test_inputs_yaml_round_trips_through_writer(name: str) -> None:
    from selfeval.write.findings_yaml import dump_findings

    findings = Findings.model_validate(yaml.safe_load((FINDINGS / name).read_text(encoding="utf-8")))
    text = dump_findings(findings, "header line")
    assert text.startswith("# header line\n")
    assert Findings.model_validate(yaml.safe_load(text)) == findings


# -- CLI -----------------------------------------------------------------------------------------


@pytest.fixture()
def cli():
    from typer.testing import CliRunner

    from selfeval.cli import app

    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(map(str, args)))


@needs_reports
def test_cli_json(cli) -> None:
    result = cli("import", REPORTS / "harrow-2025-03-full-inspection.pdf", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["local_authority"] == "Harrow"
    assert data["areas_for_improvement"][0]["framework_refs"] == ["enabler 2"]


@needs_reports
def test_cli_writes_yaml_and_refuses_to_overwrite(cli, tmp_path: Path) -> None:
    out = tmp_path / "findings" / "trafford.yaml"
    result = cli("import", REPORTS / "trafford-2026-08-full-inspection.pdf", "-o", out)
    assert result.exit_code == 0, result.output
    findings = Findings.model_validate(yaml.safe_load(out.read_text(encoding="utf-8")))
    assert findings.local_authority == "Trafford" and len(findings.areas_for_improvement) == 9
    assert findings.provenance is not None and findings.provenance.source_file == "trafford-2026-08-full-inspection.pdf"
    assert len(findings.provenance.sha256) == 64
    before = out.read_text(encoding="utf-8")
    again = cli("import", REPORTS / "trafford-2026-08-full-inspection.pdf", "-o", out)
    assert again.exit_code != 0 and "already exists" in again.output
    assert out.read_text(encoding="utf-8") == before
    assert cli("import", REPORTS / "trafford-2026-08-full-inspection.pdf", "-o", out, "--force").exit_code == 0
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]


@needs_reports
def test_cli_default_output_path(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("import", REPORTS / "lambeth-2026-01-full-inspection.txt")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "inputs" / "findings" / "lambeth-2026-01-full-inspection.yaml").is_file()


def test_cli_unsupported_file_type(cli, tmp_path: Path) -> None:
    bad = tmp_path / "report.rtf"
    bad.write_text("{\\rtf1}")
    result = cli("import", bad)
    assert result.exit_code == 2
    assert "report.rtf" in result.output and "cannot import" in result.output


def test_cli_unreadable_pdf(cli, tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"not a pdf at all")
    result = cli("import", bad)
    assert result.exit_code == 2
    assert "broken.pdf" in result.output


def test_cli_empty_text_file_warns_nothing_silently(cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n")
    result = cli("import", empty)
    assert result.exit_code == 2 and "no text" in result.output


def test_docx_report(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    for text in [
        "Inspection of Example local authority children’s services",
        "Inspection dates: 3 to 7 March 2025",
        "Lead inspector: A Person, His Majesty’s Inspector",
    ]:
        doc.add_paragraph(text)
    table = doc.add_table(rows=3, cols=2)
    for row, (a, b) in zip(table.rows, [("Judgement", "Grade"), ("The experiences and progress of children in care", "Good"), ("Overall effectiveness", "Good")]):
        row.cells[0].text, row.cells[1].text = a, b
    doc.add_paragraph("Children do well here.")
    doc.add_paragraph("What needs to improve?")
    doc.add_paragraph("Return home interviews. (outcome 3, national framework)", style="List Bullet")
    doc.add_paragraph("The experiences and progress of children in care: good")
    doc.add_paragraph("1. First paragraph.")
    doc.add_paragraph("2. Second paragraph.")
    path = tmp_path / "example.docx"
    doc.save(str(path))
    ex = import_report(path)
    assert ex.local_authority == "Example"
    assert [(j.area, j.grade_id) for j in ex.judgements] == [("children_in_care", "good"), ("overall_effectiveness", "good")]
    assert [a.text for a in ex.areas] == ["Return home interviews. (outcome 3, national framework)"]
    assert [len(s.paragraphs) for s in ex.sections] == [2]


def test_a_file_that_is_not_an_ofsted_report_is_refused_and_nothing_is_written(tmp_path):
    from conftest import run_cli

    notes = tmp_path / "minutes.txt"
    notes.write_text("Minutes of the corporate parenting board\n\nApologies were received.\n", encoding="utf-8")
    out = tmp_path / "findings.yaml"
    result = run_cli("import", str(notes), "-o", str(out))
    assert result.code == 2
    assert "minutes.txt: this does not read as an Ofsted inspection report or visit letter" in result.stderr
    assert "the council's name" in result.stderr and not out.exists()
    assert "Traceback" not in result.stdout + result.stderr
