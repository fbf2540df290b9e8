"""What a run of ``selfeval`` says on the terminal, and the guard round the whole run.

The one place a user's error becomes a message (``fail``), warnings and result lines (``show``),
and ``guarded``: stop signals, interrupts and selfeval's own bugs, each said in one plain sentence.
Without typer: ``selfeval.cli`` builds its commands on these, and ``selfeval.launch`` answers a
plain ``selfeval generate`` with them without loading the full command line (start-up time).
"""

from __future__ import annotations

import functools
import sys
from typing import TYPE_CHECKING, Callable, NoReturn, ParamSpec

from selfeval.errors import ErrorList, SelfevalError

if TYPE_CHECKING:  # imported where used: most runs print no warning
    from rich.console import Console

P = ParamSpec("P")


def console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def fail(error: SelfevalError) -> NoReturn:
    """Print a user-facing error (never a traceback) and exit with its code."""
    from rich.markup import escape

    err = console()
    errors = error.errors if isinstance(error, ErrorList) else [error]
    for e in errors:
        # Messages quote the user's own text (keys, cell values): escape it so '[/x]' is not Rich markup.
        err.print("[bold red]error:[/bold red] " + escape(str(e)), markup=True, soft_wrap=True, emoji=False)
        for d in e.details:
            err.print(f"  {d}", markup=False, soft_wrap=True, emoji=False)
    raise SystemExit(error.exit_code)


def reporting_errors(command: Callable[P, object]) -> Callable[P, None]:
    """The one place a user's error becomes a message: every command is wrapped in this, so no
    command catches ``SelfevalError`` itself (an ``ErrorList`` is one, too)."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            command(*args, **kwargs)
        except SelfevalError as e:
            fail(e)

    return run


def warn(message: str) -> None:
    from rich.markup import escape

    console().print("[yellow]warning:[/yellow] " + escape(message), soft_wrap=True, emoji=False)


def echo(line: str) -> None:
    """One result line on stdout, as ``typer.echo`` writes it. Plain text written whole, then
    flushed; a console that cannot encode it (a misconfigured locale) gets typer's own handling."""
    out = sys.stdout
    if out is None:  # no console at all (pythonw on Windows)
        return
    try:
        out.write(line + "\n")
    except UnicodeEncodeError:  # raised before anything is written: the line is encoded whole
        import typer

        typer.echo(line)
        return
    out.flush()


def show(result: object) -> None:
    """Print a command's warnings (stderr) and its result lines (stdout)."""
    for w in getattr(result, "warnings", []):
        warn(w)
    for line in getattr(result, "lines", []):
        echo(line)


# -- the guard round a run --------------------------------------------------------------------------

_SIGNALLED: list[int] = []  # the signal that stopped the run, if any


class _Terminated(KeyboardInterrupt):
    """SIGTERM (or SIGHUP) as an interrupt, so every 'finally' runs: scratch folders are removed and
    a file half-way through its atomic write is discarded, exactly as on Ctrl-C."""


def _stop(signum: int, frame: object) -> None:
    import signal

    _SIGNALLED.append(signum)
    raise KeyboardInterrupt() if signum == signal.SIGINT else _Terminated(signum)


def _on_stop_signals() -> None:
    import signal

    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and (name != "SIGINT" or signal.getsignal(number) is signal.default_int_handler):
            try:
                signal.signal(number, _stop)
            except (ValueError, OSError):  # not the main thread, or the platform refuses
                pass


def _say_stopped() -> NoReturn:
    import signal

    signum = _SIGNALLED[0] if _SIGNALLED else signal.SIGINT
    how = "interrupted" if signum == signal.SIGINT else f"stopped ({signal.Signals(signum).name})"
    sys.stderr.write(f"selfeval: {how}. Files are written whole or not at all, so none is half-written.\n")
    sys.exit(128 + signum)


def guarded(run: Callable[[], object]) -> None:
    """Run the command line: a stop signal or Ctrl-C is said in one sentence (exit 128 + the signal),
    and a bug in selfeval in another, with its traceback kept in a file for a bug report."""
    _on_stop_signals()
    try:
        run()
    except KeyboardInterrupt:
        _say_stopped()
    except SystemExit:
        if _SIGNALLED:  # typer turns an interrupt into a quiet exit 130: say what happened
            _say_stopped()
        raise
    except Exception as e:  # a bug in selfeval: say so plainly, keep the traceback for the report
        import traceback

        from selfeval.crash import save_crash_report

        log = save_crash_report(traceback.format_exc())
        sys.stderr.write(
            f"selfeval: internal error ({type(e).__name__}: {e}). This is a bug in selfeval, not in your files; "
            f"your input files were not changed and no output is half-written. Details for a bug report: {log}\n"
        )
        sys.exit(1)
