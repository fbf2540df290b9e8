"""National Framework cross-references at the end of an area for improvement.

Ofsted has printed them as '(outcome 3, national framework)', '(Outcome four, National Framework)',
'(Enabler two)', '(Principle 1)' and '(enabler: leaders drive conditions for effective practice,
national framework)', before or after the full stop. Anything in trailing brackets that starts
with a framework kind is treated as a ref; one we cannot match to the framework is kept raw (and
warned about by the caller) rather than dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from selfeval import facts

_KINDS = "|".join(facts.REF_KINDS)
# '(outcome 3, national framework)' and, in some reports, '[Outcome 3, national framework]'.
_TRAILING_GROUP = re.compile(r"\s*(?:\(([^()]*)\)|\[([^\[\]]*)\])(\s*[.;]?)\s*$")
# A ref printed as its own closing sentence, without brackets: '... plans. Enabler three: National Framework.'
_TRAILING_SENTENCE = re.compile(rf"(?<=[.!?])\s+((?:{_KINDS})s?\b[^.()\[\]]{{0,90}}?)\.?\s*$", re.IGNORECASE)
_FRAMEWORK_TAIL = re.compile(r"\s*[:,\-–]?\s*(?:the\s+)?(?:children.s social care\s*:?\s*)?national framework\s*$", re.IGNORECASE)
_KIND_START = re.compile(rf"^({_KINDS})s?\b\s*[:.]?\s*(.*)$", re.IGNORECASE)
_FILLER = re.compile(r"^(the\s+)?(children.s social care\s*:?\s*)?national framework$", re.IGNORECASE)
_AND_KIND = re.compile(rf"\s+(?:and|&)\s+(?=(?:{_KINDS})s?\b)", re.IGNORECASE)
_NUMBER_LIST = re.compile(r"\s*(?:,|and|&)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedRef:
    """One bracketed framework cross-reference found in a text, and what it refers to."""

    ref: str | None  # 'outcome 3'; None when the wording matches no framework item
    raw: str  # the bracketed group as printed


def split_refs(text: str) -> tuple[str, list[ParsedRef]]:
    """('Some area. (outcome 3, national framework)') -> ('Some area.', [ParsedRef('outcome 3', '(...)')])."""
    refs: list[ParsedRef] = []
    rest = text.strip()
    stop = ""
    while True:
        m = _TRAILING_GROUP.search(rest)
        if not m:
            break
        body = m.group(1) if m.group(1) is not None else m.group(2)
        found = refs_in_group(body)
        if found is None:
            break
        raw = m.group(0).strip().rstrip(".;").strip()  # exactly as printed, brackets included
        refs = [ParsedRef(r, raw) for r in found] + refs
        stop = stop or m.group(3).strip()
        rest = rest[: m.start()].rstrip()
    if not refs and (m := _TRAILING_SENTENCE.search(rest)):
        found = refs_in_group(m.group(1))
        # Without brackets only a sentence that is wholly a ref counts ('Outcomes are poor.' is prose).
        if found is not None and all(r is not None for r in found):
            refs = [ParsedRef(r, m.group(1).strip()) for r in found]
            rest = rest[: m.start()].rstrip()
    if refs and stop and not rest.endswith((".", "!", "?")):
        rest += stop  # 'need (Outcome four).' -> 'need.'
    return rest, _dedupe(refs)


def _dedupe(refs: list[ParsedRef]) -> list[ParsedRef]:
    # One printed group naming one item is one ref; a group may list several items.
    seen: set[tuple[str | None, str]] = set()
    out = []
    for r in refs:
        if (r.ref, r.raw) not in seen:
            seen.add((r.ref, r.raw))
            out.append(r)
    return out


def refs_in_group(body: str) -> list[str | None] | None:
    """The refs named inside one pair of brackets, or None if the brackets hold something else."""
    parts = [p.strip() for p in re.split(r"[;,]", body) if p.strip()]
    refs: list[str | None] = []
    kind: str | None = None
    for part in parts:
        if _FILLER.match(part):
            continue
        if refs and _names_title_of(part, refs[-1]):
            continue  # '(enabler 2, leaders drive conditions for effective practice)': the title repeats the number
        for piece in _AND_KIND.split(part):
            found, kind = _piece_refs(piece, kind)
            if found is None:
                return None
            refs.extend(found)
    return refs or None


def _names_title_of(part: str, ref: str | None) -> bool:
    """Is ``part`` the title (or the opening words of the title) of the item just named?"""
    item = facts.framework_item(ref) if ref else None
    if item is None:
        return False
    words = re.sub(r"[^a-z0-9 ]+", " ", part.lower().replace("…", " ")).split()
    title = re.sub(r"[^a-z0-9 ]+", " ", item.title.lower()).split()
    return len(words) >= 2 and title[: len(words)] == words


def _piece_refs(piece: str, kind: str | None) -> tuple[list[str | None] | None, str | None]:
    m = _KIND_START.match(piece)
    if m:
        kind, rest = m.group(1).lower(), _FRAMEWORK_TAIL.sub("", m.group(2)).strip()
    elif kind and re.fullmatch(r"[0-9]+|[a-z]+", piece, re.IGNORECASE) and _number(piece) is not None:
        rest = piece  # '(outcomes 1, 3)': the kind carries over
    else:
        return None, kind
    numbers = [_number(n) for n in _NUMBER_LIST.split(rest) if n]
    if numbers and all(n is not None for n in numbers):
        return [_checked(f"{kind} {n}") for n in numbers], kind
    # Named by title: 'enabler: leaders drive conditions for effective practice'.
    normal = facts.normalise_ref(rest)
    if normal and normal.split()[0] == kind:
        return [_checked(normal)], kind
    return [None], kind


def _number(word: str) -> int | None:
    word = word.strip().lower()
    if word.isdigit():
        return int(word)
    normal = facts.normalise_ref(f"outcome {word}")
    return int(normal.split()[1]) if normal else None


def _checked(ref: str) -> str | None:
    item = facts.framework_item(ref)
    return item.ref if item else None


def text_without_refs(text: str) -> str:
    """The area's own words, without Ofsted's trailing framework tag(s); the sentence keeps its full stop."""
    return split_refs(text)[0]


# -- editions: which outcome a printed number means, and how to show a ref on a date ---------------
#
# Ofsted's reports since March 2026 print outcomes 2 and 3 in two orders (see
# data/framework_editions.yaml). selfeval's refs are in the canonical (December 2023) numbering;
# ``resolve_outcome`` turns what Ofsted printed into that, and ``ref_in_force`` turns it back into
# the numbering a document of a given date should use.


@dataclass(frozen=True)
class Edition:
    """One edition of the National Framework: when it came in, and how it numbers its outcomes."""

    id: str  # '2023-12'
    title: str
    start: dt.date
    source: str
    earlier_numbering_still_printed: bool
    outcomes: dict[int, tuple[str, str]]  # number -> (outcome key, title)

    def number_of(self, key: str) -> int:
        return next(n for n, (k, _) in self.outcomes.items() if k == key)


@dataclass(frozen=True)
class ResolvedRef:
    """What Ofsted printed, read as the outcome it meant."""

    ref: str  # canonical numbering ('outcome 3' = safe), as findings files store it
    printed: str  # the printed ref, normalised but in the printed numbering ('outcome 2')
    edition: str  # id of the edition the printed number was read in
    reason: str  # plain English: which edition and why
    ambiguous: bool = False  # editions disagree and the wording did not decide

    @property
    def title(self) -> str:
        return facts.framework_items()[self.ref].title


@dataclass(frozen=True)
class DisplayRef:
    """A ref as a document dated ``edition.start`` or later should print it."""

    ref: str  # canonical
    label: str  # 'Outcome 2' in the edition's numbering
    title: str
    edition: str

    @property
    def text(self) -> str:
        return f"{self.label}: {self.title}"


@cache
def editions() -> tuple[Edition, ...]:
    """The editions, oldest first."""
    data = facts.load_data("framework_editions.yaml")
    out = []
    for e in data["editions"]:
        outcomes = {int(n): (str(o["key"]), str(o["title"])) for n, o in e["outcomes"].items()}
        out.append(Edition(str(e["id"]), e["title"], _as_date(e["start"]), e.get("source", ""),
                           bool(e.get("earlier_numbering_still_printed", False)), outcomes))
    return tuple(sorted(out, key=lambda x: x.start))


def canonical_edition() -> Edition:
    wanted = str(facts.load_data("framework_editions.yaml")["canonical"])
    return next(e for e in editions() if e.id == wanted)


def edition_for(day: dt.date) -> Edition:
    """The numbering in force on ``day`` (the earliest edition for dates before any started)."""
    current = editions()[0]
    for edition in editions():
        if edition.start <= day:
            current = edition
    return current


def _as_date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _canonical_ref(edition: Edition, number: int) -> str:
    key = edition.outcomes[number][0]
    return f"outcome {canonical_edition().number_of(key)}"


@cache
def _cue_patterns() -> dict[str, tuple[tuple[str, re.Pattern[str]], ...]]:
    cues = facts.load_data("framework_editions.yaml").get("wording_cues", {})
    return {
        key: tuple((str(c), re.compile(rf"(?<![a-z0-9]){re.escape(_plain(str(c)))}s?(?![a-z0-9])")) for c in phrases)
        for key, phrases in cues.items()
    }


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9\-]+", " ", text.lower().replace("’", "'"))).strip()


def wording_cues(text: str, key: str) -> list[str]:
    """The cue phrases for outcome ``key`` found in ``text``."""
    plain = _plain(text)
    return [cue for cue, pattern in _cue_patterns().get(key, ()) if pattern.search(plain)]


def resolve_outcome(printed_ref: str, published: dt.date, wording: str | None = None) -> ResolvedRef:
    """The outcome Ofsted meant by ``printed_ref`` ('outcome 2', 'Outcome two', or an item's title)
    in a report published on ``published``; the result's ``ref`` is in selfeval's canonical numbering.

    The edition in force on the date decides, unless an earlier numbering was still being printed
    then and the editions disagree: the area's ``wording`` (safety vs family network) breaks the tie.
    Enablers, principles and items named by title are not renumbered. Raises ValueError for text
    that names no framework item.
    """
    in_force = edition_for(published)
    m = _NUMBERED.match(printed_ref)
    if not m:  # named by title: titles do not change between editions
        normal = facts.normalise_ref(printed_ref)
        if normal is None or facts.framework_item(normal) is None:
            raise ValueError(f"{printed_ref!r} is not a National Framework ref")
        return ResolvedRef(normal, normal, in_force.id, "named by its title, which no edition renumbers")
    normal = facts.normalise_ref(printed_ref)
    if normal is None:
        raise ValueError(f"{printed_ref!r} is not a National Framework ref")
    kind, number_text = normal.split()
    number = int(number_text)
    if kind != "outcome":
        if facts.framework_item(normal) is None:
            raise ValueError(f"{printed_ref!r} is not a National Framework ref ({facts.framework_range_text()})")
        return ResolvedRef(normal, normal, in_force.id, f"{kind}s are numbered the same in every edition")
    if number not in in_force.outcomes:
        raise ValueError(f"{printed_ref!r} is not a National Framework ref (outcomes 1-{max(in_force.outcomes)})")

    candidates = [in_force]
    if in_force.earlier_numbering_still_printed:
        candidates += [e for e in reversed(editions()) if e.start < in_force.start and number in e.outcomes]
    meanings = {e.id: e.outcomes[number][0] for e in candidates}
    on = f"{published:%Y-%m-%d}"
    if len(set(meanings.values())) == 1:
        return ResolvedRef(_canonical_ref(in_force, number), normal, in_force.id,
                           f"outcome {number} means the same in every numbering in use on {on}")

    titles = {e.outcomes[number][0]: e.outcomes[number][1] for e in candidates}
    found = {key: wording_cues(wording or "", key) for key in titles}
    ranked = sorted(found, key=lambda k: -len(found[k]))
    if len(found[ranked[0]]) > len(found[ranked[1]]):
        key = ranked[0]
        chosen = next(e for e in candidates if meanings[e.id] == key)
        cues = ", ".join(f"'{c}'" for c in found[key][:3])
        reason = (f"printed 'outcome {number}' on {on}, when both numberings were in use; the wording ({cues}) is about "
                  f"'{titles[key]}', not '{titles[ranked[1]]}', so it is read in the {chosen.title}")
        return ResolvedRef(_canonical_ref(chosen, number), normal, chosen.id, reason)
    reason = (f"printed 'outcome {number}' on {on}, when both numberings were in use, and the wording does not say which; "
              f"read in the numbering in force then ({in_force.title}) as '{in_force.outcomes[number][1]}'. "
              "Check it, and correct the ref in the findings file if Ofsted meant the other")
    return ResolvedRef(_canonical_ref(in_force, number), normal, in_force.id, reason, ambiguous=True)


_NUMBERED = re.compile(r"^\s*(outcome|enabler|principle)s?\s*[:.]?\s*([0-9]+|[a-z]+)\s*$", re.IGNORECASE)


def ref_in_force(ref: str, day: dt.date) -> DisplayRef:
    """A canonical ref as a document dated ``day`` should show it: the number in force then, and the title."""
    item = facts.framework_item(ref)
    if item is None:
        raise ValueError(f"{ref!r} is not a National Framework ref")
    edition = edition_for(day)
    if item.kind != "outcome":
        return DisplayRef(item.ref, item.label, item.title, edition.id)
    key = canonical_edition().outcomes[item.number][0]
    number = edition.number_of(key)
    return DisplayRef(item.ref, f"Outcome {number}", edition.outcomes[number][1], edition.id)
