"""Refreshing a document a person has worked on: next quarter's draft keeps every word they wrote.

``generate`` asks ``refresh_all`` to write the rendered documents. If the output already there
holds words a person typed into its content controls, those words go into the same places of the
new draft (``render.carry_forward``). If the person also changed the file in any other way, their
copy is first moved, untouched, to ``outputs/previous/`` and the paragraphs they changed outside
the controls are listed, with where they were, so they can copy them across: nothing is lost.

This sits beside ``pipeline`` (it joins load, render and write); the decisions are in those layers.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from selfeval.document_paragraphs import Edit, ParagraphPrint, edits, paragraph_prints
from selfeval.errors import InputError
from selfeval.render.carry_forward import CarryReport, carry, control_digests
from selfeval.write.output import OutputFolder, Planned, Written

if TYPE_CHECKING:  # Word's libraries are the render child's; this process may never need them
    from selfeval.render.docx import Record

# Columns of the improvement plan that come from the tracker: typing there is typing in the wrong place.
TRACKER_COLUMNS = ("Actions", "Lead officer", "Timescale", "Success measures", "Progress", "RAG")


@dataclass
class Outcome:
    written: Written
    kept: Path | None = None  # where the person's copy went
    report: CarryReport = field(default_factory=CarryReport)
    outside: list[Edit] = field(default_factory=list)  # their edits outside the controls
    no_record: bool = False  # selfeval has no note of what it wrote there, so cannot list edits
    unreadable: str | None = None  # why their copy could not be read for carrying


@dataclass(frozen=True)
class Draft:
    """A freshly rendered document, to be written in place of the copy in the output folder."""

    name: str
    data: bytes
    record: Record | None = None  # what the manifest records of it, when the renderer has it already


def refresh_all(folder: OutputFolder, drafts: list[Draft], *, force: bool, today: dt.date) -> list[Outcome]:
    """Write each draft of a pack in the output folder, carrying forward what a person wrote in the
    copy there: every person's copy is read and kept first, then the drafts are written together
    (``OutputFolder.write_all``: the manifest is saved twice for the pack, not twice a document)."""
    outcomes: list[Outcome] = []
    planned: list[Planned] = []
    for draft in drafts:
        outcome, data, overwrite = _carried(folder, draft, force=force, today=today)
        outcomes.append(outcome)
        planned.append(Planned(draft.name, data, overwrite, _record(draft.data, data, draft.record)))
    for outcome, written in zip(outcomes, folder.write_all(planned)):
        outcome.written = written
    return outcomes


def _carried(folder: OutputFolder, draft: Draft, *, force: bool, today: dt.date) -> tuple[Outcome, bytes, bool]:
    """The outcome so far, the bytes to write and whether they may replace the copy there: a
    person's words carried into the draft, and their edited copy kept in previous/ first."""
    from selfeval.load.previous import read_previous

    name, fresh = draft.name, draft.data
    target = folder.folder / name
    outcome = Outcome(Written(target, target))
    if force or not target.exists() or target.suffix.lower() != ".docx":
        return outcome, fresh, force
    written_before = folder.record(name)
    edited = folder.edited(target)
    data = fresh
    try:
        previous = read_previous(target)
    except InputError as e:
        outcome.unreadable = e.message
        previous = None
    if previous is not None:
        data, outcome.report = carry(fresh, previous.controls, written=_controls(written_before))
        if edited:
            generated = _paragraphs(written_before)
            if generated is None:
                outcome.no_record = True
            else:
                outcome.outside = edits(generated, previous.paragraphs)
    if edited:
        outcome.kept = folder.keep_previous(target, today)
    # The person's file is kept (or was selfeval's own): the new draft takes its name.
    return outcome, data, True


def _record(fresh: bytes, final: bytes, fresh_record: Record | None) -> dict[str, Any]:
    """What the manifest keeps: each control's generated text (from the fresh render, so carried
    words always count as a person's) and each generated paragraph of the file as written."""
    if fresh_record is not None and final is fresh:
        return dict(fresh_record)
    return {
        "controls": fresh_record["controls"] if fresh_record is not None else control_digests(fresh),
        "paragraphs": [[p.where, p.digest] for p in _prints(final)],
    }


def _prints(data: bytes) -> list[ParagraphPrint]:
    from lxml import etree

    from selfeval.content_controls import w

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    body = root.find(w("body"))
    return paragraph_prints(body) if body is not None else []


def _controls(record: dict[str, Any] | None) -> dict[str, str] | None:
    controls = record.get("controls") if record else None
    return {str(k): str(v) for k, v in controls.items()} if isinstance(controls, dict) else None


def _paragraphs(record: dict[str, Any] | None) -> list[ParagraphPrint] | None:
    rows = record.get("paragraphs") if record else None
    if not isinstance(rows, list):
        return None
    return [ParagraphPrint(str(r[0]), str(r[1])) for r in rows if isinstance(r, list) and len(r) == 2]


# -- what the person is told ---------------------------------------------------------------------

def document_label(name: str) -> str:
    """'improvement-plan.docx' -> 'improvement plan'."""
    return Path(name).stem.replace("-", " ").replace("_", " ").replace("self evaluation", "self-evaluation")


def edit_line(name: str, edit: Edit) -> str:
    """'improvement plan, LAM-2026-02, Actions: edited in Word; actions live in the tracker — copy them there'."""
    line = f"{document_label(name)}, {edit.where}: {edit.kind} in Word"
    column = edit.where.rsplit(", ", 1)[-1]
    if Path(name).stem == "improvement-plan" and column in TRACKER_COLUMNS:
        return line + f"; {column.lower()} live in the tracker — copy them there ('selfeval plan export' makes it)"
    return line + "; selfeval writes this from your inputs — change it there, or type in a highlighted box"


def outcome_lines(name: str, outcome: Outcome, shown: str) -> tuple[list[str], list[str]]:
    """(lines for stdout, warnings for stderr) about one refreshed document. ``shown`` is how the
    kept copy's path is displayed."""
    lines: list[str] = []
    warnings: list[str] = []
    report = outcome.report
    if outcome.kept is not None:
        lines.append(f"{name} had been edited since selfeval wrote it: your copy is kept, untouched, as {shown}")
    elif report.carried:
        lines.append(f"{name}: the words people wrote in it are carried into the new draft")
    if report.placed:
        lines.append(f"  carried {_count(len(report.placed), 'passage')} into the new draft, in the same places: {'; '.join(report.placed)}")
    if report.unplaced:
        lines.append(
            f"  {_count(len(report.unplaced), 'passage')} had no place in the new draft and "
            f"{'is' if len(report.unplaced) == 1 else 'are'} in its appendix '{'Carried forward from the previous version'}': "
            + "; ".join(report.unplaced)
        )
    if report.tracked_changes:
        lines.append("  tracked changes in those passages were accepted (insertions kept, deletions dropped)")
    if report.with_comments:
        warnings.append(
            f"{name}: comments were not carried (on {'; '.join(report.with_comments)}); they are still in your kept copy"
            if outcome.kept is not None
            else f"{name}: comments were not carried (on {'; '.join(report.with_comments)})"
        )
    if outcome.unreadable:
        warnings.append(f"{name}: your words could not be read from it ({outcome.unreadable}); copy them across from the kept copy by hand")
    for edit in outcome.outside:
        warnings.append(edit_line(name, edit))
    if outcome.no_record:
        warnings.append(
            f"{name}: selfeval has no record of the paragraphs it wrote there, so it cannot list what you changed outside "
            "the highlighted boxes; compare with your kept copy"
        )
    return lines, warnings


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"
