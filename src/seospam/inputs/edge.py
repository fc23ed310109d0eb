"""The one input edge: :func:`to_page` turns str, bytes, a path, a URL or a record into a :class:`Page`.

Nothing downstream sees anything but a ``Page``. A URL is fetched only here, and only when it is the target
itself: a record's text or html is always content.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Mapping

from ..errors import InputError
from ..strings import escape_surrogates, replace_surrogates
from .decode import check_text, decode_bytes
from .files import MAX_PAGE_BYTES, open_regular  # a FIFO or device named here must not block or stream forever
from .html import looks_like_html, parse_html
from .page import Page
from .text import parse_text_dump

#: Text beyond this many characters is cut and ``Page.truncated`` is set (guards workers against huge pages).
MAX_TEXT_CHARS = 2_000_000

#: File extensions a page file may have (``score``, ``features``, ``to_page(Path)``), and how each is read; a file
#: with no extension is sniffed. Any other extension is refused: an ASCII ``.pdf`` or ``.docx`` would otherwise be
#: scored as if its markup were page text. Server-side page names (``.php``...) are saved HTML pages.
PAGE_SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html", ".xhtml": "html", ".text": None, ".md": None,
                 ".shtml": None, ".php": None, ".asp": None, ".aspx": None, ".jsp": None}  # None: sniffed


_URL_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,20}://[^\s<>\"']{1,2000}")


def to_page(obj: Any, *, fmt: str | None = None, url: str | None = None, title: str | None = None,
            id: str | None = None, fetcher: Any = None) -> Page:
    """Turn str, bytes, a path, an http(s) URL, a record (mapping) or a Page into a :class:`Page`.

    ``fmt`` forces ``"text"`` or ``"html"``; otherwise it is sniffed. Raises :class:`InputError` for input that
    cannot be read (empty, binary, missing file, no text or html field).
    """
    if isinstance(obj, Page):
        return obj
    if isinstance(obj, Mapping):
        return _from_record(obj, fmt=fmt)
    if isinstance(obj, os.PathLike):
        return _from_path(Path(obj), fmt=fmt, id=id)
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return _from_content(obj, fmt=fmt, url=url, title=title, id=id)
    if isinstance(obj, str):
        if is_url(obj):
            if not obj.strip().lower().startswith(("http://", "https://")):
                raise InputError(f"unsupported URL scheme in {obj.strip()[:80]!r}: only http and https")
            from .fetch import fetch_url

            fetched = (fetcher or fetch_url)(obj.strip())
            return to_page(fetched.text, fmt=fmt or "html", url=fetched.url, id=id or obj.strip())
        return _from_str(obj, fmt=fmt, url=url, title=title, id=id)
    raise InputError(f"cannot read input of type {type(obj).__name__}")


def _from_content(obj: str | bytes | bytearray | memoryview, *, fmt: str | None, url: str | None = None,
                  title: str | None = None, id: str | None = None) -> Page:
    """A page from its content (str, or bytes in any charset); never a URL to fetch or a path to open."""
    if isinstance(obj, str):
        return _from_str(obj, fmt=fmt, url=url, title=title, id=id)
    data = bytes(obj)
    truncated = False
    if len(data) > MAX_PAGE_BYTES:
        data, truncated = data[:MAX_PAGE_BYTES], True
    page = _from_str(decode_bytes(data), fmt=fmt, url=url, title=title, id=id)
    page.truncated = page.truncated or truncated
    return page


def is_url(s: str) -> bool:
    """Whether ``s`` (stripped) is one absolute URL of any scheme, as :func:`to_page` would fetch or refuse it."""
    return bool(_URL_RE.fullmatch(s.strip()))


def _from_path(path: Path, *, fmt: str | None, id: str | None) -> Page:
    suffix = path.suffix.lower()
    if fmt is None and suffix and suffix not in PAGE_SUFFIXES:
        raise InputError(f"{path}: a {suffix} file is not a page seospam reads (.txt or .html, or a file with no "
                         "extension); to score its text anyway, pipe it in: seospam score - < FILE")
    if path.is_dir():
        raise InputError(f"{path}: is a directory")
    try:
        with open_regular(path) as fh:
            size = os.fstat(fh.fileno()).st_size
            data = fh.read(MAX_PAGE_BYTES + 1)
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as e:
        raise InputError(f"{path}: {e.strerror or e}") from None
    if fmt is None:
        fmt = PAGE_SUFFIXES.get(suffix)
    page = to_page(data, fmt=fmt, id=id or str(path))
    page.truncated = page.truncated or size > MAX_PAGE_BYTES
    return page


def _from_record(rec: Mapping[str, Any], *, fmt: str | None) -> Page:
    rid = rec.get("id")
    url = rec.get("url") or None
    if isinstance(url, str):
        url = escape_surrogates(url)
    if isinstance(rid, str):
        rid = escape_surrogates(rid)
    html = rec.get("html")
    text = rec.get("text")
    # A record's text or html is content: one that holds only a URL is scored as that text, never fetched (a
    # crawl record must not make a batch worker request an address it names).
    if isinstance(html, (str, bytes)) and len(html) and fmt != "text":
        page = _from_content(html, fmt="html", url=url, id=rid)
    elif isinstance(text, (str, bytes)) and len(text):
        page = _from_content(text, fmt=fmt or "text", url=url, id=rid)
    else:
        raise InputError("record has neither text nor html")
    if rec.get("title") and not page.title:
        page.title = replace_surrogates(str(rec["title"]))
    return page


def _from_str(s: str, *, fmt: str | None, url: str | None, title: str | None, id: str | None) -> Page:
    s = check_text(s)
    if not s.strip():
        raise InputError("input is empty")
    fmt = fmt or ("html" if looks_like_html(s) else "text")
    truncated = False
    if fmt == "html":
        if len(s) > MAX_PAGE_BYTES:
            s, truncated = s[:MAX_PAGE_BYTES], True
        parsed = parse_html(s)
        if len(parsed["text"]) > MAX_TEXT_CHARS:
            parsed["text"], truncated = parsed["text"][:MAX_TEXT_CHARS], True
            parsed["blocks"] = [b for b in parsed["blocks"] if b.end <= MAX_TEXT_CHARS]
        page = Page(source_format="html", url=url, truncated=truncated, id=id, **parsed)
    else:
        if len(s) > MAX_TEXT_CHARS:
            s, truncated = s[:MAX_TEXT_CHARS], True
        text, blocks = parse_text_dump(s)
        page = Page(text=text, blocks=blocks, source_format="text", url=url, truncated=truncated, id=id)
    if title:
        page.title = title
    if not page.text.strip():
        raise InputError("no text found in the page")
    return page
