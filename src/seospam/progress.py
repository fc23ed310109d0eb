"""Progress bars on stderr (rich), for long steps in train, evaluate and batch."""

from __future__ import annotations

import contextlib
import sys
from typing import Iterator


@contextlib.contextmanager
def phase_progress(enabled: bool | None = None) -> Iterator:
    """Yield ``progress(phase, advance, total=None)``: a bar per phase on stderr, silent when stderr is not a terminal."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    enabled = console.is_terminal if enabled is None else enabled
    if not enabled:
        yield lambda phase, advance=0, total=None: None
        return
    tasks: dict[str, int] = {}
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=False) as prog:
        def update(phase: str, advance: int = 0, total: int | None = None) -> None:
            if phase not in tasks:
                for tid in tasks.values():
                    prog.update(tid, total=prog.tasks[tid].completed or 1, completed=prog.tasks[tid].completed or 1)
                tasks[phase] = prog.add_task(phase, total=total)
            prog.advance(tasks[phase], advance)
        yield update
    sys.stderr.flush()
