"""Map view -> DOT (built with pydot) -> Graphviz ``dot`` -> SVG, PNG or PDF bytes.

Arrows are declared from what is argued about to its ground (parent -> child)
with ``dir=back``, so that ``dot`` ranks the thesis first and draws the
arrowhead at the parent: every arrow in the drawing points from a reason to
the claim it bears on. "Follows" arrows (ground -> recommendation) are the
exception: they point down, at the recommendation.

``dot`` is run directly with :func:`subprocess.run` (pydot's ``create()``
prints and asserts on failure); its errors become :class:`ToolError`.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import struct
import subprocess
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping

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
) -> str:
    """The DOT source of ``view`` drawn with ``theme``.

    ``graph_attrs`` add or override graph attributes; ``legend_rows`` sets how
    many rows the legend's columns have (default: flat beside a top-down map's
    first box, tall beside a left-to-right one's).
    """
    graph = pydot.Dot(GRAPH_NAME, graph_type="digraph", strict=False)
    for key, value in {**_graph_defaults(view, theme, options), **(graph_attrs or {})}.items():
        graph.set(key, value)
    graph.set_node_defaults(shape="box", fontname=theme.font, fontsize=f"{BODY_PT:g}", fontcolor=theme.text, margin="0.12,0.07")
    graph.set_edge_defaults(arrowsize="0.8", fontname=theme.font)

    # The legend is a node of its own, declared first: dot puts it at the start
    # of the first rank, in the empty corner beside the thesis.
    legend = legend_label(view, theme, rows=legend_rows or (8 if options.direction == "LR" else LEGEND_ROWS))
    if legend != '""':
        graph.add_node(pydot.Node(LEGEND_ID, shape="plain", label=Markup(legend)))

    styles = _Styles(theme)
    by_id = {n.id: n for n in view.nodes}
    clustered = {nid: c for c in view.clusters for nid in c.node_ids}
    for node in view.nodes:
        cluster = clustered.get(node.id)
        if cluster is None:
            graph.add_node(styles.dot_node(node, options.wrap))
        elif node.id == cluster.node_ids[0]:
            # Declared where its first member would be, to keep the authored order.
            graph.add_subgraph(_dot_cluster(cluster, [styles.dot_node(by_id[m], options.wrap) for m in cluster.node_ids], theme))
    if view.last_rank:
        bottom = pydot.Subgraph(rank="sink")
        for nid in view.last_rank:
            bottom.add_node(pydot.Node(nid))
        graph.add_subgraph(bottom)
    removed = {n.id for n in view.nodes if n.change == "removed"}
    for edge in view.edges:
        style = styles.edge
        if edge.source in removed or edge.target in removed:
            style = styles.ghost_edge  # an arrow to or from a removed box is ghosted with it
        for dot_edge in _dot_edges(edge, style):
            graph.add_edge(dot_edge)
    return graph.to_string()


def _graph_defaults(view: MapView, theme: Theme, options: RenderOptions) -> dict[str, object]:
    return {
        "rankdir": options.direction,
        "compound": "true",  # arrows from a linked group's frame
        "newrank": "true",  # rank=same inside clusters
        "nodesep": "0.25",
        "ranksep": "0.45",
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
        "label": Markup(header_label(view, theme, options.wrap)),
    }


class _Styles:
    """The attributes shared by every box of a kind and every arrow of a relation, made once per drawing."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme
        self._nodes: dict[str, dict[str, Markup]] = {}
        self._edges: dict[tuple[str, bool], dict[str, Markup]] = {}

    def dot_node(self, node: ViewNode, wrap: int) -> pydot.Node:
        key = f"{node.kind}:{node.change}"
        if key not in self._nodes:
            self._nodes[key] = _node_style(self.theme, node.kind, node.change)
        return pydot.Node(node.id, **self._nodes[key], label=Markup(node_label(node, self.theme, wrap)))

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


def _dot_edges(edge: ViewEdge, style: Callable[..., dict[str, Markup]]) -> list[pydot.Edge]:
    """The DOT edge(s) of one arrow: two, through its junction, when an undercut attacks it."""
    extra: dict[str, str] = {}
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


def run_dot(source: str, fmt: str, timeout: float = 60, *, dpi: int | None = None, cache: DotCache | None = None) -> bytes:
    """Lay out and render DOT ``source`` with ``dot -T<fmt>``; raises :class:`ToolError` on failure.

    PDF creation dates are replaced by ``SOURCE_DATE_EPOCH`` (default 0) so
    that the same source gives the same bytes. With a ``cache``, output that
    was made before is returned without running ``dot``.
    """
    binary = dot_binary()
    args = [f"-T{fmt}"] + ([f"-Gdpi={dpi}"] if dpi is not None else [])
    data = source.encode("utf-8")
    key = cache.key(binary, args, data) if cache is not None else ""
    if cache is not None:
        hit = cache.get(key)
        if hit is not None:
            return hit
    try:
        proc = subprocess.run([binary, *args], input=data, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise ToolError(
            f"Graphviz 'dot' took longer than {timeout:g} s; the map may be too large to draw in one piece "
            "(try --split always)"
        ) from None
    except OSError as exc:
        raise ToolError(f"cannot run Graphviz 'dot': {exc}; {INSTALL_HINT}") from exc
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip()
        lines = [ln for ln in message.splitlines() if ln.strip()][:8]
        detail = "\n  ".join(lines) or f"exit status {proc.returncode}"
        raise ToolError(f"Graphviz 'dot -T{fmt}' failed:\n  {detail}")
    out = _fixed_pdf_dates(proc.stdout) if fmt == "pdf" else proc.stdout
    if cache is not None:
        cache.put(key, out)
    return out


_PDF_DATE = re.compile(rb"(/(?:CreationDate|ModDate) \(D:)(\d{14})")


def _fixed_pdf_dates(data: bytes) -> bytes:
    # cairo stamps the wall-clock time; the replacement has the same length, so
    # the cross-reference offsets stay valid.
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(epoch)).encode()
    return _PDF_DATE.sub(lambda m: m.group(1) + stamp, data)


_MEASURED: OrderedDict[bytes, tuple[float, float]] = OrderedDict()
_MEASURED_MAX = 512
_MEASURED_LOCK = threading.Lock()


def measure(source: str, timeout: float = 60, *, cache: DotCache | None = None) -> tuple[float, float]:
    """Width and height in points of the laid-out drawing of ``source`` (runs ``dot -Tplain``).

    Sizes are remembered for the life of the process (by a hash of the
    source), so drawing a map as SVG and then as PNG lays it out to measure once.
    """
    key = hashlib.sha256(source.encode("utf-8")).digest()
    with _MEASURED_LOCK:  # builds may draw maps from several threads
        if key in _MEASURED:
            _MEASURED.move_to_end(key)
            return _MEASURED[key]
    first = run_dot(source, "plain", timeout, cache=cache).split(b"\n", 1)[0].split()
    # "graph <scale> <width> <height>", sizes in inches
    size = float(first[2]) * 72, float(first[3]) * 72
    with _MEASURED_LOCK:
        _MEASURED[key] = size
        if len(_MEASURED) > _MEASURED_MAX:
            _MEASURED.popitem(last=False)
    return size


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
