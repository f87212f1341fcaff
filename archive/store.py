"""Committed chunks of a job, kept in ``OUTPUT.parts/`` so a killed job resumes where it stopped.

Layout:

- ``job.json``: what the job scores (input fingerprint, model SHA-256, options); a rerun must match it.
- ``chunk-000001.jsonl`` ...: rows of one chunk (with ``_seq``, the input position), each written to a
  temporary file, fsynced and renamed into place, so a chunk file is complete or absent.
- ``lock``: held (flock) by the running job, so two jobs never write the same parts.
- ``done.jsonl``: the manifest, one line per committed chunk (its file, input positions and ids), appended
  and fsynced only after the chunk file is in place. A chunk file the manifest does not name (the job died
  between the two steps) is removed on the next run and its documents scored again; a torn last manifest
  line is ignored the same way.
"""
from __future__ import annotations

import heapq
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

JOB_FILE = "job.json"
MANIFEST = "done.jsonl"
LOCK = "lock"


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + f".tmp-{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


class PartStore:
    """The parts folder of one output file."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.chunks: list[dict] = []  # manifest entries: {"chunk", "seqs", "ids"}
        self.done: set[int] = set()

    def job(self) -> dict | None:
        path = self.folder / JOB_FILE
        if not path.exists():
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            return None

    def lock(self) -> bool:
        """Hold an exclusive lock on the folder while this process lives; False if another job holds it."""
        import fcntl

        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.folder / LOCK, "a")
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._lock.close()
            return False
        return True

    def unlock(self) -> None:
        lock = getattr(self, "_lock", None)
        if lock is not None:
            lock.close()  # closing the file releases the flock
            self._lock = None

    def reset(self, job: dict) -> None:
        """Start afresh: drop every committed chunk and record what this job scores."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for path in self.folder.iterdir():
            if path.name != LOCK:
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        atomic_write_text(self.folder / JOB_FILE, json.dumps(job, ensure_ascii=False, indent=1))
        self.chunks, self.done = [], set()

    def load(self) -> None:
        """Read the manifest; remove chunk files it does not name and temporary files."""
        self.chunks, self.done = [], set()
        manifest = self.folder / MANIFEST
        if manifest.exists():
            with open(manifest, encoding="utf-8") as fh:
                for line in fh:
                    try:
                        entry = json.loads(line)
                    except ValueError:
                        break  # a torn last line: that chunk was not committed
                    if not (self.folder / entry["chunk"]).exists():
                        break
                    self.chunks.append(entry)
                    self.done.update(entry["seqs"])
            # rewrite the manifest if it had a torn or dangling tail, so appends start on a clean line
            good = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in self.chunks)
            if manifest.read_text(encoding="utf-8") != good:
                atomic_write_text(manifest, good)
        named = {e["chunk"] for e in self.chunks}
        for path in self.folder.iterdir():
            if path.name not in named and path.name not in (JOB_FILE, MANIFEST, LOCK):
                shutil.rmtree(path) if path.is_dir() else path.unlink()

    def _next_name(self) -> str:
        last = max((int(e["chunk"][6:12]) for e in self.chunks), default=0)
        return f"chunk-{last + 1:06d}.jsonl"

    def commit(self, rows: list[dict]) -> None:
        """Make one chunk durable: chunk file first (atomic rename), then its manifest line (fsynced)."""
        rows = sorted(rows, key=lambda r: r["_seq"])
        name = self._next_name()
        path = self.folder / name
        tmp = self.folder / (name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        _fsync_dir(self.folder)
        entry = {"chunk": name, "seqs": [r["_seq"] for r in rows], "ids": [r["id"] for r in rows]}
        with open(self.folder / MANIFEST, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        self.chunks.append(entry)
        self.done.update(entry["seqs"])

    def _read_chunk(self, name: str) -> Iterator[tuple[int, dict]]:
        with open(self.folder / name, encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                yield row.pop("_seq"), row

    def rows_in_order(self, total: int) -> Iterator[dict]:
        """Every committed row in input order, merging chunk files lazily (few are open at once).

        Raises ``RuntimeError`` unless positions 0..total-1 each appear exactly once.
        """
        chunks = sorted(self.chunks, key=lambda e: e["seqs"][0])  # seqs are sorted within a chunk
        heap: list[tuple[int, int, dict, Iterator]] = []
        expected, k = 0, 0
        while expected < total:
            while k < len(chunks) and (not heap or chunks[k]["seqs"][0] <= heap[0][0]):
                rows = self._read_chunk(chunks[k]["chunk"])
                first = next(rows, None)
                if first is not None:
                    heapq.heappush(heap, (first[0], k, first[1], rows))
                k += 1
            if not heap:
                break
            seq, key, row, rows = heapq.heappop(heap)
            if seq != expected:
                raise RuntimeError(f"committed rows are inconsistent: expected input position {expected}, found {seq}")
            yield row
            expected += 1
            following = next(rows, None)
            if following is not None:
                heapq.heappush(heap, (following[0], key, following[1], rows))
        if expected != total or heap or k < len(chunks):
            raise RuntimeError(f"committed rows are inconsistent: {expected} of {total} input positions in order")
