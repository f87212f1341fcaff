"""A batch job: input items -> chunks -> runner -> committed parts -> one output table, with a summary.

The job loop reads items lazily, keeps a bounded number of chunks in flight,
commits each chunk as soon as it comes back (in any order) and, at the end,
writes the output in input order from the committed parts. A rerun of the
same command skips every committed input position.
"""
from __future__ import annotations

import os
import sys
import time
from collections import Counter
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from classifier.artifact import verify_artifact
from classifier.errors import BaocaoError
from classifier.readers import MAX_FILE_BYTES

from .sinks import output_format, write_output
from .sources import Item, open_source
from .store import PartStore

CHUNK_SIZE = 64  # small enough that no worker idles long at the start or the end (bench_archive: 465 vs 425 docs/s at 256)
CHUNK_BYTES = 64 * 1024 * 1024  # a chunk of large files is sent before it holds more than this


class JobError(BaocaoError):
    """The job itself cannot go on (output not writable, a worker pool or cluster lost)."""

    code = "job_failed"


class ResumeConflictError(JobError):
    """The parts on disk were made from another input, model or option set."""

    code = "resume_conflict"


@dataclass
class JobOptions:
    input: Path
    output: Path
    model: Path | None = None
    workers: int | None = None  # local processes; None means os.cpu_count()
    chunk_size: int = CHUNK_SIZE
    max_file_bytes: int = MAX_FILE_BYTES
    restart: bool = False
    dask_scheduler: str | None = None
    progress: bool = True

    @property
    def parts(self) -> Path:
        return self.output.with_name(self.output.name + ".parts")


@dataclass
class JobSummary:
    output: Path
    total: int = 0  # rows in the output
    scored: int = 0
    failed_by_code: Counter = field(default_factory=Counter)
    resumed: int = 0  # rows committed by an earlier run of the same job
    processed: int = 0  # rows scored by this run
    words: int = 0  # words in the documents this run scored
    seconds: float = 0.0
    workers: dict[str, int] = field(default_factory=dict)  # worker -> peak RSS in bytes
    commits: list[tuple[float, int]] = field(default_factory=list)  # (seconds since start, rows) per chunk

    @property
    def steady_docs_per_second(self) -> float:
        """Rows per second between the first and the last commit: the rate once start-up is over."""
        if len(self.commits) < 2 or self.commits[-1][0] <= self.commits[0][0]:
            return self.docs_per_second
        return sum(n for _, n in self.commits[1:]) / (self.commits[-1][0] - self.commits[0][0])

    @property
    def failed(self) -> int:
        return sum(self.failed_by_code.values())

    @property
    def docs_per_second(self) -> float:
        return self.processed / self.seconds if self.seconds > 0 else 0.0

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds > 0 else 0.0

    def text_vi(self) -> str:
        """The summary a user reads at the end of ``baocao batch``."""
        lines = [f"Xong: {self.total} văn bản — chấm được {self.scored}, lỗi {self.failed}."]
        if self.failed:
            lines.append("Lỗi theo mã: " + ", ".join(f"{code} {n}" for code, n in
                                                      sorted(self.failed_by_code.items(), key=lambda kv: (-kv[1], kv[0]))))
        if self.processed:
            run = (f"Lần chạy này: {self.processed} văn bản trong {self.seconds:.1f} giây "
                   f"({self.docs_per_second:.1f} văn bản/giây, {self.words_per_second:.0f} từ/giây)")
        else:
            run = f"Lần chạy này không phải chấm thêm văn bản nào ({self.seconds:.1f} giây)"
        if self.resumed:
            run += f"; {self.resumed} văn bản đã chấm ở lần chạy trước được giữ nguyên"
        lines.append(run + ".")
        lines.append(f"Kết quả: {self.output}")
        return "\n".join(lines)


def model_identity(path: Path | None) -> tuple[Path, str, str]:
    """(path, SHA-256, model_version) of the artifact, checked against its card without loading it."""
    model_path, card, actual = verify_artifact(path)
    return model_path.resolve(), actual, str(card.get("model_version"))


def _open_store(options: JobOptions, job: dict) -> PartStore:
    store = PartStore(options.parts)
    if not store.lock():
        raise JobError(f"Một lệnh batch khác đang ghi vào {options.output}; chờ nó xong hoặc dừng nó trước.",
                       f"another batch job is writing {options.output} (lock held on {options.parts})")
    try:
        _check_or_reset(store, options, job)
    except BaseException:
        store.unlock()
        raise
    return store


def _check_or_reset(store: PartStore, options: JobOptions, job: dict) -> None:
    before = store.job()
    if before is None or options.restart:
        store.reset(job)
        return
    changed = []
    if before.get("input") != job["input"] or before.get("input_fingerprint") != job["input_fingerprint"]:
        changed.append(("đầu vào", "input"))
    if before.get("model_sha256") != job["model_sha256"]:
        changed.append((f"mô hình ({before.get('model_version')} → {job['model_version']})", "model"))
    if before.get("max_file_bytes") != job["max_file_bytes"]:
        changed.append(("--max-file-bytes", "--max-file-bytes"))
    if changed:
        vi = ", ".join(c[0] for c in changed)
        en = ", ".join(c[1] for c in changed)
        raise ResumeConflictError(
            f"{vi} đã thay đổi so với lần chạy trước (kết quả từng phần trong {options.parts}); "
            f"thêm --restart để bỏ các phần đó và chấm lại từ đầu.",
            f"{en} changed since the run whose parts are in {options.parts}; pass --restart to start over")
    store.load()


def _make_runner(options: JobOptions, model_path: Path, model_sha: str):
    if options.dask_scheduler:
        from .distributed import DaskRunner

        return DaskRunner(options.dask_scheduler, model_path, model_sha, options.max_file_bytes)
    from .runners import InlineRunner, ProcessRunner

    workers = options.workers or os.cpu_count() or 1
    if workers == 1:
        return InlineRunner(model_path, options.max_file_bytes)
    return ProcessRunner(model_path, options.max_file_bytes, workers)


def _chunks(items, done: set[int], options: JobOptions, total: int):
    """Pending items in chunks of ``chunk_size`` (fewer when their files are large)."""
    chunk: list[Item] = []
    size = seen = 0
    for item in items:
        seen += 1
        if item.seq in done:
            continue
        item.load(options.max_file_bytes)
        chunk.append(item)
        size += len(item.data or b"") + len(item.text or "")
        if len(chunk) >= options.chunk_size or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk
    if seen != total:
        raise JobError(f"Đầu vào thay đổi trong khi chấm ({seen} văn bản, lúc đầu đếm được {total}); chạy lại lệnh.",
                       f"input changed while the job read it ({seen} items, {total} counted at start); run again")


def run_job(options: JobOptions, log: TextIO | None = None) -> JobSummary:
    """Run (or resume) the job and write the output; raises :class:`BaocaoError` subclasses if the job fails."""
    log = log or sys.stderr
    started = time.perf_counter()
    output_format(options.output)
    if options.chunk_size < 1:
        raise JobError("--chunk-size phải ≥ 1.", "--chunk-size must be at least 1")
    model_path, model_sha, model_version = model_identity(options.model)
    source = open_source(options.input, exclude=(options.output, options.parts))
    total = source.count()
    job = {"format": 1, "input": str(Path(options.input).resolve()), "input_fingerprint": source.fingerprint(),
           "total": total, "model_sha256": model_sha, "model_version": model_version,
           "max_file_bytes": options.max_file_bytes}
    try:
        store = _open_store(options, job)
    except OSError as err:
        raise JobError(f"Không ghi được thư mục tạm {options.parts}: {err.strerror}.",
                       f"cannot write the parts folder {options.parts}: {err}") from None
    try:
        summary = JobSummary(output=options.output, resumed=len(store.done))
        if len(store.done) < total:
            _score_pending(options, source, store, total, summary, model_path, model_sha, log, started)
        _assemble(options, store, total, summary)
    finally:
        store.unlock()
    summary.seconds = time.perf_counter() - started
    return summary


def _score_pending(options, source, store, total, summary, model_path, model_sha, log, started) -> None:
    from tqdm import tqdm

    runner = _make_runner(options, model_path, model_sha)
    bar = tqdm(total=total, initial=len(store.done), unit=" văn bản", desc="Chấm", file=log, smoothing=0.1,
               disable=not options.progress, dynamic_ncols=True)
    inflight: set = set()
    limit = 2 * max(1, runner.workers)

    def drain(until: int) -> None:
        nonlocal inflight
        while len(inflight) > until:
            finished, inflight = runner.wait_any(inflight)
            for future in finished:
                try:
                    rows, stats = future.result()
                except (BrokenProcessPool, BaocaoError):
                    raise
                except Exception as err:  # infrastructure, not a document: score_items never raises for one
                    raise JobError(f"Một phần việc thất bại trên worker ({type(err).__name__}: {err}); các phần đã "
                                   "xong được giữ, chạy lại cùng lệnh để tiếp tục.",
                                   f"a chunk failed on a worker ({type(err).__name__}: {err}); committed chunks "
                                   "are kept, rerun the same command to resume") from None
                store.commit(rows)
                summary.processed += len(rows)
                summary.words += sum(r["words"] or 0 for r in rows)
                worker = stats["worker"]
                summary.workers[worker] = max(summary.workers.get(worker, 0), stats["peak_rss"])
                summary.commits.append((time.perf_counter() - started, len(rows)))
                bar.update(len(rows))

    try:
        for chunk in _chunks(source, store.done, options, total):
            inflight.add(runner.submit(chunk))
            drain(limit - 1)
        drain(0)
    except BrokenProcessPool:
        raise JobError("Một tiến trình chấm dừng đột ngột (có thể hết bộ nhớ); chạy lại cùng lệnh để tiếp tục.",
                       "a worker process died (out of memory?); rerun the same command to resume") from None
    except OSError as err:
        raise JobError(f"Không ghi được phần kết quả vào {options.parts}: {err.strerror}.",
                       f"cannot write committed parts to {options.parts}: {err}") from None
    finally:
        bar.close()
        runner.close()


def _assemble(options: JobOptions, store: PartStore, total: int, summary: JobSummary) -> None:
    def counted():
        for row in store.rows_in_order(total):
            summary.total += 1
            if row["error_code"]:
                summary.failed_by_code[row["error_code"]] += 1
            else:
                summary.scored += 1
            yield row

    try:
        write_output(options.output, counted())
    except OSError as err:
        raise JobError(f"Không ghi được tệp kết quả {options.output}: {err.strerror}.",
                       f"cannot write the output {options.output}: {err}") from None
