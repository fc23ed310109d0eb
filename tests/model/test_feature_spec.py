"""The feature spec in a model card: a changed parameter, version or lexicon makes loading refuse the model."""

from __future__ import annotations

import dataclasses
import json
import shutil

import pytest
from typer.testing import CliRunner

from seospam.cli import app
from seospam.errors import ModelError
from seospam.features import REGISTRY, feature_names, spec
from seospam.model.persist import load_model

from tests.helpers import ROOT


@pytest.fixture()
def model_copy(tmp_path):
    """A copy of the bundled model and its card, whose card the test may edit."""
    for name in ("default.npz", "default.json"):
        shutil.copy(ROOT / "models" / name, tmp_path / name)
    card = tmp_path / "default.json"
    return tmp_path / "default.npz", card, json.loads(card.read_text())


def _write(card_path, card):
    card_path.write_text(json.dumps(card))


def test_bundled_card_records_this_codes_spec():
    card = json.loads((ROOT / "models" / "default.json").read_text())
    assert card["feature_spec"] == spec(card["feature_names"])


def test_changed_parameter_is_refused_and_named(model_copy):
    path, card_path, card = model_copy
    card["feature_spec"]["features"]["rep_paraphrase_sent_frac"]["params"]["min_jaccard"] = 0.5
    _write(card_path, card)
    with pytest.raises(ModelError, match=r"rep_paraphrase_sent_frac v1 \(.*min_jaccard=0.5.*\) → v1"):
        load_model(path)


def test_changed_version_is_refused(model_copy):
    path, card_path, card = model_copy
    card["feature_spec"]["features"]["claim_safety_count"]["version"] = 0
    _write(card_path, card)
    with pytest.raises(ModelError, match=r"claim_safety_count v0 \(lexicon=safety_claims\) → v1"):
        load_model(path)


def test_changed_lexicon_is_refused(model_copy):
    path, card_path, card = model_copy
    card["feature_spec"]["lexicons"]["hedges"] = "0" * 64
    _write(card_path, card)
    with pytest.raises(ModelError, match="lexicon hedges"):
        load_model(path)


def test_card_without_spec_is_refused(model_copy):
    path, card_path, card = model_copy
    del card["feature_spec"]
    _write(card_path, card)
    with pytest.raises(ModelError, match="no feature spec"):
        load_model(path)


def test_code_with_another_threshold_refuses_the_old_card(model_copy, monkeypatch):
    path, _, _ = model_copy
    name = "kw_top_density_band"
    monkeypatch.setitem(REGISTRY, name, dataclasses.replace(REGISTRY[name], over=3.0))
    with pytest.raises(ModelError, match=name):
        load_model(path)
    monkeypatch.undo()
    load_model(path)


def test_cli_exit_4_on_a_mismatched_spec(model_copy, tmp_path):
    path, card_path, card = model_copy
    card["feature_spec"]["features"]["claim_safety_count"]["version"] = 7
    _write(card_path, card)
    page = tmp_path / "p.txt"
    page.write_text("Our tea is safe and effective for the whole family.\n")
    res = CliRunner().invoke(app, ["score", str(page), "--model", str(path)])
    assert res.exit_code == 4
    assert "claim_safety_count v7 (lexicon=safety_claims) → v1" in res.output


def test_features_list_shows_every_feature_with_params_and_sources():
    res = CliRunner().invoke(app, ["features", "--list", "--json"])
    assert res.exit_code == 0
    listed = json.loads(res.output)
    assert list(listed) == feature_names()
    assert listed["kw_top_density_band"]["params"]["over"] == {"value": 2.5, "source": "Yoast: over 2.5 %"}
    assert listed["claim_safety_count"]["source"].startswith("FTC")


def test_features_without_page_or_list_is_a_usage_error():
    res = CliRunner().invoke(app, ["features"])
    assert res.exit_code == 2
    assert "--list" in res.output
