"""What the importer found in a report, and its two outputs: ``Findings`` and the test JSON shape."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from selfeval.errors import InputError, Location
from selfeval.load.report.checks import Check
from selfeval.models.findings import Findings, slug


@dataclass
class FoundRef:
    ref: str | None  # the item meant, in selfeval's canonical numbering; None if it matches no framework item
    raw: str  # exactly as printed, with its brackets
    printed: str | None = None  # normalised but in the printed numbering ('outcome 2' in a 2026 report)
    reason: str | None = None  # how the printed number was read, when an edition or the wording decided


@dataclass
class FoundArea:
    text: str
    text_without_refs: str
    refs: list[FoundRef] = field(default_factory=list)
    priority: bool = False
    source_paragraphs: list[int] = field(default_factory=list)  # the report's paragraphs it rests on
    judgement_area: str | None = None
    area_reason: str | None = None  # how the judgement area was found (printed, or inferred and from what)
    area_inferred: bool = False


@dataclass
class FoundJudgement:
    label: str  # as printed in the table
    grade: str  # as printed
    area: str | None  # canonical key
    grade_id: str | None


@dataclass
class FoundParagraph:
    number: int | None
    text: str


@dataclass
class FoundSection:
    heading: str
    area: str | None = None
    grade_id: str | None = None
    paragraphs: list[FoundParagraph] = field(default_factory=list)


@dataclass
class Extraction:
    source_file: str
    sha256: str
    page_count: int
    report_title: str | None = None
    local_authority: str | None = None
    type: str | None = None  # "full inspection", "focused visit", "monitoring visit"
    inspection_kind: str | None = None
    theme: str | None = None
    dates_raw: str | None = None
    date_ranges: list[tuple[dt.date, dt.date | None]] = field(default_factory=list)
    published: dt.date | None = None
    lead_inspector_raw: str | None = None
    lead_inspector: str | None = None
    inspectors: list[str] = field(default_factory=list)
    judgements: list[FoundJudgement] = field(default_factory=list)
    afi_heading_raw: str | None = None
    areas: list[FoundArea] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    sections: list[FoundSection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    council: str | None = None  # the catalogue's display name of the council the report is about
    not_read: list[str] = field(default_factory=list)  # what this kind of report holds that the import does not read

    @property
    def failed_checks(self) -> list[Check]:
        return [c for c in self.checks if not c.passed]

    # -- the .expected.json shape --------------------------------------------------------

    def to_expected_json(self) -> dict[str, Any]:
        return {
            "source_file": self.source_file,
            "report_title": self.report_title,
            "local_authority": self.local_authority,
            "council": self.council,
            "published": self.published.isoformat() if self.published else None,
            "inspection_dates": {
                "raw": self.dates_raw,
                "ranges": [{"start": s.isoformat(), "end": e.isoformat() if e else None} for s, e in self.date_ranges],
            },
            "lead_inspector": self.lead_inspector_raw,
            "inspectors": self.inspectors,
            "type": self.type,
            "ilacs_inspection_kind": self.inspection_kind,
            "theme": self.theme,
            "judgements": {j.label: j.grade for j in self.judgements},
            "afi_heading_raw": self.afi_heading_raw,
            "areas_for_improvement": [
                {
                    "text": a.text,
                    "text_without_refs": a.text_without_refs,
                    "framework_refs": [r.printed or r.ref or r.raw for r in a.refs],
                    "framework_refs_raw": [r.raw for r in a.refs],
                    "framework_refs_meant": [r.ref for r in a.refs],
                    **({"priority": True} if a.priority else {}),
                    **({"judgement_area": a.judgement_area, "judgement_area_how": a.area_reason,
                        "source_paragraphs": a.source_paragraphs} if a.area_inferred else {}),
                }
                for a in self.areas
            ],
            "footnotes": self.footnotes,
            "section_headings": [s.heading for s in self.sections],
            "paragraphs_by_section": {s.heading: _paragraph_stats(s) for s in self.sections},
            "summary": self.summary,
            "warnings": self.warnings,
            "checks": [c.as_json() for c in self.checks],
            "not_read": self.not_read,
        }

    # -- Findings --------------------------------------------------------------------------

    def afi_id(self, index: int) -> str:
        """Stable id from the council, the start year and the position: 'LAM-2026-01'."""
        letters = slug(self.council or self.local_authority or "report").replace("-", "")[:3].upper() or "AFI"
        year = self.date_ranges[0][0].year if self.date_ranges else 0
        return f"{letters}-{year:04d}-{index + 1:02d}"

    def to_findings(self, imported: dt.date, importer: str | None = None) -> Findings:
        data = {
            "local_authority": self.council or self.local_authority,
            "type": self.type,
            "inspection_kind": self.inspection_kind if self.type == "full inspection" else None,
            "title": self.report_title,
            "theme": self.theme,
            "inspection_dates": [{"start": s, "end": e} for s, e in self.date_ranges],
            "published": self.published,
            "lead_inspector": self.lead_inspector,
            "inspectors": self.inspectors,
            "judgements": {j.area: j.grade_id for j in self.judgements if j.area and j.grade_id},
            "summary": self.summary,
            "areas_for_improvement": [self._afi(i, a) for i, a in enumerate(self.areas)],
            "sections": [
                {
                    "heading": s.heading,
                    "judgement_area": s.area,
                    "grade": s.grade_id,
                    "paragraphs": [{"number": p.number, "text": p.text} for p in s.paragraphs],
                }
                for s in self.sections
            ],
            "provenance": {
                "source_file": self.source_file,
                "sha256": self.sha256,
                "imported": imported,
                "importer": importer,
                "warnings": self.warnings,
                "checks_failed": [f"{c.name}: {c.detail}" for c in self.failed_checks],
            },
        }
        missing = [what for what, value in (
            ("the council's name", self.local_authority),
            ("the kind of engagement (inspection or visit)", self.type),
            ("the inspection dates", self.date_ranges),
        ) if not value]
        if missing:
            raise InputError(
                f"this does not read as an Ofsted inspection report or visit letter: could not find {_and(missing)}; "
                "nothing was written (use the report as Ofsted published it, or 'selfeval import --json' to see what was read)",
                Location(self.source_file),
            )
        try:
            return Findings.model_validate(data)
        except ValidationError as e:
            details = [f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in e.errors()]
            raise InputError(
                "could not build findings from this report (see below); nothing was written",
                Location(self.source_file),
                details=details,
            ) from None

    def _afi(self, index: int, area: FoundArea) -> dict[str, Any]:
        refs = [
            {"ref": r.ref, "source": "ofsted", "raw": r.raw, **({"reasons": [r.reason]} if r.reason else {})}
            for r in area.refs
            if r.ref
        ]
        data: dict[str, Any] = {"id": self.afi_id(index), "text": area.text, "framework_refs": refs, "priority": area.priority}
        if area.source_paragraphs:
            data["source_paragraphs"] = list(area.source_paragraphs)
        if area.judgement_area:
            data["judgement_area"] = area.judgement_area
        if area.area_inferred:
            data["judgement_area_inferred"] = True
        return data


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + (", or " if len(items) > 2 else " or ") + items[-1]


def _paragraph_stats(section: FoundSection) -> dict[str, Any]:
    numbers = [p.number for p in section.paragraphs if p.number is not None]
    return {
        "first": numbers[0] if numbers else None,
        "last": numbers[-1] if numbers else None,
        "count": len(section.paragraphs),
    }
