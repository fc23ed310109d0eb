"""The output row, once: its columns, their types (pandas dtypes and the Arrow schema) and what counts as missing.

Every writer (JSONL, CSV, Parquet), engine (local, Dask) and scorer reads the row shape from here.
"""

from __future__ import annotations

import math
from typing import Any

#: Version of the output shape (``score --json``, batch rows, the serve API); raised when a field changes meaning.
#: 2: ``lang``, ``schema_version`` and the ``unsupported`` verdict.
SCHEMA_VERSION = 2

#: Columns of every batch row, in order (``--features`` appends one column per feature). ``top_reasons`` is the
#: short string older scripts read; ``reasons`` holds the same reasons as a list of objects (a list of structs in
#: Parquet). ``threshold``, ``model_sha256`` and ``schema_version`` are on every row, error rows included, so a
#: file says by itself which model and operating point made it.
OUTPUT_COLUMNS = ["id", "url", "score", "verdict", "is_spam", "top_reasons", "truncated", "error", "reasons", "lang",
                  "threshold", "model_sha256", "schema_version"]
#: Output columns that hold text.
STRING_COLUMNS = ("id", "url", "verdict", "top_reasons", "error", "lang", "model_sha256")
#: Output columns that hold booleans; ``reasons`` is a list, ``schema_version`` an integer, every other column
#: (score, threshold, features) a float.
BOOL_COLUMNS = ("is_spam", "truncated")


def pandas_dtypes(columns: list[str]) -> dict[str, str]:
    """The pandas dtype of each column of a scored frame (text, booleans and lists as object, as Dask needs spelt out)."""
    floats = {"score", "threshold", *columns[len(OUTPUT_COLUMNS):]}  # the score, threshold and every feature
    return {c: "float64" if c in floats else "int64" if c == "schema_version" else "object" for c in columns}


def arrow_schema(columns: list[str]) -> Any:
    """The Arrow schema of the output: strings, booleans, reasons as a list of structs, floats for the rest."""
    import pyarrow as pa

    def typ(c: str) -> Any:
        if c == "reasons":
            return pa.list_(pa.struct([("feature", pa.string()), ("points", pa.float64()),
                                       ("description", pa.string())]))
        if c == "schema_version":
            return pa.int32()
        return pa.string() if c in STRING_COLUMNS else pa.bool_() if c in BOOL_COLUMNS else pa.float64()

    return pa.schema([(c, typ(c)) for c in columns])


def is_missing(v: Any) -> bool:
    """Whether a cell is missing: None, NaN, or pandas' NA and NaT; an array-like is a value, never missing."""
    if v is None:
        return True
    if isinstance(v, float):
        return math.isnan(v)
    if isinstance(v, (str, bytes, bool, int, list, dict)):
        return False
    import pandas as pd

    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):  # array-likes
        return False


def plain(v: Any) -> Any:
    """A JSON-ready cell: numpy scalars unwrapped, missing values (:func:`is_missing`) as None."""
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        try:
            v = v.item()
        except (ValueError, TypeError):
            pass
    return None if is_missing(v) else v
