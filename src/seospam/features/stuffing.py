"""Keyword stuffing: Yoast keyphrase density, inserted search keywords, keyphrase share of headings.

Yoast SEO keyphrase density = occurrences / words × 100 for texts of 100+ words; bands: good 0.5-2.5 %,
over 2.5-3.5 %, far over > 3.5 %. Google's spam policies call stuffing keywords "unnaturally, or out of context".
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

from ..inputs.page import Page
from . import feature
from ._lex import content_flags, word_set


def _is_content(w: str) -> bool:
    return len(w) >= 3 and w not in word_set("stopwords") and not w.isdigit()


def top_keyword(page: Page) -> tuple[str, int]:
    """The page's most frequent content word and its count (the stand-in for a Yoast focus keyphrase)."""
    cache = page.__dict__.setdefault("_lex_cache", {})
    if "_top_kw" not in cache:
        counts = Counter(w for w, c in zip(page.words, content_flags(page)) if c)
        cache["_top_kw"] = counts.most_common(1)[0] if counts else ("", 0)
    return cache["_top_kw"]


@feature("kw_top_density_pct", "Yoast keyphrase density of the most frequent content word, in % of words")
def top_density(page: Page, min_words: int = 100) -> float:
    """Yoast computes density only for 100+ words; shorter pages get 0."""
    n = len(page.words)
    if n < min_words:
        return math.nan
    return 100.0 * top_keyword(page)[1] / n


@feature("kw_top_density_band", "Yoast band of that density: 0 up to 2.5 %, 1 over (2.5-3.5 %), 2 far over (>3.5 %)")
def density_band(page: Page, over: float = 2.5, far_over: float = 3.5) -> float:
    """Yoast SEO bands: over 2.5 %, far over 3.5 %."""
    d = top_density(page)
    if math.isnan(d):
        return math.nan
    return 2.0 if d > far_over else 1.0 if d > over else 0.0


def _phrase_counts(page: Page) -> dict[tuple[str, ...], list[int]]:
    """Positions of every 2-4 word phrase with content words at both ends, seen 3+ times."""
    cache = page.__dict__.setdefault("_lex_cache", {})
    if "_phrases" not in cache:
        import numpy as np

        from .repetition import ngram_hashes

        w = page.words
        content = np.asarray(content_flags(page), dtype=bool)
        out: dict[tuple[str, ...], list[int]] = {}
        for k in (2, 3, 4):
            g = ngram_hashes(page, k)
            if len(g) == 0:
                break
            ok = content[:len(g)] & content[k - 1:]
            pos = np.flatnonzero(ok)
            if len(pos) < 3:
                continue
            uniq, inverse, counts = np.unique(g[pos], return_inverse=True, return_counts=True)
            for p in pos[counts[inverse] >= 3].tolist():
                out.setdefault(tuple(w[p:p + k]), []).append(p)
        cache["_phrases"] = out
    return cache["_phrases"]


@feature("kw_top_phrase_density_pct", "words inside the most repeated 2-4 word phrase, in % of words")
def top_phrase_density(page: Page) -> tuple[float, list[tuple[int, int]]]:
    phrases = _phrase_counts(page)
    n = len(page.words)
    if n < 50:
        return math.nan, []
    if not phrases:
        return 0.0, []
    best = max(phrases.items(), key=lambda kv: (len(kv[1]) * len(kv[0]), kv[0]))
    phrase, starts = best
    spans = [(page.token_spans[i][0], page.token_spans[i + len(phrase) - 1][1]) for i in starts]
    return 100.0 * len(starts) * len(phrase) / n, spans


@lru_cache(maxsize=200_000)
def _zipf(word: str) -> float:
    """Zipf frequency from wordfreq's small list (fast to load; words outside the top ~30k get 0)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en", wordlist="small")


@lru_cache(maxsize=200_000)
def zipf_best(word: str) -> float:
    """Zipf frequency from wordfreq's full list, loaded only when a rarity test needs it."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def inserted_keyword(page: Page, min_count: int = 3, edge: float = 0.25, rare_zipf: float = 2.0
                     ) -> tuple[tuple[str, ...] | None, list[int]]:
    """Find an inserted search phrase: the best candidate and its token positions, or ``(None, [])``.

    A candidate is a 2-4 word phrase that repeats ``min_count``+ times, first seen in the first ``edge`` of the page
    and last seen in the final ``edge`` (start, body and conclusion), with a word that appears on the page only
    inside the phrase, in lower case, and that is either a search-query modifier ("pictures", "near", "reddit",
    "wholesale"...) or rare in general English (wordfreq Zipf < ``rare_zipf``) and absent from the title and
    headings. The page's main topic word never counts as that word, so a page about kratom does not fire on
    "kratom" phrases alone.
    """
    phrases = _phrase_counts(page)
    n = len(page.words)
    if not phrases or n < 60:
        return None, []
    words = page.words
    totals = Counter(words)
    top = top_keyword(page)[0]
    modifiers = word_set("search_modifiers")
    text, spans = page.text, page.token_spans
    # Words of the title and headings name the page's subject ("Giant cell arteritis"): on topic, not inserted.
    topical = set(page.title.lower().split())
    for b in page.headings:
        topical.update(w.lower() for w in re.findall(r"\w+", page.block_text(b)))
    best: tuple[tuple[str, ...], list[int]] | None = None
    for phrase, starts in phrases.items():
        if starts[0] > edge * n or starts[-1] < (1 - edge) * n:
            continue
        # Occurrences must not overlap (a phrase like "very very very" counts once per run).
        if any(b - a < len(phrase) for a, b in zip(starts, starts[1:])):
            continue
        odd = False
        for k, w in enumerate(phrase):
            if w == top or not _is_content(w) or totals[w] != len(starts):
                continue
            lower = sum(1 for i in starts if text[spans[i + k][0]].islower())
            if lower * 3 < len(starts) * 2:
                continue  # a proper name, not a pasted query
            if w in modifiers or (w not in topical and zipf_best(w) < rare_zipf):
                odd = True
                break
        if odd and (best is None or (len(starts), len(phrase)) > (len(best[1]), len(best[0]))):
            best = (phrase, starts)
    if best is None:
        return None, []
    phrase, starts = best
    # Queries often end in a stopword ("... near me"): take in a next word that follows every occurrence.
    while len(phrase) < 6 and starts[-1] + len(phrase) < n:
        nxt = {words[i + len(phrase)] for i in starts}
        if len(nxt) != 1:
            break
        phrase = phrase + (nxt.pop(),)
    return phrase, starts


@feature("kw_inserted_phrase_count",
         "occurrences of a search phrase pasted in out of context at the start, middle and end (0 if none)")
def inserted_phrase_count(page: Page) -> tuple[float, list[tuple[int, int]]]:
    phrase, starts = inserted_keyword(page)
    if phrase is None:
        return 0.0, []
    spans = [(page.token_spans[i][0], page.token_spans[i + len(phrase) - 1][1]) for i in starts]
    return float(len(starts)), spans


@feature("kw_heading_share", "share of headings and title that contain the page's top keyword")
def heading_share(page: Page) -> tuple[float, list[tuple[int, int]]]:
    top = top_keyword(page)[0]
    heads = page.headings
    if not heads and not page.title:
        return math.nan, []
    if not top:
        return 0.0, []
    hits = []
    for b in heads:
        if top in page.block_text(b).lower():
            hits.append((b.start, b.end))
    total = len(heads) + (1 if page.title else 0)
    title_hit = 1 if page.title and top in page.title.lower() else 0
    return (len(hits) + title_hit) / total, hits
