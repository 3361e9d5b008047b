"""The YAML writer: model -> YAML -> model is the identity (spans aside), on generated and real maps."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argbrief import model as m
from argbrief._yamlread import read_yaml
from argbrief.convert import structure
from argbrief.diagnostics import Severity
from argbrief.formats.yaml import WIDTH, dump_map, dump_pack
from argbrief.project import load_file
from argbrief.validate import validate_map

from .conftest import REPO

# --- strategies ------------------------------------------------------------------------

# Text that stresses YAML quoting: indicators, quotes, colons, '#', a leading '-', words that
# YAML reads as other things, line breaks, tabs, wide and combining characters.
TRICKY = [
    "- ", ": ", ":", "#", " #", "'", '"', "\\", "[", "]", "{", "}", "&", "*", "!", "|", ">", "%", "@", "`",
    ",", "?", "\n", "\n\n", "\t", "  ", " ", "yes", "no", "on", "off", "true", "Null", "~", "1.50", "0x1F",
    "2025-02-01", "---", "...", "é", "’", "“", "”", "—", "…", "😀", "中文", "e\u0301", "\u00a0", "\u2028",
]
WORDS = ["Putin", "the", "West", "sanctions", "will", "tire", "ceasefire", "is", "a", "deal", "now", "of"]
piece = st.one_of(st.sampled_from(TRICKY), st.sampled_from(WORDS), st.text(min_size=1, max_size=5))
# Control characters are refused by the reader (input.control-char): not valid content.
text = st.lists(piece, max_size=12).map("".join).map(lambda s: "".join(c for c in s if c.isprintable() or c in "\n\t"))
# Long enough to be wrapped; with odd spacing too, as imported texts have ("end.  Next", "a \tb").
_word_lists = st.lists(st.sampled_from(WORDS + [",", ".", ":", "'s", "#", "- ", "'"]), min_size=20, max_size=60)
long_text = st.one_of(
    _word_lists.map(" ".join),
    st.tuples(_word_lists, st.lists(st.sampled_from([" ", "  ", "   ", " \t"]), min_size=60, max_size=60)).map(
        lambda ws: "".join(w + sep for w, sep in zip(ws[0], ws[1])).strip() + "."
    ),
)
# Ready-made awkward texts: one draw each, which keeps generating big maps quick.
CORPUS = [
    "Plain words", "- a leading dash", "key: value", "a #hash", "#not a comment", "'quoted'", '"double"',
    "yes", "No", "~", "null", "1.50", "2025-02-01", "[not, a, list]", "{not: a map}", "&anchor", "*alias",
    "!tag", "| pipe", "> fold", "% percent", "@at", "`tick`", "? question", "trailing space ", " leading",
    "two  spaces", "tab\there", "line one\nline two", "para\n\nbreak", "ends with newline\n", "é’“”—…",
    "😀 中文", "e\u0301", "nbsp\u00a0here", "line\u2028separator", "back\\slash", "colon:", "a: b: c",
]
# Non-blank (validation wants text): blank draws get a letter in front, keeping their spaces.
some_text = st.one_of(st.sampled_from(CORPUS), text, long_text).map(lambda s: s if s.strip() else "x" + s)
maybe_text = st.one_of(st.just(""), st.sampled_from(CORPUS))
slug = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)
tags = st.lists(st.one_of(slug, st.sampled_from(["yes", "on", "1.5", "a b", "#x", "é"])), max_size=3).map(tuple)
stance = st.sampled_from(m.STANCES)


@st.composite
def sources(draw) -> m.Source:
    return m.Source(
        title=draw(some_text),
        author=draw(maybe_text),
        publisher=draw(maybe_text),
        date=(date := draw(st.sampled_from(["", "2025-02-01", "2025-02", "2024"]))),
        date_basis=draw(st.sampled_from(["", "stated", "inferred"])) if date else "",
        date_note=draw(some_text) if date else "",
        kind=draw(st.sampled_from(["", "analysis", "opinion", "news"])),
        reliability=draw(st.sampled_from(("",) + m.RELIABILITIES)),
        url=draw(st.sampled_from(["", "https://example.org/a?b=c#d"])),
        text=draw(st.sampled_from(["", "sources/a.txt", "../b c.txt"])),
    )


@st.composite
def maps(draw) -> m.ArgumentMap:
    """A valid map: every kind, groups, undercuts, cross-links (acyclic), answers, sources."""
    counter = itertools.count(1)
    named_sources = draw(st.dictionaries(slug, sources(), max_size=2))
    ids: list[str] = []  # in document order: cross-links point backwards only, so no cycle

    def new_id(prefix: str) -> str:
        ids.append(f"{prefix}{next(counter)}")
        return ids[-1]

    def links() -> tuple[str, ...]:
        earlier = ids[:-1]
        return tuple(draw(st.lists(st.sampled_from(earlier), max_size=2, unique=True))) if earlier else ()

    def evidence() -> m.Evidence:
        src = draw(st.one_of(st.none(), st.sampled_from(sorted(named_sources)) if named_sources else st.none(), sources()))
        quote = draw(maybe_text)
        return m.Evidence(
            id=new_id("E") if draw(st.booleans()) else "",
            quote=quote,
            text=draw(some_text if not quote else maybe_text),
            source=src,
            locator=draw(st.sampled_from(["", "para 3", "p. 12"])),
            strength=draw(st.sampled_from(("",) + m.STRENGTHS)),
            tags=draw(tags),
            note=draw(maybe_text),
        )

    def answer() -> m.Answer:
        # The short form ({q: yes}) and the long form ({q: {stance, quote, source, locator, note}}).
        if draw(st.booleans()):
            return m.Answer(stance=draw(stance))
        return m.Answer(
            stance=draw(stance),
            quote=draw(maybe_text),
            source=draw(st.one_of(st.none(), st.sampled_from(sorted(named_sources)) if named_sources else st.none())),
            locator=draw(st.sampled_from(["", "para 3"])),
            note=draw(maybe_text),
        )

    def claim(cls: type[m.Claim], depth: int) -> m.Claim:
        node_id = new_id(cls.kind[0].upper())
        fields = dict(
            id=node_id,
            text=draw(some_text),
            label=draw(maybe_text),
            tags=draw(tags),
            note=draw(maybe_text),
            answers={q: answer() for q in draw(st.lists(slug, max_size=2, unique=True))},
            also_supports=links(),
            also_attacks=links(),
        )
        if cls in (m.Objection, m.Rebuttal):
            fields["relation"] = draw(st.sampled_from(["", "attack", "undercut"]))
        allowed = m.ALLOWED_CHILDREN[cls.kind]
        # Small trees (about 20 nodes at most) keep the test fast; every kind still turns up.
        width = 0 if depth >= 3 or len(ids) > 20 else 1
        kids: dict[str, list] = {}
        for name, kid_cls in (("premises", m.Premise), ("assumptions", m.Assumption),
                              ("objections", m.Objection), ("rebuttals", m.Rebuttal)):
            if name in allowed:
                kids[name] = [claim(kid_cls, depth + 1) for _ in range(draw(st.integers(0, width)))]
        if "premises" in allowed and width and draw(st.booleans()):
            kids["premises"].append(m.Group(members=tuple(claim(m.Premise, depth + 1) for _ in range(2))))
        kids["evidence"] = [evidence() for _ in range(draw(st.integers(0, width)))]
        return cls(**fields, **{k: tuple(v) for k, v in kids.items()})

    thesis = claim(m.Thesis, 0)
    claims = [i for i in ids if not i.startswith("E")]
    recs = tuple(
        m.Recommendation(
            id=new_id("R"),
            actor=draw(some_text),
            text=draw(some_text),
            because=tuple(draw(st.lists(st.sampled_from(claims), max_size=3, unique=True))),
            priority=draw(st.sampled_from(("",) + m.PRIORITIES)),
            tags=draw(tags),
            note=draw(maybe_text),
        )
        for _ in range(draw(st.integers(0, 2)))
    )
    return m.ArgumentMap(
        id=draw(slug),
        title=draw(some_text),
        subtitle=draw(maybe_text),
        author=draw(maybe_text),
        publisher=draw(maybe_text),
        date=draw(st.sampled_from(["", "2025-02-01", "1 February 2025"])),
        url=draw(st.sampled_from(["", "https://example.org/x"])),
        source=draw(st.one_of(st.none(), sources())),
        sources=named_sources,
        position=draw(st.one_of(st.just(""), slug)),
        summary=draw(maybe_text),
        tags=draw(tags),
        thesis=thesis,
        recommendations=recs,
    )


@st.composite
def appraisals(draw) -> m.Appraisal | None:
    if not draw(st.booleans()):
        return None
    ratings = {
        key: m.Rating(rating=draw(st.sampled_from(m.RATINGS)), text=draw(maybe_text)) if draw(st.booleans()) else None
        for key in m.APPRAISAL_KEYS
    }
    return m.Appraisal(**ratings)


@st.composite
def packs(draw) -> m.Pack:
    judgements = tuple(
        m.Judgement(
            id=f"J{i}",
            text=draw(some_text),
            likelihood=draw(st.sampled_from(["likely", "very unlikely", "almost certain", "roughly even chance"])),
            confidence=draw(st.sampled_from(["low", "moderate", "high"])),
            basis=tuple(draw(st.lists(st.sampled_from(["m:P1", "a-b:T", "x1:E2.b"]), max_size=2, unique=True))),
            note=draw(maybe_text),
        )
        for i in range(1, draw(st.integers(0, 3)) + 1)
    )
    return m.Pack(
        id=draw(slug),
        title=draw(some_text),
        subtitle=draw(maybe_text),
        audience=draw(maybe_text),
        author=draw(maybe_text),
        date=draw(st.sampled_from(["", "2025-02-01"])),
        marking=draw(st.sampled_from(["", "OFFICIAL", "OFFICIAL-SENSITIVE"])),
        formats=tuple(draw(st.lists(st.sampled_from(["pdf", "docx", "html"]), unique=True))),
        theme=draw(st.sampled_from(["", "default", "print", "colorblind"])),
        page=draw(st.sampled_from(["", "A4", "Letter"])),
        purpose=draw(maybe_text),
        decision=draw(maybe_text),
        bottom_line=draw(st.one_of(maybe_text, long_text)),
        positions=tuple(
            m.Position(id=draw(slug), label=draw(some_text), summary=draw(maybe_text), maps=tuple(draw(st.lists(slug, min_size=1, max_size=2))),
                       appraisal=draw(appraisals()))
            for _ in range(draw(st.integers(0, 3)))
        ),
        maps=tuple(draw(st.lists(slug, max_size=2))),
        questions=tuple(m.Question(id=draw(slug), text=draw(some_text), note=draw(maybe_text)) for _ in range(draw(st.integers(0, 3)))),
        yardstick=draw(st.sampled_from(["", "icd-203"])),
        judgements=judgements,
        indicators=tuple(
            m.Indicator(id=f"I{i}", text=draw(some_text), judgement=j.id, direction=draw(st.sampled_from(m.DIRECTIONS)))
            for i, j in enumerate(judgements, start=1)
        ),
        currency_months=draw(st.sampled_from(["", "6", "24"])),
    )


# --- round trips -----------------------------------------------------------------------


def _load(text: str, cls: type):
    data, diags = read_yaml(text, "dumped.yaml")
    assert diags == [], [d.format() for d in diags]
    obj, diags = structure(data, cls, "dumped.yaml")
    assert diags == [], [d.format() for d in diags]
    return obj


# ARGBRIEF_FUZZ_EXAMPLES=2000 pytest ... runs the generators much harder than CI does.
EXAMPLES = int(os.environ.get("ARGBRIEF_FUZZ_EXAMPLES", "40"))

def _anchors_and_aliases(text: str) -> int:
    from ruamel.yaml import YAML
    from ruamel.yaml.events import AliasEvent

    return sum(isinstance(ev, AliasEvent) or bool(getattr(ev, "anchor", None)) for ev in YAML(typ="safe").parse(text))


SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(amap=maps())
def test_map_yaml_map_is_the_identity(amap: m.ArgumentMap) -> None:
    # The generator makes valid maps (so validation has no false alarms on them either).
    assert [d.format() for d in validate_map(amap) if d.severity is Severity.ERROR] == []
    text = dump_map(amap)
    back = _load(text, m.ArgumentMap)
    assert back == amap
    assert dump_map(back) == text  # and the text is stable
    assert _anchors_and_aliases(text) == 0


@SETTINGS
@given(pack=packs())
def test_pack_yaml_pack_is_the_identity(pack: m.Pack) -> None:
    text = dump_pack(pack)
    assert _load(text, m.Pack) == pack


@given(value=some_text)
@settings(max_examples=EXAMPLES * 5, deadline=None)
def test_any_text_survives_in_any_place(value: str) -> None:
    answers = {"q": m.Answer(stance="yes"), "r": m.Answer(stance="qualified", quote=value, note=value)}
    amap = m.ArgumentMap(id="x", title=value, tags=(value,), thesis=m.Thesis(text=value, answers=answers))
    assert _load(dump_map(amap), m.ArgumentMap) == amap


# --- the demo content --------------------------------------------------------------------

DEMO_MAPS = sorted((REPO / "arguments").glob("*.yaml"))
DEMO_PACKS = sorted((REPO / "arguments" / "packs").glob("*.yaml"))


@pytest.mark.parametrize("path", DEMO_MAPS + DEMO_PACKS, ids=lambda p: p.name)
def test_every_demo_file_round_trips(path: Path) -> None:
    loaded = load_file(path)
    assert loaded.obj is not None
    dump = dump_map if isinstance(loaded.obj, m.ArgumentMap) else dump_pack
    text = dump(loaded.obj)
    back = _load(text, type(loaded.obj))
    assert back == loaded.obj
    # Same content as authored: ids kept, nothing added or lost.
    assert {w.node.id for w in back.walk()} == {w.node.id for w in loaded.obj.walk()} if isinstance(back, m.ArgumentMap) else True


def test_writer_output_reads_like_authored_yaml() -> None:
    amap = load_file(REPO / "arguments" / "putin-wants.yaml").obj
    text = dump_map(amap)
    lines = text.splitlines()
    assert lines[0] == "map: putin-wants"
    assert lines[1].startswith("title: ")
    # Keys in the documented order; ids kept; lists of ids inline; stances quoted for YAML 1.1 readers.
    assert text.index("\nthesis:") < text.index("\nrecommendations:")
    assert "  id: T\n  label: " in text
    assert '          stance: "no"\n          quote: ' in text  # an answer's long form, keys in order
    assert "        time-favours-russia:\n          stance: qualified\n" in text
    assert "because: [" in text
    assert "text: >-\n" in text  # long text folded ...
    assert max(len(line) for line in lines) <= WIDTH  # ... and wrapped
    assert _anchors_and_aliases(text) == 0


def test_answers_keep_their_short_form_unless_they_say_more() -> None:
    answers = {
        "short": m.Answer(stance="yes"),
        "long": m.Answer(stance="qualified", quote="to some extent", source="one", note="Hedged."),
    }
    thesis = m.Thesis(id="T", text="A claim.", answers=answers)
    text = dump_map(m.ArgumentMap(id="x", title="T", thesis=thesis))
    assert '  answers:\n    short: "yes"\n    long:\n      stance: qualified\n' in text
    assert "      quote: to some extent\n      source: one\n      note: Hedged.\n" in text
    assert _load(text, m.ArgumentMap) == m.ArgumentMap(id="x", title="T", thesis=thesis)


def test_awkward_texts_get_the_style_they_need() -> None:
    thesis = m.Thesis(
        id="T",
        text="- starts with a dash: and has a colon # and a hash",
        label="yes",
        note="line one\nline two\n\nnew paragraph",
        premises=(m.Premise(id="P1", text="  leading spaces and a\ttab"),),
    )
    text = dump_map(m.ArgumentMap(id="x", title="Plain title", thesis=thesis))
    assert "title: Plain title\n" in text
    assert "label: \"yes\"\n" in text
    assert "text: '- starts with a dash: and has a colon # and a hash'\n" in text
    assert "note: |-\n    line one\n    line two\n\n    new paragraph\n" in text
    assert 'text: "  leading spaces and a\\ttab"' in text
    assert _load(text, m.ArgumentMap).thesis == thesis


def test_spans_are_ignored_by_equality_but_not_written() -> None:
    a = m.Thesis(id="T", text="t", span=m.SourceSpan("a.yaml", 3, 4))
    assert a == attrs.evolve(a, span=m.NOWHERE)
    assert "a.yaml" not in dump_map(m.ArgumentMap(id="x", title="t", thesis=a))
