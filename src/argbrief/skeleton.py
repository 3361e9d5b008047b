"""``argbrief init``: a small working project (one map with its source text, one pack, the JSON Schemas, a .gitignore)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .errors import ArgbriefError, UsageError

FILES: dict[str, str] = {
    ".gitignore": """\
# argbrief's build and Graphviz caches: rebuilt when missing
.argbrief-cache/
# What `argbrief build` writes. Ignored here: CI builds the packs and keeps them as
# artefacts. To commit the exports instead (and gate them with `argbrief build --check`),
# delete this line; docs/ci.md describes both ways.
exports/
""",
    "argbrief.toml": """\
# argbrief project settings (all optional)
arguments = "arguments"
templates = "templates"
exports = "exports"
formats = ["pdf", "docx", "html"]
theme = "default"
page = "A4"
""",
    "arguments/sources/four-day-week.txt": """\
Should the council try a four-day week?

A six-month trial in the council's planning office found that applications were decided 9% faster, while sick days fell by a third.

Staff surveys during the trial reported lower stress, and two experienced planners who had given notice stayed on.

Critics warn that residents may find offices closed on Fridays. The trial answered this with a rota: every office stayed open five days a week.

The council should extend the trial to two more departments before deciding.
""",
    "arguments/four-day-week.yaml": """\
# yaml-language-server: $schema=../schemas/map.schema.json
map: four-day-week
title: Should the council try a four-day week?
source:
  title: Should the council try a four-day week?
  date: 2024-11
  date_basis: inferred
  date_note: The six-month trial it reports ran from May to October 2024.
  kind: official
  reliability: moderate
  text: sources/four-day-week.txt
position: extend-trial
thesis:
  id: T
  label: Extend the four-day week trial
  text: The council should extend its four-day week trial before deciding.
  answers: {faster-service: "yes"}
  premises:
    - id: P1
      label: Work got done faster
      text: The trial office decided planning applications faster.
      evidence:
        - id: E1
          quote: applications were decided 9% faster
    - id: P2
      label: Staff stayed and were healthier
      text: Sick days fell and experienced staff stayed.
      evidence:
        - id: E2
          quote: sick days fell by a third
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
    text: Extend the trial to two more departments before deciding.
    because: [P1, P2]
""",
    "arguments/packs/example.yaml": """\
# yaml-language-server: $schema=../../schemas/pack.schema.json
pack: example
title: A four-day week for the council?
audience: Council leadership
date: 2025-01-15
marking: OFFICIAL
formats: [pdf, docx, html]
purpose: Advise council leadership on the four-day week trial before the budget.
decision: Whether to extend the trial to two more departments.
bottom_line: >-
  Extend the trial: it sped up planning decisions and kept staff, but one office over
  six months is too little to decide on for the whole council.
positions:
  - id: extend-trial
    label: Extend the trial
    maps: [four-day-week]
    appraisal:
      cost: {rating: low, text: The same staff and budget work the same hours in four days.}
      risk: {rating: medium, text: Service in departments that deal with the public has not been tried.}
      feasibility: {rating: high, text: The rota that kept offices open can be reused.}
      reversibility: {rating: high, text: A trial ends when the council decides.}
questions:
  - id: faster-service
    text: Does a four-day week keep service fast?
yardstick: icd-203
judgements:
  - id: J1
    text: Two more departments on a four-day week will keep their service as fast as now.
    likelihood: likely
    confidence: low
    basis:
      - four-day-week:P1
      - four-day-week:B1
    note: One office's results over six months.
indicators:
  - id: I1
    text: Waiting times rise in the first month of the extended trial.
    judgement: J1
    direction: lowers
""",
}


def _files() -> dict[str, str]:
    """Every file of a new project: the examples, and the JSON Schemas their first lines name
    (so that an editor with the YAML language server checks them as they are typed)."""
    from .schema import json_schema

    schemas = {
        f"schemas/{kind}.schema.json": json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"
        for kind in ("map", "pack")
    }
    return {**FILES, **schemas}


def create_project(directory: Path) -> list[tuple[Path, bool]]:
    """Write the example project into ``directory``; refuses to overwrite anything.

    A ``.gitignore`` already there (a fresh clone often has one) keeps its lines
    and gets argbrief's after them, unless it has them already. Returns each
    file written, and whether it was there before (lines added to it).
    """
    files = _files()
    existing = [directory / rel for rel in files if rel != ".gitignore" and os.path.lexists(directory / rel)]
    if existing:
        raise UsageError(f"{existing[0]} exists already; init adds its files beside others but never replaces one")
    ignore = directory / ".gitignore"
    if os.path.lexists(ignore) and (ignore.is_symlink() or not ignore.is_file()):
        raise UsageError(f"{ignore} is not a plain file; init adds its lines only to one")
    written = []
    for rel, text in files.items():
        path = directory / rel
        extended = rel == ".gitignore" and os.path.lexists(path)
        try:
            data = text.encode("utf-8")
            if extended:
                kept = path.read_bytes()  # as it is, whatever its encoding
                if b".argbrief-cache/" in kept.splitlines():
                    continue
                data = kept + (b"\n" if kept and not kept.endswith(b"\n") else b"") + b"\n" + data
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except OSError as exc:  # a file where a folder should be, no permission, a full disk
            raise ArgbriefError(f"cannot create {exc.filename or path}: {exc.strerror or exc}") from exc
        written.append((path, extended))
    return written
