"""The facts selfeval ships about the frameworks it writes for: the National Framework's items,
ILACS judgement areas, grades and eras, and Ofsted's engagement types.

The facts live in ``selfeval/data/*.yaml`` so they can be corrected without touching code.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Iterable, TypeVar

import yaml

from selfeval.kept_data import kept

REF_KINDS = ("outcome", "enabler", "principle")
_T = TypeVar("_T")


# libyaml's loader is ~20x faster than the pure-Python one; start-up time (e.g. `selfeval map`)
# is mostly spent reading these files. Both loaders give the same result for safe YAML.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# What a kept parse depends on besides the file (see kept_data): the parser and its version.
_PARSER = f"yaml {yaml.__version__} {_LOADER.__name__}"


@cache
def load_data(name: str) -> dict:
    # Parsed once per version of the file, not once per run (~12 ms of YAML in every generate).
    raw = data_file(name)
    return kept(_PARSER, raw, lambda: yaml.load(_text(raw), Loader=_LOADER))  # noqa: S506 - a safe loader


@cache
def data_file(name: str) -> bytes:
    """The shipped data file's bytes, read once: what is parsed, and what a kept index is named by."""
    return resources.files("selfeval.data").joinpath(name).read_bytes()


def _text(raw: bytes) -> str:
    """The file's text as ``read_text(encoding="utf-8")`` gives it: UTF-8, every line ending a newline."""
    return raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


# -- National Framework ------------------------------------------------------------------

@dataclass(frozen=True)
class FrameworkItem:
    """One item of the National Framework: an outcome, enabler or principle, by number."""

    kind: str  # outcome | enabler | principle
    number: int
    title: str
    verified: bool = True

    @property
    def ref(self) -> str:
        return f"{self.kind} {self.number}"

    @property
    def label(self) -> str:
        return f"{self.kind.capitalize()} {self.number}"


@cache
def framework_items() -> dict[str, FrameworkItem]:
    data = load_data("framework.yaml")
    items: dict[str, FrameworkItem] = {}
    for kind in REF_KINDS:
        for entry in data[kind + "s"]:
            item = FrameworkItem(kind, int(entry["number"]), entry["title"], bool(entry.get("verified", True)))
            items[item.ref] = item
    return items


def framework_range_text() -> str:
    items = framework_items()
    counts = {k: max(i.number for i in items.values() if i.kind == k) for k in REF_KINDS}
    return f"outcomes 1-{counts['outcome']}, enablers 1-{counts['enabler']}, principles 1-{counts['principle']}"


_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_REF_RE = re.compile(r"^\s*(outcome|enabler|principle)s?\s*[:.]?\s*([0-9]+|[a-z]+)\s*$", re.IGNORECASE)


def normalise_ref(text: str) -> str | None:
    """'Outcome three' / 'outcome 3' / 'Enabler: 2' -> 'outcome 3'. None if it is not ref-shaped.

    Also accepts an item's title ('leaders drive conditions for effective practice').
    The result may still name an item that does not exist ('outcome 7'): see ``framework_item``.
    """
    m = _REF_RE.match(text)
    if m:
        kind = m.group(1).lower()
        num_text = m.group(2).lower()
        number = int(num_text) if num_text.isdigit() else _NUMBER_WORDS.get(num_text)
        if number is None:
            return None
        return f"{kind} {number}"
    return _titled_refs().get(_squash(text))


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower().replace("’", "'")).strip()


# Spelling -> what it names, squashed once: every findings file looks up each of its areas,
# sections, grades and refs, and most spellings are asked for many times. Built in the order the
# items are listed, each spelling kept by the first item that has it (as a search in order finds).
def _first_spelled(pairs: Iterable[tuple[str, _T]]) -> dict[str, _T]:
    out: dict[str, _T] = {}
    for spelling, found in pairs:
        out.setdefault(_squash(spelling), found)
    return out


@cache
def _titled_refs() -> dict[str, str]:
    return _first_spelled((item.title, item.ref) for item in framework_items().values())


def framework_item(ref: str) -> FrameworkItem | None:
    normal = normalise_ref(ref)
    return framework_items().get(normal) if normal else None


# -- ILACS areas, eras and grades ---------------------------------------------------------

@dataclass(frozen=True)
class JudgementArea:
    """One ILACS judgement area, with the titles reports give it."""

    key: str
    title: str
    short: str
    titles: tuple[str, ...]
    successor: str | None = None  # for a SIF judgement: the ILACS judgement that took its place


@dataclass(frozen=True)
class Era:
    """A period of one inspection framework: its judgement areas and grade scale."""

    id: str
    title: str
    start: dt.date | None
    end: dt.date | None
    areas: tuple[str, ...]
    grades: tuple[str, ...] = ()  # the grade scale of the era (grade ids)
    optional: tuple[str, ...] = ()  # judgements not in every report of the era
    engagement: str | None = None  # an era that belongs to one engagement type (the SIF)

    @property
    def required_areas(self) -> tuple[str, ...]:
        return tuple(a for a in self.areas if a not in self.optional)


@dataclass(frozen=True)
class Grade:
    """One grade of a judgement, with its rank and the spellings reports use."""

    id: str
    title: str
    rank: int
    spellings: tuple[str, ...]


@cache
def judgement_areas() -> dict[str, JudgementArea]:
    data = load_data("ilacs.yaml")["areas"]
    return {k: JudgementArea(k, v["title"], v["short"], tuple(v["titles"]), v.get("successor")) for k, v in data.items()}


@cache
def practice_order() -> tuple[str, ...]:
    return tuple(load_data("ilacs.yaml")["practice_order"])


# Ofsted's ILACS framework replaced the single inspection framework in January 2018.
ILACS_START = dt.date(2018, 1, 1)
SIF = "sif_inspection"


@cache
def eras() -> tuple[Era, ...]:
    return tuple(
        Era(
            e["id"], e["title"], e.get("from"), e.get("until"), tuple(e["areas"]),
            tuple(e.get("grades", ())), tuple(e.get("optional", ())), e.get("engagement"),
        )
        for e in load_data("ilacs.yaml")["eras"]
    )


def era_for(day: dt.date, engagement: str | None = None) -> Era:
    """The era of an engagement starting on ``day``. An era tied to an engagement type (the SIF)
    is chosen by that type alone: SIF re-inspections ran into 2018, after ILACS began."""
    for era in eras():
        if era.engagement is not None:
            if engagement == era.engagement:
                return era
            continue
        if engagement == SIF:
            continue
        if (era.start is None or day >= era.start) and (era.end is None or day <= era.end):
            return era
    raise LookupError(day)


def ilacs_era_for(day: dt.date) -> Era:
    """The ILACS era in force on ``day`` (the first ILACS era before 2018): the headings documents use."""
    ilacs = [e for e in eras() if e.engagement is None]
    for era in ilacs:
        if (era.start is None or day >= era.start) and (era.end is None or day <= era.end):
            return era
    return ilacs[0]


@cache
def grades() -> dict[str, Grade]:
    return {
        g["id"]: Grade(g["id"], g["title"], int(g["rank"]), tuple(g["spellings"]))
        for g in load_data("ilacs.yaml")["grades"]
    }


@cache
def area_cues() -> dict[str, tuple[str, ...]]:
    return {k: tuple(v) for k, v in load_data("ilacs.yaml")["area_cues"].items()}


def area_for_title(text: str) -> str | None:
    """The area key for a judgement title or key as written in a file or report."""
    return _area_spellings().get(_squash(text))


@cache
def _area_spellings() -> dict[str, str]:
    return _first_spelled((spelling, area.key) for area in judgement_areas().values() for spelling in (area.key, *area.titles))


def grade_for(text: str) -> Grade | None:
    return _grade_spellings().get(_squash(text))


@cache
def _grade_spellings() -> dict[str, Grade]:
    return _first_spelled((spelling, grade) for grade in grades().values() for spelling in (*grade.spellings, grade.id))


# -- Engagement types ----------------------------------------------------------------------

@dataclass(frozen=True)
class EngagementType:
    """A kind of Ofsted engagement (full inspection, focused visit, ...), with its spellings."""

    id: str
    title: str
    graded: bool
    kinds: tuple[str, ...]
    spellings: tuple[str, ...]

    @property
    def phrase(self) -> str:
        """The title inside a sentence: 'full inspection', but 'SIF inspection' keeps its capitals."""
        return self.title if self.title[:2].isupper() else self.title[:1].lower() + self.title[1:]


@cache
def engagement_types() -> dict[str, EngagementType]:
    return {
        t["id"]: EngagementType(t["id"], t["title"], bool(t["graded"]), tuple(t.get("kinds", [])), tuple(t["spellings"]))
        for t in load_data("engagements.yaml")["types"]
    }


def engagement_type_for(text: str) -> EngagementType | None:
    return _engagement_spellings().get(_squash(text))


@cache
def _engagement_spellings() -> dict[str, EngagementType]:
    return _first_spelled((spelling, t) for t in engagement_types().values() for spelling in (t.id, *t.spellings))
