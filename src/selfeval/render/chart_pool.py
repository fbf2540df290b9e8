"""A pack's chart pictures, drawn once, by whichever render processes have a core free.

The pictures depend only on the indicators, which the analysis knows long before the documents'
contexts are ready. So the render child starts a drawer as soon as it is told them (while this
run's main process still analyses), and the render processes forked later for the documents take
what is left: each picture goes to the first process free to draw it. A document showing the
charts waits for each picture only when it is saved, drawing it itself if nobody has started it;
the pictures are drawn in the order the self-evaluation shows them (see ``pipeline``), so the one
it needs next is the one most likely drawn already.

A picture an earlier run drew from the same figures is copied from the user's cache folder as the
pool is made (see ``picture_store``), and counts as drawn.

The pool lives in shared memory made before those processes are forked (a ``fork`` context), so
every process forked after it sees the same state.
"""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selfeval.render.charts import Drawing

_WAITING, _DRAWING, _DRAWN = 0, 1, 2  # each picture's state


class ChartsNotDrawn(RuntimeError):
    """A picture could not be drawn, or was not drawn in time: the document showing it cannot be made."""


class ChartPool:
    def __init__(self, drawings: list[Drawing]) -> None:
        ctx = multiprocessing.get_context("fork")
        self.drawings = list(drawings)
        self._index = {Path(d.path): i for i, d in enumerate(self.drawings)}
        self._changed = ctx.Condition()  # its lock guards the state below
        self._state = ctx.Array("b", len(self.drawings), lock=False)
        self._failed = ctx.Value("b", 0, lock=False)
        for i, drawing in enumerate(self.drawings):  # kept from an earlier run with the same figures
            if drawing.kept():
                self._state[i] = _DRAWN

    def left(self) -> bool:
        """Whether any picture is still to draw (none, when every one was kept from an earlier run)."""
        return any(state != _DRAWN for state in self._state)

    def help(self) -> None:
        """Draw pictures nobody has started, in order, until none is left."""
        while (index := self._claim()) is not None:
            self._draw(index)

    def wait(self, seconds: float, picture: Path | None = None) -> None:
        """Return once ``picture`` (or, with None, every picture) is drawn, for at most ``seconds``.
        ``picture``, if nobody has started it, is drawn here; if another process is drawing it, this
        one waits rather than start another picture it might still be on when that one is done.
        With None, every picture nobody has started is drawn here, then the rest waited for."""
        if picture is None:
            wanted: list[int] = list(range(len(self.drawings)))
        else:  # a picture not in the pool was drawn before the render: nothing to wait for
            wanted = [self._index[picture]] if picture in self._index else []
        deadline = time.monotonic() + seconds
        for target in wanted:
            while True:
                index = self._claim(first=target, others=picture is None)
                if index is None:
                    break
                self._draw(index)
                if index == target:
                    break
            with self._changed:
                if not self._changed.wait_for(lambda: self._failed.value or self._state[target] == _DRAWN, deadline - time.monotonic()):
                    raise ChartsNotDrawn(f"the chart pictures were not drawn within {seconds:.0f} seconds")
                if self._failed.value:
                    raise ChartsNotDrawn("a chart picture could not be drawn by another render process")

    def _claim(self, first: int | None = None, others: bool = True) -> int | None:
        """A picture nobody has started, now this process's to draw: ``first`` if it is one, else
        (with ``others``) the earliest; None when there is none (or one failed, which ends the pack)."""
        with self._changed:
            if self._failed.value:
                return None
            if first is not None and self._state[first] != _WAITING:
                if self._state[first] == _DRAWN or not others:
                    return None  # what the caller waits for is there, or is another process's to finish
                first = None
            index = first if first is not None else next((i for i, s in enumerate(self._state) if s == _WAITING), None)
            if index is not None:
                self._state[index] = _DRAWING
            return index

    def _draw(self, index: int) -> None:
        try:
            self.drawings[index].draw_afresh()  # not kept: __init__ took every picture that was
        except BaseException:
            with self._changed:
                self._failed.value = 1
                self._changed.notify_all()  # a waiting document fails at once, not after its clock
            raise
        with self._changed:
            self._state[index] = _DRAWN
            self._changed.notify_all()
