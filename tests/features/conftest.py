"""What every per-feature test file shares: one (text, value, spans) case checked against one declared feature."""

from __future__ import annotations

import math

import pytest

from seospam.features import extract
from seospam.inputs.edge import to_page
from seospam.inputs.page import Page


def page_of(text: str) -> Page:
    """The page a case's text becomes: through the input edge, except the empty string (which the edge refuses)."""
    return Page(text="") if text == "" else to_page(text)


def run_case(name: str, text: str, value: float, spans: list[str] | None) -> None:
    """Feature ``name`` on ``text`` gives ``value`` (NaN for "input absent"; floats to 1e-9) and evidence whose
    texts are ``spans`` in page order (``None``: the spans are not checked)."""
    page = page_of(text)
    fs = extract(page, [name])
    got = fs.values[name]
    if isinstance(value, float) and math.isnan(value):
        assert math.isnan(got), got
    else:
        assert got == pytest.approx(value, abs=1e-9), got
    if spans is not None:
        assert [page.text[s:e] for s, e in fs.evidence.get(name, [])] == spans

