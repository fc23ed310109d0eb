"""``seospam sites``: roll batch output up by host, and find the text a site reuses across its pages.

:func:`site_report` reads a ``seospam batch`` output file (one row per page: id, url, score, verdict, is_spam,
top_reasons, error) and, optionally, the inputs that batch read, for the page text. Per host it gives the page
count, the share flagged as spam, the mean and max score and the most frequent top reasons; with the text it also
finds **cross-page templates**: sentences, and runs of word n-grams (8 words by default), that recur on several
pages of one host. Machine-written spam sites reuse whole sentences and stock phrases from page to page; a site
written by people rarely does, outside its boilerplate.

The report is one row per host (CSV, JSONL or Parquet; list-valued cells hold JSON), written atomically, and an
HTML view with a score chart per host (PNG as a data URI: no external assets, no scripts).

Hosts come from the score row's ``url``, else the input record's, else the page's ``<link rel="canonical">`` or
``og:url``; a page with none of these is counted under :data:`NO_HOST`. A leading ``www.`` is dropped, so
``www.example.com`` and ``example.com`` are one site. Template finding keeps the words of up to
``max_pages_per_host`` pages per host in memory (the first ones in input order).
"""

from __future__ import annotations

import base64
import csv
import gzip
import io
import json
import math
import os
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import urlsplit

from ..errors import DataError, InputError

#: Host of pages whose URL is unknown.
NO_HOST = "(no url)"
#: Report columns, in order.
SITE_COLUMNS = ["host", "pages", "scored", "errors", "flagged", "share_flagged", "mean_score", "max_score",
                "top_reasons", "pages_with_text", "templated_pages", "templates"]
_REPORT_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".parquet": "parquet"}
_CANONICAL_RE = [
    re.compile(r"""<link\b[^>]*\brel\s*=\s*["']?canonical\b[^>]*>""", re.I),
    re.compile(r"""<meta\b[^>]*\bproperty\s*=\s*["']?og:url\b[^>]*>""", re.I),
]
_HREF_RE = re.compile(r"""\b(?:href|content)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


@dataclass
class _PageText:
    """What template finding needs of one page: its id, lower-cased words, and sentences as word ranges."""

    id: str
    words: list[str]
    spans: list[tuple[int, int]]          # (start, end) in ``text`` of each word
    sentences: list[tuple[int, int]]      # word index ranges [i, j) of each sentence
    sentence_chars: list[tuple[int, int]]  # (start, end) in ``text`` of each sentence, punctuation included
    text: str


@dataclass
class _Host:
    """Running totals of one host."""

    pages: int = 0
    scored: int = 0
    errors: int = 0
    flagged: int = 0
    score_sum: float = 0.0
    max_score: float | None = None
    scores: list[tuple[float, bool]] = field(default_factory=list)
    reasons: Counter = field(default_factory=Counter)
    texts: list[_PageText] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------------------
# the one entry point

def site_report(scores: str | os.PathLike, output: str | os.PathLike, *, inputs: Iterable[str | os.PathLike] = (),
                html: str | os.PathLike | None = None, fmt: str | None = None, id_field: str = "id",
                text_field: str = "text", html_field: str = "html", url_field: str = "url", ngram: int = 8,
                min_pages: int = 2, min_sentence_words: int = 8, max_templates: int = 20, examples: int = 3,
                top_reasons: int = 5, max_pages_per_host: int = 2000, html_sites: int = 50,
                log: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Write the per-host report of a batch output file to ``output`` (and its HTML view); returns a summary.

    Raises :class:`InputError` (exit 3) when ``scores`` or an input is missing or unreadable, and
    :class:`DataError` (exit 2) for a file that is not batch output, a bad option or an unknown output extension.
    """
    output = Path(output)
    out_fmt = _REPORT_FORMATS.get(output.suffix.lower())
    if out_fmt is None:
        raise DataError(f"{output}: the site report must end in .csv, .jsonl or .parquet")
    html_path = Path(html) if html is not None else output.with_suffix(".html")
    if ngram < 2 or min_pages < 2 or min_sentence_words < 1 or max_templates < 0 or examples < 1:
        raise DataError("--ngram and --min-pages must be at least 2, and the other limits at least 1")
    log = log or (lambda m: None)
    rows = read_scores(scores)
    hosts, matched, unmatched = _roll_up(rows, list(inputs), fmt, id_field, text_field, html_field, url_field,
                                         top_reasons=top_reasons, max_pages_per_host=max_pages_per_host)
    report = []
    for host, h in hosts.items():
        templates, templated = find_templates(h.texts, ngram=ngram, min_pages=min_pages,
                                              min_sentence_words=min_sentence_words, limit=max_templates,
                                              examples=examples)
        report.append(_row(host, h, templates, templated, top_reasons))
    # Sites to act on first: the largest share flagged, then the most flagged pages, then the highest score.
    report.sort(key=lambda r: (-(r["share_flagged"] or 0.0), -r["flagged"], -(r["max_score"] or 0.0), r["host"]))
    write_report(output, report, out_fmt)
    write_html(html_path, report, hosts, scores_name=Path(scores).name, limit=html_sites)
    if inputs and matched == 0:
        log("no input record matched an id in the scores file: templates need the inputs batch read "
            "(and the same --id-field)")
    return {"hosts": len(report), "pages": len(rows), "pages_with_text": matched, "unmatched_inputs": unmatched,
            "hosts_with_templates": sum(1 for r in report if r["templated_pages"]), "output": str(output),
            "html": str(html_path)}


# ---------------------------------------------------------------------------------------------------------------
# reading batch output

def read_scores(path: str | os.PathLike) -> list[dict[str, Any]]:
    """Rows of a batch output file (.jsonl[.gz], .csv[.gz] or .parquet) as dicts with typed values."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such scores file (the output of `seospam batch`)")
    name = p.name.lower()
    try:
        if name.endswith(".parquet"):
            import pyarrow.parquet as pq

            rows = pq.read_table(p).to_pylist()
        elif name.endswith((".jsonl", ".jsonl.gz", ".json", ".json.gz")):
            with (gzip.open(p, "rt", encoding="utf-8") if name.endswith(".gz") else open(p, encoding="utf-8")) as fh:
                rows = []
                for n, line in enumerate(fh, 1):
                    if line.strip():
                        obj = json.loads(line)
                        if not isinstance(obj, dict):
                            raise DataError(f"{p}: line {n} is not a JSON object")
                        rows.append(obj)
        elif name.endswith((".csv", ".csv.gz")):
            with (gzip.open(p, "rt", encoding="utf-8", newline="") if name.endswith(".gz")
                  else open(p, encoding="utf-8", newline="")) as fh:
                _csv_limit()
                rows = [_csv_row(r) for r in csv.DictReader(fh)]
        else:
            raise DataError(f"{p}: a scores file ends in .jsonl, .csv or .parquet (the output of `seospam batch`)")
    except (OSError, EOFError) as e:
        raise InputError(f"{p}: cannot read: {e.strerror if isinstance(e, OSError) and e.strerror else e}") from None
    except (ValueError, UnicodeDecodeError, csv.Error) as e:
        raise DataError(f"{p}: not a readable batch output file: {str(e).splitlines()[0] if str(e) else e}") \
            from None
    except Exception as e:  # pyarrow raises its own kinds for a file that is not Parquet
        if isinstance(e, (DataError, InputError)):
            raise
        raise DataError(f"{p}: not a readable batch output file: {type(e).__name__}: {e}") from None
    if rows:
        missing = {"id", "score"} - set(rows[0])
        if missing:
            raise DataError(f"{p}: not batch output (no {', '.join(sorted(missing))} column); run `seospam batch` "
                            "first and pass its output")
    return rows


def _csv_row(r: dict[str, str]) -> dict[str, Any]:
    """A batch CSV row with its types back: '' is None, 'true'/'false' are booleans, the score a float."""
    out: dict[str, Any] = {k: (None if v == "" else v) for k, v in r.items()}
    for k in ("is_spam", "truncated"):
        if isinstance(out.get(k), str):
            out[k] = out[k].lower() == "true"
    if out.get("score") is not None:
        try:
            out["score"] = float(out["score"])
        except ValueError:
            raise DataError(f"score {out['score']!r} is not a number") from None
    return out


def reason_names(row: dict[str, Any]) -> list[str]:
    """The rule names of a row's top reasons: batch's ``"a:+0.84;b:+0.80"`` string, or a list of objects."""
    value = row.get("top_reasons")
    if value is None:
        value = row.get("reasons")
    if isinstance(value, str):
        s = value.strip()
        if s.startswith("["):
            try:
                value = json.loads(s)
            except ValueError:
                return []
        else:
            return [part.split(":", 1)[0].strip() for part in s.split(";") if part.strip()]
    if isinstance(value, list):
        names = []
        for item in value:
            if isinstance(item, dict):
                name = item.get("feature") or item.get("rule") or item.get("name")
                pts = item.get("points")
                if name and (pts is None or (isinstance(pts, (int, float)) and pts > 0)):
                    names.append(str(name))
            elif isinstance(item, str):
                names.append(item.split(":", 1)[0])
        return names
    return []


def host_of(url: Any) -> str | None:
    """The site a URL belongs to: lower-cased host without a leading ``www.``; None for no usable URL."""
    if not isinstance(url, str) or "://" not in url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") and host.count(".") >= 2 else host


def canonical_url(html: Any) -> str | None:
    """The page's own URL from ``<link rel="canonical">`` or ``<meta property="og:url">`` in its head."""
    if not isinstance(html, str):
        return None
    head = html[:200_000]  # the head is at the top; never scan a huge body
    for pat in _CANONICAL_RE:
        m = pat.search(head)
        if m:
            h = _HREF_RE.search(m.group(0))
            if h:
                url = next(g for g in h.groups() if g is not None)
                if "://" in url:
                    return url
    return None


# ---------------------------------------------------------------------------------------------------------------
# rolling up

def _roll_up(rows: list[dict[str, Any]], inputs: list[str | os.PathLike], fmt: str | None, id_field: str,
             text_field: str, html_field: str, url_field: str, *, top_reasons: int, max_pages_per_host: int
             ) -> tuple[dict[str, _Host], int, int]:
    """Hosts with their totals and page words; (hosts, pages with text, input records with no score row)."""
    from ..readers import iter_records

    # Ids may repeat (the same page in two inputs): each input record takes the next score row with its id.
    by_id: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by_id[str(r.get("id"))].append(i)
    host_of_row: list[str | None] = [host_of(r.get("url")) for r in rows]
    texts: dict[int, _PageText] = {}
    matched = unmatched = 0
    if inputs:
        for rec in iter_records(inputs, fmt, id_field, text_field, html_field, url_field):
            slots = by_id.get(str(rec.get("id")))
            if not slots:
                unmatched += 1
                continue
            i = slots.pop(0)
            if host_of_row[i] is None:
                host_of_row[i] = host_of(rec.get("url")) or host_of(canonical_url(rec.get("html")))
            if rec.get("error") is None:
                pt = _page_text(rec)
                if pt is not None:
                    texts[i] = pt
                    matched += 1
    hosts: dict[str, _Host] = {}
    for i, r in enumerate(rows):
        host = host_of_row[i] or NO_HOST
        h = hosts.setdefault(host, _Host())
        h.pages += 1
        s = r.get("score")
        if r.get("error") is not None or s is None or (isinstance(s, float) and math.isnan(s)):
            h.errors += 1
            continue
        s = float(s)
        spam = bool(r.get("is_spam")) if r.get("is_spam") is not None else r.get("verdict") == "spam"
        h.scored += 1
        h.flagged += spam
        h.score_sum += s
        h.max_score = s if h.max_score is None else max(h.max_score, s)
        h.scores.append((s, spam))
        h.reasons.update(reason_names(r)[:top_reasons])
        if i in texts and len(h.texts) < max_pages_per_host:
            h.texts.append(texts[i])
    return hosts, matched, unmatched


def _page_text(rec: dict[str, Any]) -> _PageText | None:
    """The page's words and sentences, from the same text extraction that scoring uses."""
    from ..inputs.edge import to_page

    try:
        page = to_page(rec)
    except Exception:  # unreadable pages were error rows in batch too
        return None
    spans = list(page.token_spans)
    starts = [s for s, _ in spans]
    sentences, chars = [], []
    for s, e in page.sentences:
        i, j = bisect_left(starts, s), bisect_left(starts, e)
        if j > i:
            sentences.append((i, j))
            chars.append((s, e))
    return _PageText(id=str(rec.get("id")), words=list(page.words), spans=spans, sentences=sentences,
                     sentence_chars=chars, text=page.text)


def _row(host: str, h: _Host, templates: list[dict[str, Any]], templated: int, top_reasons: int) -> dict[str, Any]:
    return {
        "host": host, "pages": h.pages, "scored": h.scored, "errors": h.errors, "flagged": h.flagged,
        "share_flagged": round(h.flagged / h.scored, 4) if h.scored else None,
        "mean_score": round(h.score_sum / h.scored, 6) if h.scored else None,
        "max_score": round(h.max_score, 6) if h.max_score is not None else None,
        # Ties broken by name, so that the same batch always gives the same report.
        "top_reasons": [{"feature": n, "pages": c}
                        for n, c in sorted(h.reasons.items(), key=lambda kv: (-kv[1], kv[0]))[:top_reasons]],
        "pages_with_text": len(h.texts), "templated_pages": templated, "templates": templates,
    }


# ---------------------------------------------------------------------------------------------------------------
# cross-page templates

def find_templates(pages: list[_PageText], *, ngram: int = 8, min_pages: int = 2, min_sentence_words: int = 8,
                   limit: int = 20, examples: int = 3) -> tuple[list[dict[str, Any]], int]:
    """Sentences and word n-gram runs found on at least ``min_pages`` of these pages (one host's).

    Returns (templates, pages that hold at least one). Each template is ``{"kind": "sentence" | "ngram", "text",
    "words", "pages", "examples"}``: ``pages`` counts distinct pages, ``examples`` names the first few. An
    n-gram run is a maximal stretch of consecutive recurring n-grams that recur on the same pages; a run is listed
    only if it holds ``ngram`` words in a row outside the recurring sentences (else it repeats them).
    """
    if len(pages) < min_pages:
        return [], 0
    # Sentences, keyed by their lower-cased words (so punctuation, case and spacing do not hide a copy).
    sent_pages: dict[str, list[int]] = defaultdict(list)
    sent_first: dict[str, tuple[int, int]] = {}
    for pi, p in enumerate(pages):
        seen = set()
        for k, (i, j) in enumerate(p.sentences):
            if j - i < min_sentence_words:
                continue
            key = " ".join(p.words[i:j])
            if key not in seen:
                seen.add(key)
                sent_pages[key].append(pi)
                sent_first.setdefault(key, (pi, k))
    recurring_sent = {k for k, v in sent_pages.items() if len(v) >= min_pages}
    # Word n-grams: pages per n-gram (hashed: a host's text has millions of them, only equality matters here).
    gram_pages: dict[int, list[int]] = defaultdict(list)
    page_grams: list[list[int]] = []
    for pi, p in enumerate(pages):
        grams = [hash(tuple(p.words[k:k + ngram])) for k in range(len(p.words) - ngram + 1)]
        page_grams.append(grams)
        for g in set(grams):
            gram_pages[g].append(pi)
    runs: dict[str, tuple[tuple[int, ...], int, int, int]] = {}
    for pi, (p, grams) in enumerate(zip(pages, page_grams)):
        in_sentence = _recurring_sentence_mask(p, recurring_sent, min_sentence_words)
        k = 0
        while k < len(grams):
            where = gram_pages[grams[k]]
            if len(where) < min_pages or where[0] != pi:
                k += 1  # not recurring, or already found from an earlier page that holds it
                continue
            key = tuple(where)
            end = k
            while end + 1 < len(grams) and tuple(gram_pages[grams[end + 1]]) == key:
                end += 1
            i, j = k, end + ngram
            # A run that only spills a few words past reused sentences says nothing new: it must hold a full
            # n-gram that no reused sentence covers.
            if _longest_false(in_sentence[i:j]) >= ngram:
                runs.setdefault(" ".join(p.words[i:j]), (key, pi, i, j))
            k = end + 1
    templates = []
    for key in recurring_sent:
        pi, k = sent_first[key]
        i, j = pages[pi].sentences[k]
        cs, ce = pages[pi].sentence_chars[k]
        templates.append(_template("sentence", pages, sent_pages[key], pi, i, j, examples, chars=(cs, ce)))
    for key, pi, i, j in runs.values():
        templates.append(_template("ngram", pages, list(key), pi, i, j, examples))
    templated = set()
    for key in recurring_sent:
        templated.update(sent_pages[key])
    for key, *_ in runs.values():
        templated.update(key)
    # Most pages first, then the longest, then alphabetical: a stable order.
    templates.sort(key=lambda t: (-t["pages"], -t["words"], t["kind"], t["text"]))
    return templates[:limit], len(templated)


def _recurring_sentence_mask(p: _PageText, recurring: set[str], min_words: int) -> list[bool]:
    mask = [False] * len(p.words)
    for i, j in p.sentences:
        if j - i >= min_words and " ".join(p.words[i:j]) in recurring:
            mask[i:j] = [True] * (j - i)
    return mask


def _longest_false(mask: list[bool]) -> int:
    best = cur = 0
    for m in mask:
        cur = 0 if m else cur + 1
        best = max(best, cur)
    return best


def _template(kind: str, pages: list[_PageText], where: list[int], pi: int, i: int, j: int, examples: int,
              chars: tuple[int, int] | None = None) -> dict[str, Any]:
    p = pages[pi]
    start, end = chars or (p.spans[i][0], p.spans[j - 1][1])
    # The text as the first page has it (case and punctuation kept), with its whitespace collapsed.
    text = " ".join(p.text[start:end].split())
    return {"kind": kind, "text": text, "words": j - i, "pages": len(where),
            "examples": [pages[w].id for w in where[:examples]]}


# ---------------------------------------------------------------------------------------------------------------
# writing

def _cell(v: Any) -> Any:
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    return v


def write_report(path: str | os.PathLike, report: list[dict[str, Any]], fmt: str) -> None:
    """Write the per-host rows (lists as JSON text in CSV and Parquet, as JSON in JSONL), atomically."""
    from ..atomic import atomic_write_bytes

    if fmt == "jsonl":
        data = "".join(json.dumps({c: r[c] for c in SITE_COLUMNS}, ensure_ascii=False) + "\n" for r in report)
        atomic_write_bytes(path, data.encode("utf-8"))
    elif fmt == "csv":
        buf = io.StringIO(newline="")
        w = csv.writer(buf)
        w.writerow(SITE_COLUMNS)
        for r in report:
            w.writerow(["" if r[c] is None else _cell(r[c]) for c in SITE_COLUMNS])
        atomic_write_bytes(path, buf.getvalue().encode("utf-8"))
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        ints = {"pages", "scored", "errors", "flagged", "pages_with_text", "templated_pages"}
        floats = {"share_flagged", "mean_score", "max_score"}
        schema = pa.schema([(c, pa.int64() if c in ints else pa.float64() if c in floats else pa.string())
                            for c in SITE_COLUMNS])
        table = pa.Table.from_pylist([{c: _cell(r[c]) for c in SITE_COLUMNS} for r in report], schema=schema)
        sink = io.BytesIO()
        pq.write_table(table, sink)
        atomic_write_bytes(path, sink.getvalue())


def _chart(scores: list[tuple[float, bool]], host: str) -> str:
    """A histogram of one host's page scores (flagged pages in red), as a PNG data URI."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    bins = [b / 20 for b in range(21)]
    fig, ax = plt.subplots(figsize=(4.2, 1.9), dpi=90)
    try:
        ax.hist([[s for s, f in scores if not f], [s for s, f in scores if f]], bins=bins, stacked=True,
                color=["#7f8c8d", "#c0392b"], label=["not flagged", "flagged"])
        ax.set_xlim(0, 1)
        ax.set_xlabel("score")
        ax.set_ylabel("pages")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.legend(fontsize=7, frameon=False, loc="upper center")
        ax.tick_params(labelsize=7)
        ax.set_title(host if len(host) <= 48 else host[:45] + "...", fontsize=8)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", bbox_inches="tight")
    finally:
        plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


_CSS = """body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin:0 0 .3em}
.site{border:1px solid #ddd;border-radius:6px;padding:1em;margin:1em 0;display:grid;
grid-template-columns:minmax(0,1fr) auto;gap:1em}
.stats td{padding:0 .8em 0 0}.flag{color:#c0392b;font-weight:600}
table.t{border-collapse:collapse;width:100%;font-size:.92em}table.t td,table.t th{border-top:1px solid #eee;
padding:.25em .4em;text-align:left;vertical-align:top}.num{text-align:right;white-space:nowrap}
.kind{color:#666;font-size:.85em}.ex{color:#555;font-size:.85em;word-break:break-all}img{max-width:100%}
.muted{color:#777}"""


def render_html(report: list[dict[str, Any]], hosts: dict[str, _Host], *, scores_name: str, limit: int) -> str:
    """The HTML view: a summary table of every host, then a section with a chart per host (the first ``limit``)."""
    parts = [f"<h1>seospam sites: {escape(scores_name)}</h1>",
             f'<p class="muted">{len(report)} hosts, {sum(r["pages"] for r in report)} pages; sorted by share '
             f"flagged. Templates are sentences or word runs found on several pages of one host.</p>",
             '<table class="t"><tr><th>host</th><th class="num">pages</th><th class="num">flagged</th>'
             '<th class="num">mean</th><th class="num">max</th><th class="num">templated pages</th></tr>']
    for k, r in enumerate(report):
        anchor = f'<a href="#s{k}">{escape(r["host"])}</a>' if k < limit else escape(r["host"])
        parts.append(f'<tr><td>{anchor}</td><td class="num">{r["pages"]}</td><td class="num">{r["flagged"]} '
                     f'({_pct(r["share_flagged"])})</td><td class="num">{_num(r["mean_score"])}</td>'
                     f'<td class="num">{_num(r["max_score"])}</td><td class="num">{r["templated_pages"]}</td></tr>')
    parts.append("</table>")
    for k, r in enumerate(report[:limit]):
        h = hosts[r["host"]]
        chart = (f'<img alt="score histogram of {escape(r["host"])}" src="{_chart(h.scores, r["host"])}">'
                 if h.scores else '<p class="muted">no scored pages</p>')
        reasons = ", ".join(f'{escape(x["feature"])} ({x["pages"]})' for x in r["top_reasons"]) or "none"
        flag = ' class="flag"' if r["flagged"] else ""
        parts.append(
            f'<section class="site" id="s{k}"><div><h2>{escape(r["host"])}</h2>'
            f'<table class="stats"><tr><td>pages</td><td>{r["pages"]} ({r["errors"]} not scored)</td></tr>'
            f'<tr><td>flagged</td><td{flag}>{r["flagged"]} ({_pct(r["share_flagged"])})</td></tr>'
            f'<tr><td>score</td><td>mean {_num(r["mean_score"])}, max {_num(r["max_score"])}</td></tr>'
            f"<tr><td>top reasons</td><td>{reasons}</td></tr></table>{_templates_html(r)}</div>"
            f"<div>{chart}</div></section>")
    if len(report) > limit:
        parts.append(f'<p class="muted">{len(report) - limit} more hosts are in the report file, without charts '
                     f"(--html-sites raises the limit).</p>")
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>seospam sites: {escape(scores_name)}</title>\n<style>\n{_CSS}\n</style>\n</head>\n<body>\n"
            + "\n".join(parts) + "\n</body>\n</html>\n")


def _templates_html(r: dict[str, Any]) -> str:
    if not r["templates"]:
        if not r["pages_with_text"]:
            return '<p class="muted">No page text (pass the batch inputs with --inputs to find templates).</p>'
        return '<p class="muted">No text recurs across its pages.</p>'
    rows = "".join(f'<tr><td><span class="kind">{t["kind"]}</span> {escape(t["text"])}</td>'
                   f'<td class="num">{t["pages"]} pages</td>'
                   f'<td class="ex">{escape(", ".join(t["examples"]))}</td></tr>' for t in r["templates"])
    return (f'<p>Reused on {r["templated_pages"]} of {r["pages_with_text"]} pages read:</p>'
            f'<table class="t"><tr><th>template</th><th class="num">on</th><th>e.g.</th></tr>{rows}</table>')


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{100 * v:.0f}%"


def _num(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.3f}"


def write_html(path: str | os.PathLike, report: list[dict[str, Any]], hosts: dict[str, _Host], *,
               scores_name: str, limit: int = 50) -> None:
    """Write the HTML view atomically."""
    from ..atomic import atomic_write_bytes

    atomic_write_bytes(path, render_html(report, hosts, scores_name=scores_name, limit=limit).encode("utf-8"))


def iter_site_rows(path: str | os.PathLike) -> Iterator[dict[str, Any]]:
    """Read a site report back (CSV or JSONL), with its JSON cells decoded: for scripts and tests."""
    p = Path(path)
    if p.suffix.lower() == ".jsonl":
        with open(p, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)
        return
    with open(p, encoding="utf-8", newline="") as fh:
        _csv_limit()
        for r in csv.DictReader(fh):
            out: dict[str, Any] = dict(r)
            for c in ("top_reasons", "templates"):
                out[c] = json.loads(r[c]) if r[c] else []
            for c in ("pages", "scored", "errors", "flagged", "pages_with_text", "templated_pages"):
                out[c] = int(r[c])
            for c in ("share_flagged", "mean_score", "max_score"):
                out[c] = float(r[c]) if r[c] else None
            yield out


def _csv_limit() -> None:
    # The csv module's field limit is process-wide, and the batch readers set it to their record cap; set it here
    # too, so that a long templates or reasons cell reads the same whatever ran before in this process.
    from ..inputs.files import MAX_PAGE_BYTES

    csv.field_size_limit(max(MAX_PAGE_BYTES, 131072))
