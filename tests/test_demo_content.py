"""The demo maps in arguments/ pass the strict check and have the expected shape."""

from __future__ import annotations

from collections import Counter

from argbrief import Config, load_workspace

from .conftest import REPO

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
