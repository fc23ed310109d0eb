"""Fetching one web page for ``seospam score URL``: polite, bounded, and with one-line errors.

What a fetch does (see docs/score.md, "Fetching"):

* http and https only, here and on every redirect hop; at most :data:`MAX_REDIRECTS` redirects.
* robots.txt is read (with protego, which understands ``*`` and ``$`` wildcards, unlike urllib's robotparser) for
  every host the fetch visits, under the product token :data:`ROBOTS_TOKEN`; ``respect_robots=False`` skips it, for
  sites you run yourself. A missing robots.txt (4xx) allows everything; a 5xx one disallows everything (RFC 9309).
* connect and read timeouts, plus one overall deadline per fetch (robots.txt and redirects included) that holds
  even against a server that drips its status line and headers a byte at a time: every socket wait (connect, TLS,
  headers, body) is cut to the time left, and a watchdog gives up on a fetch still running at the deadline (for
  example stuck in a DNS lookup, which no socket timeout bounds) and shuts its sockets.
* at most :data:`~seospam.inputs.files.MAX_PAGE_BYTES` bytes of (decompressed) body; a larger page is an error, not truncated, because the
  fetcher cannot tell the page parser that it cut the page (``Page.truncated``) and a silently cut page would be
  scored as if it were whole.
* only HTML (``text/html``, ``application/xhtml+xml``; a missing Content-Type if the body looks like HTML).
  ``text/plain`` is refused too: the URL path parses every fetched body as HTML, which would flatten a text dump's
  lines into one paragraph.
* charset: byte-order mark, then the Content-Type header, then ``<meta charset>`` / ``http-equiv``, then
  charset-normalizer's guess, then UTF-8 with replacement characters.

httpx, protego and charset-normalizer are imported only when a URL is fetched, to keep the CLI's cold start short.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

from .. import __version__
from ..errors import FetchError
from .decode import decode_html
from .files import MAX_PAGE_BYTES

USER_AGENT = f"seospam/{__version__} (+https://github.com/seospam/seospam)"
#: The name robots.txt rules must use to address this tool (``User-agent: seospam``).
ROBOTS_TOKEN = "seospam"
MAX_REDIRECTS = 5
#: RFC 9309 asks parsers to read at least 500 KiB of robots.txt; more than that is ignored.
MAX_ROBOTS_BYTES = 512 * 1024
HTML_TYPES = ("text/html", "application/xhtml+xml")
SCHEMES = ("http", "https")

@dataclass(frozen=True)
class Fetched:
    """One fetched page: final URL after redirects, status, media type, the charset used, text and raw bytes."""

    url: str
    status: int
    content_type: str
    encoding: str
    text: str
    content: bytes = field(repr=False)


class Fetcher:
    """A configured page fetcher; ``fetcher(url)`` returns a :class:`Fetched` or raises :class:`FetchError`."""

    def __init__(self, *, respect_robots: bool = True, timeout: float = 10.0, connect_timeout: float | None = None,
                 max_bytes: int = MAX_PAGE_BYTES, max_redirects: int = MAX_REDIRECTS, user_agent: str = USER_AGENT,
                 deadline: float | None = None, transport: Any = None) -> None:
        self.respect_robots = respect_robots
        self.timeout = float(timeout)
        self.connect_timeout = float(connect_timeout if connect_timeout is not None else min(timeout, 10.0))
        # Read timeouts reset on every chunk; the deadline bounds the whole fetch (robots.txt included).
        self.deadline = float(deadline if deadline is not None else 3 * self.timeout)
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.user_agent = user_agent
        self.transport = transport  # an httpx transport, for tests that mock the network
        self._robots: dict[str, Any] = {}  # origin → parsed robots.txt (None: allow all)

    def __call__(self, url: str) -> Fetched:
        """Fetch one page, following redirects; see the module docstring for the rules."""
        check_url(url)
        guard = _Deadline(time.monotonic() + self.deadline)
        box: dict[str, Any] = {}

        def work() -> None:
            try:
                box["ok"] = self._fetch_raw(url, guard)
            except BaseException as e:  # handed to the calling thread, which raises it
                box["err"] = e

        # The watchdog: the network part runs on its own thread, and the caller waits for it only until the
        # deadline. Socket waits are already cut to the deadline (see _Deadline), so this catches what they
        # cannot: a DNS lookup, or anything else that blocks outside a socket call.
        worker = threading.Thread(target=work, name="seospam-fetch", daemon=True)
        worker.start()
        worker.join(self.deadline + _GRACE)
        if worker.is_alive():
            guard.abort()  # wake the thread's blocked socket calls, so it ends now rather than when the server does
            raise self._too_slow(url)
        if "err" in box:
            raise box["err"]
        final, status, media, charset, data = box["ok"]
        # Decoding runs after the deadline's watch: charset detection is our time, not the server's.
        if not media and not _sniff_html(data):
            raise FetchError(f"no content type and the body does not look like HTML: {final}")
        text, encoding = decode_html(data, charset)
        return Fetched(url=final, status=status, content_type=media or "text/html", encoding=encoding, text=text,
                       content=data)

    def _fetch_raw(self, url: str, guard: "_Deadline") -> tuple[str, int, str, str | None, bytes]:
        """The network part of a fetch: (final URL, status, media type, declared charset, body bytes)."""
        import httpx

        stop_at = guard.stop_at
        try:
            with self._client(httpx, guard) as client:
                return self._fetch(client, url, stop_at)
        except FetchError:
            raise
        except httpx.TimeoutException as e:
            # A request whose timeout was shortened to the deadline (see _timeout, _Deadline) ran out: name it.
            raise (self._too_slow(url) if time.monotonic() + 0.05 >= stop_at or guard.expired
                   else FetchError(_describe(e, url, self))) from None
        except (httpx.HTTPError, httpx.InvalidURL) as e:
            if guard.expired:  # the watchdog shut the socket under a read
                raise self._too_slow(url) from None
            raise FetchError(_describe(e, url, self)) from None

    def _client(self, httpx: Any, guard: "_Deadline") -> Any:
        timeout = httpx.Timeout(self.timeout, connect=self.connect_timeout)
        transport = self.transport if self.transport is not None else _deadline_transport(httpx, guard)
        return httpx.Client(timeout=timeout, follow_redirects=False, transport=transport, verify=_ssl_context(),
                            headers={"User-Agent": self.user_agent,
                                     "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"})

    def _fetch(self, client: Any, url: str, stop_at: float) -> tuple[str, int, str, str | None, bytes]:
        """Follow redirects by hand so every hop is checked for scheme and robots.txt."""
        start = url
        for _ in range(self.max_redirects + 1):
            if self.respect_robots:
                self._check_robots(client, url, stop_at)
            with client.stream("GET", url, timeout=self._timeout(url, stop_at)) as resp:
                if resp.is_redirect and "location" in resp.headers:
                    url = urljoin(str(resp.url), resp.headers["location"].strip())
                    check_url(url, redirected=True)
                    continue
                if resp.status_code >= 400:
                    raise FetchError(f"HTTP {resp.status_code} for {url}")
                media, charset = parse_content_type(resp.headers.get("content-type", ""))
                if media and media not in HTML_TYPES:
                    raise FetchError(f"unsupported content type {media} at {url} (seospam scores HTML pages)")
                if (n := _content_length(resp)) is not None and n > self.max_bytes:
                    raise FetchError(f"page is {n:,} bytes, over the {_mb(self.max_bytes)} cap: {url}")
                data = self._read_capped(resp, url, stop_at, self.max_bytes, fail=True)
                return url, resp.status_code, media, charset, data
        raise FetchError(f"too many redirects (more than {self.max_redirects}) from {start}")

    def _read_capped(self, resp: Any, url: str, stop_at: float, cap: int, *, fail: bool) -> bytes:
        """Stream the body and stop at ``cap`` bytes (error if ``fail``, else keep the first ``cap``)."""
        buf = bytearray()
        for chunk in resp.iter_bytes():
            buf += chunk
            if len(buf) > cap:
                if fail:
                    raise FetchError(f"page is over the {_mb(cap)} cap: {url}")
                return bytes(buf[:cap])
            if time.monotonic() > stop_at:
                raise self._too_slow(url)
        return bytes(buf)

    def _timeout(self, url: str, stop_at: float) -> Any:
        """Per-request timeouts, shortened so that no request runs past the overall deadline."""
        import httpx

        left = stop_at - time.monotonic()
        if left <= 0:
            raise self._too_slow(url)
        return httpx.Timeout(min(self.timeout, left), connect=min(self.connect_timeout, left))

    def _too_slow(self, url: str) -> FetchError:
        return FetchError(f"gave up on {url} after {self.deadline:g} s (server too slow)")

    def _check_robots(self, client: Any, url: str, stop_at: float) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(client, origin, stop_at)
        rp = self._robots[origin]
        if rp is not None and not rp.can_fetch(url, ROBOTS_TOKEN):
            raise FetchError(f"robots.txt disallows {url} for {ROBOTS_TOKEN} (use --ignore-robots only for "
                             "a site you run yourself)")

    def _load_robots(self, client: Any, origin: str, stop_at: float) -> Any:
        """Parsed robots.txt of an origin, or None when there is none (every path allowed)."""
        from protego import Protego

        url = origin + "/robots.txt"
        # httpx follows robots.txt redirects itself: RFC 9309 allows five hops, and scheme checks don't apply.
        with client.stream("GET", url, follow_redirects=True, timeout=self._timeout(url, stop_at)) as resp:
            if resp.status_code >= 500:
                raise FetchError(f"robots.txt at {url} gave HTTP {resp.status_code}, which means 'disallow all' "
                                 "(RFC 9309); use --ignore-robots only for a site you run yourself")
            if resp.status_code >= 400:
                return None
            data = self._read_capped(resp, url, stop_at, MAX_ROBOTS_BYTES, fail=False)
        return Protego.parse(data.decode("utf-8", errors="replace"))


#: Seconds the watchdog waits past the deadline, so that a fetch ending at the deadline reports its own error.
_GRACE = 0.25


class _Deadline:
    """One fetch's overall deadline: cuts every socket wait to the time left, and can shut every socket it saw.

    Read timeouts restart on every byte, so a server that sends a byte a second never trips one; cutting each
    wait to the time left does. :meth:`abort` is the watchdog's lever for a thread still blocked at the deadline.
    """

    def __init__(self, stop_at: float) -> None:
        self.stop_at = stop_at
        self.expired = False
        self._socks: list[Any] = []
        self._lock = threading.Lock()

    def clamp(self, timeout: float | None, exc: type[Exception]) -> float:
        """``timeout`` cut to the time left; raises ``exc`` once none is left (0 would mean non-blocking)."""
        left = self.stop_at - time.monotonic()
        if left <= 0 or self.expired:
            raise exc("the fetch's overall deadline has passed")
        return left if timeout is None else min(timeout, left)

    def register(self, stream: Any) -> None:
        """Remember a stream's socket, so :meth:`abort` can shut it."""
        sock = stream.get_extra_info("socket")
        if sock is None:
            return
        with self._lock:
            self._socks.append(sock)
            if self.expired:
                _shut(sock)

    def abort(self) -> None:
        """Shut every socket of this fetch: a blocked recv() returns at once (close() alone would not wake it)."""
        with self._lock:
            self.expired = True
            for sock in self._socks:
                _shut(sock)


def _shut(sock: Any) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


@lru_cache(maxsize=1)
def _deadline_classes() -> tuple[type, type]:
    """httpcore network stream and backend classes that apply a :class:`_Deadline` (built on first fetch)."""
    import httpcore

    class DeadlineStream(httpcore.NetworkStream):
        """A socket stream whose every wait ends by the deadline."""

        def __init__(self, inner: Any, guard: _Deadline) -> None:
            self.inner, self.guard = inner, guard
            guard.register(inner)

        def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            """Read, waiting no later than the deadline."""
            return self.inner.read(max_bytes, self.guard.clamp(timeout, httpcore.ReadTimeout))

        def write(self, buffer: bytes, timeout: float | None = None) -> None:
            """Write, waiting no later than the deadline."""
            self.inner.write(buffer, self.guard.clamp(timeout, httpcore.WriteTimeout))

        def close(self) -> None:
            """Close the socket."""
            self.inner.close()

        def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                      timeout: float | None = None) -> Any:
            """TLS handshake, ending by the deadline."""
            return DeadlineStream(self.inner.start_tls(ssl_context, server_hostname,
                                                       self.guard.clamp(timeout, httpcore.ConnectTimeout)), self.guard)

        def get_extra_info(self, info: str) -> Any:
            """As the wrapped stream."""
            return self.inner.get_extra_info(info)

    class DeadlineBackend(httpcore.NetworkBackend):
        """httpcore's sync socket backend, with every connect and stream bound by one deadline."""

        def __init__(self, guard: _Deadline) -> None:
            self.inner, self.guard = httpcore.SyncBackend(), guard

        def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                        socket_options: Any = None) -> Any:
            """Connect, giving up by the deadline."""
            stream = self.inner.connect_tcp(host, port, self.guard.clamp(timeout, httpcore.ConnectTimeout),
                                            local_address, socket_options)
            return DeadlineStream(stream, self.guard)

        def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None) -> Any:
            """Connect to a Unix socket, giving up by the deadline."""
            stream = self.inner.connect_unix_socket(path, self.guard.clamp(timeout, httpcore.ConnectTimeout),
                                                    socket_options)
            return DeadlineStream(stream, self.guard)

        def sleep(self, seconds: float) -> None:
            """Sleep, but not past the deadline."""
            time.sleep(max(0.0, min(seconds, self.guard.stop_at - time.monotonic())))

    return DeadlineStream, DeadlineBackend


def _deadline_transport(httpx: Any, guard: _Deadline) -> Any:
    """httpx's default transport, its connection pool using the deadline-bound socket backend."""
    transport = httpx.HTTPTransport(verify=_ssl_context())
    pool = getattr(transport, "_pool", None)
    # A private attribute of httpcore's pool, set before its first connection. Should a future httpcore rename
    # it, the watchdog in Fetcher.__call__ still bounds the fetch; only the sockets would linger past it.
    if pool is not None and hasattr(pool, "_network_backend"):
        pool._network_backend = _deadline_classes()[1](guard)
    return transport


@lru_cache(maxsize=1)
def _ssl_context() -> Any:
    """httpx's default verifying SSL context, built once: loading the CA bundle takes ~0.2 s."""
    import httpx

    return httpx.create_ssl_context()


def fetch_url(url: str, **kw: Any) -> Fetched:
    """Fetch one page with a fresh :class:`Fetcher` (keyword arguments as for ``Fetcher``)."""
    return Fetcher(**kw)(url)


def check_url(url: str, *, redirected: bool = False) -> None:
    """Refuse anything but an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(url)
    except ValueError as e:
        raise FetchError(f"invalid URL {url!r}: {e}") from None
    where = " (redirect target)" if redirected else ""
    if parts.scheme.lower() not in SCHEMES:
        raise FetchError(f"unsupported URL scheme {parts.scheme or 'none'!r}{where}: {url} (http and https only)")
    if not parts.hostname:
        raise FetchError(f"URL has no host{where}: {url}")


def parse_content_type(value: str) -> tuple[str, str | None]:
    """``text/html; charset=UTF-8`` → ``("text/html", "UTF-8")``; media type lower-cased, '' if absent."""
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip().strip("\"'"):
            charset = val.strip().strip("\"'")
    return media.strip().lower(), charset


def _sniff_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<!--")) or b"<html" in head


def _content_length(resp: Any) -> int | None:
    try:
        return int(resp.headers["content-length"])
    except (KeyError, ValueError):
        return None


def _mb(n: int) -> str:
    return f"{n / 1_000_000:g} MB"


def _describe(exc: Exception, url: str, fetcher: Fetcher) -> str:
    """One line for an httpx failure: what went wrong and where, without a traceback."""
    import httpx

    host = urlsplit(url).netloc or url
    if isinstance(exc, httpx.ConnectTimeout):
        return f"timed out connecting to {host} after {fetcher.connect_timeout:g} s"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out waiting for {url} after {fetcher.timeout:g} s"
    reason = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect to {host}: {reason}"
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        return f"invalid URL {url}: {reason}"
    return f"fetching {url} failed: {type(exc).__name__}: {reason}"
