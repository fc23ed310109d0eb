"""Check hand-written staging pages for word 8-gram runs shared with ../shared, with data/ or with each other.

Usage: python scripts/check_overlap.py data/staging/k [--n 8]

Prints each page that shares a run of N words with the real pages in ../shared (which must never be copied), with
the labelled pages already in data/, or with another staging page, plus the shared run, so the writer can reword
it. Standard legal wording (the DSHEA disclaimer, affiliate disclosures) is expected to recur and is ignored.
This only reads text; it writes nothing.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
_WORD = re.compile(r"\w+(?:['’]\w+)?")
# Wording that real pages carry verbatim on both sides: not a copy.
_BOILERPLATE = ("not been evaluated by the food and drug administration", "not intended to diagnose treat cure or",
                "intended to diagnose treat cure or prevent any disease", "we may earn a commission",
                "as an amazon associate i earn", "consult your doctor before", "consult with your healthcare",
                "this content is for informational purposes only", "talk to your doctor before")


_TAG = re.compile(r"<[^<>]{0,2000}>")
# The DSHEA disclaimer and the FDA's name around it: every honest supplement page carries it word for word.
_DISCLAIMER = re.compile(r"(?is)th(?:ese|is) statements? (?:has|have) not been evaluated by the food and drug "
                         r"administration\.?|(?:this|the) products? (?:is|are) not intended to diagnose, treat, "
                         r"cure,? or prevent any disease\.?")


def shingles(text: str, n: int) -> set[str]:
    """Lower-cased word n-grams of a text (markup and the DSHEA disclaimer left out)."""
    text = _DISCLAIMER.sub(" | ", _TAG.sub(" ", text))
    w = [m.group(0).lower() for m in _WORD.finditer(text)]
    return {" ".join(w[i:i + n]) for i in range(len(w) - n + 1)}


def page_body(path: Path) -> str:
    """The body of a staging .page file (after the '---' line)."""
    raw = path.read_text(encoding="utf-8")
    return raw.partition("\n---\n")[2]


def _boiler(s: str) -> bool:
    return any(b in s or s in b for b in _BOILERPLATE)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", type=Path)
    ap.add_argument("--n", type=int, default=8)
    args = ap.parse_args()
    n = args.n
    ref: dict[str, str] = {}
    for f in sorted((SHARED / "seeds").glob("*.txt")):
        for s in shingles(f.read_text(encoding="utf-8"), n):
            ref.setdefault(s, f"shared/seeds/{f.name}")
    for f in sorted((SHARED / "corpora").glob("*.jsonl")):
        for line in open(f, encoding="utf-8"):
            for s in shingles(json.loads(line).get("text", ""), n):
                ref.setdefault(s, f"shared/corpora/{f.name}")
    for f in sorted((ROOT / "data").glob("*.jsonl")):
        for line in open(f, encoding="utf-8"):
            r = json.loads(line)
            for s in shingles(r.get("text") or r.get("html") or "", n):
                ref.setdefault(s, f"data/{f.name}:{r.get('id')}")
    staging = ROOT / "data" / "staging"
    others: dict[str, str] = {}
    for f in sorted(staging.glob("*/*.page")):
        if f.parent.resolve() == args.folder.resolve():
            continue
        for s in shingles(page_body(f), n):
            others.setdefault(s, str(f.relative_to(ROOT)))
    mine: dict[str, str] = {}
    bad = 0
    for f in sorted(args.folder.glob("*.page")):
        hits = []
        for s in sorted(shingles(page_body(f), n)):
            if _boiler(s):
                continue
            where = ref.get(s) or others.get(s) or (mine.get(s) if mine.get(s) != f.name else None)
            if where:
                hits.append((s, where))
        for s in shingles(page_body(f), n):
            mine.setdefault(s, f.name)
        if hits:
            bad += 1
            print(f"{f.name}: {len(hits)} shared {n}-word runs, e.g.")
            for s, where in hits[:5]:
                print(f"   “{s}”  ←  {where}")
    print(f"{bad} page(s) with shared runs", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
