"""Pack hand-written staging pages (data/staging/<writer>/<id>.page) into data/<writer-set>.jsonl.

Each .page file is a header of ``key: value`` lines, a ``---`` line, then the page body (see data/README.md).
This only moves text into JSONL; it writes no page content.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

FIELDS = ("id", "label", "source", "topic", "style", "format")


def parse(path: Path) -> dict:
    raw = path.read_text(encoding="utf-8")
    head, sep, body = raw.partition("\n---\n")
    if not sep:
        raise ValueError(f"{path}: no '---' line after the header")
    meta = {}
    for line in head.splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            meta[k.strip().lower()] = v.strip()
    missing = [f for f in FIELDS if f not in meta]
    if missing:
        raise ValueError(f"{path}: header lacks {missing}")
    rec = {"id": meta["id"], "label": int(meta["label"]), "source": meta["source"], "topic": meta["topic"],
           "style": meta["style"]}
    if meta.get("pair"):
        rec["pair"] = meta["pair"]
    body = body.strip("\n")
    rec["html" if meta["format"] == "html" else "text"] = body
    return rec


def main(staging: str = "data/staging", out_dir: str = "data", *writers: str) -> None:
    for writer in sorted(p for p in Path(staging).iterdir() if p.is_dir() and (not writers or p.name in writers)):
        recs = [parse(p) for p in sorted(writer.glob("*.page"))]
        if not recs:
            continue
        label = "spam" if all(r["label"] == 1 for r in recs) else "ham" if all(r["label"] == 0 for r in recs) \
            else "pairs"
        out = Path(out_dir) / f"{label}_{writer.name}.jsonl"
        with open(out, "w", encoding="utf-8") as fh:
            for r in recs:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"{out}: {len(recs)} pages")


if __name__ == "__main__":
    main(*sys.argv[1:])
