"""Citations: unverifiable study references and checkable references.

A checkable citation has authors, a year, a DOI, a PMID or a link. Walters & Wilder (Sci. Rep. 2023) found 55 % of
GPT-3.5's and 18 % of GPT-4's references fabricated, so "a study published in <Journal>" with none of those is a
mark of generated text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import Feature, register
from .analysis import Analysis
from .claims import CHECKABLE_RE

# Bounded repetitions only: these run in linear time on any input.
# Bounded repetitions only: these run in linear time on any input. Cue words match in any case (a sentence starts
# "According to a study..."); a journal's name must start with a capital ("published in Nature"), so only the cues
# carry the (?i:...) flag.
_STUDY_REF_RE = re.compile(
    r"\b(?i:stud(?:y|ies)|research|trial|paper|article|review|report|survey|analysis)\b[^.!?\n]{0,40}?"
    r"\b(?i:published|appearing|appeared|reported)\s(?i:in|by)\b"
    r"|\b(?i:published\sin)\s(?:(?i:the)\s)?(?:(?i:journal)\b|[A-Z]\w{0,30})"
    r"|\b(?i:according\sto)\s(?i:a|one|the|recent)\s(?:\w{1,30}\s){0,3}?(?i:study|studies|research|report|trial)\b"
    r"|\b(?i:journal|university)\s(?i:of)\s[A-Z]\w{0,30}(?:\s[A-Z]\w{0,30}){0,4}\s"
    r"(?i:found|reports?|showed|shows|revealed)\b",
)

#: The checkable-reference scan reads at most this many characters; evidence shows at most this many spans.
SCAN_CHARS = 500_000
MAX_SPANS = 50


@register
@dataclass(frozen=True)
class UnverifiableCount(Feature):
    name = "cite_unverifiable_count"
    version = 2  # 2: cue words in any case (v1 missed sentence-initial "According to...", "Research published...")
    description = "study references with no author, year, DOI, PMID or link ('a study published in the Journal of...')"
    source = ("Walters & Wilder (Sci. Rep. 2023), fabricated references: a sentence with a study cue and no "
              "checkable reference")

    def compute(self, a: Analysis) -> tuple[float, list[tuple[int, int]]]:
        text = a.text
        out = []
        for s, e in a.sentences:
            sent = text[s:e]
            m = _STUDY_REF_RE.search(sent)
            if m and not CHECKABLE_RE.search(sent):
                out.append((s + m.start(), s + m.end()))
        return float(len(out)), out


@register
@dataclass(frozen=True)
class CheckableCount(Feature):
    name = "cite_checkable_count"
    version = 2  # 2: one count per reference token (v1 counted https://, doi and 10.x/ of one DOI link three times)
    description = "checkable references: 'et al.', a year in brackets, a DOI, a PMID or a link"
    source = "ICMJE / APA reference elements: authors, year, DOI, PMID, URL"

    def compute(self, a: Analysis) -> tuple[float, list[tuple[int, int]]]:
        text = a.text[:SCAN_CHARS]
        spans: list[tuple[int, int]] = []
        for m in CHECKABLE_RE.finditer(text):
            if spans and m.start() < spans[-1][1]:
                continue  # inside the reference token already counted
            spans.append(_token_around(text, *m.span()))
        return float(len(spans)), spans[:MAX_SPANS]


def _token_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The match widened to the whitespace-delimited run(s) it touches: one link, DOI or "(Smith, 2020)" is one
    reference however many reference elements it holds. Linear overall: later matches inside it are skipped."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end
