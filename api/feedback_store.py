"""Reviewer feedback in SQLite: every row committed (WAL, ``synchronous=FULL``) before the API answers.

One short-lived connection per call: SQLite connections are cheap, and it
keeps threadpool workers from sharing one. ``training.feedback`` reads the
same table (or its JSONL export) to fold corrections into training.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

from classifier.errors import InvalidRecordError

LABELS = ("vague", "position", "proposal")
SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    document_id TEXT NOT NULL,
    text TEXT,
    text_sha256 TEXT NOT NULL,
    model_version TEXT NOT NULL,
    predicted TEXT NOT NULL,
    corrected TEXT NOT NULL,
    comment TEXT,
    reviewer TEXT
)
"""
COLUMNS = ("id", "created", "document_id", "text", "text_sha256", "model_version", "predicted", "corrected",
           "comment", "reviewer")


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _labels(value: dict) -> str:
    return json.dumps({k: bool(value[k]) for k in LABELS})


class FeedbackStore:
    """Append-only table of corrections; ``add`` returns only after the row is on disk."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(SCHEMA)
            conn.commit()

    def _connect(self, check_same_thread: bool = True) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, check_same_thread=check_same_thread)
        conn.execute("PRAGMA synchronous=FULL")
        return conn

    def add(self, *, document_id: str, model_version: str, predicted: dict, corrected: dict,
            text: str | None = None, sha256: str | None = None, comment: str | None = None,
            reviewer: str | None = None) -> dict:
        """Store one correction; ``text`` or ``sha256`` is required, and they must agree when both are given."""
        if text is not None:
            digest = text_sha256(text)
            if sha256 is not None and sha256 != digest:
                raise InvalidRecordError("text_sha256 không khớp với SHA-256 của văn bản gửi kèm.",
                                         "text_sha256 does not match the SHA-256 of the text sent")
        elif sha256 is not None:
            digest = sha256
        else:
            raise InvalidRecordError("Cần gửi văn bản hoặc text_sha256.", "send 'text' or 'text_sha256'")
        created = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with closing(self._connect()) as conn:
            with conn:  # commits on success, before we answer
                cur = conn.execute(
                    "INSERT INTO feedback (created, document_id, text, text_sha256, model_version, predicted,"
                    " corrected, comment, reviewer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (created, document_id, text, digest, model_version, _labels(predicted), _labels(corrected),
                     comment, reviewer))
        return {"id": cur.lastrowid, "text_sha256": digest, "created": created}

    def rows(self) -> Iterator[dict]:
        """Every row, oldest first (streams: the connection may be advanced from different threads)."""
        with closing(self._connect(check_same_thread=False)) as conn:
            for values in conn.execute(f"SELECT {', '.join(COLUMNS)} FROM feedback ORDER BY id"):
                row = dict(zip(COLUMNS, values))
                row["predicted"] = json.loads(row["predicted"])
                row["corrected"] = json.loads(row["corrected"])
                yield row

    def count(self) -> int:
        with closing(self._connect()) as conn:
            return conn.execute("SELECT COUNT(*) FROM feedback").fetchone()[0]
