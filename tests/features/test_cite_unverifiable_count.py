"""cite_unverifiable_count: sentences with a study reference ('a study published in...') and no checkable
reference (author, year, DOI, PMID, link) in the same sentence."""

from __future__ import annotations

import pytest

from .conftest import run_case

NAME = "cite_unverifiable_count"

CASES = [
    ("", 0.0, []),
    ("The study was long.", 0.0, []),
    ("A study published in a top journal found it works.", 1.0, ["study published in"]),
    ("A trial reported by the team helped. A review appeared in a magazine.", 2.0,
     ["trial reported by", "review appeared in"]),
    ("Sales rose, according to a recent study.", 1.0, ["according to a recent study"]),
    # Version 2: cue words in any case, so a sentence may start with one; a journal's name keeps its capital.
    ("According to one new study, it helps.", 1.0, ["According to one new study"]),
    ("Research published in a blog agrees.", 1.0, ["Research published in"]),
    ("It was published in The Lancet last year.", 1.0, ["published in The Lancet"]),
    ("The Journal of Herbal Science found it cures.", 1.0, ["Journal of Herbal Science found"]),
    # Near-miss: "published in" before a lower-case word is no journal.
    ("The recipe was published in a cookbook.", 0.0, []),
    # A year in brackets or a DOI in the same sentence makes it checkable.
    ("A study published in a top journal (2021) found it.", 0.0, []),
    ("A study published in Nature (doi 10.1000/xyz) found this.", 0.0, []),
    # Only the same sentence counts: a DOI in the next one does not rescue it.
    ("A study published in a journal found this. See doi 10.1000/abc.", 1.0, ["study published in"]),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)
