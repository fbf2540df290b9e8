"""'[To complete: ...]' markers for evidence the tool does not have.

Context building never invents text: where something is missing it puts a marker. After
rendering, ``finish`` highlights each marker and attaches a Word comment telling the author
what to add; the comment text is looked up from the marker here.
"""

from __future__ import annotations

import re

PREFIX = "[To complete: "
MARKER_RE = re.compile(r"\[To complete: [^\]]*\]")

# what to add -> guidance for the comment. Module-level because markers are plain strings that
# travel through Jinja; the mapping is deterministic (same text -> same guidance).
_GUIDANCE: dict[str, str] = {}


def todo(what: str, guidance: str | None = None) -> str:
    marker = f"{PREFIX}{what}]"
    _GUIDANCE[marker] = guidance or f"Add {what[0].lower() + what[1:]}. selfeval had no evidence for this, so it left this gap for you rather than inventing text."
    return marker


def guidance_for(marker: str) -> str:
    return _GUIDANCE.get(marker, "Replace this placeholder with your own evidence, then delete the highlight.")


def is_placeholder(text: str) -> bool:
    return text.startswith(PREFIX)
