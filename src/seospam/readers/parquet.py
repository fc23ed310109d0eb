"""Parquet records in row batches; an undecodable row group gives one error record per row."""

from __future__ import annotations

from typing import Any, Iterator

from .base import Fields, Part, ReadStats, first_line, from_mapping, make_record


def read_parquet(part: Part, fields: Fields, stats: ReadStats) -> Iterator[dict[str, Any]]:
    """Parquet in row batches; a row group that cannot be decoded gives one error record per row it holds."""
    import pyarrow.parquet as pq

    path = part.path
    try:
        pf = pq.ParquetFile(path)
        md = pf.metadata
    except Exception as e:  # pyarrow raises ArrowInvalid, OSError, ...
        yield make_record(path, error=f"cannot read Parquet file {path}: {first_line(e)}", source_file=path)
        return
    names = set(pf.schema_arrow.names)
    columns = [c for c in dict.fromkeys((fields.id, fields.url, fields.text, fields.html)) if c in names]
    stop = md.num_row_groups if part.stop is None else part.stop
    row = part.first  # 1-based, like line numbers
    for g in range(part.start, stop):
        n_rows = md.row_group(g).num_rows
        done = 0
        try:
            for batch in pf.iter_batches(batch_size=256, row_groups=[g], columns=columns, use_threads=False):
                for obj in batch.to_pylist():
                    yield from_mapping(obj, fields, f"{path}:{row + done}", path)
                    done += 1
        except Exception as e:
            msg = f"unreadable Parquet row group {g}: {first_line(e)}"
            for i in range(done, n_rows):
                yield make_record(f"{path}:{row + i}", error=msg, source_file=path)
        row += n_rows
