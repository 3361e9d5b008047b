"""The preview's HTTP side: Python's own ``http.server`` (threaded), with server-sent events for live updates.

Why the standard library: the preview serves one author's browser on their own
machine — a handful of small JSON and SVG responses and one long-lived event
stream per open page. ``ThreadingHTTPServer`` does that with no new dependency
(so a ``pip install argbrief`` stays as it was), and server-sent events need
nothing but a response that stays open; the browser's ``EventSource`` reconnects
by itself.

Every URL is one of a fixed set of routes. Map and pack ids are looked up among
the project's maps and packs; the page's own files come from a fixed table. No
path from a request ever reaches the file system, so nothing outside the project
(or inside it) can be fetched by naming it. Requests must also name a local host
(``Host: localhost`` / ``127.0.0.1`` / ``[::1]``, or the host the server was bound
to), which keeps a web page elsewhere from reaching the preview through DNS
rebinding.
"""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import parse_qs, unquote, urlsplit

from ..errors import ArgbriefError, UsageError
from ..render.options import DIRECTIONS, THEMES
from .preview import Preview

#: The page's own files: name -> content type. Nothing else is served from the package.
STATIC = {"index.html": "text/html; charset=utf-8", "app.js": "text/javascript; charset=utf-8",
          "app.css": "text/css; charset=utf-8"}
#: Seconds between keep-alive comments on an idle event stream (proxies and browsers drop silent ones).
KEEPALIVE = 15.0

_MAP = re.compile(r"^/maps/([^/]+)\.svg$")
_PACK = re.compile(r"^/packs/([^/]+)\.html$")
_PAGE_CSP = "default-src 'self'; img-src 'self' data:; frame-src 'self'; object-src 'none'; base-uri 'none'"
# A pack document is self-contained (inline styles and SVG); it may load nothing and run nothing.
_DOC_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'"
_LOCAL = {"localhost", "127.0.0.1", "[::1]", "::1"}


class PreviewServer(ThreadingHTTPServer):
    """A threaded HTTP server that knows its :class:`Preview` and the host names it answers to."""

    daemon_threads = True  # open event streams never keep the process alive
    allow_reuse_address = True

    def __init__(self, preview: Preview, host: str, port: int) -> None:
        self.preview = preview
        self.allowed_hosts = _LOCAL | {host.lower(), f"[{host.lower()}]"}
        if ":" in host:
            self.address_family = socket.AF_INET6
        try:
            super().__init__((host, port), Handler)
        except OSError as exc:
            raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another --port") from exc

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else str(host)
        return f"http://{shown}:{port}/"


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "argbrief-serve"

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal shows what changed, not every request

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        if not self._host_allowed():
            self._send(HTTPStatus.FORBIDDEN, b"requests must name this machine as the host\n", "text/plain")
            return
        url = urlsplit(self.path)
        path = unquote(url.path)
        query = parse_qs(url.query)
        try:
            if path in ("/", "/index.html"):
                self._static("index.html")
            elif path.startswith("/static/") and path[len("/static/"):] in STATIC:
                self._static(path[len("/static/"):])
            elif path == "/api/state":
                self._json(self.server.preview.state())
            elif path == "/events":
                self._events()
            elif m := _MAP.match(path):
                self._diagram(m.group(1), query)
            elif m := _PACK.match(path):
                self._pack(m.group(1))
            else:
                self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page went away

    def do_POST(self) -> None:
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, b"the preview only answers GET\n", "text/plain")

    do_PUT = do_DELETE = do_PATCH = do_POST

    # -- routes -------------------------------------------------------------------------

    def _static(self, name: str) -> None:
        data = resources.files(__package__).joinpath("static", name).read_bytes()
        self._send(HTTPStatus.OK, data, STATIC[name], csp=_PAGE_CSP)

    def _json(self, value: object) -> None:
        self._send(HTTPStatus.OK, json.dumps(value, ensure_ascii=False).encode("utf-8"), "application/json")

    def _diagram(self, map_id: str, query: dict[str, list[str]]) -> None:
        theme = query.get("theme", ["default"])[0]
        direction = query.get("direction", ["TB"])[0]
        if theme not in THEMES or direction not in DIRECTIONS:
            self._send(HTTPStatus.BAD_REQUEST, b"unknown theme or direction\n", "text/plain")
            return
        self._rendered("map", lambda: self.server.preview.diagram(map_id, theme, direction), "image/svg+xml")

    def _pack(self, pack_id: str) -> None:
        self._rendered("pack", lambda: self.server.preview.pack_html(pack_id), "text/html; charset=utf-8")

    def _rendered(self, what: str, make: Callable[[], bytes | None], content_type: str) -> None:
        """A drawing or pack document: 404 when there is none to show, 500 with the reason when making it failed."""
        try:
            data = make()
        except ArgbriefError as exc:  # Graphviz missing or failing, a broken template
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, f"{exc}\n".encode(), "text/plain")
            return
        if data is None:
            self._send(HTTPStatus.NOT_FOUND, f"no such {what}, or it has never loaded without errors\n".encode(), "text/plain")
            return
        self._send(HTTPStatus.OK, data, content_type, csp=_DOC_CSP)

    def _events(self) -> None:
        """Server-sent events: the state now, then again whenever the project changes; until the page goes."""
        preview = self.server.preview
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        seen = -1
        while True:
            with preview.changed:
                preview.changed.wait_for(lambda seen=seen: preview.stopping or preview.generation != seen, timeout=KEEPALIVE)
                if preview.stopping:
                    return
                generation = preview.generation
            if generation != seen:
                seen = generation
                payload = json.dumps(preview.state(), ensure_ascii=False)
                self.wfile.write(f"event: state\ndata: {payload}\n\n".encode())
            else:
                self.wfile.write(b": still here\n\n")
            self.wfile.flush()

    # -- helpers ------------------------------------------------------------------------

    def _host_allowed(self) -> bool:
        host = (self.headers.get("Host") or "").strip().lower()
        if host.startswith("[") and "]" in host:
            name = host[: host.index("]") + 1]  # [::1]:8000
        else:
            name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        return name in self.server.allowed_hosts

    def _send(self, status: HTTPStatus, data: bytes, content_type: str, csp: str = "") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if csp:
            self.send_header("Content-Security-Policy", csp)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


def start(preview: Preview, host: str, port: int) -> tuple[PreviewServer, threading.Thread]:
    """Listen on ``host:port`` (port 0: any free one) and serve from a background thread."""
    server = PreviewServer(preview, host, port)
    thread = threading.Thread(target=server.serve_forever, name="argbrief-serve", daemon=True)
    thread.start()
    return server, thread
