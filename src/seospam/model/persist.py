"""Saving and loading models: numpy arrays in a zip (``.npz``) + a JSON model card with the file's sha256.

Model files hold plain arrays (see :class:`seospam.model.AdditiveModel`) and load with ``allow_pickle=False``: no
code runs. Pickle (joblib) files run code when loaded, and a checksum beside one does not help (whoever can write
the file can write the card), so they load only with an explicit ``trust_pickle=True`` / ``--trust-pickle``.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..atomic import atomic_write_bytes
from ..errors import DataError, ModelError

ENV_MODEL = "SEOSPAM_MODEL"


def sha256_file(path: str | os.PathLike) -> str:
    """Hex sha256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def card_path(model_path: str | os.PathLike) -> Path:
    """The model card that sits beside a model file (``x.npz`` → ``x.json``)."""
    return Path(model_path).with_suffix(".json")


def arrays_to_bytes(arrays: dict[str, Any]) -> bytes:
    """Arrays as an ``.npz`` zip with fixed timestamps, so the same model always gives the same bytes."""
    import io
    import zipfile

    import numpy as np

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for key in sorted(arrays):
            arr = io.BytesIO()
            np.lib.format.write_array(arr, np.asarray(arrays[key]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, arr.getvalue())
    return buf.getvalue()


def save_model(model: Any, path: str | os.PathLike, card: dict[str, Any]) -> dict[str, Any]:
    """Save an :class:`~seospam.model.AdditiveModel` and its card; the card gains the file's sha256."""
    data = arrays_to_bytes(model.a)
    atomic_write_bytes(path, data)
    card = dict(card)
    card["file"] = Path(path).name
    card["sha256"] = hashlib.sha256(data).hexdigest()
    card["bytes"] = len(data)
    atomic_write_bytes(card_path(path), (json.dumps(card, indent=2, sort_keys=False) + "\n").encode())
    return card


@dataclass
class Model:
    """A loaded model: its card, where it came from, its sha256, and the predictor."""

    card: dict[str, Any]
    path: Path
    sha256: str
    predictor: Any
    feature_names: list[str] = field(default_factory=list)

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

    @property
    def operating_points(self) -> dict[str, dict[str, float]]:
        """Named operating points from the card, e.g. ``{"filter": {"max_fpr": 0.001, "threshold": ...}}``."""
        return dict(self.card.get("operating_points") or {})

    def threshold_for_max_fpr(self, max_fpr: float) -> float:
        """The card's threshold for the largest tabulated false-positive rate that does not exceed ``max_fpr``.

        The table was measured on out-of-fold negatives when the model was trained; between its rows the stricter
        one is taken, so the promised FPR is never exceeded on those negatives.
        """
        rows = sorted((float(f), float(t)) for f, t in self.card.get("fpr_thresholds") or [])
        if not rows:
            raise DataError(f"model {self.name} has no FPR table in its card; use --threshold instead")
        if not 0.0 < max_fpr < 1.0:
            raise DataError(f"--max-fpr must be between 0 and 1, got {max_fpr}")
        ok = [t for f, t in rows if f <= max_fpr + 1e-12]
        if not ok:
            raise DataError(f"--max-fpr {max_fpr} is below the smallest rate the card measured ({rows[0][0]})")
        return ok[-1]

    def at(self, *, threshold: float | None = None, max_fpr: float | None = None,
           operating_point: str | None = None) -> "Model":
        """This model at another operating point: a fixed ``threshold``, a ``max_fpr`` or a named point."""
        given = [v is not None for v in (threshold, max_fpr, operating_point)]
        if sum(given) > 1:
            raise DataError("give one of --threshold, --max-fpr and --operating-point")
        if not any(given):
            return self
        if operating_point is not None:
            points = self.operating_points
            if operating_point not in points:
                raise DataError(f"model {self.name} has no operating point {operating_point!r}; it has: "
                                f"{', '.join(sorted(points)) or 'none'}")
            t, how = float(points[operating_point]["threshold"]), f"operating point {operating_point}"
        elif max_fpr is not None:
            t, how = self.threshold_for_max_fpr(max_fpr), f"max_fpr {max_fpr}"
        else:
            if not is_threshold(threshold):
                raise DataError(f"--threshold must be between 0 and 1, got {threshold}")
            t, how = float(threshold), "threshold given"
        card = dict(self.card, threshold=t, suspicious_threshold=min(self.suspicious_threshold, t),
                    threshold_source=how)
        return Model(card=card, path=self.path, sha256=self.sha256, predictor=self.predictor,
                     feature_names=self.feature_names)

    def __dask_tokenize__(self) -> str:
        """Dask's cache key for the model: its sha256 (hashing the arrays again would only cost time)."""
        return self.sha256


def is_threshold(v: Any) -> bool:
    """Whether ``v`` is a usable threshold: a finite number from 0 to 1 (a bool is not, though Python calls it an
    int: a threshold of True would silently mean 1.0)."""
    import math

    return not isinstance(v, bool) and isinstance(v, (int, float)) and math.isfinite(v) and 0 <= v <= 1


def default_model_path() -> Path:
    """$SEOSPAM_MODEL, else the bundled ``models/default.npz``."""
    env = os.environ.get(ENV_MODEL)
    if env:
        return Path(env)
    package = Path(__file__).resolve().parents[1]
    for cand in (package / "_bundled" / "default.npz", package.parents[1] / "models" / "default.npz"):
        if cand.exists():
            return cand
    return package.parents[1] / "models" / "default.npz"


def load_model(path: str | os.PathLike | None = None, *, verify: bool = True, trust_pickle: bool = False) -> Model:
    """Load a model after checking its sha256 and format against its card.

    The file's bytes are read once, checked, and those same bytes are deserialised. Models are numpy arrays
    loaded with ``allow_pickle=False``; a pickle (joblib) file can run code when loaded and is refused unless
    ``trust_pickle=True``.
    """
    p = Path(path) if path else default_model_path()
    try:
        key = str(p.resolve()) if p.exists() else str(p)
    except (OSError, ValueError) as e:  # ValueError: a NUL in the path
        raise ModelError(f"model file {str(p)[:200]!r} cannot be opened: {e}") from None
    return _load_cached(key, verify, trust_pickle)


_PICKLE_MAGIC = (b"\x80", b"\x1f\x8b", b"x\x9c", b"\xfd7zXZ", b"BZh")  # pickle, and joblib's compressions


@lru_cache(maxsize=8)
def _load_cached(path_str: str, verify: bool, trust_pickle: bool) -> Model:
    import io
    import sys

    import numpy as np

    from .pipeline import AdditiveModel

    path = Path(path_str)
    try:
        is_file = path.is_file()
    except (OSError, ValueError):
        is_file = False
    if not is_file:
        raise ModelError(f"model file not found: {path} (train one with `seospam train`, or pass --model)")
    cpath = card_path(path)
    try:
        card = json.loads(cpath.read_text(encoding="utf-8"))
        if not isinstance(card, dict):
            raise ValueError("not a JSON object")
    except FileNotFoundError:
        raise ModelError(f"model card not found: {cpath} (a model is loaded only with its card)") from None
    except (OSError, ValueError, RecursionError) as e:  # RecursionError: JSON nested too deep
        raise ModelError(f"model card unreadable: {cpath}: {type(e).__name__}: {str(e)[:200]}") from None
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ModelError(f"model file {path.name} could not be read: {e.strerror or e}") from None
    digest = hashlib.sha256(data).hexdigest()
    if verify and card.get("sha256") != digest:
        raise ModelError(f"model file {path.name} does not match the sha256 in its card; refusing to load it")
    if not data.startswith(b"PK"):
        if not data.startswith(_PICKLE_MAGIC) and path.suffix.lower() not in (".joblib", ".pkl", ".pickle"):
            raise ModelError(f"model file {path.name} is not a seospam model (.npz arrays)")
        if not trust_pickle:
            raise ModelError(f"model file {path.name} is a pickle, which runs code when loaded; seospam loads "
                             "pickles only with --trust-pickle (trust_pickle=True), and only for files you trust")
        print(f"seospam: loading {path.name} as a pickle because --trust-pickle was given", file=sys.stderr)
        import joblib

        try:
            predictor = joblib.load(io.BytesIO(data))
            if isinstance(predictor, dict):
                predictor = AdditiveModel(predictor)
        except Exception as e:  # a corrupt pickle can raise almost anything
            raise ModelError(f"model file {path.name} could not be loaded: {type(e).__name__}: "
                             f"{str(e).splitlines()[0] if str(e) else ''}") from None
    else:
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as z:
                predictor = AdditiveModel({k: z[k] for k in z.files})
        except Exception as e:  # zipfile, numpy and our own checks raise several kinds
            raise ModelError(f"model file {path.name} could not be loaded: {type(e).__name__}: "
                             f"{str(e).splitlines()[0] if str(e) else ''}") from None
    names = _check_card(card, predictor, path, cpath)
    _smoke_test(predictor, names, path)
    return Model(card=card, path=path, sha256=digest, predictor=predictor, feature_names=names)


def _check_card(card: dict[str, Any], predictor: Any, path: Path, cpath: Path) -> list[str]:
    """The model's feature names, after checking the card agrees with the file and has usable thresholds."""
    try:
        names = [str(n) for n in getattr(predictor, "feature_names", [])]
    except TypeError:
        raise ModelError(f"model file {path.name} has no list of feature names") from None
    listed = card.get("feature_names")
    if listed is not None and (not isinstance(listed, list) or [str(n) for n in listed] != names):
        raise ModelError(f"model file {path.name} and its card list different features")
    if "threshold" not in card:
        raise ModelError(f"model card {cpath.name} has no threshold")
    for key in ("threshold", "suspicious_threshold"):
        if key not in card:
            continue
        if not is_threshold(card[key]):
            raise ModelError(f"model card {cpath.name} has no numeric {key} between 0 and 1")
    from ..features import feature_names as registered
    from ..features import spec_differences

    unknown = sorted(set(names) - set(registered()))
    if unknown:
        raise ModelError(f"model file {path.name} uses features this version of seospam does not compute: "
                         f"{', '.join(unknown[:5])}{' ...' if len(unknown) > 5 else ''}")
    # A changed threshold or lexicon changes what the model sees without changing a name: refuse, do not guess.
    differ = spec_differences(card.get("feature_spec"), names)
    if differ:
        raise ModelError(f"model card {cpath.name} was made with other feature definitions than this seospam's "
                         f"(retrain the model): {'; '.join(differ[:3])}{' ...' if len(differ) > 3 else ''}")
    return names


def _smoke_test(predictor: Any, names: list[str], path: Path) -> None:
    """Score one empty row and one known term: a file that loads but cannot score is refused now (exit 4), rather
    than failing on every page of a batch as error rows, or with a traceback in ``score``."""
    import numpy as np

    try:
        X = np.full((1, len(names)), np.nan)
        vocab = getattr(predictor, "vocab", {}) or {}
        text = next(iter(vocab), "page")
        probs, feat_pts, text_pts = predictor.points(X, [text])
        predictor.base()
        if getattr(predictor, "has_text", False):
            predictor.text_terms(text)
        if not (np.all(np.isfinite(probs)) and np.all(np.isfinite(feat_pts)) and np.all(np.isfinite(text_pts))):
            raise ValueError("it gives non-finite scores")
        if np.shape(feat_pts) != (1, len(names)):
            raise ValueError("its points do not match its features")
    except Exception as e:  # anything a malformed predictor raises is a model problem, not a page problem
        raise ModelError(f"model file {path.name} cannot score: {type(e).__name__}: "
                         f"{str(e).splitlines()[0] if str(e) else ''}") from None
