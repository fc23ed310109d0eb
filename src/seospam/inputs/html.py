"""HTML to the page shape: main content without site chrome, headings and list items kept (resiliparse, or
trafilatura with ``SEOSPAM_EXTRACTOR=trafilatura``)."""

from __future__ import annotations

import html as html_lib
import os
import re
from typing import Any

from ..errors import InputError
from .text import _BULLET_RE, _blocks_from_lines, _is_heading_line

_HTML_SNIFF = re.compile(r"<(?:!doctype\s+html|html|head|body|div|p|h[1-6]|ul|ol|li|span|article|section|table|br)\b",
                         re.IGNORECASE)
_TAG_RE = re.compile(r"<[^<>]{0,200}>")
_HEADING_TAG = re.compile(r"^<h[1-6]>(.*)</h[1-6]>$")

#: Environment variable that picks the HTML extractor: "resiliparse" (default) or "trafilatura" (the
#: ``[trafilatura]`` extra). Score with the extractor the model was trained with (see its model card).
ENV_EXTRACTOR = "SEOSPAM_EXTRACTOR"
_MD_HEADING = re.compile(r"^#{1,6}\s")


def _trafilatura_lines(markup: str) -> list[tuple[str, str]]:
    """Main text by trafilatura (more accurate, about 10× slower), as Markdown turned into classified lines."""
    try:
        import trafilatura
    except ImportError as e:
        raise InputError(f"SEOSPAM_EXTRACTOR=trafilatura needs the extra: pip install 'seospam[trafilatura]' ({e})"
                         ) from None
    md = trafilatura.extract(markup, output_format="markdown", include_formatting=True, include_links=False,
                             favor_recall=True) or ""
    lines: list[tuple[str, str]] = []
    for raw in md.split("\n"):
        s = raw.strip()
        if not s:
            continue
        if _MD_HEADING.match(s):
            lines.append(("heading", s.lstrip("#").strip()))
        elif _BULLET_RE.match(s):
            lines.append(("item", _BULLET_RE.sub("", s, count=1)))
        else:
            lines.append(("para", s.replace("**", "")))  # Markdown bold markers are not page text
    return lines


def parse_html(markup: str, extractor: str | None = None) -> dict[str, Any]:
    """HTML to the dump shape: resiliparse's minimal-HTML mode (keeps headings and list items), or trafilatura."""
    from resiliparse.parse.html import HTMLTree

    tree = HTMLTree.parse(markup)
    title = (tree.title or "").strip()
    meta = ""
    links: list[str] = []
    if tree.head is not None:
        for el in tree.head.query_selector_all("meta"):
            if (el.getattr("name") or "").lower() in ("description", "og:description") or \
                    (el.getattr("property") or "").lower() == "og:description":
                meta = (el.getattr("content") or "").strip()
                if meta:
                    break
    if tree.body is not None:
        for el in tree.body.query_selector_all("a[href]"):
            href = el.getattr("href")
            if href:
                links.append(href)
    extractor = extractor or os.environ.get(ENV_EXTRACTOR, "resiliparse")
    if extractor == "trafilatura":
        text, blocks = _blocks_from_lines(_trafilatura_lines(markup))
        return {"text": text, "blocks": blocks, "title": title, "meta_description": meta, "links": links}
    if extractor != "resiliparse":
        raise InputError(f"unknown extractor {extractor!r} in ${ENV_EXTRACTOR}: use resiliparse or trafilatura")
    body = main_text(tree)
    lines: list[tuple[str, str]] = []
    in_p: list[str] | None = None
    for raw in body.replace("<br>", "\n").split("\n"):
        s = raw.strip()
        if not s:
            continue
        if in_p is not None:
            if s.endswith("</p>"):
                in_p.append(s[:-4])
                lines.append(("para", _clean(" ".join(in_p))))
                in_p = None
            else:
                in_p.append(s)
            continue
        m = _HEADING_TAG.match(s)
        if m:
            lines.append(("heading", _clean(m.group(1))))
        elif s.startswith("<li>"):
            lines.append(("item", _clean(s)))
        elif s.startswith("<p>") and not s.endswith("</p>"):
            in_p = [s[3:]]
        elif s.startswith("<p>"):
            lines.append(("para", _clean(s)))
        else:
            cleaned = _clean(s)
            if cleaned:
                lines.append(("heading" if _is_heading_line(cleaned) and len(cleaned.split()) <= 8 else "para",
                              cleaned))
    if in_p:
        lines.append(("para", _clean(" ".join(in_p))))
    text, blocks = _blocks_from_lines(lines)
    return {"text": text, "blocks": blocks, "title": title, "meta_description": meta, "links": links}


#: Site chrome dropped before the text features: navigation, sidebars, cookie and consent banners, footers,
#: newsletter boxes, share bars, comments. Tags first, then the class and id names themes give such blocks.
#: resiliparse's own ``main_content=True`` heuristic was measured here and drops outline lists with the chrome (all
#: 5 outline items of seed 000 wrapped in a site's HTML), so it is not used: the issue asks to keep list items.
BOILERPLATE_SELECTORS = [
    "nav", "footer", "header", "aside", "form", "script", "style", "noscript", "iframe", "svg", "button",
    "[role=navigation]", "[role=dialog]", "[role=banner]", "[role=contentinfo]", "[role=complementary]",
    "[class*=menu]", "[id*=menu]", "[class*=navbar]", "[class*=sidebar]", "[id*=sidebar]", "[class*=widget]",
    "[id=secondary]", "[class*=cookie]", "[id*=cookie]", "[class*=consent]", "[class*=gdpr]", "[class*=footer]",
    "[id*=footer]", "[class*=breadcrumb]", "[class*=newsletter]", "[class*=subscribe]", "[class*=share]",
    "[class*=social]", "[class*=related]", "[class*=comment]", "[id*=comment]", "[class*=popup]", "[class*=modal]",
    "[class*=advert]", "[class*=sponsor-box]",
]


def main_text(tree: Any) -> str:
    """The page's main content in resiliparse's minimal-HTML form (headings and list items kept), with the
    :data:`BOILERPLATE_SELECTORS` chrome dropped."""
    from resiliparse.extract.html2text import extract_plain_text

    return extract_plain_text(tree, preserve_formatting="minimal_html", main_content=False, list_bullets=True,
                              skip_elements=BOILERPLATE_SELECTORS)


def _clean(s: str) -> str:
    return re.sub(r"\s+", " ", html_lib.unescape(_TAG_RE.sub("", s))).strip()


def looks_like_html(s: str) -> bool:
    """Whether a string is HTML markup rather than a text dump."""
    head = s[:2000].lstrip()
    return head.startswith("<") and bool(_HTML_SNIFF.search(head)) or bool(
        re.search(r"<(?:html|body|p|div)\b[^>]{0,200}>", s[:5000], re.IGNORECASE))

