"""Helpers several test modules share: paths, corpus pages as HTML and WARC, batch output rows, and a local
127.0.0.1 HTTP server (never the internet). Fixtures are in conftest.py."""

from __future__ import annotations

import csv
import gzip
import html
import io
import json
import select
import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

#: The checkout, whatever folder a test module sits in.
ROOT = Path(__file__).resolve().parents[1]
#: ../shared beside the checkout: real pages, read in place and never copied.
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


# ---------------------------------------------------------------------------------------------------------------
# pages written by the tests

def corpus_texts(n: int, corpus: str = "nih_health_pages.jsonl") -> list[dict]:
    """The first ``n`` records of a ../shared corpus, read in place."""
    path = SHARED / "corpora" / corpus
    if not path.exists():
        pytest.fail(f"../shared is missing beside the checkout ({SHARED}); CI provides it")
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            out.append(json.loads(line))
            if len(out) >= n:
                break
    return out


def as_html(title: str, text: str) -> str:
    """A minimal HTML page around a text dump (one paragraph a line)."""
    paras = "".join(f"<p>{line}</p>" for line in text.splitlines() if line.strip())
    return f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{paras}</body></html>"


def write_warc(path: Path, pages: list[tuple[str, bytes]], *, gz: bool = True, extras: bool = True,
               content_types: list[str] | None = None, encodings: list[str | None] | None = None) -> list[str]:
    """Write response records (url, html bytes) with warcio, plus request and non-HTML records; returns record ids."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    ids = []
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=gz)
        for i, (url, body) in enumerate(pages):
            ctype = content_types[i] if content_types else "text/html; charset=utf-8"
            headers = [("Content-Type", ctype)]
            enc = encodings[i] if encodings else None
            if enc == "gzip":
                body = gzip.compress(body)
                headers.append(("Content-Encoding", "gzip"))
            hh = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
            rec = w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=hh)
            w.write_record(rec)
            ids.append(rec.rec_headers.get_header("WARC-Record-ID"))
            if extras:
                w.write_record(w.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
        if extras:  # an image response: not a page, skipped and counted
            hh = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record("http://example.com/logo.png", "response",
                                                payload=io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(64)),
                                                http_headers=hh))
    return ids


def warc_pages(n: int) -> list[tuple[str, bytes]]:
    """``n`` HTML pages made from the ../shared corpus."""
    return [(r["url"] or f"http://example.com/{i}", as_html(r["title"], r["text"]).encode("utf-8"))
            for i, r in enumerate(corpus_texts(n))]


def read_output(path: Path) -> list[dict]:
    """Rows of a batch output file, any format, as dicts."""
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    if path.suffix == ".csv":
        with open(path, newline="", encoding="utf-8") as fh:
            return list(csv.DictReader(fh))
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pylist()



# ---------------------------------------------------------------------------------------------------------------
# pages served

HONEST = """<!DOCTYPE html><html><head><title>Allotment notes, week 14</title></head><body>
<h1>Allotment notes, week 14</h1>
<p>We lifted the last of the leeks on Saturday. Two of them had rust on the outer leaves, which peels off, so they
went into a soup with the potatoes from the shed.</p>
<p>The broad beans I sowed in November came through the frost better than the February ones. Next year I'll sow
them all in autumn and put a cloche over the end row, where the wind comes in off the railway.</p>
<p>Margaret from plot 9 lent me her rotavator. It jammed twice on the bindweed roots, and in the end I dug the far
corner by hand. Took most of the afternoon, but the soil there is lovely now.</p>
<p>Rhubarb is up. The slugs found the lettuce seedlings before I did, so I'm trying again with a few under a
bottle.</p>
<p>If anyone has spare canes, I could use about a dozen for the peas. Leave them by the gate and I'll swap you some
chard.</p>
</body></html>
"""

def seed_html(path: Path) -> str:
    """A seed's text dump as HTML: short unpunctuated lines as <h2>, runs of "- " lines as <ul>, the rest <p>."""
    out, in_list = [f"<!DOCTYPE html><html><head><title>{html.escape(path.stem)}</title></head><body>"], False
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        item = line.startswith("- ")
        if item != in_list:
            out.append("<ul>" if item else "</ul>")
            in_list = item
        if item:
            out.append(f"<li>{html.escape(line[2:])}</li>")
        elif len(line.split()) <= 12 and not line.endswith((".", "!", "?", '"', "”")):
            out.append(f"<h2>{html.escape(line)}</h2>")
        else:
            out.append(f"<p>{html.escape(line)}</p>")
    out.append("</ul></body></html>" if in_list else "</body></html>")
    return "\n".join(out)



# ---------------------------------------------------------------------------------------------------------------
# a local HTTP server

ROBOTS = b"""\
User-agent: otherbot
Disallow: /

User-agent: seospam
Disallow: /private/
Disallow: /*?session=

User-agent: *
Disallow: /private/
"""

@dataclass
class Route:
    """What the local server answers for one path."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    content_length: bool = True  # False: no Content-Length, the body ends when the connection closes
    delay: float = 0.0
    hold: bool = False  # True: answer only once the client has hung up (or after HOLD_CAP seconds)


#: How long a held answer waits for its client to hang up: only there to end a test whose client never does.
HOLD_CAP = 30.0


class LocalServer:
    """A threaded HTTP server on 127.0.0.1 with a mutable route table; records every request's path and headers,
    and the paths whose client hung up before the answer was sent (``abandoned``)."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {"/robots.txt": Route(ROBOTS, headers={"Content-Type": "text/plain"})}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.abandoned: list[str] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        """Absolute URL of a path on this server."""
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def add(self, path: str, body: bytes | str = b"", **kw) -> str:
        """Serve ``body`` at ``path``; returns the URL."""
        self.routes[path] = Route(body.encode() if isinstance(body, str) else body, **kw)
        return self.url(path)

    def hung_up(self, path: str, wait: float = HOLD_CAP) -> bool:
        """Whether a client hangs up on ``path`` before its answer is sent (waits for the handler to see it)."""
        stop = time.monotonic() + wait
        while path not in self.abandoned and time.monotonic() < stop:
            time.sleep(0.02)
        return path in self.abandoned

    @contextmanager
    def robots(self, body: bytes, status: int = 200) -> Iterator[None]:
        """Temporarily serve another robots.txt."""
        old = self.routes["/robots.txt"]
        self.routes["/robots.txt"] = Route(body, status=status, headers={"Content-Type": "text/plain"})
        try:
            yield
        finally:
            self.routes["/robots.txt"] = old


def _handler(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            server.requests.append((self.path, dict(self.headers)))
            route = server.routes.get(self.path.split("?")[0]) or server.routes.get(self.path)
            route = route or Route(b"not found", status=404, headers={"Content-Type": "text/plain"})
            if client_left(self.connection, HOLD_CAP if route.hold else route.delay):
                server.abandoned.append(self.path)
                return
            try:
                self.send_response(route.status)
                for k, v in route.headers.items():
                    self.send_header(k, v)
                if route.content_length:
                    self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading (size cap, timeout): that is the point of those tests

        def log_message(self, *args) -> None:
            pass

    return Handler


def client_left(conn: socket.socket, wait: float) -> bool:
    """Wait up to ``wait`` seconds; True as soon as the client has closed its end of ``conn``."""
    stop = time.monotonic() + wait
    while True:
        left = stop - time.monotonic()
        readable, _, _ = select.select([conn], [], [], max(0.0, min(left, 0.05)))
        if readable:
            try:
                if conn.recv(1, socket.MSG_PEEK) == b"":
                    return True
            except (ConnectionResetError, OSError):
                return True
            time.sleep(0.01)  # bytes we do not read (a pipelined request): not a hang-up
        if left <= 0:
            return False


def serve() -> Iterator[LocalServer]:
    """Start a :class:`LocalServer`, yield it, stop it."""
    srv = LocalServer()
    srv.thread.start()
    try:
        yield srv
    finally:
        if srv.thread.is_alive():  # shutdown() waits forever for a serve_forever loop that is not running
            srv.httpd.shutdown()
        srv.httpd.server_close()


