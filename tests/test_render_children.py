"""Word is rendered by bounded child processes forked before the inputs are read: while selfeval
loads and analyses, they get Word's libraries and the templates ready, then render the documents
side by side (one per core), each chart picture drawn once by one of them. What a person gets is the
same as from one child; a child that fails or overruns is reported for its own document."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest

from conftest import INPUTS
from selfeval import pipeline
from selfeval.errors import InputError
from selfeval.render.registry import documents
from selfeval.render.template_files import template_path
from selfeval.safety.child import BoundedWorker, TooLarge

TODAY = dt.date(2026, 3, 2)


def _slow_or_failing(what: str, seconds: float = 0.0) -> str:
    if what == "fail":
        raise InputError("this input is wrong")
    time.sleep(seconds)
    return f"{what} done in {os.getpid()}"


_READY: list[str] = []


def _set_up() -> None:
    _READY.append("ready")


def _ready_count(_: str) -> int:
    return len(_READY)


def test_a_worker_answers_each_call_in_order_from_one_child_after_its_set_up() -> None:
    with BoundedWorker(_slow_or_failing) as worker:
        worker.submit("first")
        worker.submit("second", 0.05)
        first, second = worker.results()
    assert first.startswith("first done") and second.startswith("second done")
    assert first.split()[-1] == second.split()[-1] != str(os.getpid())  # one child, not this process
    with BoundedWorker(_ready_count, setup=_set_up) as worker:
        worker.submit("x")
        assert worker.results() == [1]  # the set-up ran in the child before the call
    assert _READY == []  # and never here


def test_a_call_that_fails_or_overruns_is_reported_for_that_call() -> None:
    with BoundedWorker(_slow_or_failing) as worker:
        worker.submit("fine")
        worker.submit("fail")
        with pytest.raises(InputError, match="this input is wrong"):
            worker.results()
    with BoundedWorker(_slow_or_failing, seconds=0.5) as worker:
        worker.submit("fine")
        worker.submit("slow", 30)
        started = time.monotonic()
        with pytest.raises(TooLarge) as raised:
            worker.results()
        assert raised.value.index == 1
        assert time.monotonic() - started < 10


def test_documents_with_charts_go_to_the_first_child_and_the_rest_are_shared_out() -> None:
    registered = documents()
    paths = [template_path(d.template, None) for d in registered]
    groups = pipeline.render_groups(registered, paths, 2)
    charted = [i for i, d in enumerate(registered) if d.uses_charts]
    if (os.cpu_count() or 1) >= 2:
        assert len(groups) == 2
        assert set(charted) <= set(groups[0])
    assert sorted(i for g in groups for i in g) == list(range(len(registered)))
    assert pipeline.render_groups(registered, paths, 1) == [list(range(len(registered)))]


def test_each_chart_picture_is_drawn_once_and_the_first_child_waits_for_the_others(tmp_path: Path) -> None:
    prepared = pipeline._prepare(documents(), INPUTS, templates=None, public=False, today=TODAY, scratch=tmp_path)
    n = len(prepared.drawings)
    assert n >= 2
    charted = next(i for i, p in enumerate(prepared.documents) if p.document.uses_charts)
    others = [i for i in range(len(prepared.documents)) if i != charted]
    shares = pipeline._chart_shares(prepared, [[charted], others])
    drawn = [d.path for s in shares.values() for d in s.draw]
    assert sorted(drawn) == sorted(d.path for d in prepared.drawings)  # every picture, once
    assert shares[others[0]].done and shares[others[0]].draw
    assert shares[charted].wait_for == 1 and not shares[charted].done
    alone = pipeline._chart_shares(prepared, [list(range(len(prepared.documents)))])
    assert [len(s.draw) for s in alone.values()] == [n] and all(s.wait_for == 0 for s in alone.values())


def test_one_child_or_two_the_documents_are_the_same(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    one, _ = pipeline.build_documents(INPUTS, templates=None, public=False, today=TODAY, scratch=tmp_path / "one", parallel=False)
    two, _ = pipeline.build_documents(INPUTS, templates=None, public=False, today=TODAY, scratch=tmp_path / "two", parallel=True)
    assert [d.name for d in one] == [d.name for d in two]
    assert [d.record for d in one] == [d.record for d in two]
    for a, b in zip(one, two):
        assert _parts(a.data) == _parts(b.data), a.name


def _parts(data: bytes) -> dict[str, bytes]:
    """Every part of the package, without the time of writing (file properties, comments' dates)."""
    import io
    import re
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: re.sub(rb' w:date="[^"]*"', b"", z.read(n)) for n in z.namelist() if n != "docProps/core.xml"}
