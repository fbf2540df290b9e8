"""`selfeval map "TEXT"`: suggest National Framework refs for an area for improvement."""

from __future__ import annotations

import io
import json

from selfeval import reference
from selfeval.errors import InputError


def run(text: str, as_json: bool, *, top: int = 3, judgement_area: str | None = None) -> str:
    """The ranked suggestions as JSON ({"suggestions": [...]}, best first) or as a small table."""
    from selfeval.analyse.framework_map import strip_ref, suggest_refs

    if not text or not strip_ref(text).strip():
        raise InputError("the text to map is empty: give the area for improvement in quotes, e.g. selfeval map \"The response to children who go missing\"")
    if top < 1:
        raise InputError(f"--top must be at least 1 (got {top})")
    area = None
    if judgement_area:
        area = reference.area_for_title(judgement_area)
        if area is None:
            known = ", ".join(reference.judgement_areas())
            raise InputError(f"'{judgement_area}' is not an ILACS judgement area (use one of: {known})")
    suggestions = suggest_refs(text, top=top, judgement_area=area)
    if as_json:
        return json.dumps({"suggestions": [s.to_dict() for s in suggestions]}, indent=2, ensure_ascii=False)
    return _table(text, suggestions)


def _table(text: str, suggestions: list) -> str:
    from rich.console import Console
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(file=buffer, width=110, highlight=False, emoji=False, force_terminal=False, color_system=None)
    if not suggestions:
        console.print("No suggestion: nothing in the text matches the framework's vocabulary. "
                      "Choose a ref by hand, or try adding --area.", markup=False)
        return buffer.getvalue().rstrip()
    table = Table(title="Suggested National Framework refs (best first)", title_justify="left", show_lines=True)
    table.add_column("ref", no_wrap=True)
    table.add_column("title", ratio=2)
    table.add_column("confidence", justify="right", no_wrap=True)
    table.add_column("reasons", ratio=4)
    for s in suggestions:
        table.add_row(s.ref, s.title, f"{s.confidence:.2f}", "\n".join(f"- {r}" for r in s.reasons))
    console.print(table)
    console.print("Suggestions are marked 'suggested' in documents until confirmed in the findings file "
                  "(set confirmed: true on the framework ref).", markup=False)
    return buffer.getvalue().rstrip()
