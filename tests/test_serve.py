"""``argbrief serve`` in real Chromium: a fresh ``init`` project, edited while the page is open.

The page must show an edit without a reload, show a broken edit's located error
while the last good drawing stays, switch theme and direction, show a pack as its
HTML; and the server must answer only its own routes, for local host names only.
Timings are measured by benchmarks/bench_serve.py, never asserted here.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from argbrief.project import Config
from argbrief.serve import serve
from argbrief.skeleton import create_project

from .conftest import CHROMIUM_ARGS, chromium_path

MAP = Path("arguments") / "four-day-week.yaml"


class Running:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.url = ""
        self.changes: list[tuple[str, ...]] = []


@pytest.fixture
def served(tmp_path: Path, monkeypatch) -> Iterator[Running]:
    """``argbrief serve --port 0`` on a fresh init project, in a thread; stopped after the test."""
    root = tmp_path / "project"
    create_project(root)
    monkeypatch.chdir(root)
    running = Running(root)
    ready = threading.Event()
    stop = threading.Event()

    def on_ready(url: str) -> None:
        running.url = url
        ready.set()

    thread = threading.Thread(
        target=serve,
        args=(Config.discover(root), "127.0.0.1", 0),
        kwargs={"on_ready": on_ready, "on_change": lambda outcome, files: running.changes.append(files),
                "stop_event": stop},
        daemon=True,
    )
    thread.start()
    assert ready.wait(30), "the server did not start"
    yield running
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive(), "serve did not stop"


def _get(url: str, path: str, host: str | None = None, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """A raw request: the path goes out exactly as given (no client-side normalising of '..')."""
    netloc = url.split("//", 1)[1].rstrip("/")
    conn = http.client.HTTPConnection(netloc, timeout=30)
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    conn.putheader("Host", host or netloc)
    conn.endheaders()
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, dict(resp.getheaders()), body


def test_the_server_answers_its_own_routes_only(served: Running) -> None:
    status, headers, body = _get(served.url, "/api/state")
    state = json.loads(body)
    assert status == 200 and [(i["kind"], i["id"]) for i in state["items"]] == [("map", "four-day-week"), ("pack", "example")]
    status, headers, body = _get(served.url, "/maps/four-day-week.svg?theme=print&direction=LR")
    assert status == 200 and headers["Content-Type"] == "image/svg+xml" and b"<svg" in body
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    for path in ["/static/../../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd", "/maps/..%2F..%2F..%2Fetc%2Fpasswd.svg",
                 "/packs/../argbrief.toml.html", "/arguments/four-day-week.yaml", "/argbrief.toml", "//etc/passwd",
                 "/static/", "/maps/nothing.svg"]:
        status, _, body = _get(served.url, path)
        assert status == 404, path
        assert b"root:" not in body and b"four-day-week" not in body
    assert _get(served.url, "/maps/four-day-week.svg?theme=neon")[0] == 400
    assert _get(served.url, "/api/state", host="attacker.example")[0] == 403  # DNS rebinding
    assert _get(served.url, "/api/state", host="localhost:1234")[0] == 200
    assert _get(served.url, "/api/state", method="POST")[0] == 405


@pytest.fixture
def page(served: Running):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(viewport={"width": 1200, "height": 900})
        finally:
            browser.close()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edit_shows_in_the_open_page_and_a_broken_edit_shows_its_error(served: Running, page) -> None:
    page.goto(served.url + "#/map/four-day-week")
    page.wait_for_selector("#diagram[data-version]", timeout=30_000)
    first = page.get_attribute("#diagram", "data-version")
    page.evaluate("window.__notReloaded = true")  # gone if the page reloads

    # A good edit: the new drawing replaces the old one in place.
    _edit(served.root / MAP, "label: Work got done faster", "label: Decisions came sooner")
    page.wait_for_function("v => document.querySelector('#diagram').dataset.version !== v", arg=first, timeout=15_000)
    second = page.get_attribute("#diagram", "data-version")
    svg = page.evaluate("fetch(document.querySelector('#diagram').src).then(r => r.text())")
    assert "Decisions came sooner" in svg and "Work got done faster" not in svg

    # A broken edit: the located error appears; the last good drawing stays.
    _edit(served.root / MAP, "      text: Residents may find", "\ttext: Residents may find")
    page.wait_for_selector("li[data-code='yaml.indentation']", timeout=15_000)
    error = page.inner_text("li[data-code='yaml.indentation']")
    assert error.startswith("arguments/four-day-week.yaml:34:1: error: this line is indented with a tab")
    assert "Showing the last good version" in page.inner_text("#notice")
    assert page.get_attribute("#diagram", "data-version") == second
    assert page.evaluate("document.querySelector('#diagram').naturalWidth") > 0
    nav = page.inner_text("nav")
    assert "1" in nav  # the error badge

    # Fixed again: the error goes, the drawing follows the file.
    _edit(served.root / MAP, "\ttext: Residents may find", "      text: Residents may find")
    page.wait_for_function("() => !document.querySelector(\"li[data-code='yaml.indentation']\")", timeout=15_000)
    assert page.inner_text("#notice") == ""
    assert page.evaluate("window.__notReloaded") is True

    # Theme and direction switches.
    page.select_option("#theme", "print")
    page.select_option("#direction", "LR")
    page.wait_for_function("() => document.querySelector('#diagram').src.includes('theme=print')", timeout=15_000)
    assert "direction=LR" in page.get_attribute("#diagram", "src")
    assert "#/map/four-day-week?theme=print&direction=LR" in page.url


def test_a_pack_is_shown_as_its_html_and_follows_its_maps(served: Running, page) -> None:
    page.goto(served.url + "#/pack/example")
    page.wait_for_selector("iframe[data-version]", timeout=60_000)
    frame = page.frame_locator("iframe")
    assert "A four-day week for the council?" in frame.locator("h1").first.inner_text()
    first = page.get_attribute("iframe", "data-version")
    _edit(served.root / MAP, "label: Offices closed on Fridays", "label: Closed on Fridays?")
    page.wait_for_function("v => (document.querySelector('iframe[data-version]') || {}).dataset?.version !== v",
                           arg=first, timeout=60_000)
    assert "Closed on Fridays?" in page.frame_locator("iframe").locator("body").inner_text()

    # A map of the pack breaks: the pack says so, and keeps showing its last good version.
    second = page.get_attribute("iframe", "data-version")
    _edit(served.root / MAP, "- id: B1", "-\tid: B1")
    page.wait_for_selector("li[data-code='yaml.indentation']", timeout=15_000)
    assert "Showing the last good version" in page.inner_text("#notice")
    assert page.get_attribute("iframe", "data-version") == second


def test_the_index_lists_maps_and_packs_with_their_problems(served: Running, page) -> None:
    page.goto(served.url)
    page.wait_for_selector("table.items")
    assert page.inner_text("#project") == "project"
    _edit(served.root / MAP, "because: [P1, P2]", "because: [P1, p2]")
    page.wait_for_selector("li[data-code='ref.unknown-target']", timeout=15_000)
    assert "did you mean 'P2'?" in page.inner_text("li[data-code='ref.unknown-target']")
    deadline = time.monotonic() + 5
    while not served.changes and time.monotonic() < deadline:
        time.sleep(0.05)
    assert served.changes and served.changes[-1] == ("arguments/four-day-week.yaml",)


def test_only_what_changed_is_drawn_again(tmp_path: Path, monkeypatch) -> None:
    """After an edit of one map, the other map's drawing comes from memory; the edited one is drawn again."""
    from argbrief import render
    from argbrief.serve import Preview

    root = tmp_path / "p"
    create_project(root)
    other = root / "arguments" / "other.yaml"
    other.write_text((root / MAP).read_text(encoding="utf-8").replace("map: four-day-week", "map: other"), encoding="utf-8")
    drawn: list[str] = []
    real = render.render_map

    def counting(amap, options, **kwargs):
        drawn.append(amap.id)
        return real(amap, options, **kwargs)

    monkeypatch.setattr(render, "render_map", counting)
    preview = Preview(Config.discover(root)).refresh()
    for map_id in ("four-day-week", "other"):
        preview.diagram(map_id, "default", "TB")
    assert drawn == ["four-day-week", "other"]
    generation = preview.generation
    _edit(root / MAP, "label: Work got done faster", "label: Decisions came sooner")
    preview.refresh()
    assert preview.generation == generation + 1
    assert b"Decisions came sooner" in preview.diagram("four-day-week", "default", "TB")
    preview.diagram("other", "default", "TB")
    assert drawn == ["four-day-week", "other", "four-day-week"]
    preview.refresh()  # nothing changed: no new generation, nothing drawn
    assert preview.generation == generation + 1
    preview.diagram("four-day-week", "default", "TB")
    assert drawn == ["four-day-week", "other", "four-day-week"]


def test_open_says_where_the_page_is_when_no_browser_starts(tmp_path: Path, monkeypatch, run_cli) -> None:
    """`serve --open` on a machine without a browser (a server, a container) says so instead of nothing."""
    import webbrowser

    import argbrief.serve

    create_project(tmp_path / "p")
    asked: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url: asked.append(url) or False)
    monkeypatch.setattr(argbrief.serve, "serve", lambda config, host, port, on_ready, on_change: on_ready(
        f"http://{host}:{port}/"))
    code, _, err = run_cli("serve", "--port", "8123", "--open", cwd=tmp_path / "p")
    assert code == 0 and asked == ["http://127.0.0.1:8123/"]
    assert "no web browser could be started here: open http://127.0.0.1:8123/ in yours" in err
