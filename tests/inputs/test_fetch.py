"""URL fetching against a local HTTP server on 127.0.0.1 (never the internet), and `seospam score URL` exit codes."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from seospam.cli import app
from seospam.errors import FetchError
from seospam.inputs.decode import decode_html
from seospam.inputs.fetch import fetch_url, Fetched, Fetcher, parse_content_type, USER_AGENT
from seospam.inputs.files import MAX_PAGE_BYTES
from tests.helpers import LocalServer

PAGE = """<!DOCTYPE html><html><head><title>Allotment notes</title></head><body>
<h1>Allotment notes, week 14</h1>
<p>We lifted the last of the leeks on Saturday. Two had rust on the outer leaves, which peels off, so they went
into a soup with the potatoes from the shed.</p>
<p>The broad beans sown in November came through the frost better than the February ones. Next year I will sow
them all in autumn and put a cloche over the end row, where the wind comes in off the railway.</p>
<p>Margaret from plot 9 lent me her rotavator. It jammed twice on the bindweed roots, and in the end I dug the far
corner by hand.</p>
</body></html>
"""


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------------------------------
# fetching


def test_html_page(server: LocalServer) -> None:
    url = server.add("/page", PAGE)
    got = fetch_url(url)
    assert isinstance(got, Fetched)
    assert (got.url, got.status, got.content_type, got.encoding) == (url, 200, "text/html", "utf-8")
    assert "Allotment notes, week 14" in got.text and got.content == PAGE.encode()
    sent = [h for p, h in server.requests if p == "/page"][-1]
    assert sent["User-Agent"] == USER_AGENT and USER_AGENT.startswith("seospam/")
    assert "/robots.txt" in [p for p, _ in server.requests]


def test_redirects_are_followed_and_report_the_final_url(server: LocalServer) -> None:
    final = server.add("/moved/here", PAGE)
    server.add("/hop2", status=302, headers={"Location": "/moved/here"})
    start = server.add("/hop1", status=301, headers={"Location": server.url("/hop2")})
    got = fetch_url(start)
    assert got.url == final and "leeks" in got.text


def test_redirect_cap(server: LocalServer) -> None:
    for i in range(8):
        server.add(f"/loop{i}", status=302, headers={"Location": f"/loop{i + 1}"})
    server.add("/loop8", PAGE)
    with pytest.raises(FetchError, match="too many redirects \\(more than 5\\) from .*/loop0$"):
        fetch_url(server.url("/loop0"))
    assert fetch_url(server.url("/loop0"), max_redirects=10).url.endswith("/loop8")


def test_redirect_to_another_scheme_is_refused(server: LocalServer) -> None:
    url = server.add("/to-ftp", status=302, headers={"Location": "ftp://127.0.0.1/file"})
    with pytest.raises(FetchError, match="unsupported URL scheme 'ftp' \\(redirect target\\)"):
        fetch_url(url)


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_http_errors(server: LocalServer, status: int) -> None:
    url = server.add(f"/status{status}", b"<html><body>gone</body></html>", status=status)
    with pytest.raises(FetchError) as err:
        fetch_url(url)
    assert str(err.value) == f"HTTP {status} for {url}"


def test_pdf_content_type_is_refused(server: LocalServer) -> None:
    url = server.add("/paper.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", headers={"Content-Type": "application/pdf"})
    with pytest.raises(FetchError, match="unsupported content type application/pdf"):
        fetch_url(url)


def test_plain_text_is_refused_and_xhtml_accepted(server: LocalServer) -> None:
    txt = server.add("/notes.txt", b"Just some notes.\n", headers={"Content-Type": "text/plain; charset=utf-8"})
    with pytest.raises(FetchError, match="unsupported content type text/plain"):
        fetch_url(txt)
    xhtml = server.add("/page.xhtml", PAGE, headers={"Content-Type": "application/xhtml+xml"})
    assert fetch_url(xhtml).content_type == "application/xhtml+xml"


def test_missing_content_type_is_sniffed(server: LocalServer) -> None:
    assert "leeks" in fetch_url(server.add("/bare", PAGE, headers={})).text
    with pytest.raises(FetchError, match="does not look like HTML"):
        fetch_url(server.add("/blob", b"\x89PNG\r\n\x1a\n" + bytes(200), headers={}))


@pytest.mark.parametrize("content_length", [True, False], ids=["content-length", "streamed"])
def test_oversized_page(server: LocalServer, content_length: bool) -> None:
    body = b"<html><body><p>" + b"filler words " * (MAX_PAGE_BYTES // 13 + 100) + b"</p></body></html>"
    assert len(body) > MAX_PAGE_BYTES
    url = server.add(f"/huge-{content_length}", body, content_length=content_length)
    with pytest.raises(FetchError, match="over the 10 MB cap"):
        fetch_url(url)


def test_size_cap_counts_bytes_read(server: LocalServer) -> None:
    url = server.add("/medium", b"<html><body><p>" + b"x" * 5000 + b"</p></body></html>", content_length=False)
    with pytest.raises(FetchError, match="cap"):
        fetch_url(url, max_bytes=1000)
    assert len(fetch_url(url, max_bytes=10_000).content) > 5000


def test_robots_disallow_and_ignore_robots(server: LocalServer) -> None:
    url = server.add("/private/page", PAGE)
    with pytest.raises(FetchError, match="robots.txt disallows"):
        fetch_url(url)
    assert [p for p, _ in server.requests].count("/private/page") == 0  # refused before asking for the page
    assert "leeks" in fetch_url(url, respect_robots=False).text


def test_robots_wildcards_and_groups(server: LocalServer) -> None:
    server.add("/shop", PAGE)
    with pytest.raises(FetchError, match="robots.txt disallows"):
        fetch_url(server.url("/shop?session=42"))  # `Disallow: /*?session=` needs wildcard support
    assert fetch_url(server.url("/shop?page=2")).status == 200
    # `User-agent: otherbot / Disallow: /` is not addressed to us.
    assert fetch_url(server.url("/shop")).status == 200


def test_robots_checked_on_redirect_target(server: LocalServer) -> None:
    server.add("/private/target", PAGE)
    url = server.add("/public-redirect", status=302, headers={"Location": "/private/target"})
    with pytest.raises(FetchError, match="robots.txt disallows"):
        fetch_url(url)


def test_robots_missing_allows_and_server_error_disallows(server: LocalServer) -> None:
    url = server.add("/anything", PAGE)
    with server.robots(b"", status=404):
        assert fetch_url(url).status == 200
    with server.robots(b"oops", status=503):
        with pytest.raises(FetchError, match="HTTP 503.*disallow all"):
            fetch_url(url)
        assert fetch_url(url, respect_robots=False).status == 200


def _cp1252_page(meta: str) -> bytes:
    return (f'<html><head>{meta}<title>Caf\u00e9</title></head><body><p>\u201cNa\u00efve\u201d caf\u00e9 '
            f'cr\u00e8me br\u00fbl\u00e9e \u2013 \u20ac5</p></body></html>').encode("cp1252")


def test_charset_only_in_meta_tag(server: LocalServer) -> None:
    url = server.add("/cp1252-meta", _cp1252_page('<meta charset="windows-1252">'),
                     headers={"Content-Type": "text/html"})
    got = fetch_url(url)
    assert got.encoding == "cp1252"
    assert "\u201cNa\u00efve\u201d caf\u00e9 cr\u00e8me br\u00fbl\u00e9e \u2013 \u20ac5" in got.text


def test_charset_in_http_equiv_meta(server: LocalServer) -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
    got = fetch_url(server.add("/latin1-equiv", _cp1252_page(meta), headers={"Content-Type": "text/html"}))
    assert got.encoding == "cp1252" and "\u20ac5" in got.text  # latin-1 labels mean windows-1252, as in browsers


def test_charset_only_in_header_shift_jis(server: LocalServer) -> None:
    text = "漢方薬の効果について。毎日の健康のために、専門家に相談してください。"
    body = f"<html><body><h1>健康ガイド</h1><p>{text}</p></body></html>".encode("shift_jis")
    got = fetch_url(server.add("/sjis", body, headers={"Content-Type": "text/html; charset=Shift_JIS"}))
    assert got.encoding == "cp932" and text in got.text and "健康ガイド" in got.text


def test_header_charset_wins_over_meta(server: LocalServer) -> None:
    body = _cp1252_page('<meta charset="utf-8">')
    got = fetch_url(server.add("/header-wins", body, headers={"Content-Type": "text/html; charset=windows-1252"}))
    assert got.encoding == "cp1252" and "caf\u00e9" in got.text


def test_undeclared_charset_is_detected(server: LocalServer) -> None:
    para = "Травяной чай помогает при простуде, но перед применением посоветуйтесь с врачом. " * 8
    body = f"<html><body><p>{para}</p></body></html>".encode("cp1251")
    got = fetch_url(server.add("/cp1251", body, headers={"Content-Type": "text/html"}))
    assert para.strip() in got.text


def test_decode_html_bom_and_unknown_label() -> None:
    assert decode_html(b"\xef\xbb\xbf<p>caf\xc3\xa9</p>", "windows-1252") == ("<p>café</p>", "utf-8")
    assert decode_html("<p>café</p>".encode(), "no-such-charset")[0] == "<p>café</p>"
    assert parse_content_type('Text/HTML; Charset="UTF-8"') == ("text/html", "UTF-8")


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/file", "file:///etc/passwd", "gopher://x/", "http:///nohost",
                                 "javascript:alert(1)"])
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(FetchError):
        fetch_url(url)


def test_unreachable_port() -> None:
    url = f"http://127.0.0.1:{closed_port()}/page"
    with pytest.raises(FetchError, match="cannot connect to 127.0.0.1") as err:
        fetch_url(url)
    assert "\n" not in str(err.value)


def test_read_timeout(server: LocalServer) -> None:
    """A server that never answers: the fetch ends with the timeout error, the server sees the client hang up."""
    url = server.add("/slow", PAGE, hold=True)
    with pytest.raises(FetchError, match="timed out"):
        fetch_url(url, timeout=0.3, respect_robots=False)
    assert server.hung_up("/slow")


def test_fetcher_caches_robots_per_origin(server: LocalServer) -> None:
    fetcher = Fetcher()
    url = server.add("/cached", PAGE)
    before = [p for p, _ in server.requests].count("/robots.txt")
    fetcher(url)
    fetcher(url)
    assert [p for p, _ in server.requests].count("/robots.txt") == before + 1


# ---------------------------------------------------------------------------------------------------------------
# the CLI


def _cli(*args: str):
    return CliRunner().invoke(app, ["score", *args])


def _one_line_error(res) -> str:
    assert "Traceback" not in res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("seospam: error: "), res.stderr
    return lines[0]


def test_cli_scores_a_url(server: LocalServer) -> None:
    url = server.add("/cli-page", PAGE)
    res = _cli(url, "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["target"] == url and out["url"] == url and out["verdict"] == "ok"  # an allotment diary


@pytest.mark.parametrize("path, kw, message", [
    ("/cli-404", {"status": 404}, "HTTP 404 for "),
    ("/cli.pdf", {"headers": {"Content-Type": "application/pdf"}}, "unsupported content type application/pdf"),
    ("/private/cli", {}, "robots.txt disallows"),
])
def test_cli_fetch_errors_exit_3(server: LocalServer, path: str, kw: dict, message: str) -> None:
    url = server.add(path, PAGE, **kw)
    res = _cli(url, "--json")
    assert res.exit_code == 3
    assert message in _one_line_error(res)
    assert res.stdout == ""


def test_cli_ignore_robots(server: LocalServer) -> None:
    url = server.add("/private/mine", PAGE)
    assert _cli(url, "--json", "--ignore-robots").exit_code == 0


def test_cli_unsupported_scheme_and_unreachable() -> None:
    res = _cli("ftp://127.0.0.1/page.html", "--json")
    assert res.exit_code == 3 and "unsupported URL scheme 'ftp'" in _one_line_error(res)
    res = _cli(f"http://127.0.0.1:{closed_port()}/", "--json")
    assert res.exit_code == 3 and "cannot connect" in _one_line_error(res)


def test_cli_usage_error_exits_2() -> None:
    assert _cli().exit_code == 2
    assert _cli("page.html", "--no-such-flag").exit_code == 2


def test_cli_subprocess_error_is_one_line(server: LocalServer) -> None:
    """The real console script, end to end: exit 3, one line on stderr, no traceback."""
    url = server.add("/sub-404", PAGE, status=404)
    proc = subprocess.run([sys.executable, "-m", "seospam.cli", "score", url, "--json"], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 3, proc.stderr
    assert proc.stdout == "" and proc.stderr == f"seospam: error: HTTP 404 for {url}\n"


def test_overall_deadline(server: LocalServer) -> None:
    """Each hop answers within the read timeout, but the whole redirect chain may not take longer than the deadline."""
    for i in range(4):
        server.add(f"/drip{i}", status=302, headers={"Location": f"/drip{i + 1}"}, delay=0.25)
    server.add("/drip4", PAGE)
    with pytest.raises(FetchError, match="gave up .* after 0.6 s"):
        fetch_url(server.url("/drip0"), timeout=0.5, deadline=0.6, respect_robots=False)
    asked = [p for p, _ in server.requests if p.startswith("/drip")]
    # Hop i cannot be asked for before 0.25 * i s (each earlier hop sleeps 0.25 s), so a fetch that stops at its
    # 0.6 s deadline never asks for /drip3; and /drip2, answered no sooner than 0.75 s, is left unanswered.
    assert asked and set(asked) <= {"/drip0", "/drip1", "/drip2"}, asked
    if "/drip2" in asked:
        assert server.hung_up("/drip2")
