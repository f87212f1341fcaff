"""Train the default model from ``data/samples/`` and write artifact + card."""
from __future__ import annotations

import hashlib
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from classifier import __version__
from classifier.artifact import default_model_path, save_artifact
from classifier.features import SentenceFeaturizer
from classifier.model import LABELS, ReportClassifier

from .card import code_version, library_versions, write_card
from .data import DEFAULT_DATA_DIR, Record, data_hash, load_corpus
from .evaluate import evaluate_all
from .feedback import FeedbackSet
from .metrics import label_metrics
from .targets import training_arrays


def make_model(seed: int = 0) -> ReportClassifier:
    """The default estimator (its repr is printed in the model card)."""
    # n-gram weights and the position head's C chosen by leave-one-writer-out cross-validation on the train
    # split (docs/model-selection.md)
    return ReportClassifier(featurizer=SentenceFeaturizer(ngram_range=(1, 2), min_df=2, cue_weight=1.0,
                                                          unseen_rarity="median"),
                            sentence_C=2.0, document_C=1.0,
                            ngram_weights={"vague": 1.0, "position": 3.0, "proposal": 2.0},
                            label_sentence_C={"position": 3.0},
                            n_folds=5, random_state=seed)


def fit_model(train: list[Record], seed: int = 0) -> ReportClassifier:
    _, sentences, Y, sY, sW = training_arrays(train)
    return make_model(seed).fit(sentences, Y, sY, sW)


def train(data_dir: Path | str = DEFAULT_DATA_DIR, out: Path | str | None = None, seed: int = 0,
          extra_train: list[Record] | None = None, with_baselines: bool = True, log=print,
          feedback: FeedbackSet | None = None) -> dict:
    """Validate data, fit, evaluate on dev, save artifact and card; returns the card.

    ``feedback`` (from :func:`training.feedback.load_feedback`) adds reviewers'
    corrected documents to the training split; a feedback text that is also a
    dev document is left out, so dev stays unseen.
    """
    started = time.perf_counter()
    records = load_corpus(data_dir)
    dev_recs = [r for r in records if r.split == "dev"]
    extra = list(extra_train or [])
    feedback_info = None
    if feedback is not None:
        dev_texts = {r.text for r in dev_recs}
        kept = [r for r in feedback.records if r.text not in dev_texts]
        feedback_info = feedback.summary() | {"used": len(kept), "skipped_dev_overlap": len(feedback.records) - len(kept)}
        extra += kept
        log(f"feedback {feedback.source}: {feedback.rows} rows, {len(kept)} used as training documents, "
            f"{feedback.skipped_no_text} without text skipped, {feedback.superseded} superseded, "
            f"{feedback_info['skipped_dev_overlap']} dev texts left out")
    train_recs = [r for r in records if r.split == "train"] + extra
    log(f"validated {len(records)} records: train {len(train_recs)}, dev {len(dev_recs)}")
    model = fit_model(train_recs, seed)
    log(f"fitted in {time.perf_counter() - started:.1f}s; evaluating on dev")
    Y = np.array([[r.labels[l] for l in LABELS] for r in train_recs])
    oof = model.oof_document_proba_
    oof_pred = np.stack([oof[:, j] >= model.thresholds_[l] for j, l in enumerate(LABELS)], axis=1).astype(int)
    metrics = evaluate_all(model, train_recs, dev_recs, with_baselines=with_baselines)
    dhash = data_hash(data_dir)
    version_hash = dhash if feedback_info is None else hashlib.sha256((dhash + feedback_info["hash"]).encode()).hexdigest()
    version = f"{__version__}+{version_hash[:8]}"
    out_path = Path(out) if out else default_model_path()
    sha = save_artifact({"model": model, "model_version": version, "format": 1}, out_path)
    card = {
        "name": "baocao", "model_version": version, "artifact": out_path.name, "artifact_sha256": sha,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"), "seed": seed,
        "code_version": code_version(), "libraries": library_versions(),
        "data": {"hash": dhash, "train_docs": len(train_recs), "dev_docs": len(dev_recs),
                 "dev_cue_inverted_docs": sum(r.part == "cue_inverted" for r in dev_recs),
                 "feedback_docs": len(extra),
                 **({"feedback": feedback_info} if feedback_info else {})},
        "thresholds": {k: float(v) for k, v in model.thresholds_.items()},
        "train_oof": label_metrics(Y, oof_pred, oof),
        "metrics": metrics, "estimator": repr(model),
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    jpath, mpath = write_card(card, out_path)
    log(f"wrote {out_path} (sha256 {sha[:12]}…), {jpath.name}, {mpath.name}")
    return card
