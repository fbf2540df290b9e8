"""The framework-ref suggester learned from Ofsted's own tags: one rule for every command,
refs that must come out right whatever it learns, printed refs never replaced, and a model
that can be rebuilt from the labelled areas byte for byte."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from selfeval.analyse import framework_map as fm
from selfeval.analyse.framework_learned import Example, train
from selfeval.analyse.framework_map import suggest_refs, with_suggestions
from selfeval.models.findings import AreaForImprovement, Findings, FrameworkRef

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "selfeval" / "data"
REPORTS_DEV = ROOT.parent / "shared" / "domain" / "reports-dev"


# -- refs that must come out right, whatever the model learns ---------------------------------

MUST = [
    ("The response to 16- and 17-year-olds who present as homeless.", "outcome 3"),
    ("The quality of joint assessments for homeless 16- and 17-year-olds.", "outcome 3"),
    ("Children aged 16 and 17 years who are homeless do not always have their needs assessed.", "outcome 3"),
    ("Social workers' caseloads, which remain too high in the assessment teams.", "enabler 3"),
    ("The recruitment and retention of permanent social workers, to reduce caseloads.", "enabler 3"),
    ("The exploration of family networks when children cannot live at home.", "outcome 2"),
    ("The timely use of family group conferences to involve the wider family.", "outcome 2"),
]


@pytest.mark.parametrize(("text", "ref"), MUST)
def test_refs_that_must_come_out_right_with_the_shipped_model(text: str, ref: str) -> None:
    assert suggest_refs(text)[0].ref == ref


def _contrary_model() -> object:
    """A learned model trained on labels that say the opposite of the framework for every must-case."""
    wrong = {"outcome 3": "outcome 4", "enabler 3": "enabler 2", "outcome 2": "outcome 4"}
    examples = [
        Example("Nowhere", "2026-01-01", text, (wrong[ref],), fm.features(text)) for text, ref in MUST for _ in range(5)
    ]
    return train(examples, 0.5)


@pytest.mark.parametrize(("text", "ref"), MUST)
def test_refs_that_must_come_out_right_whatever_the_model_learned(text: str, ref: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fm, "learned", _contrary_model)
    best = suggest_refs(text)[0]
    assert best.ref == ref
    assert "settles it" in best.reasons[0]


# -- a printed Ofsted ref is never replaced --------------------------------------------------

def _findings(*areas: AreaForImprovement, published: dt.date = dt.date(2026, 8, 1)) -> Findings:
    return Findings(
        local_authority="Example",
        type="full inspection",
        inspection_dates=[{"start": published - dt.timedelta(days=60), "end": published - dt.timedelta(days=50)}],
        published=published,
        areas_for_improvement=list(areas),
    )


def test_a_printed_ofsted_ref_is_never_replaced() -> None:
    # Printed "outcome 1" on an area the suggester would put under outcome 3 with high confidence:
    # the printed ref stays, verbatim, and nothing is added beside it.
    printed = FrameworkRef(ref="outcome 1", source="ofsted", raw="(outcome 1, national framework)")
    area = AreaForImprovement(id="EX-1", text="The response to children at risk of significant harm. (outcome 1, national framework)",
                              framework_refs=[printed])
    council = FrameworkRef(ref="enabler 1", source="council")
    own = AreaForImprovement(id="EX-2", text="Children who go missing from care", framework_refs=[council])
    bare = AreaForImprovement(id="EX-3", text="Children who go missing from care")
    filled = with_suggestions(_findings(area, own, bare))
    first, second, third = filled.areas_for_improvement
    assert first.framework_refs == [printed]
    assert second.framework_refs == [council]
    assert third.framework_refs and all(r.source == "suggested" for r in third.framework_refs)


def test_import_keeps_printed_refs_and_suggests_only_where_none_was_printed(tmp_path: Path) -> None:
    from selfeval.commands.import_report import run

    report = REPORTS_DEV / "middlesbrough-2026-07-full-inspection.pdf"
    if not report.exists():
        pytest.skip("reports-dev not present")
    result = run(report, tmp_path / "findings.yaml", as_json=False, today=dt.date(2026, 12, 1))
    assert result.findings is not None
    printed = [r for a in result.findings.areas_for_improvement for r in a.framework_refs if r.source == "ofsted"]
    assert printed, "the report's areas carry printed refs"
    assert all(r.raw for r in printed)  # kept verbatim
    for area in result.findings.areas_for_improvement:
        sources = {r.source for r in area.framework_refs}
        assert not ({"ofsted", "suggested"} <= sources), area.id  # never a suggestion beside a printed ref


# -- one rule: import, generate and map agree -----------------------------------------------

def test_import_generate_and_map_give_the_same_suggestions(tmp_path: Path) -> None:
    """A report without printed refs (Leicester, January 2025): what import records, generate shows
    and map answers are the same refs with the same confidences."""
    from selfeval.analyse.pack import build_pack
    from selfeval.commands import map as map_command
    from selfeval.commands.import_report import run
    from selfeval.load.inputs import load_inputs

    report = REPORTS_DEV / "leicester-2025-01-full-inspection.pdf"
    if not report.exists():
        pytest.skip("reports-dev not present")
    folder = tmp_path / "inputs"
    target = folder / "findings" / "leicester.yaml"
    result = run(report, target, as_json=False, today=dt.date(2026, 12, 1))
    assert result.findings is not None
    imported = {a.id: [(r.ref, r.confidence) for r in a.framework_refs] for a in result.findings.areas_for_improvement}
    assert imported and all(refs and all(c is not None for _, c in refs) for refs in imported.values())

    # generate: the same findings file without the suggestions (as a council's own file would be)
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    for area in data["areas_for_improvement"]:
        area.pop("framework_refs", None)
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    pack = build_pack(load_inputs(folder), today=dt.date(2026, 12, 1))
    generated = {v.afi.id: [(r.ref, r.confidence) for r in v.refs] for v in pack.areas}
    assert generated == imported

    # map: the same text, with the judgement area the findings say it belongs to
    for view in pack.areas:
        area = fm.area_judgement(view.findings, view.afi)
        args = ["--area", area] if area else []
        answer = json.loads(map_command.run(view.afi.text, True, judgement_area=area))
        assert [(s["ref"], s["confidence"]) for s in answer["suggestions"]] == imported[view.afi.id], args


def test_map_without_top_gives_the_rule_and_top_lists_more() -> None:
    from selfeval.commands import map as map_command

    text = "The quality of pathway plans for care leavers"
    rule = json.loads(map_command.run(text, True))["suggestions"]
    assert [s["ref"] for s in rule] == [s.ref for s in suggest_refs(text)]
    assert 1 <= len(rule) <= 2
    more = json.loads(map_command.run(text, True, top=5))["suggestions"]
    assert [s["ref"] for s in more][: len(rule)] == [s["ref"] for s in rule]


# -- confidence, numbering and explanations --------------------------------------------------

def test_a_suggestion_explains_itself_with_ofsteds_own_tags() -> None:
    best = suggest_refs("Management oversight and supervision of frontline social workers")[0]
    assert best.ref == "enabler 2"
    assert any(r.startswith("Ofsted's own tags") for r in best.reasons)
    assert any(r.startswith("most like ") and "which Ofsted tagged the same" in r for r in best.reasons)


def test_low_confidence_suggestions_are_marked() -> None:
    weak = suggest_refs("Something else entirely", judgement_area="care_leavers")
    assert weak and weak[0].low_confidence
    refs = fm.as_framework_refs(weak)
    assert refs[0].confidence == weak[0].confidence and "(low)" in refs[0].reasons[0]


def test_map_labels_refs_in_the_numbering_in_force_with_the_title() -> None:
    from selfeval.commands import map as map_command

    text = "Timeliness and response to children at risk of significant harm"
    after = json.loads(map_command.run(text, True, today=dt.date(2026, 12, 1)))["suggestions"][0]
    before = json.loads(map_command.run(text, True, today=dt.date(2025, 12, 1)))["suggestions"][0]
    assert after["ref"] == before["ref"] == "outcome 3"  # the findings-file key does not move
    assert (after["label"], after["numbering"]) == ("Outcome 2", "2026-03")
    assert (before["label"], before["numbering"]) == ("Outcome 3", "2023-12")
    assert after["title"] == "Children and young people are safe in and outside of their homes"


# -- the training data and the model ----------------------------------------------------------

def _labelled() -> list[dict]:
    return [json.loads(line) for line in (DATA / "labelled_areas.jsonl").read_text(encoding="utf-8").splitlines() if line]


def test_labelled_areas_are_read_as_the_outcome_meant() -> None:
    rows = _labelled()
    assert len(rows) >= 90 and len({r["council"] for r in rows}) >= 25
    harm = next(r for r in rows if r["council"] == "Trafford" and "significant harm" in r["text"])
    assert harm["printed"] == ["outcome 2"] and harm["refs"] == ["outcome 3"]  # 2026 numbering, read as safety
    lambeth = [r for r in rows if r["council"] == "Lambeth"]
    assert lambeth and all(r["printed"] == r["refs"] for r in lambeth)  # 2023 order, unchanged


def test_the_shipped_model_is_rebuilt_byte_for_byte_from_the_labelled_areas(tmp_path: Path) -> None:
    out = tmp_path / "learned.json"
    subprocess.run([sys.executable, str(ROOT / "tools" / "train_framework_map.py"), "--out", str(out)],
                   check=True, capture_output=True, text=True, timeout=300)
    assert out.read_text(encoding="utf-8") == (DATA / "framework_learned.json").read_text(encoding="utf-8")


def test_documents_mark_a_low_confidence_suggestion_as_such() -> None:
    from selfeval.render import formatting as fmt

    day = dt.date(2026, 12, 1)
    weak = FrameworkRef(ref="outcome 4", source="suggested", confidence=0.31)
    strong = FrameworkRef(ref="outcome 3", source="suggested", confidence=0.82)
    confirmed = weak.model_copy(update={"confirmed": True})
    assert fmt.ref_label(weak, day).endswith("(suggested, low confidence)")
    assert fmt.ref_short(weak, day) == "Outcome 4 (suggested, low confidence)"
    assert fmt.ref_label(strong, day).endswith("(suggested)")
    assert "suggested" not in fmt.ref_label(confirmed, day)  # a person checked it
    assert "Low confidence" in fmt.SUGGESTED_NOTE


def test_documents_can_number_a_ref_as_on_their_date() -> None:
    from selfeval.render import formatting as fmt

    safe = FrameworkRef(ref="outcome 3", source="ofsted", raw="(outcome 2, national framework)")
    assert fmt.ref_label(safe, on=dt.date(2026, 12, 1)) == "Outcome 2: Children and young people are safe in and outside of their homes"
    assert fmt.ref_label(safe, on=dt.date(2025, 12, 1)) == "Outcome 3: Children and young people are safe in and outside of their homes"
    assert fmt.ref_short(FrameworkRef(ref="outcome 2"), on=dt.date(2026, 12, 1)) == "Outcome 3"
