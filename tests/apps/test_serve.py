"""`seospam serve` against a live uvicorn server on 127.0.0.1, with httpx as the client: scoring text, HTML and a
URL served by a second local server, batches with error records, the limits (413, 503, 504), /healthz, the CLI
command, and the review page in headless Chromium (skipped when Chromium or playwright is absent)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import pytest

pytest.importorskip("starlette", reason="the serve extra is not installed")
uvicorn = pytest.importorskip("uvicorn", reason="the serve extra is not installed")
import httpx  # noqa: E402

from seospam.model.persist import load_model  # noqa: E402
from seospam.model.scoring import score_result  # noqa: E402
from seospam.apps.serve import bind, make_app  # noqa: E402

from tests.helpers import HONEST, LocalServer, seed_html  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

@pytest.fixture(scope="module")
def pages(server: LocalServer) -> LocalServer:
    """The local 127.0.0.1 page server (conftest's), named apart from the uvicorn server under test."""
    return server


@contextmanager
def running(**kw: Any) -> Iterator[str]:
    """A real uvicorn server for ``make_app(**kw)`` in a thread, on a free 127.0.0.1 port; yields its base URL."""
    app = make_app(kw.pop("model", None), **kw)
    sock = bind("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        stop = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive() and time.monotonic() < stop, "server did not start"
            time.sleep(0.02)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    """A server with default limits except a small batch cap."""
    with running(max_batch=8) as url:
        yield url


@pytest.fixture(scope="module")
def client(base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def seed_text(seed_paths: list[Path]) -> str:
    return seed_paths[0].read_text(encoding="utf-8")


def cli_json(path: Path) -> dict[str, Any]:
    """What `seospam score PATH --json` prints."""
    out = subprocess.run([sys.executable, "-m", "seospam", "score", str(path), "--json"], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout)


def test_score_text_is_the_cli_json(client, seed_paths):
    """The API's object is `score --json`'s: same keys, same numbers, same reasons (target aside: none given)."""
    res = client.post("/v1/score", json={"text": seed_paths[0].read_text(encoding="utf-8")})
    assert res.status_code == 200 and res.headers["content-type"].startswith("application/json")
    got, want = res.json(), cli_json(seed_paths[0])
    assert got.keys() == want.keys()
    assert got["target"] is None and want["target"] == str(seed_paths[0])
    assert {k: v for k, v in got.items() if k != "target"} == {k: v for k, v in want.items() if k != "target"}
    assert got["verdict"] == "spam" and got["is_spam"] is True
    assert any(r["evidence"] for r in got["reasons"])


def test_score_html_and_threshold(client, seed_paths):
    page = seed_html(seed_paths[1])
    res = client.post("/v1/score", json={"html": page}).json()
    assert res["is_spam"] is True and res["threshold"] == round(load_model().threshold, 6)
    honest = client.post("/v1/score", json={"html": HONEST}).json()
    assert honest["verdict"] == "ok"
    # The request's threshold decides is_spam and the verdict; the score itself does not move.
    low = client.post("/v1/score", json={"html": HONEST, "threshold": 0.0}).json()
    assert low["score"] == honest["score"] and low["is_spam"] is True and low["verdict"] == "spam"
    assert low["threshold"] == 0.0
    high = client.post("/v1/score", json={"html": page, "threshold": 1.0}).json()
    assert high["is_spam"] is False and high["verdict"] == "suspicious"


def test_threshold_passes_through_the_library(seed_paths):
    """score_result's threshold replaces the card's for is_spam and verdict, and nothing else."""
    m = load_model()
    a = score_result(seed_paths[0], model=m)
    b = score_result(seed_paths[0], model=m, threshold=1.0)
    assert a.score == b.score and a.reasons == b.reasons
    assert (a.is_spam, b.is_spam, b.threshold) == (True, False, 1.0)


def test_text_that_is_a_url_is_scored_as_text_not_fetched(client, pages: LocalServer):
    """A page pasted as text is never fetched, even when it is one URL."""
    url = pages.add("/never-fetched.html", HONEST)
    before = len(pages.requests)
    res = client.post("/v1/score", json={"text": url})
    assert res.status_code == 200 and res.json()["url"] is None
    assert len(pages.requests) == before


def test_score_url_from_a_local_server(client, pages: LocalServer, seed_paths):
    url = pages.add("/seed.html", seed_html(seed_paths[0]))
    res = client.post("/v1/score", json={"url": url})
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["target"] == url and body["url"] == url and body["is_spam"] is True
    # Today's fetch rules, robots.txt included: /private/ is disallowed for seospam.
    private = pages.add("/private/page.html", HONEST)
    res = client.post("/v1/score", json={"url": private})
    assert res.status_code == 422 and res.json()["error"]["type"] == "fetch_error"
    assert "robots.txt" in res.json()["error"]["message"]
    res = client.post("/v1/score", json={"url": pages.add("/plain.txt", "just text",
                                                          headers={"Content-Type": "text/plain"})})
    assert res.status_code == 422 and "content type" in res.json()["error"]["message"]
    assert any(h.get("User-Agent", "").startswith("seospam/") for _, h in pages.requests)


@pytest.mark.parametrize("body, status, kind", [
    ({"text": "a page.", "html": "<p>a page.</p>"}, 400, "bad_request"),
    ({}, 400, "bad_request"),
    ({"txt": "typo"}, 400, "bad_request"),
    ({"text": 5}, 400, "bad_request"),
    ({"text": "a page.", "threshold": 1.5}, 400, "bad_request"),
    ({"text": "a page.", "threshold": True}, 400, "bad_request"),
    ({"url": "http://example.com/a b"}, 400, "bad_request"),
    ([1, 2], 400, "bad_request"),
    ({"text": ""}, 422, "input_error"),
    ({"text": "\x01\x02\x03\x04" * 100}, 422, "input_error"),
    ({"url": "ftp://example.com/"}, 422, "fetch_error"),
])
def test_bad_requests_get_json_errors(client, body, status, kind):
    res = client.post("/v1/score", json=body)
    assert res.status_code == status, res.text
    err = res.json()["error"]
    assert err["status"] == status and err["type"] == kind and err["message"]


def test_non_json_bodies(client):
    assert client.post("/v1/score", content=b"{", headers={"Content-Type": "application/json"}).status_code == 400
    res = client.post("/v1/score", content=b'{"text": "a page."}', headers={"Content-Type": "text/plain"})
    assert res.status_code == 415 and res.json()["error"]["type"] == "unsupported_media_type"
    assert client.get("/v1/score").json()["error"]["status"] == 405
    assert client.get("/nowhere").status_code == 404


def test_batch_keeps_order_and_reports_errors(client, pages: LocalServer, seed_paths, seed_text):
    url = pages.add("/batch-seed.html", seed_html(seed_paths[2]))
    records = [{"id": "t", "text": seed_text}, {"id": "e", "text": ""}, {"id": "h", "html": HONEST},
               {"id": "u", "url": url}, {"id": "bad", "txt": "x"}, {"id": 9, "url": pages.url("/missing")},
               "not an object"]
    res = client.post("/v1/batch", json={"records": records})
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["count"] == len(records) and body["errors"] == 4
    r = body["results"]
    assert [x.get("target", x.get("id")) for x in r] == ["t", "e", "h", "u", "bad", 9, None]
    assert r[0]["is_spam"] is True and r[2]["verdict"] == "ok" and r[3]["url"] == url
    assert r[1]["error"]["status"] == 422 and r[4]["error"]["status"] == 400
    assert r[5]["error"]["type"] == "fetch_error" and "HTTP 404" in r[5]["error"]["message"]
    assert r[6]["error"]["status"] == 400
    # Each good record is exactly what /v1/score answers for it.
    single = client.post("/v1/score", json={"text": seed_text, "id": "t"}).json()
    assert single == r[0]
    # An id comes back as given, whether beside a result or an error.
    res = client.post("/v1/batch", json=[{"id": 3, "text": "a short page."}, {"id": 4, "text": ""}]).json()
    assert [res["results"][0]["target"], res["results"][1]["id"]] == [3, 4]


def test_batch_threshold_and_limits(client, seed_text):
    res = client.post("/v1/batch", json={"records": [{"text": seed_text}, {"text": seed_text, "threshold": 1.0}],
                                         "threshold": 0.0})
    assert [x["threshold"] for x in res.json()["results"]] == [0.0, 1.0]
    res = client.post("/v1/batch", json={"records": [{"text": "a page."}] * 9})
    assert res.status_code == 413 and "at most 8" in res.json()["error"]["message"]
    assert client.post("/v1/batch", json={"pages": []}).status_code == 400
    assert client.post("/v1/batch", json={"records": []}).json() == {"results": [], "count": 0, "errors": 0}


def test_healthz_names_the_model(client):
    m = load_model()
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["model"] == {"name": m.name, "sha256": m.sha256}
    assert body["threshold"] == m.threshold and body["busy"] == 0
    assert body["limits"]["max_batch"] == 8


def test_body_cap_is_413():
    with running(max_body=20_000) as url, httpx.Client(base_url=url, timeout=30) as c:
        big = {"text": "word " * 10_000}
        res = c.post("/v1/score", json=big)  # Content-Length says too large: refused before reading
        assert res.status_code == 413 and res.json()["error"]["type"] == "too_large"

        def chunks() -> Iterator[bytes]:  # no Content-Length: the cap is counted as the bytes arrive
            data = json.dumps(big).encode()
            for i in range(0, len(data), 4096):
                yield data[i:i + 4096]

        res = c.post("/v1/score", content=chunks(), headers={"Content-Type": "application/json"})
        assert res.status_code == 413
        assert c.post("/v1/score", json={"text": "a short page."}).status_code == 200
        res = c.post("/", data={"page": "word " * 10_000})
        assert res.status_code == 413 and "limit" in res.text


def test_deadline_is_504(pages: LocalServer):
    # The page is held until its client hangs up, so a 504 is the deadline's answer, never the page's.
    slow = pages.add("/slow.html", HONEST, hold=True)
    with running(deadline=1.0) as url, httpx.Client(base_url=url, timeout=30) as c:
        res = c.post("/v1/score", json={"url": slow})
        assert res.status_code == 504 and res.json()["error"]["type"] == "deadline", res.text
        # The abandoned fetch stops by itself (it hangs up on the page server), and gives its slot back.
        assert pages.hung_up("/slow.html")
        stop = time.monotonic() + 15
        while c.get("/healthz").json()["busy"] and time.monotonic() < stop:
            time.sleep(0.1)
        assert c.get("/healthz").json()["busy"] == 0


def test_busy_is_503(pages: LocalServer):
    slow = pages.add("/slow-ok.html", HONEST, delay=1.5)
    with running(deadline=20.0, max_concurrent=1) as url, httpx.Client(base_url=url, timeout=30) as c:
        first: dict[str, Any] = {}
        t = threading.Thread(target=lambda: first.update(res=httpx.post(url + "/v1/score", json={"url": slow},
                                                                        timeout=30)))
        t.start()
        stop = time.monotonic() + 10
        while c.get("/healthz").json()["busy"] == 0:
            assert time.monotonic() < stop, "the first request never started"
            time.sleep(0.02)
        res = c.post("/v1/score", json={"text": "a short page."})
        assert res.status_code == 503 and res.headers["retry-after"] == "1"
        assert res.json()["error"]["type"] == "busy"
        t.join(30)
        assert first["res"].status_code == 200  # the admitted request was not disturbed
        assert c.post("/v1/score", json={"text": "a short page."}).status_code == 200


def test_abandoned_work_keeps_its_slot():
    """A request answered 504 while its thread still runs frees its slot only when that thread ends."""
    from seospam.apps.serve import Limits, Work

    work = Work(load_model(), Limits(max_concurrent=1))
    try:
        release = threading.Event()
        slot = work.admit()
        slot.track(work.score_pool.submit(release.wait, 10))
        slot.close()  # the request has been answered
        assert work.busy == 1
        with pytest.raises(Exception) as e:
            work.admit()
        assert getattr(e.value, "status", None) == 503
        release.set()
        stop = time.monotonic() + 5
        while work.busy and time.monotonic() < stop:
            time.sleep(0.01)
        assert work.busy == 0
        work.admit().close()
        assert work.busy == 0
    finally:
        work.close()


def test_batch_past_the_deadline_returns_what_it_scored(pages: LocalServer, seed_text):
    """Records the deadline cuts off get 504 error objects; the ones done are kept."""
    slow = pages.add("/slow-batch.html", HONEST, delay=2.5)
    with running(deadline=1.0) as url, httpx.Client(base_url=url, timeout=30) as c:
        res = c.post("/v1/batch", json={"records": [{"text": seed_text}, {"url": slow}]})
        assert res.status_code == 200
        first, second = res.json()["results"]
        assert first["is_spam"] is True and second["error"]["status"] == 504


def test_no_fetch_refuses_urls(pages: LocalServer):
    with running(fetch_urls=False) as url, httpx.Client(base_url=url, timeout=30) as c:
        res = c.post("/v1/score", json={"url": pages.add("/nf.html", HONEST)})
        assert res.status_code == 400 and "--no-fetch" in res.json()["error"]["message"]
        assert 'name="url"' not in c.get("/").text


def test_review_page_form_post(client, seed_text):
    """Without a browser: the form page, a scored post, a cross-site post refused, headers that block assets."""
    res = client.get("/")
    assert res.status_code == 200 and "<form" in res.text and "Content-Security-Policy" in res.headers
    assert "default-src 'none'" in res.headers["content-security-policy"]
    assert "<script" not in res.text and "http://" not in res.text.replace('placeholder="https://…"', "")
    res = client.post("/", data={"page": seed_text, "kind": "text"})
    assert res.status_code == 200 and 'class="hl' in res.text and "Reasons" in res.text
    res = client.post("/", data={"page": ""})
    assert res.status_code == 400 and 'id="error"' in res.text
    for origin in ("http://evil.example", "null"):  # another site's form, or a sandboxed frame
        res = client.post("/", data={"page": seed_text}, headers={"Origin": origin})
        assert res.status_code == 403


def test_cli_serve_command(tmp_path):
    """`seospam serve --port 0` starts, prints where it listens, and answers at the operating point it was given; a
    taken port is exit 2."""
    proc = subprocess.Popen([sys.executable, "-m", "seospam", "serve", "--port", "0", "--max-batch", "3",
                             "--operating-point", "filter"],
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        assert "serving model" in line, line
        url = line.rsplit(" on ", 1)[1].strip().rstrip("/")
        stop = time.monotonic() + 30
        while True:
            try:
                body = httpx.get(url + "/healthz", timeout=5).json()
                break
            except httpx.TransportError:
                assert time.monotonic() < stop and proc.poll() is None
                time.sleep(0.1)
        assert body["limits"]["max_batch"] == 3 and body["model"]["sha256"] == load_model().sha256
        assert body["threshold"] == load_model().operating_points["filter"]["threshold"] != load_model().threshold
        port = int(url.rsplit(":", 1)[1])
        taken = subprocess.run([sys.executable, "-m", "seospam", "serve", "--port", str(port)],
                               capture_output=True, text=True, timeout=60)
        assert taken.returncode == 2 and "cannot listen" in taken.stderr
    finally:
        proc.terminate()
        proc.wait(15)
    help_out = subprocess.run([sys.executable, "-m", "seospam", "serve", "--help"], capture_output=True, text=True)
    assert "Example" in help_out.stdout


def _browser_or_skip() -> Any:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is not installed (pip install playwright)")
    return sync_playwright


def test_review_page_in_headless_chromium(base, seed_text, tmp_path):
    """A person's path: open /, paste a seed, press Score, and see the verdict and highlighted evidence."""
    sync_playwright = _browser_or_skip()
    host = base.split("://", 1)[1]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
                                    args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1800})
            elsewhere: list[str] = []
            page.on("request", lambda r: None if host in r.url else elsewhere.append(r.url))
            page.goto(base + "/")
            assert page.locator("form textarea#page").is_visible()
            page.fill("#page", seed_text)
            page.check("input[name=kind][value=text]")
            page.click("#score")
            page.wait_for_selector("mark.hl", timeout=30_000)
            marks = page.locator("mark.hl")
            assert marks.count() > 0
            assert page.locator(".verdict").inner_text().strip().lower() == "spam"
            assert page.locator(".reasons tbody tr").count() >= 1
            # Every highlight's text is the evidence slice it claims, and has a visible colour.
            first = marks.first
            assert first.get_attribute("data-rule") and first.inner_text().strip()
            bg = first.evaluate("e => getComputedStyle(e).backgroundColor")
            assert bg not in ("rgba(0, 0, 0, 0)", "transparent")
            # The form keeps what was pasted, so the reviewer can edit and score again.
            assert page.input_value("#page").strip() == seed_text.strip()
            # SEOSPAM_SCREENSHOT=path keeps the screenshot for a person to look at; otherwise it goes with tmp_path.
            page.screenshot(path=os.environ.get("SEOSPAM_SCREENSHOT") or str(tmp_path / "review.png"), full_page=False)
            assert not elsewhere, f"the page loaded assets from elsewhere: {elsewhere}"
        finally:
            browser.close()
