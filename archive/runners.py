"""Where chunks are scored: in this process, or in a pool of local worker processes.

A runner takes a chunk of items and returns a future of ``(rows, stats)``;
``stats`` names the worker and its peak memory. :mod:`archive.distributed`
gives the same interface over a Dask cluster.
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path

from classifier.workers import init_worker_process

from .scoring import peak_rss, score_items, worker_name
from .sources import Item

ChunkOutput = tuple[list[dict], dict]


def score_chunk(scorer, items: list[Item], max_file_bytes: int) -> ChunkOutput:
    rows = score_items(scorer, items, max_file_bytes)
    return rows, {"worker": worker_name(), "peak_rss": peak_rss()}


class InlineRunner:
    """Scores each chunk right away in this process (``--workers 1``): no start-up cost, no copying."""

    def __init__(self, model_path: Path, max_file_bytes: int):
        from classifier import load_scorer

        self.scorer = load_scorer(model_path)
        self.max_file_bytes = max_file_bytes
        self.workers = 1

    def submit(self, items: list[Item]) -> Future:
        future: Future = Future()
        try:
            future.set_result(score_chunk(self.scorer, items, self.max_file_bytes))
        except BaseException as err:  # surfaces in the job loop like a pool worker's failure would
            future.set_exception(err)
        return future

    def wait_any(self, futures):
        return wait(futures, return_when=FIRST_COMPLETED)

    def close(self) -> None:
        pass


_SCORER = None
_MAX_FILE_BYTES = 0


def _init_worker(model_path: str, max_file_bytes: int, parent: int) -> None:
    """Pool initializer: each worker loads the model once."""
    global _SCORER, _MAX_FILE_BYTES
    from classifier import load_scorer

    init_worker_process(parent)
    _SCORER = load_scorer(model_path)
    _MAX_FILE_BYTES = max_file_bytes


def _pool_score(items: list[Item]) -> ChunkOutput:
    return score_chunk(_SCORER, items, _MAX_FILE_BYTES)


class ProcessRunner:
    """A pool of ``workers`` local processes, each holding one loaded model."""

    def __init__(self, model_path: Path, max_file_bytes: int, workers: int):
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if context.get_start_method() == "forkserver":
            # the fork server imports the library once and each worker is forked with it imported: workers
            # start in the time of one import instead of each importing scikit-learn and scipy on a shared core
            context.set_forkserver_preload(["classifier", "archive.runners"])
        self.workers = workers
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                                        initargs=(str(model_path), max_file_bytes, os.getpid()))

    def submit(self, items: list[Item]) -> Future:
        return self.pool.submit(_pool_score, items)

    def wait_any(self, futures):
        return wait(futures, return_when=FIRST_COMPLETED)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
