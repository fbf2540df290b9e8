"""`selfeval --help` and `selfeval validate` must start fast: importing the CLI must not pull in the
heavy libraries (Word, Excel, charts, PDF). Deterministic by design; timings live in bench/run.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import REPO

HEAVY = ("docxtpl", "docx", "openpyxl", "matplotlib", "PIL", "pypdfium2", "lxml", "numpy", "pydantic", "jinja2", "yaml")


def _modules_after(code: str) -> set[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run(
        [sys.executable, "-c", code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"],
        env=env, capture_output=True, text=True, timeout=60, cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stdout.splitlines()[-1]))


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


def test_importing_the_cli_loads_no_heavy_library():
    loaded = _modules_after("import selfeval.cli")
    assert not _heavy(loaded), f"selfeval.cli imports heavy modules at start-up: {_heavy(loaded)[:20]}"


def test_help_loads_no_heavy_library():
    code = (
        "import sys\nsys.argv = ['selfeval', '--help']\nimport selfeval.cli\n"
        "try:\n    selfeval.cli.app()\nexcept SystemExit:\n    pass\n"
    )
    loaded = _modules_after(code)
    assert not _heavy(loaded), f"selfeval --help imports heavy modules: {_heavy(loaded)[:20]}"


def test_batch_module_imports_lazily():
    loaded = _modules_after("import selfeval.commands.batch")
    assert not _heavy(loaded), f"selfeval.commands.batch imports heavy modules: {_heavy(loaded)[:20]}"


def test_a_command_is_answered_by_an_app_holding_it_alone():
    """Typer builds every registered command's options before parsing: `selfeval generate` builds
    only generate's (and `selfeval templates ...` only that group's); anything else gets the whole app."""
    import typer

    from selfeval import cli

    def names(app: typer.Typer) -> list[str]:
        return sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]

    assert names(cli._app_for(["generate", "--inputs", "x"])) == ["generate"]
    assert names(cli._app_for(["map", "text"])) == ["map"]
    assert names(cli._app_for(["templates", "check"])) == ["templates"]
    everything = names(cli.app)
    assert len(everything) > 5
    for args in ([], ["--help"], ["--version"], ["gen"], ["--inputs", "generate"]):
        assert cli._app_for(args) is cli.app
    assert everything == names(cli.app)  # the copies left the app itself whole


@pytest.mark.parametrize("words", [["--help"], ["validate", "no-such-folder"]])
def test_the_process_ends_without_the_garbage_collector_walking_what_the_run_made(words: list[str]) -> None:
    """Python's exit would collect every object the run made (about a tenth of a second after a
    generate); selfeval freezes them first, on every way out, and the exit is otherwise as usual."""
    code = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('frozen' if gc.get_freeze_count() else 'not frozen'))\n"
        f"sys.argv = ['selfeval', *{words!r}]\n"
        "from selfeval.launch import main\n"
        "main()\n"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO, timeout=60)
    assert proc.stdout.strip().endswith("frozen") and "not frozen" not in proc.stdout, proc.stdout + proc.stderr
    assert proc.returncode == (0 if words == ["--help"] else 2), proc.stderr


def _help_output(args: list[str], stand_in: bool) -> tuple[str, set[str]]:
    env = dict(os.environ, PYTHONPATH=str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""), COLUMNS="100")
    code = (
        "import json, sys\n"
        f"sys.argv = ['selfeval', *{args!r}]\n"
        + ("" if stand_in else "import rich.markdown, rich.traceback\n")  # loaded first, the stand-ins stay out of the way
        + "import selfeval.cli\n"
        "try:\n    selfeval.cli.main()\nexcept SystemExit:\n    pass\n"
        "print('\\n' + json.dumps(sorted(sys.modules)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, cwd=REPO)
    *text, modules = proc.stdout.rstrip("\n").split("\n")
    return "\n".join(text) + proc.stderr, set(json.loads(modules))


@pytest.mark.parametrize("args", [["--help"], ["generate", "--help"], ["templates"], ["bogus"]])
def test_help_is_the_same_without_loading_markdown_or_pygments(args: list[str]) -> None:
    """typer's help imports rich.markdown (markdown-it) and rich.traceback (pygments): a quarter of
    `selfeval --help`, for Markdown and tracebacks this CLI never shows. Stand-ins take their place,
    and the help reads the same."""
    quick, loaded = _help_output(args, stand_in=True)
    usual, _ = _help_output(args, stand_in=False)
    assert quick == usual and quick.strip()
    assert not {"markdown_it", "pygments"} & {m.split(".")[0] for m in loaded}


def test_every_help_is_written_in_rich_markup_so_none_needs_markdown() -> None:
    import typer

    from selfeval import cli

    def apps(app: typer.Typer) -> list[typer.Typer]:
        return [app, *(a for g in app.registered_groups if g.typer_instance for a in apps(g.typer_instance))]

    assert all(a.rich_markup_mode == "rich" for a in apps(cli.app))


def test_the_stand_ins_still_give_the_real_thing_if_anything_asks() -> None:
    code = (
        "import io, sys\nfrom selfeval import lazy_rich\nlazy_rich.install()\n"
        "from rich.markdown import Markdown\nfrom rich.traceback import Traceback\nfrom rich.console import Console\n"
        "out = io.StringIO()\nConsole(file=out, width=40).print(Markdown('# Title\\n\\n*some* text'))\n"
        "import rich.markdown as real\nassert real.Heading is sys.modules['rich.markdown'].Heading\n"
        "assert not isinstance(sys.modules['rich.markdown'], lazy_rich._StandIn)\n"
        "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    tb = Traceback.from_exception(type(e), e, e.__traceback__)\n"
        "assert isinstance(tb, Traceback) and type(tb).__module__ == 'rich.traceback'\n"
        "Console(file=out, width=60).print(tb)\nprint(out.getvalue())\n"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    assert "Title" in proc.stdout and "some text" in proc.stdout and "# Title" not in proc.stdout
    assert "ZeroDivisionError" in proc.stdout
