"""The real-text transfer checks: labeled lines of ``../shared/corpus``.

``real_dev``: the 80 lines labeled in ``../shared/corpus/real-dev.jsonl``.
``corpus_check``: 240 other corpus lines drawn at random, and ``corpus_check_plans``: 240
lines drawn from those that read like plans and requests, each labeled blind by two
annotators (``data/audit/corpus_check.jsonl`` holds line numbers and labels only,
never the text). Neither is trained on; both are read at
evaluation time only, from the shared folder beside the project
(``BAOCAO_SHARED`` overrides the location).
"""
from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

from classifier.artifact import PROJECT_ROOT

REAL_LABELS = ("vague", "proposal")  # the labels real-dev and the corpus check carry
CORPUS_CHECK = PROJECT_ROOT / "data" / "audit" / "corpus_check.jsonl"
CHECK_SETS = ("check", "check_plans", "real_dev")


def shared_dir() -> Path:
    return Path(os.environ.get("BAOCAO_SHARED") or PROJECT_ROOT.parent / "shared")


def corpus_lines() -> list[str]:
    """Lines of the real report corpus, NFC-normalised ([] if the corpus is not present)."""
    path = shared_dir() / "corpus" / "self-assessment-reports.vi.txt"
    if not path.exists():
        return []
    return [unicodedata.normalize("NFC", line.rstrip("\n")) for line in path.open(encoding="utf-8")]


def real_dev() -> list[dict]:
    """``[{"line", "text", "labels": {vague, proposal}}]``, or [] if the shared corpus is absent."""
    path = shared_dir() / "corpus" / "real-dev.jsonl"
    lines = corpus_lines()
    if not path.exists() or not lines:
        return []
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.strip():
            item = json.loads(raw)
            item["text"] = lines[item["line"] - 1].strip()
            out.append(item)
    return out



def read_corpus_check(path: Path = CORPUS_CHECK) -> list[dict]:
    """The check file's rows: ``{"line", "set", "labels": {"a": {...}, "b": {...}}, "why"}``.

    ``set``: ``check`` for the random sample, ``check_plans`` for the sample of plan-like lines, ``real_dev`` for
    real-dev lines mixed blind into the annotators' batches to measure how well they reproduce the real-dev labels
    (not part of either check).
    """
    rows = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        row = json.loads(raw)
        if row.get("set") not in CHECK_SETS or set(row.get("labels", {})) != {"a", "b"} or any(
                set(v) != set(REAL_LABELS) for v in row["labels"].values()):
            raise ValueError(f"{path}:{number}: expected set {'|'.join(CHECK_SETS)} and labels a, b with {REAL_LABELS}")
        rows.append(row)
    return rows


def corpus_check(path: Path = CORPUS_CHECK, sample: str = "check") -> list[dict]:
    """``[{"line", "text", "labels"}]`` for the lines of one sample (``check`` or ``check_plans``) on which both
    annotators agree on both labels (the consensus), or [] if the shared corpus is absent."""
    lines = corpus_lines()
    if not lines or not path.exists():
        return []
    return [{"line": row["line"], "text": lines[row["line"] - 1].strip(), "labels": row["labels"]["a"]}
            for row in read_corpus_check(path) if row["set"] == sample and row["labels"]["a"] == row["labels"]["b"]]


def corpus_check_plans(path: Path = CORPUS_CHECK) -> list[dict]:
    """The consensus lines of the plan-like sample (see :func:`corpus_check`)."""
    return corpus_check(path, "check_plans")
