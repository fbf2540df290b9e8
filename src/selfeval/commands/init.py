"""`selfeval init [DIR] [--council NAME]`: scaffold a working folder (inputs/ with templates, a copy of the Word templates)."""

from __future__ import annotations

from pathlib import Path


def init(target: Path, council: str | None = None) -> list[str]:
    """Create the folder layout; returns the lines to print (created / skipped files). Never overwrites.

    An unknown council exits 2 with the nearest names, before anything is written."""
    from selfeval.scaffold import init_folder

    name = None
    if council is not None:
        from selfeval.commands.data import council_named

        name = council_named(council).name
    return init_folder(target, name).lines
