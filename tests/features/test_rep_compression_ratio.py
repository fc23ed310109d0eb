"""rep_compression_ratio: UTF-8 size of the first 200k characters / its zlib (level 6) size: repeated text
compresses well (Ntoulas et al. 2006). NaN below 64 bytes, where zlib's header dominates."""

from __future__ import annotations

import math
import zlib
from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "rep_compression_ratio"


def ratio(text: str, level: int = 6) -> float:
    raw = text.encode("utf-8")
    return len(raw) / len(zlib.compress(raw, level))


REPEATED = "Green tea is warm and calm. " * 6
VARIED = ("Green tea is warm. The library opens at nine. Cats sleep on the sofa. "
          "Rain fell twice in June. Bikes need oil.")

CASES = [
    ("", float("nan"), []),
    ("Short text.", float("nan"), []),
    ("a" * 63, float("nan"), []),  # one byte below the cut
    ("a" * 64, ratio("a" * 64), []),  # at the cut
    ("é" * 32, ratio("é" * 32), []),  # bytes, not characters: 32 characters are 64 bytes
    (VARIED, ratio(VARIED), []),
    (REPEATED, ratio(REPEATED), []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_repetition_raises_the_ratio():
    f = REGISTRY[NAME]
    assert f.compute(Analysis(page_of(REPEATED))) > 2 * f.compute(Analysis(page_of(VARIED)))


def test_params_are_live():
    f = REGISTRY[NAME]
    a64 = Analysis(page_of("a" * 64))
    assert math.isnan(replace(f, max_chars=63).compute(a64))
    # level 0 stores: 2 header + 5 block header + 64 bytes + 4 checksum = 75
    assert replace(f, level=0).compute(a64) == pytest.approx(64 / 75)
    short = Analysis(page_of("Short text."))
    assert replace(f, min_bytes=11).compute(short) == pytest.approx(ratio("Short text."))
    assert math.isnan(replace(f, min_bytes=12).compute(short))
