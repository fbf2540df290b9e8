"""Default factories for the models' empty lists and dicts.

pydantic reads a field's default factory's signature when it builds the model. For the builtin
``list`` or ``dict`` that means parsing their text signature (0.2-0.3 ms a field, and 4 ms the first
time, to load Python's tokenizer), for the twenty-four such fields of the models every generate
builds; a plain function's signature is read at once. The fields get the same new empty value.
"""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


def empty_list() -> list[V]:
    return []


def empty_dict() -> dict[K, V]:
    return {}
