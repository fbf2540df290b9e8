"""The ``selfeval`` command's entry point.

``selfeval map "TEXT" [--json] [--top N] [--area AREA]`` is answered here without loading the full
command line (typer builds a pydantic validator for every option, which alone costs more than the
suggestion), so it answers in well under 0.3 s from a fresh process. Everything else, and any
``map`` call this does not recognise (--help, a bad option, empty text, an error), goes to
``selfeval.cli``, which parses it again and reports it in the one usual way.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:2] == ["map"]:
        from selfeval.commands.map import quick

        if quick(sys.argv[2:]):
            return
    from selfeval.cli import main as full_cli

    full_cli()
