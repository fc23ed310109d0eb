"""Layout augmentation: the same page in the layouts crawls deliver it in (augmentation, never new content).

Crawled pages reach seospam as clean text dumps, as HTML inside a site's navigation, sidebar and footer, with their
headings and bullets stripped, or joined into one block. A model trained on one layout learns the layout, so
training sees every page of both labels in each of :data:`LAYOUTS`. Only the layout changes: the words of the page
are the page's own (headings may change case), and the site chrome added around the HTML variant is the same for
both labels. The variants of one page share its cross-validation group.
"""

from __future__ import annotations

import html as html_lib
import zlib
from typing import Any

from ..inputs.page import Page

#: The layouts of issue 9: as written, headings in sentence case, headings and bullets dropped, one block, and HTML
#: with a site's navigation, sidebar, cookie banner and footer.
LAYOUTS = ("as_written", "sentence_case", "no_headings", "one_block", "html_boilerplate")


def sentence_case(heading: str) -> str:
    """'Understanding Kratom and Opioid Withdrawal:' → 'Understanding kratom and opioid withdrawal:'.

    Only words in Title Case are lowered; acronyms (FDA, CBD) and words with inner capitals keep their case.
    """
    words = heading.split(" ")
    out = words[:1]
    for w in words[1:]:
        core = w.strip("\"'“”‘’()[]:;,.!?")
        if len(core) > 1 and core[0].isupper() and core[1:].islower():
            w = w.replace(core, core.lower(), 1)
        out.append(w)
    return " ".join(out)


def _dump(page: Page, *, heading_case: bool = False, drop_structure: bool = False) -> str:
    lines = []
    for b in page.blocks:
        t = page.block_text(b)
        if b.kind == "heading":
            if drop_structure:
                continue
            lines.append(sentence_case(t) if heading_case else t)
        elif b.kind == "item":
            if not drop_structure:
                lines.append("- " + t)
        else:
            lines.append(t)
    if not lines:  # a page of headings and bullets only: nothing to drop
        return page.text
    return "\n".join(lines)


def _one_block(page: Page) -> str:
    return " ".join(" ".join(page.block_text(b).split()) for b in page.blocks) or page.text


# Site chrome for the HTML variant: two shapes (semantic tags, and the class-named divs of older themes), chosen per
# page by a stable hash so that both labels get both.
_NAV = ["Home", "Health A-Z", "Supplements", "Reviews", "Shop", "Blog", "About us", "Contact"]
_SIDEBAR = ["Seven winter teas to try", "How we test products", "Reader questions, answered",
            "Our editorial policy", "Meet the team"]
_COOKIE = ("We use cookies to give you the best experience on our site and to show you relevant content. "
           "By clicking Accept, you agree to our use of cookies.")


def _body_html(page: Page) -> str:
    parts: list[str] = []
    items: list[str] = []
    first_heading = True
    for b in page.blocks:
        t = html_lib.escape(page.block_text(b))
        if b.kind == "item":
            items.append(f"<li>{t}</li>")
            continue
        if items:
            parts.append("<ul>" + "".join(items) + "</ul>")
            items = []
        if b.kind == "heading":
            tag = "h1" if first_heading else "h2"
            first_heading = False
            parts.append(f"<{tag}>{t}</{tag}>")
        else:
            parts.append(f"<p>{t}</p>")
    if items:
        parts.append("<ul>" + "".join(items) + "</ul>")
    return "\n".join(parts)


def boilerplate_html(page: Page, key: str = "") -> str:
    """The page's blocks as an article inside a site's navigation, cookie banner, sidebar and footer."""
    shape = zlib.crc32(key.encode("utf-8", "replace")) % 2
    title = html_lib.escape(page.title or (page.block_text(page.headings[0]) if page.headings else "Article"))
    nav = "".join(f'<li><a href="/{w.lower().replace(" ", "-")}">{w}</a></li>' for w in _NAV)
    side = "".join(f'<li><a href="/post/{i}">{w}</a></li>' for i, w in enumerate(_SIDEBAR))
    article = _body_html(page)
    if shape == 0:
        body = (f'<div class="cookie-banner" role="dialog"><p>{_COOKIE}</p><button>Accept</button>'
                f'<button>Manage settings</button></div>\n<header><a class="logo" href="/">Site</a><nav><ul>{nav}'
                f'</ul></nav></header>\n<div class="wrap"><main><article>\n{article}\n</article></main>\n'
                f'<aside class="sidebar"><h3>Popular posts</h3><ul>{side}</ul><form><p>Get our newsletter</p>'
                f'<input type="email"><button>Subscribe</button></form></aside></div>\n<footer><p>© 2026 All rights '
                f'reserved.</p><ul><li><a href="/privacy">Privacy policy</a></li><li><a href="/terms">Terms</a></li>'
                f'</ul></footer>')
    else:
        body = (f'<div id="top-menu" class="menu"><ul>{nav}</ul></div>\n<div id="content" class="content-area">'
                f'<div class="post-content entry-content">\n{article}\n</div></div>\n<div id="secondary" '
                f'class="widget-area"><div class="widget"><h4>Recent posts</h4><ul>{side}</ul></div></div>\n'
                f'<div class="cookie-notice"><span>{_COOKIE}</span><a href="#">Accept</a></div>\n<div '
                f'class="site-footer"><p>Copyright 2026. All rights reserved.</p><p><a href="/privacy">Privacy</a> · '
                f'<a href="/contact">Contact</a></p></div>')
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head><body>\n'
            f"{body}\n</body></html>")


def layout_variant(record: dict[str, Any], page: Page, layout: str, key: str = "") -> dict[str, Any]:
    """The record with its body replaced by the page in ``layout`` (``as_written`` returns it unchanged)."""
    if layout == "as_written":
        return record
    if layout == "html_boilerplate":
        return {**record, "text": None, "html": boilerplate_html(page, key)}
    if layout == "sentence_case":
        body = _dump(page, heading_case=True)
    elif layout == "no_headings":
        body = _dump(page, drop_structure=True)
    elif layout == "one_block":
        body = _one_block(page)
    else:
        raise ValueError(f"unknown layout {layout!r}; choose one of {LAYOUTS}")
    return {**record, "text": body, "html": None}
