"""``selfeval import REPORT``: a published Ofsted report or visit letter -> findings YAML (or JSON)."""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from selfeval import __version__
from selfeval.errors import InputError, Location, OutputError, display_path
from selfeval.models.findings import Findings, slug


@dataclass
class ImportResult:
    warnings: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    json_text: str | None = None
    written: Path | None = None
    findings: Findings | None = None


def import_report(report: Path, out: Path | None, as_json: bool, force: bool = False, today: dt.date | None = None) -> ImportResult:
    from selfeval.load.report import import_report

    if not report.is_file():
        raise InputError("no such report file", Location(report))
    extraction = import_report(report)
    result = ImportResult(warnings=group_warnings(extraction.warnings))
    if as_json:
        result.json_text = json.dumps(extraction.to_expected_json(), ensure_ascii=False, indent=2)
        return result
    findings = extraction.to_findings(today or dt.date.today(), importer=f"selfeval {__version__}")
    findings = _suggest_missing_refs(findings, result.warnings)
    if findings.provenance is not None and findings.provenance.checks_failed:
        # Fingerprint what was imported, so validate can tell when a person has edited it since.
        provenance = findings.provenance.model_copy(update={"content_sha256": findings.content_fingerprint()})
        findings = findings.model_copy(update={"provenance": provenance})
    _refuse_personal_data(findings, report)
    target = out or default_path(findings)
    if target.exists() and not force:
        raise OutputError(f"{display_path(target)} already exists; use --force to replace it", Location(target))
    from selfeval.wording import count
    from selfeval.write.findings_yaml import dump_findings

    day = today or dt.date.today()
    _write_atomically(target, dump_findings(findings, _header(findings, report)))
    result.written, result.findings = target, findings
    partial = " (partial: see the warnings above)" if result.warnings else ""
    result.lines.append(
        f"Wrote {display_path(target)}: {count(len(findings.areas_for_improvement), 'area')} for improvement, "
        f"{count(len(findings.judgements), 'judgement')}, {count(sum(len(s.paragraphs) for s in findings.sections), 'paragraph')}{partial}."
    )
    for item in extraction.not_read:
        result.lines.append(f"Not read from this {findings.engagement.phrase}: {item}.")
    result.lines.extend(ref_lines(findings, day))
    return result


def _refuse_personal_data(findings: Findings, report: Path) -> None:
    """The findings file is screened for personal identifiers when it is read (validate, generate),
    so what import is about to write is screened the same way first: text that only reads as one once
    the report's lines are joined into paragraphs ('... 7 March 2025' then 'DOB') is refused here,
    at the report, rather than written into a file that validate would then refuse."""
    from selfeval.safety.personal_data import identifier_rule

    for text in _texts(findings.model_dump(mode="json")):
        rule = identifier_rule(text)
        if rule and not _SHA256.fullmatch(text):
            raise InputError(
                f"the report's text, as it would go into the findings file, looks like {rule} (not repeated here), "
                "which is personal data about an individual; selfeval imports only the published report, "
                "with no child's details: nothing was written",
                Location(report),
            )


_SHA256 = re.compile(r"[0-9a-f]{64}")  # provenance fingerprints: ten digits inside one are not an NHS number


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def ref_lines(findings: Findings, day: dt.date) -> list[str]:
    """What import made of each area's National Framework ref, numbered as in force on ``day``:
    the suggestions (to check) and any printed outcome number read in another numbering."""
    from selfeval.framework_refs import refs_in_group
    from selfeval.render import formatting as fmt

    lines = []
    for afi in findings.areas_for_improvement:
        for r in afi.framework_refs:
            label, title = fmt.ref_title(r.ref, day)
            if r.source == "suggested":
                confidence = f", confidence {r.confidence:.2f}" if r.confidence is not None else ""
                low = ", low: choose the ref yourself" if r.is_low_confidence else ""
                lines.append(f"  {afi.id}: {label}: {title} (suggested{confidence}{low})")
            elif r.raw and label.lower() not in (refs_in_group(r.raw.strip("()[] ")) or []):
                lines.append(f"  {afi.id}: {label}: {title} (Ofsted printed {r.raw})")
    if lines:
        lines.insert(0, "National Framework refs to check (numbered as in force today; "
                        "the findings file keeps Ofsted's printed ref and uses the 2023 numbering):")
    return lines


SHOWN_PER_KIND = 3
_QUOTED = re.compile(r"'[^']*'|\d+")


def group_warnings(warnings: list[str], shown: int = SHOWN_PER_KIND) -> list[str]:
    """Warnings of the same kind (the same words once quoted text and numbers are set aside) are
    counted: the first few in full, then one line saying how many more. A 2018 report once gave
    214 lines of 'no paragraphs under ...'; the findings file keeps every one in provenance."""
    kinds: dict[str, list[str]] = {}
    for w in warnings:
        kinds.setdefault(_QUOTED.sub("_", w), []).append(w)
    out: list[str] = []
    for same in kinds.values():
        out.extend(same[:shown])
        if len(same) > shown:
            rest = len(same) - shown
            out.append(f"... and {rest} more warning{'s' if rest != 1 else ''} like the one above (all listed under provenance.warnings in the findings file)")
    return out


def default_path(findings: Findings) -> Path:
    kind = findings.type.replace("_", "-")
    return Path("inputs") / "findings" / f"{slug(findings.local_authority)}-{findings.start:%Y-%m}-{kind}.yaml"


def _suggest_missing_refs(findings: Findings, warnings: list[str]) -> Findings:
    """Add selfeval's suggested framework refs where Ofsted gave none: the one rule generate and map use too."""
    from selfeval.analyse.framework_map import with_suggestions

    try:
        return with_suggestions(findings)
    except Exception as e:  # a suggestion failure must not lose the import  # noqa: BLE001
        warnings.append(f"could not suggest framework refs: {e}")
        return findings


def _header(findings: Findings, report: Path) -> str:
    from selfeval.render.formatting import stored_numbering_note

    return (
        f"Findings imported by selfeval from {report.name} ({findings.engagement.phrase}, "
        f"{findings.local_authority}).\n"
        "Source: Ofsted - Crown copyright, reused under the Open Government Licence v3.0.\n"
        "Check it against the report before relying on it; see provenance.warnings for anything the importer could not find.\n"
        + "\n".join(textwrap.wrap(stored_numbering_note(), 100))
    )


def _write_atomically(target: Path, text: str) -> None:
    from selfeval.write.atomic import atomic_write

    try:
        atomic_write(target, text)
    except OSError as e:
        raise OutputError(f"cannot write the findings file: {e.strerror or e}", Location(target)) from None
