"""Error classes, each with the CLI exit code it maps to (see README, "Exit codes")."""

from __future__ import annotations


class SeospamError(Exception):
    """Base class for expected failures: shown as one line, never as a traceback."""

    exit_code = 3


class InputError(SeospamError):
    """The input could not be read or fetched (empty, binary, undecodable, unreachable...)."""

    exit_code = 3


class FetchError(InputError):
    """A URL could not be fetched: network error, HTTP error, wrong content type, too large, robots.txt."""


class DataError(SeospamError):
    """Labelled data is unusable for training or evaluation (missing columns, labels other than 0/1)."""

    exit_code = 2


class ModelError(SeospamError):
    """A model file is missing, corrupt, or does not match its model card (checksum or version)."""

    exit_code = 4


class OutputError(SeospamError):
    """The output could not be written or finalised (read-only folder, a file where a folder should be, disk full),
    or another run holds its lock. For ``batch``, the finished rows stay in the sidecar, so ``--resume`` can finish
    once the problem is fixed."""

    exit_code = 5


class OutputLockedError(OutputError):
    """Another ``seospam batch`` run is writing the same output (it holds ``OUTPUT.lock``)."""
