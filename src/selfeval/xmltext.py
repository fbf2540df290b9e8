"""Text that Office Open XML can hold (used by every writer: Word documents and Excel trackers)."""

from __future__ import annotations

import re

_FORBIDDEN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def has_forbidden(text: str) -> bool:
    """Whether ``text`` holds a character XML 1.0 cannot hold (one search, no copy)."""
    return _FORBIDDEN_XML.search(text) is not None


def strip_forbidden(text: str) -> tuple[str, int]:
    """Remove characters XML 1.0 cannot hold (Excel cells often carry \\x0b); return the count removed."""
    cleaned, count = _FORBIDDEN_XML.subn("", text)
    return cleaned, count
