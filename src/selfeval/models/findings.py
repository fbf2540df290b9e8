"""The findings of one Ofsted engagement (inspection or visit), as kept in ``inputs/findings/*.yaml``.

This model is the single source of truth for the findings file format: the loader validates
against it, the importer writes it, and the README's format reference is generated from it.
"""

# Types written as objects, not postponed as strings: see selfeval.models.

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from selfeval import facts
from selfeval.models.empty import empty_dict, empty_list

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, str_strip_whitespace=True)


class FrameworkRef(_Model):
    """One National Framework cross-reference on an area for improvement."""

    ref: str = Field(description="Normalised reference such as 'outcome 3', 'enabler 2' or 'principle 1'.")
    source: Literal["ofsted", "suggested", "council"] = Field(
        "ofsted",
        description="Who made the link: Ofsted's report, selfeval's suggestion, or the council itself.",
    )
    confirmed: bool = Field(
        False,
        description="Set to true once a person has checked a suggested ref; documents then stop marking it 'suggested'.",
    )
    raw: str | None = Field(None, description="The reference exactly as printed in the report, if imported.")
    confidence: float | None = Field(
        None, ge=0, le=1,
        description="selfeval's calibrated confidence in a suggested ref (of suggestions given 0.7, about 70% match Ofsted's own).",
    )
    reasons: list[str] = Field(
        default_factory=empty_list,
        description="Why selfeval suggested this ref, or how it read the outcome number Ofsted printed (2026 numberings).",
    )

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: object) -> object:
        # A bare string is the short form for a ref printed by Ofsted.
        if isinstance(value, str):
            return {"ref": value}
        return value

    @field_validator("ref")
    @classmethod
    def _known_ref(cls, value: str) -> str:
        item = facts.framework_item(value)
        if item is None:
            raise PydanticCustomError(
                "framework_ref",
                "'{ref}' is not in the National Framework ({known})",
                {"ref": value, "known": facts.framework_range_text()},
            )
        return item.ref

    @property
    def is_suggested(self) -> bool:
        return self.source == "suggested" and not self.confirmed

    @property
    def is_low_confidence(self) -> bool:
        """An unconfirmed suggestion whose calibrated confidence is under the threshold in framework_mapping.yaml."""
        if not self.is_suggested or self.confidence is None:
            return False
        return self.confidence < float(facts.load_data("framework_mapping.yaml")["scoring"].get("low_confidence", 0.5))

    @property
    def item(self) -> facts.FrameworkItem:
        return facts.framework_items()[self.ref]


class DateRange(_Model):
    start: dt.date
    end: dt.date | None = Field(None, description="Last day; leave out for a one-day visit.")

    @model_validator(mode="after")
    def _ordered(self) -> "DateRange":
        if self.end is not None and self.end < self.start:
            raise PydanticCustomError(
                "date_order",
                "end date {end} is before start date {start}",
                {"end": self.end.isoformat(), "start": self.start.isoformat()},
            )
        return self

    @property
    def last(self) -> dt.date:
        return self.end or self.start


def _area_key(value: str | None) -> str | None:
    if value is None:
        return None
    key = facts.area_for_title(value)
    if key is None:
        known = ", ".join(facts.judgement_areas())
        raise PydanticCustomError(
            "judgement_area", "'{value}' is not an ILACS judgement area (use one of: {known})", {"value": value, "known": known}
        )
    return key


def _grade_id(value: str | None) -> str | None:
    if value is None:
        return None
    grade = facts.grade_for(value)
    if grade is None:
        known = ", ".join(g.title for g in facts.grades().values())
        raise PydanticCustomError("grade", "'{value}' is not an Ofsted grade (use one of: {known})", {"value": value, "known": known})
    return grade.id


AreaKey = Annotated[str, AfterValidator(_area_key)]
GradeId = Annotated[str, AfterValidator(_grade_id)]


class AreaForImprovement(_Model):
    id: Annotated[str, Field(pattern=ID_PATTERN, description="Stable id used to link actions, e.g. 'LAM26-1'.")]
    text: str = Field(min_length=1, description="The area for improvement verbatim, including any framework cross-reference.")
    framework_refs: list[FrameworkRef] = Field(default_factory=empty_list)
    source_paragraphs: list[int] = Field(default_factory=empty_list, description="Numbers of the report paragraphs that evidence it.")
    judgement_area: str | None = Field(None, description="The judgement area it belongs to; inferred from the paragraphs if left out.")
    judgement_area_inferred: bool = Field(
        False,
        description="True when the import inferred judgement_area from the report's paragraphs (listed in source_paragraphs) "
        "because no words of the area named it; delete it or set false once you have checked the area.",
    )
    priority: bool = Field(False, description="True for an 'area for priority action'.")
    status: Literal["open", "closed"] = Field("open", description="Set to 'closed' when the council considers it addressed.")

    @field_validator("status", mode="before")
    @classmethod
    def _any_case(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    _area = field_validator("judgement_area")(classmethod(lambda cls, v: _area_key(v)))


class Strength(_Model):
    text: str = Field(min_length=1)
    source_paragraphs: list[int] = Field(default_factory=empty_list)
    judgement_area: str | None = None

    _area = field_validator("judgement_area")(classmethod(lambda cls, v: _area_key(v)))


class Paragraph(_Model):
    number: int | None = Field(None, description="Ofsted's paragraph number; letters have unnumbered paragraphs.")
    text: str = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: object) -> object:
        if isinstance(value, str):
            return {"text": value}
        return value


class Section(_Model):
    heading: str = Field(min_length=1, description="The section heading as printed.")
    judgement_area: str | None = None
    grade: str | None = None
    paragraphs: list[Paragraph] = Field(default_factory=empty_list)

    _area = field_validator("judgement_area")(classmethod(lambda cls, v: _area_key(v)))
    _grade = field_validator("grade")(classmethod(lambda cls, v: _grade_id(v)))


class Provenance(_Model):
    source_file: str
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    imported: dt.date
    importer: str | None = None
    warnings: list[str] = Field(default_factory=empty_list)
    checks_failed: list[str] = Field(
        default_factory=empty_list,
        description="The import's self-checks that failed (paragraph numbers, grades, council, areas). "
        "validate reports the file as 'imported with warnings' until you edit it or set checked: true.",
    )
    checked: bool = Field(False, description="Set to true once a person has checked the import against the report.")
    content_sha256: str | None = Field(
        None, description="Fingerprint of the findings as imported (not of this block): an edit since the import changes it."
    )


class Findings(_Model):
    """One Ofsted inspection or visit."""

    local_authority: str = Field(
        min_length=1,
        description="The council the report is about (imports write the catalogue's name; a trust's report names the council it serves).",
    )
    type: str = Field(description="full inspection, SIF inspection, focused visit, monitoring visit, JTAI or annual engagement meeting.")
    inspection_kind: Literal["short", "standard"] | None = Field(None, description="For a full inspection: short or standard.")
    title: str | None = Field(None, description="The report or letter title.")
    theme: str | None = Field(None, description="For a visit: what it looked at.")
    inspection_dates: list[DateRange] = Field(min_length=1)
    published: dt.date | None = None
    lead_inspector: str | None = None
    inspectors: list[str] = Field(default_factory=empty_list)
    judgements: dict[AreaKey, GradeId] = Field(default_factory=empty_dict, description="Judgement area -> grade.")
    summary: list[str] = Field(default_factory=empty_list, description="The report's opening narrative or headline findings.")
    areas_for_improvement: list[AreaForImprovement] = Field(default_factory=empty_list)
    strengths: list[Strength] = Field(default_factory=empty_list)
    sections: list[Section] = Field(default_factory=empty_list)
    source: str | None = Field(
        None,
        description="Where these findings come from when they are not Ofsted's own report or letter "
        "(e.g. the council's published summary of a letter); documents name it beside the engagement.",
    )
    notes: str | None = None
    provenance: Provenance | None = None

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        kind = facts.engagement_type_for(value)
        if kind is None:
            known = ", ".join(t.phrase for t in facts.engagement_types().values())
            raise PydanticCustomError("engagement_type", "'{value}' is not an engagement type (use one of: {known})", {"value": value, "known": known})
        return kind.id

    @model_validator(mode="after")
    def _judgements_fit_engagement(self) -> "Findings":
        # Model-level problems carry "at" (a path in the file) so the loader can point at the line.
        sif = facts.era_for(self.start, facts.SIF)
        if self.type == facts.SIF and sif.start is not None and self.start < sif.start:
            raise PydanticCustomError(
                "before_sif",
                "this SIF inspection began on {start}, before the single inspection framework started in November 2013",
                {"start": self.start.isoformat(), "at": ("inspection_dates", 0, "start")},
            )
        if self.type != facts.SIF and self.start < facts.ILACS_START:
            raise PydanticCustomError(
                "before_ilacs",
                "this engagement began on {start}, before ILACS started in January 2018; an inspection from 2013 to 2017 "
                "is a SIF inspection (type: SIF inspection), and selfeval reads no other engagements from before ILACS",
                {"start": self.start.isoformat(), "at": ("inspection_dates", 0, "start")},
            )
        if self.judgements and not self.engagement.graded:
            raise PydanticCustomError(
                "judgements_not_graded",
                "a {kind} has no judgements (only full inspections are graded): remove this block",
                {"kind": self.engagement.phrase, "at": ("judgements", "[key]")},
            )
        era = self.era
        for area in self.judgements:
            if area not in era.areas:
                allowed = "; ".join(facts.judgement_areas()[a].title for a in era.areas)
                raise PydanticCustomError(
                    "judgement_era",
                    "'{title}' was not a judgement in {era}; its judgements are: {allowed}",
                    {"title": facts.judgement_areas()[area].title, "era": era.title, "allowed": allowed, "at": ("judgements", area)},
                )
        return self

    # -- derived views -------------------------------------------------------------------

    @property
    def start(self) -> dt.date:
        return min(r.start for r in self.inspection_dates)

    @property
    def end(self) -> dt.date:
        return max(r.last for r in self.inspection_dates)

    @property
    def engagement(self) -> facts.EngagementType:
        return facts.engagement_types()[self.type]

    @property
    def era(self) -> facts.Era:
        return facts.era_for(self.start, self.type)

    def content_fingerprint(self) -> str:
        """SHA-256 of the findings without their provenance: changes when a person edits the file."""
        import hashlib
        import json

        data = self.model_dump(mode="json", exclude={"provenance"})
        return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()

    @property
    def unchecked_import_problems(self) -> list[str]:
        """Failed import self-checks nobody has looked at yet: not confirmed (checked: true) and the
        findings unchanged since the import."""
        p = self.provenance
        if p is None or not p.checks_failed or p.checked:
            return []
        if p.content_sha256 is not None and p.content_sha256 != self.content_fingerprint():
            return []  # edited by a person since the import
        return list(p.checks_failed)

    def section_for_paragraph(self, number: int) -> Section | None:
        for section in self.sections:
            if any(p.number == number for p in section.paragraphs):
                return section
        return None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
