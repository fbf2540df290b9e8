"""Property-based rendering: hostile strings in every text field of a findings file still give three
Word documents that open, hold the text intact (minus the characters XML forbids, which are
reported as a warning) and pass Microsoft's schema validator.

Rendering costs about 0.2 s per document, so the example count is small and the seed fixed."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_property_loaders import FRAGMENTS, findings_dict, hostile_text

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
DOCS = ("self-evaluation.docx", "improvement-plan.docx", "board-summary.docx")
WARNING = "control characters that Word cannot store"


def docx_text(path: Path) -> str:
    """Paragraph text, with w:tab and w:br read as whitespace (python-docx writes \\t and \\n that way
    when the placeholder pass splits a run)."""
    from docx import Document
    from docx.oxml.ns import qn

    parts = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n"}
    lines = []
    for p in Document(str(path)).element.body.iter(qn("w:p")):
        lines.append("".join((el.text or "") if parts[el.tag] is None else parts[el.tag] for el in p.iter(*parts)))
    return "\n".join(lines)


def squash(text: str) -> str:
    return " ".join(FORBIDDEN.sub("", text).split())


def generate(texts: list[str], root: Path):
    from selfeval.commands.generate import generate as generate_documents

    data = findings_dict(texts)
    inputs = root / "inputs"
    (inputs / "findings").mkdir(parents=True)
    (inputs / "findings" / "hostile.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return data, generate_documents(inputs=inputs, out=root / "outputs", today=dt.date(2026, 3, 1))


def check_documents(data: dict, result, out: Path) -> None:
    assert sorted(p.name for p in out.glob("*.docx")) == sorted(DOCS)
    texts = {}
    for name in DOCS:
        texts[name] = squash(docx_text(out / name))  # opens with python-docx
    council = squash(data["local_authority"])
    for name in DOCS:
        assert council in texts[name], name
    afi = squash(data["areas_for_improvement"][0]["text"])
    assert afi in texts["improvement-plan.docx"]
    assert afi in texts["self-evaluation.docx"]
    assert squash(data["strengths"][0]["text"]) in texts["self-evaluation.docx"]
    shown = [data["local_authority"], data["areas_for_improvement"][0]["text"], data["strengths"][0]["text"]]
    warned = [w for w in result.warnings if WARNING in w]
    if any(FORBIDDEN.search(t) for t in shown):
        assert warned, result.warnings
    if not any(FORBIDDEN.search(str(v)) for v in _strings(data)):
        assert not warned, result.warnings
    # No template syntax from the data was executed: it is shown as typed.
    for t in shown:
        if "{{ x }}" in t:
            assert "{{ x }}" in texts["improvement-plan.docx"]


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


@settings(max_examples=15, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(hostile_text, min_size=11, max_size=11))
def test_hostile_text_in_every_field_renders_intact(texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data, result = generate(texts, Path(tmp))
        check_documents(data, result, Path(tmp) / "outputs")


EVERYTHING = "".join(f for f in FRAGMENTS if len(f) < 100)
FIXED = {
    "every fragment in every field": [EVERYTHING] * 11,
    "10,000-character cells": ["x" * 10_000 + EVERYTHING] * 11,
    "only control characters around text": ["\x0b\x0c\x00\x1f" + "Lambeth" + "\x1f\x00"] * 11,
}


@pytest.mark.parametrize("case", list(FIXED), ids=list(FIXED))
def test_fixed_hostile_cases_render_intact_and_warn(case: str, tmp_path: Path) -> None:
    data, result = generate(FIXED[case], tmp_path)
    check_documents(data, result, tmp_path / "outputs")
    assert any(WARNING in w for w in result.warnings)


@pytest.mark.slow
@pytest.mark.parametrize("case", list(FIXED), ids=list(FIXED))
def test_hostile_documents_pass_the_schema_validator(case: str, tmp_path: Path) -> None:
    from word_clients import validate_ooxml

    _, _ = generate(FIXED[case], tmp_path)
    for name in DOCS:
        errors = validate_ooxml(tmp_path / "outputs" / name)
        assert errors == [], (name, errors[:3])
