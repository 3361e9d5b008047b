"""GraphML for yEd (and any GraphML reader): claims as nodes, supports and attacks as edges.

Every node carries plain GraphML data — ``kind``, ``id``, ``label``, ``text``
(and for evidence ``quote``, ``strength``) — so networkx, Gephi or Cytoscape
read the structure; yEd additionally gets ``y:ShapeNode`` graphics: a shape
and fill per kind, wrapped text, and a simple tree layout to start from
(yEd's own layouts, e.g. Layout > Hierarchical, improve on it).  A linked
group is a yEd group node holding its premises; its one edge goes to the
claim it supports.  Edges point from the reason to the claim it supports or
attacks: green solid for support, red for attacks, purple dotted for
undercuts, dashed for cross-links (``also_supports`` / ``also_attacks``).
"""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET
from typing import Any

from .. import model as m
from ..model import ArgumentMap
from . import Format

G = "http://graphml.graphdrawing.org/xmlns"
Y = "http://www.yworks.com/xml/graphml"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA = "http://graphml.graphdrawing.org/xmlns http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd"

#: kind -> (yEd shape, fill, border style): black-and-white friendly borders, colour as a second cue.
STYLES: dict[str, tuple[str, str, str]] = {
    "thesis": ("roundrectangle", "#FFE8A3", "line"),
    "premise": ("roundrectangle", "#DCEFD9", "line"),
    "assumption": ("roundrectangle", "#EEF6EC", "dashed"),
    "evidence": ("rectangle", "#E8EEF7", "line"),
    "objection": ("hexagon", "#F7D9D6", "line"),
    "rebuttal": ("octagon", "#E6DDF2", "line"),
}
EDGE_STYLES: dict[str, tuple[str, str]] = {  # relation -> (colour, line type)
    "supports": ("#2E7D32", "line"),
    "attack": ("#C62828", "line"),
    "undercut": ("#6A1B9A", "dotted"),
}
WIDTH, LINE_HEIGHT, GAP_X, GAP_Y, WRAP = 240.0, 16.0, 30.0, 70.0, 34

ET.register_namespace("", G)
ET.register_namespace("y", Y)
ET.register_namespace("xsi", XSI)

_KEYS = [  # (id, for, name, type)
    ("kind", "node", "kind", "string"),
    ("argbrief_id", "node", "argbrief_id", "string"),
    ("label", "node", "label", "string"),
    ("text", "node", "text", "string"),
    ("quote", "node", "quote", "string"),
    ("strength", "node", "strength", "string"),
    ("relation", "edge", "relation", "string"),
    ("cross_link", "edge", "cross_link", "boolean"),
    ("title", "graph", "title", "string"),
]


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


class _Writer:
    def __init__(self, amap: ArgumentMap) -> None:
        self.amap = amap
        self.root = ET.Element(_q(G, "graphml"), {_q(XSI, "schemaLocation"): SCHEMA})
        for kid, for_, name, typ in _KEYS:
            ET.SubElement(self.root, _q(G, "key"), {"id": kid, "for": for_, "attr.name": name, "attr.type": typ})
        ET.SubElement(self.root, _q(G, "key"), {"id": "ng", "for": "node", "yfiles.type": "nodegraphics"})
        ET.SubElement(self.root, _q(G, "key"), {"id": "eg", "for": "edge", "yfiles.type": "edgegraphics"})
        self.graph = ET.SubElement(self.root, _q(G, "graph"), {"id": "G", "edgedefault": "directed"})
        self._data(self.graph, "title", amap.title or amap.id)
        self.xml_ids: dict[str, str] = {}
        self.edges: list[tuple[str, str, str, bool]] = []
        self.count = 0
        self.edge_count = 0

    def _data(self, el: ET.Element, key: str, value: str) -> None:
        if value:
            ET.SubElement(el, _q(G, "data"), {"key": key}).text = value

    def _new_id(self) -> str:
        self.count += 1
        return f"n{self.count - 1}"

    # layout: x by leaf order, y by depth --------------------------------------------------

    def _height(self, node: m.Claim | m.Evidence) -> float:
        return LINE_HEIGHT * (len(_lines(node)) + 1)

    def _width(self, node: m.Claim) -> float:
        """Horizontal room a subtree needs."""
        kids = _kids(node)
        if not kids:
            return WIDTH
        total = sum(self._item_width(k) for k in kids) + GAP_X * (len(kids) - 1)
        return max(WIDTH, total)

    def _item_width(self, item: Any) -> float:
        if isinstance(item, m.Group):
            return sum(self._width(p) for p in item.members) + GAP_X * (len(item.members) + 1)
        return self._width(item) if isinstance(item, m.Claim) else WIDTH

    def write(self) -> str:
        if self.amap.thesis is not None:
            self._node(self.graph, self.amap.thesis, 0.0, 0.0)
            for src, dst, relation, cross in self.edges:
                self._edge(src, dst, relation, cross)
        ET.indent(self.root, space="  ")
        body = ET.tostring(self.root, encoding="unicode")
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"

    def _node(self, parent_el: ET.Element, node: m.Claim | m.Evidence, x: float, y: float) -> str:
        """Write ``node`` centred over its subtree starting at ``x``; returns its GraphML id."""
        xml_id = self._new_id()
        if node.id:
            self.xml_ids.setdefault(node.id, xml_id)
        span = self._width(node) if isinstance(node, m.Claim) else WIDTH
        height = self._height(node)
        el = ET.SubElement(parent_el, _q(G, "node"), {"id": xml_id})
        self._data(el, "kind", node.kind)
        self._data(el, "argbrief_id", node.id)
        self._data(el, "label", node.label)
        self._data(el, "text", node.text)
        if isinstance(node, m.Evidence):
            self._data(el, "quote", node.quote)
            self._data(el, "strength", node.strength)
        self._graphics(el, node, x + (span - WIDTH) / 2, y, height)
        if not isinstance(node, m.Claim):
            return xml_id
        kid_y = y + height + GAP_Y
        cursor = x + (span - (sum(self._item_width(k) for k in _kids(node)) + GAP_X * max(0, len(_kids(node)) - 1))) / 2
        for item, relation in _kids_with_relation(node):
            if isinstance(item, m.Group):
                gid = self._group(parent_el, item, cursor, kid_y)
                self.edges.append((gid, xml_id, "supports", False))
            else:
                kid = self._node(parent_el, item, cursor, kid_y)
                self.edges.append((kid, xml_id, relation, False))
            cursor += self._item_width(item) + GAP_X
        for target in node.also_supports:
            self.edges.append((xml_id, target, "supports", True))
        for target in node.also_attacks:
            self.edges.append((xml_id, target, "attack", True))
        return xml_id

    def _group(self, parent_el: ET.Element, group: m.Group, x: float, y: float) -> str:
        gid = self._new_id()
        el = ET.SubElement(parent_el, _q(G, "node"), {"id": gid, "yfiles.foldertype": "group"})
        self._data(el, "kind", "group")
        width = self._item_width(group)
        height = max(self._height(p) for p in group.members) + 2 * GAP_X
        graphics = ET.SubElement(el, _q(G, "data"), {"key": "ng"})
        auto = ET.SubElement(graphics, _q(Y, "ProxyAutoBoundsNode"))
        realizers = ET.SubElement(auto, _q(Y, "Realizers"), {"active": "0"})
        node = ET.SubElement(realizers, _q(Y, "GroupNode"))
        ET.SubElement(node, _q(Y, "Geometry"), _geometry(x, y, width, height))
        ET.SubElement(node, _q(Y, "Fill"), {"color": "#F5F5F5", "transparent": "false"})
        ET.SubElement(node, _q(Y, "BorderStyle"), {"color": "#000000", "type": "dashed", "width": "1.0"})
        label = ET.SubElement(node, _q(Y, "NodeLabel"), {"alignment": "left", "modelName": "internal", "modelPosition": "tl"})
        label.text = "linked premises"
        ET.SubElement(node, _q(Y, "Shape"), {"type": "roundrectangle"})
        inner = ET.SubElement(el, _q(G, "graph"), {"id": f"{gid}:", "edgedefault": "directed"})
        cursor = x + GAP_X
        for member in group.members:
            self._node(inner, member, cursor, y + GAP_X)
            cursor += self._width(member) + GAP_X
        return gid

    def _graphics(self, el: ET.Element, node: m.Claim | m.Evidence, x: float, y: float, height: float) -> None:
        shape, fill, border = STYLES[node.kind]
        data = ET.SubElement(el, _q(G, "data"), {"key": "ng"})
        sn = ET.SubElement(data, _q(Y, "ShapeNode"))
        ET.SubElement(sn, _q(Y, "Geometry"), _geometry(x, y, WIDTH, height))
        ET.SubElement(sn, _q(Y, "Fill"), {"color": fill, "transparent": "false"})
        ET.SubElement(sn, _q(Y, "BorderStyle"), {"color": "#000000", "type": border, "width": "2.0" if node.kind == "thesis" else "1.0"})
        label = ET.SubElement(sn, _q(Y, "NodeLabel"), {"alignment": "left", "autoSizePolicy": "content", "fontFamily": "Dialog",
                                                      "fontSize": "12", "modelName": "internal", "modelPosition": "c"})
        label.text = "\n".join(_lines(node))
        ET.SubElement(sn, _q(Y, "Shape"), {"type": shape})

    def _edge(self, src: str, dst_id: str, relation: str, cross: bool) -> None:
        dst = dst_id if not cross else self.xml_ids.get(dst_id, "")
        if not dst:
            return
        el = ET.SubElement(self.graph, _q(G, "edge"), {"id": f"e{self.edge_count}", "source": src, "target": dst})
        self.edge_count += 1
        self._data(el, "relation", relation)
        self._data(el, "cross_link", "true" if cross else "false")
        colour, line = EDGE_STYLES[relation]
        data = ET.SubElement(el, _q(G, "data"), {"key": "eg"})
        pl = ET.SubElement(data, _q(Y, "PolyLineEdge"))
        ET.SubElement(pl, _q(Y, "LineStyle"), {"color": colour, "type": "dashed" if cross else line, "width": "1.5"})
        ET.SubElement(pl, _q(Y, "Arrows"), {"source": "none", "target": "standard" if relation == "supports" else "t_shape"})


def _geometry(x: float, y: float, w: float, h: float) -> dict[str, str]:
    return {"x": f"{x:.1f}", "y": f"{y:.1f}", "width": f"{w:.1f}", "height": f"{h:.1f}"}


def _lines(node: m.Claim | m.Evidence) -> list[str]:
    head = f"{node.kind.upper()} {node.id}" + (f": {node.label}" if node.label else "")
    body = node.display_text if isinstance(node, m.Evidence) else node.text
    if isinstance(node, m.Evidence) and node.quote:
        body = f"“{body}”"
    return [head, *textwrap.wrap(" ".join(body.split()), WRAP)]


def _kids(node: m.Claim) -> list[Any]:
    return [item for item, _ in _kids_with_relation(node)]


def _kids_with_relation(node: m.Claim) -> list[tuple[Any, str]]:
    out: list[tuple[Any, str]] = [(item, "supports") for item in node.premises]
    out += [(a, "supports") for a in (*node.assumptions, *node.evidence)]
    out += [(o, o.relation or "attack") for o in (*node.objections, *node.rebuttals)]
    return out


def dump_graphml(amap: ArgumentMap) -> str:
    """``amap`` as GraphML with yEd graphics (deterministic: ids count up in document order)."""
    return _Writer(amap).write()


FORMAT = Format(
    name="graphml",
    suffixes=(".graphml",),
    description="GraphML for yEd and other graph tools (node kinds as data and styles)",
    dump=dump_graphml,
)
