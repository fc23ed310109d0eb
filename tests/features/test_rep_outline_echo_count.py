"""rep_outline_echo_count: distinct "- " outline items whose text (without bullets, dashes, colons, case) comes back
in a later block, such as a section heading; evidence is each item and its echoes. NaN for a page without a list."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "rep_outline_echo_count"

ITEM = "Benefits of green tea"

CASES = [
    ("", float("nan"), []),
    (ITEM + "\nGreen tea is warm.", float("nan"), []),
    ("- Green tea\n- Black tea\nBoth are warm.", 0.0, []),
    ("- " + ITEM + "\n" + ITEM + "\nIt is warm.", 1.0, [ITEM, ITEM]),
    # two items echoed; an echo with a colon, in capitals, or with an en dash kept still counts, once per item
    ("- " + ITEM + "\n- How to brew tea\nBENEFITS OF GREEN TEA:\nIt is warm.\n– How to brew tea\nHow to brew tea",
     2.0, [ITEM, "How to brew tea", "BENEFITS OF GREEN TEA:", "How to brew tea", "How to brew tea"]),
    # near misses: a repeated "- " bullet is a repeated list, and a heading before the item is no echo
    ("- " + ITEM + "\n- " + ITEM, 0.0, []),
    (ITEM + "\n- " + ITEM, 0.0, []),
    # min_chars: "Tea tips" (8 characters) counts, "Tea tip" (7) is a menu word
    ("- Tea tips\nTea tips\n- Tea tip\nTea tip", 1.0, ["Tea tips", "Tea tips"]),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_min_chars_is_live():
    a = Analysis(page_of("- Dosage\nDosage\nTake one."))
    assert REGISTRY[NAME].compute(a)[0] == 0.0
    assert replace(REGISTRY[NAME], min_chars=6).compute(a)[0] == 1.0
