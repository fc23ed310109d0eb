"""Exit codes and the error classes that carry them (see README, "Exit codes"; a test checks that table)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Every exit code of the command line; the help text and the README table are made from or checked against it."""

    OK = 0
    FLAGGED = 1  # score --fail-on-spam: the page is spam
    ERRORS = 1  # batch: at least one record got an error row
    USAGE = 2
    INPUT = 3
    MODEL = 4
    OUTPUT = 5
    INTERRUPTED = 130


#: What each code means, in the words of ``--help`` (FLAGGED and ERRORS share 1).
EXIT_MEANINGS = {
    ExitCode.OK: "done",
    ExitCode.FLAGGED: "flagged as spam (--fail-on-spam) or batch records errored",
    ExitCode.USAGE: "usage or data error",
    ExitCode.INPUT: "input unreadable or unfetchable",
    ExitCode.MODEL: "model missing, corrupt, a pickle without --trust-pickle, or mismatched",
    ExitCode.OUTPUT: "output not writable (or locked by another batch run)",
}


class SeospamError(Exception):
    """Base class for expected failures: shown as one line, never as a traceback."""

    exit_code = ExitCode.INPUT


class InputError(SeospamError):
    """The input could not be read or fetched (empty, binary, undecodable, unreachable...)."""

    exit_code = ExitCode.INPUT


class FetchError(InputError):
    """A URL could not be fetched: network error, HTTP error, wrong content type, too large, robots.txt."""


class DataError(SeospamError):
    """Labelled data is unusable for training or evaluation (missing columns, labels other than 0/1)."""

    exit_code = ExitCode.USAGE


class ModelError(SeospamError):
    """A model file is missing, corrupt, or does not match its model card (checksum or version)."""

    exit_code = ExitCode.MODEL


class OutputError(SeospamError):
    """The output could not be written or finalised (read-only folder, a file where a folder should be, disk full),
    or another run holds its lock. For ``batch``, the finished rows stay in the sidecar, so ``--resume`` can finish
    once the problem is fixed."""

    exit_code = ExitCode.OUTPUT


class OutputLockedError(OutputError):
    """Another ``seospam batch`` run is writing the same output (it holds ``OUTPUT.lock``)."""
