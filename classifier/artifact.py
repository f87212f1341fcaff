"""One artifact, one card: a joblib file and a JSON card that records its SHA-256.

Loading recomputes the digest and refuses a file that does not match its
card, so a reviewer never gets scores from a model nobody trained.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import joblib

from .errors import ModelIntegrityError, ModelNotFoundError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL_PATH = PROJECT_ROOT / "models" / "baocao.joblib"


def default_model_path() -> Path:
    """``BAOCAO_MODEL`` if set, else ``models/baocao.joblib`` in the project."""
    return Path(os.environ.get("BAOCAO_MODEL") or DEFAULT_MODEL_PATH)


def card_path(model_path: Path) -> Path:
    return model_path.with_suffix(".card.json")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_artifact(bundle: dict, path: Path) -> str:
    """Write the bundle atomically and return its SHA-256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    joblib.dump(bundle, tmp, compress=3)
    os.replace(tmp, path)
    return sha256_of(path)


def read_card(model_path: Path) -> dict:
    cpath = card_path(model_path)
    if not cpath.exists():
        raise ModelIntegrityError(f"Thiếu thẻ mô hình {cpath}", f"model card missing: {cpath}")
    return json.loads(cpath.read_text(encoding="utf-8"))


def verify_artifact(path: Path | str | None = None) -> tuple[Path, dict, str]:
    """(path, card, SHA-256) of an artifact whose bytes match its card; raises before anything is unpickled."""
    model_path = Path(path) if path else default_model_path()
    if not model_path.exists():
        raise ModelNotFoundError(
            f"Chưa có mô hình tại {model_path}; chạy `baocao train` để huấn luyện mô hình mặc định.",
            f"no model at {model_path}; run `baocao train` to train the default model")
    card = read_card(model_path)
    actual = sha256_of(model_path)
    if card.get("artifact_sha256") != actual:
        raise ModelIntegrityError(
            f"Mô hình {model_path} không khớp SHA-256 trong thẻ mô hình; không tải.",
            f"artifact {model_path} does not match the SHA-256 in its card ({actual} != {card.get('artifact_sha256')})")
    return model_path, card, actual


def load_artifact(path: Path | str | None = None) -> tuple[dict, dict]:
    """Load (bundle, card) after checking the artifact's SHA-256 against its card."""
    model_path, card, _ = verify_artifact(path)
    return joblib.load(model_path), card
