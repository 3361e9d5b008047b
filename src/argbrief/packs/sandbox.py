"""The Jinja2 environment templates run in: sandboxed, and bounded in time, size and memory.

A team's ``templates/pack.html.j2`` is code from the repository, so in CI it
is code from whoever opened the pull request. Jinja2's
:class:`~jinja2.sandbox.ImmutableSandboxedEnvironment` keeps it away from
Python's internals and from changing argbrief's data; this module adds the
limits the sandbox lacks, so that a template cannot run for ever or fill
memory:

- ``range()`` makes at most :data:`MAX_RANGE` items (Jinja2's own limit is
  100,000, and nested loops multiply);
- no expression makes a text or list longer than :data:`MAX_STRING` items:
  ``*``, ``**``, ``+`` and ``%`` are checked *before* they run, as are the
  numbers given to filters and methods (``center(10**9)``), ``replace``, and
  width fields in format strings; values longer than that are refused where a
  template reads or passes them;
- the page a render writes is at most :data:`MAX_OUTPUT` characters;
- a render takes at most :data:`RENDER_SECONDS` (a timer interrupts it, on
  the main thread of a process, which is where builds render);
- while a template renders on Linux, the process may map at most
  :data:`MAX_MEMORY` more bytes (``RLIMIT_AS``): what the checks above cannot
  foresee (``~`` joining a text with itself many times) ends as a clear
  error instead of exhausting the machine.

Every limit ends the render with a :class:`TemplateLimit` (a Jinja2
``SecurityError``), which the build reports with the template's file and line.
"""

from __future__ import annotations

import functools
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import jinja2
import jinja2.sandbox

#: Items one ``range()`` may make.
MAX_RANGE = 10_000
#: Characters (or items) one expression may make: far above any text a pack shows.
MAX_STRING = 1_000_000
#: Characters of a rendered page (the demo's largest HTML pack is well under 10 MB).
MAX_OUTPUT = 64 * 1024 * 1024
#: Seconds one render may take (argbrief's own template takes well under one).
RENDER_SECONDS = 30.0
#: Extra address space a render may map (Linux), beyond what the process had when it started.
MAX_MEMORY = 512 * 1024 * 1024
#: Bits of a number ``**`` may make (about 20,000 digits).
_MAX_POWER_BITS = 64 * 1024
# A width or precision of seven digits or more in a format string: ``%0999999999d``, ``{:>9999999}``.
_HUGE_FIELD = re.compile(r"\d{7,}")
_SIZED = (str, bytes, list, tuple)


class TemplateLimit(jinja2.exceptions.SecurityError):
    """A template went past one of the limits of this module."""


class LimitedSandbox(jinja2.sandbox.ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox with limits on ranges, sizes and numbers (see the module's docstring)."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = limited_range
        self.filters = {name: _checked_filter(fn) for name, fn in self.filters.items()}

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        _check_binop(operator, left, right)
        return _checked(super().call_binop(context, operator, left, right))

    def call(self, context: jinja2.runtime.Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        _tick()
        _check_arguments(args, kwargs)
        _check_method(obj, args)
        result = super().call(context, obj, *args, **kwargs)
        # argbrief's own helpers (a diagram's SVG, a stylesheet) may return long texts.
        return result if getattr(obj, "argbrief_trusted", False) else _checked(result)

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, str) and attribute in ("format", "format_map") and _HUGE_FIELD.search(obj):
            raise TemplateLimit("a format string with a field of a million characters or more")
        return _checked(super().getattr(obj, attribute))

    def getitem(self, obj: Any, argument: Any) -> Any:
        return _checked(super().getitem(obj, argument))


def trusted(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Mark one of argbrief's own template helpers: its result may be longer than :data:`MAX_STRING`."""
    fn.argbrief_trusted = True  # type: ignore[attr-defined]
    return fn


def limited_range(*args: int) -> Iterator[int]:
    """``range()`` for templates: at most :data:`MAX_RANGE` items, and it stops when the render's time is up."""
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise TemplateLimit(f"range() of {len(numbers):,} items; templates may make at most {MAX_RANGE:,}")
    return _ticking(numbers)


def _ticking(numbers: range) -> Iterator[int]:
    for i, n in enumerate(numbers):
        if not i & 255:
            _tick()
        yield n


def _too_long(what: str) -> TemplateLimit:
    return TemplateLimit(f"{what} would be longer than {MAX_STRING:,} characters (or items)")


def _checked(value: Any) -> Any:
    """``value``, unless it is a text or list longer than the limit."""
    if isinstance(value, _SIZED) and len(value) > MAX_STRING:
        raise _too_long("a value")
    return value


def _check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse ``left <operator> right`` when its result would be too big, before it is computed."""
    if operator == "**":
        big = isinstance(left, int) and isinstance(right, int) and right > 0 and left.bit_length() * right > _MAX_POWER_BITS
        if big and abs(left) > 1:
            raise TemplateLimit(f"'**' would make a number of more than {_MAX_POWER_BITS:,} bits")
    elif operator == "*":
        for seq, n in ((left, right), (right, left)):
            if isinstance(seq, _SIZED) and isinstance(n, int) and len(seq) * n > MAX_STRING:
                raise _too_long("'*'")
    elif operator == "+":
        if isinstance(left, _SIZED) and isinstance(right, _SIZED) and len(left) + len(right) > MAX_STRING:
            raise _too_long("'+'")
    elif operator == "%" and isinstance(left, str):
        values = right if isinstance(right, tuple) else (right,)
        if _HUGE_FIELD.search(left) or ("*" in left and any(isinstance(v, int) and v > MAX_STRING for v in values)):
            raise _too_long("'%' formatting")


def _check_arguments(args: tuple, kwargs: dict) -> None:
    """Numbers that ask for more than the limit (``center(10**9)``, ``slice(10**9)``), and over-long values."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_STRING:
            raise TemplateLimit(f"a number over {MAX_STRING:,} given to a filter or method")
        _checked(value)


def _check_method(obj: Any, args: tuple) -> None:
    """``text.replace(old, new)``: its result can be far longer than its parts."""
    owner = getattr(obj, "__self__", None)
    if isinstance(owner, str) and getattr(obj, "__name__", "") == "replace" and len(args) >= 2:
        _check_replace(owner, args[0], args[1])


def _check_replace(text: Any, old: Any, new: Any) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        hits = len(text) + 1 if old == "" else text.count(old)
        if len(text) + hits * len(new) > MAX_STRING:
            raise _too_long("replace()")


def _checked_filter(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A built-in filter with the argument checks (and, for ``replace``, the size check) before it runs."""

    @functools.wraps(fn)  # keeps Jinja2's pass_context / pass_environment marks
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _tick()
        _check_arguments(args, kwargs)
        if fn.__name__ in ("do_replace", "sync_do_replace"):
            values = [a for a in args if not isinstance(a, (jinja2.runtime.Context, jinja2.nodes.EvalContext))]
            if len(values) >= 3:
                _check_replace(str(values[0]), values[1], values[2])
        elif fn.__name__ == "do_format" and args and isinstance(args[0], str) and _HUGE_FIELD.search(args[0]):
            raise _too_long("format")
        return _checked(fn(*args, **kwargs))

    return wrapper


# --------------------------------------------------------------------------- time and memory

_deadline = threading.local()


def _tick() -> None:
    """Stop the render when its time is up (the timer does this on the main thread; this is for other threads)."""
    end = getattr(_deadline, "at", None)
    if end is not None and time.monotonic() > end:
        raise _timeout()


def _timeout() -> TemplateLimit:
    return TemplateLimit(f"the template took longer than {RENDER_SECONDS:g} s to render")


def render_bounded(template: jinja2.Template, context: dict[str, Any]) -> str:
    """``template`` rendered with ``context`` within the limits: time, output size, memory."""
    out: list[str] = []
    size = 0
    with _time_limit(RENDER_SECONDS), _memory_limit(MAX_MEMORY):
        try:
            for chunk in template.generate(context):
                size += len(chunk)
                if size > MAX_OUTPUT:
                    raise TemplateLimit(f"the page would be longer than {MAX_OUTPUT:,} characters")
                out.append(chunk)
        except MemoryError:
            raise TemplateLimit(f"the template needed more than {MAX_MEMORY // 2**20:,} MB of memory") from None
        except OverflowError as exc:  # a number too big for the operation it is used in
            raise TemplateLimit(f"a number too large: {exc}") from None
    return "".join(out)


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    _deadline.at = time.monotonic() + seconds
    on_main = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    previous = None
    if on_main:

        def expired(signum: int, frame: Any) -> None:
            raise _timeout()

        previous = signal.signal(signal.SIGALRM, expired)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        _deadline.at = None
        if on_main:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)


@contextmanager
def _memory_limit(extra: int) -> Iterator[None]:
    """Cap the address space at what the process maps now plus ``extra`` bytes (Linux; elsewhere nothing)."""
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as fh:
            mapped = int(fh.read().split()[0]) * resource.getpagesize()
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, OSError, ValueError, AttributeError):
        yield
        return
    cap = mapped + extra
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft != resource.RLIM_INFINITY and soft <= cap:
        yield  # already capped at least as tightly
        return
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
