"""Issue 12: what a hostile crawl, a hostile server and an unlucky operator do, one test per case.

Network cases use a server on 127.0.0.1 (never the internet); batch cases run the real console script in a
subprocess, so a traceback or a hang would show as it would to a user.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seospam.cli import app
from tests.helpers import client_left

SEOSPAM = [sys.executable, "-c", "from seospam.cli import main; main()"]
runner = CliRunner()

SPAM = ("Kratom tree pictures show the leaves. Kratom tree pictures are the best way to see kratom. A study "
        "published in a journal found kratom is safe and effective, without addictive properties. ") * 6
HONEST = ("We walked the coastal path from the harbour to the lighthouse on Sunday. The tide was out and the "
          "children counted crabs in the rock pools while the rain held off until lunch. ") * 4


def _batch(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([*SEOSPAM, "batch", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --- 1. one record must not stop a batch (lone surrogates) ----------------------------------------------------

def test_lone_surrogate_in_id_and_url_gives_a_row_and_resume_finishes(tmp_path):
    """`{"id": "a\\ud800"}` is valid JSON; the sidecar write used to crash on it, and --resume every time after."""
    inp = tmp_path / "in.jsonl"
    lines = ['{"id": "a\\ud800", "url": "http://x.example/\\udfff", "text": %s}' % json.dumps(HONEST),
             json.dumps({"id": "b", "text": SPAM})]
    inp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = _batch(str(inp), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    rows = _rows(out)
    assert [r["id"] for r in rows] == ["a\\ud800", "b"]
    assert rows[0]["url"] == "http://x.example/\\udfff"
    proc = _batch(str(inp), "-o", str(out), "--resume")
    assert proc.returncode == 0, proc.stderr
    assert len(_rows(out)) == 2


def test_surrogates_are_escaped_deterministically():
    """The same record gets the same id on every run (resume compares ids)."""
    from seospam.strings import escape_surrogates, replace_surrogates

    assert escape_surrogates("") == ""
    assert escape_surrogates("plain") == "plain"
    assert escape_surrogates("a\ud800b") == "a\\ud800b" == escape_surrogates("a\ud800b")
    assert replace_surrogates("a\udfffb") == "a\ufffdb"
    "a\\ud800b".encode("utf-8")  # what is written can always be encoded


def test_fifty_hostile_records(tmp_path):
    """Lone surrogates in every field, NULs, a 50 MB line, invalid UTF-8 and nested JSON: one row each, no
    traceback, and a resume over the finished output that finishes."""
    inp = tmp_path / "hostile.jsonl"
    with open(inp, "wb") as fh:
        n = 0
        for i in range(12):  # surrogates in every field
            fh.write(('{"id": "s%d\\ud83d", "url": "http://h.example/\\udc00%d", "text": "%s \\ud800 end", '
                      '"html": "<p>\\udfff</p>"}\n' % (i, i, SPAM[:200])).encode())
            n += 1
        for i in range(12):  # NULs, in the text and in the id
            fh.write((json.dumps({"id": f"nul{i}\u0000", "text": "a\u0000b " * 50 + HONEST}) + "\n").encode())
            n += 1
        fh.write(b'{"id": "huge", "text": "' + b"word " * 10_000_000 + b'"}\n')  # a 50 MB line
        n += 1
        for i in range(12):  # invalid UTF-8
            fh.write(b'{"id": "bad%d", "text": "caf\xe9 \xff\xfe ' % i + HONEST.encode() + b'"}\n')
            n += 1
        for i in range(13):  # nested JSON in the text field
            fh.write((json.dumps({"id": f"nest{i}", "text": {"a": [1, {"b": "c"}]}}) + "\n").encode())
            n += 1
    assert n == 50
    out = tmp_path / "out.jsonl"
    proc = _batch(str(inp), "-o", str(out), timeout=600)
    assert proc.returncode == 1, proc.stderr  # the over-cap line and the nested texts get error rows
    assert "Traceback" not in proc.stderr
    rows = _rows(out)
    assert len(rows) == 50
    by_id = {r["id"]: r for r in rows}
    # A line over the record cap is not parsed, so its row is named by file and line number.
    assert "longer than" in by_id[f"{inp}:25"]["error"]
    assert all(by_id[f"nest{i}"]["error"] for i in range(13))
    assert all(by_id[f"s{i}\\ud83d"]["error"] is None for i in range(12))
    resumed = _batch(str(inp), "-o", str(out), "--resume", timeout=600)
    assert resumed.returncode == 1 and "Traceback" not in resumed.stderr  # the same error rows, counted again
    assert len(_rows(out)) == 50


def test_score_api_with_a_lone_surrogate_in_html():
    """`seospam.score(html=...)` replaces the surrogate instead of raising UnicodeEncodeError."""
    import seospam

    res = seospam.score(html="<html><body><p>caf\ud800 " + HONEST + "</p></body></html>")
    assert res["verdict"] == "ok"  # the honest walk, its surrogate replaced


# --- 2. a deadline that holds against trickled headers ---------------------------------------------------------

class _Trickler:
    """A TCP server on 127.0.0.1 that sends its status line and headers one byte every ``gap`` seconds."""

    def __init__(self, gap: float = 0.5) -> None:
        self.gap = gap
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.stop = threading.Event()
        self.paths: list[str] = []  # the path of every request, in order
        self.hung_up: list[str] = []  # the paths whose client left before the headers were all sent
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        """The page URL."""
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/page"

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        header = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + b"X-Pad: " + b"a" * 400 + b"\r\n\r\n"
        path = "?"
        try:
            request = conn.recv(4096)
            path = request.split(b" ")[1].decode() if request.count(b" ") >= 2 else "?"
            self.paths.append(path)
            for b in header:
                if self.stop.is_set():
                    break
                if client_left(conn, 0.0):
                    self.hung_up.append(path)
                    break
                conn.sendall(bytes([b]))
                time.sleep(self.gap)
        except OSError:
            if not self.stop.is_set():
                self.hung_up.append(path)
        finally:
            conn.close()

    def wait_hung_up(self, path: str, wait: float = 30.0) -> bool:
        """Whether a client leaves ``path`` before its headers were all sent (waits for the drip to notice)."""
        stop = time.monotonic() + wait
        while path not in self.hung_up and time.monotonic() < stop:
            time.sleep(0.05)
        return path in self.hung_up

    def close(self) -> None:
        """Stop serving."""
        self.stop.set()
        self.sock.close()


@pytest.fixture()
def trickler():
    t = _Trickler()
    yield t
    t.close()


def test_trickled_headers_cannot_outlast_the_deadline(trickler):
    """`score URL --timeout 2` gives up at its 6 s deadline (3 x timeout) with the deadline's error, and hangs up on
    headers that would take minutes (a byte every 0.5 s never trips the 2 s read timeout)."""
    proc = subprocess.run([*SEOSPAM, "score", trickler.url, "--timeout", "2", "--ignore-robots"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr == f"seospam: error: gave up on {trickler.url} after 6 s (server too slow)\n"
    assert trickler.paths == ["/page"] and trickler.wait_hung_up("/page")


def test_trickled_robots_txt_is_bounded_too(trickler):
    """The robots.txt fetch shares the same overall deadline."""
    from seospam.errors import FetchError
    from seospam.inputs.fetch import fetch_url

    with pytest.raises(FetchError, match=r"gave up on http://127.0.0.1:\d+/page after 1.5 s"):
        fetch_url(trickler.url, timeout=1.0, deadline=1.5, respect_robots=True)
    assert trickler.paths == ["/robots.txt"] and trickler.wait_hung_up("/robots.txt")


# --- 3. model files --------------------------------------------------------------------------------------------

def test_bundled_model_is_not_a_pickle():
    """The bundled model is an .npz of plain arrays, loaded with allow_pickle=False."""
    import numpy as np

    from seospam.model.persist import default_model_path

    p = default_model_path()
    assert p.suffix == ".npz"
    with np.load(p, allow_pickle=False) as z:
        assert all(z[k].dtype != object for k in z.files)


def test_model_swapped_after_loading_is_never_read(tmp_path):
    """Workers get the verified, loaded model, never its path: deleting the file after load changes nothing."""
    import shutil

    from seospam.engines.batch import run_batch
    from seospam.model.persist import _load_cached, card_path, default_model_path, load_model

    src = default_model_path()
    dst = tmp_path / "m.npz"
    shutil.copy(src, dst)
    shutil.copy(card_path(src), card_path(dst))
    _load_cached.cache_clear()
    m = load_model(dst)
    dst.write_bytes(b"swapped")  # a file swapped mid-run
    inp = tmp_path / "in.jsonl"
    inp.write_text("\n".join(json.dumps({"id": str(i), "text": SPAM if i % 2 else HONEST}) for i in range(6)) + "\n")
    summary = run_batch([inp], tmp_path / "out.jsonl", model=m, workers=2, progress=False)
    assert summary["errors"] == 0 and summary["records"] == 6
    _load_cached.cache_clear()


def test_model_card_without_fields_is_exit_4(tmp_path, seed_paths):
    """A minimal card (`{}`) is a ModelError, exit 4, not a traceback."""
    import shutil

    from seospam.model.persist import _load_cached, card_path, default_model_path

    _load_cached.cache_clear()
    dst = tmp_path / "m.npz"
    shutil.copy(default_model_path(), dst)
    card_path(dst).write_text("{}")
    res = runner.invoke(app, ["score", str(seed_paths[0]), "--model", str(dst)])
    assert res.exit_code == 4, res.output
    assert "Traceback" not in res.output


def test_unloadable_model_in_batch_is_exit_4_not_a_fallback(tmp_path):
    """A model that fails to load stops `batch` with exit 4 (there is no silent fallback predictor)."""
    import hashlib

    from seospam.model.persist import card_path, default_model_path

    dst = tmp_path / "m.npz"
    dst.write_bytes(b"PK\x03\x04 not really a zip")
    card = json.loads(card_path(default_model_path()).read_text())
    card["sha256"] = hashlib.sha256(dst.read_bytes()).hexdigest()
    card_path(dst).write_text(json.dumps(card))
    inp = tmp_path / "in.jsonl"
    inp.write_text(json.dumps({"id": "1", "text": HONEST}) + "\n")
    proc = _batch(str(inp), "-o", str(tmp_path / "o.jsonl"), "--model", str(dst))
    assert proc.returncode == 4, proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "o.jsonl").exists()


# --- 4. one run per output -------------------------------------------------------------------------------------

def test_second_run_on_a_locked_output_exits_5(tmp_path):
    """While a run holds OUTPUT.lock, another run on the same output stops at once with one line, exit 5."""
    from seospam.outputs.writers import OutputLock

    inp = tmp_path / "in.jsonl"
    inp.write_text(json.dumps({"id": "1", "text": HONEST}) + "\n")
    out = tmp_path / "out.jsonl"
    with OutputLock(out):
        proc = _batch(str(inp), "-o", str(out))
    assert proc.returncode == 5, proc.stderr
    assert "another seospam batch run" in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not out.exists()
    proc = _batch(str(inp), "-o", str(out))  # the lock went with its holder
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "out.jsonl.lock").exists()


# --- 5. outputs that cannot be written -------------------------------------------------------------------------

@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes read-only folders")
def test_read_only_output_folder_is_exit_5(tmp_path):
    inp = tmp_path / "in.jsonl"
    inp.write_text(json.dumps({"id": "1", "text": HONEST}) + "\n")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        proc = _batch(str(inp), "-o", str(ro / "out.jsonl"))
    finally:
        ro.chmod(0o755)
    assert proc.returncode == 5, proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_file_where_a_folder_should_be_is_exit_5(tmp_path):
    inp = tmp_path / "in.jsonl"
    inp.write_text(json.dumps({"id": "1", "text": HONEST}) + "\n")
    (tmp_path / "afile").write_text("x")
    proc = _batch(str(inp), "-o", str(tmp_path / "afile" / "out.jsonl"))
    assert proc.returncode == 5, proc.stderr
    assert "Traceback" not in proc.stderr


def test_output_failure_keeps_the_sidecar_for_resume(tmp_path, monkeypatch):
    """A disk that fills while the output is written: exit 5 (OutputError), the sidecar keeps every row, and
    --resume finishes once space is back."""
    import seospam.outputs.writers as writers
    from seospam.engines.batch import run_batch
    from seospam.errors import OutputError

    inp = tmp_path / "in.jsonl"
    inp.write_text("\n".join(json.dumps({"id": str(i), "text": HONEST}) for i in range(5)) + "\n")
    out = tmp_path / "out.jsonl"
    real = writers._write_jsonl

    def full_disk(fh, columns, rows):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writers, "_write_jsonl", full_disk)
    with pytest.raises(OutputError, match="No space left"):
        run_batch([inp], out, workers=1, progress=False)
    assert OutputError.exit_code == 5
    assert not out.exists() and writers.partial_path(out).exists()
    monkeypatch.setattr(writers, "_write_jsonl", real)
    summary = run_batch([inp], out, workers=1, progress=False, resume=True)
    assert summary["resumed_from"] == 5 and len(_rows(out)) == 5


def test_unwritable_html_report_is_exit_5(tmp_path, seed_paths):
    (tmp_path / "afile").write_text("x")
    res = runner.invoke(app, ["score", str(seed_paths[0]), "--html", str(tmp_path / "afile" / "r.html")])
    assert res.exit_code == 5, res.output


# --- 6. smaller ones -------------------------------------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_in_an_input_folder_does_not_hang_the_walk(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.txt").write_text(HONEST)
    os.mkfifo(folder / "pipe.txt")
    proc = _batch(str(folder), "-o", str(tmp_path / "out.jsonl"), timeout=120)
    assert proc.returncode == 0, proc.stderr
    rows = _rows(tmp_path / "out.jsonl")
    assert len(rows) == 1 and rows[0]["error"] is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_named_on_the_command_line_is_refused(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    proc = subprocess.run([*SEOSPAM, "score", str(fifo)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("name", ["doc.pdf", "sheet.xlsx", "slides.docx"])
def test_non_page_extensions_are_refused(tmp_path, name):
    """An ASCII file with a document extension is refused (exit 3), never scored as text."""
    p = tmp_path / name
    p.write_text("%PDF-1.4 " + SPAM)
    res = runner.invoke(app, ["score", str(p)])
    assert res.exit_code == 3, res.output
    assert "Traceback" not in res.output


def test_score_never_raises_outside_the_documented_errors():
    """The API raises only SeospamError subclasses for bad input."""
    import seospam
    from seospam.errors import SeospamError

    for bad in (b"\x00\x01\x02" * 100, "page.html", {"text": 5}, 12345, None):
        try:
            seospam.score(bad)
        except SeospamError:
            pass
