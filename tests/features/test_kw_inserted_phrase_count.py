"""kw_inserted_phrase_count: occurrences of a 2-4 word phrase pasted in at the start, middle and end of the page (3+
times, first in the first quarter, last in the final quarter) that holds a word seen only inside it, in lower case,
that is a search-query modifier or rare (Zipf < 2) and not in a heading; the page's top word never counts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "kw_inserted_phrase_count"

# Twenty words, all stopwords: padding between the start, middle and end.
PAD = "It was so, and we were there with them all. " * 2


def three(a: str, b: str, c: str) -> str:
    return a + " " + PAD + b + " " + PAD + c


# 63 words; "tea" (6) is the top word; "green tea pictures" starts at words 4, 32 and 60.
PICTURES = three("Fresh tea here and green tea pictures.", "Our tea is hot, see green tea pictures.",
                 "Good tea for all and green tea pictures.")
# 61 words; "sencha" (Zipf 1.67) is rare; "sencha tea" starts at words 0, 32 and 59.
SENCHA = three("Sencha tea.\nWe have fresh tea here.", "Our tea is hot, try sencha tea.",
               "Good tea for all and sencha tea.")
# The middle and end occurrences close together: the last starts at word 40 of 63, before the final quarter (47.25).
NO_END = "Fresh tea here and green tea pictures. " + PAD + "Our tea is hot, see green tea pictures. " \
    "Good tea for all and green tea pictures. " + PAD.strip()
# "me" follows every "green tea near": the query grows to 4 words.
NEAR_ME = three("Fresh tea here and green tea near me.", "Our tea is hot, see green tea near me.",
                "Good tea for all and green tea near me.")
TWO_NAMES = SENCHA.replace("try sencha", "try Sencha")

CASES = [
    ("", 0.0, []),
    # the same layout with only common words ("green", and the top word "tea"): on topic, not inserted
    (three("Fresh tea here and green tea.", "Our tea is hot, see green tea.", "Good tea for all and green tea."),
     0.0, []),
    (PICTURES, 3.0, ["green tea pictures"] * 3),
    (NO_END, 0.0, []),
    (NEAR_ME, 3.0, ["green tea near me"] * 3),
    # rare word; 2 of 3 lower case is at the two-thirds cut
    (SENCHA, 3.0, ["Sencha tea", "sencha tea", "sencha tea"]),
    # the first line as a heading ("Sencha tea", no full stop) makes "sencha" the page's subject
    (SENCHA.replace("Sencha tea.", "Sencha tea"), 0.0, []),
    # 1 of 3 lower case: a name, not a pasted query
    (TWO_NAMES, 0.0, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def count(text: str, **params) -> tuple[float, list[str]]:
    a = Analysis(page_of(text))
    value, spans = replace(REGISTRY[NAME], **params).compute(a)
    return value, [a.text[s:e] for s, e in spans]


def test_params_are_live():
    assert count(NO_END, edge=0.4) == (3.0, ["green tea pictures"] * 3)  # last start 40 >= 0.6 × 63
    assert count(SENCHA, min_words=61)[0] == 3.0 and count(SENCHA, min_words=62)[0] == 0.0
    assert count(SENCHA, rare_zipf=1.6)[0] == 0.0  # "sencha" (1.67) no longer rare
    assert count(TWO_NAMES, min_lower_share=1 / 3)[0] == 3.0
    assert count(NEAR_ME, max_len=3) == (3.0, ["green tea near"] * 3)
