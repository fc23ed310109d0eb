"""The ``batch`` command (implemented in seospam.batch), registered on ``seospam.cli.app`` by cli.py."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..errors import ExitCode
from ._common import MAX_FPR_HELP, OPERATING_POINT_HELP, THRESHOLD_HELP, run


def batch(
    inputs: List[Path] = typer.Argument(..., metavar="INPUT", help="JSONL(.gz), CSV, Parquet files or folders, "
                                        "folders of .html/.htm/.txt pages, WARC(.gz) or WET(.gz) files."),
    output: Path = typer.Option(..., "-o", "--output", help="Output file: .jsonl, .jsonl.gz, .csv or .parquet; "
                                "- writes JSON Lines to stdout once every record is scored."),
    workers: Optional[int] = typer.Option(None, "--workers", help="Worker processes (default: all cores)."),
    resume: bool = typer.Option(False, "--resume", help="Finish an interrupted run into the same OUTPUT."),
    engine: str = typer.Option("local", "--engine", help="local (process pool) or dask."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler ADDRESS (default: a local "
                                            "cluster of --workers processes)."),
    model: Optional[Path] = typer.Option(None, "--model", help="Model file (default: the bundled model)."),
    trust_pickle: bool = typer.Option(False, "--trust-pickle", help="Allow a pickle (joblib) model file: it can run "
                                      "code when loaded, so only for files you trust."),
    features: bool = typer.Option(False, "--features", help="Add every feature value as a column."),
    fmt: Optional[str] = typer.Option(None, "--format", help="Read every input as this format: jsonl, csv, "
                                      "parquet, html, text, warc or wet (default: from the extension)."),
    id_field: str = typer.Option("id", "--id-field", help="Input field with the record id."),
    text_field: str = typer.Option("text", "--text-field", help="Input field with plain text."),
    html_field: str = typer.Option("html", "--html-field", help="Input field with HTML."),
    url_field: str = typer.Option("url", "--url-field", help="Input field with the page URL."),
    threshold: Optional[float] = typer.Option(None, "--threshold", help=THRESHOLD_HELP),
    max_fpr: Optional[float] = typer.Option(None, "--max-fpr", help=MAX_FPR_HELP),
    operating_point: Optional[str] = typer.Option(None, "--operating-point", help=OPERATING_POINT_HELP),
) -> None:
    """Score many pages from files into one .jsonl, .csv or .parquet file: one row per input record.

    Example: seospam batch crawl/*.warc.gz pages.jsonl -o scores.parquet --workers 8

    Example: seospam batch crawl/ -o scores.jsonl --operating-point filter

    Example: seospam batch pages.jsonl -o - | jq -c 'select(.is_spam)'

    Exit codes: 0 every record scored, 1 some records errored (see the error column), 2 usage error,
    3 an input path does not exist, 4 model missing, corrupt, a pickle without --trust-pickle, or mismatched,
    5 the output could not be written (finished rows stay in OUTPUT.partial.jsonl: fix it and rerun with
    --resume) or another run is writing OUTPUT (it holds OUTPUT.lock).
    """
    import sys

    from ..engines.batch import run_batch, run_batch_to_stream
    from ..model.persist import load_model

    if trust_pickle:
        model = run(lambda: load_model(model, trust_pickle=True))
    kw = dict(workers=workers, resume=resume, engine=engine, scheduler=scheduler, model=model, features=features,
              fmt=fmt, id_field=id_field, text_field=text_field, html_field=html_field, url_field=url_field,
              threshold=threshold, max_fpr=max_fpr, operating_point=operating_point, log=lambda m: typer.echo(f"seospam: {m}", err=True))
    if str(output) == "-":
        summary = run(lambda: run_batch_to_stream(inputs, sys.stdout.buffer, **kw))
    else:
        summary = run(lambda: run_batch(inputs, output, **kw))
    typer.echo(summary_line(summary), err=True)
    if summary["errors"]:
        raise typer.Exit(ExitCode.ERRORS)


def summary_line(s: dict) -> str:
    """One line: records, flagged, errors, speed, where the output went."""
    skipped = "".join(f", skipped {n:,} ({why})" for why, n in sorted(s.get("skipped", {}).items()))
    resumed = f" ({s['resumed_from']:,} from the interrupted run)" if s.get("resumed_from") else ""
    return (f"seospam: {s['records']:,} records{resumed}: {s['scored']:,} scored, {s['flagged']:,} flagged as spam, "
            f"{s['errors']:,} errors{skipped}; {s['seconds']:.1f} s, {s['pages_per_second']:,.1f} pages/s "
            f"-> {s['output']}")
