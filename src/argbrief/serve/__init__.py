"""``argbrief serve``: a live preview of the project's maps and packs in the browser.

- :mod:`.preview` — :class:`Preview`: the project loaded, each map and pack with a
  version, drawings and pack documents made on request and kept by version;
- :mod:`.server` — the HTTP side (the standard library's threaded server, server-sent
  events), answering only its fixed routes;
- ``static/`` — the page itself (HTML, CSS and a small script, no framework).

The files are watched by the same loop as ``argbrief build --watch``
(:func:`argbrief.builder.watch.watch`); each burst of saves reloads the project and
pushes the new state to every open page, which fetches only the drawings whose
version changed. See docs/serve.md.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from ..errors import ArgbriefError
from ..project import Config
from .preview import Entry, Preview
from .server import PreviewServer, start

__all__ = ["Entry", "Preview", "PreviewServer", "serve"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def serve(
    config: Config,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    on_ready: Callable[[str], None] = lambda url: None,
    on_change: Callable[[Preview | ArgbriefError, tuple[str, ...]], None] = lambda outcome, changed: None,
    stop_event: threading.Event | None = None,
    force_polling: bool | None = None,
) -> None:
    """Serve the preview of ``config``'s project until Ctrl-C or ``stop_event``.

    ``on_ready`` gets the page's URL once the server listens; ``on_change`` gets
    the refreshed preview (or the error that stopped a refresh) and the changed
    files after every burst of changes. Raises :class:`~argbrief.errors.UsageError`
    when the address cannot be listened on.
    """
    from ..builder.watch import watch

    preview = Preview(config).refresh()
    server, thread = start(preview, host, port)
    first = True

    def refresh() -> Preview:
        nonlocal first
        if first:  # watch() starts with a run of its own: the project was loaded just above
            first = False
            return preview
        return preview.refresh()

    def changed(outcome: Preview | ArgbriefError, files: tuple[str, ...]) -> None:
        if files:
            on_change(outcome, files)

    try:
        on_ready(server.url)
        watch(config, refresh, changed, stop_event=stop_event, force_polling=force_polling, debounce_ms=DEBOUNCE_MS)
    finally:
        preview.stop()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


#: The most a burst of saves is held back before the page updates (watchfiles yields sooner, 50 ms after
#: the last change; this bounds a burst that goes on and on).
DEBOUNCE_MS = 300
