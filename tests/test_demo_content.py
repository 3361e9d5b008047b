"""The demo maps in arguments/ pass the strict check and have the expected shape."""

from __future__ import annotations

from collections import Counter

from argbrief import Config, load_workspace

from .conftest import REPO, SHARED, needs_shared

MAPS = {
    "putin-wants",
    "ukraine-survive",
    "quick-ceasefire",
    "china-fools-errand",
    "navalnyism",
    "turkey-russia-syria",
}


def test_demo_is_clean_under_strict(run_cli):
    code, out, err = run_cli("check", "--strict", cwd=REPO)
    assert out == ""
    assert code == 0, err


def test_demo_maps_and_packs_are_all_there():
    ws = load_workspace(Config.discover(REPO))
    assert set(ws.maps) == MAPS
    assert set(ws.packs) == {"ukraine-options", "russia-briefing"}


def test_every_map_is_a_real_argument():
    ws = load_workspace(Config.discover(REPO))
    for mid, amap in ws.maps.items():
        kinds = Counter(w.node.kind for w in amap.walk())
        size = sum(kinds.values())
        assert 15 <= size <= 45, (mid, size)
        assert kinds["thesis"] == 1
        assert kinds["premise"] >= 3, mid
        assert kinds["evidence"] >= kinds["premise"] // 2, mid
        # every evidence quote was found in its source, so it carries a paragraph locator
        for w in amap.walk():
            if w.node.kind == "evidence" and w.node.quote:
                assert w.node.locator.startswith("para "), (mid, w.node.id)


def test_china_article_gives_its_four_reasons_as_premises():
    ws = load_workspace(Config.discover(REPO))
    top = [p.id for p in ws.maps["china-fools-errand"].thesis.premises]
    assert top[:4] == ["P1", "P2", "P3", "P4"]


def test_turkey_map_states_the_articles_own_conclusion():
    """The closing paragraph (lost from the project's copy once) is the thesis's evidence, and its
    "coercive diplomacy" risk is an objection; no note says the article never states its conclusion."""
    ws = load_workspace(Config.discover(REPO))
    amap = ws.maps["turkey-russia-syria"]
    source = (REPO / "arguments" / "sources" / "turkey-russia-syria.txt").read_text(encoding="utf-8")
    last = len([b for b in source.split("\n\n") if b.strip()]) - 1  # the title line is not a paragraph
    quotes = {w.node.quote: w.node.locator for w in amap.walk() if w.node.kind == "evidence"}
    closing = [q for q, loc in quotes.items() if loc == f"para {last}"]
    assert any("even a compromise agreement on Idlib is better than no agreement" in q for q in closing)
    assert any("coercive diplomacy" in q for q in closing)
    assert [e.quote for e in amap.thesis.evidence] == [
        "The key to the current crisis will be whether Moscow and Ankara can reconcile the competing strategic "
        "priorities that define their relationship and find common ground on the question of Idlib."
    ]
    assert not any("never" in (getattr(w.node, "note", "") or "") and "states" in w.node.note for w in amap.walk())


@needs_shared(SHARED / "seed" / "articles")
def test_source_texts_are_the_seed_articles():
    """The project's copies of the articles are the articles, whole (the Turkey copy had lost its end)."""
    for path in sorted((REPO / "arguments" / "sources").glob("*.txt")):
        seed = SHARED / "seed" / "articles" / path.name
        assert path.read_bytes() == seed.read_bytes(), path.name
