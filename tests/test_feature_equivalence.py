"""Equivalence: the declared-feature engine gives what the engine it replaced gave, exactly.

The reference is the package as it was at :data:`REFERENCE_COMMIT`, the last commit of the function-per-feature
engine, read from git history (``git archive``) into a temporary folder as the package ``seospam_ref``: no copy of the
old code lives in the tree. Compared, by exact equality (NaN equals NaN): every feature value, every evidence span,
the page's tokens, sentences and blocks, every lexicon's hits, and the score, points and reasons of the bundled model.

Named exceptions (definitions changed on purpose since): :data:`CHANGED_ON_PURPOSE`. Their values and spans are not
compared, and a page whose value of one of them differs between the engines is left out of the score comparison
(the two engines then feed the model different rows); every other page must still score identically.
"""

from __future__ import annotations

import importlib
import io
import json
import math
import random
import subprocess
import sys
import tarfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seospam.errors import InputError
from seospam.features import REGISTRY, describe, extract, feature_names
from seospam.features.analysis import Analysis
from seospam.inputs.edge import to_page

from tests.helpers import ROOT

REFERENCE_COMMIT = "3ddd2a2c2820380fbb3fd328591899c81f72ce0e"
#: Definitions changed on purpose since the reference: {feature name: why}. Empty: every value is kept.
CHANGED_ON_PURPOSE: dict[str, str] = {
    "cite_unverifiable_count": "v2: cue words in any case (v1 missed sentence-initial 'According to a study')",
    "cite_checkable_count": "v2: one count per reference token (v1 counted one DOI link three times)",
    "claim_booster_per_1k": "v2: a booster after a negation cue in its sentence ('not been proven') is not counted",
    "kw_heading_share": "v2: the top keyword as a whole word in headings and title (v1 matched it inside words)",
    "kw_top_phrase_density_pct": "v2: overlapping occurrences count once (v1 could exceed 100 %)",
    "promo_coupon_count": "v2: codes in capitals only ('zip code below' is none); one code found twice counts once",
}


def _git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True)


@pytest.fixture(scope="module")
def ref(tmp_path_factory):
    """The reference engine, imported as ``seospam_ref`` from the reference commit."""
    if _git("rev-parse", "--is-shallow-repository").stdout.strip() == b"true":
        pytest.skip("shallow clone: the reference commit's tree is not in this checkout's history")
    archive = _git("archive", "--format=tar", REFERENCE_COMMIT, "src/seospam")
    assert archive.returncode == 0, archive.stderr.decode()
    root = tmp_path_factory.mktemp("reference")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(root, filter="data")
    (root / "src" / "seospam").rename(root / "seospam_ref")
    sys.path.insert(0, str(root))
    try:
        mods = {name: importlib.import_module(f"seospam_ref.{name}")
                for name in ("page", "features", "features._lex", "scoring", "persist")}
    finally:
        sys.path.remove(str(root))
    return mods


def _same(a: float | None, b: float | None) -> bool:
    """Equal, where NaN equals NaN (and None, JSON's NaN, equals None)."""
    return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))


def _compare_page(ref, obj) -> None:
    """One input through both engines: page structure, lexicon hits, values and spans must all be equal."""
    try:
        new_page = to_page(obj)
    except InputError:
        with pytest.raises(ref["page"].InputError if hasattr(ref["page"], "InputError") else Exception):
            ref["page"].to_page(obj)
        return
    old_page = ref["page"].to_page(obj)
    assert new_page.text == old_page.text
    assert new_page.token_spans == old_page.token_spans
    assert new_page.sentences == old_page.sentences
    assert [(b.kind, b.start, b.end) for b in new_page.blocks] == [(b.kind, b.start, b.end) for b in old_page.blocks]
    a = Analysis(new_page)
    for lexicon, hits in a.lexicon_hits.items():
        assert hits == ref["features._lex"].matches(old_page, lexicon), lexicon
    new, old = extract(new_page), ref["features"].extract(old_page)
    assert list(new.values) == list(old.values)
    for name in new.values:
        if name in CHANGED_ON_PURPOSE:
            continue
        assert _same(new.values[name], old.values[name]), (name, new.values[name], old.values[name])
        assert new.evidence.get(name) == old.evidence.get(name), name


def test_names_order_and_descriptions_are_the_references(ref):
    assert feature_names() == ref["features"].feature_names()
    for name in feature_names():
        if name not in CHANGED_ON_PURPOSE:  # a changed definition may say so in its description
            assert describe(name) == ref["features"].describe(name), name


def test_every_feature_declares_version_params_and_sources():
    for name, f in REGISTRY.items():
        assert f.name == name and f.version >= 1 and f.description and f.source, name
        for p, source in f.param_sources.items():
            assert source, f"{name}.{p} cites no source"


def _sample(records: list, k: int, seed: int) -> list:
    return random.Random(seed).sample(records, min(k, len(records)))


def _data_records(limit: int, seed: int) -> list[dict]:
    out = []
    for f in sorted((ROOT / "data").glob("*.jsonl")):
        with open(f, encoding="utf-8") as fh:
            out.extend(json.loads(line) for line in fh if line.strip())
    return _sample(out, limit, seed)


def test_seeds_in_every_layout(ref, seed_paths):
    from seospam.model.augment import LAYOUTS, layout_variant

    for path in seed_paths:
        text = path.read_text(encoding="utf-8")
        _compare_page(ref, path)
        page = to_page(text)
        for layout in LAYOUTS:
            rec = layout_variant({"id": path.stem, "text": text}, page, layout, key=path.stem)
            _compare_page(ref, {k: v for k, v in rec.items() if v is not None})


def test_corpora_sample(ref, corpus_records):
    for rec in _sample(corpus_records, 300, 1):
        _compare_page(ref, rec)


def test_data_sample_and_html_versions(ref):
    from seospam.model.augment import layout_variant

    for rec in _data_records(200, 2):
        _compare_page(ref, {k: v for k, v in rec.items() if k in ("id", "text", "html", "url", "title")})
    for i, rec in enumerate(_data_records(40, 3)):
        page = to_page({k: v for k, v in rec.items() if k in ("text", "html")})
        html_rec = layout_variant({"id": str(i)}, page, "html_boilerplate", key=str(i))
        _compare_page(ref, {"html": html_rec["html"]})


@pytest.mark.slow
def test_all_corpora(ref, corpus_records):
    for rec in corpus_records:
        _compare_page(ref, rec)


_tricky = st.sampled_from(["kratom", "K.R.S.", "safe and effective", "studies show", "\u0130", "ß", "ﬁ", "\u200b",
                           "e\u0301", "🙂", "Ⅻ", "٣", "\n", "\n\n", "- ", "• ", "# ", ".", "!", "?", "$19.99", "50% off",
                           "(Smith et al., 2019)", "In conclusion,", "near me", "\ufeff", "\u2028", "\t", "ǅ"])
_texts = st.one_of(st.text(max_size=300), st.lists(_tricky, max_size=120).map(" ".join),
                   st.lists(st.one_of(_tricky, st.text(max_size=8)), max_size=80).map("".join))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(text=_texts)
def test_adversarial_unicode(ref, text):
    _compare_page(ref, text)


def _reasons(reasons: list[dict]) -> list[dict]:
    """Reasons as compared: a feature changed on purpose may describe itself anew; all else must be equal."""
    return [{k: v for k, v in r.items() if not (k == "description" and r.get("feature") in CHANGED_ON_PURPOSE)}
            for r in reasons]


def test_scores_points_and_reasons(ref, seed_paths, corpus_records):
    from seospam import score

    model_path = ROOT / "models" / "default.npz"
    old_model = ref["persist"].load_model(model_path)
    inputs = [p.read_text(encoding="utf-8") for p in seed_paths]
    inputs += [r["text"] for r in _sample(corpus_records, 25, 4) if r.get("text")]
    compared = 0
    for text in inputs:
        new = score(text=text, model=str(model_path))
        old = ref["scoring"].score(text=text, model=old_model)
        if any(not _same(new["features"][n], old["features"][n]) for n in CHANGED_ON_PURPOSE if n in new["features"]):
            continue
        compared += 1
        for key in ("score", "verdict", "is_spam", "base", "other_points", "features"):
            assert key in new and new[key] == old[key], key
        assert _reasons(new["reasons"]) == _reasons(old["reasons"])
    assert compared >= len(inputs) // 2, (compared, len(inputs))  # the exceptions must not hollow the comparison out
