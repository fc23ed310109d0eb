"""The CLI is thin and documented: every command has help with an example; features prints the JSON shape."""

from __future__ import annotations

import json
import re

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from seospam.cli import app, main  # noqa: F401


runner = CliRunner()
COMMANDS = ["features", "score", "batch", "train", "evaluate", "serve", "sites"]


def test_all_commands_registered():
    group = get_command(app)  # typer may vendor its own click, so no isinstance check against click.Group
    assert set(COMMANDS) <= set(group.commands)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_example(name):
    res = runner.invoke(app, [name, "--help"])
    assert res.exit_code == 0, res.output
    cmd = get_command(app).commands[name]
    assert cmd.help and cmd.help.strip().splitlines()[0]
    # Every example names this command, and every option it uses is one the command has (help tested against
    # the code, as sqlite-utils does).
    examples = [line.split("Example:", 1)[1].strip() for line in cmd.help.splitlines() if "Example:" in line]
    assert examples, f"{name} --help has no example"
    options = {o for p in cmd.params for o in getattr(p, "opts", [])}
    for ex in examples:
        assert ex.startswith(f"seospam {name}"), ex
        own = re.split(r"\||&&|;|, then ", ex)[0]  # the seospam part, not a pipe or a follow-up command
        used = {w.rstrip(",") for w in own.split() if w.startswith("-") and w != "-"}
        assert used <= options, f"{name} example uses unknown options {used - options}: {ex}"


def test_features_json_shape(seed_paths):
    res = runner.invoke(app, ["features", str(seed_paths[0]), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert set(data) == {"features", "evidence"}
    assert all(isinstance(v, float) for v in data["features"].values())
    text = seed_paths[0].read_text(encoding="utf-8")
    for name, spans in data["evidence"].items():
        assert name in data["features"]
        for sp in spans:
            assert set(sp) == {"start", "end", "text"}
            assert text[sp["start"]:sp["end"]] == sp["text"]


def test_features_stdin():
    res = runner.invoke(app, ["features", "-", "--json"], input="Buy now! Safe and effective. " * 5)
    assert res.exit_code == 0
    assert json.loads(res.output)["features"]["claim_safety_count"] == 5


def test_unreadable_input_is_one_line_exit_3(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    res = runner.invoke(app, ["features", str(empty)])
    assert res.exit_code == 3
    assert "Traceback" not in res.output
    assert res.output.strip().count("\n") == 0


def test_importing_the_app_registers_every_command():
    """`from seospam.cli import app` in a fresh interpreter has every command (no import circle: issue 11)."""
    import subprocess
    import sys

    code = ("from seospam.cli import app; "
            "print(' '.join(c.name or c.callback.__name__ for c in app.registered_commands))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["features", "score", "serve", "train", "evaluate", "batch", "sites"], out.stderr
