"""Saving and loading models: joblib file + JSON model card with sha256 and version checks.

joblib (pickle) files can run code when loaded: load only models you trust. Loading checks the file's sha256
against its model card and the scikit-learn version it was saved with, and refuses a mismatch.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import ModelError

ENV_MODEL = "SEOSPAM_MODEL"


def sha256_file(path: str | os.PathLike) -> str:
    """Hex sha256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fast_path(model_path: str | os.PathLike) -> Path:
    """The numpy-only classifier copy beside a model file (``x.joblib`` → ``x.fast.npz``)."""
    return Path(model_path).with_suffix(".fast.npz")


def card_path(model_path: str | os.PathLike) -> Path:
    """The model card that sits beside a model file (``x.joblib`` → ``x.json``)."""
    return Path(model_path).with_suffix(".json")


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write a file through a temporary file in the same folder and a rename, so readers never see half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp creates 0600; give the file the permissions a normal open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def save_model(pipeline: Any, path: str | os.PathLike, card: dict[str, Any]) -> dict[str, Any]:
    """Save a fitted pipeline and its card; the card gains the file's sha256 and the library versions."""
    import io

    import joblib
    import sklearn

    buf = io.BytesIO()
    joblib.dump(pipeline, buf, compress=3)
    data = buf.getvalue()
    atomic_write_bytes(path, data)
    card = dict(card)
    card["file"] = Path(path).name
    card["sha256"] = hashlib.sha256(data).hexdigest()
    from .fastpredict import export, exportable

    clf = pipeline.named_steps["clf"]
    if exportable(clf):
        import numpy as np

        fbuf = io.BytesIO()
        np.savez(fbuf, **export(clf))
        fast = fast_path(path)
        atomic_write_bytes(fast, fbuf.getvalue())
        card["fast_predictor"] = {"file": fast.name, "sha256": hashlib.sha256(fbuf.getvalue()).hexdigest(),
                                  "note": "numpy-only copy of the classifier for quick start-up; same predictions"}
    card.setdefault("versions", {})["scikit-learn"] = sklearn.__version__
    atomic_write_bytes(card_path(path), (json.dumps(card, indent=2, sort_keys=False) + "\n").encode())
    return card


@dataclass
class Model:
    """A loaded model: its card, where it came from, and the pipeline (unpickled on first use)."""

    card: dict[str, Any]
    path: Path
    sha256: str
    feature_names: list[str] = field(default_factory=list)
    fast: Any = None
    _pipeline: Any = None

    @property
    def pipeline(self) -> Any:
        """The scikit-learn pipeline (importing scikit-learn costs a second or more, so only when needed)."""
        if self._pipeline is None:
            self._pipeline = _unpickle(self.path)
        return self._pipeline

    def predictor(self, n_rows: int) -> Any:
        """What predicts ``n_rows`` rows: the numpy copy for a few (no scikit-learn import), else scikit-learn."""
        # The numpy copy walks trees in Python loops: quicker to start, slower on thousands of rows.
        if self.fast is not None and n_rows <= 8:
            return self.fast
        return self.pipeline.named_steps["clf"]

    @property
    def name(self) -> str:
        """Short model name from the card (or the file name)."""
        return str(self.card.get("name") or self.path.stem)

    @property
    def threshold(self) -> float:
        """Score at or above which a page is spam."""
        return float(self.card["threshold"])

    @property
    def suspicious_threshold(self) -> float:
        """Score at or above which a page is at least suspicious."""
        return float(self.card.get("suspicious_threshold", self.threshold / 2))

    def verdict(self, score: float) -> str:
        """'spam', 'suspicious' or 'ok' by the card's bands."""
        return "spam" if score >= self.threshold else "suspicious" if score >= self.suspicious_threshold else "ok"


def default_model_path() -> Path:
    """$SEOSPAM_MODEL, else the bundled ``models/default.joblib``."""
    env = os.environ.get(ENV_MODEL)
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for cand in (here / "_bundled" / "default.joblib", here.parents[1] / "models" / "default.joblib"):
        if cand.exists():
            return cand
    return here.parents[1] / "models" / "default.joblib"


def load_model(path: str | os.PathLike | None = None, *, verify: bool = True) -> Model:
    """Load a model after checking its sha256 and scikit-learn version against its card."""
    p = Path(path) if path else default_model_path()
    return _load_cached(str(p.resolve()) if p.exists() else str(p), verify)


def _unpickle(path: Path) -> Any:
    import joblib

    try:
        return joblib.load(path)
    except Exception as e:  # a corrupt pickle can raise almost anything
        raise ModelError(f"model file {path.name} could not be loaded: {type(e).__name__}: {e}") from None


def _load_fast(path: Path, card: dict[str, Any], verify: bool) -> Any:
    info = card.get("fast_predictor")
    if not info:
        return None
    fpath = path.parent / info["file"]
    if not fpath.is_file():
        return None
    if verify and sha256_file(fpath) != info.get("sha256"):
        raise ModelError(f"{fpath.name} does not match the sha256 in its card; refusing to load it")
    import numpy as np

    from .fastpredict import FastModel

    with np.load(fpath, allow_pickle=False) as z:
        return FastModel({k: z[k] for k in z.files})


@lru_cache(maxsize=8)
def _load_cached(path_str: str, verify: bool) -> Model:
    from importlib.metadata import version

    path = Path(path_str)
    if not path.is_file():
        raise ModelError(f"model file not found: {path} (train one with `seospam train`, or pass --model)")
    cpath = card_path(path)
    try:
        card = json.loads(cpath.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"model card not found: {cpath} (a model is loaded only with its card)") from None
    except (OSError, ValueError) as e:
        raise ModelError(f"model card unreadable: {cpath}: {e}") from None
    digest = sha256_file(path)
    if verify:
        if card.get("sha256") != digest:
            raise ModelError(f"model file {path.name} does not match the sha256 in its card; refusing to load it")
        saved = card.get("versions", {}).get("scikit-learn")
        installed = version("scikit-learn")
        if saved and saved.split(".")[:2] != installed.split(".")[:2]:
            raise ModelError(f"model was saved with scikit-learn {saved} but {installed} is installed; "
                             "retrain it or install the matching version")
    fast = _load_fast(path, card, verify)
    model = Model(card=card, path=path, sha256=digest, feature_names=list(card.get("feature_names") or []),
                  fast=fast)
    if fast is None or not model.feature_names:
        model.feature_names = list(model.pipeline.named_steps["features"].get_feature_names_out())
    return model
