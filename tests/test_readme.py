"""The README's Python examples run as written (issue 13, part 7), the URL pointed at a server on 127.0.0.1."""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE = ("<!doctype html><html><head><title>Allotment diary</title></head><body><h1>Allotment diary</h1>"
        "<p>We lifted the last of the potatoes on Saturday and found that the slugs had beaten us to half of "
        "them. Next year we will plant earlier and try a maincrop variety with thicker skins.</p></body></html>")


def python_blocks() -> list[str]:
    """Every ```python block of README.md."""
    return re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        body, status, ctype = (PAGE.encode(), 200, "text/html; charset=utf-8") if self.path == "/" else \
            (b"", 404, "text/plain")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def local_site():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_readme_has_python_examples():
    assert python_blocks(), "README.md lost its Python examples"


@pytest.mark.parametrize("i", range(len(python_blocks())))
def test_readme_python_block_runs(i, tmp_path, monkeypatch, local_site, seed_paths):
    code = python_blocks()[i].replace("https://example.com/", local_site)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    ns: dict = {}
    exec(compile(code, f"README.md python block {i}", "exec"), ns)
    if "result" in ns:
        assert ns["result"]["verdict"] in ("ok", "suspicious", "spam", "unsupported")
    if "strict" in ns:
        assert ns["strict"]["threshold"] == 0.9


def test_a_file_name_is_never_scored_as_page_text(tmp_path, monkeypatch):
    """`seospam.score("page.html")` reads the file, or raises InputError; it never scores the 9 characters."""
    import seospam
    from seospam.errors import InputError

    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        seospam.score("page.html")
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    assert seospam.score("page.html")["target"] == "page.html"
    assert seospam.score("page.html")["score"] == seospam.score(Path("page.html"))["score"]
