"""Split a map into drawings that each fit a box with every text at least ``min_font`` points.

:func:`plan_drawings` is the one rule for every caller (``argbrief render``, the
packs): the whole map if it is legible on the sheet (or in the caller's box);
otherwise an overview and one drawing per branch, each branch cut again —
recursively — while it is not legible. A drawing is never shrunk below the
floor to make it fit, unless nothing is left to cut (one box too large for the
sheet, or a claim with too many leaves); :attr:`Drawing.legible` says so and the
``render`` command warns.

Drawings are numbered breadth first — the overview, then every branch it cuts
off, then the branches those cut, and so on — so the number of every drawing a
box refers to is known when that box is laid out and measured: references
("continued on p. 3", "back to overview, p. 1") are part of what is measured.
The words are the caller's (:class:`RefStyle`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import attrs
from attrs import frozen

from ..model import ArgumentMap
from .cache import DotCache
from .graphviz import draw_scaled, measure_drawing, view_to_dot
from .labels import NO_BREAK_SPACES, SEE, escape
from .mapview import BAND, Tree, Unit, band_size, map_view, owners, part_name, part_view, stagger, tree, unit_name
from .options import RenderOptions
from .page import MIN_READABLE_PT, PageFit, fit, graph_attrs, smallest_text_pt
from .theme import get_theme
from .view import ChangeMarks, MapView


@frozen(kw_only=True)
class RefStyle:
    """The words a drawing uses for another: Python format strings.

    ``onward`` is what a summary box says about the drawing it continues in;
    ``see`` what a stub (or a cross-link line) says about the drawing that
    shows a box in full; ``back`` what a branch says about the drawing it
    continues (its header, and the stub of the box it bears on). Fields: ``{number}`` (the drawing's number, counted from
    ``first_number``), ``{name}`` (its name, the file stem) and ``{part}``
    ("overview", "branch P1"). ``texts`` gives the exact words for named
    drawings, where a caller knows better ("Figure 7, p. 12").
    """

    onward: str = "see diagram {name}"
    back: str = "see diagram {name}"
    see: str = "see diagram {name}"
    first_number: int = 1
    texts: Mapping[str, str] = {}

    def words(self, template: str, name: str, number: int, part: str) -> str:
        if name in self.texts:
            return self.texts[name]
        return template.format(name=name, number=number + self.first_number - 1, part=part)


#: How ``render`` refers between the pages of one PDF.
PAGE_REFS = RefStyle(onward="continued on p. {number}", back="back to {part}, p. {number}", see="on p. {number}")


@frozen(kw_only=True)
class Drawing:
    """One drawing of a planned map: its view, final DOT, where it goes and how small its text prints.

    ``number`` counts from 1 in reading order (breadth first); ``parent`` is
    the name of the drawing this one continues ("" for the first);
    ``fit`` is None when no page or box was asked for. ``svg`` is the
    drawing of ``source`` as SVG, made from the layout that measured it, when
    the plan is for SVG on a page or in a box (else empty: draw ``source``).
    """

    view: MapView
    source: str
    number: int
    parent: str = ""
    fit: PageFit | None = None
    svg: bytes = attrs.field(default=b"", repr=False)
    #: What references call this drawing ("overview", "branch P1"): the ``{part}`` of :class:`RefStyle`.
    label: str = ""
    # What :func:`relabel` needs to draw the same layout with other words: the variant laid out
    # (maybe staggered), its options, its legend rows and its size attributes.
    laid_view: MapView | None = None
    laid_options: RenderOptions | None = None
    legend_rows: int | None = None
    size_attrs: Mapping[str, str] = {}

    @property
    def name(self) -> str:
        return self.view.name

    @property
    def smallest_pt(self) -> float:
        """The smallest text of the drawing as printed (at full size when there is no page)."""
        return self.fit.printed_pt if self.fit is not None else smallest_text_pt(self.source)


#: How much larger than the area of its bounding box allows a variant may print (see :meth:`_Planner.hopeless`).
VARIANT_REACH = 1.1


@frozen
class _Part:
    root: Unit
    back: str  # the name of the drawing this part continues ("" for the overview)
    name: str
    only: tuple[Unit, ...] | None = None  # the root's children drawn here (None: all)
    continued: bool = False  # the root is drawn in full in the part before: here it is a stub


@frozen
class _Laid:
    view: MapView  # the variant measured (staggered, maybe)
    legend_rows: int | None
    fit: PageFit | None
    measured: str  # the DOT that was measured (without size attributes)
    options: RenderOptions  # as asked, or with narrower boxes


class _Planner:
    """The state of one plan: the drawings decided so far, their numbers, who owns which box."""

    def __init__(self, amap: ArgumentMap, options: RenderOptions, *, name: str | None, box_pt: tuple[float, float] | None,
                 min_font: float, refs: RefStyle, cache: DotCache | None, view: MapView | None = None,
                 repeat_header: bool = True) -> None:
        self.options, self.box_pt, self.min_font, self.refs = options, box_pt, min_font, refs
        self.repeat_header = repeat_header
        self.cache = cache
        # The SVG of each layout this plan made, by the source measured: the one chosen is not laid out again.
        self.svgs: dict[str, bytes] = {}
        self.theme = get_theme(options.theme)
        self.whole = view if view is not None else map_view(amap, name)
        self.tree: Tree = tree(self.whole)
        self.order: list[str] = [self.whole.name]  # drawing names in number order
        self.labels: dict[str, str] = {self.whole.name: "overview"}
        self.owner: dict[str, str] = dict.fromkeys((n.id for n in self.whole.nodes), self.whole.name)
        self.fitting = options.page != "none" or box_pt is not None
        self.depth = {n.id: n.depth for n in self.whole.nodes}

    # -- words and measuring ----------------------------------------------------------

    def ref_texts(self, view: MapView, extra: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
        """Name -> words, for every drawing ``view`` may refer to."""
        labels = {**self.labels, **dict(extra)}
        order = [*self.order, *(n for n in labels if n not in self.order)]
        return _ref_texts(self.refs, order, labels, view.back)

    def lay(self, view: MapView, texts: Mapping[str, str], legend_rows: int | None = None, wrap: int = 0) -> _Laid:
        options = attrs.evolve(self.options, wrap=wrap) if wrap else self.options
        source = view_to_dot(view, self.theme, options, legend_rows=legend_rows, refs=texts)
        if not self.fitting:
            return _Laid(view, legend_rows, None, source, options)
        (width, height), svg = measure_drawing(source, cache=self.cache)
        if svg is not None:
            self.svgs[source] = svg
        placed = fit(width, height, self.options.page if self.options.page != "none" else "A4",
                     smallest_pt=smallest_text_pt(source), box_pt=self.box_pt)
        return _Laid(view, legend_rows, placed, source, options)

    def hopeless(self, laid: _Laid) -> bool:
        """Whether no variant can make ``laid`` legible: even filling the box with the area it has, it would print too small.

        Staggering and narrower boxes rearrange a drawing into another shape; a
        variant that prints legibly has always come from a drawing whose area,
        fitted to the box with no corner left empty, already prints at the floor:
        on the demo maps at least 1.028 times it, where every variant tried from
        a drawing under 0.91 times it failed. :data:`VARIANT_REACH` (1.1) keeps a
        tenth to spare; the plans of the demo maps, the test projects' maps and
        generated maps of 15 to 80 boxes (47 maps, in a pack's box and on A4; the
        demo and test maps on Letter too) are the same as with the earlier 1.45,
        with 7-17 % fewer ``dot`` runs. Only used while deciding a split.
        """
        if laid.fit is None:
            return False
        (bw, bh), (dw, dh) = laid.fit.box_pt, laid.fit.drawing_pt
        best_scale = min(1.0, (bw * bh / (dw * dh)) ** 0.5 * VARIANT_REACH)
        return best_scale * laid.fit.smallest_pt < self.min_font

    def legible(self, laid: _Laid) -> bool:
        return laid.fit is None or laid.fit.legible(self.min_font)

    def best(self, view: MapView, texts: Mapping[str, str], depth: int, *, thorough: bool) -> _Laid:
        """``view`` laid out, or a variant of it that prints larger.

        The variants, from the least change to the most: the top box's children
        staggered over two, three or four rows; the recommendations' band in
        shorter rows; boxes a quarter narrower; and (``thorough``) the legend
        flatter or taller. The first legible one wins, else the one that prints
        largest (the first on a tie). While deciding a split (not ``thorough``)
        fewer are tried, and none for a drawing that is :meth:`hopeless`.
        """
        first = self.lay(view, texts)
        if self.legible(first) or (not thorough and self.hopeless(first)):
            return first
        tries = [first]
        # Deciding a split measures many candidates: there only the variants that most often
        # decide it (two and three rows); the finished drawing tries them all.
        variants = dict.fromkeys(stagger(view, depth=depth, rows=rows) for rows in ((2, 3, 4) if thorough else (2, 3)))
        if len(view.last_rank) > 1:
            variants.update(dict.fromkeys(
                attrs.evolve(v, band_row=n) for v in list(variants) for n in (3, 2, 1) if n < len(view.last_rank)
            ))
        for variant in variants:
            if variant == view:
                continue
            tries.append(self.lay(variant, texts))
            if self.legible(tries[-1]):
                return tries[-1]
        # Narrower boxes (more, shorter lines of the same size): a wide row gets narrower.
        narrow = max(12, round(self.options.wrap * 0.75))
        for variant in variants if thorough else [max(tries, key=_scale).view]:
            tries.append(self.lay(variant, texts, wrap=narrow))
            if self.legible(tries[-1]):
                return tries[-1]
        if thorough:
            best = max(tries, key=_scale)
            for rows in (3, 8):
                tries.append(self.lay(best.view, texts, rows, wrap=best.options.wrap))
        return max(tries, key=_scale)

    # -- deciding the parts -----------------------------------------------------------

    def attempt(self, part: _Part, cuts: tuple[Unit, ...]) -> tuple[MapView, _Laid]:
        names = [(part_name(self.whole, self.tree, u), self.label(u)) for u in cuts]
        owner = owners(self.whole, self.tree, (u for u in cuts if u != BAND), base=self.owner)
        view = self.view_of(part, cuts, owner)
        return view, self.best(view, self.ref_texts(view, names), self.depth_under(part.root), thorough=False)

    def view_of(self, part: _Part, cuts: tuple[Unit, ...], owner: Mapping[str, str]) -> MapView:
        view = part_view(self.whole, self.tree, part.root, cuts, owner=owner, back=part.back,
                         only=part.only, continued=part.continued, name=part.name)
        if not self.repeat_header and part.name != self.whole.name:
            # Only the part line ("Branch P1 — see Figure 3"): the caller names the map beside the drawing.
            view = attrs.evolve(view, title="", subtitle="", caption="")
        return view

    def depth_under(self, root: Unit) -> int:
        """The depth of the boxes right under ``root``: where staggering a wide row helps."""
        return self.depth.get(root[0], 0) + 1

    def label(self, unit: Unit) -> str:
        """What a unit's drawing is called in references: "branch P1", "recommendations"."""
        return "recommendations" if unit == BAND else f"branch {unit_name(self.tree, unit)}"

    def size(self, unit: Unit) -> int:
        return band_size(self.whole) if unit == BAND else self.tree.below.get(unit, 0)

    def candidates(self, part: _Part) -> tuple[Unit, ...]:
        t = self.tree
        shown = t.children.get(part.root, ()) if part.only is None else part.only
        candidates = tuple(u for u in shown if t.below.get(u))
        if part.root == t.root and not part.continued and band_size(self.whole):
            candidates += (BAND,)
        return candidates

    def cuts_for(self, part: _Part) -> tuple[tuple[Unit, ...], bool]:
        """Which units under ``part.root`` get drawings of their own, and whether the part is then legible."""
        t = self.tree
        candidates = self.candidates(part)
        split = self.options.split
        if split == "never":
            return (), not self.fitting or self.legible(self.attempt(part, ())[1])
        if split == "always" and part.root == t.root and not self.fitting:
            return tuple(u for u in candidates if u != BAND), True
        if not self.fitting:
            return (), True
        whole = self.attempt(part, ())[1]
        if self.legible(whole) and not (split == "always" and part.root == t.root):
            return (), True
        if not candidates:
            return (), self.legible(whole)
        # Cut every candidate; then keep the smallest whole again, one by one, while the part stays legible.
        cuts = list(candidates)
        if not self.legible(self.attempt(part, tuple(cuts))[1]):
            return tuple(cuts), False
        if split == "always" and part.root == t.root:
            return tuple(cuts), True
        for unit in sorted(candidates, key=self.size):
            trial = tuple(c for c in cuts if c != unit)
            if not self.legible(self.attempt(part, trial)[1]):
                break
            cuts.remove(unit)
        return tuple(cuts), True

    def chunks(self, part: _Part) -> list[tuple[Unit, ...]]:
        """The root's children in as few runs, in order, as are each legible with everything below cut."""
        children = self.tree.children.get(part.root, ()) if part.only is None else part.only
        for k in range(2, len(children) + 1):
            size = -(-len(children) // k)  # ceiling division: k runs of (nearly) equal length
            runs = [children[i : i + size] for i in range(0, len(children), size)]
            trials = [attrs.evolve(part, only=run, continued=i > 0) for i, run in enumerate(runs)]
            if all(self.legible(self.attempt(p, self.candidates(p))[1]) for p in trials):
                return runs
        return [(u,) for u in children]

    def plan(self) -> tuple[Drawing, ...]:
        if not self.tree.root:
            return (self.finish(self.whole, 1, ""),)
        queue = [_Part(self.tree.root, "", self.whole.name)]
        decided: list[tuple[_Part, tuple[Unit, ...]]] = []
        for part in queue:  # grows as parts are cut: breadth first
            cuts, legible = self.cuts_for(part)
            children = self.tree.children.get(part.root, ()) if part.only is None else part.only
            if not legible and len(children) > 1 and self.options.split != "never":
                # Too many boxes side by side even with every branch cut off: the root's children
                # go on several drawings, the later ones under a stub of the root.
                runs = self.chunks(part)
                part = attrs.evolve(part, only=runs[0])
                for i, run in enumerate(runs[1:], start=2):
                    name = f"{part.name}-{i}"
                    self.order.append(name)
                    self.labels[name] = f"{self.labels[part.name]}, continued"
                    queue.append(_Part(part.root, part.name, name, only=run, continued=True))
                    for unit in run:
                        for below in self.tree.units_under(unit):
                            self.owner.update(dict.fromkeys(below, name))
                cuts, _ = self.cuts_for(part)
            decided.append((part, cuts))
            for unit in cuts:
                name = part_name(self.whole, self.tree, unit)
                self.order.append(name)
                self.labels[name] = self.label(unit)
                queue.append(_Part(unit, part.name, name))
            self.owner = owners(self.whole, self.tree, (u for u in cuts if u != BAND), base=self.owner)
        drawings = []
        for number, (part, cuts) in enumerate(decided, start=1):
            view = self.view_of(part, cuts, self.owner)
            drawings.append(self.finish(view, number, part.back, self.depth_under(part.root)))
        return tuple(drawings)

    def finish(self, view: MapView, number: int, back: str, depth: int = 1) -> Drawing:
        """The final DOT of a decided part (children of its top staggered at ``depth`` if that helps)."""
        texts = self.ref_texts(view)
        laid = self.best(view, texts, depth, thorough=True)
        size = {} if laid.fit is None else graph_attrs(laid.fit, self.options.fmt)
        source = laid.measured if laid.fit is None else view_to_dot(
            laid.view, self.theme, laid.options, size, legend_rows=laid.legend_rows, refs=texts
        )
        svg = b""
        if laid.fit is not None and self.options.fmt in ("svg", "png"):
            # The run that measured the drawing also drew it at full size; ``size`` only scales that
            # layout, so the SVG for the page is made from it instead of laid out again (a PNG is
            # that SVG's picture: argbrief.render.raster).
            svg = draw_scaled(source, size["size"], self.svgs.get(laid.measured), cache=self.cache)
        return Drawing(view=view, source=source, number=number, parent=back, fit=laid.fit, svg=svg,
                       label=self.labels.get(view.name, "overview"), laid_view=laid.view, laid_options=laid.options,
                       legend_rows=laid.legend_rows, size_attrs=size)


def _ref_texts(refs: RefStyle, order: list[str], labels: Mapping[str, str], back: str) -> dict[str, str]:
    """Name (and ``SEE`` + name) -> the words of ``refs`` for each drawing of ``order``, as a drawing continuing ``back`` uses them."""
    texts = {n: refs.words(refs.onward, n, i + 1, labels[n]) for i, n in enumerate(order)}
    texts.update({SEE + n: refs.words(refs.see, n, i + 1, labels[n]) for i, n in enumerate(order)})
    if back:
        words = refs.words(refs.back, back, order.index(back) + 1, labels[back])
        texts[back] = texts[SEE + back] = words
    return texts


def relabel(drawings: tuple[Drawing, ...], refs: RefStyle) -> tuple[str, ...]:
    """The final DOT of each of a plan's ``drawings`` with its references in the words of ``refs``.

    For a caller that learns the final words only after planning — a pack numbers
    its figures across all its maps, which are planned in parallel: it plans with
    words as long as the final ones (the widest figure numbers), then relabels.
    The layout variant, legend and size are those the plan chose; only the words
    change, so a drawing whose words are no longer than the planned ones stays as
    legible as planned.
    """
    order = [d.name for d in drawings]
    labels = {d.name: d.label for d in drawings}
    sources = []
    for d in drawings:
        if d.laid_view is None or d.laid_options is None:
            sources.append(d.source)
            continue
        texts = _ref_texts(refs, order, labels, d.parent)
        theme = get_theme(d.laid_options.theme)
        sources.append(view_to_dot(d.laid_view, theme, d.laid_options, dict(d.size_attrs),
                                   legend_rows=d.legend_rows, refs=texts))
    return tuple(sources)


def renumbered_svgs(drawings: tuple[Drawing, ...], planned: RefStyle, refs: RefStyle) -> tuple[bytes, ...] | None:
    """The SVG of each of a plan's ``drawings`` with the numbers of ``planned`` in its references changed to those of ``refs``.

    A pack plans with placeholder numbers and learns its figure numbers later
    (:func:`relabel`): instead of laying each drawing out again, its planned
    SVG — the layout that was measured — keeps every box and line, and only
    the numbers in its words change. That is exact when the two styles differ
    in ``first_number`` only and each template's number sits in a word the
    wrap never breaks and that says what it is ("Figure\u00a0{number}", with
    a no-break space): such a word in a box's text is always a reference,
    whole on one line — unless the author's own text says such a word
    ("Figure\u00a0101" pasted from a report): then nothing tells the two
    apart. None when that does not hold, or a drawing has no planned SVG:
    the caller draws :func:`relabel`'s sources instead. A shorter number
    leaves its box as wide as the placeholder made it.
    """
    if attrs.evolve(planned, first_number=refs.first_number) != refs or any(not d.svg for d in drawings):
        return None
    words = {_number_word(t) for t in (planned.onward, planned.back, planned.see)}
    if None in words:
        return None
    said = [re.compile(re.escape(a) + r"\d+" + re.escape(b)) for a, b in sorted(w for w in words if w is not None)]
    if any(p.search(text) for d in drawings for text in _strings(d.view) for p in said):
        return None
    shift = refs.first_number - planned.first_number
    first, last = planned.first_number, planned.first_number + len(drawings) - 1
    patterns = [re.compile(re.escape(escape(a)).encode() + rb"(\d+)" + re.escape(escape(b)).encode())
                for a, b in sorted(w for w in words if w is not None)]

    def new_number(match: re.Match[bytes]) -> bytes:
        number = int(match.group(1))
        if not first <= number <= last:
            return match.group(0)  # not one of this plan's numbers: someone's words
        start, end = match.start(1) - match.start(), match.end(1) - match.start()
        return match.group(0)[:start] + b"%d" % (number + shift) + match.group(0)[end:]

    out = []
    for d in drawings:
        svg = d.svg
        for pattern in patterns:
            svg = pattern.sub(new_number, svg)
        out.append(svg)
    return tuple(out)


def _strings(value: object) -> Iterable[str]:
    """Every text in ``value``: a view and the attrs classes, tuples and mappings it is made of."""
    if isinstance(value, str):
        yield value
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            yield from _strings(getattr(value, field.name))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, (tuple, list, frozenset, set)):
        for item in value:
            yield from _strings(item)


def _number_word(template: str) -> tuple[str, str] | None:
    """What stands before and after ``{number}`` in its unbreakable word of ``template``; None if nothing does."""
    for word in re.split(rf"[^\S{NO_BREAK_SPACES}]+", template):  # the words the wrap keeps whole
        if "{number}" in word:
            before, _, after = word.partition("{number}")
            if "{" in before + after or not (before.strip(NO_BREAK_SPACES) or after.strip(NO_BREAK_SPACES)):
                return None  # another field in the word, or a bare number: not surely a reference
            return before, after
    return None


def _scale(laid: _Laid) -> float:
    return laid.fit.scale if laid.fit is not None else 1.0


def plan_drawings(
    amap: ArgumentMap,
    options: RenderOptions = RenderOptions(),
    *,
    name: str | None = None,
    box_pt: tuple[float, float] | None = None,
    min_font: float | None = None,
    refs: RefStyle = RefStyle(),
    cache: DotCache | None = None,
    view: MapView | None = None,
    changes: ChangeMarks | None = None,
    repeat_header: bool = True,
) -> tuple[Drawing, ...]:
    """Split ``amap`` so that every drawing fits its sheet (or ``box_pt``) with all text >= ``min_font`` pt.

    ``options.page`` is the sheet (each drawing turned to landscape when that
    suits it); ``box_pt`` (width, height in points) is a caller's frame instead,
    such as a pack's text block. ``min_font`` defaults to ``options.min_font``.
    ``name`` is the first drawing's name (default: the map id); the others are
    ``<name>-<id>`` after the box they start from. Returns the drawings in
    reading order with the references between them (``parent``, and the words
    of ``refs`` in their boxes). With neither page nor box, nothing is
    measured: ``split="always"`` cuts the top-level branches, else the map is whole.
    ``view`` is the map's view when the caller made it (a worksheet's);
    ``changes`` marks a change diagram's boxes (see :func:`.mapview.map_view`).
    ``repeat_header=False`` leaves the map's title, subtitle and source line to
    the first drawing: the others say only which part they are, for a caller
    that names the map beside each drawing (a pack's figure captions).
    """
    if view is None and changes is not None:
        view = map_view(amap, name, changes)
    floor = options.min_font if min_font is None else min_font
    planner = _Planner(amap, options, name=name, box_pt=box_pt, min_font=floor, refs=refs, cache=cache, view=view,
                       repeat_header=repeat_header)
    return planner.plan()


__all__ = ["MIN_READABLE_PT", "PAGE_REFS", "Drawing", "RefStyle", "plan_drawings", "relabel", "renumbered_svgs"]
