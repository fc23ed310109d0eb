"""Batch readers: every input format turned into records, split into :class:`~.base.Part` objects an engine can
schedule (:mod:`.base` plans; :mod:`.jsonl`, :mod:`.csv`, :mod:`.parquet`, :mod:`.warc` and :mod:`.pages` read)."""

from __future__ import annotations

import os
from typing import Any, Iterable, Iterator

from .base import FORMATS, RECORD_KEYS, Fields, Part, ReadStats, expand_inputs, format_of, make_record, plan_parts

__all__ = ["FORMATS", "RECORD_KEYS", "Fields", "Part", "ReadStats", "expand_inputs", "format_of", "make_record", "plan_parts",
           "iter_records", "read_part", "read_part_frame"]
from .csv import read_csv
from .jsonl import read_jsonl
from .pages import read_page_file
from .parquet import read_parquet
from .warc import read_warc

def iter_records(paths: Iterable[str | os.PathLike], fmt: str | None = None, id_field: str = "id",
                 text_field: str = "text", html_field: str = "html", url_field: str = "url", *,
                 stats: ReadStats | None = None) -> Iterator[dict[str, Any]]:
    """Stream records ``{id, url, text, html, error, truncated, source_file}`` from files and folders, in order."""
    fields = Fields(id_field, text_field, html_field, url_field)
    for part in plan_parts(expand_inputs(paths, fmt)):
        yield from read_part(part, fields, stats)


def read_part(part: Part, fields: Fields = Fields(), stats: ReadStats | None = None) -> Iterator[dict[str, Any]]:
    """Records of one :class:`Part`; a file that cannot be read gives an error record, never an exception."""
    stats = stats or ReadStats()
    readers = {"jsonl": read_jsonl, "csv": read_csv, "parquet": read_parquet, "warc": read_warc,
               "wet": read_warc}
    if part.fmt in ("html", "text"):
        for f in part.files or (part.path,):
            yield read_page_file(f, part.fmt)
        return
    yield from readers[part.fmt](part, fields, stats)


def read_part_frame(part: Part, fields: Fields = Fields()) -> Any:
    """Records of one part as a pandas DataFrame with :data:`RECORD_KEYS` columns (a Dask partition)."""
    import pandas as pd

    recs = list(read_part(part, fields))
    cols = {k: pd.Series([r[k] for r in recs], dtype=object) for k in RECORD_KEYS if k != "truncated"}
    cols["truncated"] = pd.Series([bool(r["truncated"]) for r in recs], dtype=bool)
    return pd.DataFrame(cols, columns=RECORD_KEYS)
