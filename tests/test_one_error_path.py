"""A user's mistake is always a message and exit 2 (or 3), from one handler: every command the CLI
offers goes through it, including commands added later to any sub-app."""

from __future__ import annotations

import typer

from selfeval import cli
from selfeval.errors import ErrorList, InputError, Location, SelfevalError


def _commands(app: typer.Typer, prefix: str = "") -> list[tuple[str, object]]:
    found = [(prefix + (c.name or c.callback.__name__), c.callback) for c in app.registered_commands]
    for group in app.registered_groups:
        found += _commands(group.typer_instance, prefix + f"{group.name} ")
    return found


def test_every_command_reports_errors_through_the_one_handler() -> None:
    commands = _commands(cli.app)
    assert len(commands) > 5
    unwrapped = [name for name, callback in commands if getattr(callback, "__wrapped__", None) is None]
    assert unwrapped == []
    assert all(isinstance(group.typer_instance, cli._Typer) for group in cli.app.registered_groups)


def test_an_error_list_is_a_selfeval_error_and_flattens() -> None:
    a = InputError("first", Location("a.yaml", line=3))
    b = InputError("second", Location("b.yaml", line=7))
    both = ErrorList([a, ErrorList([b])])
    assert isinstance(both, SelfevalError) and both.exit_code == 2
    assert both.errors == [a, b]
    assert str(both) == "a.yaml:3: first\nb.yaml:7: second"
