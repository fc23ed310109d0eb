"""Strings that can always be written: lone surrogates made visible (ids, urls) or replaced (page text).

JSON allows ``"\\ud800"``, and Python decodes undecodable file names with ``surrogateescape``, so a ``str`` can hold
code points that UTF-8 cannot encode. Written as they are, they crash the sidecar, the writers and resume (issue
12); so every string that reaches an output goes through :func:`escape_surrogates`, and page text through
:func:`replace_surrogates` before any parser sees it.
"""

from __future__ import annotations

import re
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")


def has_surrogates(s: str) -> bool:
    """Whether ``s`` holds a code point UTF-8 cannot encode."""
    return _SURROGATE.search(s) is not None


def escape_surrogates(s: str) -> str:
    """``"a\\ud800"`` → ``"a\\\\ud800"``: each lone surrogate spelt out as a backslash escape, the rest unchanged.

    Deterministic, so the same input record always gets the same id (``--resume`` compares ids).
    """
    if not has_surrogates(s):
        return s
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", s)


def replace_surrogates(s: str) -> str:
    """Each lone surrogate replaced by U+FFFD, the replacement character, as a decoder does for bad bytes."""
    if not has_surrogates(s):
        return s
    return _SURROGATE.sub("\ufffd", s)


def safe_value(v: Any) -> Any:
    """A cell for an output row: strings with lone surrogates escaped, inside lists and dicts too (``reasons``),
    anything else unchanged."""
    if isinstance(v, str):
        return escape_surrogates(v)
    if isinstance(v, list):
        return [safe_value(x) for x in v]
    if isinstance(v, dict):
        return {k: safe_value(x) for k, x in v.items()}
    return v
