"""Run one risky parsing step in a child process with a memory cap and a time limit.

A C library parsing hostile input (PDFium on a PDF whose one page holds a 600 MB content stream)
cannot be interrupted from Python and may abort the whole process when it runs out of memory. So
the step runs in a forked child under ``RLIMIT_AS``: if it dies, runs out of memory or overruns its
time, the parent raises ``TooLarge`` and the caller says plainly that the file is too large to
read safely. Results and ``SelfevalError`` messages come back through a pipe.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
from typing import Any, Callable

from selfeval.errors import InputError, Location, SelfevalError

MB = 1024 * 1024
DEFAULT_MEMORY = 768 * MB  # on top of what the process already maps; a real report needs a few tens
DEFAULT_SECONDS = 10.0  # a 200-page report takes about a second


class TooLarge(Exception):
    """The child ran out of memory or time (or died): the input is beyond what can be read safely."""

    index: int = 0  # with run_bounded_each: the call that overran


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


def _child(conn: Any, func: Callable[..., Any], args: tuple[Any, ...], limit: int) -> None:
    _child_each(conn, func, [args], limit)


def run_bounded(func: Callable[..., Any], *args: Any, memory: int = DEFAULT_MEMORY, seconds: float = DEFAULT_SECONDS) -> Any:
    """``func(*args)`` in a forked child with ``memory`` more bytes of address space and ``seconds`` of wall time.

    Raises ``TooLarge`` when the child cannot finish within them; re-raises a ``SelfevalError``
    from the child as an ``InputError`` with the same message and place."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(child, func, args, _address_space_now() + memory), daemon=True)
    process.start()
    child.close()
    try:
        if not parent.poll(seconds):
            raise TooLarge("time")
        try:
            message = parent.recv()
        except (EOFError, OSError):
            raise TooLarge("died") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(1)
        parent.close()
    if message[0] == "ok":
        return message[1]
    if message[0] == "error":
        path, line, cell = message[2]
        raise InputError(message[1], Location(path, line=line, cell=cell) if path else None)
    if message[0] == "bug":
        raise RuntimeError(f"in the bounded child process: {message[1]}")
    raise TooLarge("memory")


def _child_each(conn: Any, func: Callable[..., Any], calls: list[tuple[Any, ...]], limit: int) -> None:
    """Each call's outcome is sent as it finishes; the first error, memory failure or bug ends the child."""
    _limit_address_space(limit)
    try:
        for args in calls:
            try:
                conn.send(("ok", func(*args)))
            except SelfevalError as e:
                loc = e.location
                conn.send(("error", e.message, (str(loc.path) if loc and loc.path else None, loc.line if loc else None, loc.cell if loc else None)))
                return
            except MemoryError:
                conn.send(("too large", None))
                return
            except BaseException as e:  # a bug, not the input: the parent reports it as one
                try:
                    conn.send(("bug", f"{type(e).__name__}: {e}"))
                except Exception:
                    pass
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
    if not calls:
        return []
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child_each, args=(child, func, calls, _address_space_now() + memory), daemon=True)
    process.start()
    child.close()
    results: list[Any] = []
    try:
        for index in range(len(calls)):
            if not parent.poll(seconds):
                raise _too_large("time", index)
            try:
                message = parent.recv()
            except (EOFError, OSError):
                raise _too_large("died", index) from None
            if message[0] == "ok":
                results.append(message[1])
            elif message[0] == "error":
                path, line, cell = message[2]
                raise InputError(message[1], Location(path, line=line, cell=cell) if path else None)
            elif message[0] == "bug":
                raise RuntimeError(f"in the bounded child process: {message[1]}")
            else:
                raise _too_large("memory", index)
    finally:
        if process.is_alive():
            process.kill()
        process.join(1)
        parent.close()
    return results


def _too_large(why: str, index: int) -> TooLarge:
    error = TooLarge(why)
    error.index = index
    return error
