"""Write a ``Findings`` as the readable YAML kept in ``inputs/findings/``.

People edit these files by hand (to close an area, confirm a suggested ref), so the output is
block style, keeps the model's field order, leaves out empty and default-valued noise, and wraps
long text as plain (or, where YAML needs it, quoted) multi-line scalars. The result is checked to
load back to the same data before it is returned: a writer that silently changed an area's
wording would be worse than no writer.
"""

from __future__ import annotations

from typing import Any

import yaml

from selfeval.models.findings import Findings

# Values that are the model's defaults and would only clutter a hand-edited file.
_DROP_IF = {"confirmed": False, "priority": False, "status": "open", "judgement_area_inferred": False}
_WIDTH = 100


class _Dumper(yaml.SafeDumper):
    """Block-style dumper that indents list items under their key (the style people expect)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:  # noqa: D102
        super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Text with line breaks keeps them (literal block); everything else is plain and wrapped.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _list(dumper: yaml.SafeDumper, value: list) -> yaml.SequenceNode:
    # Paragraph numbers read best on one line: ``source_paragraphs: [3, 20]``.
    flow = bool(value) and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(list, _list)


def _clean(value: Any) -> Any:
    """Drop None, empty collections and default flags, recursively."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            item = _clean(item)
            if item is None or item == [] or item == {}:
                continue
            if key in _DROP_IF and item == _DROP_IF[key]:
                continue
            out[key] = item
        return out
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def findings_data(findings: Findings) -> dict[str, Any]:
    """The plain data written to YAML (dates stay dates, so YAML writes them unquoted)."""
    return _clean(findings.model_dump(mode="python"))


def dump_findings(findings: Findings, header_comment: str = "") -> str:
    """Findings as YAML text, with ``header_comment`` as ``#`` lines at the top."""
    data = findings_data(findings)
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=_WIDTH, default_flow_style=False)
    header = "".join(f"# {line}".rstrip() + "\n" for line in header_comment.splitlines()) if header_comment else ""
    text = header + body
    _check_round_trip(text, findings)
    return text


def _check_round_trip(text: str, findings: Findings) -> None:
    again = Findings.model_validate(yaml.safe_load(text))
    if again != findings:
        # A bug in this module, not a user error: fail loudly rather than write a changed file.
        raise AssertionError("findings YAML did not round-trip; refusing to write it")
