"""Scoring processes for ``POST /v1/score``: the model's CPU work off the service's interpreter.

One uvicorn process runs the event loop, the HTTP parsing, validation and
JSON encoding, and all the scoring when scoring shares its interpreter: the
GIL lets it use one core. ``benchmarks/bench_service.py`` measured that
process at 100% of a core while the second core was nearly idle, and
``--workers 2`` did not help, because one worker accepts every keep-alive
connection of a burst. Here each of ``BAOCAO_SCORING_PROCESSES`` processes
loads and verifies its own copy of the model (the artifact's SHA-256 against
its card, as the service process does) and scores whole micro-batches with
:func:`api.scoring.score_batch`, the same function the in-thread path runs.

Processes are started with ``spawn``: forking a process that already runs an
event loop and threads copies their locks in whatever state they are in.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from classifier import Result, Scorer, load_scorer
from classifier.workers import init_worker_process

from .scoring import score_batch

log = logging.getLogger("baocao.api")

_scorer: Scorer | None = None  # one per scoring process, set by _load_model


def _load_model(model: str, parent: int) -> None:
    global _scorer
    init_worker_process(parent)  # a SIGKILLed service leaves no scoring process behind
    _scorer = load_scorer(model)


def _score_in_process(texts: list[str], ids: list[str | None], max_chars: int) -> list[Result | Exception]:
    assert _scorer is not None, "scoring process started without its model"
    return score_batch(_scorer, texts, ids, max_chars)


def _loaded_in() -> int:
    """This process's pid, once its model is loaded (the initializer has run); slow enough that one process
    cannot take every warm-up call while the others are still loading."""
    assert _scorer is not None
    time.sleep(0.05)
    return os.getpid()


class ScoringPool:
    """``processes`` scoring processes; calling the pool scores one batch in one of them (blocking).

    A process that dies (killed, out of memory) breaks a ``ProcessPoolExecutor``
    for good; the pool then starts fresh processes once and retries the batch,
    so one lost process costs one slower batch, not a dead service.
    """

    def __init__(self, model: Path | str, processes: int, max_chars: int):
        self.model = str(model)
        self.processes = processes
        self.max_chars = max_chars
        self._lock = threading.Lock()
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_load_model, initargs=(self.model, os.getpid()))

    def warm_up(self, timeout: float = 300) -> set[int]:
        """Start every process and wait until each has loaded its model, so /readyz means every one is ready.

        Returns their pids. Raises what loading raised (``BrokenProcessPool`` when a process could not load the
        model), or TimeoutError.
        """
        ready: set[int] = set()
        deadline = time.monotonic() + timeout
        while len(ready) < self.processes:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(ready)} of {self.processes} scoring processes ready after {timeout} s")
            calls = [self._executor.submit(_loaded_in) for _ in range(self.processes)]
            ready |= {call.result(timeout=timeout) for call in calls}
        return ready

    def __call__(self, texts: list[str], ids: list[str | None]) -> list[Result | Exception]:
        executor = self._executor
        try:
            return executor.submit(_score_in_process, texts, ids, self.max_chars).result()
        except BrokenProcessPool:
            log.error("a scoring process died; starting new ones and retrying the batch")
            with self._lock:
                if self._executor is executor:  # the first thread to notice replaces it
                    executor.shutdown(wait=False, cancel_futures=True)
                    self._executor = self._start()
            return self._executor.submit(_score_in_process, texts, ids, self.max_chars).result()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=False)
