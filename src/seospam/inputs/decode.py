"""Bytes to str: every charset decision of seospam lives here.

:func:`decode_bytes` reads content handed to seospam (records, page files, WARC payloads): the declared charset
(strictly), then UTF-8, then resiliparse's detector, refusing binary data. :func:`decode_html` reads a page
fetched from the web the way browsers do (WHATWG labels): byte-order mark, the Content-Type header, ``<meta
charset>``, then a guess, with replacement characters. They stay two rules because they read different inputs
and the default model was trained on what the first one gives; both are here so that there is one place to change.
"""

from __future__ import annotations

import codecs
import re

from ..errors import InputError
from ..strings import replace_surrogates

_BAD_CHARS_RE = re.compile("[\x00-\x08\x0b-\x1f\ufffd]")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]{1,40})""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Labels browsers decode as a superset encoding (WHATWG Encoding Standard); pages labelled latin-1 are
# routinely windows-1252 (curly quotes in 0x80-0x9F), and "shift_jis" pages use Microsoft's extensions.
_ALIASES = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "l1": "cp1252",
    "us-ascii": "cp1252", "ascii": "cp1252", "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932",
    "x-sjis": "cp932", "ms_kanji": "cp932", "gb2312": "gb18030", "gbk": "gb18030", "euc-kr": "cp949",
    "iso-8859-9": "cp1254", "tis-620": "cp874", "iso-8859-11": "cp874",
}


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Bytes in an unknown charset to str: declared charset, then UTF-8, then resiliparse's detector."""
    if b"\x00" in data[:4096] and _looks_binary(data):
        raise InputError("input looks binary, not text or HTML")
    for enc in ([declared] if declared else []) + ["utf-8"]:
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding

    return bytes_to_str(data, detect_encoding(data[:65536]))


def _looks_binary(data: bytes) -> bool:
    """Many control bytes means binary; a few NULs between words (NUL-separated text) does not."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 with BOM
    ctrl = sum(1 for c in head if c < 9 or 13 < c < 32)
    letters = sum(1 for c in head if 65 <= c <= 122)
    return ctrl > 0.3 * len(head) or letters < 0.25 * len(head)


def check_text(text: str) -> str:
    """Page text as features may read it: surrogates, NULs and line endings fixed; binary refused."""
    # A lone surrogate (valid in JSON and in a Python str, not in UTF-8) makes the HTML parser raise
    # UnicodeEncodeError: it becomes U+FFFD, as an undecodable byte does.
    text = replace_surrogates(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", " ")
    if text.startswith("\ufeff"):
        text = text[1:]
    sample = text[:8192]
    if sample:
        bad = len(_BAD_CHARS_RE.findall(sample))
        if bad > 0.3 * len(sample):
            raise InputError("input looks binary, not text or HTML")
    return text



def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode an HTML body: BOM, then ``declared`` (header), then the meta tag, then a guess; returns (text, codec)."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace"), enc
    for label in (declared, meta_charset(data)):
        enc = _codec(label)
        if enc:
            return data.decode(enc, errors="replace"), enc
    enc = _guess(data)
    return data.decode(enc, errors="replace"), enc


def meta_charset(data: bytes) -> str | None:
    """The charset a ``<meta charset>`` or ``<meta http-equiv="Content-Type">`` tag names in the first 4 KB."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii") if m else None


def _codec(label: str | None) -> str | None:
    """Python codec name for a charset label, or None if the label is unknown."""
    if not label:
        return None
    label = label.strip().lower()
    label = _ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A page cannot really be UTF-16 if its ASCII meta tag was readable, so browsers read it as UTF-8.
    return "utf-8" if name.startswith("utf-16") else name


def _guess(data: bytes) -> str:
    """UTF-8 if the bytes are valid UTF-8, else charset-normalizer's best guess, else UTF-8 (with replacement)."""
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    return _codec(best.encoding) if best is not None else "utf-8"
