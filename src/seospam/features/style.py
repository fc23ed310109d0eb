"""Machine-written style cues without a language model.

Style alone never decides a score: detectors fail on unfamiliar domains and flag non-native writers (Liang et al.
2023; RAID, Dugan et al. 2024). These features only add weight to the claim and repetition evidence.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter

from ..inputs.page import Page
from . import feature
from ._lex import matches, per_1k, sentence_words
from .stuffing import _zipf


@feature("style_cliche_per_1k", "LLM-favoured words and phrases ('delve', 'plays a vital role') per 1,000 words")
def cliches(page: Page) -> tuple[float, list[tuple[int, int]]]:
    """Kobak et al. 2024 (excess vocabulary in PubMed abstracts); Wikipedia "Signs of AI writing"."""
    ts = page.token_spans
    spans = [(ts[i][0], ts[j - 1][1]) for i, j in matches(page, "cliches")]
    return per_1k(len(spans), page), spans


def _sentence_lengths(page: Page) -> list[int]:
    return [len(ws) for ws in sentence_words(page)[:2000]]


@feature("style_sent_len_cv", "sentence-length burstiness: std / mean of words per sentence (low = uniform)")
def burstiness(page: Page) -> float:
    """GPTZero's burstiness idea: human text varies more from sentence to sentence."""
    lens = [n for n in _sentence_lengths(page) if n > 0]
    if len(lens) < 3:
        return math.nan
    mean = statistics.fmean(lens)
    return statistics.pstdev(lens) / mean if mean else 0.0


@feature("style_sent_len_mean", "mean words per sentence")
def sent_len_mean(page: Page) -> float:
    lens = [n for n in _sentence_lengths(page) if n > 0]
    return statistics.fmean(lens) if lens else math.nan


@feature("style_word_zipf_mean", "mean wordfreq Zipf frequency of the words (lower = rarer vocabulary)")
def zipf_mean(page: Page, max_words: int = 5000) -> float:
    w = page.words[:max_words]
    if not w:
        return 0.0
    counts = Counter(w)
    return sum(_zipf(x) * c for x, c in counts.items()) / len(w)


@feature("style_ttr_mattr", "moving-average type-token ratio over 100-word windows (vocabulary variety)")
def mattr(page: Page, window: int = 100, max_windows: int = 50) -> float:
    w = page.words
    if not w:
        return 0.0
    if len(w) < window:
        return len(set(w)) / len(w)
    ratios = [len(set(w[i:i + window])) / window for i in range(0, len(w) - window + 1, window)][:max_windows]
    return statistics.fmean(ratios)


@feature("style_summary_close_count",
         "sentences that open with a wrap-up ('In conclusion', 'Overall', 'By understanding')")
def summary_close(page: Page) -> tuple[float, list[tuple[int, int]]]:
    """Wikipedia "Signs of AI writing": section-ending summaries. Sentence starts, not paragraph starts, so that a
    page joined into one block keeps its count."""
    ts = page.token_spans
    starts = {s for s, _ in page.sentences}
    out = []
    for i, j in matches(page, "summary_openers"):
        s = ts[i][0]
        if s in starts:
            out.append((s, ts[j - 1][1]))
    return float(len(out)), out


@feature("style_title_case_heading_frac", "share of headings in Title Case (Wikipedia 'Signs of AI writing')")
def title_case_headings(page: Page) -> tuple[float, list[tuple[int, int]]]:
    blocks = [b for b in page.headings if len(page.block_text(b).split()) >= 3]
    if not blocks:
        return math.nan, []
    small = {"a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to", "with", "vs"}

    def is_title(h: str) -> bool:
        words = [w for w in h.split() if w[:1].isalpha()]
        return bool(words) and all(w[0].isupper() or w.lower() in small for w in words)

    hits = [(b.start, b.end) for b in blocks if is_title(page.block_text(b))]
    return len(hits) / len(blocks), hits
