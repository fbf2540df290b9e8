"""`selfeval init`: lay out a new working folder. Never overwrites an existing file.

    DIR/
      inputs/performance.xlsx                   workbook template (see selfeval.scaffold.workbook_template)
      inputs/findings/_template.yaml.example    commented findings template (ignored by generate: copy it to
                                                e.g. inputs/findings/council-2026-01-inspection.yaml and fill it in)
      templates/*.docx                          a copy of the default Word templates, to customise
"""

from __future__ import annotations

import functools
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from selfeval.errors import Location, OutputError, display_path
from selfeval.write.atomic import atomic_write_with

FINDINGS_TEMPLATE_NAME = "_template.yaml.example"

FINDINGS_TEMPLATE = """\
# TEMPLATE for one Ofsted inspection or visit. selfeval ignores this file because its name starts
# with "_". To use it: copy it to a new name ending in .yaml in this folder, for example
#   inputs/findings/ourcouncil-2026-01-full-inspection.yaml
# replace every value below, and delete what does not apply. Check it with: selfeval validate inputs
#
# Lines starting with # are comments. Keep the indentation (two spaces) as shown.
# Tip: 'selfeval import REPORT.pdf' writes this file for you from Ofsted's published report.

local_authority: Example Council            # the council as named in the report title
type: full inspection                       # full inspection | focused visit | monitoring visit | JTAI | annual engagement meeting
inspection_kind: standard                   # full inspections only: short | standard (delete for a visit)
title: Inspection of Example Council local authority children's services
theme: null                                 # visits only: what the visit looked at
inspection_dates:
  - start: 2026-01-12                       # first day on site (YYYY-MM-DD)
    end: 2026-01-23                         # last day; delete for a one-day visit
published: 2026-03-02                       # date the report was published (or delete)
lead_inspector: Inspector Name
inspectors:
  - Inspector Name

# Full inspections only: judgement area -> grade
# (grades: outstanding | good | requires improvement | inadequate).
judgements:
  impact_of_leaders: good
  help_and_protection: requires improvement
  children_in_care: good
  care_leavers: good
  overall_effectiveness: good

# The report's opening narrative, one paragraph per item.
summary:
  - Replace with the first paragraph of the report's summary.

# "What needs to improve": one item per area for improvement. The id links actions in the improvement plan.
areas_for_improvement:
  - id: EX-2026-01                          # any short code, unique across your findings files
    text: >-
      Replace with the area for improvement exactly as printed, including any reference such as
      (outcome 3, national framework).
    framework_refs:
      - outcome 3                           # outcome 1-4, enabler 1-3 or principle 1-6, as printed by Ofsted
    source_paragraphs: [12]                 # report paragraphs that evidence it
    judgement_area: help_and_protection     # help_and_protection | children_in_care | care_leavers | impact_of_leaders
    priority: false                         # true for an "area for priority action"
    status: open                            # open | closed

# Strengths the report names.
strengths:
  - text: Replace with a strength the report names.
    source_paragraphs: [17]
    judgement_area: help_and_protection

# Optional: the report's sections and paragraphs (the importer fills these in).
sections: []
notes: null
"""


@dataclass
class InitResult:
    lines: list[str]
    created: list[Path]
    skipped: list[Path]


def _default_templates_dir() -> Path | None:
    try:
        from selfeval.render.template_files import default_templates_dir
    except ImportError:
        return None
    folder = default_templates_dir()
    return folder if folder.is_dir() else None


def init_folder(target: Path, council: str | None = None) -> InitResult:
    """Create the working folder layout under ``target``; existing files are left untouched and reported.

    With ``council`` (a name the catalogue resolves) the workbook is pre-filled with that council's DfE
    published figures, England, its own region and its statistical neighbours' median, and
    inputs/council.yaml records which council the folder is for."""
    from selfeval.scaffold.workbook_template import DEFAULT_PERIODS, CouncilValues, build_workbook, published_rows

    target = Path(target)
    if target.exists() and not target.is_dir():
        raise OutputError("this is a file, not a folder: give a folder for the new working folder", _loc(target))
    created: list[Path] = []
    skipped: list[Path] = []

    def make(path: Path, writer: Callable[[Path], None]) -> None:
        if path.exists():
            skipped.append(path)
            return
        try:
            made = atomic_write_with(path, writer, keep_existing=True)
        except OSError as e:
            raise OutputError(f"cannot write this file ({e.strerror})", _loc(path)) from None
        (created if made else skipped).append(path)

    if council is None:
        make(target / "inputs" / "performance.xlsx", lambda p: build_workbook(p))
    else:
        rows, values = published_rows(council, DEFAULT_PERIODS)
        filled = CouncilValues(council=council, periods=DEFAULT_PERIODS, values=values, illustrative=False)
        make(target / "inputs" / "performance.xlsx", lambda p: build_workbook(p, filled, rows))
        make(target / "inputs" / "council.yaml", functools.partial(_write_text,
            "# The council this folder is for: selfeval adds its DfE published figures, England, its region and its\n"
            "# statistical neighbours to the documents. Any usual spelling works (e.g. Hull, Telford & Wrekin).\n"
            f"council: {council}\n"))
    make(target / "inputs" / "findings" / FINDINGS_TEMPLATE_NAME, functools.partial(_write_text, FINDINGS_TEMPLATE))
    source = _default_templates_dir()
    if source is not None:
        for docx in sorted(source.glob("*.docx")):
            make(target / "templates" / docx.name, functools.partial(_copy, docx))
    lines = [f"created {display_path(p)}" for p in created] + [f"skipped {display_path(p)} (already exists)" for p in skipped]
    if created:
        lines.append(
            (f"The workbook holds {council}'s DfE published figures with England, its region and its statistical neighbours' median. "
             if council else "")
            + f"Next: fill in your council's values in {display_path(target / 'inputs' / 'performance.xlsx')} (Data sheet), "
            f"add a findings file (see {display_path(target / 'inputs' / 'findings' / FINDINGS_TEMPLATE_NAME)}, "
            "or 'selfeval import REPORT.pdf'), then run 'selfeval generate' in that folder."
        )
    return InitResult(lines, created, skipped)


def _write_text(text: str, target: Path) -> None:
    target.write_text(text, encoding="utf-8")


def _copy(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)


def _loc(path: Path) -> Location:
    from selfeval.errors import Location

    return Location(path)
