"""Promotion: calls to action, prices, discounts and coupons, testimonials, affiliate cues, superlatives."""

from __future__ import annotations

import re

from ..inputs.page import Page
from . import feature
from ._lex import lexicon_spans as _spans
from ._lex import per_1k

_PRICE_RE = re.compile(r"[$£€]\s?\d{1,6}(?:[.,]\d{1,2})?|\b\d{1,6}(?:\.\d\d)?\s?(?:USD|EUR|GBP|dollars)\b")
_PERCENT_OFF_RE = re.compile(r"\b\d{1,3}\s?%\s?(?:off|discount|savings?)\b", re.IGNORECASE)
_CODE_RE = re.compile(r"\b(?:code|coupon)[:\s]{1,3}[\"“']?[A-Z]{3,12}\d{0,3}\b", re.IGNORECASE)
_STARS_RE = re.compile(r"[★⭐]{3,5}|\b[45](?:\.\d)?\s?(?:/|out of)\s?5\b")
_SIGNED_QUOTE_RE = re.compile(r"[\"”][\s.]{0,3}(?:[-–—]\s?)[A-Z][a-z]{1,15}(?:\s[A-Z]\.?)?,\s[A-Z][A-Za-z]{1,20}")


def _regex_spans(rx: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in rx.finditer(text[:500_000])]


@feature("promo_cta_count", "calls to action and urgency: 'buy now', 'order today', 'limited stock', 'click here'")
def cta(page: Page) -> tuple[float, list[tuple[int, int]]]:
    spans = _spans(page, "cta")
    return float(len(spans)), spans


@feature("promo_price_count", "prices and percentage discounts ('$39.95', '50% off')")
def prices(page: Page) -> tuple[float, list[tuple[int, int]]]:
    spans = _regex_spans(_PRICE_RE, page.text) + _regex_spans(_PERCENT_OFF_RE, page.text)
    return float(len(spans)), spans


@feature("promo_coupon_count", "coupon and promo codes, bundles ('use code SAVE20', 'buy 3 get 2 free')")
def coupons(page: Page) -> tuple[float, list[tuple[int, int]]]:
    spans = _spans(page, "coupon") + _regex_spans(_CODE_RE, page.text)
    return float(len(spans)), spans


@feature("promo_testimonial_count", "testimonial cues: star ratings, 'verified buyer', signed quotes ('— Mark, Ohio')")
def testimonials(page: Page) -> tuple[float, list[tuple[int, int]]]:
    spans = (_spans(page, "testimonial") + _regex_spans(_STARS_RE, page.text)
             + _regex_spans(_SIGNED_QUOTE_RE, page.text))
    return float(len(spans)), spans


@feature("promo_affiliate_count", "affiliate cues: 'check price', 'view on Amazon', 'top pick', commission notes")
def affiliate(page: Page) -> tuple[float, list[tuple[int, int]]]:
    spans = _spans(page, "affiliate")
    return float(len(spans)), spans


@feature("promo_superlative_per_1k", "superlatives and hype ('best', 'miracle', 'breakthrough') per 1,000 words")
def superlatives(page: Page) -> tuple[float, list[tuple[int, int]]]:
    spans = _spans(page, "superlatives")
    return per_1k(len(spans), page), spans
