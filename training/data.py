"""Load and validate the labeled corpus in ``data/samples/``.

Layout: ``train/*.jsonl`` is the training split; ``dev/*.jsonl`` the fixed
dev split that no tuning reads (``dev/cue_inverted.jsonl`` is reported on
its own as well). Every record is validated before anything trains on it;
a bad record stops training with its file and line.
"""
from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from classifier.artifact import PROJECT_ROOT

DEFAULT_DATA_DIR = PROJECT_ROOT / "data" / "samples"
LABEL_NAMES = ("vague", "position", "proposal")
DOC_TYPES = {"bao_cao", "to_trinh", "cong_van"}
TAG_LABEL = {"P": "position", "R": "proposal", "V": "vague"}


class DataError(ValueError):
    """A record that breaks the labeling guide's format; the message starts with file:line."""


@dataclass
class Record:
    id: str
    text: str
    labels: dict[str, int]
    doc_type: str
    domain: str
    agency: str
    evidence: list[dict] = field(default_factory=list)
    split: str = "train"
    part: str = "general"
    source: str = ""
    hard_case: str | None = None

    @property
    def combo(self) -> str:
        return "".join(str(self.labels[k]) for k in LABEL_NAMES)


def validate(obj: object, where: str) -> None:
    """Raise :class:`DataError` unless ``obj`` is a valid guide record."""
    if not isinstance(obj, dict):
        raise DataError(f"{where}: a record must be a JSON object")
    for key, kind in (("id", str), ("text", str), ("labels", dict), ("doc_type", str), ("domain", str),
                      ("agency", str)):
        if key not in obj:
            raise DataError(f"{where}: missing field '{key}'")
        if not isinstance(obj[key], kind):
            raise DataError(f"{where}: field '{key}' must be {kind.__name__}")
    text = obj["text"]
    if not text.strip():
        raise DataError(f"{where}: empty text")
    if unicodedata.normalize("NFC", text) != text:
        raise DataError(f"{where}: text is not NFC-normalised")
    if obj["doc_type"] not in DOC_TYPES:
        raise DataError(f"{where}: doc_type '{obj['doc_type']}' not one of {sorted(DOC_TYPES)}")
    labels = obj["labels"]
    if set(labels) != set(LABEL_NAMES):
        raise DataError(f"{where}: labels must have exactly {LABEL_NAMES}, got {sorted(labels)}")
    for k, v in labels.items():
        if v not in (0, 1) or isinstance(v, bool):
            raise DataError(f"{where}: label '{k}' must be 0 or 1, got {v!r}")
    evidence = obj.get("evidence", [])
    if not isinstance(evidence, list):
        raise DataError(f"{where}: evidence must be a list")
    for n, ev in enumerate(evidence):
        if not isinstance(ev, dict) or not {"start", "end", "tags"} <= set(ev):
            raise DataError(f"{where}: evidence[{n}] needs start, end, tags")
        s, e, tags = ev["start"], ev["end"], ev["tags"]
        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
            raise DataError(f"{where}: evidence[{n}] offsets {s}..{e} outside the text (length {len(text)})")
        if not text[s:e].strip():
            raise DataError(f"{where}: evidence[{n}] covers only whitespace")
        if not isinstance(tags, list) or not tags or not set(tags) <= set(TAG_LABEL):
            raise DataError(f"{where}: evidence[{n}] tags must be a non-empty subset of P, R, V")
        for tag in tags:
            if tag in ("P", "R") and not labels[TAG_LABEL[tag]]:
                raise DataError(f"{where}: evidence[{n}] tagged {tag} but {TAG_LABEL[tag]}=0")


def iter_jsonl(path: Path):
    """``(where, object)`` per non-blank line, ``where`` being ``file:line``; invalid JSON raises DataError there."""
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                yield where, json.loads(line)
            except json.JSONDecodeError as err:
                raise DataError(f"{where}: invalid JSON ({err.msg})") from None


def read_jsonl(path: Path, split: str, part: str) -> list[Record]:
    records = []
    for where, obj in iter_jsonl(path):
        validate(obj, where)
        records.append(Record(id=obj["id"], text=obj["text"], labels=dict(obj["labels"]),
                              doc_type=obj["doc_type"], domain=obj["domain"], agency=obj["agency"],
                              evidence=list(obj.get("evidence", [])), split=split, part=part, source=where,
                              hard_case=obj.get("hard_case")))
    return records


def load_corpus(data_dir: Path | str = DEFAULT_DATA_DIR) -> list[Record]:
    """All records of ``train/`` and ``dev/``, validated, ids unique."""
    data_dir = Path(data_dir)
    records: list[Record] = []
    for split in ("train", "dev"):
        for path in sorted((data_dir / split).glob("*.jsonl")):
            part = "cue_inverted" if path.stem == "cue_inverted" else "general"
            records.extend(read_jsonl(path, split, part))
    if not records:
        raise DataError(f"{data_dir}: no records found under train/ or dev/")
    seen: dict[str, str] = {}
    for r in records:
        if r.id in seen:
            raise DataError(f"{r.source}: duplicate id '{r.id}' (first at {seen[r.id]})")
        seen[r.id] = r.source
    return records


def data_hash(data_dir: Path | str = DEFAULT_DATA_DIR) -> str:
    """SHA-256 over the labeled files (names and bytes), for the model card."""
    digest = hashlib.sha256()
    data_dir = Path(data_dir)
    for path in sorted(data_dir.glob("*/*.jsonl")):
        digest.update(str(path.relative_to(data_dir)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
