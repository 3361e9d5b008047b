"""The map view: what a diagram shows, as plain frozen data, between the model and Graphviz.

A view knows nothing about DOT syntax, colours or fonts; it says which boxes
exist (with the text they carry), which arrows join them and what each arrow
means, and which boxes belong together (linked premises). ``graphviz.py`` turns
a view into DOT with a :class:`~argbrief.render.theme.Theme`; other diagram
builders (the comparison diagram) can build their own views from these classes
and reuse that path.

Ids in a view (``ViewNode.id``) are generated ("n0", "n1" ... in walk order),
never user text, so they are safe to use as DOT ids.
"""

from __future__ import annotations

from collections.abc import Mapping

from attrs import frozen

#: Kinds of boxes, in legend order. "junction" (the point an undercut attacks)
#: and "stub" (a reference to a box drawn in another diagram) are drawn but not
#: explained in the legend as kinds.
NODE_KINDS: tuple[str, ...] = (
    "thesis",
    "premise",
    "assumption",
    "evidence",
    "objection",
    "rebuttal",
    "recommendation",
)
EXTRA_KINDS: tuple[str, ...] = ("junction", "stub")

#: Marks of a change diagram (``render --changes-since``), in legend order.
CHANGE_MARKS: tuple[str, ...] = ("added", "changed", "removed")

#: Relations, in legend order. An edge goes from ``source`` (the reason, the
#: objection, the ground) to ``target`` (what it bears on).
RELATIONS: tuple[str, ...] = (
    "supports",
    "attack",
    "undercut",
    "also_supports",
    "also_attacks",
    "follows",
)


@frozen(kw_only=True)
class ChangeMarks:
    """What a change diagram marks (``render --changes-since``).

    ``marks`` maps a node's index in ``ArgumentMap.walk()`` to ``added``,
    ``changed`` or ``removed`` (:func:`argbrief.diff.overlay.overlay` makes
    them); ``since`` names the earlier version in the caption.
    """

    marks: Mapping[int, str]
    since: str = ""


@frozen(kw_only=True)
class ViewNode:
    """One box.

    ``tag`` is the small kind line ("PREMISE P1"); ``title`` is shown in bold,
    ``body`` below it (in italics when ``quoted``), ``citation`` under a quote,
    ``more`` is a note on what a split overview hides below this box. ``ref``
    is the map node id ("" for synthetic boxes); ``branch`` the id of the
    top-level branch it belongs to ("" for the thesis and recommendations);
    ``depth`` its depth in the tree (thesis 0). A box that stacks several
    items (all the evidence of one claim, drawn as one card with one arrow)
    has them in ``entries`` and no text of its own. A ``summary`` box (the top
    of a branch in a split map's overview) shows its title and not its text,
    which its branch diagram shows.
    """

    id: str
    kind: str
    ref: str = ""
    tag: str = ""
    title: str = ""
    body: str = ""
    quoted: bool = False
    citation: str = ""
    more: str = ""
    branch: str = ""
    depth: int = 0
    entries: tuple[ViewNode, ...] = ()
    summary: bool = False  # drawn here by its title only; in full in another diagram
    parent: str = ""  # the view id of the box this one bears on in the tree ("" for the thesis, recommendations)
    refer: str = ""  # the name of the drawing this box continues in (a summary) or comes from (a stub)
    notes: tuple[str, ...] = ()  # fixed-word lines under the text: "follows from P1, P3", "also supports P4"
    links: tuple[tuple[str, str], ...] = ()  # cross-links to boxes drawn elsewhere: (words, that drawing's name)
    blank: bool = False  # a worksheet box: its text is left out, ruled lines are drawn to write on
    number: int = 0  # a worksheet box's number in the claim list (0: not numbered)
    #: Since an earlier version (``render --changes-since``): "added", "changed", "removed" or "".
    change: str = ""


@frozen(kw_only=True)
class ViewEdge:
    """One arrow, from ``source`` (the ground) to ``target`` (what it bears on).

    ``source_cluster`` names the cluster the arrow leaves from (one arrow for a
    linked-premise group); ``junction`` names a point node drawn on this arrow
    that undercuts attack; ``constraint`` False keeps the arrow out of the
    ranking (cross-links); ``rank_only`` edges are invisible and only keep the
    members of a group on one level.
    """

    source: str
    target: str
    relation: str
    source_cluster: str = ""
    junction: str = ""
    constraint: bool = True
    rank_only: bool = False
    minlen: int = 1  # ranks between the ends: 2 staggers a long row of siblings into two


@frozen(kw_only=True)
class ViewCluster:
    """Boxes drawn inside one frame: the members of a linked-premise group."""

    id: str
    kind: str
    node_ids: tuple[str, ...]
    tag: str = ""


@frozen(kw_only=True)
class MapView:
    """Everything one diagram shows.

    ``name`` is the diagram's file stem; ``title``, ``subtitle``, ``part`` and
    ``caption`` head the drawing; ``kinds`` and ``relations`` are those present (legend order), from
    which the legend is drawn.
    """

    name: str
    title: str
    caption: str = ""
    nodes: tuple[ViewNode, ...] = ()
    edges: tuple[ViewEdge, ...] = ()
    clusters: tuple[ViewCluster, ...] = ()
    subtitle: str = ""
    # Which part of a split map this is: ``part`` is drawn in the header (no user
    # text, which the boxes already show), ``part_title`` names it in lists and
    # captions ("branch P1: Putin believes time is on his side"); both "" when whole.
    part: str = ""
    part_title: str = ""
    last_rank: tuple[str, ...] = ()  # boxes drawn together below everything else, in a band of their own
    band: str = ""  # the band's heading ("RECOMMENDATIONS")
    first_rank: tuple[str, ...] = ()  # boxes drawn beside the top box (a reference to the band drawn elsewhere)
    band_row: int = 4  # boxes in a row of the band; more go on further rows
    back: str = ""  # the name of the drawing this part continues (its header refers to it)

    @property
    def kinds(self) -> tuple[str, ...]:
        present = {n.kind for n in self.nodes}
        return tuple(k for k in NODE_KINDS if k in present)

    @property
    def relations(self) -> tuple[str, ...]:
        present = {e.relation for e in self.edges if not e.rank_only}
        return tuple(r for r in RELATIONS if r in present)

    @property
    def changes(self) -> tuple[str, ...]:
        """The change marks present (legend order): a change diagram's legend explains them."""
        present = {e.change for n in self.nodes for e in (n, *n.entries)}
        return tuple(c for c in CHANGE_MARKS if c in present)

    @property
    def has_groups(self) -> bool:
        return any(c.kind == "group" for c in self.clusters)

    @property
    def node_refs(self) -> tuple[str, ...]:
        """Ids of the map nodes drawn in full (stubs, junctions and summaries excluded)."""
        refs: list[str] = []
        for n in self.nodes:
            if n.kind in NODE_KINDS and not n.summary:
                refs.extend(e.ref for e in (n.entries or (n,)) if e.ref)
        return tuple(refs)
