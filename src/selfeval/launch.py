"""The ``selfeval`` command's entry point.

``selfeval map "TEXT" [--json] [--top N] [--area AREA]`` is answered here without loading the full
command line (typer builds a pydantic validator for every option, which alone costs more than the
suggestion), so it answers in well under 0.3 s from a fresh process. Everything else, and any
``map`` call this does not recognise (--help, a bad option, empty text, an error), goes to
``selfeval.cli``, which parses it again and reports it in the one usual way.

A plain ``selfeval generate`` (the options ``--inputs``, ``--out``, ``--templates``, ``--public``,
``--force`` and ``--pdf``, each given once, as in the README) is run the same way: importing typer
and building its command take about 40 ms before the first file is read, a tenth of the run. The
same command runs with the same messages (``selfeval.terminal``); anything else (``--batch``,
``--help``, a misspelt option, a path typer would refuse) goes to ``selfeval.cli``.
"""

from __future__ import annotations

import gc
import os
import stat
import sys
from pathlib import Path
from typing import Any, Iterable

# cli.generate's options: the CLI stays their one definition and their help (a test holds the two together).
_GENERATE_PATHS = {"--inputs": "inputs", "-i": "inputs", "--out": "out", "-o": "out", "--templates": "templates", "-t": "templates"}
_GENERATE_FLAGS = {"--public": "public", "--force": "force", "--pdf": "pdf"}
_GENERATE_DEFAULTS: dict[str, Any] = {
    "inputs": Path("inputs"), "out": Path("outputs"), "templates": None, "public": False, "force": False, "pdf": False,
}


def main() -> None:
    try:
        _run()
    finally:
        # Nothing more runs in this process. Python's own exit would first have the garbage collector
        # walk every object the run made (pydantic's schemas, the analysis, the contexts): about a tenth
        # of a second, more than some commands take. Frozen, they are left for the OS to reclaim;
        # everything else about the exit (atexit handlers, flushed output, the exit code) is as usual.
        gc.freeze()


def _run() -> None:
    # selfeval uses no pydantic plugins; without this, pydantic reads every installed package's entry
    # points looking for some at its first model (5 ms here, more in a large environment). A value
    # the user has set is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if sys.argv[1:2] == ["map"]:
        from selfeval.commands.map import quick

        if quick(sys.argv[2:]):
            return
    _plugins_unsearched()  # after the quick map, which builds no model
    if sys.argv[1:2] == ["generate"]:
        options = plain_generate(sys.argv[2:])
        if options is not None:
            _collect_only_in_children()
            from selfeval.terminal import guarded

            guarded(lambda: _generate(options))
            return
    from selfeval.cli import main as full_cli

    full_cli()


# The values of PYDANTIC_DISABLE_PLUGINS with which pydantic's loader finds no plugin, without looking.
_NO_PLUGINS = ("__all__", "1", "true")
_PLUGIN_LOADER = "pydantic.plugin._loader"


def _plugins_unsearched() -> None:
    """pydantic asks its plugin loader (``get_plugins``) for plugins as it builds each model's
    validator. With plugins disabled the loader finds none without looking, but importing it imports
    ``importlib.metadata`` to look with, and that imports email, zipfile, csv, socket and more that
    nothing else in selfeval uses: about 15 ms of a generate's start. Here, until plugins are turned
    on, the loader is this module's ``get_plugins``, which answers as pydantic's does with them
    disabled; should the variable change to turn some on, pydantic's own loader is imported and asked."""
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") not in _NO_PLUGINS or _PLUGIN_LOADER in sys.modules:
        return
    import types

    loader = types.ModuleType(_PLUGIN_LOADER, "Stands in for pydantic's plugin loader while plugins are disabled (selfeval.launch).")
    loader.get_plugins = _get_plugins  # type: ignore[attr-defined]
    sys.modules[_PLUGIN_LOADER] = loader


def _get_plugins() -> Iterable[object]:
    """pydantic.plugin._loader.get_plugins, as it answers while plugins are disabled."""
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") in _NO_PLUGINS:
        return ()
    import importlib

    sys.modules.pop(_PLUGIN_LOADER, None)
    real: Any = importlib.import_module(_PLUGIN_LOADER)
    plugins: Iterable[object] = real.get_plugins()
    return plugins


def plain_generate(args: list[str]) -> dict[str, Any] | None:
    """``selfeval generate ARGS`` as the keyword arguments cli.generate passes on, when ARGS is a
    plain call that typer would accept as it is; None to leave it to the full command line."""
    chosen: dict[str, Any] = {}
    rest = iter(args)
    for arg in rest:
        name, has_value, value = arg.partition("=")
        given: Path | bool
        if arg in _GENERATE_FLAGS:
            key, given = _GENERATE_FLAGS[arg], True
        elif name in _GENERATE_PATHS and (not has_value or name.startswith("--")):
            key = _GENERATE_PATHS[name]
            value = value if has_value else next(rest, "")
            if not _plain_folder(value):
                return None
            given = Path(value)
        else:
            return None  # --help, --batch, a misspelt option, an extra argument: the CLI says what to do
        if key in chosen:
            return None  # given twice: typer takes the last, and says nothing; the CLI decides
        chosen[key] = given
    options = {**_GENERATE_DEFAULTS, **chosen}
    if not all(_plain_folder(str(options[key])) for key in ("inputs", "out") if key not in chosen):
        return None  # a default folder typer would refuse (a file named 'inputs')
    return options


def _plain_folder(value: str) -> bool:
    """A folder option's value that typer takes as it is: not a file, not unreadable, nothing a
    Windows shell expansion (``~``, variables, wildcards) would change, and not like an option."""
    if not value or value.startswith("-") or (os.name == "nt" and any(c in value for c in "~$%*?[")):
        return False
    try:
        st = os.stat(value)
    except OSError:
        return True  # not there yet: typer passes it on, and generate says what is missing
    return not stat.S_ISREG(st.st_mode) and os.access(value, os.R_OK)


def _collect_only_in_children() -> None:
    """No cycle collection in this process; in the processes it forks (the render process, which
    forks the document processes and the chart drawer), collection as :func:`_collect_less_often`.

    One council's run here makes almost no cyclic garbage: about 70 objects in all, for the example
    and for a 200-indicator workbook alike (counted by collecting once at the end of a run made
    without). Yet the collector, even looking only after every 10,000 allocations, walked the
    young objects 4 times while the inputs were read and analysed (15-23 ms of the critical path on
    the example) and, before that, 14 times while the modules loaded (about 10 ms), to find them.
    The render process's templates and documents are another matter, and keep the collector."""
    gc.disable()
    os.register_at_fork(after_in_child=_collect_less_often)


def _collect_less_often() -> None:
    """Python's cycle collector looks at the newest objects after every 700 allocations; starting
    up allocates a few hundred thousand that live on (modules, models, reference data, the
    findings), so before the first document is rendered it runs some 180 times, re-reading them
    (about 60 ms of CPU on the example, a tenth of the run). A render process leaves little cyclic
    garbage: it looks after every 10,000, and the older generations keep their usual pace relative
    to it. The processes it forks keep that."""
    gc.set_threshold(10_000, *gc.get_threshold()[1:])
    gc.enable()


def _generate(options: dict[str, Any]) -> None:
    """cli.generate for one council, with its messages and exit codes."""
    import errno

    from selfeval.terminal import reporting_errors, show

    def run() -> None:
        from selfeval.commands.generate import generate
        import selfeval.pipeline  # noqa: F401  what every generate imports before its render process is forked

        # Its modules, classes and models live as long as the run: frozen now, the cycle collector
        # of the render process forked next never reads them (about 12 ms before its first
        # document), and it shares them as they are.
        gc.freeze()
        show(generate(**options))

    try:
        reporting_errors(run)()
    except OSError as e:
        if e.errno != errno.EPIPE:
            raise
        # Output piped into a program that stopped reading (| head): quietly, as typer does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
