"""rep_first_last_sim: cosine similarity of the content-word counts of the first and the last three sentences (a
conclusion that restates the introduction); evidence from 0.5 is the first, third, third-last and last sentences.
NaN below six sentences."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "rep_first_last_sim"

INTRO = "Green tea. Sleep restores. We are here."  # content words: green tea sleep restore
END = "Green tea. Walking matters. We are done."  # green tea walking matter: 2 of 4 shared
MIDDLE = "Coffee is bitter. Coffee is dark."

CASES = [
    ("", float("nan"), []),
    # five sentences: one short of two groups of three
    ("Green tea. Sleep restores. We are here. Green tea. Sleep restores.", float("nan"), []),
    (INTRO + " Black coffee. Walking matters. We are done.", 0.0, []),
    (INTRO + " " + INTRO, 1.0, ["Green tea.", "We are here.", "Green tea.", "We are here."]),
    # evidence_at: a cosine of exactly 0.5 (2 / (2 * 2)) shows the evidence
    (INTRO + " " + END, 0.5, ["Green tea.", "We are here.", "Green tea.", "We are done."]),
    # the sentences in between are not compared
    (INTRO + " " + MIDDLE + " " + END, 0.5, ["Green tea.", "We are here.", "Green tea.", "We are done."]),
    # 1 of 4 shared: 1 / (2 * 2) = 0.25, below the evidence cut
    (INTRO + " Green coffee. Walking matters. We are done.", 0.25, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_params_are_live():
    f = REGISTRY[NAME]
    two = Analysis(page_of("Green tea helps. Green tea helps."))
    assert math.isnan(f.compute(two)[0])
    assert replace(f, k=1).compute(two)[0] == pytest.approx(1.0)
    low = Analysis(page_of(INTRO + " Green coffee. Walking matters. We are done."))
    assert f.compute(low)[1] == []
    assert len(replace(f, evidence_at=0.25).compute(low)[1]) == 4
