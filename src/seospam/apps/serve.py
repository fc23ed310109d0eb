"""``seospam serve``: a JSON API and a review page for people, on Starlette and uvicorn (the ``serve`` extra).

Endpoints (full reference: docs/serve.md):

* ``POST /v1/score``: ``{"text"|"html"|"url": ..., "threshold"?: ...}`` → the object ``seospam score --json``
  prints (the same :func:`seospam.scoring.score_result` call makes it).
* ``POST /v1/batch``: ``{"records": [...], "threshold"?: ...}``, at most ``max_batch`` records → ``{"results":
  [...]}``, one per record in order; a record that cannot be scored gets ``{"id", "error"}`` in its place.
* ``GET /healthz``: the model's name, sha256 and threshold, the work in progress and the limits.
* ``GET /`` and ``POST /``: a form to paste text or HTML or give a URL, answered with the score, the reasons and
  the highlighted page (the ``score --html`` report, :func:`seospam.html_report.report_parts`). No scripts, no
  external assets, and a Content-Security-Policy that would block any.

Every failure is ``{"error": {"status", "type", "message"}}`` with that HTTP status: 400 malformed request, 408
body not received in time, 413 body or batch too large, 415 not JSON, 422 a page that cannot be read or fetched
(the CLI's exit 3), 503 too much work in progress, 504 past the deadline, 500 a bug.

How work is bounded, and why:

* Each request may hold one of ``max_concurrent`` slots from before its body is read until its last piece of work
  has really finished (a timed-out fetch or scoring thread keeps its slot until it ends), so memory is at most
  ``max_concurrent × max_body`` and the count is honest; one more request gets 503 at once, not a queue nobody sees.
* Scoring is pure Python under the GIL, so ``workers`` threads score pages (more would only share one core) and
  admitted requests wait for one in order; URL fetches wait on the network in a pool of their own, so a slow site
  does not hold a scoring thread.
* ``deadline`` seconds per request, body included: past it the request gets 504 and its work still queued is
  dropped. A fetch is also given the remaining time as its own deadline, so it stops by itself.
* URLs are fetched by :class:`seospam.fetch.Fetcher` exactly as ``seospam score URL`` fetches them (http(s) only,
  robots.txt, timeouts, 10 MB cap, HTML only). The server fetches any address a client names, its own network
  included, so it listens on 127.0.0.1 unless told otherwise, and ``fetch_urls=False`` turns URLs off.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from html import escape
from typing import Any, Callable
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ..errors import FetchError, InputError
from ..model.persist import Model, is_threshold, load_model

log = logging.getLogger("seospam.serve")

#: Longest URL accepted; longer ones are refused (400) rather than scored as page text by ``to_page``.
MAX_URL_CHARS = 2000
#: Fields a /v1/score body or a /v1/batch record may have; anything else is a 400 (catches typos like "htm").
RECORD_FIELDS = frozenset({"text", "html", "url", "threshold", "id"})
#: The review page may load nothing from anywhere: inline CSS only, no scripts, forms post back here.
CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"


@dataclass(frozen=True)
class Limits:
    """What one server accepts and how much work it takes on at once (see the module docstring)."""

    max_body: int = 5 * 1024 * 1024
    max_batch: int = 64
    deadline: float = 30.0
    max_concurrent: int = 32
    workers: int = 2
    fetch_timeout: float = 10.0
    fetch_urls: bool = True

    def __post_init__(self) -> None:
        for name in ("max_body", "max_batch", "max_concurrent", "workers"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if not self.deadline > 0 or not self.fetch_timeout > 0:
            raise ValueError("deadline and fetch_timeout must be positive")


class ApiError(Exception):
    """A failure answered as ``{"error": {"status", "type", "message"}}`` with HTTP ``status``."""

    def __init__(self, status: int, kind: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.kind, self.message, self.headers = status, kind, message, headers or {}

    def body(self) -> dict[str, Any]:
        """The JSON error object."""
        return {"error": {"status": self.status, "type": self.kind, "message": self.message}}


@dataclass(frozen=True)
class Ask:
    """One validated scoring request: ``kind`` is text, html, url or auto (the review form's sniffing)."""

    kind: str
    value: str
    threshold: float | None = None
    id: str | int | None = None  # returned as given, as "target" (or "id" beside an error)


def parse_ask(obj: Any, *, default_threshold: float | None = None, allow_url: bool = True) -> Ask:
    """Validate a /v1/score body or /v1/batch record; raises :class:`ApiError` (400) saying what is wrong."""
    if not isinstance(obj, dict):
        raise ApiError(400, "bad_request", "expected a JSON object with one of text, html or url")
    unknown = sorted(set(obj) - RECORD_FIELDS)
    if unknown:
        raise ApiError(400, "bad_request", f"unknown field(s) {', '.join(map(repr, unknown))}; "
                                           f"allowed: {', '.join(sorted(RECORD_FIELDS))}")
    given = [k for k in ("text", "html", "url") if obj.get(k) is not None]
    if len(given) != 1:
        raise ApiError(400, "bad_request", "give exactly one of text, html or url"
                       + (f" (got {', '.join(given)})" if given else ""))
    kind = given[0]
    value = obj[kind]
    if not isinstance(value, str):
        raise ApiError(400, "bad_request", f"{kind} must be a string")
    if kind == "url":
        if not allow_url:
            raise ApiError(400, "bad_request", "this server does not fetch URLs (started with --no-fetch); "
                                               "send the page as text or html")
        value = value.strip()
        # to_page only fetches a string that looks like one URL; anything else it would score as page text.
        if len(value) > MAX_URL_CHARS or any(c.isspace() or c in "<>\"'" for c in value):
            raise ApiError(400, "bad_request", f"url must be one http(s) URL of at most {MAX_URL_CHARS} characters")
    threshold = obj.get("threshold", default_threshold)
    if threshold is not None:
        threshold = check_threshold(threshold)
    rid = obj.get("id")
    if rid is not None and not isinstance(rid, (str, int)) or isinstance(rid, bool):
        raise ApiError(400, "bad_request", "id must be a string or an integer")
    return Ask(kind, value, threshold, rid)


def check_threshold(value: Any) -> float:
    """A threshold is a number from 0 to 1; raises :class:`ApiError` (400) otherwise."""
    if not is_threshold(value):
        raise ApiError(400, "bad_request", f"threshold must be a number from 0 to 1, not {json.dumps(value)}")
    return float(value)


def error_of(exc: BaseException) -> ApiError:
    """The :class:`ApiError` for an exception raised while fetching or scoring."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, FetchError):
        return ApiError(422, "fetch_error", str(exc))
    if isinstance(exc, InputError):
        return ApiError(422, "input_error", str(exc))
    log.error("scoring failed", exc_info=exc)
    return ApiError(500, "internal", f"{type(exc).__name__}: {exc}")


class Slot:
    """One admitted request's claim on the server; released when the request and all its work are done."""

    def __init__(self, work: "Work") -> None:
        self.work = work
        self.pending = 0
        self.closed = False

    def track(self, fut: Future) -> None:
        """Keep the slot until ``fut`` has finished, even if the request has stopped waiting for it."""
        with self.work.lock:
            self.pending += 1
        fut.add_done_callback(lambda _f: self._done(closing=False))

    def close(self) -> None:
        """The request is answered; the slot frees now or when its last piece of work ends."""
        self._done(closing=True)

    def _done(self, *, closing: bool) -> None:
        with self.work.lock:
            if closing:
                self.closed = True
            else:
                self.pending -= 1
            if self.closed and self.pending == 0:
                self.work.busy -= 1


class Work:
    """The server's thread pools and its count of admitted requests."""

    def __init__(self, model: Model, limits: Limits) -> None:
        self.model = model
        self.limits = limits
        self.lock = threading.Lock()
        self.busy = 0
        self.score_pool = ThreadPoolExecutor(limits.workers, thread_name_prefix="seospam-score")
        # Fetches mostly wait on the network; one thread per possible request keeps them off the scoring threads.
        self.fetch_pool = ThreadPoolExecutor(limits.max_concurrent, thread_name_prefix="seospam-fetch")

    def admit(self) -> Slot:
        """A slot for one request, or 503 when ``max_concurrent`` requests are already in progress."""
        with self.lock:
            if self.busy >= self.limits.max_concurrent:
                raise ApiError(503, "busy", f"server busy: {self.busy} requests in progress (the limit is "
                               f"{self.limits.max_concurrent}); retry shortly", headers={"Retry-After": "1"})
            self.busy += 1
        return Slot(self)

    async def run(self, slot: Slot, pool: ThreadPoolExecutor, stop_at: float, fn: Callable[..., Any],
                  *args: Any) -> Any:
        """Run ``fn(*args)`` in ``pool``; 504 at ``stop_at`` (queued work is dropped, running work ends alone)."""
        left = stop_at - time.monotonic()
        if left <= 0:
            raise deadline_error(self.limits.deadline)
        fut = pool.submit(fn, *args)
        slot.track(fut)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(fut), timeout=left)
        except asyncio.TimeoutError:
            fut.cancel()
            raise deadline_error(self.limits.deadline) from None

    def fetch(self, url: str, stop_at: float) -> Any:
        """Fetch ``url`` as ``seospam score URL`` does, stopping by itself shortly after the request's deadline."""
        from ..inputs.fetch import Fetcher

        left = stop_at - time.monotonic()
        if left <= 0:
            raise deadline_error(self.limits.deadline)
        # The extra second lets the request's own 504 fire first; the fetch then ends on its own, not much later.
        return Fetcher(timeout=self.limits.fetch_timeout, deadline=left + 1.0)(url)

    def score(self, ask: Ask, fetched: Any = None) -> Any:
        """Score one request with the library call ``seospam score`` uses; returns the ScoreResult."""
        from ..model.scoring import score_result

        if ask.kind == "url":
            # The page is already fetched (in the fetch pool); to_page's URL path takes it from this "fetcher".
            res = score_result(url=ask.value, model=self.model, fetcher=lambda _url: fetched,
                               threshold=ask.threshold)
        elif ask.kind in ("text", "html"):
            # By keyword: the value is the page itself, never a URL to fetch or a server file to read.
            res = score_result(model=self.model, threshold=ask.threshold, **{ask.kind: ask.value})
        else:
            # The review form's "detect": bytes are content that to_page sniffs, never a URL or a path.
            res = score_result(ask.value.encode("utf-8", "replace"), model=self.model, threshold=ask.threshold)
        if ask.id is not None:
            res.target = ask.id
        return res

    def score_many(self, asks: list[Any], stop_at: float) -> list[Any]:
        """Score a batch in order; records reached after ``stop_at`` get a 504 error instead."""
        out: list[Any] = []
        for item in asks:
            if isinstance(item, ApiError):
                out.append(item)
                continue
            ask, fetched = item
            if time.monotonic() >= stop_at:
                out.append(deadline_error(self.limits.deadline))
                continue
            try:
                out.append(self.score(ask, fetched).to_dict())
            except Exception as e:  # one record must not take the batch down
                out.append(error_of(e))
        return out

    async def score_one(self, slot: Slot, ask: Ask, stop_at: float) -> Any:
        """Fetch (for a URL) and score one request within its deadline; returns the ScoreResult."""
        fetched = None
        if ask.kind == "url":
            fetched = await self.run(slot, self.fetch_pool, stop_at, self.fetch, ask.value, stop_at)
        return await self.run(slot, self.score_pool, stop_at, self.score, ask, fetched)

    def close(self) -> None:
        """Stop the pools, dropping queued work (running work finishes)."""
        self.score_pool.shutdown(wait=False, cancel_futures=True)
        self.fetch_pool.shutdown(wait=False, cancel_futures=True)


def deadline_error(seconds: float) -> ApiError:
    """The 504 for a request that ran past its deadline."""
    return ApiError(504, "deadline", f"not done within the {seconds:g} s deadline")


async def read_body(request: Request, limits: Limits, stop_at: float) -> bytes:
    """The request body, at most ``max_body`` bytes (413) and received before the deadline (408)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_body:
        raise too_large(limits.max_body)
    buf = bytearray()

    async def receive() -> None:
        # A chunked body has no Content-Length, so the cap is also checked as the bytes arrive.
        async for chunk in request.stream():
            buf.extend(chunk)
            if len(buf) > limits.max_body:
                raise too_large(limits.max_body)

    try:
        await asyncio.wait_for(receive(), timeout=max(0.0, stop_at - time.monotonic()))
    except asyncio.TimeoutError:
        raise ApiError(408, "timeout", f"request body not received within the {limits.deadline:g} s deadline") \
            from None
    return bytes(buf)


def too_large(cap: int) -> ApiError:
    """The 413 for a body over the cap."""
    return ApiError(413, "too_large", f"request body is over the {cap:,}-byte limit")


async def read_json(request: Request, limits: Limits, stop_at: float) -> Any:
    """The JSON body; 415 unless it is sent as JSON (which also keeps other sites' forms from posting here)."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise ApiError(415, "unsupported_media_type", "send a JSON body with Content-Type: application/json")
    body = await read_body(request, limits, stop_at)
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as e:
        raise ApiError(400, "bad_json", f"body is not valid JSON: {e}") from None


def error_response(err: ApiError) -> JSONResponse:
    """An :class:`ApiError` as a JSON response."""
    return JSONResponse(err.body(), status_code=err.status, headers=err.headers)


def make_app(model: Model | str | None = None, **limits: Any) -> Starlette:
    """The ASGI app for ``model`` (a Model, a path, or None for the default); ``limits`` as in :class:`Limits`."""
    m = model if isinstance(model, Model) else load_model(model)
    lim = Limits(**limits)
    work = Work(m, lim)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> Any:
        # The first page scored pays for lazy imports and lexicons (about a second); pay it before the first user.
        await asyncio.wrap_future(work.score_pool.submit(work.score, Ask("text", "Warm-up page.\nIt has text.")))
        try:
            yield
        finally:
            work.close()

    async def admitted(request: Request, answer: Any) -> Response:
        # One slot per request, held until its work has ended; every failure becomes a JSON error response.
        stop_at = time.monotonic() + lim.deadline
        try:
            slot = work.admit()
        except ApiError as e:
            return error_response(e)
        try:
            return JSONResponse(await answer(slot, await read_json(request, lim, stop_at), stop_at))
        except Exception as e:
            return error_response(error_of(e))
        finally:
            slot.close()

    async def answer_score(slot: Any, body: Any, stop_at: float) -> dict[str, Any]:
        res = await work.score_one(slot, parse_ask(body, allow_url=lim.fetch_urls), stop_at)
        return res.to_dict()

    async def answer_batch(slot: Any, body: Any, stop_at: float) -> dict[str, Any]:
        return await score_batch(work, slot, body, stop_at)

    async def score_endpoint(request: Request) -> Response:
        return await admitted(request, answer_score)

    async def batch_endpoint(request: Request) -> Response:
        return await admitted(request, answer_batch)

    async def healthz(_request: Request) -> Response:
        return JSONResponse({"status": "ok", "model": {"name": m.name, "sha256": m.sha256},
                             "threshold": m.threshold, "busy": work.busy, "limits": asdict(lim)})

    async def review(request: Request) -> Response:
        if request.method == "GET":
            return review_response(review_page(m, lim), 200)
        stop_at = time.monotonic() + lim.deadline
        form: dict[str, str] = {}
        if not same_origin(request):
            e = ApiError(403, "forbidden", "the form can only be sent from this server's own page")
            return review_response(review_page(m, lim, error=e), e.status)
        try:
            slot = work.admit()
        except ApiError as e:
            return review_response(review_page(m, lim, error=e), e.status, e.headers)
        try:
            body = await read_body(request, lim, stop_at)
            form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
            res = await work.score_one(slot, form_ask(form, lim), stop_at)
            return review_response(review_page(m, lim, form=form, result=res), 200)
        except Exception as e:
            err = error_of(e)
            return review_response(review_page(m, lim, form=form, error=err), err.status, err.headers)
        finally:
            slot.close()

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return error_response(ApiError(exc.status_code, "http", str(exc.detail)))

    app = Starlette(routes=[Route("/v1/score", score_endpoint, methods=["POST"]),
                            Route("/v1/batch", batch_endpoint, methods=["POST"]),
                            Route("/healthz", healthz, methods=["GET"]),
                            Route("/", review, methods=["GET", "POST"])],
                    exception_handlers={HTTPException: http_error}, lifespan=lifespan)
    app.state.work = work
    return app


async def score_batch(work: Work, slot: Slot, body: Any, stop_at: float) -> dict[str, Any]:
    """``{"results": [...], "count", "errors"}`` for a /v1/batch body; bad records become error objects."""
    lim = work.limits
    if isinstance(body, list):
        body = {"records": body}
    if not isinstance(body, dict) or not isinstance(body.get("records"), list) \
            or set(body) - {"records", "threshold"}:
        raise ApiError(400, "bad_request", 'expected {"records": [...], "threshold"?: number}')
    records = body["records"]
    if len(records) > lim.max_batch:
        raise ApiError(413, "too_large", f"{len(records)} records; a batch takes at most {lim.max_batch}")
    default = check_threshold(body["threshold"]) if body.get("threshold") is not None else None
    items: list[Any] = []
    for rec in records:
        try:
            items.append(parse_ask(rec, default_threshold=default, allow_url=lim.fetch_urls))
        except ApiError as e:
            items.append(e)

    async def fetch(ask: Ask) -> Any:
        try:
            return await work.run(slot, work.fetch_pool, stop_at, work.fetch, ask.value, stop_at)
        except Exception as e:
            return error_of(e)

    async def score(jobs: list[Any]) -> list[Any]:
        # score_many stops at the deadline by itself and returns what it has; the grace covers the page in hand.
        return await work.run(slot, work.score_pool, stop_at + 5.0, work.score_many, jobs, stop_at)

    # URL records are fetched concurrently while the pages sent inline are scored, in order, in one scoring
    # thread; then the fetched pages are scored the same way. So a slow site delays only its own record.
    urls = [i for i, it in enumerate(items) if isinstance(it, Ask) and it.kind == "url"]
    fetches = [asyncio.ensure_future(fetch(items[i])) for i in urls]
    try:
        fetched_later = set(urls)
        inline = [i for i in range(len(items)) if i not in fetched_later]
        results: list[Any] = [None] * len(items)
        jobs = [items[i] if isinstance(items[i], ApiError) else (items[i], None) for i in inline]
        for i, res in zip(inline, await score(jobs) if jobs else []):
            results[i] = res
        got = await asyncio.gather(*fetches)
        jobs = [g if isinstance(g, ApiError) else (items[i], g) for i, g in zip(urls, got)]
        for i, res in zip(urls, await score(jobs) if jobs else []):
            results[i] = res
    finally:
        for f in fetches:
            f.cancel()
    out = []
    for rec, res in zip(records, results):
        if isinstance(res, ApiError):
            rid = rec.get("id") if isinstance(rec, dict) else None
            out.append({"id": rid, **res.body()})
        else:
            out.append(res)
    return {"results": out, "count": len(out), "errors": sum(1 for r in out if "error" in r)}


def same_origin(request: Request) -> bool:
    """Whether a form post came from this server's page: another site's page must not make it fetch URLs."""
    from urllib.parse import urlsplit

    origin = request.headers.get("origin")
    if not origin:  # curl and other non-browser clients send none; browsers always do on a POST
        return True
    # "null" (a sandboxed frame, a data: URL, or no-referrer pages) names no origin, so it is refused too; the
    # review page itself sends its Referrer-Policy "same-origin", under which its posts carry the real origin.
    return urlsplit(origin).netloc.lower() == request.headers.get("host", "").lower()


def form_ask(form: dict[str, str], lim: Limits) -> Ask:
    """The review form's fields (page, kind, url, threshold) as one request; 400 if they say nothing or too much."""
    page, url = form.get("page", ""), form.get("url", "").strip()
    if page.strip() and url:
        raise ApiError(400, "bad_request", "give either a page or a URL, not both")
    if not page.strip() and not url:
        raise ApiError(400, "bad_request", "paste a page or give a URL")
    threshold = form.get("threshold", "").strip()
    obj: dict[str, Any] = {"url": url} if url else {}
    if threshold:
        try:
            obj["threshold"] = float(threshold)
        except ValueError:
            raise ApiError(400, "bad_request", f"threshold must be a number from 0 to 1, not {threshold!r}") \
                from None
    ask = parse_ask(obj if url else {"text": page, **obj}, allow_url=lim.fetch_urls)
    kind = form.get("kind", "auto")
    if not url and kind in ("auto", "text", "html"):
        ask = Ask(kind, page, ask.threshold)
    return ask


def review_response(html: str, status: int, headers: dict[str, str] | None = None) -> HTMLResponse:
    """An HTML page with headers that forbid loading anything from elsewhere."""
    return HTMLResponse(html, status_code=status, headers={
        "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
        **(headers or {})})


def review_page(model: Model, lim: Limits, *, form: dict[str, str] | None = None, result: Any = None,
                error: ApiError | None = None) -> str:
    """The review page: the form (filled in with what was sent), then the error or the report."""
    from ..render.report_html import report_parts

    form = form or {}
    kind = form.get("kind", "auto")
    title, css, report = ("seospam review", "", "")
    if result is not None:
        if result.target is None:
            result.target = "pasted page"
        title, css, report = report_parts(result)
    radios = "".join(
        f'<label><input type="radio" name="kind" value="{k}"{" checked" if kind == k else ""}> {label}</label> '
        for k, label in (("auto", "detect"), ("text", "text dump"), ("html", "HTML")))
    url_field = (f'<label class="row">or a URL <input type="url" name="url" id="url" placeholder="https://…" '
                 f'value="{escape(form.get("url", ""))}"></label>' if lim.fetch_urls else "")
    problem = (f'<p class="problem" id="error" role="alert">{error.status}: {escape(error.message)}</p>'
               if error else "")
    ask = f"""<section class="ask"><h1>seospam review</h1>
<p class="dim">Paste a page (text or HTML){" or give a URL" if lim.fetch_urls else ""} to see its score, the reasons
and the evidence highlighted in the text. Model <code>{escape(model.name)}</code>
<code>{escape(model.sha256[:12])}</code>, spam at ≥ {model.threshold:.3f}. JSON API: <code>POST /v1/score</code>,
<code>POST /v1/batch</code>.</p>
<form method="post" action="/">
<textarea name="page" id="page" rows="10" placeholder="Paste the page here">{escape(form.get("page", ""))}</textarea>
<div class="row">read it as {radios}</div>
{url_field}
<label class="row">threshold <input name="threshold" id="threshold" inputmode="decimal" size="6"
 placeholder="{model.threshold:.3f}" value="{escape(form.get("threshold", ""))}"></label>
<div class="row"><button type="submit" id="score">Score</button></div>
</form>{problem}</section>"""
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n<style>\n{css}{_FORM_CSS}</style>\n</head>\n"
            f"<body>\n{ask}\n{report}\n</body>\n</html>\n")


# The report's CSS styles body, header and section; this adds the form (and, on GET, stands alone).
_FORM_CSS = """\
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;background:#fafafa;
 margin:0 auto;max-width:1100px;padding:24px}
.ask{background:#fff;border:1px solid #e3e3e3;border-radius:8px;padding:14px 18px;margin-bottom:14px}
.ask h1{font-size:22px;margin:0 0 4px}.ask .dim{color:#666}
.ask textarea{box-sizing:border-box;width:100%;font:13px/1.4 ui-monospace,Menlo,Consolas,monospace;padding:8px}
.ask .row{display:block;margin:8px 0}.ask input[type=url]{width:60%}
.ask button{font:inherit;font-weight:600;padding:6px 18px;border-radius:4px;border:1px solid #2c5aa0;
 background:#2c5aa0;color:#fff;cursor:pointer}
.problem{color:#8a1c1c;background:#fdecec;padding:6px 10px;border-radius:4px}
"""


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: any free port); raises OSError if it cannot be had."""
    info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(info[0], socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(info[4])
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def serve(model: Model | str | None = None, *, host: str = "127.0.0.1", port: int = 8000,
          log_level: str = "info", **limits: Any) -> None:
    """Run the server with uvicorn until interrupted; prints the address it listens on to stderr."""
    import uvicorn

    app = make_app(model, **limits)
    sock = bind(host, port)
    where = sock.getsockname()
    shown = f"[{where[0]}]" if ":" in where[0] else where[0]
    work: Work = app.state.work
    # One line a script can read for the port (with --port 0), before uvicorn's own log lines.
    print(f"seospam: serving model {work.model.name} ({work.model.sha256[:12]}) on http://{shown}:{where[1]}/",
          file=sys.stderr, flush=True)
    config = uvicorn.Config(app, log_level=log_level, timeout_graceful_shutdown=5, server_header=False)
    uvicorn.Server(config).run(sockets=[sock])
