"""Agreement between the corpus labels and a blind second annotation of a sample of it.

The labels in ``data/samples`` are each one writer's reading of the guide. A second
annotator, given only the guide and the texts of a sample (``data/audit/``), labels them
again; raw agreement and Cohen's kappa per label say how sharp the guide's lines are in
practice, which bounds what any model can be expected to reproduce.

Usage: python -m training.agreement [data/audit/second_annotation.jsonl]
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from sklearn.metrics import cohen_kappa_score

from classifier.artifact import PROJECT_ROOT

from .crossval import writer_of
from .data import LABEL_NAMES, load_corpus
from .metrics import verdicts

DEFAULT_SECOND = PROJECT_ROOT / "data" / "audit" / "second_annotation.jsonl"


def read_second(path: Path) -> dict[str, dict[str, int]]:
    """``{id: labels}`` of a second-annotation file (one ``{"id", "labels", "why"?}`` per line). Every line labels
    the same labels: all three, or a subset when an audit asked about some of them only."""
    out: dict[str, dict[str, int]] = {}
    expected: set[str] | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            obj = json.loads(line)
            names = set(obj.get("labels", {}))
            expected = names if expected is None else expected
            if not names or not names <= set(LABEL_NAMES) or names != expected:
                raise ValueError(f"{path}:{number}: labels must be the same subset of {LABEL_NAMES} on every line")
            out[obj["id"]] = {k: int(v) for k, v in obj["labels"].items()}
    return out


def agreement(first: np.ndarray, second: np.ndarray, labels: tuple[str, ...] = LABEL_NAMES) -> dict:
    """Per label: raw agreement and Cohen's kappa; with all three labels, also agreement on all three and on
    the verdict."""
    out = {label: {"agreement": float(np.mean(first[:, j] == second[:, j])),
                   "kappa": float(cohen_kappa_score(first[:, j], second[:, j])),
                   "positives_first": int(first[:, j].sum()), "positives_second": int(second[:, j].sum())}
           for j, label in enumerate(labels)}
    if tuple(labels) != tuple(LABEL_NAMES):
        return out
    out["all_three"] = float(np.mean((first == second).all(axis=1)))
    out["verdict"] = float(np.mean([a == b for a, b in zip(verdicts(first), verdicts(second))]))
    return out


def main(argv: list[str] | None = None) -> int:
    path = Path(argv[0]) if argv else DEFAULT_SECOND
    second = read_second(path)
    records = {r.id: r for r in load_corpus()}
    missing = sorted(set(second) - set(records))
    if missing:
        print(f"ids not in the corpus: {missing[:5]}", file=sys.stderr)
        return 2
    ids = sorted(second)
    labels = tuple(l for l in LABEL_NAMES if l in second[ids[0]])
    first = np.array([[records[i].labels[l] for l in labels] for i in ids])
    again = np.array([[second[i][l] for l in labels] for i in ids])
    writers = {writer_of(records[i]) for i in ids}
    result = agreement(first, again, labels)
    print(f"{len(ids)} documents from {len(writers)} writers' sets, labeled again blind ({path.name}):")
    for label in labels:
        m = result[label]
        print(f"  {label:9} agreement {m['agreement']:.2f}  Cohen's kappa {m['kappa']:.2f}  "
              f"(positives: corpus {m['positives_first']}, second {m['positives_second']})")
    if "all_three" in result:
        print(f"  all three labels {result['all_three']:.2f}, verdict {result['verdict']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
