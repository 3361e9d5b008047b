"""The command line: a thin layer over the Python API.

``main(argv) -> int`` is a plain function (tests call it); one place below maps
exceptions to exit codes: 0 success, 1 input errors, 2 usage, 3 internal bug.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .diagnostics import Severity, render_json
from .errors import EXIT_BUG, EXIT_INPUT, EXIT_OK, EXIT_USAGE, ArgbriefError
from .project import Config, load_workspace

BUG_URL = "the argbrief issue tracker"


class App:
    """Per-invocation state: the project folder option, the configuration on demand."""

    def __init__(self, project: Path | None) -> None:
        self.project = project
        self._config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = Config.discover(self.project)
        return self._config


pass_app = click.make_pass_decorator(App)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="argbrief")
@click.option(
    "-C",
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    help="Project folder (default: found upwards from the working folder).",
)
@click.pass_context
def cli(ctx: click.Context, project: Path | None) -> None:
    """argbrief: argument maps to diagrams and briefing packs that compare positions."""
    ctx.obj = App(project)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Warnings fail the check too.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
    help="text: path:line:col lines; json: a versioned report; github: workflow annotations.",
)
@pass_app
def check(app: App, paths: tuple[Path, ...], strict: bool, fmt: str) -> int:
    """Validate maps and packs (default: the project's arguments folder)."""
    ws = load_workspace(app.config, list(paths) or None)
    diags = list(ws.diagnostics)
    errors = sum(d.severity is Severity.ERROR for d in diags)
    warnings = len(diags) - errors
    if fmt == "json":
        click.echo(render_json(diags))
    elif fmt == "github":
        for d in diags:
            click.echo(d.format_github())
    else:
        for d in diags:
            click.echo(d.format())
        files = len(ws.maps) + len(ws.packs)
        summary = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
        click.echo(f"checked {files} file{'s' * (files != 1)}: {summary}", err=True)
    failed = errors > 0 or (strict and warnings > 0)
    return EXIT_INPUT if failed else EXIT_OK


@cli.command()
@click.argument("kind", type=click.Choice(["map", "pack"]), default="map")
def schema(kind: str) -> int:
    """Print the JSON Schema of map or pack files."""
    from .schema import json_schema

    click.echo(json.dumps(json_schema(kind), indent=2, ensure_ascii=False))
    return EXIT_OK


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> int:
    """Create a small working project in DIRECTORY."""
    from .skeleton import create_project

    for path in create_project(directory):
        click.echo(f"created {path}")
    click.echo(f"next: cd {directory} && argbrief check", err=True)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code instead of exiting."""
    try:
        rv = cli.main(args=argv, prog_name="argbrief", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.UsageError as exc:
        exc.show()
        return EXIT_USAGE
    except click.ClickException as exc:
        exc.show()
        return EXIT_USAGE if exc.exit_code == 2 else EXIT_INPUT
    except click.Abort:
        click.echo("aborted", err=True)
        return EXIT_INPUT
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except ArgbriefError as exc:
        click.echo(f"argbrief: error: {exc}", err=True)
        return exc.exit_code
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the one place bugs become exit 3
        if os.environ.get("ARGBRIEF_DEBUG"):
            traceback.print_exc()
        where = traceback.extract_tb(exc.__traceback__)[-1]
        click.echo(
            f"argbrief: internal error: {type(exc).__name__}: {exc} "
            f"(at {Path(where.filename).name}:{where.lineno}); please report this to {BUG_URL} "
            "with the command you ran (set ARGBRIEF_DEBUG=1 for details)",
            err=True,
        )
        return EXIT_BUG
    return rv if isinstance(rv, int) else EXIT_OK


def run() -> None:  # console-script entry point
    sys.exit(main())
