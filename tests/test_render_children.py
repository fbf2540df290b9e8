"""Word is rendered by bounded child processes forked before the inputs are read: while selfeval
loads and analyses, they get Word's libraries and the templates ready, then render the documents
side by side (one per core). The chart pictures are handed to them as soon as the figures are known,
and each is drawn once, by whichever process is free. What a person gets is the same as from one
child; a child that fails or overruns is reported for its own document."""

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
from selfeval.render.chart_pool import ChartPool, ChartsNotDrawn
from selfeval.safety.child import BoundedWorker, TooLarge, end_helper, start_helper

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


class _Picture:
    """Stands in for a chart Drawing: drawing it twice, in any process, is an error."""

    def __init__(self, path: Path, seconds: float = 0.0, fails: bool = False) -> None:
        self.path, self.seconds, self.fails = path, seconds, fails

    def kept(self) -> bool:
        return False  # never kept from an earlier run: each is drawn here

    def draw_afresh(self) -> None:
        time.sleep(self.seconds)
        if self.fails:
            raise ValueError("cannot draw this")
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL)  # fails if another process drew it
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)


def test_each_chart_picture_is_drawn_once_by_whichever_process_is_free(tmp_path: Path) -> None:
    pictures = [_Picture(tmp_path / f"chart-{i}.png", 0.02) for i in range(12)]
    pool = ChartPool(pictures)  # type: ignore[arg-type]
    helpers = [start_helper(pool.help) for _ in range(2)]
    pool.wait(10)  # helps too, then waits for the helpers' last pictures
    for pid in helpers:
        end_helper(pid)
    drawers = {p.path.read_text() for p in pictures}  # every picture exists: drawn once each (O_EXCL)
    assert len(drawers) >= 2  # and shared out between the processes


def test_a_document_waits_only_for_the_picture_it_reaches_next(tmp_path: Path) -> None:
    # The self-evaluation shows its first picture while the drawer is still on the later ones: it
    # goes on as soon as that one exists, and draws one itself if nobody has started it.
    pictures = [_Picture(tmp_path / "first.png", 0.05)] + [_Picture(tmp_path / f"later-{i}.png", 1.5) for i in range(3)]
    pool = ChartPool(pictures)  # type: ignore[arg-type]
    drawer = start_helper(pool.help)
    started = time.monotonic()
    pool.wait(30, tmp_path / "first.png")
    assert time.monotonic() - started < 1.4  # not after the slow pictures (a loaded machine is slow to start the drawer)
    assert (tmp_path / "first.png").exists()
    pool.wait(30, tmp_path / "later-2.png")  # not started by the drawer yet: drawn here
    assert (tmp_path / "later-2.png").read_text() == str(os.getpid())
    pool.wait(30)  # and every picture, once each
    end_helper(drawer)
    assert all(p.path.exists() for p in pictures)
    pool.wait(30, tmp_path / "not-in-the-pool.png")  # drawn before the render: nothing to wait for


def test_a_picture_that_cannot_be_drawn_fails_the_document_at_once(tmp_path: Path) -> None:
    pool = ChartPool([_Picture(tmp_path / "slow.png", 0.3, fails=True), _Picture(tmp_path / "b.png")])  # type: ignore[list-item]
    helper = start_helper(pool.help)
    deadline = time.monotonic() + 10
    while pool._state[0] == 0 and time.monotonic() < deadline:  # until the helper has started on the failing one
        time.sleep(0.005)
    started = time.monotonic()
    with pytest.raises(ChartsNotDrawn):
        pool.wait(30)
    assert time.monotonic() - started < 5  # not after the whole clock
    end_helper(helper)


def test_the_charts_are_handed_over_as_soon_as_the_figures_are_known(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import selfeval.analyse.pack as analyse_pack

    order: list[str] = []
    words = analyse_pack._words_and_figures
    monkeypatch.setattr(analyse_pack, "_words_and_figures", lambda pack: (order.append("analysis goes on"), words(pack))[1])
    handed: list[list[object]] = []
    early = lambda drawings: (order.append("charts handed over"), handed.append(drawings))  # noqa: E731
    prepared = pipeline._prepare(documents(), INPUTS, templates=None, public=False, today=TODAY, scratch=tmp_path, early=early)
    assert order == ["charts handed over", "analysis goes on"]
    assert handed == [prepared.drawings] and len(prepared.drawings) >= 2
    assert {c.png for p in prepared.documents for c in p.charts} == {d.path for d in prepared.drawings}


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
