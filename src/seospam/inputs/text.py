"""Structure of plain-text dumps: bare short lines are headings, ``- `` lines are list items, the rest paragraphs."""

from __future__ import annotations

import re

from .page import Block, _strip_span

_BULLET_RE = re.compile(r"^[ \t]*(?:[-*•●▪◦–—]|\d{1,3}[.)])[ \t]+")


def _is_heading_line(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > 120:
        return False
    words = s.split()
    if len(words) > 14:
        return False
    if s[-1] in ".!," or s.endswith('."'):
        return False
    # A short line that ends like a sentence fragment with lowercase start is more likely a wrapped line.
    return s[0].isupper() or s[0].isdigit() or s[0] in "“\"'"


def _blocks_from_lines(lines: list[str]) -> tuple[str, list[Block]]:
    """Join classified lines into the canonical dump and its blocks."""
    parts: list[str] = []
    blocks: list[Block] = []
    pos = 0
    for kind, content in lines:
        content = content.strip()
        if not content:
            continue
        prefix = "- " if kind == "item" else ""
        line = prefix + content
        start = pos + len(prefix)
        parts.append(line)
        blocks.append(Block(kind, start, start + len(content)))
        pos += len(line) + 1
    return "\n".join(parts), blocks


def parse_text_dump(text: str) -> tuple[str, list[Block]]:
    """Structure of a plain-text dump: bare short lines are headings, ``- `` lines are items, the rest paragraphs.

    Offsets are kept relative to the given text (only line endings are normalised), so evidence maps back to the file.
    """
    blocks: list[Block] = []
    pos = 0
    for raw in text.split("\n"):
        line_start, line_end = pos, pos + len(raw)
        pos = line_end + 1
        stripped = raw.strip()
        if not stripped:
            continue
        m = _BULLET_RE.match(raw)
        if m:
            # Nested outline bullets ("- – sub item") carry several glyphs: skip them all.
            s = line_start + m.end()
            while s < line_end and raw[s - line_start] in "-*•–— \t":
                s += 1
            s, e = _strip_span(text, s, line_end)
            if e > s:
                blocks.append(Block("item", s, e))
            continue
        s, e = _strip_span(text, line_start, line_end)
        blocks.append(Block("heading" if _is_heading_line(stripped) else "para", s, e))
    return text, blocks
