"""What a plain `selfeval generate` does before its render child is forked: only what the run needs.

Deterministic by design (which modules are loaded, whether the collector ran); the timings live in
bench/. Each test runs the real command from a fresh interpreter, its fork replaced by a report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO

# Runs `selfeval generate ARGS` through the entry point, and at the render child's fork prints
# what the process holds then (instead of forking) and stops.
AT_FORK = """
import gc, json, os, sys
collected = []  # each collection once pydantic began loading: (generation, were the modules frozen yet)
gc.callbacks.append(lambda phase, info: phase == "start" and "pydantic" in sys.modules
                    and collected.append((info["generation"], gc.get_freeze_count() > 0)))
def report_at_fork():
    print(json.dumps({"modules": sorted(sys.modules), "collected": collected, "enabled": gc.isenabled()}))
    sys.stdout.flush()
    os._exit(0)
os.fork = report_at_fork
sys.argv = ["selfeval", "generate", *sys.argv[1:]]
from selfeval.launch import main
main()
"""


def _at_fork(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> dict[str, object]:
    full_env = dict(os.environ if env is None else env)
    full_env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + full_env.get("PYTHONPATH", "")
    proc = subprocess.run(
        [sys.executable, "-c", AT_FORK, "--out", str(tmp_path / "out"), *args],
        cwd=REPO, env=full_env, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def _python(code: str, *args: str, timeout: int = 60) -> subprocess.CompletedProcess[str]:
    """``code`` run in a fresh interpreter with selfeval's sources on its path, as a user's shell runs it."""
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    return subprocess.run([sys.executable, "-c", code, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)


def test_generate_reaches_its_render_child_without_what_only_pydantics_plugin_search_uses(tmp_path: Path) -> None:
    """pydantic's plugin loader imports importlib.metadata (email, zipfile, csv, socket ...) to look
    for plugins that selfeval has turned off; nor is the PDF writer loaded without --pdf."""
    held = set(_at_fork(tmp_path)["modules"])  # type: ignore[arg-type]
    assert "selfeval.pipeline" in held and "pydantic" in held  # it did get that far
    assert not held & {"importlib.metadata", "email", "email.message", "selfeval.write.pdf"}
    assert "importlib.metadata" not in _loaded_by_whole_run(tmp_path)


def _loaded_by_whole_run(tmp_path: Path) -> set[str]:
    code = (
        "import atexit, json, sys\n"
        "atexit.register(lambda: print(json.dumps(sorted(sys.modules))))\n"
        "sys.argv = ['selfeval', 'generate', '--out', sys.argv[1]]\n"
        "from selfeval.launch import main\nmain()\n"
    )
    proc = _python(code, str(tmp_path / "whole"), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "whole" / "self-evaluation.docx").is_file()
    return set(json.loads(proc.stdout.splitlines()[-1]))


def test_a_user_who_turns_plugins_on_gets_pydantics_own_loader(tmp_path: Path) -> None:
    env = dict(os.environ, PYDANTIC_DISABLE_PLUGINS="some-plugin")
    held = set(_at_fork(tmp_path, env=env)["modules"])  # type: ignore[arg-type]
    assert "importlib.metadata" in held


def test_the_stand_in_answers_as_pydantics_loader_does() -> None:
    """While plugins are disabled it finds none, as pydantic's loader does; once the variable turns
    them on, pydantic's own loader is imported and asked, and stays."""
    code = (
        "import os, sys\n"
        "os.environ['PYDANTIC_DISABLE_PLUGINS'] = '__all__'\n"
        "from selfeval import launch\n"
        "launch._plugins_unsearched()\n"
        "from pydantic.plugin._loader import get_plugins\n"
        "from pydantic import BaseModel\n"
        "class M(BaseModel):\n    a: int\n"
        "assert M(a='1').a == 1\n"
        "assert tuple(get_plugins()) == ()\n"
        "assert 'importlib.metadata' not in sys.modules\n"
        "os.environ['PYDANTIC_DISABLE_PLUGINS'] = 'none-of-them'\n"
        "assert list(get_plugins()) == []\n"  # this environment has no pydantic plugin installed
        "import pydantic.plugin._loader as real\n"
        "assert real.get_plugins is not get_plugins and 'importlib.metadata' in sys.modules\n"
        "class N(BaseModel):\n    b: int\n"
        "assert N(b=2).b == 2\n"
        "print('ok')\n"
    )
    proc = _python(code)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


def test_the_collector_does_not_walk_the_modules_while_they_load(tmp_path: Path) -> None:
    """Nearly everything importing makes lives as long as the run, and a council's run here makes
    almost no cyclic garbage: the collector does not run in this process (the render process is
    another matter: see the next test)."""
    state = _at_fork(tmp_path)
    assert state["enabled"] is False
    assert state["collected"] == []


# The real run, each forked process saying how its cycle collector is set as it starts.
CHILDREN = """
import gc, os, sys
_fork = os.fork
def fork():
    pid = _fork()
    if pid == 0:
        sys.stderr.write(f"forked: {gc.isenabled()} {gc.get_threshold()[0]}\\n")
    return pid
os.fork = fork
sys.argv = ["selfeval", "generate", "--out", sys.argv[1]]
from selfeval.launch import main
main()
"""


def test_the_render_processes_collect_as_before(tmp_path: Path) -> None:
    """The render process (and the document and chart processes it forks) renders templates, which
    does make cyclic garbage: each collects, after every 10,000 allocations."""
    proc = _python(CHILDREN, str(tmp_path / "out"), timeout=120)
    assert proc.returncode == 0, proc.stderr
    forked = [line for line in proc.stderr.splitlines() if line.startswith("forked: ")]
    assert len(forked) >= 2 and set(forked) == {"forked: True 10000"}, proc.stderr
    assert (tmp_path / "out" / "board-summary.docx").is_file()


def test_the_models_fields_are_typed_with_objects_not_strings() -> None:
    """pydantic reads a postponed annotation back from its string (a compile and an eval per field,
    as each model is built at every start): the models a generate builds do not postpone theirs."""
    code = (
        "import json\n"
        "from pydantic import BaseModel\n"
        "import selfeval.pipeline\n"  # every model a generate builds before its render process is forked
        "def models(cls):\n"
        "    return [m for sub in cls.__subclasses__() for m in (sub, *models(sub))]\n"
        "ours = [m for m in models(BaseModel) if m.__module__.startswith('selfeval.')]\n"
        "print(json.dumps([len(ours), [f'{m.__module__}.{m.__qualname__}.{name}' for m in ours\n"
        "    for name, t in vars(m).get('__annotations__', {}).items() if isinstance(t, str)]]))\n"
    )
    proc = _python(code)
    assert proc.returncode == 0, proc.stderr
    count, postponed = json.loads(proc.stdout)
    assert count >= 30 and postponed == []
