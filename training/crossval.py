"""Model selection without the dev split: leave-one-writer-out cross-validation on train.

Each training file was written by one writer (README of data/samples). Holding out one
writer's documents at a time measures what the hidden evaluation measures — documents by
other hands — and never reads the dev split. ``--by-round`` holds out each round of concept
sets whole (the writers of one brief), which also removes the brief's shared phrasing.

Usage: python -m training.crossval [--by-writer | --by-round] [--ngram-weights position=2,proposal=2] [--sentence-C 2]
"""
from __future__ import annotations

import argparse
import re
import sys

import numpy as np

from classifier.model import LABELS, ReportClassifier

from .data import Record, load_corpus
from .metrics import label_metrics
from .targets import training_arrays
from .train import make_model


def writer_of(record: Record) -> str:
    """The writer of a record: its id prefix, which is its training file."""
    return re.sub(r"-\d+$", "", record.id)


# The concept sets written to one brief (a round of data; data card), held out together by ``--by-round``:
# writers of one round share their brief's phrasing, which holding out one writer at a time does not remove.
ROUND_SETS: dict[str, tuple[str, ...]] = {
    "rounds 7-9": ("trvm", "trvn", "trvo", "trvp", "trvq", "trvr", "trvt", "trvu", "trcq", "trcr", "trct", "trcu",
                   "trwa", "trwb", "trwc"),
    "round 10": ("trya", "tryb", "tryc", "tryd", "trye", "tryf"),
    "round 11": ("trza", "trzb", "trzc", "trzd"),
}


def _pairs(text: str) -> dict[str, float]:
    """``"position=2,proposal=2"`` -> ``{"position": 2.0, "proposal": 2.0}`` (the command-line form of per-label settings)."""
    return {key: float(value) for key, value in (item.split("=") for item in text.split(","))}


def leave_one_writer_out(records: list[Record], build=make_model,
                         untagged_weight: dict[tuple[str, int], float] | None = None,
                         held_out: dict[str, tuple[str, ...]] | None = None) -> dict:
    """Per-label metrics of models fitted without each writer, scored on that writer's documents.

    With ``held_out`` (group name -> writers), each group is held out instead, and only the held-out
    groups' documents are scored (``by_writer`` then holds the groups)."""
    writers = np.array([writer_of(r) for r in records])
    if held_out:
        group_of = {w: name for name, members in held_out.items() for w in members}
        groups = np.array([group_of.get(w, "") for w in writers])
    else:
        groups = writers
    _, sentences, Y, sentence_Y, sentence_W = training_arrays(records, untagged_weight)
    sizes = np.array([len(s) for s in sentences])
    starts = np.concatenate([[0], np.cumsum(sizes)])
    proba = np.zeros(Y.shape)
    pred = np.zeros(Y.shape, dtype=int)
    names = [g for g in np.unique(groups) if g]
    for group in names:
        train, test = np.flatnonzero(groups != group), np.flatnonzero(groups == group)
        rows = np.concatenate([np.arange(starts[i], starts[i + 1]) for i in train])
        model: ReportClassifier = build().fit([sentences[i] for i in train], Y[train], sentence_Y[rows],
                                              sentence_W[rows])
        p = model.predict_proba([sentences[i] for i in test])
        proba[test] = p
        pred[test] = np.stack([p[:, j] >= model.thresholds_[l] for j, l in enumerate(LABELS)], axis=1)
    scored = groups != ""
    Y, pred, proba, sizes, groups = Y[scored], pred[scored], proba[scored], sizes[scored], groups[scored]
    metrics = label_metrics(Y, pred, proba)
    metrics["by_writer"] = {g: label_metrics(Y[groups == g], pred[groups == g]) for g in names}
    short = sizes <= 2  # pasted lines and short passages: how the real-report lines are scored
    metrics["short"] = label_metrics(Y[short], pred[short], proba[short])
    return metrics


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ngram-weights", default=None, help="e.g. position=2,proposal=2 (default: the model's)")
    parser.add_argument("--sentence-C", type=float, default=None)
    parser.add_argument("--label-sentence-C", default=None, help="per-label sentence C, e.g. position=3 (default: the model's)")
    parser.add_argument("--rarity", default=None, help="rarity features to keep, e.g. mean_idf,share_rare ('' for none)")
    parser.add_argument("--unseen-rarity", choices=("max", "median"), default=None)
    parser.add_argument("--untagged-weight", default=None,
                        help="weights of untagged sentences by label and document label, e.g. vague1=0.1,vague0=0.6")
    parser.add_argument("--by-writer", action="store_true", help="also print the metrics of each held-out writer")
    parser.add_argument("--by-round", action="store_true",
                        help="hold out each round of concept sets (ROUND_SETS) whole instead of one writer; "
                             "scores those rounds' documents only")
    args = parser.parse_args(argv)

    def build() -> ReportClassifier:
        model = make_model()
        if args.ngram_weights:
            model.set_params(ngram_weights=_pairs(args.ngram_weights))
        if args.sentence_C:
            model.set_params(sentence_C=args.sentence_C)
        if args.label_sentence_C:
            model.set_params(label_sentence_C=_pairs(args.label_sentence_C))
        if args.rarity is not None:
            model.set_params(featurizer__rarity_features=tuple(n for n in args.rarity.split(",") if n))
        if args.unseen_rarity:
            model.set_params(featurizer__unseen_rarity=args.unseen_rarity)
        return model

    records = [r for r in load_corpus() if r.split == "train"]
    untagged = None
    if args.untagged_weight:  # "vague1=0.1": label, then the document label
        untagged = {(k[:-1], int(k[-1])): v for k, v in _pairs(args.untagged_weight).items()}
    metrics = leave_one_writer_out(records, build, untagged, ROUND_SETS if args.by_round else None)
    what = "leave-one-round-out, scored on the rounds' documents" if args.by_round else "leave-one-writer-out"
    print(f"{what} on {len(records)} train documents ({build()!r}):")
    for label in LABELS:
        m = metrics[label]
        print(f"  {label:9} macro-F1 {m['macro_f1']:.3f}  ROC-AUC {m['roc_auc']:.3f}  ECE {m['calibration_error']:.3f}")
    print(f"  verdict accuracy {metrics['verdict_accuracy']:.3f}")
    short = metrics["short"]
    print(f"  documents of one or two sentences ({short['vague']['n']}): macro-F1 "
          + " / ".join(f"{short[l]['macro_f1']:.3f}" for l in LABELS))
    if args.by_writer or args.by_round:  # e.g. the concept sets that put the usual cues in the other class (trpc, trph, trvc)
        held = "round" if args.by_round else "writer"
        print(f"  by held-out {held} (documents; macro-F1 vague / position / proposal; verdict accuracy):")
        for writer, m in metrics["by_writer"].items():
            print(f"    {writer:14} {m['vague']['n']:4d}  " + " / ".join(f"{m[l]['macro_f1']:.3f}" for l in LABELS)
                  + f";  {m['verdict_accuracy']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
