"""Health claims: disease, substitute, absolute safety, uncited establishment claims, qualifiers, disclaimer.

Definitions follow 21 CFR 101.93(g) (a disease claim says a product affects a disease or its symptoms, substitutes
for a therapy or augments one) and the FTC Health Products Compliance Guidance (Dec 2022).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from . import Feature, LexiconCount, LexiconRate, param, register
from .analysis import Analysis, per_1k

# A checkable citation: authors ("et al."), a year in brackets, a DOI, a PMID, a link, or a numbered reference.
CHECKABLE_RE = re.compile(
    r"et al\.?|\(\s?(?:19|20)\d\d[a-z]?\s?\)|,\s?(?:19|20)\d\d[a-z]?\)|\bdoi\b|10\.\d{4,9}/\S|\bpmid\b|\bpmc\d"
    r"|https?://|www\.|\[\d{1,3}\]",
    re.IGNORECASE)

Spans = list[tuple[int, int]]


def _frac(a: Analysis, hits: set[int]) -> tuple[float, Spans]:
    sents = a.sentences
    if not sents:
        return math.nan, []
    return len(hits) / len(sents), [sents[i] for i in sorted(hits)]


@register
@dataclass(frozen=True)
class DiseaseSentFrac(Feature):
    name = "claim_disease_sent_frac"
    description = "share of sentences that say something treats, cures or relieves a disease or symptom " \
                  "(21 CFR 101.93(g))"
    source = "21 CFR 101.93(g): a therapeutic verb and a disease term in one sentence"

    def compute(self, a: Analysis) -> tuple[float, Spans]:
        verbs = a.sentences_with("therapeutic_verbs")
        diseases = a.sentences_with("disease_terms")
        return _frac(a, set(verbs) & set(diseases))


@register
@dataclass(frozen=True)
class SubstituteSentFrac(Feature):
    name = "claim_substitute_sent_frac"
    description = "share of sentences offering the product instead of a medication or therapy " \
                  "(21 CFR 101.93(g)(2)(ix))"
    source = "21 CFR 101.93(g)(2)(ix): substitute for a drug or therapy"

    def compute(self, a: Analysis) -> tuple[float, Spans]:
        cues = a.sentences_with("substitute_cues")
        meds = a.sentences_with("medication_terms")
        words = a.words
        hits = set()
        for s, cue_ranges in cues.items():
            first_cue = min(i for i, _ in cue_ranges)
            if any(i > first_cue for i, _ in meds.get(s, ())) or any(
                    words[i] in ("natural", "safer") for i, _ in cue_ranges):
                hits.add(s)
        return _frac(a, hits)


@register
@dataclass(frozen=True)
class SafetyCount(LexiconCount):
    name = "claim_safety_count"
    description = "absolute-safety claims: 'safe and effective', 'no side effects', 'non-addictive'"
    source = "FTC Health Products Compliance Guidance (2022), absolute safety claims; lexicons/safety_claims.txt"
    lexicon: str = param("safety_claims", "lexicons/safety_claims.txt")


@register
@dataclass(frozen=True)
class UncitedStudyCount(Feature):
    """A cue is cited when its sentence or the next one holds a checkable reference (:data:`CHECKABLE_RE`)."""

    name = "claim_uncited_study_count"
    description = "'studies show' / 'research suggests' with no author, year, DOI, PMID or link nearby (FTC 2022)"
    source = "FTC Health Products Compliance Guidance (2022), establishment claims; lexicons/establishment_cues.txt"

    def compute(self, a: Analysis) -> tuple[float, Spans]:
        sents, text, sidx = a.sentences, a.text, a.sentence_of_token
        out = []
        cited: dict[int, bool] = {}  # per sentence: one search however many cues it holds (linear on huge sentences)
        for i, j in a.hits("establishment_cues"):
            s = sidx[i]
            if s < 0:
                continue
            if s not in cited:
                window = text[sents[s][0]:sents[min(s + 1, len(sents) - 1)][1]]
                cited[s] = bool(CHECKABLE_RE.search(window))
            if not cited[s]:
                out.append((i, j))
        return float(len(out)), a.char_spans(out)



@register
@dataclass(frozen=True)
class QualifierPer1k(LexiconRate):
    name = "claim_qualifier_per_1k"
    description = "'promising', 'preliminary', 'potential' per 1,000 words: read as endorsements, not hedges " \
                  "(FTC 2022)"
    source = "FTC Health Products Compliance Guidance (2022), qualifying language; lexicons/qualifiers.txt"
    lexicon: str = param("qualifiers", "lexicons/qualifiers.txt")


@register
@dataclass(frozen=True)
class DisclaimerFlag(Feature):
    name = "claim_disclaimer_flag"
    description = "carries the DSHEA 'not evaluated by the FDA' supplement disclaimer (1) or not (0)"
    source = "DSHEA 1994, 21 U.S.C. 343(r)(6)(C); lexicons/disclaimer.txt"

    def compute(self, a: Analysis) -> tuple[float, Spans]:
        spans = a.lexicon_spans("disclaimer")
        return (1.0 if spans else 0.0), spans


@register
@dataclass(frozen=True)
class HedgePer1k(LexiconRate):
    name = "claim_hedge_per_1k"
    description = "hedges per 1,000 words: 'may', 'limited evidence', 'more research is needed' " \
                  "(Hyland 2005; CoNLL-2010)"
    source = "Hyland (2005) Metadiscourse; CoNLL-2010 hedge cues; lexicons/hedges.txt"
    lexicon: str = param("hedges", "lexicons/hedges.txt")


@register
@dataclass(frozen=True)
class BoosterPer1k(LexiconRate):
    name = "claim_booster_per_1k"
    version = 2  # 2: a negated booster ("has not been proven") is a caution, not a promise
    description = "boosters per 1,000 words, negated ones left out: 'clinically proven', 'guaranteed', " \
                  "'once and for all' (Hyland 2005; FTC 2022)"
    source = "Hyland (2005) Metadiscourse, boosters; FTC (2022); lexicons/boosters.txt; negation after NegEx"
    lexicon: str = param("boosters", "lexicons/boosters.txt")
    negation_window: int = param(5, "NegEx (Chapman et al. 2001): a negation cue up to 5 words before, same sentence")

    def compute(self, a: Analysis) -> tuple[float, Spans]:
        words, sidx = a.words, a.sentence_of_token
        kept = [(i, j) for i, j in a.hits(self.lexicon)
                if not any(_is_negation(words[k]) and sidx[k] == sidx[i]
                           for k in range(max(0, i - self.negation_window), i))]
        return per_1k(len(kept), a.n_words), a.char_spans(kept)


#: NegEx's commonest pre-negation cues (Chapman et al. 2001), as single tokens; "isn't" and the like by their ending.
_NEGATIONS = frozenset({"not", "no", "never", "cannot", "without", "nor", "neither", "none"})


def _is_negation(word: str) -> bool:
    """A negation cue: one of :data:`_NEGATIONS`, or a contraction ending in n't."""
    return word in _NEGATIONS or word.endswith(("n't", "n’t"))


@register
@dataclass(frozen=True)
class CautionCount(LexiconCount):
    name = "claim_caution_count"
    description = "warnings and referrals: 'talk to your doctor', 'can interact with', 'side effects include' " \
                  "(NIH ODS)"
    source = "NIH Office of Dietary Supplements fact sheets, safety sections; lexicons/caution.txt"
    lexicon: str = param("caution", "lexicons/caution.txt")


@register
@dataclass(frozen=True)
class NaturalPer1k(LexiconRate):
    name = "claim_natural_per_1k"
    description = "'natural' and detox appeals per 1,000 words: 'naturally', 'toxins', 'cleanse' " \
                  "(FTC 2015-16; NCCIH)"
    source = "FTC 'natural' cases (2015-16); NCCIH on detoxes and cleanses; lexicons/natural.txt"
    lexicon: str = param("natural", "lexicons/natural.txt")