"""Archive-scale batch speed: `baocao batch` with 1 and 2 local workers and on a 2-worker Dask LocalCluster,
next to the plain word_tokenize + TF-IDF + LR pipeline on the same archive, in one run.

Usage: .venv/bin/python benchmarks/bench_archive.py [--docs 10000] [--input parquet|jsonl|folder] [--skip-dask]

The archive is built in a temporary folder from ../shared/corpus/self-assessment-reports.vi.txt: each
document is a run of consecutive non-empty lines from a random start (wrapping at the end), grown to a
length drawn log-uniformly between 40 and 1,500 words, with an agency and a date column. Each batch job
is the real path end to end (read the table or the files, score in chunks, commit parts with fsync, write
the .parquet output) and its time includes start-up (model loading, worker start). The 1- and 2-worker jobs
run in a fresh process each, so the peak memory reported for a worker is that worker's own. The baseline
is trained on data/samples' train split exactly as in bench_scoring.py and runs in this process on the
texts already in memory, 64 per call, one core: it reads no file and writes nothing.
Per-core ratio = (baocao documents/second / processes that scored) / baseline documents/second.
"""
from __future__ import annotations

import argparse
import json
import logging
import math
import multiprocessing
import random
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_scoring import fit_baseline  # noqa: E402
from training.data import load_corpus  # noqa: E402
from training.realdev import corpus_lines  # noqa: E402

AGENCIES = ("Sở Xây dựng", "Sở Tài chính", "Sở Y tế", "SỞ TN&MT", "UBND huyện Thủy Nguyên", "Sở GD&ĐT")


def build_archive(n: int, seed: int = 0) -> list[dict]:
    """``n`` records {id, text, agency, date}: passages of consecutive corpus lines of varied length."""
    lines = [line.strip() for line in corpus_lines() if line.strip()]
    if not lines:
        sys.exit("../shared/corpus not found: the benchmark reads real passages from it")
    rng = random.Random(seed)
    records = []
    for k in range(n):
        target = math.exp(rng.uniform(math.log(40), math.log(1500)))
        start, words, chunk = rng.randrange(len(lines)), 0, []
        while words < target:
            line = lines[(start + len(chunk)) % len(lines)]
            chunk.append(line)
            words += len(line.split())
        records.append({"id": f"vb-{k:06d}", "text": "\n".join(chunk), "agency": rng.choice(AGENCIES),
                        "date": f"{rng.randint(2021, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"})
    return records


def write_input(records: list[dict], folder: Path, kind: str) -> Path:
    if kind == "folder":
        root = folder / "archive"
        for r in records:
            path = root / r["id"][:6] / f"{r['id']}.txt"  # a few hundred files per subfolder
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(r["text"], encoding="utf-8")
        return root
    if kind == "jsonl":
        path = folder / "archive.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        return path
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = folder / "archive.parquet"
    pq.write_table(pa.Table.from_pylist(records), path)
    return path


def run_batch(src: Path, out: Path, chunk_size: int, workers: int | None = None, dask_scheduler: str | None = None):
    from archive.job import JobOptions, run_job

    return run_job(JobOptions(input=src, output=out, workers=workers, chunk_size=chunk_size,
                              dask_scheduler=dask_scheduler, progress=False))


def run_batch_in_child(src: Path, out: Path, chunk_size: int, workers: int):
    """The job in a fresh process, so its peak memory is its own and not this benchmark's."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(run_batch, src, out, chunk_size, workers).result()


def baseline_throughput(texts: list[str], batch: int = 64) -> float:
    records = load_corpus()
    baseline = fit_baseline([r for r in records if r.split == "train"])
    baseline.predict_proba(texts[:5])  # warm-up
    start = time.perf_counter()
    for i in range(0, len(texts), batch):
        baseline.predict_proba(texts[i:i + batch])
    return len(texts) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--input", choices=("parquet", "jsonl", "folder"), default="parquet")
    parser.add_argument("--chunk-size", type=int, default=None, help="default: the batch default, "
                        "or docs/20 for small runs so that both workers get chunks")
    parser.add_argument("--skip-dask", action="store_true")
    args = parser.parse_args()

    from archive.job import CHUNK_SIZE

    chunk_size = args.chunk_size or max(1, min(CHUNK_SIZE, args.docs // 20))
    records = build_archive(args.docs)
    texts = [r["text"] for r in records]
    n_words = sum(len(t.split()) for t in texts)
    lengths = [len(t.split()) for t in texts]
    print(f"{len(records)} documents, {n_words / len(records):.0f} words on average (min {min(lengths)}, "
          f"max {max(lengths)}), input: {args.input}, chunks of {chunk_size}; the Dask cluster is started "
          "before its job's clock starts, local workers inside it")

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        src = write_input(records, tmp, args.input)
        for workers in (1, 2):
            s = run_batch_in_child(src, tmp / f"out-{workers}.parquet", chunk_size, workers)
            rows.append((f"baocao batch, {workers} local worker{'s' if workers > 1 else ''}", workers, s))
        if not args.skip_dask:
            from distributed import LocalCluster

            import dask

            logging.getLogger("distributed").setLevel(logging.ERROR)  # no worker start/stop chatter
            dask.config.set({"distributed.logging.distributed": "error"})
            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                              silence_logs=logging.ERROR) as cluster:
                s = run_batch(src, tmp / "out-dask.parquet", chunk_size, dask_scheduler=cluster.scheduler_address)
            rows.append(("baocao batch, Dask LocalCluster 2x1", 2, s))
        base = baseline_throughput(texts)

    print("end to end = the whole job including start-up; steady = between the first and the last committed chunk")
    print(f"{'pipeline':38} {'docs/s':>8} {'words/s':>9} {'steady':>8} {'ratio/core':>10} {'steady':>7}  "
          "peak RSS per worker (MB)")
    for name, cores, s in rows:
        ratio, steady_ratio = s.docs_per_second / cores / base, s.steady_docs_per_second / cores / base
        rss = ", ".join(f"{v / 2**20:.0f}" for v in sorted(s.workers.values()))
        print(f"{name:38} {s.docs_per_second:8.1f} {s.words_per_second:9.0f} {s.steady_docs_per_second:8.1f} "
              f"{ratio:9.1f}x {steady_ratio:6.1f}x  {rss}")
    print(f"{'word_tokenize+TF-IDF+LR (1 process)':38} {base:8.1f} {base * n_words / len(texts):9.0f} {base:8.1f} "
          f"{1.0:9.1f}x {1.0:6.1f}x")
    failed = {name: dict(s.failed_by_code) for name, _, s in rows if s.failed}
    if failed:
        print(f"error rows: {failed}")


if __name__ == "__main__":
    main()
