"""Saving and loading models: numpy arrays in a zip (``.npz``) + a JSON model card with the file's sha256.

Model files hold plain arrays (see :class:`seospam.model.AdditiveModel`) and load with ``allow_pickle=False``: no
code runs. Pickle (joblib) files run code when loaded, and a checksum beside one does not help (whoever can write
the file can write the card), so they load only with an explicit ``trust_pickle=True`` / ``--trust-pickle``.
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


def card_path(model_path: str | os.PathLike) -> Path:
    """The model card that sits beside a model file (``x.npz`` → ``x.json``)."""
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

    def verdict(self, score: float, threshold: float | None = None) -> str:
        """'spam', 'suspicious' or 'ok' by the card's bands (``threshold`` replaces the card's spam threshold)."""
        t = self.threshold if threshold is None else threshold
        # A threshold below the card's suspicious one leaves no suspicious band: below it is 'ok'.
        return "spam" if score >= t else "suspicious" if score >= self.suspicious_threshold else "ok"


def default_model_path() -> Path:
    """$SEOSPAM_MODEL, else the bundled ``models/default.npz``."""
    env = os.environ.get(ENV_MODEL)
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for cand in (here / "_bundled" / "default.npz", here.parents[1] / "models" / "default.npz"):
        if cand.exists():
            return cand
    return here.parents[1] / "models" / "default.npz"


def load_model(path: str | os.PathLike | None = None, *, verify: bool = True, trust_pickle: bool = False) -> Model:
    """Load a model after checking its sha256 and format against its card.

    The file's bytes are read once, checked, and those same bytes are deserialised. Models are numpy arrays
    loaded with ``allow_pickle=False``; a pickle (joblib) file can run code when loaded and is refused unless
    ``trust_pickle=True``.
    """
    p = Path(path) if path else default_model_path()
    return _load_cached(str(p.resolve()) if p.exists() else str(p), verify, trust_pickle)


_PICKLE_MAGIC = (b"\x80", b"\x1f\x8b", b"x\x9c", b"\xfd7zXZ", b"BZh")  # pickle, and joblib's compressions


@lru_cache(maxsize=8)
def _load_cached(path_str: str, verify: bool, trust_pickle: bool) -> Model:
    import io
    import sys

    import numpy as np

    from .model import AdditiveModel

    path = Path(path_str)
    if not path.is_file():
        raise ModelError(f"model file not found: {path} (train one with `seospam train`, or pass --model)")
    cpath = card_path(path)
    try:
        card = json.loads(cpath.read_text(encoding="utf-8"))
        if not isinstance(card, dict):
            raise ValueError("not a JSON object")
    except FileNotFoundError:
        raise ModelError(f"model card not found: {cpath} (a model is loaded only with its card)") from None
    except (OSError, ValueError) as e:
        raise ModelError(f"model card unreadable: {cpath}: {e}") from None
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
        except Exception as e:  # a corrupt pickle can raise almost anything
            raise ModelError(f"model file {path.name} could not be loaded: {type(e).__name__}: {e}") from None
        if isinstance(predictor, dict):
            predictor = AdditiveModel(predictor)
    else:
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as z:
                predictor = AdditiveModel({k: z[k] for k in z.files})
        except Exception as e:  # zipfile, numpy and our own checks raise several kinds
            raise ModelError(f"model file {path.name} could not be loaded: {type(e).__name__}: "
                             f"{str(e).splitlines()[0] if str(e) else ''}") from None
    names = list(getattr(predictor, "feature_names", []))
    if card.get("feature_names") and list(card["feature_names"]) != names:
        raise ModelError(f"model file {path.name} and its card list different features")
    if "threshold" not in card:
        raise ModelError(f"model card {cpath.name} has no threshold")
    try:
        float(card["threshold"])
    except (TypeError, ValueError):
        raise ModelError(f"model card {cpath.name} has no numeric threshold") from None
    return Model(card=card, path=path, sha256=digest, predictor=predictor, feature_names=names)
