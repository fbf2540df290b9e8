"""National Framework cross-references at the end of an area for improvement.

Ofsted has printed them as '(outcome 3, national framework)', '(Outcome four, National Framework)',
'(Enabler two)', '(Principle 1)' and '(enabler: leaders drive conditions for effective practice,
national framework)', before or after the full stop. Anything in trailing brackets that starts
with a framework kind is treated as a ref; one we cannot match to the framework is kept raw (and
warned about by the caller) rather than dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selfeval import reference

_KINDS = "|".join(reference.REF_KINDS)
_TRAILING_GROUP = re.compile(r"\s*\(([^()]*)\)(\s*[.;]?)\s*$")
_KIND_START = re.compile(rf"^({_KINDS})s?\b\s*[:.]?\s*(.*)$", re.IGNORECASE)
_FILLER = re.compile(r"^(the\s+)?(children.s social care\s*:?\s*)?national framework$", re.IGNORECASE)
_AND_KIND = re.compile(rf"\s+(?:and|&)\s+(?=(?:{_KINDS})s?\b)", re.IGNORECASE)
_NUMBER_LIST = re.compile(r"\s*(?:,|and|&)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedRef:
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
        found = refs_in_group(m.group(1))
        if found is None:
            break
        raw = f"({m.group(1)})"
        refs = [ParsedRef(r, raw) for r in found] + refs
        stop = stop or m.group(2).strip()
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
        for piece in _AND_KIND.split(part):
            found, kind = _piece_refs(piece, kind)
            if found is None:
                return None
            refs.extend(found)
    return refs or None


def _piece_refs(piece: str, kind: str | None) -> tuple[list[str | None] | None, str | None]:
    m = _KIND_START.match(piece)
    if m:
        kind, rest = m.group(1).lower(), m.group(2).strip()
    elif kind and re.fullmatch(r"[0-9]+|[a-z]+", piece, re.IGNORECASE) and _number(piece) is not None:
        rest = piece  # '(outcomes 1, 3)': the kind carries over
    else:
        return None, kind
    numbers = [_number(n) for n in _NUMBER_LIST.split(rest) if n]
    if numbers and all(n is not None for n in numbers):
        return [_checked(f"{kind} {n}") for n in numbers], kind
    # Named by title: 'enabler: leaders drive conditions for effective practice'.
    normal = reference.normalise_ref(rest)
    if normal and normal.split()[0] == kind:
        return [_checked(normal)], kind
    return [None], kind


def _number(word: str) -> int | None:
    word = word.strip().lower()
    if word.isdigit():
        return int(word)
    normal = reference.normalise_ref(f"outcome {word}")
    return int(normal.split()[1]) if normal else None


def _checked(ref: str) -> str | None:
    item = reference.framework_item(ref)
    return item.ref if item else None


def text_without_refs(text: str) -> str:
    """The area's own words, without Ofsted's trailing framework tag(s); the sentence keeps its full stop."""
    return split_refs(text)[0]
