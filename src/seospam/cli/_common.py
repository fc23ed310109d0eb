"""What every command module shares: the one-line error path, exit-code help and the operating-point help.

Command modules (cli.py, batch_cli.py, sites_cli.py) import from here, never from each other.
"""

from __future__ import annotations

from typing import Any, Callable

import typer

from ..errors import EXIT_MEANINGS, ExitCode, SeospamError

EXIT_CODES_HELP = "Exit codes: " + ", ".join(f"{int(c)} {m}" for c, m in EXIT_MEANINGS.items()) + "."

#: Help of the operating-point options, shared by score and batch (and serve).
THRESHOLD_HELP = "Call a page spam at or above this score (default: the model card's threshold, 1 % FPR)."
MAX_FPR_HELP = ("Pick the threshold from the card's out-of-fold FPR table, e.g. 0.001 for a crawl filter "
                "(0.1 % of honest pages flagged).")
OPERATING_POINT_HELP = "A named operating point from the model card: 'filter' (0.1 % FPR) or 'review' (1 % FPR)."


def fail(message: str, code: int) -> None:
    """Print a one-line error to stderr and exit with ``code``."""
    typer.echo(f"seospam: error: {message}", err=True)
    raise typer.Exit(code)


def run(fn: Callable[[], Any]) -> Any:
    """Run a library call, turning expected failures into one line and an exit code (no traceback)."""
    try:
        return fn()
    except SeospamError as e:
        fail(str(e), e.exit_code)
    except KeyboardInterrupt:
        fail("interrupted", ExitCode.INTERRUPTED)
