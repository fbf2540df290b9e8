"""`selfeval map "TEXT"`: suggest National Framework refs for an area for improvement."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from typing import TYPE_CHECKING

from selfeval import facts
from selfeval.errors import InputError
from selfeval.framework_refs import edition_for, ref_in_force

if TYPE_CHECKING:
    from selfeval.analyse.framework_map import Suggestion


def map_text(text: str, as_json: bool, *, top: int | None = None, judgement_area: str | None = None,
        today: dt.date | None = None) -> str:
    """The suggestions as JSON ({"suggestions": [...]}, best first) or as a small table.

    Without ``top``: exactly what import and generate record for this text (the one rule);
    ``top=N`` lists the N best. Labels are in the numbering in force ``today``.
    """
    from selfeval.analyse.framework_map import strip_ref, suggest_refs

    if not text or not strip_ref(text).strip():
        raise InputError("the text to map is empty: give the area for improvement in quotes, e.g. selfeval map \"The response to children who go missing\"")
    if top is not None and top < 1:
        raise InputError(f"--top must be at least 1 (got {top})")
    area = None
    if judgement_area:
        area = facts.area_for_title(judgement_area)
        if area is None:
            known = ", ".join(facts.judgement_areas())
            raise InputError(f"'{judgement_area}' is not an ILACS judgement area (use one of: {known})")
    suggestions = suggest_refs(text, top=top, judgement_area=area)
    day = today or dt.date.today()
    if as_json:
        return json.dumps({"suggestions": [s.to_dict(day) for s in suggestions]}, indent=2, ensure_ascii=False)
    return _table(text, suggestions, day)


def _table(text: str, suggestions: list[Suggestion], day: dt.date) -> str:
    from rich.console import Console
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(file=buffer, width=110, highlight=False, emoji=False, force_terminal=False, color_system=None)
    if not suggestions:
        console.print("No suggestion: nothing in the text matches the framework's vocabulary or Ofsted's labelled areas. "
                      "Choose a ref by hand, or try adding --area.", markup=False)
        return buffer.getvalue().rstrip()
    table = Table(title="Suggested National Framework refs (best first)", title_justify="left", show_lines=True)
    table.add_column("ref", no_wrap=True)
    table.add_column("title", ratio=2)
    table.add_column("confidence", justify="right", no_wrap=True)
    table.add_column("reasons", ratio=4)
    for s in suggestions:
        shown = ref_in_force(s.ref, day)
        label = shown.label if shown.label.lower() == s.ref else f"{shown.label} ({s.ref} in the 2023 numbering)"
        confidence = f"{s.confidence:.2f}" + (" low" if s.low_confidence else "")
        table.add_row(label, s.title, confidence, "\n".join(f"- {r}" for r in s.reasons))
    console.print(table)
    edition = edition_for(day)
    console.print(f"Numbered as in the {edition.title}, in force from {edition.start.day} {edition.start:%B %Y}. "
                  "In findings files refs use the 2023 numbering (the ref in brackets).", markup=False)
    console.print("Suggestions are marked 'suggested' in documents until confirmed in the findings file "
                  "(set confirmed: true on the framework ref).", markup=False)
    return buffer.getvalue().rstrip()


def quick(argv: list[str]) -> bool:
    """Answer ``selfeval map ARGV`` directly when ARGV is a plain, valid call; False to leave it to the CLI.

    Only the options of the ``map`` command in cli.py are recognised (the CLI stays their one
    definition and their help); anything else, and any error, returns False before printing anything.
    """
    text: str | None = None
    as_json, top, area = False, None, None
    args = iter(argv)
    try:
        for arg in args:
            name, has_value, value = arg.partition("=")
            if arg == "--json":
                as_json = True
            elif name in ("--top", "--area"):
                value = value if has_value else next(args)
                if name == "--top":
                    top = int(value)
                else:
                    area = value
            elif arg.startswith("-") or text is not None:
                return False  # --help, an unknown option, a second text: the CLI says what is wrong
            else:
                text = arg
        if text is None:
            return False
        output = map_text(text, as_json, top=top, judgement_area=area)
    except (StopIteration, ValueError, InputError):
        return False
    sys.stdout.write(output + "\n")
    return True
