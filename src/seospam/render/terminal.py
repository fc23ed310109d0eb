"""Terminal output (rich): feature tables, SpamAssassin-style score tables, evaluation tables."""

from __future__ import annotations

import math
from typing import Any

from ..features import FeatureSet, describe
from ..inputs.page import Page


def _console():
    from rich.console import Console

    return Console()


def _snippet(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def print_features(fs: FeatureSet, page: Page) -> None:
    """Every feature with its value, description and first evidence snippet."""
    from rich.table import Table

    table = Table(title=f"features ({len(fs.values)})", show_lines=False)
    table.add_column("feature", style="cyan", no_wrap=True)
    table.add_column("value", justify="right")
    table.add_column("description")
    table.add_column("evidence")
    for name, value in fs.values.items():
        spans = fs.evidence.get(name, [])
        ev = "; ".join(_snippet(page.text[s:e], 40) for s, e in spans[:2])
        if len(spans) > 2:
            ev += f" (+{len(spans) - 2})"
        table.add_row(name, "-" if math.isnan(value) else f"{value:.4g}", describe(name), ev)
    _console().print(table)


def print_feature_list(features: list) -> None:
    """What every declared feature is: version, parameters with their sources, source and description."""
    from rich.table import Table

    table = Table(title=f"features ({len(features)})", show_lines=True)
    table.add_column("feature", style="cyan", no_wrap=True)
    table.add_column("v", justify="right")
    table.add_column("description and source")
    table.add_column("parameters")
    for f in features:
        params = "\n".join(f"{k}={v}: {f.param_sources[k]}" for k, v in f.params.items()) or "-"
        table.add_row(f.name, str(f.version), f"{f.description}\n[dim]{f.source}[/]", params)
    _console().print(table)


def print_score(res: Any) -> None:
    """Score, verdict and reasons in SpamAssassin's style: points, rule, description, evidence."""
    from rich.table import Table

    con = _console()
    colour = {"spam": "bold red", "suspicious": "bold yellow", "ok": "bold green"}[res.verdict]
    rules = ",".join(r["feature"] for r in res.reasons) or "none"
    con.print(f"[{colour}]{res.verdict.upper()}[/]  score={res.score:.3f}, required={res.threshold:.3f}, "
              f"tests={rules}", highlight=False)
    con.print(f"log-odds {_logit(res.score):+.2f} = base {res.base:+.2f} + the points below", style="dim",
              highlight=False)
    if res.truncated:
        con.print("[yellow]note: the page was truncated to the size cap before scoring[/]")
    if not res.reasons:
        con.print("no rule moved this page's score by 0.05 points or more.")
        return
    table = Table(show_lines=False)
    table.add_column("pts", justify="right")
    table.add_column("rule name", style="cyan", no_wrap=True)
    table.add_column("description")
    table.add_column("evidence")
    for r in res.reasons:
        ev = "; ".join(f"“{_snippet(e['text'], 50)}”" for e in r["evidence"][:2])
        if len(r["evidence"]) > 2:
            ev += f" (+{len(r['evidence']) - 2} more)"
        table.add_row(f"{r['points']:+.2f}", r["feature"], r["description"], ev)
    con.print(table)
    con.print(f"model: {res.model['name']} ({res.model['sha256'][:12]})", style="dim")


def _logit(p: float) -> float:
    p = min(max(p, 1e-12), 1 - 1e-12)
    return math.log(p / (1 - p))


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return "-" if math.isnan(v) else f"{v:.3f}"
    return str(v)


def print_table(rows: list[dict[str, Any]], title: str) -> None:
    """A list of dicts as a rich table."""
    from rich.table import Table

    if not rows:
        return
    table = Table(title=title)
    for k in rows[0]:
        table.add_column(k, justify="left" if k in ("source", "group") else "right")
    for r in rows:
        table.add_row(*(_fmt(v) for v in r.values()))
    _console().print(table)


def print_evaluation(result: dict[str, Any]) -> None:
    """Overall metrics and the per-source table of an evaluation."""
    s = result["summary"]
    con = _console()
    con.print(f"[bold]{result['model']}[/] on {s['n']} pages ({s['spam']} spam, {s['not_spam']} not spam); "
              f"threshold {result['threshold']:.4f}")
    con.print(f"ROC-AUC {_fmt(s['roc_auc'])}  PR-AUC {_fmt(s['pr_auc'])}  recall@1%FPR "
              f"{_fmt(s['recall_at_1pct_fpr'])}  |  at threshold: precision {_fmt(s['precision'])}  "
              f"recall {_fmt(s['recall'])}  FPR {_fmt(s['fpr'])}", highlight=False)
    c, cal = result.get("confusion"), result.get("calibration")
    if c:
        con.print(f"confusion at the threshold: {c['tp']} spam flagged, {c['fn']} spam missed, {c['fp']} honest "
                  f"flagged, {c['tn']} honest passed", highlight=False)
    if cal:
        con.print(f"Brier {_fmt(cal['brier'])}  calibration error (ECE, 10 bins) {_fmt(cal['ece'])}",
                  highlight=False)
    if result.get("errors"):
        con.print(f"[yellow]{len(result['errors'])} records could not be read and were not scored[/]")
    if result.get("sweep") is not None:
        print_table(result["sweep"].to_dict("records"), "threshold sweep")
    print_table(result["per_source"].to_dict("records"), "per source")
    if result.get("report"):
        con.print(f"report: {result['report']}")


def print_cross_validation(cv: dict[str, Any]) -> None:
    """Pooled out-of-fold metrics per model, then the stacked model per writer, genre and layout."""
    rows = [{"model": name, **{k: v for k, v in m.items() if k in ("roc_auc", "pr_auc", "recall_at_1pct_fpr")}}
            for name, m in cv["pooled"].items()]
    print_table(rows, f"out-of-fold, {cv['description']}, pooled")
    for key, title in (("per_writer", "per writer (recall and FPR at a threshold chosen on the other writers)"),
                       ("per_genre", "per genre"), ("per_layout", "per layout")):
        print_table(cv[key], title)
