"""Load a whole inputs folder: findings files, the performance workbook and the plan tracker."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TypeVar

from selfeval.errors import ErrorList, SelfevalError
from selfeval.load.findings import LoadedFindings, NoFindings, load_all_findings
from selfeval.models.actions import ActionPlan
from selfeval.models.performance import PerformanceData

T = TypeVar("T")

WORKBOOK_NAMES = ("performance.xlsx",)
COUNCIL_FILE = "council.yaml"  # written by 'selfeval init --council': which council the folder is for
TRACKER_NAMES = ("improvement-plan-tracker.xlsx",)


@dataclass
class Inputs:
    """Everything read from an inputs folder, with the warnings about it."""

    folder: Path
    findings: list[LoadedFindings]
    performance: PerformanceData | None = None
    performance_paths: list[Path] = field(default_factory=list)  # every workbook and scorecard read
    actions: ActionPlan | None = None
    actions_path: Path | None = None
    council: str | None = None  # from inputs/council.yaml, until a findings file names the council
    warnings: list[str] = field(default_factory=list)

    @property
    def performance_path(self) -> Path | None:
        """The first workbook read: the one the documents' sources name."""
        return self.performance_paths[0] if self.performance_paths else None


def _first_existing(folder: Path, names: tuple[str, ...]) -> Path | None:
    for name in names:
        if (folder / name).is_file():
            return folder / name
    return None


def _collect(loader: Callable[[Path], T], path: Path, errors: list[SelfevalError]) -> T | None:
    """Run one loader; its errors join ``errors`` so every file's problems are reported together."""
    try:
        return loader(path)
    except ErrorList as e:
        errors.extend(e.errors)
    except SelfevalError as e:
        errors.append(e)
    return None


def _read_council(path: Path) -> str:
    import yaml

    from selfeval.errors import InputError, Location

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise InputError(f"cannot be read as YAML ({type(e).__name__})", Location(path)) from None
    if not isinstance(data, dict) or not isinstance(data.get("council"), str) or not data["council"].strip():
        raise InputError("should hold one line such as 'council: Wigan'", Location(path, line=1))
    return str(data["council"]).strip()


def _load_performance(base: Path, inputs: Inputs, errors: list[SelfevalError]) -> None:
    """selfeval's own performance.xlsx, and every scorecard with a ``<stem>.mapping.yaml`` beside it."""
    from selfeval.load.scorecard.inputs import find_scorecards, load_performance_sources

    found = find_scorecards(base, own=WORKBOOK_NAMES, skip=TRACKER_NAMES)
    inputs.warnings.extend(found.warnings)
    if not found.sources:
        return
    data, paths, warnings = load_performance_sources(found.sources, errors)
    inputs.performance, inputs.performance_paths = data, paths
    inputs.warnings.extend(warnings)


def load_inputs(folder: Path) -> Inputs:
    """Everything under ``folder``; errors from every file are collected and raised together."""
    errors: list[SelfevalError] = []
    findings: list[LoadedFindings] = []
    no_findings: NoFindings | None = None
    try:
        findings = load_all_findings(folder)
    except NoFindings as e:
        no_findings = e
    except ErrorList as e:
        errors.extend(e.errors)
    except SelfevalError as e:
        errors.append(e)
    inputs = Inputs(folder, findings)
    base = folder if folder.is_dir() else folder.parent
    _load_performance(base, inputs, errors)
    council_file = base / COUNCIL_FILE
    if council_file.is_file():
        inputs.council = _collect(_read_council, council_file, errors)
    tracker = _first_existing(base, TRACKER_NAMES)
    if tracker is not None:
        from selfeval.load.actions import load_actions

        inputs.actions = _collect(load_actions, tracker, errors)
        inputs.actions_path = tracker if inputs.actions is not None else None
        if inputs.actions is not None:
            inputs.warnings.extend(inputs.actions.notes)
    if no_findings is not None:
        # A folder fresh from 'selfeval init' has a workbook but no findings yet: still worth a draft.
        if inputs.performance is None and inputs.council is None:
            errors.insert(0, no_findings)
        else:
            inputs.warnings.append(
                f"{no_findings}. The documents have placeholders where Ofsted's findings go."
            )
    if errors:
        raise ErrorList(errors)
    return inputs
