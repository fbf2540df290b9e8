"""Performance data: indicator definitions, the council's values by period, and comparators.

This module is the single source of truth for what a performance indicator *is* once it has been
read from ``inputs/performance.xlsx`` (see ``selfeval.load.workbook`` for the sheet layout and
``docs/workbook-format.md`` for the user-facing description). It also holds the result of the
analysis (``IndicatorSummary``) that the document templates render as the KPI table.

Accepted spellings (case and spacing do not matter):

* unit: ``%`` (percent, percentage), ``rate per 10,000`` (per 10k, rate per 10k, per 10,000 children),
  ``days``, ``count`` (number, no.), ``ratio`` (average, cases).
* polarity: ``higher is better`` (high, higher), ``lower is better`` (low, lower),
  ``contextual`` (context, neutral, none, -).
* periods: see ``Period.parse``.
"""

# Types written as objects, not postponed as strings: see selfeval.models.

import calendar
import datetime as dt
import re
from functools import cache
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from selfeval import facts
from selfeval.models.empty import empty_list

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"

UNITS = ("%", "rate per 10,000", "days", "count", "ratio")
POLARITIES = ("higher is better", "lower is better", "contextual")
REGIONS = (
    "North East", "North West", "Yorkshire and the Humber", "East Midlands", "West Midlands",
    "East of England", "London", "South East", "South West", "Inner London", "Outer London",
)

Unit = Literal["%", "rate per 10,000", "days", "count", "ratio"]
Polarity = Literal["higher is better", "lower is better", "contextual"]
ComparatorKind = Literal["england", "region", "statistical_neighbours"]
Direction = Literal["improving", "declining", "stable", "not_applicable"]
Rag = Literal["red", "amber", "green", "none"]
Marker = Literal["suppressed", "not available"]  # what a value cell holds instead of a number
Movement = Literal["up", "down", "same"]
Relation = Literal["better", "worse", "same", "above", "below"]  # a value against a comparator or target


def squash(text: str) -> str:
    """Lower-case, with runs of spaces, underscores and hyphens made one space: for header and word matching."""
    return re.sub(r"[\s_\-]+", " ", str(text).strip().lower()).strip()


def heading_key(text: object) -> str:
    """'  Judgement Area (ILACS) *' -> 'judgement area'."""
    t = re.sub(r"\([^)]*\)", " ", str(text))
    t = t.replace("*", " ").replace(":", " ").replace("?", " ")
    return squash(t)


_UNIT_SPELLINGS = {
    "%": "%", "percent": "%", "percentage": "%", "per cent": "%", "pct": "%",
    "rate per 10,000": "rate per 10,000", "rate per 10000": "rate per 10,000", "per 10,000": "rate per 10,000",
    "per 10000": "rate per 10,000", "per 10k": "rate per 10,000", "rate per 10k": "rate per 10,000",
    "per 10,000 children": "rate per 10,000", "rate": "rate per 10,000",
    "days": "days", "day": "days", "count": "count", "number": "count", "no.": "count", "no": "count",
    "ratio": "ratio", "average": "ratio", "cases": "ratio",
}
_POLARITY_SPELLINGS = {
    "higher is better": "higher is better", "high is better": "higher is better", "high": "higher is better",
    "higher": "higher is better", "up is good": "higher is better",
    "lower is better": "lower is better", "low is better": "lower is better", "low": "lower is better",
    "lower": "lower is better", "down is good": "lower is better",
    "contextual": "contextual", "context": "contextual", "neutral": "contextual", "none": "contextual", "-": "contextual",
}
_COMPARATOR_SPELLINGS = {
    "england": "england", "national": "england", "england average": "england",
    "region": "region", "regional": "region", "regional average": "region",
    "statistical neighbours": "statistical_neighbours", "statistical neighbour": "statistical_neighbours",
    "statistical neighbour average": "statistical_neighbours", "statistical neighbours average": "statistical_neighbours",
    "stat neighbours": "statistical_neighbours", "sn": "statistical_neighbours", "sn average": "statistical_neighbours",
    "statistical_neighbours": "statistical_neighbours",
}


def normalise_unit(value: object) -> str:
    if not isinstance(value, str) or squash(value) not in _UNIT_SPELLINGS:
        raise PydanticCustomError("unit", "'{value}' is not a unit (use one of: {known})", {"value": str(value), "known": ", ".join(UNITS)})
    return _UNIT_SPELLINGS[squash(value)]


def normalise_polarity(value: object) -> str:
    if isinstance(value, str) and value.strip() in ("-", "–", "—"):
        return "contextual"
    if not isinstance(value, str) or squash(value) not in _POLARITY_SPELLINGS:
        raise PydanticCustomError(
            "polarity", "'{value}' is not a polarity (use one of: {known})", {"value": str(value), "known": ", ".join(POLARITIES)}
        )
    return _POLARITY_SPELLINGS[squash(value)]


def comparator_kind(text: str) -> tuple[str, str] | None:
    """'England' -> ('england', 'England'); 'London' -> ('region', 'London'); 'SN' -> ('statistical_neighbours', ...)."""
    key = squash(text)
    if key in _COMPARATOR_SPELLINGS:
        kind = _COMPARATOR_SPELLINGS[key]
        return kind, {"england": "England", "region": "region", "statistical_neighbours": "statistical neighbours"}[kind]
    region = _regions_by_key().get(key)
    return ("region", region) if region is not None else None


@cache
def _regions_by_key() -> dict[str, str]:
    """Squashed region name -> the name, each kept by the first region with it (as a search in order finds)."""
    out: dict[str, str] = {}
    for region in REGIONS:
        out.setdefault(squash(region), region)
    return out


def _area_key(value: str | None) -> str | None:
    if value is None or str(value).strip() == "":
        return None
    key = facts.area_for_title(str(value))
    if key is None:
        known = ", ".join(facts.judgement_areas())
        raise PydanticCustomError(
            "judgement_area", "'{value}' is not an ILACS judgement area (use one of: {known})", {"value": value, "known": known}
        )
    return key


def _framework_refs(value: object) -> list[str]:
    if value is None:
        return []
    parts = value if isinstance(value, list) else re.split(r"[;,\n]+", str(value))
    refs: list[str] = []
    for part in parts:
        part = str(part).strip()
        if not part:
            continue
        item = facts.framework_item(part)
        if item is None:
            raise PydanticCustomError(
                "framework_ref", "'{ref}' is not in the National Framework ({known})", {"ref": part, "known": facts.framework_range_text()}
            )
        if item.ref not in refs:
            refs.append(item.ref)
    return refs


def _decimals(value: object) -> object:
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    if isinstance(value, bool):
        raise PydanticCustomError("decimals", "decimals must be a whole number from 0 to 4, not '{value}'", {"value": str(value)})
    try:
        number = float(str(value).strip())
    except ValueError:
        raise PydanticCustomError("decimals", "decimals must be a whole number from 0 to 4, not '{value}'", {"value": str(value)}) from None
    if not number.is_integer() or not 0 <= number <= 4:
        raise PydanticCustomError("decimals", "decimals must be a whole number from 0 to 4, not '{value}'", {"value": str(value)})
    return int(number)


_YES = {"yes", "y", "true", "1", "x"}
_NO = {"no", "n", "false", "0", ""}


def _yes_no(value: object) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    text = squash(str(value))
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise PydanticCustomError("yes_no", "'{value}' should be yes or no", {"value": str(value)})


def _blank_to_none(value: object) -> object:
    if isinstance(value, str) and value.strip() == "":
        return None
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# -- periods ---------------------------------------------------------------------------------

PeriodKind = Literal["year", "financial-year", "quarter", "month", "date"]
_KIND_ORDER = {"date": 0, "month": 1, "quarter": 2, "financial-year": 3, "year": 4}
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))

_FY = r"(\d{4})\s*[-/]\s*(\d{4}|\d{2})"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("year", re.compile(r"^(\d{4})$")),
    ("financial-year", re.compile(rf"^(?:fy\s*)?{_FY}$")),
    ("fquarter", re.compile(rf"^(?:fy\s*)?{_FY}\s*[-/ ]?\s*q([1-4])$")),
    ("fquarter-r", re.compile(rf"^q([1-4])\s*[-/ ]?\s*(?:fy\s*)?{_FY}$")),
    ("quarter", re.compile(r"^(\d{4})\s*[-/ ]?\s*q([1-4])$")),
    ("quarter-r", re.compile(r"^q([1-4])\s*[-/ ]?\s*(\d{4})$")),
    ("month-name", re.compile(rf"^({_MONTH_RE})\.?\s*[-/ ]?\s*(\d{{4}}|\d{{2}})$")),
    ("month-name-r", re.compile(rf"^(\d{{4}})\s*[-/ ]?\s*({_MONTH_RE})\.?$")),
    ("month-iso", re.compile(r"^(\d{4})-(\d{1,2})$")),
    ("month-uk", re.compile(r"^(\d{1,2})/(\d{4})$")),
    ("date-iso", re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]00:00(?::00)?)?$")),
    ("date-uk", re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})$")),
    ("date-words", re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\.?,?\s+(\d{{4}})$")),
]


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if value < 100 else value


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


class Period(_Model):
    """A reporting period: a calendar year, financial year (April-March), quarter, month or a date (snapshot).

    Quarters written ``2025-Q2`` / ``Q2 2025`` are calendar quarters (Q2 = April-June 2025);
    ``2025-26 Q1`` / ``Q1 2025/26`` are financial quarters (Q1 = April-June 2025).
    A real date on the 1st of a month (how Excel stores a header typed as "Mar-25") is that month;
    any other date is a snapshot at that date (e.g. 31/03/2025).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: PeriodKind
    label: str
    start: dt.date
    end: dt.date

    @property
    def sort_key(self) -> tuple[dt.date, dt.date, int]:
        return (self.end, self.start, _KIND_ORDER[self.kind])

    def year_earlier(self, other: "Period") -> bool:
        """True if ``other`` is the same kind of period exactly one year before this one."""
        if other.kind != self.kind:
            return False
        if self.kind == "date":
            return (other.end.year, other.end.month) == (self.end.year - 1, self.end.month)
        return (other.start.year, other.start.month) == (self.start.year - 1, self.start.month)

    @classmethod
    def parse(cls, value: object) -> "Period":
        """A header cell (text, number or real date) as a Period; ValueError with a plain message otherwise."""
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            if value.day == 1:
                return cls.month(value.year, value.month)
            return cls.date(value)
        if isinstance(value, bool):
            raise ValueError(f"'{value}' is not a period")
        if isinstance(value, (int, float)):
            if float(value).is_integer() and 1900 <= value <= 2100:
                return cls.year(int(value))
            raise ValueError(f"'{value}' is not a period")
        text = re.sub(r"\s+", " ", str(value).strip().lower())
        problem: str | None = None
        for name, pattern in _PATTERNS:
            m = pattern.match(text)
            if not m:
                continue
            g = m.groups()
            try:
                if name == "year":
                    return cls.year(int(g[0]))
                if name == "financial-year":
                    return cls.financial_year(int(g[0]), g[1])
                if name == "fquarter":
                    return cls.financial_quarter(int(g[0]), g[1], int(g[2]))
                if name == "fquarter-r":
                    return cls.financial_quarter(int(g[1]), g[2], int(g[0]))
                if name == "quarter":
                    return cls.quarter(int(g[0]), int(g[1]))
                if name == "quarter-r":
                    return cls.quarter(int(g[1]), int(g[0]))
                if name == "month-name":
                    return cls.month(_year(g[1]), _MONTHS[g[0]])
                if name == "month-name-r":
                    return cls.month(int(g[0]), _MONTHS[g[1]])
                if name == "month-iso":
                    return cls.month(int(g[0]), int(g[1]))
                if name == "month-uk":
                    return cls.month(int(g[1]), int(g[0]))
                if name == "date-iso":
                    return cls.date(dt.date(int(g[0]), int(g[1]), int(g[2])))
                if name == "date-uk":
                    return cls.date(dt.date(_year(g[2]), int(g[1]), int(g[0])))
                if name == "date-words":
                    return cls.date(dt.date(int(g[2]), _MONTHS[g[1]], int(g[0])))
            except ValueError as e:
                problem = problem or f"'{value}' is not a real period ({e})"
        if problem:
            raise ValueError(problem)
        raise ValueError(
            f"'{value}' is not a period (write e.g. 2024-25, 2024, 2025-26 Q1, 2025-Q2, Mar 2025 or 31/03/2025)"
        )

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(kind="year", label=str(year), start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))

    @classmethod
    def financial_year(cls, first: int, second: str) -> "Period":
        second_year = int(second) if len(second) == 4 else (first // 100) * 100 + int(second)
        if len(second) == 2 and second_year < first:
            second_year += 100
        if second_year != first + 1:
            raise ValueError(f"{first}-{second} is not a financial year: the second year must follow the first, as in {first}-{str(first + 1)[2:]}")
        return cls(kind="financial-year", label=f"{first}-{str(second_year)[2:]}", start=dt.date(first, 4, 1), end=dt.date(second_year, 3, 31))

    @classmethod
    def financial_quarter(cls, first: int, second: str, quarter: int) -> "Period":
        fy = cls.financial_year(first, second)
        month = 4 + 3 * (quarter - 1)
        year = first if month <= 12 else first + 1
        month = month if month <= 12 else month - 12
        return cls(kind="quarter", label=f"{fy.label} Q{quarter}", start=dt.date(year, month, 1), end=_month_end(year, month + 2))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        month = 1 + 3 * (quarter - 1)
        return cls(kind="quarter", label=f"{year}-Q{quarter}", start=dt.date(year, month, 1), end=_month_end(year, month + 2))

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        start = dt.date(year, month, 1)
        return cls(kind="month", label=start.strftime("%b %Y"), start=start, end=_month_end(year, month))

    @classmethod
    def date(cls, day: dt.date) -> "Period":
        return cls(kind="date", label=f"{day.day} {day.strftime('%b %Y')}", start=day, end=day)

    @property
    def identity(self) -> tuple[str, dt.date, dt.date]:
        """Two periods with the same identity are the same period however they were written."""
        return (self.kind, self.start, self.end)


# -- the workbook's contents ----------------------------------------------------------------------

AreaKey = Annotated[str | None, BeforeValidator(_blank_to_none), AfterValidator(_area_key)]
UnitField = Annotated[Unit, BeforeValidator(normalise_unit)]
PolarityField = Annotated[Polarity, BeforeValidator(normalise_polarity)]
YesNo = Annotated[bool, BeforeValidator(_yes_no)]
OptionalText = Annotated[str | None, BeforeValidator(_blank_to_none)]


class Indicator(_Model):
    """One performance indicator, as defined on the Indicators sheet."""

    id: Annotated[str, Field(pattern=ID_PATTERN, description="Short stable id such as 'RE-REF'.")]
    name: str = Field(min_length=1)
    judgement_area: AreaKey = Field(None, description="ILACS judgement area key, e.g. help_and_protection.")
    framework_refs: Annotated[list[str], BeforeValidator(_framework_refs)] = Field(
        default_factory=empty_list, description="National Framework refs such as 'outcome 1', 'enabler 3'."
    )
    unit: UnitField
    polarity: PolarityField
    decimals: Annotated[int | None, BeforeValidator(_decimals)] = Field(
        None, description="Decimal places shown; blank means 0 for counts and days, 1 otherwise."
    )
    target: float | None = None
    tolerance: float | None = Field(None, ge=0, description="How far from target still counts as amber, in the indicator's unit.")
    key: YesNo = False
    internal: YesNo = Field(False, description="Left out of documents generated with --public.")
    definition: OptionalText = None
    source: OptionalText = None
    row: int | None = Field(None, description="Row on the Indicators sheet, for messages.")
    # Read from a council's own scorecard through its mapping (selfeval.load.scorecard):
    council_rag: Rag | None = Field(None, description="The RAG the council's scorecard gives the latest value; shown instead of selfeval's.")
    council_rag_cell: str | None = None
    catalogue_id: str | None = Field(None, description="The catalogue indicator (data/indicators.yaml) this measure was matched to.")
    incomplete: str | None = Field(None, description="What the mapping still lacks (e.g. 'unit and polarity'), shown as a placeholder.")

    @field_validator("id", mode="before")
    @classmethod
    def _id_text(cls, value: object) -> object:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip() if value is not None else value

    @property
    def places(self) -> int:
        if self.decimals is not None:
            return self.decimals
        return 0 if self.unit in ("count", "days") else 1

    @property
    def contextual(self) -> bool:
        return self.polarity == "contextual"


class Observation(_Model):
    """The council's value for one indicator in one period."""

    indicator_id: str
    period: Period
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    status: Literal["suppressed", "not available"] | None = Field(
        None, description="A scorecard cell marked as suppressed (c, *, x) or not available (-, n/a, ..): no value."
    )
    cell: str | None = Field(None, description="Where it came from, e.g. 'Data!D14'.")


class Comparator(_Model):
    """A benchmark value: England, the region or statistical neighbours, for the period it refers to."""

    indicator_id: str
    kind: ComparatorKind
    label: str = Field(description="How documents name it: 'England', 'London', 'statistical neighbours'.")
    period: Period
    value: float
    source: str | None = None
    cell: str | None = None
    count: int | None = Field(None, description="Statistical neighbours' median: how many neighbours had a value.")
    of: int | None = Field(None, description="Statistical neighbours' median: how many neighbours there are (10).")
    published: bool = Field(False, description="Taken from DfE's published statistics shipped with selfeval, not typed in the workbook.")
    replaces_published: float | None = Field(None, description="Typed in the workbook: the published figure it is used instead of.")


class PerformanceData(_Model):
    """Everything read from the performance workbook."""

    source_path: str | None = None
    indicators: list[Indicator] = Field(default_factory=empty_list)
    observations: list[Observation] = Field(default_factory=empty_list)
    comparators: list[Comparator] = Field(default_factory=empty_list)
    notes: list[str] = Field(default_factory=empty_list, description="Guesses the loader made that the user may want to check.")

    def indicator(self, indicator_id: str) -> Indicator | None:
        return next((i for i in self.indicators if i.id == indicator_id), None)

    def observations_for(self, indicator_id: str) -> list[Observation]:
        return sorted((o for o in self.observations if o.indicator_id == indicator_id), key=lambda o: o.period.sort_key)

    def comparators_for(self, indicator_id: str) -> list[Comparator]:
        return sorted((c for c in self.comparators if c.indicator_id == indicator_id), key=lambda c: c.period.sort_key)

    @property
    def periods(self) -> list[Period]:
        seen: dict[tuple, Period] = {}
        for o in self.observations:
            seen.setdefault(o.period.identity, o.period)
        return sorted(seen.values(), key=lambda p: p.sort_key)


# -- analysis results ----------------------------------------------------------------------------------

class Comparison(_Model):
    """The latest value set against England, the region, statistical neighbours or the target."""

    against: Literal["england", "region", "statistical_neighbours", "target"]
    label: str = Field(description="'England', 'London', 'statistical neighbours' or 'target'.")
    value: float
    value_text: str
    period: str | None = Field(None, description="The comparator's period, when it is not the council's latest period.")
    relation: Literal["better", "worse", "same", "above", "below"]
    words: str = Field(description="e.g. 'better than England (22.6%)'.")
    count: int | None = Field(None, description="Statistical neighbours' median: how many of the neighbours had a value.")
    of: int | None = None
    typed: bool = Field(False, description="Typed in the workbook where a published figure exists.")


class IndicatorSummary(_Model):
    """One indicator, analysed: one row of the KPI table and one sentence of narrative."""

    id: str
    name: str
    unit: Unit
    unit_label: str
    polarity: Polarity
    judgement_area: str | None = None
    framework_refs: list[str] = Field(default_factory=empty_list)
    key: bool = False
    internal: bool = False
    definition: str | None = None
    source: str | None = None
    has_data: bool
    latest: float | None = None
    latest_period: str | None = None
    previous: float | None = None
    previous_period: str | None = None
    change: float | None = Field(None, description="Latest minus previous period.")
    movement: Literal["up", "down", "same"] | None = None
    direction: Direction = "not_applicable"
    comparisons: list[Comparison] = Field(default_factory=empty_list)
    target: float | None = None
    rag: Rag = Field("none", description="The RAG the documents show: the council's own where its scorecard gives one, else computed.")
    computed_rag: Rag = Field("none", description="The RAG selfeval works out from the target and tolerance.")
    council_rag: Rag | None = Field(None, description="The council's own RAG from its scorecard, if any.")
    council_rag_cell: str | None = None
    latest_status: Literal["suppressed", "not available"] | None = Field(
        None, description="The newest period is marked suppressed or not available in the scorecard (after the latest value)."
    )
    incomplete: str | None = Field(None, description="What the mapping still lacks for this measure, e.g. 'unit and polarity'.")
    suppressed: bool = False
    sentence: str
    # Ready-formatted strings for the KPI table (never None, so templates need no conditionals).
    latest_text: str
    previous_text: str
    change_text: str
    baseline_text: str = Field(description="Earliest value with its period (the starting point for success measures), e.g. '21.5% (2022-23)'; '–' if none.")
    target_text: str
    england_text: str
    region_text: str
    neighbours_text: str
    direction_text: str
    rag_text: str
    published_text: str = Field("", description="The council's own DfE published figure and year, e.g. 'DfE 2024-25: 19.7%'; '' if none.")
    rank_text: str = Field("", description="Rank among the council and its statistical neighbours, e.g. '6th of 11 (1 = best)'.")
    comparator_notes: list[str] = Field(default_factory=empty_list, description="Comparators typed in the workbook that replace a published one.")
    series: list[tuple[str, float | None]] = Field(default_factory=empty_list, description="(period, value) oldest first, for charts.")
