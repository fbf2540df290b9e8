"""`selfeval init [DIR]`: scaffold a working folder (inputs/ with templates, a copy of the Word templates)."""

from __future__ import annotations

from pathlib import Path


def init(target: Path) -> list[str]:
    """Create the folder layout; returns the lines to print (created / skipped files). Never overwrites."""
    from selfeval.scaffold import init_folder

    return init_folder(target).lines


run = init  # the old name, kept while branches written against it move over
