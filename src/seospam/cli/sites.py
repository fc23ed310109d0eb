"""The ``sites`` command (implemented in seospam.sites), registered on ``seospam.cli.app`` by cli.py."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..errors import ExitCode
from ._common import fail, run


def sites(
    scores: Path = typer.Argument(..., metavar="SCORES", help="Output of `seospam batch` (.jsonl, .csv or .parquet)."),
    inputs: List[Path] = typer.Option([], "--inputs", help="The inputs that batch read (repeatable), for the page "
                                      "text: needed to find templates."),
    output: Path = typer.Option(..., "-o", "--output", help="Site report: .csv, .jsonl or .parquet, one row per "
                                                             "host (list cells hold JSON)."),
    html: Optional[Path] = typer.Option(None, "--html", help="HTML view with a chart per site (default: OUTPUT "
                                                            "with .html)."),
    ngram: int = typer.Option(8, "--ngram", help="Words in the n-grams that templates are found from."),
    min_pages: int = typer.Option(2, "--min-pages", help="Pages of one host a template must be on."),
    min_sentence_words: int = typer.Option(8, "--min-sentence-words", help="Shorter sentences are not templates."),
    max_templates: int = typer.Option(20, "--max-templates", help="Templates listed per host, most pages first."),
    html_sites: int = typer.Option(50, "--html-sites", help="Hosts given a chart in the HTML view."),
    fmt: Optional[str] = typer.Option(None, "--format", help="Read every input as this format (as in batch)."),
    id_field: str = typer.Option("id", "--id-field", help="Input field with the record id (as in batch)."),
    text_field: str = typer.Option("text", "--text-field", help="Input field with plain text."),
    html_field: str = typer.Option("html", "--html-field", help="Input field with HTML."),
    url_field: str = typer.Option("url", "--url-field", help="Input field with the page URL."),
) -> None:
    """Roll batch output up by site: pages, share flagged, scores, top reasons, and text reused across pages.

    Example: seospam sites scores.csv --inputs crawl/ -o sites.csv

    Exit codes: 0 report written, 2 usage or data error (SCORES is not batch output, bad option or output
    name), 3 SCORES or an input does not exist or cannot be read, 5 the report could not be written.
    """
    from ..apps.sites import site_report

    def go() -> dict:
        try:
            return site_report(scores, output, inputs=inputs, html=html, fmt=fmt, id_field=id_field,
                               text_field=text_field, html_field=html_field, url_field=url_field, ngram=ngram,
                               min_pages=min_pages, min_sentence_words=min_sentence_words,
                               max_templates=max_templates, html_sites=html_sites,
                               log=lambda m: typer.echo(f"seospam: {m}", err=True))
        except OSError as e:  # the report could not be written (folder missing, disk full, no permission)
            fail(f"cannot write the site report: {e.strerror or e}: {e.filename or output}", ExitCode.OUTPUT)

    s = run(go)
    reuse = s["hosts_with_templates"]
    typer.echo(f"seospam: {s['pages']:,} pages on {s['hosts']:,} hosts ({s['pages_with_text']:,} with text; "
               f"{reuse:,} {'host reuses' if reuse == 1 else 'hosts reuse'} text across pages) -> {s['output']}, "
               f"{s['html']}", err=True)
