"""'[To complete: ...]' markers for evidence the tool does not have.

Context building never invents text: where something is missing it puts a marker. After
rendering, ``finish`` turns each marker into a Word content control (title, tag, placeholder
text), highlights it and attaches a Word comment telling the author what to add.

A marker travels through Jinja as a plain string, so the *place* it stands for (``local-context``,
``LAM-2026-02/actions``) rides along inside it, between two private-use characters that no one
types; ``finish`` reads it into the control's tag and removes it from the text. The place is what
lets next quarter's draft put a person's words back where they wrote them.
"""

from __future__ import annotations

import re

PREFIX = "[To complete: "
_OPEN, _CLOSE = "\ue000", "\ue001"  # Unicode private use: never typed, legal in XML, stripped by finish
MARKER_RE = re.compile(r"\[To complete: [^\]]*\](?:\ue000([^\ue001]*)\ue001)?")
_PLACE_RE = re.compile(r"\ue000[^\ue001]*\ue001")

# Module-level because markers are plain strings that travel through Jinja; both mappings are
# deterministic (same marker -> same guidance, same place -> same title). The render child is forked
# before the contexts are built, so it is sent them (``notes``/``remember``); each pack starts afresh
# (``forget``), so a batch worker does not keep every council's markers.
_GUIDANCE: dict[str, str] = {}
_TITLES: dict[str, str] = {}

Notes = tuple[dict[str, str], dict[str, str]]


def notes() -> Notes:
    """The guidance and titles of the markers made so far, to send to the process that renders them."""
    return dict(_GUIDANCE), dict(_TITLES)


def remember(sent: Notes) -> None:
    guidance, titles = sent
    _GUIDANCE.update(guidance)
    _TITLES.update(titles)


def forget() -> None:
    _GUIDANCE.clear()
    _TITLES.clear()


def todo(what: str, guidance: str | None = None, *, place: str | None = None, title: str | None = None) -> str:
    """A marker asking for ``what``. ``place`` names where it stands (a judgement area, an area for
    improvement id, a section) so that a person's text can be found and carried forward; ``title`` is
    what Word shows on the content control (default: from ``what``)."""
    marker = f"{PREFIX}{what}]"
    _GUIDANCE[marker] = guidance or f"Add {what[0].lower() + what[1:]}. selfeval had no evidence for this, so it left this gap for you rather than inventing text."
    if place is None:
        return marker
    _TITLES[place] = title or default_title(what)
    return f"{marker}{_OPEN}{place}{_CLOSE}"


def default_title(what: str) -> str:
    """'our local context: population, ...' -> 'Our local context' (Word shows titles on one line)."""
    short = re.split(r"[:(]", what, maxsplit=1)[0].strip().rstrip(".,;")
    short = short[:60].rsplit(" ", 1)[0] + "…" if len(short) > 60 else short
    return short[:1].upper() + short[1:] if short else "To complete"


def guidance_for(marker: str) -> str:
    return _GUIDANCE.get(strip_places(marker), "Replace this placeholder with your own evidence, then delete the highlight.")


def title_for(place: str | None, marker: str) -> str:
    if place and place in _TITLES:
        return _TITLES[place]
    return default_title(strip_places(marker)[len(PREFIX):-1])


def strip_places(text: str) -> str:
    """The text as a person should read it: without the places that markers carry."""
    return _PLACE_RE.sub("", text) if _OPEN in text else text

