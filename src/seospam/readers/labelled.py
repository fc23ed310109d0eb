"""Labelled data for ``train`` and ``evaluate``: JSONL, CSV or Parquet with ``text`` or ``html`` and ``label``.

A record's group (its "site" or source, for grouped cross-validation) is the first of ``group``, ``publisher`` and
``source`` that it has; an ``id`` of the form ``collection/item`` adds the collection to the source.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from ..errors import DataError

TABLE_SUFFIXES = (".jsonl", ".json", ".csv", ".parquet", ".jsonl.gz")
PAGE_SUFFIXES = (".txt", ".html", ".htm")


def _suffix(p: Path) -> str:
    name = p.name.lower()
    return ".jsonl.gz" if name.endswith(".jsonl.gz") else p.suffix.lower()


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files behind the given paths: a folder stands for the tables in it (sorted, not recursive)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(q for q in p.iterdir() if q.is_file() and _suffix(q) in TABLE_SUFFIXES))
        elif p.exists():
            out.append(p)
        else:
            raise DataError(f"{p}: no such file or folder")
    return out


def _read_table(p: Path) -> pd.DataFrame:
    suf = _suffix(p)
    try:
        if suf in (".jsonl", ".json", ".jsonl.gz"):
            return pd.read_json(p, lines=True, dtype=False)
        if suf == ".csv":
            return pd.read_csv(p, dtype=str, keep_default_na=False)
        if suf == ".parquet":
            return pd.read_parquet(p)
    except (ValueError, OSError) as e:
        raise DataError(f"{p}: cannot read it: {str(e).splitlines()[0][:200]}") from None
    raise DataError(f"{p}: unsupported format (use .jsonl, .csv or .parquet)")


#: Columns of the labelled frame. ``file`` is the writer: one data file per writer brief, one per real corpus.
COLUMNS = ["id", "label", "group", "text", "html", "url", "file", "genre", "pair"]


def _text(v: Any) -> str | None:
    return v if isinstance(v, str) and v else None


def _group(row: dict[str, Any], default: str) -> str:
    for key in ("group", "publisher"):
        v = row.get(key)
        if isinstance(v, str) and v:
            return v
    src = row.get("source")
    src = src if isinstance(src, str) and src else default
    rid = row.get("id")
    if isinstance(rid, str) and "/" in rid:
        return f"{src}:{rid.split('/')[0].split(':')[-1]}"
    return src


def file_sha256(p: Path) -> str:
    """sha256 of a data file, for the model card."""
    return hashlib.sha256(p.read_bytes()).hexdigest()


def read_labelled(paths: Iterable[str | Path], positives: Iterable[str | Path] = ()) -> tuple[pd.DataFrame,
                                                                                             list[dict]]:
    """Read labelled tables (and folders of known-spam pages) into one frame, plus a manifest for the model card.

    The frame has :data:`COLUMNS` (``group`` the site, ``file`` the writer, ``genre`` the style). Raises :class:`DataError`
    for a missing column or a label other than 0/1.
    """
    frames = []
    manifest = []
    for p in expand_paths(paths):
        df = _read_table(p)
        if "label" not in df.columns:
            raise DataError(f"{p}: missing column 'label' (1 = spam, 0 = not spam)")
        if "text" not in df.columns and "html" not in df.columns:
            raise DataError(f"{p}: needs a 'text' or 'html' column")
        labels = pd.to_numeric(df["label"], errors="coerce")
        bad = ~labels.isin([0, 1])
        if bad.any():
            first = df.loc[bad, "label"].iloc[0]
            raise DataError(f"{p}: label must be 0 or 1, found {first!r} in {int(bad.sum())} rows")
        rows = df.to_dict("records")
        out = pd.DataFrame({
            "id": [str(r.get("id")) if r.get("id") not in (None, "") else f"{p.name}:{i + 1}"
                   for i, r in enumerate(rows)],
            "label": labels.astype(int).to_numpy(),
            "group": [_group(r, p.stem) for r in rows],
            "text": df["text"] if "text" in df.columns else None,
            "html": df["html"] if "html" in df.columns else None,
            "url": df["url"] if "url" in df.columns else None,
            "file": p.name,
            "genre": [_text(r.get("style") or r.get("genre")) or p.stem for r in rows],
            "pair": [_text(r.get("pair")) for r in rows],
        })
        frames.append(out)
        manifest.append({"file": p.name, "sha256": file_sha256(p), "rows": len(out),
                         "spam": int(out["label"].sum()), "not_spam": int((out["label"] == 0).sum())})
    for folder in map(Path, positives):
        if not folder.is_dir():
            raise DataError(f"{folder}: not a folder of spam pages")
        files = sorted(q for q in folder.iterdir() if q.suffix.lower() in PAGE_SUFFIXES)
        recs = []
        for q in files:
            raw = q.read_text(encoding="utf-8", errors="replace")
            is_html = q.suffix.lower() in (".html", ".htm")
            recs.append({"id": f"{folder.name}/{q.name}", "label": 1, "group": folder.name,
                         "text": None if is_html else raw, "html": raw if is_html else None, "url": None,
                         "file": folder.name, "genre": "real-spam", "pair": None})
        frames.append(pd.DataFrame(recs, columns=COLUMNS))
        digest = hashlib.sha256("".join(file_sha256(q) for q in files).encode()).hexdigest()
        manifest.append({"file": f"{folder.name}/", "sha256": digest, "rows": len(recs), "spam": len(recs),
                         "not_spam": 0})
    if not frames:
        raise DataError("no labelled data given")
    data = pd.concat(frames, ignore_index=True)
    if data["label"].nunique() < 2:
        raise DataError("training needs both labels: some spam (1) and some not spam (0)")
    return data, manifest


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as records for :func:`seospam.inputs.edge.to_page` (NaN and empty strings become None)."""
    out = []
    for r in df[["id", "text", "html", "url"]].to_dict("records"):
        out.append({k: (v if isinstance(v, str) and v != "" else None) for k, v in r.items()})
    return out
