"""Load findings files (``inputs/findings/*.yaml``) into validated ``Findings`` models."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from selfeval.errors import ErrorList, InputError, Location, SelfevalError
from selfeval.load.yaml_source import YamlDocument, format_loc, read_yaml, text_values
from selfeval.safety.personal_data import check_text_values, identifier_rule, texts_that_may_break_a_rule
from selfeval.models.findings import Findings

FINDINGS_SUFFIXES = (".yaml", ".yml")
MAX_PROBLEMS = 20  # per file: a file that is not findings at all (a system file) must not flood the screen
MAX_QUOTE = 80  # characters of the user's input quoted in one message


def _short(value: object) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 3] + "..."


def quote(value: object) -> str:
    """The user's input as a message quotes it: on one line, and at most MAX_QUOTE characters."""
    return f"'{_short(value)}'"

_SHA256 = re.compile(r"[0-9a-f]{64}")


class NoFindings(InputError):
    """The inputs folder has no findings file: fatal on its own, a warning beside a workbook."""


@dataclass
class LoadedFindings:
    """One findings file, validated, with the document it was read from."""

    findings: Findings
    document: YamlDocument

    @property
    def path(self) -> Path:
        return self.document.path


def load_findings_file(path: Path) -> LoadedFindings:
    doc = read_yaml(path)
    # Every value may reach a document: refuse personal identifiers before anything else is checked.
    # (A SHA-256 fingerprint in provenance is 64 hex digits; a run of ten digits inside one is not an NHS number.)
    _screen(doc, path)
    if not isinstance(doc.data, dict):
        kind = type(doc.data).__name__.replace("str", "a line of text").replace("list", "a list")
        raise InputError(
            f"expected the findings of one inspection or visit (keys such as local_authority, type, inspection_dates), found {kind}",
            Location(path, line=1, column=1),
        )
    try:
        findings = Findings.model_validate(doc.data)
    except ValidationError as e:
        errors = [_located(doc, err) for err in e.errors(include_url=False)]
        if len(errors) > MAX_PROBLEMS:
            more = len(errors) - MAX_PROBLEMS
            errors = errors[:MAX_PROBLEMS] + [InputError(f"... and {more} more problems not shown: fix these first", Location(path))]
        raise ErrorList(errors) from None
    return LoadedFindings(findings, doc)


def _screen(doc: YamlDocument, path: Path) -> None:
    """Refuse a personal identifier at its line and column. The texts are first screened without
    their places (one list, no objects); the nodes are walked for places only when one is a hit."""
    texts = doc.texts if doc.texts is not None else [v.text for v in text_values(doc)]
    # Keys repeat: each text once, and only those the quick rejection, run on all of them at once,
    # leaves. The fingerprint test first: it fails at a text's first letter past 'f', where the rules
    # would look for an NHS number in every run of its digits.
    candidates = texts_that_may_break_a_rule(list(set(texts)))
    if any(not _SHA256.fullmatch(t) and identifier_rule(t) for t in candidates):
        check_text_values((v for v in text_values(doc) if not _SHA256.fullmatch(v.text)), path)


def _located(doc: YamlDocument, err: ErrorDetails) -> InputError:
    loc = tuple(err["loc"])
    at = (err.get("ctx") or {}).get("at")
    if at:
        loc = _as_written(doc, tuple(at))
    if err["type"] == "extra_forbidden":
        # Point at the misspelt key, not at its value.
        loc = loc + ("[key]",)
    location, found = doc.locate(loc)
    shown = format_loc(found if err["type"] != "missing" else loc) or "(top level)"
    msg = _message(err)
    return InputError(f"{shown}: {msg}", location)


def _as_written(doc: YamlDocument, loc: tuple) -> tuple:
    """A model path using normalised judgement keys, as the keys are written in the file."""
    if len(loc) == 2 and loc[0] == "judgements" and isinstance(doc.data.get("judgements"), dict):
        from selfeval.facts import area_for_title

        for written in doc.data["judgements"]:
            if area_for_title(str(written)) == loc[1]:
                return ("judgements", written)
    return loc


# pydantic's own wording is for programmers; these are the messages council staff see instead.
_PLAIN: dict[str, str] = {
    "date_from_datetime_parsing": "'{input}' is not a date: write dates as year-month-day, e.g. 2026-01-12",
    "date_parsing": "'{input}' is not a date: write dates as year-month-day, e.g. 2026-01-12",
    "date_type": "'{input}' is not a date: write dates as year-month-day, e.g. 2026-01-12",
    "string_type": "expected text here, found {kind}",
    "int_parsing": "'{input}' is not a whole number",
    "int_type": "expected a whole number here, found {kind}",
    "bool_parsing": "'{input}' should be true or false",
    "bool_type": "expected true or false here, found {kind}",
    "list_type": "expected a list here (lines starting with '- '), found {kind}",
    "dict_type": "expected a block of 'key: value' lines here, found {kind}",
    "model_type": "expected a block of 'key: value' lines here, found {kind}",
    "string_too_short": "this must not be empty",
    "too_short": "this list must not be empty",
    "literal_error": "'{input}' is not allowed here: use {expected}",
}
_ID_RULE = "ids may hold letters, digits, '.', '_' and '-', and start with a letter or digit (e.g. LAM-2026-01)"


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a block of 'key: value' lines"
    if isinstance(value, list):
        return "a list"
    return quote(value)


def _message(err: ErrorDetails) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        return f"unknown key {quote(err['loc'][-1])} (check the spelling; see the findings format in the README)"
    if kind == "missing":
        return "this required field is missing"
    if kind == "string_pattern_mismatch":
        return f"{quote(err.get('input'))} is not a valid id: {_ID_RULE}"
    if kind in _PLAIN:
        expected = (err.get("ctx") or {}).get("expected", "")
        return _PLAIN[kind].format(input=_short(err.get("input")), kind=_kind(err.get("input")), expected=expected)
    msg = err["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    return msg


def findings_files(folder: Path) -> list[Path]:
    """The findings files in an inputs folder: ``findings/*.yaml``, ignoring templates and hidden files."""
    where = folder / "findings" if (folder / "findings").is_dir() else folder
    return sorted(
        p for p in where.iterdir() if p.suffix.lower() in FINDINGS_SUFFIXES and not p.name.startswith((".", "_", "~"))
    )


def load_all_findings(inputs: Path) -> list[LoadedFindings]:
    """Every findings file under ``inputs``, each validated; errors from all files reported together."""
    if inputs.is_file():
        files = [inputs]
    elif inputs.is_dir():
        files = findings_files(inputs)
    else:
        raise InputError("no such folder; pass the folder that holds findings/ (run 'selfeval init' to create one)", Location(inputs))
    if not files:
        raise NoFindings(
            "no findings files found; put one .yaml file per inspection or visit in findings/ "
            "(or create one with 'selfeval import REPORT.pdf')",
            Location(inputs / "findings" if (inputs / "findings").is_dir() else inputs),
        )
    loaded: list[LoadedFindings] = []
    errors: list[SelfevalError] = []
    for path in files:
        try:
            loaded.append(load_findings_file(path))
        except ErrorList as e:
            errors.extend(e.errors)
        except InputError as e:
            errors.append(e)
    errors.extend(_duplicate_ids(loaded))
    if errors:
        raise ErrorList(errors)
    return loaded


def _duplicate_ids(loaded: list[LoadedFindings]) -> list[InputError]:
    # Where an id is first used (file, index) is kept; its line is looked up in the file's nodes only
    # when the id comes again (a walk along the node tree for every area cost more than the check).
    seen: dict[str, tuple[LoadedFindings, int]] = {}
    errors: list[InputError] = []
    for item in loaded:
        for i, area in enumerate(item.findings.areas_for_improvement):
            if area.id in seen:
                location, _ = item.document.locate(("areas_for_improvement", i, "id"))
                first, first_index = seen[area.id]
                first_line = first.document.locate(("areas_for_improvement", first_index, "id"))[0].line or 0
                where = "earlier in this file" if first.path == item.path else f"in {Location(first.path)}"
                errors.append(
                    InputError(
                        f"areas_for_improvement[{i}].id: '{area.id}' is already used {where} (line {first_line}); "
                        "each area needs its own id so actions can be linked to it",
                        location,
                    )
                )
            else:
                seen[area.id] = (item, i)
    return errors
