"""Hostile and broken input: linear-time patterns, size caps, adversarial pages, model-file integrity."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

try:  # Python 3.11+: the regex parser moved under re.
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_constants  # type: ignore
    import sre_parse  # type: ignore

from typer.testing import CliRunner

from seospam.cli import app

SRC = Path(__file__).resolve().parents[1] / "src" / "seospam"
RE_FUNCS = {"compile", "match", "search", "findall", "finditer", "sub", "subn", "split", "fullmatch"}


def source_patterns() -> list[tuple[str, str, int]]:
    """Every regular expression written as a literal in the package: (pattern, file, line)."""
    out = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RE_FUNCS
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re" and node.args):
                arg = node.args[0]
                try:
                    pattern = ast.literal_eval(arg)
                except ValueError:
                    continue
                if isinstance(pattern, str):
                    out.append((pattern, path.name, node.lineno))
    return out


PATTERNS = source_patterns()
REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT)
if hasattr(sre_constants, "POSSESSIVE_REPEAT"):
    REPEATS = REPEATS + (sre_constants.POSSESSIVE_REPEAT,)


def _nested_unbounded(items, outer_max: int | None = None) -> list[str]:
    """Repeats inside repeats where either one is unbounded: the shape that backtracks catastrophically."""
    problems = []
    for op, av in items:
        if op in REPEATS:
            lo, hi, sub = av
            unbounded = hi == sre_constants.MAXREPEAT
            if outer_max is not None and hi > 1 and (unbounded or outer_max == sre_constants.MAXREPEAT):
                problems.append(f"repeat {{{lo},{'inf' if unbounded else hi}}} inside another repeat")
            problems += _nested_unbounded(sub, hi if hi > 1 else outer_max)
        elif op == sre_constants.SUBPATTERN:
            problems += _nested_unbounded(av[-1], outer_max)
        elif op == sre_constants.BRANCH:
            for branch in av[1]:
                problems += _nested_unbounded(branch, outer_max)
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            problems += _nested_unbounded(av[1], outer_max)
    return problems


def test_patterns_were_found():
    assert len(PATTERNS) >= 20


@pytest.mark.parametrize("pattern,where,line", PATTERNS, ids=[f"{w}:{ln}" for _, w, ln in PATTERNS])
def test_no_nested_quantifiers(pattern, where, line):
    assert _nested_unbounded(sre_parse.parse(pattern)) == [], f"{where}:{line}: {pattern!r}"


ADVERSARIAL = {
    "letters": "a" * 100_000,
    "spaces": " " * 100_000,
    "dots": ". " * 50_000,
    "parens": "(" * 100_000,
    "tags": "<" * 100_000,
    "words": "study " * 16_000 + "!",
    "dotted": "A." * 50_000,
    "digits": "1" * 100_000,
    "quotes": "\"" * 100_000,
    "mixed": ("according to a " + "x" * 40) * 1800,
    "stands": (", short for " + "ab " * 30) * 1000,
}


@pytest.mark.parametrize("pattern,where,line", PATTERNS, ids=[f"{w}:{ln}" for _, w, ln in PATTERNS])
def test_patterns_run_in_linear_time_on_adversarial_input(pattern, where, line):
    rx = re.compile(pattern)
    for name, text in ADVERSARIAL.items():
        t = time.perf_counter()
        for _ in rx.finditer(text):
            pass
        elapsed = time.perf_counter() - t
        # 100 KB in well under a second for a linear pattern; a backtracking one takes minutes.
        assert elapsed < 1.5, f"{where}:{line} took {elapsed:.2f}s on {name}"


runner = CliRunner()


def make_adversarial(tmp: Path) -> dict[str, Path]:
    files = {
        "one_word_1.5M.txt": ("kratom " * 1_500_000).encode(),
        "no_spaces_5MB.txt": b"a" * 5_000_000,
        "claim_fragments_60k.txt": ("safe and effective studies show a study published in the " * 60_000).encode(),
        "open_parens_300k.txt": b"(" * 300_000,
        "nested_divs_100k.html": b"<html><body>" + b"<div>" * 100_000 + b"deep" + b"</div>" * 100_000 + b"</body>",
        "nul_separated.txt": b"kratom\x00cures\x00anxiety\x00" * 50_000,
        "binary.bin": bytes(range(256)) * 8_000,
    }
    out = {}
    for name, data in files.items():
        p = tmp / name
        p.write_bytes(data)
        out[name] = p
    return out


@pytest.fixture(scope="module")
def adversarial_files(tmp_path_factory):
    return make_adversarial(tmp_path_factory.mktemp("adv"))


@pytest.mark.parametrize("name,code", [("one_word_1.5M.txt", 0), ("no_spaces_5MB.txt", 0),
                                       ("claim_fragments_60k.txt", 0), ("open_parens_300k.txt", 0),
                                       ("nested_divs_100k.html", 0), ("nul_separated.txt", 0),
                                       ("binary.bin", 3)])
def test_adversarial_pages_finish_quickly_without_traceback(adversarial_files, name, code):
    """Each hostile page gets its one expected outcome: a score, or (binary data) one line and exit 3."""
    res = runner.invoke(app, ["score", str(adversarial_files[name]), "--json"])
    assert res.exit_code == code, res.output
    assert "Traceback" not in res.output
    if code == 0:
        data = json.loads(res.stdout)
        assert 0.0 <= data["score"] <= 1.0
    else:
        assert res.output.strip().startswith("seospam: error:") and len(res.output.strip().splitlines()) == 1


def test_truncated_flag_in_json_output(adversarial_files):
    res = runner.invoke(app, ["score", str(adversarial_files["one_word_1.5M.txt"]), "--json"])
    assert res.exit_code == 0
    assert json.loads(res.stdout)["truncated"] is True


def test_adversarial_page_in_a_real_subprocess(adversarial_files):
    """The installed console script: exit code and a one-line error, no traceback."""
    proc = subprocess.run([sys.executable, "-m", "seospam.cli", "score", str(adversarial_files["binary.bin"])],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0


@pytest.mark.parametrize("content,code", [
    (b"", 3),
    (b"\x00" * 1000, 3),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 100, 3),
    ("é".encode("utf-8") + b" Caf\xe9 cr\xe8me is sold here at the market today. " * 50, 0),  # wrong/mixed charset
    (b"word " * 1_000_000, 0),  # 5 MB single line
])
def test_bad_input_classes(tmp_path, content, code):
    p = tmp_path / "in.txt"
    p.write_bytes(content)
    res = runner.invoke(app, ["score", str(p), "--json"])
    assert res.exit_code == code, res.output
    assert "Traceback" not in res.output


def test_unreachable_url_is_exit_3():
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens here now
    res = runner.invoke(app, ["score", f"http://127.0.0.1:{port}/page.html", "--ignore-robots", "--timeout", "3"])
    assert res.exit_code == 3
    assert "Traceback" not in res.output


# --- model files ----------------------------------------------------------------------------------------------

@pytest.fixture()
def model_copy(tmp_path):
    from seospam.model.persist import card_path, default_model_path

    src = default_model_path()
    dst = tmp_path / "m.npz"
    shutil.copy(src, dst)
    shutil.copy(card_path(src), card_path(dst))
    return dst


def test_tampered_model_is_refused(model_copy, seed_paths):
    from seospam.model.persist import _load_cached

    _load_cached.cache_clear()
    data = bytearray(model_copy.read_bytes())
    data[len(data) // 2] ^= 0xFF
    model_copy.write_bytes(bytes(data))
    res = runner.invoke(app, ["score", str(seed_paths[0]), "--model", str(model_copy)])
    assert res.exit_code == 4
    assert "sha256" in res.output and "Traceback" not in res.output


class _Evil:
    """A pickle payload that would create a marker file when unpickled."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_pickle_with_forged_card_runs_no_code(tmp_path, seed_paths):
    """A joblib pickle whose card was forged to match is refused (exit 4, names --trust-pickle), unexecuted."""
    import hashlib

    import joblib

    from seospam.model.persist import _load_cached, card_path, default_model_path

    _load_cached.cache_clear()
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.joblib"
    joblib.dump(_Evil(str(marker)), evil)
    card = json.loads(card_path(default_model_path()).read_text())
    card["sha256"] = hashlib.sha256(evil.read_bytes()).hexdigest()
    card_path(evil).write_text(json.dumps(card))
    res = runner.invoke(app, ["score", str(seed_paths[0]), "--model", str(evil)])
    assert res.exit_code == 4, res.output
    assert "--trust-pickle" in res.output and "Traceback" not in res.output
    assert not marker.exists()


def test_model_with_object_array_is_refused(model_copy, seed_paths, tmp_path):
    """An .npz holding an object array (which needs pickle) is exit 4, not a traceback."""
    import hashlib

    import numpy as np

    from seospam.model.persist import _load_cached, card_path

    _load_cached.cache_clear()
    np.savez(model_copy.with_suffix(".tmp.npz"), values=np.array([{"a": 1}], dtype=object))
    data = model_copy.with_suffix(".tmp.npz").read_bytes()
    model_copy.write_bytes(data)
    card = json.loads(card_path(model_copy).read_text())
    card["sha256"] = hashlib.sha256(data).hexdigest()
    card_path(model_copy).write_text(json.dumps(card))
    res = runner.invoke(app, ["score", str(seed_paths[0]), "--model", str(model_copy)])
    assert res.exit_code == 4, res.output
    assert "Traceback" not in res.output


def test_missing_model_is_refused(tmp_path, seed_paths):
    res = runner.invoke(app, ["score", str(seed_paths[0]), "--model", str(tmp_path / "none.npz")])
    assert res.exit_code == 4
    assert "not found" in res.output
