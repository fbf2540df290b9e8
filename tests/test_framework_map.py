"""The framework-ref suggester and the `selfeval map` contract."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from selfeval.analyse.framework_map import (
    Suggestion,
    stem,
    strip_ref,
    suggest_refs,
    suggested_framework_refs,
    with_suggestions,
)
from selfeval.commands.map import map_text
from selfeval.errors import InputError
from selfeval.models.findings import AreaForImprovement, Findings, FrameworkRef
from selfeval.facts import framework_items

SRC = Path(__file__).resolve().parent.parent / "src"


def cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "selfeval", "map", *args], capture_output=True, text=True, env=env, timeout=60)


# -- the `map --json` contract ----------------------------------------------------------------

def test_map_json_contract_via_cli():
    result = cli("Children who go missing and the timeliness of return home interviews", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"suggestions"}
    suggestions = data["suggestions"]
    assert suggestions, "expected at least one suggestion"
    for s in suggestions:
        assert set(s) == {"ref", "label", "numbering", "title", "confidence", "low_confidence", "reasons"}
        assert s["ref"] in framework_items()
        assert s["title"] == framework_items()[s["ref"]].title
        assert isinstance(s["confidence"], float) and 0.0 <= s["confidence"] <= 1.0
        assert s["reasons"] and all(isinstance(r, str) and r for r in s["reasons"])
    confidences = [s["confidence"] for s in suggestions]
    assert confidences == sorted(confidences, reverse=True), "best first"
    assert suggestions[0]["ref"] == "outcome 3"
    assert any("missing" in r for r in suggestions[0]["reasons"])


def test_map_empty_text_is_a_clear_error_with_exit_2():
    result = cli("", "--json")
    assert result.returncode == 2
    assert "empty" in result.stderr
    assert "Traceback" not in result.stderr
    assert cli("   ").returncode == 2


def test_map_human_output_is_a_table():
    result = cli("Management oversight and supervision of social workers")
    assert result.returncode == 0, result.stderr
    assert "Enabler 2" in result.stdout
    assert "confidence" in result.stdout and "reasons" in result.stdout


def test_map_unknown_judgement_area_is_an_input_error():
    with pytest.raises(InputError, match="judgement area"):
        map_text("children who go missing", True, judgement_area="nonsense")


def test_map_text_with_no_vocabulary_gives_no_suggestions():
    assert json.loads(map_text("zzz qqq", True)) == {"suggestions": []}


# -- the scorer -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # general rules, written for this test (not taken from the benchmark reports)
        ("Timeliness of early help assessments for families", "outcome 1"),
        ("Use of family group conferences to identify kinship carers", "outcome 2"),
        ("The response to children at risk of criminal exploitation", "outcome 3"),
        ("Placement stability for children in care and sufficiency of foster carers", "outcome 4"),
        ("Information-sharing between police, health and schools", "enabler 1"),
        ("The quality assurance and audit of practice by senior leaders", "enabler 2"),
        ("Social worker caseloads and the recruitment and retention of staff", "enabler 3"),
    ],
)
def test_general_rules(text, expected):
    assert suggest_refs(text)[0].ref == expected


def test_suggestions_are_ranked_and_calibrated():
    suggestions = suggest_refs("Risks to care leavers who go missing", top=5)
    assert all(isinstance(s, Suggestion) for s in suggestions)
    assert [s.confidence for s in suggestions] == sorted((s.confidence for s in suggestions), reverse=True)
    assert sum(s.confidence for s in suggestions) <= 1.0 + 1e-9  # "none of these" keeps some mass
    assert all(s.reasons for s in suggestions)


def test_judgement_area_alone_gives_a_weak_suggestion():
    suggestions = suggest_refs("Something else entirely", judgement_area="care_leavers")
    assert suggestions[0].ref == "outcome 4"
    assert suggestions[0].confidence < 0.5
    assert "judgement area" in suggestions[0].reasons[0]


def test_trailing_ref_is_ignored_and_stemming_is_light():
    assert strip_ref("The response to X. (outcome 3, national framework)") == "The response to X."
    assert strip_ref("Workloads of PAs. (Enabler two)") == "Workloads of PAs."
    assert stem("interviews") == stem("interview")
    assert stem("planning") == stem("plan")
    assert stem("children's") == "children"


def _findings(*areas: AreaForImprovement) -> Findings:
    return Findings(
        local_authority="Example",
        type="focused visit",
        inspection_dates=[{"start": dt.date(2023, 6, 27)}],
        areas_for_improvement=list(areas),
    )


def test_suggested_refs_are_marked_suggested_and_existing_refs_kept():
    without = AreaForImprovement(id="A-1", text="The response to children who go missing from care and return home interviews.")
    with_ref = AreaForImprovement(id="A-2", text="Supervision of social workers.", framework_refs=[FrameworkRef(ref="outcome 1")])
    findings = _findings(without, with_ref)
    filled = with_suggestions(findings)
    first, second = filled.areas_for_improvement
    assert first.framework_refs[0].ref == "outcome 3"
    assert first.framework_refs[0].source == "suggested" and first.framework_refs[0].is_suggested
    assert first.framework_refs[0].reasons
    assert second.framework_refs == with_ref.framework_refs  # never touched
    assert findings.areas_for_improvement[0].framework_refs == []  # the input is not mutated
    # a suggested ref survives a round trip through the findings file format
    again = Findings.model_validate(filled.model_dump(mode="json"))
    assert again.areas_for_improvement[0].framework_refs[0].is_suggested


def test_confirmed_suggestion_is_no_longer_suggested():
    refs = suggested_framework_refs(AreaForImprovement(id="A-1", text="Neglect of children"))
    confirmed = refs[0].model_copy(update={"confirmed": True})
    assert refs[0].is_suggested and not confirmed.is_suggested


def test_lambeth_2023_focused_visit_areas_all_get_suggestions():
    path = Path(__file__).resolve().parent.parent / "inputs" / "findings" / "lambeth-2023-08-focused-visit.yaml"
    if not path.exists():
        pytest.skip("Lambeth example not present")
    import yaml

    findings = Findings.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    filled = with_suggestions(findings)
    for afi in filled.areas_for_improvement:
        assert afi.framework_refs and all(r.is_suggested for r in afi.framework_refs), afi.id
    by_id = {a.id: a.framework_refs[0].ref for a in filled.areas_for_improvement}
    assert by_id["LAM-2023-03"] == "outcome 3"  # children who go missing
    # multi-agency information-sharing *at child protection conferences*: Ofsted tags multi-agency
    # areas about child protection with the safety outcome (every labelled area using 'multi-agency')
    assert by_id["LAM-2023-04"] == "outcome 3"
