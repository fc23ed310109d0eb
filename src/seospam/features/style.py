"""Machine-written style cues without a language model.

Style alone never decides a score: detectors fail on unfamiliar domains and flag non-native writers (Liang et al.
2023; RAID, Dugan et al. 2024). These features only add weight to the claim and repetition evidence.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import dataclass

from . import Feature, LexiconRate, param, register
from ._lex import zipf_small
from .analysis import Analysis

Spans = list[tuple[int, int]]
_SMALL_WORDS = frozenset({"a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to",
                          "with", "vs"})


@register
@dataclass(frozen=True)
class ClichePer1k(LexiconRate):
    name = "style_cliche_per_1k"
    description = "LLM-favoured words and phrases ('delve', 'plays a vital role') per 1,000 words"
    source = "Kobak et al. 2024 (excess vocabulary in PubMed abstracts); Wikipedia 'Signs of AI writing'"
    lexicon: str = param("cliches", "lexicons/cliches.txt")


def _sentence_lengths(a: Analysis, max_sentences: int) -> list[int]:
    return [n for n in map(len, a.sentence_words[:max_sentences]) if n > 0]


@register
@dataclass(frozen=True)
class SentLenCv(Feature):
    name = "style_sent_len_cv"
    description = "sentence-length burstiness: std / mean of words per sentence (low = uniform)"
    source = "GPTZero's burstiness: human text varies more from sentence to sentence"
    min_sentences: int = param(3, "a spread of fewer than 3 sentences says nothing")
    max_sentences: int = param(2000, "the first 2,000 sentences decide (bounds the cost)")

    def compute(self, a: Analysis) -> float:
        lens = _sentence_lengths(a, self.max_sentences)
        if len(lens) < self.min_sentences:
            return math.nan
        mean = statistics.fmean(lens)
        return statistics.pstdev(lens) / mean if mean else 0.0


@register
@dataclass(frozen=True)
class SentLenMean(Feature):
    name = "style_sent_len_mean"
    description = "mean words per sentence"
    source = "Flesch (1948): sentence length as a readability and style measure"
    max_sentences: int = param(2000, "the first 2,000 sentences decide (bounds the cost)")

    def compute(self, a: Analysis) -> float:
        lens = _sentence_lengths(a, self.max_sentences)
        return statistics.fmean(lens) if lens else math.nan


@register
@dataclass(frozen=True)
class WordZipfMean(Feature):
    name = "style_word_zipf_mean"
    description = "mean wordfreq Zipf frequency of the words (lower = rarer vocabulary)"
    source = "wordfreq (Speer 2022), 'small' English list: words outside the top ~30k get 0"
    max_words: int = param(5000, "the first 5,000 words decide (bounds the cost)")

    def compute(self, a: Analysis) -> float:
        w = a.words[:self.max_words]
        if not w:
            return 0.0
        counts = Counter(w)
        return sum(zipf_small(x) * c for x, c in counts.items()) / len(w)


@register
@dataclass(frozen=True)
class TtrMattr(Feature):
    name = "style_ttr_mattr"
    description = "moving-average type-token ratio over 100-word windows (vocabulary variety)"
    source = "Covington & McFall (2010), MATTR; windows here do not overlap"
    window: int = param(100, "Covington & McFall's example window of 100 words (their default is 500)")
    max_windows: int = param(50, "the first 50 windows decide (bounds the cost)")

    def compute(self, a: Analysis) -> float:
        w, window = a.words, self.window
        if not w:
            return 0.0
        if len(w) < window:
            return len(set(w)) / len(w)
        ratios = [len(set(w[i:i + window])) / window
                  for i in range(0, len(w) - window + 1, window)][:self.max_windows]
        return statistics.fmean(ratios)


@register
@dataclass(frozen=True)
class SummaryCloseCount(Feature):
    """Sentence starts, not paragraph starts, so that a page joined into one block keeps its count."""

    name = "style_summary_close_count"
    description = "sentences that open with a wrap-up ('In conclusion', 'Overall', 'By understanding')"
    source = "Wikipedia 'Signs of AI writing': section-ending summaries; lexicons/summary_openers.txt"

    def compute(self, a: Analysis) -> tuple[float, Spans]:
        ts = a.token_spans
        starts = {s for s, _ in a.sentences}
        out = []
        for i, j in a.hits("summary_openers"):
            s = ts[i][0]
            if s in starts:
                out.append((s, ts[j - 1][1]))
        return float(len(out)), out


@register
@dataclass(frozen=True)
class TitleCaseHeadingFrac(Feature):
    name = "style_title_case_heading_frac"
    description = "share of headings in Title Case (Wikipedia 'Signs of AI writing')"
    source = "Wikipedia 'Signs of AI writing': Title Case headings"
    min_words: int = param(3, "one- and two-word headings ('Dosage', 'Side Effects') are Title Case anyway")

    def compute(self, a: Analysis) -> tuple[float, Spans]:
        blocks = [b for b in a.headings if len(a.block_text(b).split()) >= self.min_words]
        if not blocks:
            return math.nan, []

        hits = [(b.start, b.end) for b in blocks if _is_title(a.block_text(b))]
        return len(hits) / len(blocks), hits


def _is_title(h: str) -> bool:
    words = [w for w in h.split() if w[:1].isalpha()]
    return bool(words) and all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in words)
