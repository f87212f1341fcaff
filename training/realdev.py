"""The real-text transfer check: 80 labeled lines of ``../shared/corpus``.

Never trained or tuned on; read at evaluation time only, from the shared
folder beside the project (``BAOCAO_SHARED`` overrides the location).
"""
from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

from classifier.artifact import PROJECT_ROOT


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
