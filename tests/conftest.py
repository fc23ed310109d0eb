"""Shared fixtures: paths to ../shared (read in place, never copied) and small helpers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


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
