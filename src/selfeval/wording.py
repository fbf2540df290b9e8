"""Small pieces of English shared by the analysis, the documents and the commands' messages (no
selfeval imports, so any layer may use them)."""

from __future__ import annotations


def count(n: int, singular: str, plural: str | None = None) -> str:
    """'1 area', '3 areas'; '2 findings files'."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def join_and(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
