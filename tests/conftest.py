"""Shared fixtures: ../shared (read in place, never copied), its pages, and a local HTTP server per module.

Plain helpers and paths are in helpers.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import pytest

from tests.helpers import SHARED, LocalServer, serve


def _need_shared() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"../shared is missing beside the checkout ({SHARED}); CI provides it")
    return SHARED


@pytest.fixture(scope="session")
def shared() -> Path:
    """The read-only ../shared folder."""
    return _need_shared()


@pytest.fixture(scope="session")
def seed_paths(shared: Path) -> list[Path]:
    """The real spam seed pages."""
    paths = sorted((shared / "seeds").glob("*.txt"))
    assert paths, "no seeds in ../shared/seeds"
    return paths


@pytest.fixture(scope="session")
def corpus_records(shared: Path) -> list[dict]:
    """Every real negative page in ../shared/corpora."""
    out = []
    for f in sorted((shared / "corpora").glob("*.jsonl")):
        with open(f, encoding="utf-8") as fh:
            out.extend(json.loads(line) for line in fh if line.strip())
    assert len(out) > 1000
    return out


@pytest.fixture(scope="session")
def corpus_features(corpus_records):
    """Feature sets of every corpus page (computed once per test session)."""
    from seospam.features import extract
    from seospam.inputs.edge import to_page

    return [extract(to_page(r)) for r in corpus_records]


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    """A local 127.0.0.1 page server (:class:`tests.helpers.LocalServer`), one per test module."""
    yield from serve()
