"""Small throw-away projects for the pack and build tests (one map, one pack)."""

from __future__ import annotations

import textwrap
from pathlib import Path

SOURCE_TEXT = """\
A four-day week for the council

The trial office decided planning applications 9% faster than before.

Sick days fell by a third and experienced staff stayed.

A rota meant every office stayed open five days a week.
"""

MAP_YAML = """\
map: four-day-week
title: Should the council try a four-day week?
source:
  title: Trial report
  author: Council HR
  text: sources/four-day-week.txt
position: extend-trial
summary: The trial worked; extend it.
thesis:
  id: T
  label: Extend the trial
  text: The council should extend its four-day week trial before deciding.
  answers: {faster-service: "yes"}
  premises:
    - id: P1
      label: Work got done faster
      text: The trial office decided planning applications faster.
      evidence:
        - id: E1
          quote: decided planning applications 9% faster
          strength: strong
    - id: P2
      label: Staff stayed
      text: Sick days fell and experienced staff stayed.
      evidence:
        - id: E2
          quote: Sick days fell by a third
  objections:
    - id: O1
      label: Offices closed on Fridays
      text: Residents may find offices closed on Fridays.
      rebuttals:
        - id: B1
          label: A rota kept offices open
          text: A rota kept every office open five days a week.
          evidence:
            - id: E3
              quote: every office stayed open five days a week
recommendations:
  - id: R1
    actor: Council leadership
    text: Extend the trial to two more departments.
    because: [P1, P2]
    priority: high
"""

PACK_YAML = """\
pack: example
title: A four-day week for the council?
subtitle: One position
audience: Council leadership
author: Policy unit
date: 2025-01-15
marking: OFFICIAL-SENSITIVE
formats: [pdf, docx, html]
page: Letter
positions:
  - id: extend-trial
    label: Extend the trial
    maps: [four-day-week]
questions:
  - id: faster-service
    text: Does a four-day week keep service fast?
"""


def make_project(
    root: Path,
    *,
    map_yaml: str = MAP_YAML,
    pack_yaml: str = PACK_YAML,
    source_text: str = SOURCE_TEXT,
    map_name: str = "four-day-week",
) -> Path:
    """Write a project with one map and one pack under ``root``; returns ``root``."""
    (root / "arguments" / "packs").mkdir(parents=True, exist_ok=True)
    (root / "arguments" / "sources").mkdir(exist_ok=True)
    (root / "argbrief.toml").write_text('arguments = "arguments"\nexports = "exports"\n', encoding="utf-8")
    (root / "arguments" / "sources" / f"{map_name}.txt").write_text(source_text, encoding="utf-8")
    (root / "arguments" / f"{map_name}.yaml").write_text(textwrap.dedent(map_yaml), encoding="utf-8")
    (root / "arguments" / "packs" / "example.yaml").write_text(textwrap.dedent(pack_yaml), encoding="utf-8")
    return root


def render_in_memory(root: Path):
    """The project's first pack rendered in memory (``argbrief.builder.RenderedPack``); its workspace has no errors."""
    from argbrief import Config, load_workspace
    from argbrief.builder import plan_build, render_pack

    ws = load_workspace(Config.discover(root))
    assert not [d.format() for d in ws.diagnostics if str(d.severity) == "error"]
    return render_pack(ws, plan_build(ws)[0])


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (relative name -> bytes), hidden temp files included."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
