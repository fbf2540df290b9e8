"""Small pieces of English shared by the analysis and the documents (no selfeval imports)."""

from __future__ import annotations


def join_and(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
