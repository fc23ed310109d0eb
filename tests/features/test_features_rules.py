"""Strings built to trip exactly one rule, and the rule's neighbours staying quiet."""

from __future__ import annotations

import pytest

from seospam.features import extract, feature_names
from seospam.inputs.edge import to_page

NEUTRAL = ("The library opens at nine on weekdays and at ten on Saturdays. Parking is free behind the building. "
           "Children's story time runs every Wednesday morning in the reading room. ")


def feats(text: str):
    page = to_page(text)
    return page, extract(page)


def fired(fs, group: str) -> set[str]:
    return {k for k, v in fs.values.items() if k.startswith(group) and v > 0}


def test_registry_names_follow_group_what_unit():
    names = feature_names()
    assert len(names) == len(set(names)) >= 40
    groups = {"basic", "rep", "kw", "claim", "cite", "acro", "promo", "style"}
    for n in names:
        assert n.split("_")[0] in groups, n
        assert len(n.split("_")) >= 3, n


def test_safety_claim_only():
    page, fs = feats(NEUTRAL + "Our tea is safe and effective for the whole family. " + NEUTRAL)
    assert fs.values["claim_safety_count"] == 1
    assert [page.text[s:e] for s, e in fs.evidence["claim_safety_count"]] == ["safe and effective"]
    assert fired(fs, "claim") == {"claim_safety_count"}


def test_disease_claim_only():
    page, fs = feats(NEUTRAL + "This herbal blend cures arthritis in a week. " + NEUTRAL)
    assert fired(fs, "claim") == {"claim_disease_sent_frac"}
    (s, e), = fs.evidence["claim_disease_sent_frac"]
    assert page.text[s:e] == "This herbal blend cures arthritis in a week."


def test_substitute_claim_needs_a_medication_after_the_cue():
    _, fs = feats(NEUTRAL + "Many readers use this root instead of their prescription medication. " + NEUTRAL)
    assert fs.values["claim_substitute_sent_frac"] > 0
    _, fs = feats(NEUTRAL + "Many readers use this root instead of sugar in their coffee. " + NEUTRAL)
    assert fs.values["claim_substitute_sent_frac"] == 0


def test_uncited_study_vs_cited_study():
    _, fs = feats(NEUTRAL + "Studies show that the powder lifts mood. " + NEUTRAL)
    assert fs.values["claim_uncited_study_count"] == 1
    _, fs = feats(NEUTRAL + "Studies show that the powder lifts mood (Smith et al., 2019). " + NEUTRAL)
    assert fs.values["claim_uncited_study_count"] == 0
    assert fs.values["cite_checkable_count"] >= 1


def test_unverifiable_citation():
    page, fs = feats(NEUTRAL + "A study published in the Journal of Herbal Wellness found strong benefits. "
                     + NEUTRAL)
    assert fs.values["cite_unverifiable_count"] == 1
    _, fs = feats(NEUTRAL + "A study published in the Journal of Herbal Wellness (doi:10.1000/xyz123) found "
                  "strong benefits. " + NEUTRAL)
    assert fs.values["cite_unverifiable_count"] == 0


def test_qualifier_counted_separately():
    _, fs = feats(NEUTRAL + "Early results look promising. " + NEUTRAL)
    assert fired(fs, "claim") == {"claim_qualifier_per_1k"}


def test_disclaimer_flag():
    _, fs = feats(NEUTRAL + "These statements have not been evaluated by the Food and Drug Administration. "
                  + NEUTRAL)
    assert fs.values["claim_disclaimer_flag"] == 1


@pytest.mark.parametrize("text", [
    "The U.S. market grew, e.g. in Ohio, and the FDA and CDC agreed. COVID-19 cases fell at 9 a.m. daily.",
    "J.B. Smith met officials in Washington, D.C. and the U.K. embassy.",
])
def test_standard_acronyms_not_flagged(text):
    _, fs = feats(NEUTRAL + text + " " + NEUTRAL)
    assert fs.values["acro_invented_count"] == 0


def test_invented_acronym_flagged_with_evidence():
    page, fs = feats(NEUTRAL + "Follow the Q.X.R. protocol every morning. The Q.X.R. protocol works fast. "
                     + NEUTRAL)
    assert fs.values["acro_invented_count"] == 1
    assert {page.text[s:e] for s, e in fs.evidence["acro_invented_count"]} == {"Q.X.R."}


def test_acronym_expanded_two_ways_flagged():
    _, fs = feats(NEUTRAL + "Use the M.B.T. (Mind Body Tonic) daily. The M.B.T. (Morning Balance Tea) helps. "
                  + NEUTRAL)
    assert fs.values["acro_invented_count"] == 1
    _, fs = feats(NEUTRAL + "Use the M.B.T. (Mind Body Tonic) daily. The M.B.T. helps. " + NEUTRAL)
    assert fs.values["acro_invented_count"] == 0


def test_promo_rules():
    _, fs = feats(NEUTRAL + "Buy now for $39.95 and save 50% off with code SAVE20! Check price on Amazon. "
                  + NEUTRAL)
    assert fs.values["promo_cta_count"] >= 1
    assert fs.values["promo_price_count"] >= 2
    assert fs.values["promo_coupon_count"] >= 1
    assert fs.values["promo_affiliate_count"] >= 1


def test_outline_echo_counts_items_repeated_as_headings():
    text = ("Intro paragraph about the plant and its history in the region.\n"
            "- Origins of the Plant\n- How People Use the Leaves\n- Safety Questions:\n"
            "Origins of the Plant\nSome text about origins, long enough to be a paragraph.\n"
            "– How people use the leaves\nMore text about use, long enough to be a paragraph.\n")
    page, fs = feats(text)
    assert fs.values["rep_outline_echo_count"] == 2
    _, fs = feats(text.replace("Origins of the Plant\nSome", "Where It Grows\nSome")
                  .replace("– How people use the leaves", "Preparation"))
    assert fs.values["rep_outline_echo_count"] == 0


def test_repeated_bullets_are_not_an_echo():
    _, fs = feats("- Free shipping on all orders\n- Free shipping on all orders\nSome paragraph text here.\n")
    assert fs.values["rep_outline_echo_count"] == 0


def test_gopher_duplicate_lines():
    _, fs = feats("Same line repeated here.\nSame line repeated here.\nA different line.\nAnother one.\n")
    assert fs.values["rep_dup_line_frac"] == pytest.approx(0.25)


def test_paraphrase_repetition():
    text = ("Kava root offers natural relief for anxiety and helps people sleep deeply every night. "
            "The weather was cold on Tuesday and the market closed early. "
            "For anxiety relief and deep nightly sleep, kava root offers a natural option people love. ")
    page, fs = feats(text)
    assert fs.values["rep_paraphrase_sent_frac"] == pytest.approx(2 / 3)
    assert len(fs.evidence["rep_paraphrase_sent_frac"]) == 2


def test_density_bands():
    body = ("Ginger tea is warm. " * 5 + "The afternoon was quiet and the garden looked bright after rain. " * 12)
    _, fs = feats(body)
    assert fs.values["kw_top_density_pct"] > 3.5
    assert fs.values["kw_top_density_band"] == 2


def test_inserted_keyword_needs_spread_and_out_of_context_word():
    filler = "The committee discussed the budget and the schedule for next season in some detail. " * 4
    phrase = "ginger root pictures"
    spread = (f"Ginger is warming, and {phrase} are popular. " + filler + f"Derived from {phrase} lore. "
              + filler + f"In the end {phrase} tell the story of ginger.")
    page, fs = feats(spread)
    assert fs.values["kw_inserted_phrase_count"] == 3
    assert all(page.text[s:e].lower() == phrase for s, e in fs.evidence["kw_inserted_phrase_count"])
    # Bunched at the start only: not an inserted keyword.
    bunched = (f"Ginger is warming, and {phrase} are popular. Derived from {phrase} lore. {phrase} again. "
               + filler * 3)
    _, fs = feats(bunched)
    assert fs.values["kw_inserted_phrase_count"] == 0


def test_style_rules():
    _, fs = feats("It's important to note that this journey delves into a rich tapestry of ideas. " + NEUTRAL)
    assert fs.values["style_cliche_per_1k"] > 0
    _, fs = feats("In conclusion, the plan works.\nSecond paragraph is here and plain.\n")
    assert fs.values["style_summary_close_count"] == 1


def test_absent_structure_is_missing_not_zero():
    """A page without headings or a list gets NaN for the features that read them, so it is a case of its own."""
    import math

    _, fs = feats("Plain words in a plain paragraph. Another sentence follows it here. And a third one ends it.")
    for name in ("rep_outline_echo_count", "kw_heading_share", "style_title_case_heading_frac"):
        assert math.isnan(fs.values[name]), name
    _, fs = feats("Title of the Page\n- first item here\n- second item here\nA paragraph with words in it.")
    assert fs.values["rep_outline_echo_count"] == 0 and fs.values["kw_heading_share"] >= 0


@pytest.mark.parametrize("text, value, spans", [
    ("", 0.0, []),
    (NEUTRAL, 0.0, []),
    (NEUTRAL + "The tea may ease cramps, but more research is needed. " + NEUTRAL,
     None, ["may", "more research is needed"]),
])
def test_hedges(text, value, spans):
    from seospam.inputs.page import Page

    page = Page(text="") if text == "" else to_page(text)
    fs = extract(page)
    got = [page.text[s:e] for s, e in fs.evidence.get("claim_hedge_per_1k", [])]
    assert got == spans
    if value is not None:
        assert fs.values["claim_hedge_per_1k"] == value
    else:
        assert fs.values["claim_hedge_per_1k"] == pytest.approx(1000 * len(spans) / len(page.words))


@pytest.mark.parametrize("feature, sentence, spans", [
    ("claim_booster_per_1k", "Our clinically proven blend ends bloating once and for all.",
     ["clinically proven", "once and for all"]),
    ("claim_caution_count", "Talk to your doctor first, because it can interact with warfarin.",
     ["Talk to your doctor", "can interact"]),
    ("claim_natural_per_1k", "The drops flush out toxins naturally.", ["flush out", "toxins", "naturally"]),
])
def test_one_lexicon_rule(feature, sentence, spans):
    page, fs = feats(NEUTRAL + sentence + " " + NEUTRAL)
    assert [page.text[s:e] for s, e in fs.evidence[feature]] == spans
    assert fs.values[feature] > 0
    quiet = {"claim_booster_per_1k", "claim_caution_count", "claim_natural_per_1k", "claim_hedge_per_1k"} - {feature}
    assert all(fs.values[n] == 0 for n in quiet), {n: fs.values[n] for n in quiet}


def test_hedge_and_caution_never_raise_the_score():
    from seospam.model.pipeline import MONOTONE_DOWN, MONOTONE_UP, monotonic_cst

    assert {"claim_hedge_per_1k", "claim_caution_count"} <= MONOTONE_DOWN
    assert not MONOTONE_DOWN & MONOTONE_UP
    assert monotonic_cst(["claim_hedge_per_1k", "claim_booster_per_1k", "basic_words_log10"]) == [-1, 1, 0]
