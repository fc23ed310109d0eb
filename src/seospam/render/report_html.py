"""The ``seospam score --html`` report: one self-contained page (inline CSS, no scripts, no external assets).

It shows the score and verdict, a legend, the reasons table, and the page text with every reason's evidence
highlighted in that reason's colour. Each highlight is a ``<mark class="hl rN" data-rule data-start data-end
title>`` whose offsets index ``result.page.text`` (the text that was scored). Overlapping spans nest; where two
spans cross, the later-closing one is split into parts that share its data-start/data-end and carry ``data-part``
(1, 2...), so joining a span's parts in document order gives back exactly ``page.text[start:end]``. Headings are
set in bold with ``<span class="hd">``, split the same way where a highlight crosses them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from html import escape
from typing import Any

#: Colours for the reasons that have highlights, in rank order (distinct on white and as a translucent fill);
#: reasons without span evidence get none, so the few highlighted rules get the most distinct colours.
PALETTE = ["#e6194b", "#4363d8", "#3cb44b", "#f58231", "#911eb4", "#0fa3c4", "#f032e6", "#9a6324",
           "#469990", "#808000", "#000075", "#800000"]
_VERDICT_COLOUR = {"spam": "#c0392b", "suspicious": "#b9770e", "ok": "#1e8449"}


@dataclass(frozen=True)
class _Span:
    """One evidence span of one reason (``rank`` indexes the reasons, ``colour`` the palette)."""

    rank: int
    colour: int
    rule: str
    start: int
    end: int
    label: str


def write_score_report(result: Any, path: str | os.PathLike) -> None:
    """Write the HTML report of one :class:`~seospam.scoring.ScoreResult` to ``path`` (atomically)."""
    from ..atomic import atomic_write_bytes

    atomic_write_bytes(path, render_score_report(result).encode("utf-8"))


def render_score_report(result: Any) -> str:
    """The report as one HTML string."""
    title, css, body = report_parts(result)
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n<style>\n{css}</style>\n</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")


def report_parts(result: Any) -> tuple[str, str, str]:
    """The report's title (plain text), CSS and body HTML, for pages that embed it (``seospam serve``'s ``/``)."""
    text = result.page.text if result.page is not None else ""
    spans = evidence_spans(result.reasons, len(text))
    headings = heading_spans(result.page)
    title = f"seospam: {result.verdict} ({result.score:.3f}) – {result.url or result.target or 'page'}"
    slots = colours(spans)
    body = "\n".join([_header(result), _reasons_table(result.reasons, slots),
                      '<section class="page"><h2>Page text as scored</h2>', _legend(result.reasons, spans),
                      f'<div class="text">{highlight(text, spans + headings)}</div></section>'])
    return title, _css(len(set(slots.values()))), body


def evidence_spans(reasons: list[dict[str, Any]], text_len: int) -> list[_Span]:
    """Every reason's evidence as spans, de-duplicated, empty or out-of-range spans dropped."""
    seen: set[tuple[str, int, int]] = set()
    out: list[_Span] = []
    colour = 0
    for rank, r in enumerate(reasons):
        label = f"{r['feature']}: {r.get('description', '')} (+{r['points']:.2f} points)"
        found = False
        for ev in r.get("evidence", []):
            s, e = int(ev["start"]), int(ev["end"])
            if 0 <= s < e <= text_len and (r["feature"], s, e) not in seen:
                seen.add((r["feature"], s, e))
                out.append(_Span(rank, colour, r["feature"], s, e, label))
                found = True
        colour += found
    return out


def heading_spans(page: Any) -> list[_Span]:
    """The page's headings as plain spans (rank -1), so they can be set in bold around and inside highlights."""
    blocks = getattr(page, "blocks", None) or []
    return [_Span(-1, -1, "", b.start, b.end, "") for b in blocks if b.kind == "heading" and b.start < b.end]


def colours(spans: list[_Span]) -> dict[int, int]:
    """Reason rank → palette slot, for the reasons that have highlights."""
    return {sp.rank: sp.colour for sp in spans if sp.rank >= 0}


def highlight(text: str, spans: list[_Span]) -> str:
    """HTML of ``text`` with ``spans`` as nested ``<mark>`` elements, crossing spans split into parts.

    Spans of rank -1 are headings: a ``<span class="hd">``, outermost where it starts together with a highlight.
    """
    starts: dict[int, list[_Span]] = {}
    for sp in spans:
        starts.setdefault(sp.start, []).append(sp)
    cuts = sorted({0, len(text), *(sp.start for sp in spans), *(sp.end for sp in spans)})
    out: list[str] = []
    stack: list[_Span] = []
    parts: dict[_Span, int] = {}
    pos = 0
    for cut in cuts:
        out.append(escape(text[pos:cut]))
        pos = cut
        if any(sp.end == cut for sp in stack):
            # Close down to the deepest span ending here; reopen (as new parts) the ones that go on.
            reopen = []
            while any(sp.end == cut for sp in stack):
                sp = stack.pop()
                out.append(_close(sp))
                if sp.end != cut:
                    reopen.append(sp)
            for sp in reversed(reopen):
                out.append(_open(sp, stack, parts))
                stack.append(sp)
        # Longer spans open first so they enclose the shorter ones that start at the same place.
        for sp in sorted(starts.get(cut, []), key=lambda s: (-s.end, s.rank)):
            out.append(_open(sp, stack, parts))
            stack.append(sp)
    out.extend(_close(sp) for sp in reversed(stack))
    return "".join(out)


def _close(sp: _Span) -> str:
    return "</span>" if sp.rank < 0 else "</mark>"


def _open(sp: _Span, stack: list[_Span], parts: dict[_Span, int]) -> str:
    """Opening tag of one part of a span; the title also names the spans it sits inside (browsers show one)."""
    if sp.rank < 0:
        return '<span class="hd">'
    parts[sp] = parts.get(sp, 0) + 1
    outer = [o.rule for o in stack if o.rank >= 0 and o.rule != sp.rule]
    title = sp.label + "".join(f"\ninside: {name}" for name in dict.fromkeys(outer))
    part = f' data-part="{parts[sp]}"' if parts[sp] > 1 else ""
    anchor = f' id="ev-{sp.rank}-{sp.start}"' if parts[sp] == 1 else ""
    return (f'<mark class="hl c{sp.colour}"{anchor} data-rule="{escape(sp.rule)}" data-start="{sp.start}" '
            f'data-end="{sp.end}"{part} data-label="{escape(sp.rule)}" title="{escape(title)}">')


def _header(res: Any) -> str:
    colour = _VERDICT_COLOUR.get(res.verdict, "#555")
    where = res.url or res.target or ""
    pct = max(0.0, min(1.0, res.score)) * 100
    thr = max(0.0, min(1.0, res.threshold)) * 100
    note = ('<p class="note">The page was cut at the size cap before scoring; only the text below was scored.</p>'
            if res.truncated else "")
    return (f'<header><h1>seospam report</h1>\n<p class="target">{escape(str(where))}</p>\n'
            f'<div class="score"><span class="verdict" style="background:{colour}">{escape(res.verdict)}</span> '
            f'<span class="num">{res.score:.3f}</span> <span class="thr">spam at ≥ {res.threshold:.3f}'
            f'{" · flagged" if res.is_spam else ""}</span></div>\n'
            f'<div class="bar" role="img" aria-label="score {res.score:.3f}, threshold {res.threshold:.3f}">'
            f'<div class="fill" style="width:{pct:.1f}%;background:{colour}"></div>'
            f'<div class="tick" style="left:{thr:.1f}%"></div></div>\n'
            f'<p class="model">model {escape(str(res.model.get("name", "")))} '
            f'<code>{escape(str(res.model.get("sha256", ""))[:12])}</code></p>{note}</header>')


def _legend(reasons: list[dict[str, Any]], spans: list[_Span]) -> str:
    """Colour chips of the highlighted rules (sticky above the text), then the rules with nothing to highlight."""
    counts: dict[int, int] = {}
    for sp in spans:
        counts[sp.rank] = counts.get(sp.rank, 0) + 1
    slots = colours(spans)
    chips = [f'<li><span class="sw c{slots[rank]}"></span>{escape(r["feature"])} <span class="dim">×{counts[rank]}'
             f'</span></li>' for rank, r in enumerate(reasons) if rank in counts]
    plain = [escape(r["feature"]) for rank, r in enumerate(reasons) if rank not in counts]
    rest = (f'<p class="dim">Page-wide measures, nothing to highlight: {", ".join(plain)}.</p>' if plain else "")
    if not chips:
        return f'<div class="legend"><p>No reason has evidence in the text.</p>{rest}</div>'
    return (f'<div class="legend"><b>Legend</b> <span class="dim">(hover a highlight to see its rule)</span>'
            f'<ul>{"".join(chips)}</ul>{rest}</div>')


def _reasons_table(reasons: list[dict[str, Any]], slots: dict[int, int]) -> str:
    if not reasons:
        return ""
    rows = []
    for rank, r in enumerate(reasons):
        evs = r.get("evidence", [])
        snippets = [f'<a href="#ev-{rank}-{ev["start"]}">“{escape(_snip(ev["text"]))}”</a>' for ev in evs[:3]]
        if len(evs) > 3:
            snippets.append(f'<span class="dim">+{len(evs) - 3} more</span>')
        rows.append(f'<tr><td class="pts">{r["points"]:+.2f}</td>'
                    f'<td class="rule">{_swatch(slots.get(rank))}{escape(r["feature"])}</td>'
                    f'<td>{escape(r.get("description", ""))}</td><td class="ev">{"<br>".join(snippets)}</td></tr>')
    return ('<section class="reasons"><h2>Reasons</h2><p class="dim">Points are this page\'s log-odds '
            'contributions, highest first.</p><table><thead><tr><th>points</th><th>rule name</th>'
            f'<th>description</th><th>evidence</th></tr></thead><tbody>{"".join(rows)}</tbody></table></section>')


def _swatch(slot: int | None) -> str:
    return f'<span class="sw c{slot}"></span>' if slot is not None else '<span class="sw none"></span>'


def _snip(s: str, n: int = 80) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _css(n_rules: int) -> str:
    rules = []
    for i in range(max(n_rules, 1)):
        rules.append(f".c{i}{{--c:{PALETTE[i % len(PALETTE)]}}}")
    return _BASE_CSS + "\n".join(rules) + "\n"


_BASE_CSS = """\
:root{color-scheme:light}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;background:#fafafa;
 margin:0 auto;max-width:1100px;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:0 0 8px}
header,section{background:#fff;border:1px solid #e3e3e3;border-radius:8px;padding:14px 18px;margin-bottom:14px}
.target{margin:0;color:#555;word-break:break-all}
.score{margin:10px 0 6px;display:flex;align-items:baseline;gap:12px}
.verdict{color:#fff;font-weight:700;text-transform:uppercase;padding:2px 10px;border-radius:4px;letter-spacing:.05em}
.num{font-size:28px;font-weight:700}.thr,.dim,.model{color:#666}.model{margin:6px 0 0;font-size:13px}
.note{color:#8a5a00;background:#fff6df;padding:4px 8px;border-radius:4px}
.bar{position:relative;height:10px;background:#eee;border-radius:5px;max-width:480px}
.fill{height:100%;border-radius:5px}
.tick{position:absolute;top:-4px;bottom:-4px;width:2px;background:#222}
.legend{position:sticky;top:0;z-index:3;background:#fff;border-bottom:1px solid #e3e3e3;padding:6px 0;margin-bottom:8px}
.legend ul{list-style:none;padding:0;margin:4px 0 0;display:flex;flex-wrap:wrap;gap:4px 16px}
.legend li{font:13px ui-monospace,Menlo,Consolas,monospace}.legend p{margin:4px 0 0;font-size:13px}
.sw.none{--c:#bbb;background:none}
.sw{display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:6px;vertical-align:-1px;
 background:color-mix(in srgb,var(--c) 35%,transparent);border:2px solid var(--c)}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:5px 8px;
 border-bottom:1px solid #eee}th{font-size:13px;color:#555}
td.pts{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.rule{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px;white-space:nowrap}
td.ev{font-size:13px}td.ev a{color:inherit}
.text{white-space:pre-wrap;overflow-wrap:anywhere;font:15px/1.9 Georgia,"Times New Roman",serif}
.hd{font-weight:700}
mark.hl{color:inherit;position:relative;border-radius:2px;
 background:color-mix(in srgb,var(--c) 22%,transparent);box-shadow:inset 0 -2px 0 var(--c)}
mark.hl mark.hl{padding-bottom:3px}mark.hl mark.hl mark.hl{padding-bottom:6px}
mark.hl:target{outline:2px solid var(--c)}
mark.hl:hover:not(:has(mark.hl:hover))::after{content:attr(data-label);position:absolute;left:0;bottom:100%;
 z-index:2;white-space:nowrap;font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;color:#fff;background:var(--c);
 padding:1px 6px;border-radius:3px;pointer-events:none}
"""
