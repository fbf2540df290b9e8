"""A pack's chart pictures, drawn once, by whichever render processes have a core free.

The pictures depend only on the indicators, which the analysis knows long before the documents'
contexts are ready. So the render child starts a drawer as soon as it is told them (while this
run's main process still analyses), and the render processes forked later for the documents take
what is left: each picture goes to the first process free to draw it, and a document that shows
the charts waits until every one is drawn.

The pool lives in shared memory made before those processes are forked (a ``fork`` context), so
every process forked after it sees the same counters.
"""

from __future__ import annotations

import multiprocessing
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selfeval.render.charts import Drawing


class ChartsNotDrawn(RuntimeError):
    """A picture could not be drawn, or was not drawn in time: the document showing it cannot be made."""


class ChartPool:
    def __init__(self, drawings: list[Drawing]) -> None:
        ctx = multiprocessing.get_context("fork")
        self.drawings = list(drawings)
        self._next = ctx.Value("i", 0)  # the first picture nobody has started
        self._drawn = ctx.Value("i", 0, lock=False)  # changed only under _next's lock
        self._failed = ctx.Value("b", 0, lock=False)
        self._all = ctx.Event()
        if not self.drawings:
            self._all.set()

    def help(self) -> None:
        """Draw pictures nobody has started, until none is left (each is drawn by one process only)."""
        while True:
            with self._next.get_lock():
                index = self._next.value
                if index >= len(self.drawings):
                    return
                self._next.value = index + 1
            try:
                self.drawings[index].draw()
            except BaseException:
                self._failed.value = 1
                self._all.set()  # the waiting document fails at once, not after its minute
                raise
            with self._next.get_lock():
                self._drawn.value += 1
                if self._drawn.value == len(self.drawings):
                    self._all.set()

    def wait(self, seconds: float) -> None:
        """Help, then wait until every picture is drawn, for at most ``seconds``."""
        self.help()
        if not self._all.wait(seconds):
            raise ChartsNotDrawn(f"the chart pictures were not drawn within {seconds:.0f} seconds")
        if self._failed.value:
            raise ChartsNotDrawn("a chart picture could not be drawn by another render process")
