"""What a plain `selfeval generate` does before its render child is forked: only what the run needs.

Deterministic by design (which modules are loaded, whether the collector ran); the timings live in
bench/. The test runs the real command from a fresh interpreter, its fork replaced by a report."""

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


def test_the_collector_does_not_walk_the_modules_while_they_load(tmp_path: Path) -> None:
    """Nearly everything importing makes lives as long as the run; it is frozen once loaded, and the
    collector, off until then, runs only over what the run makes after that (at its usual pace)."""
    state = _at_fork(tmp_path)
    assert state["enabled"] is True
    collected: list[list[object]] = state["collected"]  # type: ignore[assignment]
    assert all(frozen for _, frozen in collected), collected
