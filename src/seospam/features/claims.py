"""Health claims: disease, substitute, absolute safety, uncited establishment claims, qualifiers, disclaimer.

Definitions follow 21 CFR 101.93(g) (a disease claim says a product affects a disease or its symptoms, substitutes
for a therapy or augments one) and the FTC Health Products Compliance Guidance (Dec 2022).
"""

from __future__ import annotations

import math
import re

from ..inputs.page import Page
from . import feature
from ._lex import lexicon_spans, matches, per_1k, sentence_index, token_ranges_to_spans

# A checkable citation: authors ("et al."), a year in brackets, a DOI, a PMID, a link, or a numbered reference.
CHECKABLE_RE = re.compile(
    r"et al\.?|\(\s?(?:19|20)\d\d[a-z]?\s?\)|,\s?(?:19|20)\d\d[a-z]?\)|\bdoi\b|10\.\d{4,9}/\S|\bpmid\b|\bpmc\d"
    r"|https?://|www\.|\[\d{1,3}\]",
    re.IGNORECASE)


def _sentences_with(page: Page, lexicon: str) -> dict[int, list[tuple[int, int]]]:
    """Sentence index → token ranges of ``lexicon`` matches inside it."""
    sidx = sentence_index(page)
    out: dict[int, list[tuple[int, int]]] = {}
    for i, j in matches(page, lexicon):
        s = sidx[i]
        if s >= 0:
            out.setdefault(s, []).append((i, j))
    return out


def _frac(page: Page, hits: set[int]) -> tuple[float, list[tuple[int, int]]]:
    sents = page.sentences
    if not sents:
        return math.nan, []
    return len(hits) / len(sents), [sents[i] for i in sorted(hits)]


@feature("claim_disease_sent_frac",
         "share of sentences that say something treats, cures or relieves a disease or symptom (21 CFR 101.93(g))")
def disease_claims(page: Page) -> tuple[float, list[tuple[int, int]]]:
    verbs = _sentences_with(page, "therapeutic_verbs")
    diseases = _sentences_with(page, "disease_terms")
    return _frac(page, set(verbs) & set(diseases))


@feature("claim_substitute_sent_frac",
         "share of sentences offering the product instead of a medication or therapy (21 CFR 101.93(g)(2)(ix))")
def substitute_claims(page: Page) -> tuple[float, list[tuple[int, int]]]:
    cues = _sentences_with(page, "substitute_cues")
    meds = _sentences_with(page, "medication_terms")
    hits = set()
    for s, cue_ranges in cues.items():
        first_cue = min(i for i, _ in cue_ranges)
        if any(i > first_cue for i, _ in meds.get(s, ())) or any(
                page.words[i] in ("natural", "safer") for i, _ in cue_ranges):
            hits.add(s)
    return _frac(page, hits)


@feature("claim_safety_count", "absolute-safety claims: 'safe and effective', 'no side effects', 'non-addictive'")
def safety_claims(page: Page) -> tuple[float, list[tuple[int, int]]]:
    spans = lexicon_spans(page, "safety_claims")
    return float(len(spans)), spans


@feature("claim_uncited_study_count",
         "'studies show' / 'research suggests' with no author, year, DOI, PMID or link nearby (FTC 2022)")
def uncited_establishment(page: Page) -> tuple[float, list[tuple[int, int]]]:
    sents = page.sentences
    text = page.text
    sidx = sentence_index(page)
    out = []
    cited: dict[int, bool] = {}  # per sentence: one search however many cues it holds (linear on huge sentences)
    for i, j in matches(page, "establishment_cues"):
        s = sidx[i]
        if s < 0:
            continue
        if s not in cited:
            window = text[sents[s][0]:sents[min(s + 1, len(sents) - 1)][1]]
            cited[s] = bool(CHECKABLE_RE.search(window))
        if not cited[s]:
            out.append((i, j))
    return float(len(out)), token_ranges_to_spans(page, out)


@feature("claim_qualifier_per_1k",
         "'promising', 'preliminary', 'potential' per 1,000 words: read as endorsements, not hedges (FTC 2022)")
def qualifiers(page: Page) -> tuple[float, list[tuple[int, int]]]:
    spans = lexicon_spans(page, "qualifiers")
    return per_1k(len(spans), page), spans


@feature("claim_disclaimer_flag", "carries the DSHEA 'not evaluated by the FDA' supplement disclaimer (1) or not (0)")
def disclaimer(page: Page) -> tuple[float, list[tuple[int, int]]]:
    spans = lexicon_spans(page, "disclaimer")
    return (1.0 if spans else 0.0), spans


@feature("claim_hedge_per_1k",
         "hedges per 1,000 words: 'may', 'limited evidence', 'more research is needed' (Hyland 2005; CoNLL-2010)")
def hedges(page: Page) -> tuple[float, list[tuple[int, int]]]:
    spans = lexicon_spans(page, "hedges")
    return per_1k(len(spans), page), spans


@feature("claim_booster_per_1k",
         "boosters per 1,000 words: 'clinically proven', 'guaranteed', 'once and for all' (Hyland 2005; FTC 2022)")
def boosters(page: Page) -> tuple[float, list[tuple[int, int]]]:
    spans = lexicon_spans(page, "boosters")
    return per_1k(len(spans), page), spans


@feature("claim_caution_count",
         "warnings and referrals: 'talk to your doctor', 'can interact with', 'side effects include' (NIH ODS)")
def cautions(page: Page) -> tuple[float, list[tuple[int, int]]]:
    spans = lexicon_spans(page, "caution")
    return float(len(spans)), spans


@feature("claim_natural_per_1k",
         "'natural' and detox appeals per 1,000 words: 'naturally', 'toxins', 'cleanse' (FTC 2015-16; NCCIH)")
def natural(page: Page) -> tuple[float, list[tuple[int, int]]]:
    spans = lexicon_spans(page, "natural")
    return per_1k(len(spans), page), spans
