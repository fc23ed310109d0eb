"""Feature-extraction and scoring speed on real pages; prints figures, asserts nothing.

Usage: python benchmarks/features.py [--pages 600] [--runs 5]
Reads ../shared/corpora in place. One process, one core. Reports the median of --runs runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=600)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    from seospam.features import extract, feature_names
    from seospam.inputs.edge import to_page
    from seospam.model.persist import load_model
    from seospam.model.scoring import score_pages

    recs = []
    for f in sorted((ROOT.parent / "shared" / "corpora").glob("*.jsonl")):
        with open(f, encoding="utf-8") as fh:
            recs.extend(json.loads(line) for line in fh)
    recs = recs[::max(1, len(recs) // args.pages)][:args.pages]
    feature_names()
    model = load_model()
    extract(to_page(recs[0]))  # warm caches (wordfreq, lexicons)
    words = sum(len(to_page(r).words) for r in recs) / len(recs)

    def timed(fn) -> float:
        runs = []
        for _ in range(args.runs):
            t = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - t)
        return statistics.median(runs)

    t_page = timed(lambda: [to_page(r) for r in recs])
    t_feat = timed(lambda: [extract(to_page(r)) for r in recs])
    t_score = timed(lambda: score_pages([to_page(r) for r in recs], model))
    n = len(recs)
    print(f"{n} corpus pages, mean {words:.0f} words; median of {args.runs} runs, one core")
    print(f"  to_page only        {n / t_page:8.1f} pages/s")
    print(f"  to_page + features  {n / t_feat:8.1f} pages/s  ({1000 * t_feat / n:.2f} ms/page)")
    print(f"  full score+reasons  {n / t_score:8.1f} pages/s")


if __name__ == "__main__":
    main()
