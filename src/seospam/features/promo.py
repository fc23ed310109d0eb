"""Promotion: calls to action, prices, discounts and coupons, testimonials, affiliate cues, superlatives.

The FTC's Endorsement Guides (16 CFR 255, 2023) and its Health Products Compliance Guidance (2022) name the cues:
urgency, discounts, testimonials and undisclosed affiliate links. Counts, not rates: one price box is a cue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import Feature, LexiconCount, LexiconRate, param, register
from .analysis import Analysis

_PRICE_RE = re.compile(r"[$£€]\s?\d{1,6}(?:[.,]\d{1,2})?|\b\d{1,6}(?:\.\d\d)?\s?(?:USD|EUR|GBP|dollars)\b")
_PERCENT_OFF_RE = re.compile(r"\b\d{1,3}\s?%\s?(?:off|discount|savings?)\b", re.IGNORECASE)
# The cue in any case, the code itself in capitals: "zip code below" is no promo code.
_CODE_RE = re.compile(r"\b(?i:code|coupon)[:\s]{1,3}[\"“']?[A-Z]{3,12}\d{0,3}\b")
_STARS_RE = re.compile(r"[★⭐]{3,5}|\b[45](?:\.\d)?\s?(?:/|out of)\s?5\b")
_SIGNED_QUOTE_RE = re.compile(r"[\"”][\s.]{0,3}(?:[-–—]\s?)[A-Z][a-z]{1,15}(?:\s[A-Z]\.?)?,\s[A-Z][A-Za-z]{1,20}")

#: Regex scans read at most this many characters: a cue past that adds nothing to a count already high.
SCAN_CHARS = 500_000


def _regex_spans(rx: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in rx.finditer(text[:SCAN_CHARS])]


def _merge_overlaps(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans in page order, overlapping ones joined: one cue found by two rules is one cue."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return out


@register
@dataclass(frozen=True)
class CtaCount(LexiconCount):
    name = "promo_cta_count"
    description = "calls to action and urgency: 'buy now', 'order today', 'limited stock', 'click here'"
    source = "FTC Health Products Compliance Guidance (2022)"
    lexicon: str = param("cta", "lexicons/cta.txt")


@register
@dataclass(frozen=True)
class PriceCount(Feature):
    name = "promo_price_count"
    description = "prices and percentage discounts ('$39.95', '50% off')"
    source = "price and percent-off patterns of product pages"

    def compute(self, a: Analysis) -> tuple[float, list[tuple[int, int]]]:
        spans = _regex_spans(_PRICE_RE, a.text) + _regex_spans(_PERCENT_OFF_RE, a.text)
        return float(len(spans)), spans


@register
@dataclass(frozen=True)
class CouponCount(Feature):
    name = "promo_coupon_count"
    version = 2  # 2: codes in capitals only, and a code overlapping a lexicon phrase ("use code SAVE20") counts once
    description = "coupon and promo codes, bundles ('use code SAVE20', 'buy 3 get 2 free')"
    source = "coupon-code pattern; lexicons/coupon.txt"

    def compute(self, a: Analysis) -> tuple[float, list[tuple[int, int]]]:
        spans = _merge_overlaps(a.lexicon_spans("coupon") + _regex_spans(_CODE_RE, a.text))
        return float(len(spans)), spans


@register
@dataclass(frozen=True)
class TestimonialCues(Feature):
    name = "promo_testimonial_count"
    description = "testimonial cues: star ratings, 'verified buyer', signed quotes ('— Mark, Ohio')"
    source = "FTC Endorsement Guides (16 CFR 255); lexicons/testimonial.txt"

    def compute(self, a: Analysis) -> tuple[float, list[tuple[int, int]]]:
        spans = (a.lexicon_spans("testimonial") + _regex_spans(_STARS_RE, a.text)
                 + _regex_spans(_SIGNED_QUOTE_RE, a.text))
        return float(len(spans)), spans


@register
@dataclass(frozen=True)
class AffiliateCount(LexiconCount):
    name = "promo_affiliate_count"
    description = "affiliate cues: 'check price', 'view on Amazon', 'top pick', commission notes"
    source = "FTC Endorsement Guides (16 CFR 255.5, material connections)"
    lexicon: str = param("affiliate", "lexicons/affiliate.txt")


@register
@dataclass(frozen=True)
class SuperlativePer1k(LexiconRate):
    name = "promo_superlative_per_1k"
    description = "superlatives and hype ('best', 'miracle', 'breakthrough') per 1,000 words"
    source = "FTC Health Products Compliance Guidance (2022): 'miracle', 'breakthrough'; lexicons/superlatives.txt"
    lexicon: str = param("superlatives", "lexicons/superlatives.txt")