"""Keyword stuffing: Yoast keyphrase density, inserted search keywords, keyphrase share of headings.

Yoast SEO keyphrase density = occurrences / words × 100 for texts of 100+ words; bands: good 0.5-2.5 %,
over 2.5-3.5 %, far over > 3.5 %. Google's spam policies call stuffing keywords "unnaturally, or out of context".
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from . import Feature, param, register
from ._lex import word_set, zipf_best
from .analysis import Analysis, is_content_word

YOAST = "Yoast SEO keyphrase density assessment (occurrences / words × 100, texts of 100+ words)"
Spans = list[tuple[int, int]]


def _density(a: Analysis, min_words: int) -> float:
    n = a.n_words
    return math.nan if n < min_words else 100.0 * a.top_keyword[1] / n


@register
@dataclass(frozen=True)
class TopDensityPct(Feature):
    name = "kw_top_density_pct"
    description = "Yoast keyphrase density of the most frequent content word, in % of words"
    source = YOAST
    min_words: int = param(100, "Yoast computes density only for texts of 100+ words; shorter pages get NaN")

    def compute(self, a: Analysis) -> float:
        return _density(a, self.min_words)


@register
@dataclass(frozen=True)
class TopDensityBand(Feature):
    name = "kw_top_density_band"
    description = "Yoast band of that density: 0 up to 2.5 %, 1 over (2.5-3.5 %), 2 far over (>3.5 %)"
    source = YOAST
    min_words: int = param(100, "Yoast computes density only for texts of 100+ words")
    over: float = param(2.5, "Yoast: over 2.5 %")
    far_over: float = param(3.5, "Yoast: far over 3.5 %")

    def compute(self, a: Analysis) -> float:
        d = _density(a, self.min_words)
        if math.isnan(d):
            return math.nan
        return 2.0 if d > self.far_over else 1.0 if d > self.over else 0.0


@register
@dataclass(frozen=True)
class TopPhraseDensityPct(Feature):
    name = "kw_top_phrase_density_pct"
    version = 2  # 2: overlapping occurrences count once ("spam spam spam ..." gave 376 %)
    description = "words inside the most repeated 2-4 word phrase, in % of words"
    source = YOAST + ", for multi-word keyphrases"
    min_words: int = param(50, "a phrase density on fewer than 50 words is noise")

    def compute(self, a: Analysis) -> tuple[float, Spans]:
        phrases = a.repeated_phrases
        n = a.n_words
        if n < self.min_words:
            return math.nan, []
        if not phrases:
            return 0.0, []
        runs = {ph: _non_overlapping(starts, len(ph)) for ph, starts in phrases.items()}
        phrase, starts = max(runs.items(), key=lambda kv: (len(kv[1]) * len(kv[0]), kv[0]))
        spans = [(a.token_spans[i][0], a.token_spans[i + len(phrase) - 1][1]) for i in starts]
        return 100.0 * len(starts) * len(phrase) / n, spans


def _non_overlapping(starts: list[int], k: int) -> list[int]:
    """Starts of a k-word phrase left to right, skipping any that overlap the one kept before: each word is counted
    once, so a density stays at most 100 %."""
    out: list[int] = []
    for i in starts:
        if not out or i >= out[-1] + k:
            out.append(i)
    return out


@register
@dataclass(frozen=True)
class InsertedPhraseCount(Feature):
    """A candidate is a 2-4 word phrase that repeats 3+ times, first seen in the first ``edge`` of the page and last
    seen in the final ``edge`` (start, body and conclusion), with a word that appears on the page only inside the
    phrase, in lower case, and that is either a search-query modifier ("pictures", "near", "reddit", "wholesale"...)
    or rare in general English (wordfreq Zipf < ``rare_zipf``) and absent from the title and headings. The page's
    main topic word never counts as that word, so a page about kratom does not fire on "kratom" phrases alone.
    """

    name = "kw_inserted_phrase_count"
    description = "occurrences of a search phrase pasted in out of context at the start, middle and end (0 if none)"
    source = ("Google Search spam policies, keyword stuffing: 'out of context'; seed pages ('kratom tree pictures'); "
              "lexicons/search_modifiers.txt")
    min_words: int = param(60, "a page under 60 words has no start, body and end to paste into")
    edge: float = param(0.25, "first and last quarter of the page: the pasted query opens and closes the page")
    rare_zipf: float = param(2.0, "wordfreq Zipf 2.0 = once per 10M words: rare enough to stand out")
    min_lower_share: float = param(2 / 3, "two thirds of occurrences in lower case: a pasted query, not a name")
    max_len: int = param(6, "a query grows by a word that follows every occurrence, up to 6 words")

    def find(self, a: Analysis) -> tuple[tuple[str, ...] | None, list[int]]:
        """The inserted phrase and its token positions, or ``(None, [])``."""
        phrases = a.repeated_phrases
        n = a.n_words
        if not phrases or n < self.min_words:
            return None, []
        words = a.words
        totals = Counter(words)
        top = a.top_keyword[0]
        modifiers = word_set("search_modifiers")
        text, spans = a.text, a.token_spans
        # Words of the title and headings name the page's subject ("Giant cell arteritis"): on topic, not inserted.
        topical = set(a.title.lower().split())
        for b in a.headings:
            topical.update(w.lower() for w in re.findall(r"\w+", a.block_text(b)))
        best: tuple[tuple[str, ...], list[int]] | None = None
        for phrase, starts in phrases.items():
            if starts[0] > self.edge * n or starts[-1] < (1 - self.edge) * n:
                continue
            # Occurrences must not overlap (a phrase like "very very very" counts once per run).
            if any(b - a_ < len(phrase) for a_, b in zip(starts, starts[1:])):
                continue
            odd = False
            for k, w in enumerate(phrase):
                if w == top or not is_content_word(w) or totals[w] != len(starts):
                    continue
                lower = sum(1 for i in starts if text[spans[i + k][0]].islower())
                if lower < len(starts) * self.min_lower_share:
                    continue  # a proper name, not a pasted query
                if w in modifiers or (w not in topical and zipf_best(w) < self.rare_zipf):
                    odd = True
                    break
            if odd and (best is None or (len(starts), len(phrase)) > (len(best[1]), len(best[0]))):
                best = (phrase, starts)
        if best is None:
            return None, []
        phrase, starts = best
        # Queries often end in a stopword ("... near me"): take in a next word that follows every occurrence.
        while len(phrase) < self.max_len and starts[-1] + len(phrase) < n:
            nxt = {words[i + len(phrase)] for i in starts}
            if len(nxt) != 1:
                break
            phrase = phrase + (nxt.pop(),)
        return phrase, starts

    def compute(self, a: Analysis) -> tuple[float, Spans]:
        phrase, starts = self.find(a)
        if phrase is None:
            return 0.0, []
        spans = [(a.token_spans[i][0], a.token_spans[i + len(phrase) - 1][1]) for i in starts]
        return float(len(starts)), spans


@register
@dataclass(frozen=True)
class HeadingShare(Feature):
    name = "kw_heading_share"
    version = 2  # 2: the keyword as a whole word ("tea" is not in "Instead of coffee")
    description = "share of headings and title that contain the page's top keyword"
    source = "Yoast SEO 'keyphrase in subheading' assessment"

    def compute(self, a: Analysis) -> tuple[float, Spans]:
        top = a.top_keyword[0]
        heads = a.headings
        if not heads and not a.title:
            return math.nan, []
        if not top:
            return 0.0, []
        word = re.compile(rf"(?<!\w){re.escape(top)}(?!\w)")
        hits = [(b.start, b.end) for b in heads if word.search(a.block_text(b).lower())]
        total = len(heads) + (1 if a.title else 0)
        title_hit = 1 if a.title and word.search(a.title.lower()) else 0
        return (len(hits) + title_hit) / total, hits
