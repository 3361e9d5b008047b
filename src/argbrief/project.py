"""The project: configuration, file discovery, and loading maps and packs into a workspace.

A project is the folder holding ``argbrief.toml`` or a ``pyproject.toml`` with a
``[tool.argbrief]`` table (searched upwards from the working folder); without
either, the working folder itself.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
from attrs import field, frozen

from . import convert, paths
from ._yamlread import MAX_BYTES, decode, read_yaml
from .diagnostics import STRICT_ONLY, Diagnostic, did_you_mean, sort_diagnostics
from .errors import ConfigError, UsageError
from .model import ArgumentMap, Pack, SourceSpan, Walked
from .quotes import SourceText, locate_quotes
from .rules import RuleSelection, apply_map_ignores, check_map_ignores
from .validate import validate_map, validate_pack

FORMATS = ("pdf", "docx", "html")
THEMES = ("default", "print", "colorblind")
PAGES = ("A4", "Letter")

_CONFIG_KEYS = {"arguments", "templates", "exports", "formats", "theme", "page", "jobs", "select", "ignore"}
#: A configuration file is a few hundred bytes; anything near this is not one.
_MAX_CONFIG_BYTES = 1024 * 1024


@frozen(kw_only=True)
class Config:
    """Project settings; paths are absolute."""

    root: Path
    arguments: Path
    templates: Path
    exports: Path
    formats: tuple[str, ...] = FORMATS
    theme: str = "default"
    page: str = "A4"
    jobs: int = 0  # 0: one per core
    #: Rules reported (empty: all) and rules left out: codes or prefixes (docs/diagnostics.md).
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    #: The keys the configuration file set (the rest are defaults): ``render`` fits to ``page`` only when it was set.
    settings: frozenset[str] = frozenset()

    @classmethod
    def discover(cls, start: Path | None = None) -> Config:
        """The configuration of the project that contains ``start`` (default: the working folder)."""
        start = paths.folder(start or Path.cwd())
        for folder in (start, *start.parents):
            found = _read_table(folder)
            if found is not None:
                return cls.from_table(folder, *found)
        return cls.from_table(start, {})

    @classmethod
    def from_table(cls, root: Path, table: dict[str, Any], source: ConfigSource | None = None) -> Config:
        """The settings of ``table`` (the ``[tool.argbrief]`` table) for the project in ``root``.

        Every value is checked for its type (a TOML file can hold anything) and
        every folder through :mod:`argbrief.paths`: inside the project after
        following symbolic links, no loop, no NUL. A bad value is a
        :class:`~argbrief.errors.ConfigError` naming the setting, located in
        ``source`` (the file the table was read from) when given.
        """
        source = source or ConfigSource()
        root = paths.real(root)
        unknown = sorted(set(table) - _CONFIG_KEYS)
        if unknown:
            raise source.error(f"unknown setting '{unknown[0]}'", unknown[0], code="config.unknown-key",
                               hint=did_you_mean(unknown[0], _CONFIG_KEYS) or f"settings: {', '.join(sorted(_CONFIG_KEYS))}")

        def inside(key: str, default: str) -> Path:
            value = table.get(key, default)
            if not isinstance(value, str) or not value.strip():
                raise source.error(f"{key} must be a folder name (a string), not {_toml_type(value)}", key)
            lexical = Path(os.path.normpath(root / value)) if "\0" not in value else root
            if not lexical.is_relative_to(root):
                raise source.error(f"{key} = '{value}' is outside the project", key)
            try:
                return paths.folder(root / value, root)
            except paths.UnsafePath as exc:
                raise source.error(f"{key} = {_toml_value(value)} {exc.detail}", key) from None

        def choice(key: str, allowed: tuple[str, ...], default: str) -> str:
            value = table.get(key, default)
            if not isinstance(value, str) or value not in allowed:
                shown = f"'{value}'" if isinstance(value, str) else _toml_type(value)
                raise source.error(f"{key} must be one of {', '.join(allowed)}, not {shown}", key)
            return value

        raw_formats = table.get("formats", list(FORMATS))
        if not isinstance(raw_formats, list) or not all(isinstance(f, str) for f in raw_formats):
            raise source.error(
                f"formats must be a list of format names such as [\"pdf\", \"html\"], not {_toml_type(raw_formats)}", "formats"
            )
        formats = tuple(raw_formats)
        for f in formats:
            if f not in FORMATS:
                raise source.error(f"unknown format '{f}'", "formats", hint=f"choose from {', '.join(FORMATS)}")
        jobs = table.get("jobs", 0)
        if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 0:
            raise source.error(f"jobs must be a whole number >= 0, not {_toml_type(jobs)}", "jobs")
        rules = {key: _patterns(table, key, source) for key in ("select", "ignore")}
        return cls(
            root=root,
            arguments=inside("arguments", "arguments"),
            templates=inside("templates", "templates"),
            exports=inside("exports", "exports"),
            formats=formats,
            theme=choice("theme", THEMES, "default"),
            page=choice("page", PAGES, "A4"),
            jobs=jobs,
            **rules,
            settings=frozenset(table),
        )

    @property
    def packs_dir(self) -> Path:
        return self.arguments / "packs"

    def input_kind(self, path: Path) -> str | None:
        """What ``path`` is among the files argbrief reads: the configuration, or a file of the arguments
        or templates folder (a map, pack, source text, template); None for any other file."""
        where = paths.identity(path)
        if where.parent == paths.identity(self.root) and where.name in ("argbrief.toml", "pyproject.toml"):
            return "the project's configuration"
        for folder, what in ((self.arguments, "arguments"), (self.templates, "templates")):
            if where.is_relative_to(paths.identity(folder)):
                return f"a file of the project's {what} folder"
        return None


def _patterns(table: dict[str, Any], key: str, source: ConfigSource) -> tuple[str, ...]:
    """The ``select`` or ``ignore`` setting: a list of codes or prefixes, each one checked."""
    from .rules import pattern_problem

    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise source.error(f"{key} must be a list of rule codes, e.g. [\"briefing.no-evidence\"]", key)
    for pattern in value:
        problem = pattern_problem(pattern, ignoring=key == "ignore")
        if problem is not None:
            raise source.error(f"{key}: {problem[0]}", key, hint=problem[1] or "")
    return tuple(value)


class ConfigFileError(ConfigError):
    """A problem of the configuration file, located in it: shown as its diagnostic line."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic
        super().__init__(diagnostic.format())

    def __reduce__(self) -> tuple:  # pickled as UnsafePath is (a build worker's error)
        return type(self), (self.diagnostic,)


@frozen
class ConfigSource:
    """The file settings were read from, to locate a bad one (no ``path``: not read from a file)."""

    path: Path | None = None
    text: str = ""
    table: str = ""  # the TOML table holding the settings: "" (argbrief.toml) or "tool.argbrief"

    def error(self, message: str, key: str | None = None, *, code: str = "config.bad-value", hint: str = "") -> ConfigError:
        if self.path is None:
            return ConfigError(f"[tool.argbrief] {message}" + (f" ({hint})" if hint else ""))
        line, key_at, value_at = self._position(key) if key else (0, 0, 0)
        where = SourceSpan(paths.shown(self.path), line, key_at if code == "config.unknown-key" else value_at)
        return ConfigFileError(Diagnostic(code=code, message=message, span=where, hint=hint))

    def _position(self, key: str) -> tuple[int, int, int]:
        """Line, and columns of ``key`` and of its value, in the settings' table (zeros when it is not written plainly)."""
        table = ""
        setting = re.compile(rf"""(\s*)(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*=\s*""")
        for number, line in enumerate(self.text.splitlines(), 1):
            header = _TOML_TABLE.match(line)
            if header:
                table = re.sub(r"""\s*\.\s*""", ".", header["name"].strip()).replace('"', "")
                if table == f"{self.table}.{key}".lstrip("."):  # the setting written as a table: [x]
                    return number, 1, 1
            elif table == self.table and (found := setting.match(line)):
                return number, found.end(1) + 1, found.end() + 1
        return 0, 0, 0


_TOML_TABLE = re.compile(r"^\s*\[\[?(?P<name>[^\[\]]+)\]\]?\s*(?:#.*)?$")
_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def _read_table(folder: Path) -> tuple[dict[str, Any], ConfigSource] | None:
    """The settings of the configuration file in ``folder``, and where they were read; None when it has none."""
    import tomllib  # only when a configuration file is there

    for name in ("argbrief.toml", "pyproject.toml"):
        path = folder / name
        if not os.path.lexists(path):
            continue
        source = ConfigSource(path, "", "" if name == "argbrief.toml" else "tool.argbrief")
        try:
            raw = paths.read_file(path, folder, limit=_MAX_CONFIG_BYTES, where="the project folder")
        except paths.UnsafePath as exc:
            raise ConfigFileError(paths.file_diagnostic(exc, paths.shown(path))) from None
        except OSError as exc:
            raise source.error(f"cannot read the project configuration: {exc.strerror or exc}", code="config.syntax") from exc
        if len(raw) > _MAX_CONFIG_BYTES:
            raise source.error(f"over {_MAX_CONFIG_BYTES:,} bytes; is this a configuration file?", code="config.syntax")
        text, problems = decode(raw, paths.shown(path))
        if text is None:
            raise ConfigFileError(problems[0])
        source = attrs.evolve(source, text=text)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise _toml_error(source, str(exc)) from None
        if name == "argbrief.toml":
            return data, source
        tool = data.get("tool", {})
        table = tool.get("argbrief") if isinstance(tool, dict) else None
        if table is not None and not isinstance(table, dict):
            raise source.error(f"[tool.argbrief] must be a table, not {_toml_type(table)}", code="config.syntax")
        return (table, source) if table is not None else None
    return None


def _toml_error(source: ConfigSource, message: str) -> ConfigFileError:
    """TOML's own message ("Invalid statement (at line 3, column 1)") as a diagnostic on that line."""
    at = _TOML_AT.search(message)
    line, column = (int(at[1]), int(at[2])) if at else (0, 0)
    problem = message[: at.start()] if at else message
    where = SourceSpan(paths.shown(source.path or ""), line, column)
    return ConfigFileError(Diagnostic(code="config.syntax", message=f"not valid TOML: {problem}", span=where,
                                      hint="see https://toml.io; a setting is written 'name = \"value\"'"))


def _toml_type(value: object) -> str:
    """A TOML value's kind, for messages (never the whole value: it could be huge)."""
    kinds = {bool: "a true/false value", int: "a number", float: "a number", str: "a string", list: "a list", dict: "a table"}
    return next((f"{kind} ({_toml_value(value)})" for t, kind in kinds.items() if type(value) is t), type(value).__name__)


def _toml_value(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def display_path(path: Path) -> str:
    """How a file is named in diagnostics: relative to the working folder when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)
    

def _in_the_project_folder(d: Diagnostic, named: Path, root: Path) -> Diagnostic:
    """A path named from the project folder (``-C DIR``, or habit) rather than the working folder: say which it is."""
    there = root / named
    if named.is_absolute() or os.path.lexists(named) or not os.path.lexists(there):
        return d
    hint = f"paths are taken from the working folder, not the project folder: did you mean {paths.shown(there)}?"
    return attrs.evolve(d, hint=hint)


def _display(path: Path) -> str:
    rel = display_path(path)
    return str(path) if rel.startswith("..") else rel


@frozen(kw_only=True)
class Loaded:
    """One file as loaded: what it holds, where it is, and what was wrong with it."""

    path: Path
    name: str
    kind: str  # "map" | "pack"
    obj: ArgumentMap | Pack | None
    diagnostics: tuple[Diagnostic, ...] = ()
    #: The id the file declares (``map: ID`` / ``pack: ID``) when it could not be read as YAML, so that
    #: references to it elsewhere are not reported as unknown: the file's own error says why.
    unreadable_id: str = ""


_DECLARED = re.compile(r"^(map|pack)[ \t]*:[ \t]*[\"']?([^\s\"'#,]+)", re.MULTILINE)


def load_file(path: Path, kind_hint: str | None = None, *, fence: Path | None = None) -> Loaded:
    """Read and structure one YAML file (no cross-file validation).

    The file is read through :mod:`argbrief.paths`: it must be a regular file
    (a FIFO, device or symbolic-link loop is an ``input.not-a-file`` error)
    and, with a ``fence``, inside it after following symbolic links
    (``input.outside-project``).
    """
    name = _display(path)
    try:
        raw = paths.read_file(path, fence, limit=MAX_BYTES)
    except paths.UnsafePath as exc:
        return Loaded(path=path, name=name, kind=kind_hint or "map", obj=None, diagnostics=(paths.file_diagnostic(exc, name),))
    return load_bytes(raw, path, name, kind_hint)


def load_bytes(raw: bytes, path: Path, name: str, kind_hint: str | None = None) -> Loaded:
    """Structure the bytes of one YAML file, as :func:`load_file` does; ``name`` is how diagnostics name it.

    ``argbrief diff`` loads files read from git this way (``HEAD:arguments/x.yaml``).
    """
    text, diags = decode(raw, name)
    data = None
    if text is not None:
        data, more = read_yaml(text, name)
        diags += more
    kind = kind_hint or ("pack" if path.parent.name == "packs" else "map")
    if isinstance(data, dict):
        if "pack" in data and "map" not in data:
            kind = "pack"
        elif "map" in data:
            kind = "map"
    obj = None
    unreadable = ""
    if data is None and text is not None:
        declared = _DECLARED.search(text)
        unreadable = declared.group(2) if declared else path.stem
        kind = declared.group(1) if declared and not kind_hint else kind
    if data is not None:
        if not isinstance(data, dict):
            diags.append(
                Diagnostic(
                    code="schema.not-mapping",
                    message=f"the top level must be a mapping of keys, found {convert._describe(data)}",
                    span=SourceSpan(name, 1, 1),
                    hint=f"a {kind} file starts with '{kind}: <id>'",
                )
            )
        else:
            obj, more = convert.structure(data, Pack if kind == "pack" else ArgumentMap, name)
            diags += more
    return Loaded(path=path, name=name, kind=kind, obj=obj, diagnostics=tuple(diags), unreadable_id=unreadable)


def discover_files(named: Sequence[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """YAML files named, or found below named folders (``sources/`` is skipped), sorted.

    Entries that are not plain files (a FIFO, a symbolic-link loop) are found
    too, so that reading them reports them; symbolic links to folders are not
    followed.
    """
    files: list[Path] = []
    diags: list[Diagnostic] = []
    for p in named:
        if p.is_dir():
            found = [f for f in paths.files_below(p, skip=("sources",)) if f.suffix in (".yaml", ".yml")]
            if not found:
                diags.append(
                    Diagnostic(
                        code="input.not-found",
                        message=f"'{_display(p)}' is a folder with no .yaml files in it",
                        span=SourceSpan(_display(p)),
                        hint="name map and pack files, or a folder that holds them",
                    )
                )
            files += found
        elif os.path.lexists(p):
            files.append(p)
        else:
            diags.append(
                Diagnostic(code="input.not-found", message=f"no such file or folder: {_display(p)}", span=SourceSpan(_display(p)))
            )
    unique = sorted({paths.identity(f): f for f in files}.items())
    return [f for _, f in unique], diags


@frozen(kw_only=True)
class Workspace:
    """Everything loaded and checked: maps and packs by id, and every diagnostic."""

    config: Config
    maps: dict[str, ArgumentMap] = field(factory=dict)
    map_files: dict[str, Path] = field(factory=dict)
    packs: dict[str, Pack] = field(factory=dict)
    pack_files: dict[str, Path] = field(factory=dict)
    #: The files that were checked (named, or found in named folders).
    checked: tuple[Path, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    #: Diagnostics left out by the rule selection and the maps' ``ignore:`` entries.
    ignored: int = 0
    #: Map files that did not load, by the id they declare (else their name): ``render ID`` shows
    #: their errors instead of saying there is no such map.
    unloaded_maps: dict[str, Path] = field(factory=dict)


def load_workspace(
    config: Config, paths: Sequence[Path] | None = None, rules: RuleSelection | None = None, *, strict: bool = False
) -> Workspace:
    """Load, locate quotes and validate ``paths`` (default: the project's arguments folder).

    Maps that named packs refer to are loaded from the project's arguments
    folder as well, so references resolve; only the named files' problems are
    reported. ``rules`` says which are (default: the configuration's
    ``select`` and ``ignore``); each map's own ``ignore:`` entries apply too.
    ``strict`` adds the checks of :data:`~argbrief.diagnostics.STRICT_ONLY`
    (``argbrief check --strict``).
    """
    if rules is None:
        rules = RuleSelection(config.select, config.ignore)
    with _gc_paused():
        ws = _load_workspace(config, paths, rules)
    if strict:
        return ws
    # Not "ignored": a strict-only check is simply not run outside --strict.
    return attrs.evolve(ws, diagnostics=tuple(d for d in ws.diagnostics if d.code not in STRICT_ONLY))


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Loading makes many small objects that all stay alive until the command ends.

    The cyclic collector would scan them again and again for nothing (they form
    few cycles, and reference counting frees the rest): it is paused while they
    are made. Afterwards they are frozen (``gc.freeze``: moved out of the
    collector's generations, with the modules imported so far), so that the
    first collection after loading does not scan them all once more: that one
    sweep was 5 % of checking a 50,000-node map. A later load (``build --watch``)
    unfreezes first, so that garbage cycles from an earlier load can be collected.
    """
    enabled = gc.isenabled()
    gc.unfreeze()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _load_workspace(config: Config, named_paths: Sequence[Path] | None, rules: RuleSelection) -> Workspace:
    named, diags = discover_files(list(named_paths) if named_paths else [config.arguments])
    if not named_paths and not os.path.lexists(config.arguments):  # most often: not in a project yet
        hint = "a project keeps its maps and packs there; 'argbrief init DIR' starts a new project"
        diags = [attrs.evolve(d, hint=hint) for d in diags]
    named_as = {_display(Path(p)): Path(p) for p in named_paths or ()}
    diags = [_in_the_project_folder(d, named_as[d.span.file], config.root) if d.span.file in named_as else d
             for d in diags]
    loaded = [load_file(f, fence=fence_for(f, config)) for f in named]
    reported = {paths.identity(f) for f in named}
    if any(item.kind == "pack" for item in loaded) and config.arguments.is_dir():
        extra, _ = discover_files([config.arguments])
        loaded += [load_file(f, fence=config.root) for f in extra if paths.identity(f) not in reported]

    maps: dict[str, ArgumentMap] = {}
    map_files: dict[str, Path] = {}
    packs: dict[str, Pack] = {}
    pack_files: dict[str, Path] = {}
    unloaded_maps: dict[str, Path] = {}
    per_file: dict[Path, list[Diagnostic]] = {paths.identity(item.path): list(item.diagnostics) for item in loaded}
    cache: dict[Path, SourceText | None] = {}

    to_validate: list[tuple[ArgumentMap | Pack, Path]] = []
    # Each map's walk, made once for quotes and validation both (a big map's walk takes a while);
    # only while quotes left the map as it was (no locator filled in).
    walks: dict[Path, tuple[Walked, ...]] = {}
    for item in loaded:
        key = paths.identity(item.path)
        obj = item.obj
        if isinstance(obj, ArgumentMap):
            walked = tuple(obj.walk())
            located, qdiags = locate_quotes(obj, item.path.parent, fence_for(item.path, config), cache, walked)
            if located is obj:
                walks[key] = walked
            obj = located
            per_file[key] += qdiags
            table, files, what = maps, map_files, "map"
        elif isinstance(obj, Pack):
            table, files, what = packs, pack_files, "pack"  # type: ignore[assignment]
        else:
            if item.kind == "map":
                unloaded_maps.setdefault(item.unreadable_id or item.path.stem, item.path)
            continue
        if key in reported:
            to_validate.append((obj, key))
        if not obj.id:
            continue  # validation reports the missing id
        if obj.id in table:
            per_file[key].append(
                Diagnostic(
                    code=f"ref.duplicate-{what}",
                    message=f"{what} id '{obj.id}' is also declared in {_display(files[obj.id])}",
                    span=obj.spans.get(what, obj.span),
                    hint=f"each {what} needs its own id",
                )
            )
            continue
        table[obj.id] = obj
        files[obj.id] = item.path

    # Every pack's questions, duplicates' too: a repeated pack id is reported on its own.
    # A pack that could not be read asks questions nobody knows: answers are not checked then.
    all_packs = [item.obj for item in loaded if isinstance(item.obj, Pack)]
    unreadable_pack = any(item.unreadable_id and item.kind == "pack" for item in loaded)
    questions = {q.id for p in all_packs for q in p.questions} if all_packs and not unreadable_pack else None
    # Maps whose files could not be read: a pack naming one is not told the map is unknown.
    unreadable_maps = {item.unreadable_id for item in loaded if item.unreadable_id and item.kind == "map"}
    ignored = 0
    for obj, key in to_validate:
        if isinstance(obj, ArgumentMap):
            per_file[key] += validate_map(obj, questions, walks.get(key))
            if obj.ignore:
                per_file[key], left_out = apply_map_ignores(obj, per_file[key] + check_map_ignores(obj))
                ignored += left_out
        else:
            per_file[key] += validate_pack(obj, maps, FORMATS, THEMES, unreadable_maps)
            per_file[key] += _changes_since(obj, key, config)

    for key, ds in per_file.items():
        if key in reported:
            shown = [d for d in ds if rules.reports(d.code)]
            ignored += len(ds) - len(shown)
            diags += shown
    return Workspace(
        config=config,
        maps=maps,
        map_files=map_files,
        packs=packs,
        pack_files=pack_files,
        checked=tuple(named),
        diagnostics=tuple(sort_diagnostics(diags)),
        ignored=ignored,
        unloaded_maps={k: v for k, v in unloaded_maps.items() if k not in maps},
    )


def fence_for(path: Path, config: Config) -> Path:
    """What a file's own paths (and a symbolic link at the file) must stay inside.

    The project, for a file that is in the project by where it is named (its
    folder, as written or with symbolic links followed, is inside the project:
    a folder in the project that links elsewhere does not take its files out
    of the fence); a file named on the command line from elsewhere is the
    user's choice, and its paths must stay inside its own folder.
    """
    folder = paths.identity(path.parent)
    named = Path(os.path.abspath(path.parent))  # as written: a linked folder inside the project is still inside
    return config.root if folder.is_relative_to(config.root) or named.is_relative_to(config.root) else folder


def _changes_since(pack: Pack, path: Path, config: Config) -> list[Diagnostic]:
    """A pack's ``changes_since``: an earlier pack file must be there, inside the project; a revision
    must look like one. Whether git knows the revision is found out when the pack is built."""
    value = pack.changes_since
    if not value:
        return []
    where = pack.spans.get("changes_since", pack.span)
    if value.endswith((".yaml", ".yml")):
        earlier = paths.identity(path.parent / value)
        if not earlier.is_relative_to(fence_for(path, config)):
            message, hint = f"changes_since '{value}' is outside the project", "keep earlier editions in the project"
        elif not earlier.is_file():
            message, hint = f"changes_since names no file: '{value}'", "a path relative to this pack file"
        else:
            return []
        return [Diagnostic(code="pack.changes-since", message=message, span=where, hint=hint)]
    if value.startswith("-") or any(c.isspace() or not c.isprintable() for c in value):
        message = f"changes_since '{value}' is not a revision name"
        hint = "a tag, a branch or a commit, not starting with '-'; or an earlier pack file (.yaml)"
        return [Diagnostic(code="pack.changes-since", message=message, span=where, hint=hint)]
    return []


def find_map_file(ws: Workspace, ref: str, unknown: str) -> Path:
    """The file of the map with id ``ref``, also when it does not load (its errors are then the ones to show).

    No such map: :class:`UsageError` saying ``unknown``, with a "did you mean" or the known maps.
    """
    path = ws.map_files.get(ref) or ws.unloaded_maps.get(ref)
    if path is None:
        hint = did_you_mean(ref, [*ws.maps, *ws.unloaded_maps])
        known = ", ".join(sorted(ws.maps)) or "none"
        raise UsageError(unknown + (f" ({hint})" if hint else f"; maps: {known}"))
    return path


def find_pack(ws: Workspace, pack_id: str) -> Pack:
    if pack_id not in ws.packs:
        packs = ", ".join(sorted(ws.packs)) or "none"
        by_file = {paths.identity(file): pid for pid, file in ws.pack_files.items()}
        if paths.identity(pack_id) in by_file:  # the pack's file: packs are named by their id
            hint = f"name the pack by its id: '{by_file[paths.identity(pack_id)]}'"
        elif pack_id in ws.maps:
            hint = f"'{pack_id}' is a map; packs: {packs}"
        else:
            hint = did_you_mean(pack_id, ws.packs)
        raise UsageError(f"no pack '{pack_id}'" + (f" ({hint})" if hint else f"; packs: {packs}"))
    return ws.packs[pack_id]


def iter_errors(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    from .diagnostics import Severity

    return [d for d in diags if d.severity is Severity.ERROR]
