"""The live preview of `infogen watch --serve`: one page on 127.0.0.1 that shows the
rendered SVGs (and PNGs), the fit report and the current errors, and follows the renders
without a reload.

The page learns of each render from Server-Sent Events (`/events`, one `render` event
with the status document per render, sent to every open page) and fetches the images
again with the render's number as a cache-busting query. The status document is also at
`/status`, for scripts.

What is served is deliberately narrow, because a local port is reachable by every
program on the machine and, by DNS rebinding, by web pages: the socket is bound to the
loopback address only; requests must name this server as their Host; and the only
files are those the last good render of this run wrote directly into the output
directory, looked up by exact name (never a path built from the URL), opened without
following a symbolic link, and only if they are regular files. Everything else is 404.
Nothing here writes a file.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import socketserver
import stat
import threading
from collections.abc import Collection
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote

from .diagnostics import Diagnostic, InfogenError

HOST = "127.0.0.1"  # loopback only, by design: there is no option to change it
KEEPALIVE_S = 15.0  # a comment line on /events this often, so a dead page is noticed
CONTENT_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".pdf": "application/pdf",
    ".json": "application/json; charset=utf-8",
}
FIRST_STATUS: dict[str, Any] = {
    "render": 0,
    "ok": True,
    "seconds": 0.0,
    "finished": "",
    "changed": [],
    "errors": [],
    "warnings": [],
    "shown": 0,
    "files": [],
    "fits": [],
    "fit_table": "",
}


class Board:
    """What the page shows, handed from the watch loop to the request threads: the latest
    status document, numbered so each /events stream knows what its page has seen, and
    the names of the files that may be served."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._version = 0
        self._status: dict[str, Any] = dict(FIRST_STATUS)
        self._files: frozenset[str] = frozenset()
        self.closed = False

    def publish(self, status: dict[str, Any], files: Collection[str]) -> None:
        with self._changed:
            self._status, self._files = status, frozenset(files)
            self._version += 1
            self._changed.notify_all()

    def current(self) -> tuple[int, dict[str, Any]]:
        with self._changed:
            return self._version, self._status

    def after(self, seen: int, timeout: float) -> tuple[int, dict[str, Any]] | None:
        """The status once it is newer than version `seen`; None after `timeout` seconds
        or when the server closes."""
        with self._changed:
            self._changed.wait_for(lambda: self._version != seen or self.closed, timeout)
            if self._version == seen or self.closed:
                return None
            return self._version, self._status

    def allows(self, name: str) -> bool:
        with self._changed:
            return name in self._files

    def close(self) -> None:
        with self._changed:
            self.closed = True
            self._changed.notify_all()


class PreviewServer(ThreadingHTTPServer):
    """The HTTP server, in a thread of its own; each request (each open /events stream)
    in another."""

    daemon_threads = True  # an open page must not keep the process alive
    allow_reuse_port = False  # a second watch on the same port is an error, not a twin

    def __init__(self, out_dir: Path, port: int) -> None:
        self.out_dir = out_dir.resolve()
        self.board = Board()
        super().__init__((HOST, port), Handler)
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.1}, name="infogen-preview", daemon=True
        )

    def server_bind(self) -> None:
        """As HTTPServer's, without its reverse DNS lookup of the address (slow offline)."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = HOST, self.server_address[1]

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def publish(self, status: dict[str, Any], files: Collection[str]) -> None:
        self.board.publish(status, files)

    def stop(self) -> None:
        self.board.close()  # ends the /events streams
        self.shutdown()
        self.server_close()


def start(out_dir: Path, port: int) -> PreviewServer:
    """Listen on 127.0.0.1:port (0: a free port) and serve in the background."""
    try:
        server = PreviewServer(out_dir, port)
    except OSError as exc:
        hint = "stop the other server, or pass --port N (--port 0 picks a free port)"
        raise InfogenError(
            [Diagnostic(f"cannot serve the preview on {HOST}:{port}: {exc.strerror}", hint=hint)]
        ) from None
    server._thread.start()
    return server


def read_output(out_dir: Path, name: str) -> bytes | None:
    """The bytes of out_dir/name if it is a regular file there, not a link to one
    elsewhere; `name` is one of the written names, never a path from a URL."""
    path = out_dir / name
    try:
        if path.is_symlink():
            return None
        # O_NOFOLLOW: no link swapped in meanwhile; O_NONBLOCK: a FIFO does not hang us
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # a directory, a FIFO, a device
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    except OSError:
        return None
    finally:
        os.close(fd)


class Handler(BaseHTTPRequestHandler):
    """GET / (the page), /status (JSON), /events (Server-Sent Events) and /out/NAME (an
    output of this run); anything else is 404."""

    server_version = "infogen-preview"
    sys_version = ""

    @property
    def preview(self) -> PreviewServer:
        return cast(PreviewServer, self.server)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal is the designer's, for renders and errors."""

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if self.headers.get("Host") not in (f"{HOST}:{self.preview.port}", f"localhost:{self.preview.port}"):
            self.send(403, b"wrong Host: the preview answers only as 127.0.0.1\n", "text/plain")
        elif path == "/":
            self.send(200, PAGE.encode(), "text/html; charset=utf-8", PAGE_POLICY)
        elif path == "/status":
            _, status = self.preview.board.current()
            self.send(200, json.dumps(status, ensure_ascii=False).encode(), CONTENT_TYPES[".json"])
        elif path == "/events":
            self.stream_events()
        elif path.startswith("/out/"):
            self.send_output(unquote(path[len("/out/") :]))
        else:
            self.not_found()

    def send_output(self, name: str) -> None:
        if not self.preview.board.allows(name):
            return self.not_found()
        data = read_output(self.preview.out_dir, name)
        if data is None:
            return self.not_found()
        kind = CONTENT_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")
        self.send(200, data, kind, "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox")

    def stream_events(self) -> None:
        """One `render` event with the status now, then one per render, until the page
        goes away or the watch ends; a comment line now and then in between."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        board, seen = self.preview.board, -1
        try:
            self.wfile.write(b"retry: 1000\n\n")  # reconnect soon if the watch restarts
            while not board.closed:
                update = board.after(seen, KEEPALIVE_S)
                if update is None:
                    chunk = b": watching\n\n"
                else:
                    seen, status = update
                    chunk = (
                        b"event: render\ndata: " + json.dumps(status, ensure_ascii=False).encode() + b"\n\n"
                    )
                self.wfile.write(chunk)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def not_found(self) -> None:
        self.send(404, b"not found\n", "text/plain")

    def send(self, code: int, body: bytes, kind: str, policy: str = "default-src 'none'") -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", policy)
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        self.wfile.write(body)


STYLE = """
body { font: 15px/1.4 system-ui, sans-serif; margin: 1rem 2rem; color: #1d2731; background: #f4f6f8; }
#state { font-weight: 600; } #state.failed { color: #a4161a; }
#errors { background: #fde8e8; border-left: 4px solid #a4161a; padding: .75rem 1rem; white-space: pre-wrap; }
#stale { color: #7a5b00; } #fits { background: white; padding: .5rem 1rem; } #warnings { color: #7a5b00; }
#outputs { display: flex; flex-wrap: wrap; gap: 1.5rem; }
figure { margin: 0; } figcaption { font-size: 13px; color: #4a5863; }
figure img { max-width: min(90vw, 900px); max-height: 85vh; background: white; box-shadow: 0 1px 4px #0003; }
pre { overflow-x: auto; }
"""

SCRIPT = """
const $ = (id) => document.getElementById(id);
let shown = -1;
function item(name) {
  const figure = document.createElement("figure"), caption = document.createElement("figcaption");
  const view = document.createElement(/\\.(svg|png)$/i.test(name) ? "img" : "a");
  view.textContent = name;
  caption.textContent = view.alt = name;
  figure.dataset.name = name;
  figure.append(view, ...(view.tagName === "IMG" ? [caption] : []));
  return figure;
}
function show(s) {
  document.body.dataset.render = s.render;
  const changed = s.changed.length ? " after a change to " + s.changed.join(", ") : "";
  $("state").textContent = s.render === 0 ? "rendering…" :
    `render #${s.render} ${s.ok ? "done" : "FAILED"} in ${s.seconds.toFixed(2)} s at ${s.finished}${changed}`;
  $("state").className = s.ok ? "ok" : "failed";
  $("errors").textContent = s.errors.join("\\n\\n");
  $("errors").hidden = s.errors.length === 0;
  $("stale").textContent = s.ok || !s.shown ? "" : `Showing render #${s.shown}, the last good one (out/ holds it).`;
  $("fits").textContent = s.fit_table || "(no fit report yet)";
  $("warnings").textContent = s.warnings.join("\\n");
  if (s.shown === shown) return;
  shown = s.shown;
  document.body.dataset.shown = s.shown;
  const box = $("outputs"), old = new Map([...box.children].map((el) => [el.dataset.name, el]));
  box.replaceChildren(...s.files.map((name) => {
    const figure = old.get(name) || item(name), view = figure.firstChild;
    const url = "/out/" + encodeURIComponent(name) + "?v=" + s.shown;
    if (view.tagName === "IMG") view.src = url; else view.href = url;
    return figure;
  }));
}
const events = new EventSource("/events");
events.addEventListener("render", (event) => show(JSON.parse(event.data)));
events.onerror = () => { $("state").textContent = "not connected: is infogen watch still running?";
                         $("state").className = "failed"; };
"""


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# The page runs its one script and nothing else, and talks to this server only.
PAGE_POLICY = (
    f"default-src 'none'; script-src {_hash(SCRIPT)}; style-src {_hash(STYLE)}; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'"
)
PAGE = f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>infogen watch</title><link rel="icon" href="data:,">
<style>{STYLE}</style></head>
<body data-render="0" data-shown="0">
<p id="state" role="status">connecting…</p>
<pre id="errors" hidden></pre>
<p id="stale"></p>
<pre id="fits"></pre>
<pre id="warnings"></pre>
<section id="outputs"></section>
<script>{SCRIPT}</script>
</body>
</html>
"""
