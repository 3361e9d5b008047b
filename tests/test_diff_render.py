"""The change diagram: ``render MAP --changes-since REV`` and :func:`argbrief.diff.overlay.overlay` under it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from argbrief.diff.overlay import overlay
from argbrief.render import ChangeMarks, RenderOptions, map_to_dot, render_map
from argbrief.render.theme import CHANGE_SHAPES

from ._git import MAP, THE_EDIT, edit, init_project
from .test_diff import BASE, load
from .test_render import colours_in, is_grey

SVG = "{http://www.w3.org/2000/svg}"

EDITED = (
    BASE.replace("        - quote: nobody complained\n", "")  # an evidence item removed
    .replace("Sick days fell and", "Sick days dropped and")  # a claim reworded
    .replace(  # P21 removed, a new premise in its place
        "id: P21\n          text: Two experienced planners who had given notice stayed on.",
        "id: P22\n          text: Morale rose in every team.",
    )
)


def _marked(drawn) -> list[tuple[str, str, str]]:
    return [
        (w.node.kind, w.node.id or w.node.display_text, drawn.marks.get(i, "")) for i, w in enumerate(drawn.amap.walk())
    ]


def test_overlay_puts_removed_nodes_back_where_they_stood():
    drawn = overlay(load(BASE), load(EDITED))
    assert _marked(drawn) == [
        ("thesis", "T", ""),
        ("premise", "P1", ""),
        ("evidence", "applications were decided 9% faster", ""),
        ("evidence", "nobody complained", "removed"),
        ("premise", "P2", "changed"),
        ("premise", "P22", "added"),
        ("premise", "P21", "removed"),
        ("objection", "O1", ""),
        ("rebuttal", "B1", ""),
        ("recommendation", "R1", ""),
    ]
    assert drawn.counts == {"added": 1, "changed": 1, "removed": 2}


def test_a_removed_branch_comes_back_without_what_moved_out_of_it():
    old = load(BASE)
    # P2 removed; its child P21 moved under P1: P21 is drawn once, under P1, marked changed (moved).
    new = load(
        BASE.replace(
            "    - id: P2\n      text: Sick days fell and experienced staff stayed.\n      premises:\n",
            "      premises:\n",
        )
        .replace("      also_supports: [P2]\n", "")
        .replace("[P1, P2]", "[P1]")
    )
    marked = _marked(overlay(old, new))
    assert [m for m in marked if m[1] in ("P2", "P21")] == [("premise", "P21", "changed"), ("premise", "P2", "removed")]


def test_a_map_that_is_new_since_then_is_all_added():
    drawn = overlay(None, load(BASE))
    assert set(drawn.marks.values()) == {"added"} and len(drawn.marks) == len(list(load(BASE).walk()))


@pytest.mark.parametrize("theme", ["default", "print", "colorblind"])
def test_marks_are_drawn_by_badge_and_line_style_not_colour_alone(theme):
    drawn = overlay(load(BASE), load(EDITED))
    options = RenderOptions(theme=theme)
    dot = map_to_dot(drawn.amap, options, changes=ChangeMarks(marks=drawn.marks, since="HEAD~1 (15 January 2025)"))
    for mark in ("added", "changed", "removed"):
        assert f">{CHANGE_SHAPES[mark].badge}</B>" in dot  # the badge, in every theme
    node_lines = {
        m: [ln for ln in dot.splitlines() if f'class="premise {m}"' in ln or f'class="evidence {m}"' in ln]
        for m in CHANGE_SHAPES
    }
    assert all(node_lines.values())
    assert all('penwidth="3"' in ln for ln in node_lines["added"])
    assert all('peripheries="2"' in ln for ln in node_lines["changed"])
    assert all("dotted" in ln and "<S>" in ln for ln in node_lines["removed"])
    assert "Changes since HEAD~1 (15 January 2025): 1 new, 1 changed, 2 removed" in dot
    assert "REMOVED</B> removed (ghosted)" in dot  # the legend explains the marks
    if theme == "print":
        (svg,) = render_map(drawn.amap, options, changes=ChangeMarks(marks=drawn.marks))
        colours = colours_in(dot) | colours_in(svg.data.decode())
        assert all(is_grey(c) for c in colours), sorted(c for c in colours if not is_grey(c))


def test_without_changes_nothing_is_marked():
    dot = map_to_dot(load(BASE), RenderOptions())
    assert "CHANGED" not in dot and "Changes" not in dot


def test_render_changes_since_in_a_git_project(tmp_path, monkeypatch, run_cli):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    root = init_project(tmp_path / "council")
    edit(root / MAP, *THE_EDIT)
    code, _, err = run_cli("render", "four-day-week", "--changes-since", "HEAD", "-o", "changes.svg", cwd=root)
    assert code == 0, err
    assert "changes since HEAD (15 January 2025): 1 added, 2 changed, 1 removed" in err
    svg = ET.parse(root / "changes.svg").getroot()
    classes = [g.get("class", "") for g in svg.iter(f"{SVG}g")]
    assert {"node premise added", "node thesis changed", "node premise changed", "node evidence removed"} <= set(
        classes
    )
    texts = " ".join(t.text or "" for t in svg.iter(f"{SVG}text"))
    assert "sick days fell by a third" in texts  # the removed quote is drawn, ghosted
    # Bad revisions and maps that do not load then: exit 1, a clear message, nothing written.
    code, _, err = run_cli("render", "four-day-week", "--changes-since", "nope", "-o", "x.svg", cwd=root)
    assert code == 1 and "unknown revision 'nope'" in err and not (root / "x.svg").exists()


def test_the_change_diagram_is_the_same_bytes_every_time():
    drawn = overlay(load(BASE), load(EDITED))
    first = map_to_dot(drawn.amap, RenderOptions(), changes=ChangeMarks(marks=drawn.marks, since="x"))
    again = overlay(load(BASE), load(EDITED))
    assert map_to_dot(again.amap, RenderOptions(), changes=ChangeMarks(marks=again.marks, since="x")) == first
    assert not re.search(r"0x[0-9a-f]{6,}", first)
