"""The command line. Thin by design: each command parses its options and calls the pipeline.

Heavy libraries (docxtpl, python-docx, openpyxl, Pillow, pdfium) are imported inside the commands so that
``selfeval --help`` and ``selfeval validate`` start quickly.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Callable, Optional

import typer
from typer.models import CommandFunctionType

from selfeval import __version__
from selfeval.errors import SelfevalError
from selfeval.terminal import console, fail, guarded, reporting_errors, show, warn

if TYPE_CHECKING:  # imported where used, so that starting the CLI stays quick
    from rich.console import Console

    from selfeval.commands.workbook import MapResult


class _Typer(typer.Typer):
    """A Typer whose commands all report errors through ``reporting_errors``."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[CommandFunctionType], CommandFunctionType]:
        register = super().command(*args, **kwargs)

        def decorator(function: CommandFunctionType) -> CommandFunctionType:
            register(reporting_errors(function))
            return function

        return decorator


app = _Typer(
    name="selfeval",
    help=(
        "Draft a children's services [bold]self-evaluation[/bold], [bold]improvement plan[/bold] and "
        "[bold]board summary[/bold] (Word .docx) from Ofsted findings and your performance workbook.\n\n"
        "Start with: [cyan]selfeval generate[/cyan] (uses ./inputs, writes ./outputs)."
    ),
    rich_markup_mode="rich",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
templates_app = _Typer(help="Export, check and customise the Word templates.", no_args_is_help=True, rich_markup_mode="rich")
plan_app = _Typer(help="Work with the improvement-plan tracker workbook.", no_args_is_help=True, rich_markup_mode="rich")
workbook_app = _Typer(help="Read your council's own performance scorecard (map it once, then validate and generate read it).", no_args_is_help=True, rich_markup_mode="rich")
app.add_typer(templates_app, name="templates")
app.add_typer(plan_app, name="plan")
app.add_typer(workbook_app, name="workbook")

data_app = _Typer(
    help="DfE's published statistics for every council: its figures, England, its region and its statistical neighbours.",
    no_args_is_help=True, rich_markup_mode="rich",
)
app.add_typer(data_app, name="data")

InputsOption = Annotated[
    Path,
    typer.Option("--inputs", "-i", help="Folder holding findings/ (YAML) and performance.xlsx.", file_okay=False),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"selfeval {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = None,
) -> None:
    pass


@app.command()
def validate(
    inputs: Annotated[Path, typer.Argument(help="Inputs folder, or one findings .yaml file.")] = Path("inputs"),
) -> None:
    """Check findings files (and the performance workbook, if present) without writing anything.

    Example: [cyan]selfeval validate inputs/[/cyan]
    """
    from selfeval.commands.validate import validate as validate_inputs

    report = validate_inputs(inputs)
    for w in report.warnings:
        warn(w)
    typer.echo(report.summary)


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="Folder to set up (created if missing).", file_okay=False)] = Path("."),
    council: Annotated[
        Optional[str], typer.Option("--council", help="Your council (any usual spelling): pre-fills its DfE published figures and comparators.")
    ] = None,
) -> None:
    """Set up a working folder: inputs/ with a performance workbook and findings template, and the Word templates.

    Never overwrites an existing file. Example: [cyan]selfeval init my-council --council Wigan[/cyan]
    """
    from selfeval.commands.init import init as init_folder

    for line in init_folder(folder, council):
        typer.echo(line)


@app.command()
def generate(
    inputs: InputsOption = Path("inputs"),
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the generated .docx files.", file_okay=False)] = Path("outputs"),
    templates: Annotated[
        Optional[Path], typer.Option("--templates", "-t", help="Folder of customised templates (see 'selfeval templates export').", file_okay=False)
    ] = None,
    public: Annotated[bool, typer.Option("--public", help="Suppress small numbers and leave out anything marked internal.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite outputs even if they were edited since selfeval wrote them.")] = False,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Also write each document as tagged PDF (for publishing board papers); needs LibreOffice.")
    ] = False,
    batch: Annotated[
        Optional[Path],
        typer.Option("--batch", help="Folder holding one inputs folder per council; writes OUT/<folder>/ for each.", file_okay=False),
    ] = None,
    jobs: Annotated[
        Optional[int], typer.Option("--jobs", "-j", min=1, help="Councils generated in parallel with --batch (default: the number of cores).")
    ] = None,
) -> None:
    """Generate the self-evaluation, improvement plan and board summary (.docx).

    Example: [cyan]selfeval generate --inputs inputs --out outputs[/cyan]

    Many councils: [cyan]selfeval generate --batch councils/ --out outputs --jobs 2[/cyan]

    PDFs too: [cyan]selfeval generate --pdf[/cyan]
    """
    if batch is not None and pdf:
        fail(SelfevalError("--pdf makes PDFs for one council at a time; run 'selfeval generate --pdf --inputs FOLDER' for each council"))
    if batch is not None:
        _generate_batch(batch, out=out, templates=templates, public=public, force=force, jobs=jobs)
        return
    from selfeval.commands.generate import generate as generate_documents

    result = generate_documents(inputs=inputs, out=out, templates=templates, public=public, force=force, pdf=pdf)
    show(result)


def _generate_batch(batch: Path, *, out: Path, templates: Optional[Path], public: bool, force: bool, jobs: Optional[int]) -> None:
    from rich.console import Console
    from rich.markup import escape

    from selfeval.commands.batch import generate_batch
    from selfeval.commands.batch import save_tracebacks, summary_table

    result = generate_batch(batch, out=out, templates=templates, public=public, force=force, jobs=jobs, progress=True)
    err = console()
    for council in result.councils:
        for w in council.warnings:
            err.print(f"[yellow]warning:[/yellow] [bold]{escape(council.name)}[/bold]: " + escape(w), soft_wrap=True, emoji=False)
    Console(highlight=False).print(summary_table(result))
    failed = [c for c in result.councils if not c.ok]
    for council in failed:
        for line in council.errors:
            err.print(f"[bold red]error:[/bold red] [bold]{escape(council.name)}[/bold]: " + escape(line), soft_wrap=True, emoji=False)
    crash = save_tracebacks(result)
    if crash:
        err.print(f"Details of the internal error(s) for a bug report: {escape(crash)}", soft_wrap=True, emoji=False)
    if failed:
        raise typer.Exit(result.exit_code)


@app.command("map")
def map_(
    text: Annotated[str, typer.Argument(help="The area for improvement, in quotes.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print {\"suggestions\": [...]} as JSON, best first.")] = False,
    top: Annotated[
        Optional[int],
        typer.Option("--top", help="List the N best refs. Without it: the suggestion(s) import and generate would record."),
    ] = None,
    area: Annotated[Optional[str], typer.Option("--area", help="Judgement area it belongs to, e.g. care_leavers (a small nudge).")] = None,
) -> None:
    """Suggest National Framework refs (outcome, enabler, principle) for an area for improvement.

    Example: [cyan]selfeval map "The response to children who go missing" --json[/cyan]
    """
    from selfeval.commands.map import map_text

    output = map_text(text, as_json, top=top, judgement_area=area)
    typer.echo(output)


@app.command("import")
def import_(
    report: Annotated[Path, typer.Argument(help="The Ofsted report or visit letter: PDF as published, .docx, .txt or .md.")],
    out: Annotated[
        Optional[Path], typer.Option("--out", "-o", help="Findings file to write (default inputs/findings/<council>-<yyyy-mm>-<type>.yaml).", dir_okay=False)
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print what was extracted as JSON instead of writing YAML.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace the findings file if it already exists.")] = False,
) -> None:
    """Import a published Ofsted ILACS report or visit letter as a findings YAML file.

    Example: [cyan]selfeval import report.pdf -o inputs/findings/lambeth-2026-01.yaml[/cyan]
    """
    from selfeval.commands.import_report import import_report

    result = import_report(report, out, as_json, force=force)
    for w in result.warnings:
        warn(w)
    if result.json_text is not None:
        typer.echo(result.json_text)
    for line in result.lines:
        typer.echo(line)


@templates_app.command("export")
def templates_export(
    folder: Annotated[Path, typer.Argument(help="Folder to copy the templates into (created if missing).", file_okay=False)],
) -> None:
    """Copy selfeval's Word templates into FOLDER so you can restyle them in Word.

    Never overwrites a file already there. Example: [cyan]selfeval templates export my-templates[/cyan]
    """
    from selfeval.commands.templates import export

    result = export(folder)
    for line in result.lines:
        typer.echo(line)


@templates_app.command("check")
def templates_check(
    folder: Annotated[
        Optional[Path], typer.Argument(help="Folder of templates, or one .docx (default: selfeval's own templates).")
    ] = None,
) -> None:
    """Check Word templates without generating anything: syntax errors (with the paragraph they are in),
    variables selfeval does not provide, and rich text used without the r tag.

    Example: [cyan]selfeval templates check my-templates[/cyan]
    """
    from selfeval.commands.templates import check, raise_problems

    result = check(folder)
    for line in result.lines:
        typer.echo(line)
    raise_problems(result)


@templates_app.command("variables")
def templates_variables(
    document: Annotated[
        Optional[str], typer.Argument(help="One document's template, e.g. board-summary.docx (default: every document).")
    ] = None,
) -> None:
    """List every variable a template can use, per document, with what it holds (the README's reference).

    Example: [cyan]selfeval templates variables board-summary.docx[/cyan]
    """
    from selfeval.commands.templates import variables

    for line in variables(document).lines:
        typer.echo(line)


@plan_app.command("export")
def plan_export(
    inputs: InputsOption = Path("inputs"),
    out: Annotated[
        Optional[Path],
        typer.Option("--out", "-o", help="Tracker file to write or update (default: INPUTS/improvement-plan-tracker.xlsx).", dir_okay=False),
    ] = None,
) -> None:
    """Write the improvement-plan tracker: one row per action, with RAG drop-downs and real dates.

    Keep it up to date in Excel; [cyan]selfeval generate[/cyan] reads it back from the inputs folder.
    Running it again adds rows for new areas and never changes what you typed.

    Example: [cyan]selfeval plan export[/cyan]
    """
    from selfeval.commands.plan import export

    result = export(inputs, out)
    show(result)


@workbook_app.command("map")
def workbook_map(
    file: Annotated[Path, typer.Argument(help="Your scorecard: .xlsx, or .csv (UTF-8).", dir_okay=False)],
) -> None:
    """Work out how your scorecard is laid out and write FILE's mapping (<name>.mapping.yaml beside it).

    Prints what it understood and what it ignored, and why. Check the mapping and correct anything
    wrong; running it again keeps your corrections. Then [cyan]selfeval validate[/cyan] and
    [cyan]selfeval generate[/cyan] read the scorecard through the mapping every month.

    Example: [cyan]selfeval workbook map inputs/scorecard.xlsx[/cyan]
    """
    from selfeval.commands.workbook import map_scorecard

    result = map_scorecard(file)
    _print_map(result)


def _print_table(out: Console, title: str, columns: tuple[str, ...], rows: Sequence[Sequence[str]]) -> None:
    """A table of what the scorecard mapping found (nothing when there are no rows)."""
    from rich.markup import escape
    from rich.table import Table

    if not rows:
        return
    table = Table(title=title, title_justify="left")
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*(escape(x) for x in row))
    out.print(table)


def _print_map(result: MapResult) -> None:
    from rich.console import Console

    out = Console(highlight=False, soft_wrap=False)
    _print_table(out, "What selfeval understood", ("what", "where", "read as"), result.understood)
    _print_table(out, "What it ignored, and why", ("where", "why"), result.ignored)
    _print_table(out, "Measures", ("id", "name in the scorecard", "catalogue match", "unit", "polarity"), result.measures)
    for problem in result.problems:
        warn("reading through the mapping: " + problem)
    show(result)


@data_app.command("councils")
def data_councils(
    as_json: Annotated[bool, typer.Option("--json", help="Print {\"councils\": [...]} as JSON.")] = False,
) -> None:
    """List every council: name, LA codes, region, type and its 10 statistical neighbours.

    Example: [cyan]selfeval data councils --json[/cyan]
    """
    from selfeval.commands.data import councils

    typer.echo(councils(as_json))


@data_app.command("show")
def data_show(
    council: Annotated[str, typer.Argument(help="The council, in any usual spelling or by LA code (e.g. Wigan, Hull, 359).")],
    indicator: Annotated[Optional[str], typer.Option("--indicator", help="Only this indicator id, e.g. RE-REF.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Print a council's published figures year by year with England, its region, its statistical
    neighbours' median and its rank among them.

    Example: [cyan]selfeval data show Wigan --indicator RE-REF[/cyan]
    """
    from selfeval.commands.data import show

    output = show(council, indicator, as_json)
    typer.echo(output)


@data_app.command("update")
def data_update(
    folder: Annotated[Path, typer.Argument(help="Folder holding newer EES CSV downloads (same columns as DfE publishes).")],
) -> None:
    """Read newer DfE downloads, report new years and revised values, and use them from now on.

    Example: [cyan]selfeval data update ~/Downloads/ees[/cyan]
    """
    from selfeval.commands.data import update

    result = update(folder)
    show(result)


def _app_for(args: Sequence[str]) -> typer.Typer:
    """``app`` as it answers ``args``: when they start with one of its commands or command groups, a
    copy of ``app`` that holds that one alone. Typer turns every registered command into a click
    command, options and all, before it parses anything; the fifteen that are not run cost more
    start-up (about 10 ms) than the one that is. Everything else (``--help``, ``--version``, a
    misspelt command) gets the whole app, so it lists every command and says which does not exist."""
    import copy

    from typer.main import get_command_name

    first = args[0] if args else ""
    commands = [c for c in app.registered_commands if (c.name or get_command_name(c.callback.__name__ if c.callback else "")) == first]
    groups = [g for g in app.registered_groups if g.name == first]
    if not commands and not groups:
        return app
    alone = copy.copy(app)
    alone.registered_commands, alone.registered_groups = commands, groups
    return alone


def main() -> None:
    from selfeval import lazy_rich

    lazy_rich.install()  # typer's help would import rich's Markdown and tracebacks, which this CLI never uses
    guarded(lambda: _app_for(sys.argv[1:])())
