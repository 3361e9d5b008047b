"""The command line: a thin layer over the Python API.

``main(argv) -> int`` is a plain function (tests call it); one place below maps
exceptions to exit codes: 0 success, 1 input errors, 2 usage, 3 internal bug,
130 interrupted (Ctrl-C), 143 terminated (SIGTERM: worker processes and any
running ``dot`` are stopped first).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .diagnostics import Severity, render_json, use_color
from .errors import EXIT_BUG, EXIT_INPUT, EXIT_OK, EXIT_USAGE, ArgbriefError
from .project import Config, load_workspace

if TYPE_CHECKING:
    from .render import Diagram, RenderOptions

BUG_URL = "the argbrief issue tracker"
EXIT_TERMINATED = 128 + signal.SIGTERM
#: ``--jobs`` is taken as given, up to this (a typo such as -j 2000 must not fork thousands of processes).
MAX_JOBS = 256


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: the run stops as it does for Ctrl-C (worker processes and ``dot`` are stopped)."""


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


def _write_file(path: Path, data: bytes) -> None:
    """Write ``path`` atomically; an OS error (disk full, no permission) stops the run with a clear message."""
    from .atomic import write_atomic

    try:
        write_atomic(path, data)
    except OSError as exc:
        raise _cannot_write(exc, path) from exc


def _not_an_input(config: Config, path: Path | None) -> None:
    """Refuse an output that would replace a file argbrief reads (a map, pack, source text, template, the configuration)."""
    from .errors import UsageError

    if path is not None and str(path) != "-" and os.path.lexists(path) and (what := config.input_kind(path)):
        raise UsageError(f"refusing to write over {path}: it is {what}, which argbrief reads; name another output")


def _cannot_write(exc: OSError, path: Path | None) -> ArgbriefError:
    """An OS error while writing (disk full, no permission) as a clear error naming the file."""
    return ArgbriefError(f"cannot write {exc.filename or path}: {exc.strerror or exc}")


pass_app = click.make_pass_decorator(App)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="argbrief")
@click.option(
    "-C",
    "--project",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Project folder (default: found upwards from the working folder).",
)
@click.pass_context
def cli(ctx: click.Context, project: Path | None) -> None:
    """argbrief: argument maps to diagrams and briefing packs that compare positions."""
    from .clock import source_date_epoch

    source_date_epoch()  # a bad SOURCE_DATE_EPOCH is refused the same way by every command
    ctx.obj = App(project)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Warnings fail the check too.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
    help="text: path:line:col lines; json: a versioned report; github: workflow annotations.",
)
@click.option("--select", "select", multiple=True, metavar="CODES",
              help="Report only these rules: comma-separated codes or prefixes (quote.) [default: the project's 'select', else all].")
@click.option("--ignore", "ignore", multiple=True, metavar="CODES",
              help="Leave these rules out, as well as the project's 'ignore': codes or prefixes, comma-separated.")
@pass_app
def check(app: App, paths: tuple[Path, ...], strict: bool, fmt: str, select: tuple[str, ...],
          ignore: tuple[str, ...]) -> int:
    """Validate maps and packs (default: the project's arguments folder)."""
    rules = _rule_selection(app.config, select, ignore)
    ws = load_workspace(app.config, list(paths) or None, rules, strict=strict)
    diags = list(ws.diagnostics)
    errors = sum(d.severity is Severity.ERROR for d in diags)
    warnings = len(diags) - errors
    if fmt == "json":
        click.echo(render_json(diags))
    elif fmt == "github":
        if diags:
            click.echo("\n".join(d.format_github() for d in diags))
    else:
        color = use_color(sys.stdout)
        if diags:  # one write: a big map can have thousands of lines
            click.echo("\n".join(d.format(color=color) for d in diags), color=color)
        files = len(ws.checked)
        summary = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
        if ws.ignored:
            summary += f" ({ws.ignored} ignored)"
        click.echo(f"checked {files} file{'s' * (files != 1)}: {summary}", err=True)
    failed = errors > 0 or (strict and warnings > 0)
    return EXIT_INPUT if failed else EXIT_OK


def _rule_selection(config: Config, select: tuple[str, ...], ignore: tuple[str, ...]):
    """``--select`` replaces the project's ``select``; ``--ignore`` adds to its ``ignore`` (as in ruff)."""
    from .errors import UsageError
    from .rules import RuleSelection, pattern_problem, split_patterns

    chosen, left_out = split_patterns(select), split_patterns(ignore)
    for option, patterns in (("--select", chosen), ("--ignore", left_out)):
        for pattern in patterns:
            problem = pattern_problem(pattern, ignoring=option == "--ignore")
            if problem is not None:
                raise UsageError(f"{option} {pattern}: {problem[0]}" + (f" ({problem[1]})" if problem[1] else ""))
    return RuleSelection(chosen or config.select, config.ignore + left_out)


@cli.command()
@click.argument("pack_id", metavar="PACK")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True,
    help="text: tables for the terminal; json: versioned (docs/compare.md); markdown: for pasting.",
)
@click.option(
    "--diagram", "diagram_path", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
    help="Also draw the comparison diagram to FILE (.svg, .png, .pdf or .dot).",
)
@click.option(
    "--theme", type=click.Choice(["default", "print", "colorblind"]), default=None,
    help="Colours of the diagram (default: the pack's theme, else the project's).",
)
@pass_app
def compare(app: App, pack_id: str, fmt: str, diagram_path: Path | None, theme: str | None) -> int:
    """Compare a pack's positions: stances on its questions, clashes, gaps and argument health."""
    from .compare import compare_workspace, comparison_errors, print_text, render_markdown
    from .compare import render_json as compare_json
    from .errors import UsageError
    from .project import find_pack

    ws = load_workspace(app.config)
    errors = comparison_errors(ws, pack_id)
    if errors:
        for d in errors:
            click.echo(d.format(), err=True)
        click.echo(f"cannot compare '{pack_id}': {len(errors)} error{'s' * (len(errors) != 1)} above", err=True)
        return EXIT_INPUT
    pack = find_pack(ws, pack_id)
    if not pack.positions:
        raise UsageError(f"pack '{pack_id}' has no positions to compare (it lists maps only)")
    comparison = compare_workspace(ws, pack)
    if diagram_path is not None:
        _not_an_input(app.config, diagram_path)
        _write_comparison_diagram(comparison, diagram_path, theme or pack.theme or app.config.theme)
    if fmt == "json":
        click.echo(compare_json(comparison))
    elif fmt == "markdown":
        click.echo(render_markdown(comparison, _symbols()))
    else:
        from rich.console import Console

        # A pipe gets a fixed width so the output does not depend on where it runs.
        width = None if sys.stdout.isatty() or "COLUMNS" in os.environ else 100
        print_text(comparison, Console(width=width, highlight=False, soft_wrap=False), _symbols())
    return EXIT_OK


def _write_comparison_diagram(comparison, path: Path, theme: str) -> None:
    """Draw the diagram in the format its file suffix names and write it atomically."""
    from .errors import UsageError
    from .render import RenderOptions
    from .render.comparison import render_comparison
    from .render.files import SUFFIX_FORMATS

    fmt = SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"--diagram {path}: the file name must end in {', '.join(SUFFIX_FORMATS)}")
    diagram = render_comparison(comparison, RenderOptions(fmt=fmt, theme=theme))
    _write_file(path, diagram.data)
    click.echo(f"wrote {path}", err=True)


def _symbols() -> dict[str, str]:
    """Stance symbols the output stream can show (ASCII on, say, a cp1252 console)."""
    from .compare import ASCII_SYMBOLS, SYMBOLS

    try:
        "".join(SYMBOLS.values()).encode(sys.stdout.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return ASCII_SYMBOLS
    return SYMBOLS


@cli.command()
@click.argument("old", required=False, metavar="[OLD")
@click.argument("new", required=False, metavar="[NEW]]")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True,
    help="text: one line per change; markdown: for a pull-request comment; json: versioned (docs/diff.md).",
)
@click.option("--exit-code", is_flag=True, help="Exit 1 when anything changed, as 'git diff --exit-code' does.")
@pass_app
def diff(app: App, old: str | None, new: str | None, fmt: str, exit_code: bool) -> int:
    """What changed in the argument between OLD and NEW: git revisions (default: HEAD and the working tree) or files."""
    from .diff import diff_versions, sides
    from .diff.report import render_json as diff_json
    from .diff.report import render_markdown as diff_markdown
    from .diff.report import text_lines

    result = diff_versions(*sides(app.config, old, new))
    if result.diagnostics:
        color = use_color(sys.stderr)
        click.echo("\n".join(d.format(color=color) for d in result.diagnostics), err=True, color=color)
    if fmt == "json":
        click.echo(diff_json(result))
    elif fmt == "markdown":
        click.echo(diff_markdown(result), nl=False)
    else:
        color = use_color(sys.stdout)
        lines = text_lines(result, color=color)
        if lines:
            click.echo("\n".join(lines), color=color)
    if result.diagnostics:
        return EXIT_INPUT
    return EXIT_INPUT if exit_code and result.changed else EXIT_OK


@cli.command()
@click.argument("map_ref", metavar="MAP")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Output file, '-' for stdout [default: MAP-ID.FORMAT in the working folder].")
@click.option("--format", "fmt", type=click.Choice(["svg", "png", "pdf", "dot"]),
              help="Output format [default: from the output's suffix, else svg; pdf for --worksheet].")
@click.option("--theme", type=click.Choice(["default", "print", "colorblind"]),
              help="Colours: default; print (greys only); colorblind (Okabe-Ito) [default: the project's theme].")
@click.option("--direction", type=click.Choice(["TB", "BT", "LR"]), default="TB", show_default=True,
              help="Where the thesis goes: top, bottom or left.")
@click.option("--page", type=click.Choice(["A4", "Letter", "A3", "none"]),
              help="Fit each drawing to this paper (orientation chosen per drawing) [default: A4 for --worksheet, "
                   "else the project's 'page' setting when its configuration sets one, else none].")
@click.option("--min-font", type=click.FloatRange(4, 16), default=7.0, show_default=True, metavar="PT",
              help="The smallest text, in points on paper, a drawing may print at; larger maps are split again.")
@click.option("--split", type=click.Choice(["auto", "never", "always"]), default="auto", show_default=True,
              help="Overview plus a drawing per branch, recursively (auto: while a drawing is below --min-font).")
@click.option("--wrap", type=click.IntRange(12, 120), default=32, show_default=True,
              help="Text width of a box, in characters.")
@click.option("--dpi", type=click.IntRange(36, 1200), default=200, show_default=True, help="Resolution of PNG output.")
@click.option("--worksheet", is_flag=True,
              help="A student worksheet PDF: chosen boxes left blank to fill in, a numbered claim list, an answer sheet.")
@click.option("--blank", "blank_kinds", metavar="KINDS", default=None,
              help="Worksheet: the kinds of box to leave blank, comma-separated [default: rebuttal,evidence].")
@click.option("--blank-tag", metavar="TAG", default=None,
              help="Worksheet: leave blank the boxes with this tag (instead of kinds, unless --blank is given too).")
@click.option("-v", "--verbose", is_flag=True, help="Report each page's smallest text size.")
@click.option("--cache/--no-cache", default=True, show_default=True,
              help="Reuse Graphviz output from .argbrief-cache/ when the drawing has not changed.")
@click.option("--changes-since", "since", metavar="REV",
              help="Mark what changed since git revision REV: new, changed and removed (ghosted) boxes (docs/diff.md).")
@pass_app
def render(app: App, map_ref: str, output: Path | None, fmt: str | None, theme: str | None, direction: str,
           page: str | None, min_font: float, split: str, wrap: int, dpi: int, worksheet: bool,
           blank_kinds: str | None, blank_tag: str | None, verbose: bool, cache: bool, since: str | None) -> int:
    """Draw MAP (a map id of the project, or a map file) as a Graphviz diagram, or a worksheet."""
    from .errors import ToolError, UsageError
    from .render import RenderOptions
    from .render.files import load_map, project_cache, render_to_files, resolve_format

    if not worksheet and (blank_kinds is not None or blank_tag is not None):
        raise UsageError("--blank and --blank-tag choose what a worksheet leaves blank: add --worksheet")
    fmt = resolve_format(fmt or ("pdf" if worksheet and output is None else None), output)
    if worksheet and fmt != "pdf":
        raise UsageError(f"a worksheet is a PDF, not {fmt}: name a .pdf output or leave --format out")
    if page is None:  # A4 for a worksheet; else the project's paper, when its configuration names one
        page = "A4" if worksheet else app.config.page if "page" in app.config.settings else "none"
    _not_an_input(app.config, output)
    loaded = load_map(app.config, map_ref)
    if loaded.amap is None:
        for d in loaded.diagnostics:
            click.echo(d.format(), err=True)
        click.echo(f"cannot render '{map_ref}': the map has errors (above)", err=True)
        return EXIT_INPUT
    amap, changes = loaded.amap, None
    if since is not None:
        if worksheet:
            raise UsageError("--changes-since marks a diagram; a worksheet has no change marks: leave one out")
        found = _changes_since(app.config, amap, loaded.path, since)
        if found is None:
            return EXIT_INPUT
        amap, changes = found
    options = RenderOptions(fmt=fmt, theme=theme or ("print" if worksheet else app.config.theme), direction=direction,
                            page=page, split=split, wrap=wrap, dpi=dpi,
                            min_font=min_font)
    dot_cache = project_cache(app.config) if cache else None
    try:
        if worksheet:
            from .render.worksheet import Blanks, render_worksheet

            blanks = Blanks.parse(blank_kinds, blank_tag)
            out = output if output is not None else Path(f"{amap.id or 'map'}-worksheet.pdf")
            data, diagrams = render_worksheet(amap, options, blanks, name=None if str(out) == "-" else out.stem,
                                              cache=dot_cache)
            paths = _emit(out, data)
        elif output is not None and str(output) == "-" and fmt != "pdf":
            from .render import render_map

            diagrams = render_map(amap, options, cache=dot_cache, changes=changes)
            if len(diagrams) > 1:
                if options.split == "auto":  # split only because it would print too small on the page
                    raise UsageError(f"the map is split into {len(diagrams)} diagrams to fit {options.page}; name an "
                                     "output file instead of '-', or draw it whole, unfitted, with --page none")
                raise UsageError(f"the map is split into {len(diagrams)} diagrams; name an output file instead of '-'")
            paths = _emit(output, diagrams[0].data)
        else:
            paths, diagrams = render_to_files(amap, options, None if str(output) == "-" else output,
                                              cache=dot_cache, stdout=output is not None and str(output) == "-",
                                              changes=changes)
    except ToolError as exc:  # a failing or stuck Graphviz: say which map
        raise ToolError(f"map '{amap.id}': {exc}") from None
    except OSError as exc:  # the output cannot be written (a full disk, no permission): nothing was replaced
        raise _cannot_write(exc, output) from exc
    _report_pages(diagrams, options, verbose)
    for path in paths:
        click.echo(f"wrote {path}", err=True)
    return EXIT_OK


def _emit(path: Path, data: bytes) -> list[Path]:
    """Write ``data`` to ``path`` atomically, or to stdout for '-'; the paths written."""
    if str(path) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return []
    _write_file(path, data)
    return [path]


def _report_pages(diagrams: Sequence[Diagram], options: RenderOptions, verbose: bool) -> None:
    """``-v``: each page's smallest text; always: a warning for a page below ``--min-font``."""
    fitted = options.page != "none"
    for d in diagrams:
        where = f"p. {d.number}" if options.fmt == "pdf" else d.name
        what = f"{where} ({d.part or 'whole map'})"
        if verbose:
            size = f"smallest text {d.smallest_pt:.1f} pt" + (" on paper" if fitted else " at full size")
            click.echo(f"{what}: {size}, {d.width_pt:.0f} x {d.height_pt:.0f} pt", err=True)
        if fitted and not d.legible:
            click.echo(
                f"warning: {what} prints its smallest text at {d.smallest_pt:.1f} pt, below --min-font "
                f"{options.min_font:g} pt: nothing in it is left to split (try --page A3 or a smaller --wrap)",
                err=True,
            )


def _changes_since(config: Config, amap, path: Path, revision: str):
    """``render --changes-since``: the map with removed nodes put back, and its marks; None on errors."""
    from .diff.overlay import overlay
    from .diff.versions import describe, project_at
    from .project import load_file
    from .render import ChangeMarks

    then = project_at(config, revision)
    old = then.maps.get(amap.id)
    if old is None and then.diagnostics:
        click.echo("\n".join(d.format() for d in then.diagnostics), err=True)
        click.echo(f"cannot show the changes since {revision}: a map file does not load there (above)", err=True)
        return None
    # Compared as written (the revision's map has no paragraph locators filled in), drawn as checked.
    drawn = overlay(old.obj if old is not None else None, load_file(path).obj, amap)
    counts = ", ".join(f"{n} {w}" for w, n in drawn.counts.items()) or "no change"
    click.echo(f"changes since {describe(then.side)}: {counts}", err=True)
    return drawn.amap, ChangeMarks(marks=drawn.marks, since=describe(then.side))


@cli.command()
@click.option("--pack", "packs", multiple=True, metavar="ID", help="Build this pack (repeat for more; default: every pack).")
@click.option(
    "--format", "formats", metavar="LIST",
    help="Comma-separated formats: pdf,docx,html (default: the pack's own list, else the project's).",
)
@click.option("--check", is_flag=True,
              help="Write nothing; render every export in memory and exit 1 listing each one that is stale, "
                   "missing or edited (the CI gate; no cache is trusted).")
@click.option("--trust-cache", is_flag=True,
              help="With --check: take parts the local build cache says are fresh as current (fast, for a hook on "
                   "your own machine; never in CI for pull requests).")
@click.option("-j", "--jobs", type=click.IntRange(min=1, max=MAX_JOBS), metavar="N",
              help="Worker processes, as many as given [default: one per core; the project's 'jobs' setting "
                   "may ask for fewer].")
@click.option("--no-cache", is_flag=True, help="Ignore the build cache and the Graphviz cache: render everything.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.json",
              help="Also write a JSON build report (inputs, outputs, hashes, timings, cache hits).")
@click.option("--watch", "watching", is_flag=True, help="Build, then rebuild whenever arguments/ or templates/ change.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors and the summary.")
@click.option("-v", "--verbose", is_flag=True, help="Also say why each file is rebuilt, and which are up to date.")
@pass_app
def build(app: App, packs: tuple[str, ...], formats: str | None, check: bool, trust_cache: bool, jobs: int | None,
          no_cache: bool, report_path: Path | None, watching: bool, quiet: bool, verbose: bool) -> int:
    """Build briefing packs into exports/<pack>/: PDF, Word, HTML and the map diagrams (only what changed)."""
    from .builder import build as build_packs
    from .builder import parse_formats
    from .builder.console import BuildConsole, outcome_lines
    from .builder.report import write_report
    from .errors import UsageError

    if quiet and verbose:
        raise UsageError("--quiet and --verbose contradict each other")
    if watching and check:
        raise UsageError("--watch and --check contradict each other")
    if trust_cache and not check:
        raise UsageError("--trust-cache only applies to --check")
    if trust_cache and no_cache:
        raise UsageError("--trust-cache and --no-cache contradict each other")
    wanted = parse_formats(formats)
    config = app.config
    _not_an_input(config, report_path)

    def run_once():
        with BuildConsole(sys.stderr, quiet=quiet, verbose=verbose) as show:
            result = build_packs(
                config, packs, wanted, jobs=jobs, use_cache=not no_cache, check=check, trust_cache=trust_cache, progress=show
            )
        if report_path is not None:
            try:
                write_report(result, config.root, report_path)
            except OSError as exc:
                raise _cannot_write(exc, report_path) from exc
        # Printed after the progress bar is gone, so the two never interleave.
        if result.diagnostics:
            color = use_color(sys.stdout)
            click.echo("\n".join(d.format(color=color) for d in result.diagnostics), color=color)
        out, err = outcome_lines(result, config.root, quiet=quiet)
        if out:
            click.echo("\n".join(out))
        click.echo("\n".join(err), err=True)
        return result

    if watching:
        return _watch(config, run_once)
    result = run_once()
    return EXIT_INPUT if result.failed or result.stale else EXIT_OK


def _watch(config: Config, run_once) -> int:
    """``build --watch``: rebuild on change until Ctrl-C; input problems are shown, never fatal."""
    from .builder.watch import watch, watched_paths

    def outcome(result, changed) -> None:
        if isinstance(result, ArgbriefError):
            click.echo(f"argbrief: error: {result}", err=True)
        shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
        where = ", ".join(_shown(p, config.root) for p in watched_paths(config))
        click.echo(f"watching {where} for changes (Ctrl-C stops)" + (f"; last change: {shown}" if shown else ""), err=True)

    watch(config, run_once, outcome)
    click.echo("stopped watching", err=True)
    return EXIT_OK


def _shown(path: Path, root: Path) -> str:
    from .builder.console import shown

    return shown(path, root)


@cli.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but this machine's own exposes the preview to the network.")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the web browser.")
@pass_app
def serve(app: App, port: int, host: str, open_browser: bool) -> int:
    """A live preview of the project's maps and packs in the browser, updated on every save (docs/serve.md)."""
    from .serve import serve as run_server

    config = app.config

    def ready(url: str) -> None:
        from .builder.watch import watched_paths

        where = " and ".join(f"{_shown(p, config.root)}/" for p in watched_paths(config)) or "nothing (no arguments folder)"
        click.echo(f"argbrief serve: {url} (watching {where}; Ctrl-C stops)", err=True)
        if host not in ("127.0.0.1", "localhost", "::1"):
            click.echo(f"warning: listening on {host}: anyone who can reach this machine can read the maps "
                       "(the preview has no login)", err=True)
        if open_browser:
            import webbrowser

            if not webbrowser.open(url):
                click.echo(f"no web browser could be started here: open {url} in yours", err=True)

    def changed(outcome, files: tuple[str, ...]) -> None:
        shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
        if isinstance(outcome, ArgbriefError):
            click.echo(f"{shown}: argbrief: error: {outcome}", err=True)
            return
        state = outcome.state()
        errors = sum(d["severity"] == "error" for d in state["diagnostics"])
        warnings = len(state["diagnostics"]) - errors
        click.echo(f"{shown} changed: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}",
                   err=True)

    run_server(config, host, port, on_ready=ready, on_change=changed)
    click.echo("stopped", err=True)
    return EXIT_OK


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--from", "from_fmt", metavar="FORMAT",
              help="The file's format: argdown, aif, microtext, kialo, sadface, json, yaml [default: from its suffix].")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the argbrief YAML map here [default: stdout].")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@click.option("--no-ignore", "no_ignore", is_flag=True,
              help="Do not write 'ignore:' entries for the rules the source format cannot satisfy.")
def import_(file: Path, from_fmt: str | None, output: Path | None, force: bool, no_ignore: bool) -> int:
    """Read FILE from another argument-mapping format as an argbrief YAML map (docs/interchange.md)."""
    from .errors import UsageError
    from .formats import export_map, get_format, import_file, infer_format, reasoned_ignores

    if output is not None and str(output) != "-" and output.exists() and not force:
        raise UsageError(f"{output} exists; add --force to replace it")
    imported = import_file(file, from_fmt)
    if imported.diagnostics:
        click.echo("\n".join(d.format() for d in imported.diagnostics), err=True)
    if imported.map is None or imported.errors:
        click.echo(f"cannot import {file}: {len(imported.errors)} error{'s' * (len(imported.errors) != 1)} above", err=True)
        return EXIT_INPUT
    amap = imported.map
    if not no_ignore:
        fmt = get_format(from_fmt, "load") if from_fmt else infer_format(file, "load", "--from")
        amap = reasoned_ignores(amap, fmt.name)
    text = export_map(amap, "yaml")
    claims = sum(1 for w in amap.walk() if w.relation != "follows")
    warnings = len(imported.diagnostics)
    summary = f"imported {claims} claim{'s' * (claims != 1)} from {file}, {warnings} warning{'s' * (warnings != 1)}"
    if output is None or str(output) == "-":
        click.echo(text, nl=False)
        click.echo(summary, err=True)
        return EXIT_OK
    _write_file(output, text.encode("utf-8"))
    click.echo(f"{summary}; wrote {output}", err=True)
    return EXIT_OK


@cli.command("export")
@click.argument("map_ref", metavar="MAP")
@click.option("--to", "to_fmt", metavar="FORMAT", help="argdown, aif, graphml, json or yaml [default: from OUTPUT's suffix].")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Output file [default: stdout].")
@pass_app
def export(app: App, map_ref: str, to_fmt: str | None, output: Path | None) -> int:
    """Write MAP (a map id of the project, or a map file) in another format (docs/interchange.md)."""
    from .formats import export_format, export_map, load_map_ref

    fmt = export_format(to_fmt, None if output is None or str(output) == "-" else output)
    _not_an_input(app.config, output)
    loaded = load_map_ref(app.config, map_ref)
    if loaded.map is None or loaded.errors:
        if loaded.diagnostics:
            click.echo("\n".join(d.format() for d in loaded.diagnostics), err=True)
        click.echo(f"cannot export '{map_ref}': the map has errors (above)", err=True)
        return EXIT_INPUT
    text = export_map(loaded.map, fmt.name)
    if output is None or str(output) == "-":
        click.echo(text, nl=False)
        return EXIT_OK
    _write_file(output, text.encode("utf-8"))
    click.echo(f"wrote {output} ({fmt.name})", err=True)
    return EXIT_OK


@cli.command()
@click.argument("kind", type=click.Choice(["map", "pack"]), default="map")
def schema(kind: str) -> int:
    """Print the JSON Schema of map or pack files."""
    import json

    from .schema import json_schema

    click.echo(json.dumps(json_schema(kind), indent=2, ensure_ascii=False))
    return EXIT_OK


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> int:
    """Create a small working project in DIRECTORY."""
    import shlex

    from .skeleton import create_project

    for path, extended in create_project(directory):
        click.echo(f"{'added argbrief lines to' if extended else 'created'} {path}")
    run = _how_to_run()
    cd = "" if directory.resolve() == Path.cwd().resolve() else f"cd {shlex.quote(str(directory))} && "
    click.echo(f"next: {cd}{run} check   (then '{run} serve' for a live preview)", err=True)
    return EXIT_OK


@cli.command()
@click.argument("names", nargs=-1, metavar="[FILE]...")
@pass_app
def templates(app: App, names: tuple[str, ...]) -> int:
    """Copy argbrief's own template FILEs into the project's templates folder, to restyle its packs
    (docs/packs.md); without FILE, list them."""
    from . import paths
    from .packs.html import builtin_templates

    own = builtin_templates()
    available = sorted(p.name for p in own.iterdir() if p.is_file())
    if not names:
        click.echo("\n".join(available))
        return EXIT_OK
    unknown = [name for name in names if name not in available]
    if unknown:
        raise click.BadParameter(f"{', '.join(unknown)} (argbrief's templates: {', '.join(available)})",
                                 param_hint="FILE")
    config = app.config
    for name in names:
        dest = paths.writable(config.templates / name, config.root)
        if os.path.lexists(dest):
            raise ArgbriefError(f"{paths.shown(dest)} exists: the project already has its own {name}")
        dest.parent.mkdir(parents=True, exist_ok=True)
        _write_file(dest, (own / name).read_bytes())
        click.echo(f"created {paths.shown(dest)}")
    return EXIT_OK


@contextmanager
def _sigterm_stops_the_run() -> Iterator[None]:
    """While the command runs, SIGTERM raises :class:`Terminated` (so workers and ``dot`` are cleaned up)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminated(signum: int, frame: object) -> None:
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _how_to_run() -> str:
    """How to run this argbrief from another folder: ``argbrief`` when that is the one on PATH, else its full path."""
    import shlex
    import shutil

    here = Path(sys.argv[0]).resolve() if sys.argv and sys.argv[0] else None
    if here is None or here.name in ("__main__.py", "-c") or not here.is_file():
        return f"{shlex.quote(sys.executable)} -m argbrief"  # python -m argbrief (or the Python API)
    on_path = shutil.which("argbrief")
    if on_path is not None and Path(on_path).resolve() == here:
        return "argbrief"
    return shlex.quote(str(here))


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code instead of exiting."""
    try:
        with _sigterm_stops_the_run():
            rv = cli.main(args=argv, prog_name="argbrief", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.UsageError as exc:
        exc.show()
        return EXIT_USAGE
    except click.ClickException as exc:
        exc.show()
        return EXIT_USAGE if exc.exit_code == 2 else EXIT_INPUT
    except click.Abort as exc:
        if isinstance(exc.__cause__, Terminated):
            click.echo("terminated", err=True)
            return EXIT_TERMINATED
        if isinstance(exc.__cause__, KeyboardInterrupt):  # click turns Ctrl-C into Abort
            click.echo("interrupted", err=True)
            return 130
        click.echo("aborted", err=True)
        return EXIT_INPUT
    except Terminated:
        click.echo("terminated", err=True)
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except ArgbriefError as exc:
        located = getattr(exc, "diagnostic", None)  # a problem in a file (the configuration): its diagnostic line
        click.echo(located.format() if located is not None else f"argbrief: error: {exc}", err=True)
        return exc.exit_code
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the one place bugs become exit 3
        import traceback

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
