"""Batch throughput and memory on real pages; prints figures, asserts nothing.

Usage: python benchmarks/batch.py [--text-pages 800] [--html-pages 400] [--runs 3] [--rss-sizes 10000,100000]
                                  [--rss-chars 600]

Builds inputs in a temporary folder by repeating the ../shared corpora pages under new ids (read in place, never
copied into the repository): a JSONL of text dumps and a WARC.gz of the same texts as HTML pages. Reports, each as
the median of --runs runs:
  * pages/s for text JSONL and for WARC/HTML with 1 worker (= per core) and with 2 workers, and the 2/1 ratio;
  * resiliparse extraction alone on the same HTML (HTMLTree.parse + extract_plain_text, one core), and seospam's
    HTML pages/s as a share of it;
then the peak memory of `seospam batch --workers 2` (parent + workers: summed RSS, and summed PSS, which counts
pages shared after fork once) at each of --rss-sizes records, each page cut to its first --rss-chars characters
so that 100k records fit in a few minutes (--rss-chars 0 keeps whole pages).
Targets (issue 5): text >= 1,000 pages/s per core; HTML >= 0.7x resiliparse alone; 2 workers >= 1.8x one; peak
RSS flat and < 1 GB.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"


def corpus() -> list[dict]:
    """Every page of ../shared/corpora (text, title, url)."""
    recs = []
    for f in sorted(CORPORA.glob("*.jsonl")):
        with open(f, encoding="utf-8") as fh:
            recs.extend(json.loads(line) for line in fh if line.strip())
    if not recs:
        sys.exit(f"no corpora in {CORPORA}")
    return recs


def as_html(rec: dict) -> str:
    """The page's text as simple HTML: a title, an h1 and one paragraph a line."""
    import html

    title = html.escape(rec.get("title") or "")
    paras = "".join(f"<p>{html.escape(line)}</p>\n" for line in rec["text"].splitlines() if line.strip())
    return (f"<!doctype html><html><head><title>{title}</title><meta name=\"description\" content=\"{title}\">"
            f"</head><body><nav><a href=\"/\">Home</a></nav><article><h1>{title}</h1>\n{paras}</article>"
            f"<footer>Footer</footer></body></html>")


def write_jsonl(path: Path, recs: list[dict], n: int, chars: int = 0) -> None:
    """``n`` text records, cycling through ``recs`` under new ids (texts cut to ``chars`` if given)."""
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            r = recs[i % len(recs)]
            text = r["text"][:chars] if chars else r["text"]
            fh.write(json.dumps({"id": f"{r['id']}#{i}", "url": r.get("url"), "text": text}) + "\n")


def write_warc(path: Path, pages: list[tuple[str, bytes]]) -> None:
    """A WARC.gz of HTTP response records (one gzip member each, as crawlers write them)."""
    with open(path, "wb") as fh:
        for url, body in pages:
            http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n"
                    % len(body)) + body
            head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
                    f"WARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Target-URI: {url}\r\n"
                    f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n")
            fh.write(gzip.compress(head.encode() + http + b"\r\n\r\n", compresslevel=6))


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished (reaped) children, such as pool workers."""
    import resource

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def median_rate(fn, n: int, runs: int) -> tuple[float, float]:
    """Median (pages per wall second, pages per CPU second) of ``fn()`` over ``runs`` runs.

    Pages per CPU second is what one core does when it has the core to itself: it stays meaningful when other
    jobs share the machine, which wall-clock figures do not.
    """
    walls, cpus = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), _cpu_seconds()
        fn()
        walls.append(time.perf_counter() - t)
        cpus.append(_cpu_seconds() - c)
    return n / statistics.median(walls), n / statistics.median(cpus)


def throughput(tmp: Path, recs: list[dict], args: argparse.Namespace) -> None:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    from seospam.engines.batch import run_batch
    from seospam.model.persist import load_model

    load_model()
    warm = tmp / "warm.jsonl"
    write_jsonl(warm, recs, 20)
    run_batch([warm], tmp / "warm_out.jsonl", workers=1, progress=False)  # lazy loads happen here, untimed
    text_in = tmp / "text.jsonl"
    write_jsonl(text_in, recs, args.text_pages)
    html_pages = [(r.get("url") or f"http://example.com/{i}", as_html(r).encode("utf-8"))
                  for i, r in enumerate(recs[i % len(recs)] for i in range(args.html_pages))]
    warc_in = tmp / "pages.warc.gz"
    write_warc(warc_in, html_pages)
    out = tmp / "out.jsonl"
    print(f"median of {args.runs} runs; load average now {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores (other jobs on the machine lower every figure)")
    print("  (wall = pages per wall-clock second; cpu = pages per CPU second of all processes, i.e. per busy core)")
    rates: dict[tuple[str, int], tuple[float, float]] = {}
    for label, path, n in (("text JSONL", text_in, args.text_pages), ("WARC/HTML", warc_in, args.html_pages)):
        for w in (1, 2):
            rates[label, w] = median_rate(lambda: run_batch([path], out, workers=w, progress=False,
                                                            log=lambda m: None), n, args.runs)
        (w1, c1), (w2, c2) = rates[label, 1], rates[label, 2]
        print(f"  {label:<11} {n:>6} pages: 1 worker {w1:7.1f} wall {c1:7.1f} cpu | 2 workers {w2:7.1f} wall "
              f"{c2:7.1f} cpu | 2/1 wall {w2 / w1:.2f}x, cpu efficiency 2/1 {c2 / c1:.2f}")
    bodies = [b.decode("utf-8") for _, b in html_pages] * 10  # enough work per timed run to time it well
    res_plain = median_rate(lambda: [extract_plain_text(HTMLTree.parse(b)) for b in bodies], len(bodies), args.runs)
    res_min = median_rate(lambda: [extract_plain_text(HTMLTree.parse(b), preserve_formatting="minimal_html",
                                                      main_content=False) for b in bodies], len(bodies), args.runs)
    html1 = rates["WARC/HTML", 1]
    print(f"  resiliparse alone, same HTML, one core: extract_plain_text {res_plain[0]:8.1f} wall "
          f"{res_plain[1]:8.1f} cpu; minimal_html (as seospam parses) {res_min[0]:8.1f} wall {res_min[1]:8.1f} cpu")
    print(f"  seospam WARC/HTML per core = {html1[1] / res_plain[1]:.3f}x resiliparse extract_plain_text "
          f"({html1[1] / res_min[1]:.3f}x minimal_html), by CPU time")


def peak_memory(tmp: Path, recs: list[dict], sizes: list[int], chars: int) -> None:
    try:
        import psutil
    except ImportError:
        psutil = None
    cut = f"pages cut to {chars} characters" if chars else "whole pages"
    print(f"peak memory of `seospam batch --workers 2` (parent + workers), text JSONL, {cut}:")
    for n in sizes:
        src = tmp / f"rss_{n}.jsonl"
        write_jsonl(src, recs, n, chars)
        cmd = [sys.executable, "-c", "from seospam.cli import main; main()", "batch", str(src), "-o",
               str(tmp / f"rss_{n}.parquet"), "--workers", "2"]
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peak_rss = peak_pss = 0
        while proc.poll() is None:
            if psutil is not None:
                rss, pss = _tree_memory(psutil, proc.pid)
                peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            time.sleep(0.5)
        secs = time.perf_counter() - t
        if psutil is None:
            import resource

            peak_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # largest single process
        print(f"  {n:>7} records: peak RSS sum {peak_rss / 2**20:7.0f} MiB, peak PSS sum "
              f"{peak_pss / 2**20:7.0f} MiB, {secs:6.1f} s wall ({n / secs:.0f} pages/s incl. startup), "
              f"exit {proc.returncode}")
        src.unlink()


def _tree_memory(psutil, pid: int) -> tuple[int, int]:
    rss = pss = 0
    try:
        root = psutil.Process(pid)
        procs = [root] + root.children(recursive=True)
    except psutil.Error:
        return 0, 0
    for p in procs:
        try:
            info = p.memory_full_info()
            rss += info.rss
            pss += getattr(info, "pss", info.rss)
        except psutil.Error:
            continue
    return rss, pss


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--text-pages", type=int, default=800, help="text records for the throughput runs")
    ap.add_argument("--html-pages", type=int, default=400, help="HTML pages (WARC records) for the throughput runs")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per figure (the median is printed)")
    ap.add_argument("--rss-sizes", default="10000,100000", help="record counts for the memory runs ('' to skip)")
    ap.add_argument("--rss-chars", type=int, default=600, help="cut pages to this many characters for the memory "
                    "runs (0: whole pages)")
    ap.add_argument("--skip-throughput", action="store_true")
    args = ap.parse_args()
    recs = corpus()
    with tempfile.TemporaryDirectory(prefix="seospam-bench-") as d:
        tmp = Path(d)
        if not args.skip_throughput:
            throughput(tmp, recs, args)
        sizes = [int(s) for s in args.rss_sizes.split(",") if s.strip()]
        if sizes:
            peak_memory(tmp, recs, sizes, args.rss_chars)


if __name__ == "__main__":
    main()
