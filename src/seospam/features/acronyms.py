"""Acronyms: invented dotted acronyms ("K.R.S.") that generated health pages coin and expand inconsistently.

An acronym is invented when it is not a standard one, and its letters match no expansion on the page, or it is
expanded two different ways. Standard dotted forms (U.S., Ph.D.) come from lexicons/standard_dotted.txt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import Feature, param, register
from ._lex import load_lexicon, zipf_best
from .analysis import Analysis

_DOTTED_RE = re.compile(r"(?<![\w.])(?:[A-Z]\.){1,7}[A-Z]\.?(?![\w])")
_WORDS_RE = re.compile(r"[\w'-]+")
_BRACKET_AFTER_RE = re.compile(r"\s?\(([^()]{3,120})\)")
_STANDS_FOR_RE = re.compile(r",?\s(?:short\sfor|which\sstands\sfor|stands\sfor|meaning)\s"
                            r"((?:[\w'-]{1,40}\s){0,9}[\w'-]{1,40})")
_NAME_AFTER_RE = re.compile(r"\s[A-Z][a-z]")
_SKIP_INITIAL = frozenset(("of", "and", "the", "for", "in", "on", "to", "a", "an", "&"))


@lru_cache(maxsize=None)
def _standard() -> frozenset[str]:
    return frozenset(load_lexicon("standard_dotted"))


@lru_cache(maxsize=20_000)
def _known_acronym(letters: str, min_zipf: float) -> bool:
    """An acronym common in general English (FDA, CDC, WHO): wordfreq Zipf ≥ ``min_zipf`` for its letters."""
    return zipf_best(letters.lower()) >= min_zipf


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w.lower() not in _SKIP_INITIAL and w[:1].isalpha()).upper()


def _expansions(text: str, start: int, end: int, letters: str) -> tuple[list[str], list[str]]:
    """Long forms next to one acronym occurrence: (matching expansions, non-matching bracketed explanations)."""
    good, bad = [], []
    before = text[max(0, start - 200):start]
    after = text[end:end + 200]
    # "Long Form (K.R.S.)": the words before the bracket.
    if before.endswith("("):
        words = _WORDS_RE.findall(before[:-1])[-(len(letters) + 4):]
        for k in range(len(words)):
            if _initials(words[k:]) == letters:
                good.append(" ".join(words[k:]).lower())
                break
        else:
            if words:
                bad.append(" ".join(words[-len(letters):]).lower())
    # "K.R.S. (Long Form)": the bracket after.
    m = _BRACKET_AFTER_RE.match(after)
    if m:
        words = _WORDS_RE.findall(m.group(1))
        if _initials(words) == letters:
            good.append(" ".join(words).lower())
        else:
            bad.append(m.group(1).lower())
    # "K.R.S., short for / which stands for Long Form"
    m = _STANDS_FOR_RE.match(after)
    if m:
        words = _WORDS_RE.findall(m.group(1))[:len(letters) + 3]
        for k in range(len(words), 0, -1):
            if _initials(words[:k]) == letters:
                good.append(" ".join(words[:k]).lower())
                break
        else:
            bad.append(m.group(1).strip().lower())
    return good, bad


@register
@dataclass(frozen=True)
class InventedCount(Feature):
    name = "acro_invented_count"
    description = "dotted acronyms that are not standard and whose letters match no expansion, or are expanded two ways"
    source = "seed pages (K.R.S., 'Kratom Relief Solution' / 'Kratom Recovery System'); Schwartz & Hearst (2003) " \
             "acronym-expansion matching"
    min_zipf: float = param(2.8, "wordfreq Zipf 2.8 ≈ once per 1.6M words: FDA, CDC, WHO are above, coinages below")
    max_name_initials: int = param(3, "'J.B. Pritzker': up to 3 initials before a capitalised word are a name")
    scan_chars: int = param(500_000, "the scan reads at most this many characters (linear-time bound)")

    def compute(self, a: Analysis) -> tuple[float, list[tuple[int, int]]]:
        text = a.text[:self.scan_chars]
        occurrences: dict[str, list[tuple[int, int]]] = {}
        for m in _DOTTED_RE.finditer(text):
            token = m.group(0)
            dotted = token if token.endswith(".") else token + "."
            letters = dotted.replace(".", "")
            if dotted.lower() in _standard() or len(letters) < 2:
                continue
            if len(letters) <= self.max_name_initials and _NAME_AFTER_RE.match(text[m.end():m.end() + 3]):
                continue
            occurrences.setdefault(letters, []).append(m.span())
        invented = 0
        spans: list[tuple[int, int]] = []
        for letters, occ in occurrences.items():
            good: set[str] = set()
            bad: list[str] = []
            for s, e in occ:
                g, b = _expansions(text, s, e, letters)
                good.update(g)
                bad.extend(b)
            # Invented: expanded two different ways, or never expanded to matching words (and not a known acronym).
            if len(good | set(bad)) >= 2 or (not good and (bad or not _known_acronym(letters, self.min_zipf))):
                invented += 1
                spans.extend(occ)
        return float(invented), spans
