"""The one converter at the edge: plain located data <-> model objects (cattrs).

Wire key names live here only (``map`` -> ``ArgumentMap.id``, ``group`` ->
``Group.members``).  Structuring forbids unknown keys and reports every
problem as a located diagnostic; it then drops what was wrong and tries again,
so one bad key never hides the rest of the file from validation.  A key
whose value was reported and dropped is marked ``key.__invalid__`` in its
mapping's spans, so that validation does not report it missing as well.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from . import model as m
from ._yamlread import INVALID, SPAN, SPANS, Spans
from .diagnostics import Diagnostic, did_you_mean

if TYPE_CHECKING:
    import cattrs

# cattrs is imported where it is used: a valid file is structured by the quick path
# (:func:`_quick_hooks`), and ``check`` of valid files never loads it (a tenth of start-up).

#: attribute name -> wire key, per class (only where they differ).
RENAMES: dict[type, dict[str, str]] = {
    m.ArgumentMap: {"id": "map"},
    m.Pack: {"id": "pack"},
    m.Group: {"members": "group"},
}

CLASSES: tuple[type, ...] = (
    m.Source,
    m.Answer,
    m.Evidence,
    m.Thesis,
    m.Premise,
    m.Assumption,
    m.Objection,
    m.Rebuttal,
    m.Group,
    m.Section,
    m.Recommendation,
    m.Ignore,
    m.ArgumentMap,
    m.Rating,
    m.Appraisal,
    m.Position,
    m.Question,
    m.Judgement,
    m.Indicator,
    m.Pack,
)

for _cls in (m.Claim, *CLASSES):
    attrs.resolve_types(_cls, globalns=vars(m))


class _ShapeError(ValueError):
    """A value of the wrong shape; the message is shown to the user."""


def wire_keys(cls: type) -> list[str]:
    """The YAML keys a class accepts, in declaration order."""
    ren = RENAMES.get(cls, {})
    return [ren.get(a.name, a.name) for a in attrs.fields(cls) if a.name not in ("span", "spans")]


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    return f"a string ({value!r:.40})"


@functools.cache
def _structurer() -> cattrs.Converter:
    """The converter that explains invalid files: it collects every error with its path.

    Made on first use (generating the hooks takes a while at start-up); valid
    files never need it (:func:`_quick_hooks` structures them).
    """
    import cattrs
    from cattrs.errors import IterableValidationError, IterableValidationNote
    from cattrs.gen import make_dict_structure_fn

    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)

    def text(value: Any, _t: Any) -> str:
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)  # `label: 2024` means the text "2024"
        raise _ShapeError(f"expected text, found {_describe(value)}")

    def boolean(value: Any, _t: Any) -> bool:
        if isinstance(value, bool):
            return value
        raise _ShapeError(f"expected true or false, found {_describe(value)}")

    def strings(value: Any, _t: Any) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise _ShapeError(f"expected a list, found {_describe(value)}")
        return tuple(text(v, str) for v in value)

    def mapping_of_text(value: Any, _t: Any) -> dict[str, str]:
        if not isinstance(value, dict):
            raise _ShapeError(f"expected a mapping, found {_describe(value)}")
        return {str(k): text(v, str) for k, v in value.items() if k not in (SPAN, SPANS)}

    def span(value: Any, _t: Any) -> m.SourceSpan:
        return value if isinstance(value, m.SourceSpan) else m.NOWHERE

    def spans(value: Any, _t: Any) -> Mapping[str, m.SourceSpan]:
        return value if isinstance(value, (Spans, dict)) else {}

    def need_mapping(cls: type):
        inner = make_dict_structure_fn(cls, conv, **_overrides(cls, structure=True))

        def hook(value: Any, _t: Any) -> Any:
            if not isinstance(value, dict):
                raise _ShapeError(f"expected a mapping, found {_describe(value)}")
            return inner(value, cls)

        return hook

    conv.register_structure_hook(str, text)
    conv.register_structure_hook(bool, boolean)
    conv.register_structure_hook_func(lambda t: t == tuple[str, ...], strings)
    conv.register_structure_hook_func(lambda t: t == dict[str, str], mapping_of_text)
    conv.register_structure_hook(m.SourceSpan, span)
    conv.register_structure_hook_func(lambda t: t == Mapping[str, m.SourceSpan], spans)
    # Class hooks by type, filled in below; the hooks here call them directly.
    item_hooks: dict[Any, Any] = {}

    group_invalid = f"group.{INVALID}"

    def premise_or_group(value: Any, _t: Any) -> m.Premise | m.Group:
        if isinstance(value, dict) and ("group" in value or group_invalid in value.get(SPANS, ())):
            return item_hooks[m.Group](value, m.Group)
        return item_hooks[m.Premise](value, m.Premise)

    def list_only(default: Any):
        def hook(value: Any, t: Any) -> tuple:
            if not isinstance(value, list):  # cattrs would iterate a string letter by letter
                raise _ShapeError(f"expected a list, found {_describe(value)}")
            return default(value, t)

        return hook

    for item in (m.Premise | m.Group, m.Assumption, m.Evidence, m.Objection, m.Rebuttal, m.Premise, m.Recommendation,
                 m.Ignore, m.Position, m.Question, m.Judgement, m.Indicator, m.Section):
        list_type = tuple[item, ...]
        hook = list_only(conv.get_structure_hook(list_type))
        conv.register_structure_hook_func(lambda t, list_type=list_type: t == list_type, hook)

    def source_ref(value: Any, _t: Any) -> m.Source | str | None:
        if value is None or isinstance(value, str):
            return value
        return conv.structure(value, m.Source)

    def sources(value: Any, _t: Any) -> dict[str, m.Source]:
        if not isinstance(value, dict):
            raise _ShapeError(f"expected a mapping of source keys to sources, found {_describe(value)}")
        return {k: conv.structure(v, m.Source) for k, v in value.items() if k not in (SPAN, SPANS)}

    def answer(value: Any, _t: Any) -> m.Answer:
        # The short form {q: yes} is an answer with a stance only; the long form is a mapping.
        if isinstance(value, dict):
            return item_hooks[m.Answer](value, m.Answer)
        return m.Answer(stance=text(value, str))

    def answers(value: Any, _t: Any) -> dict[str, m.Answer]:
        if not isinstance(value, dict):
            raise _ShapeError(f"expected a mapping of question ids to answers, found {_describe(value)}")
        items = [(str(k), v) for k, v in value.items() if k not in (SPAN, SPANS)]
        # Each question's error carries its key, as cattrs' own mapping hooks do, so that
        # the diagnostic points at that answer (answers.<question>.<key>).
        out: dict[str, m.Answer] = {}
        errors: list[Exception] = []
        for k, v in items:
            try:
                out[k] = answer(v, m.Answer)
            except Exception as exc:  # noqa: BLE001 - collected and re-raised with its path below
                exc.add_note(IterableValidationNote(f"Structuring answer @ key {k!r}", k, m.Answer))
                errors.append(exc)
        if errors:
            raise IterableValidationError("While structuring answers", errors, dict[str, m.Answer])
        return out

    conv.register_structure_hook_func(lambda t: t == dict[str, m.Answer], answers)
    conv.register_structure_hook(m.Premise | m.Group, premise_or_group)
    conv.register_structure_hook(m.Source | str | None, source_ref)
    # An optional object ('source:', 'appraisal:', 'cost:'); null means not given.
    for optional in (m.Source, m.Appraisal, m.Rating):
        conv.register_structure_hook(
            optional | None, lambda v, _t, cls=optional: None if v is None else conv.structure(v, cls)
        )
    # A map without a thesis is reported by validation; 'thesis:' with nothing after it here.
    conv.register_structure_hook(m.Thesis | None, lambda v, _t: item_hooks[m.Thesis](v, m.Thesis))
    conv.register_structure_hook_func(lambda t: t == dict[str, m.Source], sources)
    # Class hooks last: generating them looks up the hooks registered above.
    item_hooks[m.Premise | m.Group] = premise_or_group
    for cls in CLASSES:
        item_hooks[cls] = need_mapping(cls)
        conv.register_structure_hook(cls, item_hooks[cls])
    conv.register_structure_hook(m.Answer, answer)  # the item hook stays the mapping form's
    return conv


def _overrides(cls: type, structure: bool) -> dict[str, Any]:
    from cattrs.gen import override

    ren = RENAMES.get(cls, {})
    out: dict[str, Any] = {}
    for a in attrs.fields(cls):
        if a.name == "span":
            out[a.name] = override(rename=SPAN) if structure else override(omit=True)
        elif a.name == "spans":
            out[a.name] = override(rename=SPANS) if structure else override(omit=True)
        elif a.name in ren:
            out[a.name] = override(rename=ren[a.name])
    if structure:
        out["_cattrs_forbid_extra_keys"] = True
    else:
        out["_cattrs_omit_if_default"] = True
    return out


@functools.cache
def _unstructurer() -> cattrs.Converter:
    """The converter to wire-format dicts (made on first use: ``check`` never needs it)."""
    import cattrs
    from cattrs.gen import make_dict_unstructure_fn

    conv = cattrs.Converter()
    conv.register_unstructure_hook_func(lambda t: t == tuple[str, ...], list)
    generated: dict[type, Any] = {}

    def lazy(cls: type):
        # Generated on first use: a class's function captures the hooks of its fields'
        # classes, which must all be registered by then (Premise holds Objections).
        def hook(value: Any) -> Any:
            fn = generated.get(cls)
            if fn is None:
                fn = generated[cls] = make_dict_unstructure_fn(cls, conv, **_overrides(cls, structure=False))
            return fn(value)

        return hook

    for cls in CLASSES:
        conv.register_unstructure_hook(cls, lazy(cls))

    def premise_or_group(value: m.Premise | m.Group) -> Any:
        return conv.unstructure(value, type(value))

    def answer(value: m.Answer) -> Any:
        # The short form whenever it says everything: {q: yes}, as authors write it.
        return value.stance if value.short else generated_answer(value)

    generated_answer = lazy(m.Answer)
    conv.register_unstructure_hook(m.Answer, answer)
    conv.register_unstructure_hook(m.Premise | m.Group, premise_or_group)
    conv.register_unstructure_hook(m.Source | str | None, lambda v: v if not isinstance(v, m.Source) else conv.unstructure(v, m.Source))
    return conv


def unstructure(obj: Any) -> Any:
    """Model object -> plain data with wire key names, defaults omitted, in field order."""
    return _unstructurer().unstructure(obj, type(obj))


# --- the quick path: valid files, without cattrs ---------------------------------------


class _Unusual(ValueError):
    """A value the quick path leaves to cattrs' detailed pass (which says what is wrong, if anything)."""


@functools.cache
def _quick_hooks() -> dict[Any, Callable[[Any], Any]]:
    """Structuring functions by type for data as the reader makes it, the common shapes only.

    Each makes the object cattrs would make, or raises: then :func:`structure`
    runs cattrs' detailed pass, which gives the same object or the diagnostics.
    Text must be ``str`` here (cattrs also takes numbers, which only other
    formats' data holds); unknown keys, wrong shapes and anything else raise.
    """
    hooks: dict[Any, Callable[[Any], Any]] = {}

    def text(value: Any) -> str:
        if value.__class__ is not str:
            raise _Unusual
        return value

    def boolean(value: Any) -> bool:
        if value.__class__ is not bool:
            raise _Unusual
        return value

    def strings(value: Any) -> tuple[str, ...]:
        if value.__class__ is not list or not all(v.__class__ is str for v in value):
            raise _Unusual
        return tuple(value)

    def text_mapping(value: Any) -> dict[str, str]:
        if value.__class__ is not dict:
            raise _Unusual
        return {text(k): text(v) for k, v in value.items() if k not in (SPAN, SPANS)}

    def list_of(item: Any) -> Callable[[Any], tuple]:
        def hook(value: Any) -> tuple:
            if value.__class__ is not list:
                raise _Unusual
            fn = hooks[item]
            return tuple([fn(v) for v in value])

        return hook

    def optional(cls: type) -> Callable[[Any], Any]:
        return lambda value: None if value is None else hooks[cls](value)

    group_invalid = f"group.{INVALID}"

    def premise_or_group(value: Any) -> m.Premise | m.Group:
        if value.__class__ is dict and ("group" in value or group_invalid in value.get(SPANS, ())):
            return hooks[m.Group](value)
        return hooks[m.Premise](value)

    def source_ref(value: Any) -> m.Source | str | None:
        return value if value is None or value.__class__ is str else hooks[m.Source](value)

    def sources(value: Any) -> dict[str, m.Source]:
        if value.__class__ is not dict:
            raise _Unusual
        return {k: hooks[m.Source](v) for k, v in value.items() if k not in (SPAN, SPANS)}

    def answers(value: Any) -> dict[str, m.Answer]:
        # The short form {q: yes} is an answer with a stance only; the long form is a mapping.
        if value.__class__ is not dict:
            raise _Unusual
        answer = hooks[m.Answer]
        return {
            text(k): answer(v) if v.__class__ is dict else m.Answer(stance=text(v))
            for k, v in value.items()
            if k not in (SPAN, SPANS)
        }

    #: Values taken as they are when of this very class (cattrs takes subclasses too; they go to it).
    as_is = {str: str, m.SourceSpan: m.SourceSpan, Mapping[str, m.SourceSpan]: Spans}

    def of_class(cls: type) -> Callable[[Any], Any]:
        # wire key -> (attribute name, the class a value taken as it is has, or the hook that converts it)
        fields: dict[str, tuple[str, type | None, Callable[[Any], Any] | None]] = {}
        for a in attrs.fields(cls):
            key = {"span": SPAN, "spans": SPANS}.get(a.name) or RENAMES.get(cls, {}).get(a.name, a.name)
            fields[key] = (a.name, as_is[a.type], None) if a.type in as_is else (a.name, None, hooks[a.type])

        def hook(value: Any) -> Any:
            if value.__class__ is not dict:
                raise _Unusual
            kwargs = {}
            for key, item in value.items():
                name, kind, convert = fields[key]  # an unknown key is a KeyError
                if convert is None:
                    if item.__class__ is not kind:
                        raise _Unusual
                    kwargs[name] = item
                else:
                    kwargs[name] = convert(item)
            return cls(**kwargs)

        return hook

    hooks.update({
        bool: boolean,
        tuple[str, ...]: strings,
        dict[str, str]: text_mapping,
        m.Premise | m.Group: premise_or_group,
        m.Source | str | None: source_ref,
        dict[str, m.Source]: sources,
        dict[str, m.Answer]: answers,
        # A map without a thesis is reported by validation; 'thesis:' with nothing after it is unusual.
        m.Thesis | None: lambda value: hooks[m.Thesis](value),
    })
    for cls in (m.Source, m.Appraisal, m.Rating):
        hooks[cls | None] = optional(cls)
    for item in (m.Premise | m.Group, *CLASSES):
        hooks[tuple[item, ...]] = list_of(item)
    # Every field's type has a hook (of_class fails on a new field of a new type, not some file).
    # Class hooks last: their tables hold the hooks above; the hooks above look class hooks up when called.
    for cls in CLASSES:
        hooks[cls] = of_class(cls)
    return hooks


# --- structuring with located, recoverable errors -------------------------------------

Path = tuple[Any, ...]


def structure(data: dict[str, Any], cls: type, file: str) -> tuple[Any, list[Diagnostic]]:
    """Plain located data -> ``cls``; every schema problem becomes a diagnostic.

    After reporting, the offending keys and values are dropped and structuring
    is tried again (a few rounds), so a usable object comes back whenever the
    rest of the file allows it.
    """
    quick = _quick_hooks().get(cls)
    if quick is not None:
        try:
            return quick(data), []
        except Exception:  # noqa: BLE001 - anything unusual: the detailed pass below says what is wrong, if anything
            pass
    from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

    diags: list[Diagnostic] = []
    for _round in range(8):
        try:
            return _structurer().structure(data, cls), diags
        except (ClassValidationError, IterableValidationError, _ShapeError, ForbiddenExtraKeysError) as exc:
            problems = list(_flatten(exc, (), cls))
        if not problems:  # pragma: no cover - defensive: unknown error shape
            break
        for path, owner, err in problems:
            diags.append(_diagnose(data, path, owner, err, file))
        for path, owner, err in sorted(problems, key=lambda p: [str(x) for x in p[0]], reverse=True):
            _drop(data, path, err)
    return None, diags


def _flatten(exc: BaseException, path: Path, owner: type) -> Iterator[tuple[Path, type, BaseException]]:
    """Leaf errors with their wire paths and the class that owns the last key."""
    from cattrs.errors import ClassValidationError, IterableValidationError

    if isinstance(exc, (ClassValidationError, IterableValidationError)):
        cl = getattr(exc, "cl", owner)
        for sub in exc.exceptions:
            step, sub_owner = _step(sub, cl if isinstance(exc, ClassValidationError) else owner)
            sub_path = path + (step,) if step is not None else path
            # The class that owns keys one level down is the attribute's type, when it is one.
            sub_cl = _attr_class(sub_owner, step) if isinstance(exc, ClassValidationError) else owner
            yield from _flatten(sub, sub_path, sub_cl or sub_owner)
    else:
        yield path, owner, exc


def _step(exc: BaseException, owner: type) -> tuple[Any, type]:
    from cattrs.errors import AttributeValidationNote, IterableValidationNote

    for note in getattr(exc, "__notes__", []):
        if isinstance(note, AttributeValidationNote):
            return RENAMES.get(owner, {}).get(note.name, note.name), owner
        if isinstance(note, IterableValidationNote):
            return note.index, owner
    return None, owner


def _attr_class(owner: type, key: Any) -> type | None:
    if not attrs.has(owner) or not isinstance(key, str):
        return None
    inverse = {v: k for k, v in RENAMES.get(owner, {}).items()}
    name = inverse.get(key, key)
    for a in attrs.fields(owner):
        if a.name == name:
            return _item_class(a.type)
    return None


def _item_class(tp: Any) -> type | None:
    args = getattr(tp, "__args__", ())
    if attrs.has(tp):
        return tp
    for arg in args:
        if arg is not Ellipsis and attrs.has(arg):
            return arg
    return None


def _get(data: Any, path: Path) -> Any:
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _where(data: dict, path: Path, file: str, key: bool = False) -> m.SourceSpan:
    """The span of the value (or key) at ``path``: recorded in the parent mapping."""
    if not path:
        return data.get(SPAN, m.SourceSpan(file, 1, 1))
    parent = _get(data, path[:-1])
    last = path[-1]
    if isinstance(parent, dict):
        spans = parent.get(SPANS, {})
        found = spans.get(f"{last}.__key__" if key else str(last))
        if found:
            return found
        return parent.get(SPAN, m.SourceSpan(file, 1, 1))
    if isinstance(parent, list) and len(path) >= 2:
        item = _get(data, path)
        if isinstance(item, dict) and SPAN in item:
            return item[SPAN]
        grand = _get(data, path[:-2])
        if isinstance(grand, dict):
            found = grand.get(SPANS, {}).get(f"{path[-2]}.{last}")
            if found:
                return found
    return _where(data, path[:-1], file)


def _dotted(path: Path) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "top level"


def _diagnose(data: dict, path: Path, owner: type, err: BaseException, file: str) -> Diagnostic:
    from cattrs.errors import ForbiddenExtraKeysError

    if isinstance(err, ForbiddenExtraKeysError):
        where = _get(data, path)
        extra = sorted(k for k in err.extra_fields if k not in (SPAN, SPANS))
        allowed = wire_keys(err.cl)
        key = extra[0] if extra else "?"
        more = f" (and {', '.join(repr(k) for k in extra[1:])})" if len(extra) > 1 else ""
        span = where.get(SPANS, {}).get(f"{key}.__key__") if isinstance(where, dict) else None
        if err.cl is m.Evidence and key in m.CHILD_LISTS:
            hint = "evidence is a leaf: it backs the claim it is listed under and has no children"
        else:
            hint = did_you_mean(key, allowed) or f"allowed: {', '.join(allowed)}"
        return Diagnostic(
            code="schema.unknown-key",
            message=f"unknown key '{key}'{more} in {_kind_name(err.cl)}",
            span=span or _where(data, path, file),
            hint=hint,
        )
    if isinstance(err, _ShapeError):
        return Diagnostic(
            code="schema.wrong-type" if path else "schema.not-mapping",
            message=f"{_dotted(path)}: {err}",
            span=_where(data, path, file),
        )
    if isinstance(err, KeyError):
        return Diagnostic(code="schema.missing", message=f"{_dotted(path)}: missing key {err}", span=_where(data, path, file))
    return Diagnostic(
        code="schema.wrong-type",
        message=f"{_dotted(path)}: {err}",
        span=_where(data, path, file),
    )


def _kind_name(cls: type) -> str:
    return getattr(cls, "kind", None) if isinstance(getattr(cls, "kind", None), str) else {
        m.ArgumentMap: "map",
        m.Pack: "pack",
        m.Source: "source",
        m.Answer: "answer",
        m.Position: "position",
        m.Question: "question",
    }.get(cls, cls.__name__.lower())


def _drop(data: dict, path: Path, err: BaseException) -> None:
    from cattrs.errors import ForbiddenExtraKeysError

    if isinstance(err, ForbiddenExtraKeysError):
        where = _get(data, path)
        if isinstance(where, dict):
            for k in err.extra_fields:
                where.pop(k, None)
        return
    if not path:
        data.clear()
        return
    parent = _get(data, path[:-1])
    last = path[-1]
    if isinstance(parent, dict):
        parent.pop(last, None)
        spans = parent.get(SPANS)
        if isinstance(spans, Spans) and last in spans:
            spans.raw[f"{last}.{INVALID}"] = spans.raw[last]
    elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
        del parent[last]
