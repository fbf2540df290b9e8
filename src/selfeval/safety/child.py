"""Run one risky parsing step in a child process with a memory cap and a time limit.

A C library parsing hostile input (PDFium on a PDF whose one page holds a 600 MB content stream)
cannot be interrupted from Python and may abort the whole process when it runs out of memory. So
the step runs in a forked child under ``RLIMIT_AS``: if it dies, runs out of memory or overruns its
time, the parent raises ``TooLarge`` and the caller says plainly that the file is too large to
read safely. Results and ``SelfevalError`` messages come back through a pipe.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import pickle
import resource
import signal
import sys
import threading
import time
from typing import Any, Callable

from selfeval.errors import InputError, Location, SelfevalError

MB = 1024 * 1024
DEFAULT_MEMORY = 768 * MB  # on top of what the process already maps; a real report needs a few tens
DEFAULT_SECONDS = 10.0  # a 200-page report takes about a second


class TooLarge(Exception):
    """The child ran out of memory or time (or died): the input is beyond what can be read safely."""

    index: int = 0  # with run_bounded_each: the call that overran
    group: int = 0  # with run_bounded_groups: the group it was in


def _address_space_now() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _limit_address_space(limit: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass


def run_bounded(func: Callable[..., Any], *args: Any, memory: int = DEFAULT_MEMORY, seconds: float = DEFAULT_SECONDS) -> Any:
    """``func(*args)`` in a forked child with ``memory`` more bytes of address space and ``seconds`` of wall time.

    Raises ``TooLarge`` when the child cannot finish within them; re-raises a ``SelfevalError``
    from the child as an ``InputError`` with the same message and place."""
    return run_bounded_each(func, [args], memory=memory, seconds=seconds)[0]


def _child_each(conn: Any, func: Callable[..., Any], calls: list[tuple[Any, ...]], limit: int) -> None:
    """Each call's outcome is sent as it finishes; the first error, memory failure or bug ends the child."""
    _limit_address_space(limit)
    try:
        for args in calls:
            if not _answer(conn, func, args):
                return
    finally:
        conn.close()
        os._exit(0)  # never run the parent's cleanup (atexit, temp folders) in the child


def run_bounded_each(
    func: Callable[..., Any], calls: list[tuple[Any, ...]], *, memory: int = DEFAULT_MEMORY, seconds: float = DEFAULT_SECONDS
) -> list[Any]:
    """``[func(*args) for args in calls]`` in ONE forked child: ``memory`` more bytes of address space
    for the whole child, and ``seconds`` of wall time for each call.

    One fork for several steps (the documents of a pack) instead of one each: forking a process that
    has loaded Word, Jinja and pydantic costs tens of milliseconds. Raises ``TooLarge`` with
    ``.index``, the call that overran; a ``SelfevalError`` comes back as an ``InputError``."""
    return run_bounded_groups(func, [calls], memory=memory, seconds=seconds)[0]


def run_bounded_groups(
    func: Callable[..., Any], groups: list[list[tuple[Any, ...]]], *, memory: int = DEFAULT_MEMORY, seconds: float = DEFAULT_SECONDS
) -> list[list[Any]]:
    """:func:`run_bounded_each` for each group of calls, the groups side by side: one forked child
    each, all at once (on two cores, two documents render in the time of one).

    The clock runs for each call of each group; the first failure stops every child. Raises as
    ``run_bounded_each`` does, ``TooLarge`` with ``.group`` and ``.index``. Children are made with
    ``os.fork``, not ``multiprocessing``, so that a bounded child may run this itself (a daemonic
    multiprocessing child may not have children)."""
    from multiprocessing.connection import Connection, wait

    limit = _address_space_now() + memory
    running: dict[Connection, tuple[int, int]] = {}  # connection -> (group, its child's pid)
    pids: list[int] = []
    try:
        for g, calls in enumerate(groups):
            if not calls:
                continue
            receiver, sender = multiprocessing.Pipe(duplex=False)
            pid = _fork(functools.partial(_child_each, sender, func, calls, limit), receiver)
            sender.close()
            pids.append(pid)
            running[receiver] = (g, pid)
        results: list[list[Any]] = [[] for _ in groups]
        deadline = {conn: time.monotonic() + seconds for conn in running}
        while running:
            ready = wait(list(running), timeout=max(0.0, min(deadline.values()) - time.monotonic()))
            if not ready:
                late = min(deadline, key=lambda c: deadline[c])
                raise _too_large("time", len(results[running[late][0]]), running[late][0])
            for conn in ready:
                assert isinstance(conn, Connection)
                g = running[conn][0]
                try:
                    message = conn.recv()
                except (EOFError, OSError):
                    raise _too_large("died", len(results[g]), g) from None
                results[g].append(_outcome(message, len(results[g]), g))
                deadline[conn] = time.monotonic() + seconds
                if len(results[g]) == len(groups[g]):
                    del running[conn], deadline[conn]
                    conn.close()
        return results
    finally:
        for pid in pids:
            _end(pid)
        for conn in running:
            conn.close()


def start_helper(func: Callable[..., Any], *args: Any) -> int:
    """``func(*args)`` in a forked process that nobody waits for (a bounded child's helper, under
    its bounds): it dies with this process, ends without running this process's clean-up, and
    reports nothing itself. Returns its pid, for :func:`end_helper`."""
    return _fork(functools.partial(func, *args))


def end_helper(pid: int) -> None:
    """Stop a helper from :func:`start_helper` if it still runs, and reap it."""
    _end(pid)


def _fork(body: Callable[[], None], *parents_ends: Any) -> int:
    """Fork a child that closes ``parents_ends`` (this process's ends of its pipes), dies with this
    process and runs ``body``, then ends without this process's clean-up (atexit, temp folders)."""
    pid = os.fork()
    if pid == 0:  # the child
        try:
            for conn in parents_ends:
                conn.close()
            _die_with_parent()
            body()
        finally:
            os._exit(1)  # body ends the child itself; this is in case it returned, raised or could not start
    return pid


def _die_with_parent() -> None:
    """Linux: be killed when the parent dies (it is killed itself when its own parent stops, by
    Ctrl-C or an overrun elsewhere), so no render outlives the run. Elsewhere: nothing."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _end(pid: int) -> None:
    """Kill the child if it still runs, and reap it."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _receive(conn: Any, seconds: float, index: int) -> Any:
    """Call ``index``'s result from the child, within ``seconds``."""
    if not conn.poll(seconds):
        raise _too_large("time", index)
    try:
        message = conn.recv()
    except (EOFError, OSError):
        raise _too_large("died", index) from None
    return _outcome(message, index)


def _too_large(why: str, index: int, group: int = 0) -> TooLarge:
    error = TooLarge(why)
    error.index = index
    error.group = group
    return error


class BoundedWorker:
    """A forked child that first does trusted set-up (imports, selfeval's own templates), then runs
    the calls sent to it under the memory cap, with ``seconds`` of wall time for each.

    It is started before the inputs are read: on a machine with a second core its set-up overlaps
    the parent's loading and analysis, and several workers render documents side by side. Calls are
    sent with :meth:`submit` (their arguments are pickled, so objects shared between one call's
    arguments stay shared) and collected in order with :meth:`results`. Raises as
    :func:`run_bounded_each` does; use it as a context manager, so the child never outlives the work.
    """

    def __init__(
        self, func: Callable[..., Any], *, setup: Callable[[], None] | None = None,
        memory: int = DEFAULT_MEMORY, seconds: float = DEFAULT_SECONDS,
    ) -> None:
        ctx = multiprocessing.get_context("fork")
        self._seconds = seconds
        calls_in, self._calls = ctx.Pipe(duplex=False)
        self._results, results_out = ctx.Pipe(duplex=False)
        self._process = ctx.Process(target=_serve, args=(calls_in, results_out, func, setup, memory), daemon=True)
        self._process.start()
        calls_in.close()
        results_out.close()
        self._senders: list[threading.Thread] = []
        self._sent = 0

    def submit(self, *args: Any) -> None:
        """Queue ``func(*args)``. The arguments go in a thread: a large context would otherwise wait
        for a child still busy with its set-up, and with it everything else this process could do."""
        data = pickle.dumps(args, protocol=pickle.HIGHEST_PROTOCOL)
        previous = self._senders[-1] if self._senders else None
        sender = threading.Thread(target=_send, args=(self._calls, data, previous), daemon=True)
        sender.start()
        self._senders.append(sender)
        self._sent += 1

    def results(self) -> list[Any]:
        """Every submitted call's result, in order (the clock runs for each from when it is awaited)."""
        return [_receive(self._results, self._seconds, index) for index in range(self._sent)]

    def close(self) -> None:
        if self._process.is_alive():
            self._process.kill()
            # Reaped beside what this process does next (writing the drafts): the kernel takes a few
            # milliseconds to free a killed child's memory, and nothing here needs to wait for it.
            threading.Thread(target=self._process.join, args=(1,), daemon=True).start()
        else:
            self._process.join(1)
        self._results.close()
        for sender in self._senders:
            sender.join(1)  # the child is gone, so a send still waiting fails at once
        self._calls.close()

    def __enter__(self) -> "BoundedWorker":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _send(conn: Any, data: bytes, previous: threading.Thread | None) -> None:
    if previous is not None:
        previous.join()  # calls arrive in the order they were submitted
    try:
        conn.send_bytes(data)
    except (OSError, ValueError):
        pass  # the child is gone (or closed): results() says so


def _serve(calls: Any, results: Any, func: Callable[..., Any], setup: Callable[[], None] | None, memory: int) -> None:
    """The child: set-up outside the cap (trusted work only), then the cap, then each call in turn."""
    _die_with_parent()
    try:
        if setup is not None:
            setup()
    except BaseException as e:  # a bug in selfeval's own set-up, reported on the first call
        _report_bug(results, e)
        os._exit(0)
    _limit_address_space(_address_space_now() + memory)
    try:
        while True:
            try:
                args = pickle.loads(calls.recv_bytes())
            except (EOFError, OSError):
                return
            if not _answer(results, func, args):
                return
    finally:
        results.close()
        os._exit(0)  # never run the parent's cleanup (atexit, temp folders) in the child


def _answer(conn: Any, func: Callable[..., Any], args: tuple[Any, ...]) -> bool:
    """Send one call's outcome; False when the child must stop (an error, memory, or a bug)."""
    try:
        conn.send(("ok", func(*args)))
        return True
    except SelfevalError as e:
        loc = e.location
        conn.send(("error", e.message, (str(loc.path) if loc and loc.path else None, loc.line if loc else None, loc.cell if loc else None)))
    except MemoryError:
        conn.send(("too large", None))
    except BaseException as e:  # a bug, not the input: the parent reports it as one
        _report_bug(conn, e)
    return False


def _report_bug(conn: Any, e: BaseException) -> None:
    try:
        conn.send(("bug", f"{type(e).__name__}: {e}"))
    except Exception:
        pass


def _outcome(message: tuple[Any, ...], index: int, group: int = 0) -> Any:
    if message[0] == "ok":
        return message[1]
    if message[0] == "error":
        path, line, cell = message[2]
        raise InputError(message[1], Location(path, line=line, cell=cell) if path else None)
    if message[0] == "bug":
        raise RuntimeError(f"in the bounded child process: {message[1]}")
    raise _too_large("memory", index, group)
