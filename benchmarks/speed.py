"""Issue 10's single-core figures in one run, on the same pages, beside their references; asserts nothing.

Usage: python benchmarks/speed.py [--pages 800] [--runs 3] [--cpu 0]

Reads ../shared/corpora in place (every k-th page). The process is pinned to one core (``--cpu``). Rows:

- the regex floor: one bare ``re.findall(r"\\w+")`` pass over each text;
- datatrove's GopherRepetitionFilter + GopherQualityFilter (needs ``pip install ".[bench]"``: their English word
  tokenizer is spaCy's);
- seospam text -> page, text -> features, text -> score (features, predict, attribution, reasons);
- the same pages as HTML inside a site's navigation, sidebar, cookie banner and footer (the training layout
  ``html_boilerplate``): resiliparse's main-content extraction alone, and seospam HTML -> score.

Each figure is the median of ``--runs`` passes. Targets (issue 10): text -> score >= 1,000 pages/s and >= 5x the
two Gopher filters; HTML -> score >= 0.7x text -> score.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
WORD = re.compile(r"\w+")


def load(pages: int) -> list[dict[str, Any]]:
    """Every k-th record of the shared corpora, ``pages`` of them."""
    recs: list[dict[str, Any]] = []
    for f in sorted((ROOT.parent / "shared" / "corpora").glob("*.jsonl")):
        with open(f, encoding="utf-8") as fh:
            recs.extend(json.loads(line) for line in fh)
    return recs[::max(1, len(recs) // pages)][:pages]


def median_rate(n: int, fn: Callable[[], Any], runs: int) -> float:
    """Pages per second: ``n`` over the median wall time of ``runs`` calls of ``fn``."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return n / statistics.median(times)


def gopher_rate(texts: list[str], runs: int) -> float | None:
    """datatrove's two Gopher filters over ``texts`` (None when datatrove or spaCy is missing)."""
    try:
        from datatrove.data import Document
        from datatrove.pipeline.filters import GopherQualityFilter, GopherRepetitionFilter

        rep, qual = GopherRepetitionFilter(), GopherQualityFilter()
        docs = [Document(text=t, id=str(i)) for i, t in enumerate(texts)]
        rep.filter(docs[0]), qual.filter(docs[0])  # load the tokenizer outside the timing
    except ImportError:
        return None

    def run() -> None:
        for d in docs:
            rep.filter(d)
            qual.filter(d)

    return median_rate(len(docs), run, runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=800)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cpu", type=int, default=0, help="the core to pin to")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})

    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    from seospam.features import extract
    from seospam.inputs.edge import to_page
    from seospam.model.augment import boilerplate_html
    from seospam.model.persist import load_model
    from seospam.model.scoring import score_pages

    recs = load(args.pages)
    n = len(recs)
    texts = [r["text"] for r in recs]
    htmls = [boilerplate_html(to_page(r), str(r.get("id", i))) for i, r in enumerate(recs)]
    model = load_model()
    score_pages([to_page(recs[0])], model)  # warm lexicons, word tables and the model outside the timing
    words = sum(len(WORD.findall(t)) for t in texts) / n

    rows: list[tuple[str, float | None]] = [
        ("bare re.findall(r'\\w+') pass", median_rate(n, lambda: [WORD.findall(t) for t in texts], args.runs)),
        ("datatrove Gopher repetition + quality", gopher_rate(texts, args.runs)),
        ("seospam text -> page", median_rate(n, lambda: [to_page(r) for r in recs], args.runs)),
        ("seospam text -> features", median_rate(n, lambda: [extract(to_page(r)) for r in recs], args.runs)),
        ("seospam text -> score", median_rate(n, lambda: score_pages([to_page(r) for r in recs], model),
                                              args.runs)),
        ("resiliparse main-content extraction", median_rate(
            n, lambda: [extract_plain_text(HTMLTree.parse(h), main_content=True) for h in htmls], args.runs)),
        ("seospam HTML -> score", median_rate(n, lambda: score_pages([to_page(h, fmt="html") for h in htmls],
                                                                     model), args.runs)),
    ]
    rate = dict(rows)
    print(f"{n} corpus pages, mean {words:.0f} words; pinned to core {args.cpu}; median of {args.runs} runs")
    for name, r in rows:
        print(f"  {name:40s} {'not installed (pip install .[bench])' if r is None else f'{r:10.1f} pages/s'}")
    text, html, gopher = rate["seospam text -> score"], rate["seospam HTML -> score"], rate[rows[1][0]]
    print("targets (issue 10):")
    print(f"  text -> score >= 1,000 pages/s          {text:10.1f}  {'met' if text >= 1000 else 'NOT met'}")
    if gopher:
        print(f"  text -> score >= 5x Gopher filters      {text / gopher:10.2f}x {'met' if text >= 5 * gopher else 'NOT met'}")
    print(f"  HTML -> score >= 0.7x text -> score     {html / text:10.2f}x {'met' if html >= 0.7 * text else 'NOT met'}")
    print(f"  text -> score / regex floor             {text / rate[rows[0][0]]:10.4f}")


if __name__ == "__main__":
    main()
