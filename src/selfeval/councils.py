"""England's councils with children's services, as first-class reference data.

One catalogue serves every place that names a council: the importer reading a report's title,
the published statistics, ``init --council`` and the batch. Names come in many spellings (ONS
"Kingston Upon Hull, City of", Ofsted "Hull", trusts such as "Bradford Children and Families
Trust", "Telford & Wrekin", old and new LA codes); all of them resolve to one :class:`Council`.

The facts live in ``selfeval/data/councils.json``, built by ``tools/build_councils.py`` from the
shared DfE lookups. Councils abolished in a reorganisation (Cumbria, Northamptonshire, Poole, ...)
are kept, flagged, with their successors, so that nothing joins a series across the change.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from selfeval.cache_folder import module_source
from selfeval.kept_data import kept


@dataclass(frozen=True)
class Council:
    """One council with children's services in England, as the catalogue knows it."""

    name: str  # display name: "Kingston upon Hull", "Bradford", "Durham"
    old_code: str  # DfE 3-digit code, "810"
    new_code: str  # ONS code, "E06000010"
    region: str  # ONS/DfE region name: "Yorkshire and the Humber", "London"
    region_code: str  # "E12000003"
    la_type: str  # "Unitary Authority", "London Borough", ...
    statistical_neighbours: tuple[str, ...]  # old codes, closest first (DfE 2025 model)
    aliases: tuple[str, ...]  # every other spelling it is known by
    successor_of: tuple[str, ...] = ()  # old codes of the councils it replaced
    predecessor_of: tuple[str, ...] = ()  # old codes of the councils that replaced it
    abolished_in: int | None = None  # year of the reorganisation that ended it

    @property
    def current(self) -> bool:
        return self.abolished_in is None


class UnknownCouncil(LookupError):
    """No council, or more than one, answers to a name. ``suggestions`` are display names."""

    def __init__(self, text: str, suggestions: list[str], *, ambiguous: bool = False):
        self.text = text
        self.suggestions = suggestions
        self.ambiguous = ambiguous
        super().__init__(self.message)

    @property
    def message(self) -> str:
        shown = _quote(self.text)
        if self.ambiguous:
            return f"{shown} could mean {_either(self.suggestions)}: give the council's own name"
        if self.suggestions:
            return f"{shown} is not a council with children's services in England; did you mean {_either(self.suggestions)}?"
        return f"{shown} is not a council with children's services in England (see 'selfeval data councils')"


# Words that style a council's name without telling councils apart: "London Borough of Ealing",
# "Medway Council", "Wigan Metropolitan Borough Council", "Medway Children's Services".
_STYLE_PREFIXES = (
    "the ", "london borough of ", "royal borough of ", "metropolitan borough of ", "borough of ",
    "city and county of ", "county of ",
)
_STYLE_SUFFIXES = (
    " metropolitan borough council", " metropolitan district council", " borough council",
    " county council", " city council", " district council", " council", " metropolitan borough",
    " local authority", " childrens services", " childrens social care", " children and families",
    " city of", " county of",  # ONS: "Kingston Upon Hull, City of"
)


def normalise(text: str) -> str:
    """Lower case, '&' as 'and', punctuation and hyphens as spaces, curly quotes dropped."""
    text = text.lower().replace("&", " and ").replace("\u2019", "").replace("'", "")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _unstyled(key: str) -> str:
    changed = True
    while changed:
        changed = False
        for prefix in _STYLE_PREFIXES:
            if key.startswith(prefix) and len(key) > len(prefix):
                key, changed = key[len(prefix):], True
        for suffix in _STYLE_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key, changed = key[: -len(suffix)], True
    return key.strip()


@cache
def _source() -> bytes:
    return resources.files("selfeval.data").joinpath("councils.json").read_bytes()


@cache
def _catalogue() -> tuple[tuple[Council, ...], dict[str, tuple[str, ...]]]:
    raw = json.loads(_source().decode("utf-8"))  # as read_text: JSON reads \r\n and \n alike
    councils = tuple(
        Council(
            name=c["name"],
            old_code=c["old_code"],
            new_code=c["new_code"],
            region=c["region"],
            region_code=c["region_code"],
            la_type=c["la_type"],
            statistical_neighbours=tuple(c["statistical_neighbours"]),
            aliases=tuple(c["aliases"]),
            successor_of=tuple(c["successor_of"]),
            predecessor_of=tuple(c["predecessor_of"]),
            abolished_in=c["abolished_in"],
        )
        for c in raw["councils"]
    )
    ambiguous = {normalise(k): tuple(v) for k, v in raw["ambiguous"].items()}
    return councils, ambiguous


@cache
def _index() -> dict[str, tuple[str, ...]]:
    """Normalised spelling -> old codes. Current councils win a spelling over abolished ones."""
    # Built once per version of the catalogue and of this module (~4 ms: every spelling of every
    # council normalised), and kept in the user's cache folder (see selfeval.kept_data).
    return kept("council index", _source() + b"\0" + module_source(__file__), _built_index)


def _built_index() -> dict[str, tuple[str, ...]]:
    councils, ambiguous = _catalogue()
    index: dict[str, list[str]] = {}

    def add(key: str, code: str) -> None:
        if key and code not in index.setdefault(key, []):
            index[key].append(code)

    for council in sorted(councils, key=lambda c: not c.current):
        for spelling in (council.name, *council.aliases):
            key = normalise(spelling)
            for variant in (key, _unstyled(key)):
                if not council.current and variant in index:
                    continue  # "Dorset" is today's Dorset; the old county answers to its code
                add(variant, council.old_code)
        add(normalise(council.old_code), council.old_code)
        add(normalise(council.new_code), council.old_code)
    for key, codes in ambiguous.items():
        index[key] = list(codes)
    return {key: tuple(codes) for key, codes in index.items()}


def all_councils(*, include_abolished: bool = False) -> list[Council]:
    """Today's councils (153), in name order; with ``include_abolished`` the reorganised ones too."""
    councils, _ = _catalogue()
    return [c for c in councils if include_abolished or c.current]


def by_code(code: str) -> Council:
    """The council with this old (3-digit) or new (E0…) LA code."""
    for council in _catalogue()[0]:
        if code.strip().upper() in (council.old_code, council.new_code):
            return council
    raise UnknownCouncil(code, [])


def resolve_council(text: str) -> Council:
    """The one council that ``text`` names, in any reasonable spelling or by LA code.

    Raises :class:`UnknownCouncil` with the nearest names when nothing matches, or with the
    candidates when the spelling is shared (a trust serving two councils)."""
    key = normalise(text)
    index = _index()
    codes = index.get(key) or index.get(_unstyled(key))
    if codes is None:
        raise UnknownCouncil(text, nearest(text))
    if len(codes) > 1:
        raise UnknownCouncil(text, [by_code(c).name for c in codes], ambiguous=True)
    return by_code(codes[0])


def nearest(text: str, n: int = 3) -> list[str]:
    """Display names of the councils whose spellings are closest to ``text``."""
    key = _unstyled(normalise(text))
    index = _index()
    names: list[str] = []
    for match in difflib.get_close_matches(key, list(index), n=n * 3, cutoff=0.6):
        for code in index[match]:
            name = by_code(code).name
            if name not in names:
                names.append(name)
    return names[:n]


def councils_in_text(text: str) -> list[Council]:
    """Councils named in a title or heading, longest spelling first, each once.

    "Inspection of Bradford Children and Families Trust" -> [Bradford]. Spellings are matched as
    whole words, so "Derby" is not found in "Derbyshire", and a longer match hides the shorter
    one inside it ("Bournemouth, Christchurch and Poole" is not also "Poole")."""
    haystack = f" {normalise(text)} "
    index = _index()
    found: list[Council] = []
    taken: list[tuple[int, int]] = []
    for key in sorted(index, key=len, reverse=True):
        if key.isdigit() or key.startswith("e0") or key.startswith("e1") or len(index[key]) > 1:
            continue  # codes and shared spellings are not read out of prose
        start = haystack.find(f" {key} ")
        while start != -1:
            span = (start + 1, start + 1 + len(key))
            if not any(span[0] < end and begin < span[1] for begin, end in taken):
                taken.append(span)
                council = by_code(index[key][0])
                if council not in found:
                    found.append(council)
                break
            start = haystack.find(f" {key} ", start + 1)
    return found


def neighbours_of(council: Council) -> list[Council]:
    """The council's statistical neighbours, closest first (DfE's 2025 model)."""
    return [by_code(code) for code in council.statistical_neighbours]


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


def _either(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " or " + names[-1]
