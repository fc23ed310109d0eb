"""The command line: thin typer commands, each calling one library function.

Exit codes: 0 done; 1 spam found with --fail-on-spam (score) or some records errored (batch); 2 usage or data error;
3 input could not be read or fetched; 4 model file missing, corrupt, a pickle without --trust-pickle, or not matching
its card; 5 the output could not be written (or another batch run holds its lock).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, List, Optional

import typer

from ..errors import ExitCode
from ._common import (EXIT_CODES_HELP, MAX_FPR_HELP, OPERATING_POINT_HELP, THRESHOLD_HELP,  # noqa: F401
                      fail, run)

app = typer.Typer(
    name="seospam",
    help="Find auto-generated promotional health content (SEO spam) in web pages, with reasons you can check.\n\n"
         + EXIT_CODES_HELP,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"seospam {__version__}")
        raise typer.Exit(ExitCode.OK)


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    """Find auto-generated promotional health content (SEO spam) in web pages, with reasons you can check."""


def _stdin_or_path(target: str) -> Any:
    if target == "-":
        return sys.stdin.buffer.read()
    from ..inputs.edge import is_url

    return target if is_url(target) else Path(target)


@app.command()
def features(
    target: Optional[str] = typer.Argument(None, help="A .txt or .html file, or - for stdin."),
    as_json: bool = typer.Option(False, "--json", help="Print {\"features\": ..., \"evidence\": ...} as JSON."),
    list_: bool = typer.Option(False, "--list", help="List every feature: version, parameters and their sources, "
                                                     "source and description (no page needed)."),
) -> None:
    """Print every feature of one page, with the evidence that made it fire; or, with --list, what each one is.

    Example: seospam features page.html --json | jq .features

    Example: seospam features --list
    """
    from ..features import extract, features as declared
    from ..inputs.edge import to_page

    if list_:
        if as_json:
            typer.echo(json.dumps({f.name: {"version": f.version, "description": f.description, "source": f.source,
                                            "params": {k: {"value": v, "source": f.param_sources[k]}
                                                       for k, v in f.params.items()}}
                                   for f in declared()}, ensure_ascii=False, indent=2))
            return
        from ..render.terminal import print_feature_list

        print_feature_list(declared())
        return
    if target is None:
        fail("give a page (a file, or - for stdin), or --list", ExitCode.USAGE)

    page = run(lambda: to_page(_stdin_or_path(target)))
    fs = extract(page)
    if as_json:
        values = {k: (v if v == v else None) for k, v in fs.values.items()}  # NaN (input absent) is null
        typer.echo(json.dumps({"features": values, "evidence": fs.evidence_json(page.text)}, ensure_ascii=False))
        return
    from ..render.terminal import print_features

    print_features(fs, page)


@app.command()
def score(
    target: str = typer.Argument(..., help="An http(s) URL, a .txt/.html/.htm file, or - for stdin."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    html: Optional[Path] = typer.Option(None, "--html", help="Write a self-contained HTML report here."),
    model: Optional[Path] = typer.Option(None, "--model", help="Model file (default: the bundled model)."),
    trust_pickle: bool = typer.Option(False, "--trust-pickle", help="Allow a pickle (joblib) model file: it can run "
                                      "code when loaded, so only for files you trust."),
    fail_on_spam: bool = typer.Option(False, "--fail-on-spam", help="Exit 1 if the page is spam."),
    ignore_robots: bool = typer.Option(False, "--ignore-robots",
                                       help="Skip robots.txt (only for sites you run yourself)."),
    timeout: float = typer.Option(10.0, "--timeout", help="Connect and read timeout for a URL, in seconds "
                                                          "(the whole fetch, robots.txt, redirects and slow "
                                                          "headers included, gets at most 3 times this)."),
    threshold: Optional[float] = typer.Option(None, "--threshold", help=THRESHOLD_HELP),
    max_fpr: Optional[float] = typer.Option(None, "--max-fpr", help=MAX_FPR_HELP),
    operating_point: Optional[str] = typer.Option(None, "--operating-point", help=OPERATING_POINT_HELP),
) -> None:
    """Score one URL, file or stdin page, and show why it scored as it did.

    Example: seospam score https://example.com/kratom-guide --html report.html

    Example: seospam score page.html --json --max-fpr 0.001

    Exit codes: 0 scored, 1 spam with --fail-on-spam, 2 usage error, 3 input unreadable or unfetchable,
    4 model missing, corrupt, a pickle without --trust-pickle, or mismatched, 5 the --html report not writable.
    """
    # One page is one row: OpenMP threads in the boosted trees' predict only add start-up and spin-wait cost
    # (seconds on a busy 2-core machine). libgomp reads this when scikit-learn is first imported, just below.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from ..inputs.edge import is_url, to_page

    fetcher = None
    if is_url(target):
        from ..inputs.fetch import check_url, Fetcher

        run(lambda: check_url(target))  # ftp://... is an unsupported URL (exit 3), not a missing file
        fetcher = Fetcher(respect_robots=not ignore_robots, timeout=timeout)
    # Read or fetch before loading the model, so a bad target fails fast without importing scikit-learn.
    page = run(lambda: to_page(_stdin_or_path(target), fetcher=fetcher))
    from ..model.scoring import score_result

    from ..model.persist import load_model

    loaded = run(lambda: load_model(model, trust_pickle=trust_pickle).at(
        threshold=threshold, max_fpr=max_fpr, operating_point=operating_point))
    res = run(lambda: score_result(page, model=loaded))
    res.target = target
    if html is not None:
        from ..render.report_html import write_score_report

        run(lambda: write_score_report(res, html))  # an unwritable report is an OutputError: exit 5
    if as_json:
        typer.echo(json.dumps(res.to_dict(), ensure_ascii=False))
    else:
        from ..render.terminal import print_score

        print_score(res)
    if fail_on_spam and res.is_spam:
        raise typer.Exit(ExitCode.FLAGGED)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on. The server fetches any URL a "
                                                        "client names, so keep it local or put it behind a proxy."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on (0: any free port, printed on stderr)."),
    model: Optional[Path] = typer.Option(None, "--model", help="Model file (default: the bundled model)."),
    trust_pickle: bool = typer.Option(False, "--trust-pickle", help="Allow a pickle (joblib) model file: it can run "
                                      "code when loaded, so only for files you trust."),
    max_body: int = typer.Option(5 * 1024 * 1024, "--max-body", help="Largest request body, in bytes (413 above)."),
    max_batch: int = typer.Option(64, "--max-batch", help="Most records in one /v1/batch request (413 above)."),
    deadline: float = typer.Option(30.0, "--deadline", help="Seconds a request may take, fetch included (504)."),
    max_concurrent: int = typer.Option(32, "--max-concurrent", help="Requests in progress at once; one more gets "
                                                                    "503."),
    workers: int = typer.Option(2, "--workers", help="Threads that score pages (scoring holds the GIL, so more "
                                                     "than the cores only share them)."),
    fetch_timeout: float = typer.Option(10.0, "--fetch-timeout", help="Connect and read timeout for a URL, in "
                                                                      "seconds."),
    no_fetch: bool = typer.Option(False, "--no-fetch", help="Refuse URLs (400): score only pages sent as text or "
                                                            "html."),
    threshold: Optional[float] = typer.Option(None, "--threshold", help=THRESHOLD_HELP + " A request's own "
                                              "\"threshold\" still wins."),
    max_fpr: Optional[float] = typer.Option(None, "--max-fpr", help=MAX_FPR_HELP),
    operating_point: Optional[str] = typer.Option(None, "--operating-point", help=OPERATING_POINT_HELP),
) -> None:
    """Serve the JSON API (POST /v1/score, POST /v1/batch, GET /healthz) and a review page at / .

    Example: seospam serve --port 8000, then curl -s localhost:8000/v1/score -H 'Content-Type: application/json'
    -d '{"text": "..."}'

    Needs the serve extra: pip install "seospam[serve]". Exit codes: 2 usage error or the port cannot be had,
    4 model missing or mismatched.
    """
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # one page per call, as in `score`: OpenMP threads only cost
    try:
        from ..apps.serve import serve as serve_fn
    except ImportError as e:
        fail(f"seospam serve needs the serve extra (pip install \"seospam[serve]\"): {e}", ExitCode.USAGE)
    from ..model.persist import load_model

    loaded = run(lambda: load_model(model, trust_pickle=trust_pickle).at(
        threshold=threshold, max_fpr=max_fpr, operating_point=operating_point))
    try:
        run(lambda: serve_fn(loaded, host=host, port=port, max_body=max_body, max_batch=max_batch,
                             deadline=deadline, max_concurrent=max_concurrent, workers=workers,
                             fetch_timeout=fetch_timeout, fetch_urls=not no_fetch))
    except ValueError as e:
        fail(str(e), ExitCode.USAGE)
    except OSError as e:
        fail(f"cannot listen on {host}:{port}: {e.strerror or e}", ExitCode.USAGE)


@app.command()
def train(
    data: List[Path] = typer.Argument(..., help="Labelled JSONL/CSV/Parquet files or folders of them."),
    output: Path = typer.Option(..., "-o", "--output", help="Where to write the model (.npz: numpy arrays, no "
                                                             "pickle); its card goes beside it (.json)."),
    positives: List[Path] = typer.Option([], "--positives", help="Folder of .txt/.html pages that are all spam "
                                                                 "(repeatable), e.g. ../shared/seeds."),
    jobs: int = typer.Option(-1, "--jobs", help="Parallel workers for feature extraction (-1: all cores)."),
    seed: int = typer.Option(0, "--seed", help="Random seed (training is deterministic for a given seed)."),
) -> None:
    """Train a model on labelled pages (every page also in four other layouts), cross-validated by writer.

    Example: seospam train data/ ../shared/corpora/ --positives ../shared/seeds -o models/default.npz

    Labelled files need a `label` column (1 spam, 0 not) and `text` or `html`. Each file is one writer (or
    source): cross-validation never tests on a file it trained on. `source` (or `group`) names the site.
    """
    from ..progress import phase_progress
    from ..model.train import train as train_fn

    with phase_progress() as progress:
        card = run(lambda: train_fn(data, output, positives=positives, n_jobs=jobs, random_state=seed,
                                    progress=progress, log=lambda m: typer.echo(m, err=True)))
    oof = card["grouped_cv"]["pooled"]
    typer.echo(f"wrote {output} (threshold {card['threshold']:.4f}); cross-validated by writer: "
               f"ROC-AUC {oof['roc_auc']}, recall@1%FPR {oof['recall_at_1pct_fpr']}, FPR {oof['fpr']}")


@app.command()
def evaluate(
    data: List[Path] = typer.Argument(..., help="Labelled JSONL/CSV/Parquet files or folders of them."),
    model: Optional[Path] = typer.Option(None, "--model", help="Model file (default: the bundled model)."),
    report: Optional[Path] = typer.Option(None, "--report", help="Folder for PNG plots and index.html."),
    positives: List[Path] = typer.Option([], "--positives", help="Folder of pages that are all spam (repeatable)."),
    as_json: bool = typer.Option(False, "--json", help="Print the metrics as JSON."),
    cross_validate: Optional[str] = typer.Option(
        None, "--cross-validate", help="Instead of a saved model, cross-validate on DATA (every page in every "
                                       "layout): 'lowo' (leave one writer, i.e. data file, out), 'group5' "
                                       "(GroupKFold by writer) or 'loso' (leave one site out); compares the "
                                       "stacked model with its feature part and the TF-IDF baseline."),
) -> None:
    """Evaluate a model on labelled data: AUCs, recall at 1% FPR, metrics at its threshold, per source.

    Example: seospam evaluate my_labels.csv --report eval_report/

    Example: seospam evaluate data/ ../shared/corpora/ --positives ../shared/seeds --cross-validate lowo
    """
    from ..render.terminal import print_cross_validation, print_evaluation

    if cross_validate is not None:
        if cross_validate not in ("lowo", "group5", "loso"):
            fail("--cross-validate takes 'lowo', 'group5' or 'loso'", ExitCode.USAGE)
        from ..model.evaluate import cross_validate as cv_fn
        from ..progress import phase_progress

        with phase_progress() as progress:
            cv = run(lambda: cv_fn(data, positives=positives, scheme=cross_validate, progress=progress,
                                   report_dir=report))
        if as_json:
            from ..model.evaluate import _jsonable

            typer.echo(json.dumps(_jsonable({k: v for k, v in cv.items() if k != "scores"}), allow_nan=False))
        else:
            print_cross_validation(cv)
        return
    from ..model.evaluate import evaluate as evaluate_fn
    from ..progress import phase_progress

    with phase_progress() as progress:
        result = run(lambda: evaluate_fn(data, model=model, positives=positives, report_dir=report,
                                         progress=progress))
    if as_json:
        typer.echo(json.dumps(result["json"], ensure_ascii=False))
    else:
        print_evaluation(result)


# batch and sites live in their own modules, which import nothing from this one (no import circle); registered
# here, so that `from seospam.cli import app` has every command.
from .batch import batch  # noqa: E402
from .sites import sites  # noqa: E402

app.command()(batch)
app.command()(sites)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
