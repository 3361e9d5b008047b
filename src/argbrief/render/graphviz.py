"""Map view -> DOT (built with pydot) -> Graphviz ``dot`` -> SVG, PNG or PDF bytes.

Arrows are declared from what is argued about to its ground (parent -> child)
with ``dir=back``, so that ``dot`` ranks the thesis first and draws the
arrowhead at the parent: every arrow in the drawing points from a reason to
the claim it bears on. "Follows" arrows (ground -> recommendation) are the
exception: they point down, at the recommendation.

``dot`` is run directly as a subprocess (pydot's ``create()`` prints and
asserts on failure); its errors become :class:`ToolError`. Every run — the
``-Tplain`` measuring pass too — has a time limit (``ARGBRIEF_DOT_TIMEOUT``,
and within a build the build's deadline, :func:`dot_limits`), and its output
is checked before it is used or cached (:func:`output_problem`): SVG with
nothing that could run or fetch, a well-formed PNG, a ``plain`` layout whose
numbers read. A cached entry that fails the check is drawn again.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import os
import re
import shutil
import struct
import subprocess
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager

import pydot
from attrs import frozen

from ..errors import ToolError
from .cache import DotCache
from .labels import BODY_PT, LEGEND_ROWS, TAG_PT, escape, header_label, legend_label, node_label
from .options import RenderOptions
from .theme import CHANGE_SHAPES, EDGE_SHAPES, NODE_SHAPES, Theme
from .view import MapView, ViewCluster, ViewEdge, ViewNode

GRAPH_NAME = "argmap"
LEGEND_ID = "legend"
INSTALL_HINT = "install Graphviz: sudo apt-get install graphviz (macOS: brew install graphviz)"

# Relations whose arrow points down the tree, from the ground to what follows from it.
_DOWNWARD = frozenset({"follows"})


@frozen
class Markup:
    """A value that is DOT already — an HTML-like label made by :mod:`.labels` — for pydot to write as it is.

    pydot decides whether to quote a ``str`` by scanning it a character at a
    time in Python, which for the labels of a 2,000-node map costs more than
    making them; values of other types it writes unchanged.
    """

    text: str

    def __str__(self) -> str:
        return self.text


def view_to_dot(
    view: MapView,
    theme: Theme,
    options: RenderOptions = RenderOptions(),
    graph_attrs: Mapping[str, str] | None = None,
    *,
    legend_rows: int | None = None,
    refs: Mapping[str, str] | None = None,
) -> str:
    """The DOT source of ``view`` drawn with ``theme``.

    ``graph_attrs`` add or override graph attributes; ``legend_rows`` sets how
    many rows the legend's columns have (default: flat beside a top-down map's
    first box, tall beside a left-to-right one's); ``refs`` maps the name of
    another drawing to the words that refer to it ("continued on p. 3").
    """
    graph = pydot.Dot(GRAPH_NAME, graph_type="digraph", strict=False)
    for key, value in {**_graph_defaults(view, theme, options, refs), **(graph_attrs or {})}.items():
        graph.set(key, value)
    graph.set_node_defaults(shape="box", fontname=theme.font, fontsize=f"{BODY_PT:g}", fontcolor=theme.text, margin="0.12,0.07")
    graph.set_edge_defaults(arrowsize="0.8", fontname=theme.font)

    # The legend is a node of its own, declared first: dot puts it at the start
    # of the first rank, in the empty corner beside the thesis.
    legend = legend_label(view, theme, rows=legend_rows or (8 if options.direction == "LR" else LEGEND_ROWS))
    if legend != '""':
        graph.add_node(pydot.Node(LEGEND_ID, shape="plain", label=Markup(legend)))

    styles = _Styles(theme, refs or {})
    by_id = {n.id: n for n in view.nodes}
    clustered = {nid: c for c in view.clusters for nid in c.node_ids}
    band = set(view.last_rank)
    for node in view.nodes:
        cluster = clustered.get(node.id)
        if node.id in band:
            continue
        if cluster is None:
            graph.add_node(styles.dot_node(node, options.wrap))
        elif node.id == cluster.node_ids[0]:
            # Declared where its first member would be, to keep the authored order.
            graph.add_subgraph(_dot_cluster(cluster, [styles.dot_node(by_id[m], options.wrap) for m in cluster.node_ids], theme))
    evidence = {n.id for n in view.nodes if n.kind == "evidence"}
    removed = {n.id for n in view.nodes if n.change == "removed"}
    for edge in view.edges:
        style = styles.edge
        if edge.source in removed or edge.target in removed:
            style = styles.ghost_edge  # an arrow to or from a removed box is ghosted with it
        for dot_edge in _dot_edges(edge, style, heavy=edge.source in evidence):
            graph.add_edge(dot_edge)
    if band:
        _add_band(graph, view, [styles.dot_node(by_id[nid], options.wrap) for nid in view.last_rank], theme)
    if view.first_rank:
        ranks = _ranks(view)
        top = pydot.Subgraph(rank="same")
        beside = set(view.first_rank)
        anchor = [n.id for n in view.nodes if ranks[n.id] == 0 and n.id not in beside and n.kind != "junction"][:1]
        for nid in (*anchor, *view.first_rank):
            top.add_node(pydot.Node(nid))
        graph.add_subgraph(top)
    return graph.to_string()


def _ranks(view: MapView) -> dict[str, int]:
    """Each box's rank as ``dot`` gives it: the longest chain of ranking arrows above it."""
    down: dict[str, list[tuple[str, int]]] = {}
    indegree = {n.id: 0 for n in view.nodes}
    for e in view.edges:
        if not e.constraint or e.relation in _DOWNWARD or e.source not in indegree or e.target not in indegree:
            continue
        down.setdefault(e.target, []).append((e.source, e.minlen))  # drawn parent -> child
        indegree[e.source] += 1
    rank = dict.fromkeys(indegree, 0)
    ready = [nid for nid, d in indegree.items() if d == 0]
    while ready:
        nid = ready.pop()
        for child, minlen in down.get(nid, ()):
            rank[child] = max(rank[child], rank[nid] + minlen)
            indegree[child] -= 1
            if indegree[child] == 0:
                ready.append(child)
    return rank


def _add_band(graph: pydot.Dot, view: MapView, members: list[pydot.Node], theme: Theme) -> None:
    """The recommendations in a framed band of their own under the whole tree, in rows of ``view.band_row``.

    No arrow runs from the tree into the band (each box names its grounds), so
    no arrow points down against the others. Invisible arrows from the top box
    set each row's rank one below the lowest box of the tree.
    """
    band = set(view.last_rank)
    ranks = _ranks(view)
    tree = [n.id for n in view.nodes if n.id not in band and n.kind != "junction"]
    below = max((ranks[nid] for nid in tree), default=-1) + 1
    sub = pydot.Cluster(
        "band",
        label=Markup(f'<<FONT POINT-SIZE="{TAG_PT:g}" COLOR="{theme.muted}"><B>{escape(view.band)}</B></FONT>>'),
        labeljust="l",
        style="rounded,dashed",
        color=theme.muted,
        penwidth="1.0",
        margin="12",
    )
    per_row = max(1, view.band_row)
    ids = view.last_rank
    for start in range(0, len(members), per_row):
        row = pydot.Subgraph(rank="same")
        for member in members[start : start + per_row]:
            row.add_node(member)
        # Invisible arrows along the row keep the recommendations in the author's order.
        for left, right in itertools.pairwise(ids[start : start + per_row]):
            row.add_edge(pydot.Edge(left, right, style="invis"))
        sub.add_subgraph(row)
    graph.add_subgraph(sub)
    anchor = next((nid for nid in tree if ranks[nid] == 0), None)
    for i, nid in enumerate(ids):
        if i >= per_row:  # under the box one row up: the rows stack in columns
            graph.add_edge(pydot.Edge(ids[i - per_row], nid, style="invis"))
        elif anchor is not None:
            graph.add_edge(pydot.Edge(anchor, nid, style="invis", minlen=str(below)))


def _graph_defaults(
    view: MapView, theme: Theme, options: RenderOptions, refs: Mapping[str, str] | None = None
) -> dict[str, object]:
    return {
        "rankdir": options.direction,
        "compound": "true",  # arrows from a linked group's frame
        "newrank": "true",  # rank=same inside clusters
        "nodesep": "0.25",
        "ranksep": "0.4",
        "pad": "0.25",
        "bgcolor": theme.background,
        "fontname": theme.font,
        "fontcolor": theme.text,
        "charset": "UTF-8",
        "outputorder": "edgesfirst",
        # Children left to right in the order the author wrote them.
        "ordering": "out",
        "labelloc": "t",
        "labeljust": "l",
        "label": Markup(header_label(view, theme, options.wrap, refs)),
    }


class _Styles:
    """The attributes shared by every box of a kind and every arrow of a relation, made once per drawing."""

    def __init__(self, theme: Theme, refs: Mapping[str, str]) -> None:
        self.theme = theme
        self.refs = refs
        self._nodes: dict[str, dict[str, Markup]] = {}
        self._edges: dict[tuple[str, bool], dict[str, Markup]] = {}

    def dot_node(self, node: ViewNode, wrap: int) -> pydot.Node:
        key = f"{node.kind}:{node.change}"
        if key not in self._nodes:
            self._nodes[key] = _node_style(self.theme, node.kind, node.change)
        return pydot.Node(node.id, **self._nodes[key], label=Markup(node_label(node, self.theme, wrap, self.refs)))

    def edge(self, relation: str, arrow: bool = True) -> dict[str, Markup]:
        if (relation, arrow) not in self._edges:
            self._edges[relation, arrow] = _edge_attrs(relation, self.theme, arrow=arrow)
        return self._edges[relation, arrow]

    def ghost_edge(self, relation: str, arrow: bool = True) -> dict[str, Markup]:
        """An arrow of a removed box: dotted and grey, whatever its relation."""
        return {**self.edge(relation, arrow), "style": _quoted("dotted"), "color": _quoted(self.theme.muted)}


def _dot_cluster(cluster: ViewCluster, members: list[pydot.Node], theme: Theme) -> pydot.Cluster:
    """A linked group's frame, with its members side by side in authored order."""
    sub = pydot.Cluster(
        cluster.id.removeprefix("cluster_"),
        label=Markup(f'<<FONT POINT-SIZE="{TAG_PT:g}" COLOR="{theme.group_border}"><B>{escape(cluster.tag)}</B></FONT>>'),
        labeljust="l",
        style="rounded,filled",
        fillcolor=theme.group_fill,
        color=theme.group_border,
        penwidth="1.4",
        margin="10",
    )
    for member in members:
        sub.add_node(member)
    # Invisible flat edges keep the members in order.
    row = pydot.Subgraph(rank="same")
    for left, right in zip(cluster.node_ids, cluster.node_ids[1:]):
        row.add_edge(pydot.Edge(left, right, style="invis"))
    sub.add_subgraph(row)
    return sub


def _quoted(value: str) -> Markup:
    # Only for our own constants (colours, styles, numbers), never user text.
    return Markup(f'"{value}"')


def _node_style(theme: Theme, kind: str, change: str = "") -> dict[str, Markup]:
    """The attributes every box of a kind (and change mark) shares (quoted here, so pydot need not inspect them)."""
    shape, colours = NODE_SHAPES[kind], theme.node(kind)
    style, penwidth, peripheries = list(shape.style), shape.penwidth, shape.peripheries
    border, fill = colours.border, colours.fill
    if change:  # a change diagram: the border says it without colour, the colour says it again
        mark = CHANGE_SHAPES[change]
        penwidth = max(penwidth, mark.min_penwidth)
        peripheries += mark.extra_periphery
        border = theme.changes[change].border
        if mark.style:
            style = [s for s in style if s not in ("dashed", "dotted")] + [mark.style]
        if mark.ghost:
            fill = theme.background
    attrs = {
        "shape": shape.shape,
        "style": ",".join(style),
        "fillcolor": fill,
        "color": border,
        "penwidth": f"{penwidth:g}",
        # SVG output gets class="node <kind>" (and the change mark), for style sheets and scripts.
        "class": f"{kind} {change}".strip(),
    }
    if peripheries != 1:
        attrs["peripheries"] = str(peripheries)
    if kind == "junction":
        attrs.update(width="0.09", height="0.09", fixedsize="true")
    return {k: _quoted(v) for k, v in attrs.items()}


def _edge_attrs(relation: str, theme: Theme, *, arrow: bool = True) -> dict[str, Markup]:
    shape = EDGE_SHAPES[relation]
    attrs = {"color": theme.edge(relation), "penwidth": f"{shape.penwidth:g}", "class": relation}
    if shape.style != "solid":
        attrs["style"] = shape.style
    if not arrow:
        attrs["dir"] = "none"
    elif relation in _DOWNWARD:
        attrs["arrowhead"] = shape.arrowhead
    else:
        attrs["dir"] = "back"
        attrs["arrowtail"] = shape.arrowhead
    return {k: _quoted(v) for k, v in attrs.items()}


def _dot_edges(edge: ViewEdge, style: Callable[..., dict[str, Markup]], *, heavy: bool = False) -> list[pydot.Edge]:
    """The DOT edge(s) of one arrow: two, through its junction, when an undercut attacks it.

    ``heavy`` arrows (from an evidence card) are kept short and straight, so
    the card sits directly under the claim it backs.
    """
    extra: dict[str, str] = {}
    if heavy and edge.constraint:
        extra["weight"] = "8"
    if edge.minlen != 1:
        extra["minlen"] = str(edge.minlen)
    if edge.rank_only:
        return [pydot.Edge(edge.target, edge.source, style="invis", **extra)]
    if edge.relation in _DOWNWARD:
        return [pydot.Edge(edge.source, edge.target, **style(edge.relation))]
    if edge.source_cluster:
        extra["lhead"] = edge.source_cluster
    if not edge.constraint:
        extra["constraint"] = "false"
    if edge.junction:
        # The inference arrow runs through the junction that undercuts attack.
        return [
            pydot.Edge(edge.target, edge.junction, **style(edge.relation)),
            pydot.Edge(edge.junction, edge.source, **style(edge.relation, arrow=False), **extra),
        ]
    return [pydot.Edge(edge.target, edge.source, **style(edge.relation), **extra)]


# --- running dot ---------------------------------------------------------------------


def dot_binary() -> str:
    """The path of Graphviz ``dot``, or :class:`ToolError` with the line that installs it."""
    path = shutil.which("dot")
    if path is None:
        raise ToolError(f"Graphviz 'dot' was not found on PATH; {INSTALL_HINT}")
    return path


#: Seconds one ``dot`` run may take unless ``ARGBRIEF_DOT_TIMEOUT`` says otherwise.
DOT_TIMEOUT = 60.0
#: A build's Graphviz work as a whole must end within this many times the per-run limit.
BUILD_DEADLINE_RUNS = 10


def timeout_from_environment() -> float:
    """``ARGBRIEF_DOT_TIMEOUT`` (seconds) when set, else :data:`DOT_TIMEOUT`."""
    from ..errors import UsageError

    value = os.environ.get("ARGBRIEF_DOT_TIMEOUT", "").strip()
    if not value:
        return DOT_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < 86400:
        raise UsageError(f"ARGBRIEF_DOT_TIMEOUT must be a number of seconds, not {value!r}")
    return seconds


@frozen(kw_only=True)
class DotLimits:
    """How long ``dot`` may run: ``timeout`` seconds per run, and every run must end by ``deadline``.

    ``deadline`` is a :func:`time.monotonic` time, the same clock in every
    process of the machine, so worker processes share one deadline per build.
    """

    timeout: float = DOT_TIMEOUT
    deadline: float | None = None

    @classmethod
    def for_build(cls, timeout: float | None = None) -> DotLimits:
        """The limits of a build starting now: the per-run timeout, and a deadline ten of them away."""
        per_run = timeout if timeout is not None else timeout_from_environment()
        return cls(timeout=per_run, deadline=time.monotonic() + BUILD_DEADLINE_RUNS * per_run)

    @property
    def deadline_text(self) -> str:
        return f"the build's deadline for Graphviz ({BUILD_DEADLINE_RUNS} x {self.timeout:g} s)"

    def left(self) -> tuple[float, str]:
        """Seconds the next run may take, and how to say that it ran out of them."""
        if self.deadline is not None:
            remaining = self.deadline - time.monotonic()
            if remaining < self.timeout:
                return max(remaining, 0.0), f"ran past {self.deadline_text}"
        return self.timeout, f"took longer than {self.timeout:g} s"


# The limits every dot run of this process uses (a build's jobs set them; otherwise the environment's).
_limits: DotLimits | None = None
# The dot (and rsvg-convert) processes running now: a signal handler that ends this process ends them first.
_running: set[subprocess.Popen] = set()
# Their private output folders: the same handler removes them (it exits without unwinding the runs).
_scratch: set[str] = set()


@contextmanager
def dot_limits(limits: DotLimits) -> Iterator[None]:
    """Every ``dot`` run inside the block (measuring passes included) uses ``limits``."""
    global _limits
    previous, _limits = _limits, limits
    try:
        yield
    finally:
        _limits = previous


def stop_running_dot() -> None:
    """Kill every ``dot`` (or ``rsvg-convert``) this process started that is still running, and remove their output folders.

    For a signal handler that then ends the process at once (``os._exit``), which leaves no run to clean up after itself.
    """
    for proc in list(_running):
        try:
            proc.kill()
        except OSError:
            pass
    for folder in list(_scratch):
        shutil.rmtree(folder, ignore_errors=True)


def run_tool(command: list[str], data: bytes, seconds: float) -> tuple[bytes, bytes, int]:
    """``command`` with ``data`` on its input: (standard output, standard error, exit status).

    Killed after ``seconds`` (then :class:`subprocess.TimeoutExpired`) and
    whenever this process is stopped (:func:`stop_running_dot`). :class:`OSError`
    when it cannot start.
    """
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _running.add(proc)
    try:
        stdout, stderr = proc.communicate(data, timeout=seconds)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        _running.discard(proc)
    return stdout, stderr, proc.returncode


def run_dot(
    source: str, fmt: str, timeout: float | None = None, *, dpi: int | None = None, cache: DotCache | None = None
) -> bytes:
    """Lay out and render DOT ``source`` with ``dot -T<fmt>``; raises :class:`ToolError` on failure.

    ``timeout`` (seconds) defaults to the limits of :func:`dot_limits`, else
    ``ARGBRIEF_DOT_TIMEOUT``, else 60. PDF creation dates are replaced by
    ``SOURCE_DATE_EPOCH`` (default 0) so that the same source gives the same
    bytes. With a ``cache``, output that was made before is returned without
    running ``dot`` — if it passes :func:`output_problem`; output that does not
    is never used, and a fresh run that gives such output is an error.
    """
    return run_dot_formats(source, (fmt,), timeout, dpi=dpi, cache=cache)[fmt]


def run_dot_formats(
    source: str,
    formats: Sequence[str],
    timeout: float | None = None,
    *,
    dpi: int | None = None,
    cache: DotCache | None = None,
    extra: Sequence[str] = (),
) -> dict[str, bytes]:
    """``source`` laid out once and written in each of ``formats`` (``dot -Tplain -o a -Tsvg -o b``): format -> bytes.

    One layout serves every format, so measuring a drawing (``plain``) can
    give its SVG too. Each output is checked, and cached on its own under the
    key a run of that format alone has (Graphviz writes the same bytes either
    way), so a later :func:`run_dot` of one format is a cache hit. When every
    format is cached, ``dot`` does not run. ``extra`` formats are written too
    when ``dot`` runs, but neither looked up nor cached (absent from the
    result when ``dot`` did not run): what is worth having only for free.
    """
    binary = dot_binary()
    options = [f"-Gdpi={dpi}"] if dpi is not None else []
    data = source.encode("utf-8")
    keys = {fmt: cache.key(binary, [f"-T{fmt}", *options], data) for fmt in formats} if cache is not None else {}
    found: dict[str, bytes] = {}
    for fmt, key in keys.items():
        hit = cache.get(key) if cache is not None else None
        if hit is not None and output_problem(hit, fmt) is None:
            found[fmt] = hit
    missing = [fmt for fmt in formats if fmt not in found]
    if not missing:
        return found
    what = "dot " + " ".join(f"-T{fmt}" for fmt in missing)  # errors name what was asked for
    missing += [fmt for fmt in extra if fmt not in missing]
    limits = DotLimits(timeout=timeout) if timeout is not None else (_limits or DotLimits(timeout=timeout_from_environment()))
    seconds, ran_out = limits.left()
    if seconds <= 0:
        raise ToolError(f"Graphviz '{what}' not started: {limits.deadline_text} has passed")
    outputs, stderr, code = _run(binary, missing, options, data, seconds, what, ran_out)
    if code != 0:
        message = stderr.decode("utf-8", "replace").strip()
        lines = [ln for ln in message.splitlines() if ln.strip()][:8]
        detail = "\n  ".join(lines) or f"exit status {code}"
        raise ToolError(f"Graphviz '{what}' failed:\n  {detail}")
    for fmt, out in zip(missing, outputs):
        problem = output_problem(out, fmt)
        if problem is not None:
            kind = "a layout argbrief can read" if fmt == "plain" else fmt.upper()
            raise ToolError(f"Graphviz 'dot -T{fmt}' exited normally but its output is not {kind}: {problem}")
        found[fmt] = _fixed_pdf_dates(out) if fmt == "pdf" else out
        if cache is not None and fmt in keys:
            cache.put(keys[fmt], found[fmt])
    return found


def cached_output(source: str, fmt: str, cache: DotCache | None) -> bytes | None:
    """What ``dot -T<fmt>`` of ``source`` gave before, from ``cache``, if it is there and passes :func:`output_problem`."""
    if cache is None:
        return None
    hit = cache.get(cache.key(dot_binary(), [f"-T{fmt}"], source.encode("utf-8")))
    return hit if hit is not None and output_problem(hit, fmt) is None else None


def _run(
    binary: str, formats: Sequence[str], extra: list[str], data: bytes, seconds: float, what: str, ran_out: str
) -> tuple[list[bytes], bytes, int]:
    """``dot`` with ``data`` on its input, killed after ``seconds`` (and whenever this process is stopped).

    The first format is read from standard output; any others are written to
    files in a private temporary folder and read back (``-T<fmt> -o <file>``
    each, given before the first format's ``-T``: ``-o`` names the output of
    the ``-T`` before it).
    """
    with ExitStack() as stack:
        files: list[str] = []
        if len(formats) > 1:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="argbrief-dot-"))
            _scratch.add(folder)
            stack.callback(_scratch.discard, folder)
            files = [os.path.join(folder, f"out{i}.{fmt}") for i, fmt in enumerate(formats[1:])]
        args = [*extra, *(a for fmt, path in zip(formats[1:], files) for a in (f"-T{fmt}", "-o", path)), f"-T{formats[0]}"]
        try:
            stdout, stderr, code = run_tool([binary, *args], data, seconds)
        except OSError as exc:
            raise ToolError(f"cannot run Graphviz 'dot': {exc}; {INSTALL_HINT}") from exc
        except subprocess.TimeoutExpired:
            raise ToolError(
                f"Graphviz '{what}' {ran_out}; the map may be too large to draw in one piece (try --split always)"
            ) from None
        if code != 0:
            return [stdout], stderr, code
        outputs = [stdout]
        for path in files:
            try:
                with open(path, "rb") as f:
                    outputs.append(f.read())
            except OSError:
                outputs.append(b"")  # no file: output_problem says what is wrong with it
        return outputs, stderr, code


_PDF_DATE = re.compile(rb"(/(?:CreationDate|ModDate) \(D:)(\d{14})")


def _fixed_pdf_dates(data: bytes) -> bytes:
    # cairo stamps the wall-clock time; the replacement has the same length, so
    # the cross-reference offsets stay valid.
    from ..clock import source_date_epoch

    stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(source_date_epoch() or 0)).encode()
    return _PDF_DATE.sub(lambda m: m.group(1) + stamp, data)


# --- what dot's output may be -----------------------------------------------------------

_PNG = b"\x89PNG\r\n\x1a\n"
#: The SVG elements Graphviz writes for argbrief's drawings, and harmless relatives; nothing that runs or fetches.
_SVG_ELEMENTS = frozenset(
    {"svg", "g", "title", "desc", "polygon", "polyline", "path", "ellipse", "circle", "rect", "line", "text", "tspan",
     "defs", "linearGradient", "radialGradient", "stop", "clipPath"}
)
_SVG_NS = "http://www.w3.org/2000/svg"


def output_problem(data: bytes, fmt: str) -> str | None:
    """Why ``data`` is not usable output of ``dot -T<fmt>`` (None when it is).

    SVG must parse, use only drawing elements (no ``script``,
    ``foreignObject``, ``image``, ``use``, links or styles), carry no event
    handler or external reference, and declare no entities; PNG must be whole
    (signature, chunks, ``IEND``); ``plain`` must start with a ``graph`` line
    whose size reads; PDF must start like one.
    """
    if fmt == "svg":
        return _svg_problem(data)
    if fmt == "png":
        return _png_problem(data)
    if fmt == "plain":
        try:
            _plain_size(data)
        except ValueError as exc:
            return str(exc)
        return None
    if fmt == "pdf":
        return None if data.startswith(b"%PDF-") else "no PDF header"
    return None if data else "empty"


def _svg_problem(data: bytes) -> str | None:
    from lxml import etree

    if b"<!ENTITY" in data:
        return "it declares XML entities"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return f"it does not parse ({exc})"
    if etree.QName(root).localname != "svg":
        return "its root element is not <svg>"
    for node in root.getroottree().getroot().itersiblings(preceding=True):
        if isinstance(node, etree._ProcessingInstruction):
            return f"it has a processing instruction <?{node.target} ...?>"
    for el in root.iter():
        if isinstance(el, etree._ProcessingInstruction):
            return f"it has a processing instruction <?{el.target} ...?>"
        if not isinstance(el.tag, str):
            continue  # a comment
        qname = etree.QName(el)
        if qname.namespace != _SVG_NS or qname.localname not in _SVG_ELEMENTS:
            return f"it has a <{qname.localname}> element"
        for name, value in el.attrib.items():
            local = etree.QName(name).localname.lower()
            lowered = value.lower()
            if local.startswith("on") or local in ("href", "src", "style") or "javascript:" in lowered:
                return f"it has a '{local}' attribute"
            if "url(" in lowered and not re.fullmatch(r"url\(#[\w.-]+\)", value.strip()):
                return "it refers to an external url()"
    return None


def _png_problem(data: bytes) -> str | None:
    if not data.startswith(_PNG):
        return "no PNG signature"
    at, first, last = len(_PNG), None, None
    while at + 12 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        first = first or kind
        last = kind
        at += 12 + length
        if kind == b"IEND":
            break
    if first != b"IHDR" or last != b"IEND" or at != len(data):
        return "its chunks are not a whole PNG"
    return None


_MEASURED: OrderedDict[bytes, tuple[float, float]] = OrderedDict()
_MEASURED_MAX = 512
_MEASURED_LOCK = threading.Lock()


def measure(source: str, timeout: float | None = None, *, cache: DotCache | None = None) -> tuple[float, float]:
    """Width and height in points of the laid-out drawing of ``source`` (runs ``dot -Tplain``).

    Sizes are remembered for the life of the process (by a hash of the
    source), so drawing a map as SVG and then as PNG lays it out to measure once.
    """
    return _measure(source, timeout, cache)[0]


def measure_drawing(
    source: str, timeout: float | None = None, *, cache: DotCache | None = None
) -> tuple[tuple[float, float], bytes | None]:
    """The size of the laid-out drawing of ``source`` (as :func:`measure`), and its SVG at full size from the same layout.

    The SVG is None when the size was known without laying the graph out
    (remembered, or a cache hit): a caller that needs it then looks for its
    final drawing in the cache (:func:`draw_scaled`). The SVG is not cached
    itself: most measured drawings are candidates that are never drawn.
    """
    return _measure(source, timeout, cache, ("svg",))


def _measure(
    source: str, timeout: float | None, cache: DotCache | None, extra: tuple[str, ...] = ()
) -> tuple[tuple[float, float], bytes | None]:
    key = hashlib.sha256(source.encode("utf-8")).digest()
    with _MEASURED_LOCK:  # builds may draw maps from several threads
        if key in _MEASURED:
            _MEASURED.move_to_end(key)
            return _MEASURED[key], None
    out = run_dot_formats(source, ("plain",), timeout, cache=cache, extra=extra)
    size, svg = plain_size(out["plain"]), out.get("svg")
    with _MEASURED_LOCK:
        _MEASURED[key] = size
        if len(_MEASURED) > _MEASURED_MAX:
            _MEASURED.popitem(last=False)
    return size, svg


def draw_scaled(source: str, size: str, full_svg: bytes | None, *, cache: DotCache | None = None) -> bytes:
    """The SVG of ``source``, a measured graph with ``size=<size>`` added: from the cache, else from ``full_svg``.

    ``full_svg`` is the measured graph's SVG from :func:`measure_drawing`;
    :func:`scaled_svg` scales it as ``dot`` would, and the result is cached
    under ``source``'s key, so the next build finds it. Only when neither
    is there (or the SVG is not as expected) does ``dot`` lay ``source`` out.
    """
    hit = cached_output(source, "svg", cache)
    if hit is not None:
        return hit
    svg = scaled_svg(full_svg, size) if full_svg is not None else None
    if svg is None:
        return run_dot(source, "svg", cache=cache)
    if cache is not None:
        cache.put(cache.key(dot_binary(), ["-Tsvg"], source.encode("utf-8")), svg)
    return svg


#: The largest drawing ``dot -Tplain`` may report, in inches (Graphviz's own cap is far below).
_MAX_INCHES = 1_000_000.0


def plain_size(data: bytes) -> tuple[float, float]:
    """Width and height in points from ``dot -Tplain`` output; :class:`ToolError` when it does not read."""
    try:
        return _plain_size(data)
    except ValueError as exc:
        raise ToolError(f"Graphviz 'dot -Tplain' gave a layout argbrief cannot read: {exc}") from None


def _plain_size(data: bytes) -> tuple[float, float]:
    """The first line is ``graph <scale> <width> <height>`` (sizes in inches); ValueError saying why not."""
    first = data[:200].split(b"\n", 1)[0]
    shown = first[:60].decode("utf-8", "replace")
    line = first.split()
    if len(line) != 4 or line[0] != b"graph":
        raise ValueError(f"its first line is not 'graph <scale> <width> <height>' ({shown!r})")
    try:
        scale, width, height = (float(x) for x in line[1:])
    except ValueError:
        raise ValueError(f"its first line has a number that does not read ({shown!r})") from None
    if not all(math.isfinite(v) and 0 <= v <= _MAX_INCHES for v in (scale, width, height)):
        raise ValueError(f"its first line has a size out of range ({shown!r})")
    return width * 72, height * 72


_SVG_HEAD = re.compile(rb'<svg width="(\d+)pt" height="(\d+)pt"\n viewBox="0\.00 0\.00 (\d+\.\d\d) (\d+\.\d\d)"')
_SVG_UNSCALED = re.compile(rb'(<g id="graph0" class="graph" transform="scale\()1 1(\) )')


def scaled_svg(svg: bytes, size: str) -> bytes | None:
    """The SVG ``dot`` writes for a graph with ``size=<size>``, made from its SVG without ``size`` (None if unsure).

    ``size`` does not change a layout: Graphviz lays the graph out, then
    scales the whole drawing by Z = min(size / drawing), with ``size`` rounded
    to whole points, when the drawing is larger; only the ``<svg>`` element's
    width, height and viewBox and the top group's ``scale()`` change. Writing
    those as Graphviz does gives the same bytes as a second ``dot`` run
    (tests/test_render_layout.py compares them), without laying the graph out
    again. None when ``svg`` does not start as expected (another Graphviz):
    then the caller runs ``dot``.
    """
    try:
        width_in, height_in = (float(v) for v in size.split(","))
    except ValueError:
        return None
    head = _SVG_HEAD.search(svg, 0, 2000)
    if head is None or not _SVG_UNSCALED.search(svg, head.end(), head.end() + 400):
        return None
    w0, h0 = float(head.group(3)), float(head.group(4))
    # Graphviz keeps sizes in whole points (its POINTS macro rounds) and ROUNDs the scaled canvas.
    box_w, box_h = math.floor(width_in * 72 + 0.5), math.floor(height_in * 72 + 0.5)
    if not (box_w < w0 or box_h < h0) or w0 <= 0 or h0 <= 0:
        return svg
    z = min(box_w / w0, box_h / h0)
    new_head = b'<svg width="%dpt" height="%dpt"\n viewBox="0.00 0.00 %.2f %.2f"' % (
        math.floor(w0 * z + 0.5), math.floor(h0 * z + 0.5), w0 * z, h0 * z
    )
    scale = f"{z:.2f}".rstrip("0").rstrip(".").encode()  # as gvprintdouble writes it
    out = svg[: head.start()] + new_head + svg[head.end() :]
    return _SVG_UNSCALED.sub(lambda m: m.group(1) + scale + b" " + scale + m.group(2), out, count=1)


_SVG_SIZE = re.compile(rb'<svg width="([\d.]+)pt" height="([\d.]+)pt"')
_PDF_BOX = re.compile(rb"/MediaBox \[\s*([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)\s*\]")


def drawing_size(data: bytes, fmt: str, dpi: int) -> tuple[float, float]:
    """The size of a rendered drawing in points, read from its bytes (0, 0 when unknown)."""
    if fmt == "svg":
        m = _SVG_SIZE.search(data[:2000])
        if m:
            return float(m.group(1)), float(m.group(2))
    elif fmt == "png" and data[:8] == b"\x89PNG\r\n\x1a\n":
        width, height = struct.unpack(">II", data[16:24])
        return width * 72 / dpi, height * 72 / dpi
    elif fmt == "pdf":
        m = _PDF_BOX.search(data)
        if m:
            x0, y0, x1, y1 = (float(g) for g in m.groups())
            return x1 - x0, y1 - y0
    return 0.0, 0.0
