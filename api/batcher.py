"""Opportunistic micro-batching for ``POST /v1/score``: a scoring thread scores every waiting request at once.

A request never waits for a batch to fill: a free thread takes the first
waiting text and whatever else is already queued (up to ``max_batch``
documents and ``max_chars`` characters) and scores them with one
``Scorer.score_parsed`` call — one vectoriser pass and one ``predict_proba``
per head, which ``benchmarks/bench_service.py`` measured faster than the
same documents scored one by one in concurrent threads. At low load every
batch has one document and nothing changes. The event loop only enqueues
and awaits; all CPU work happens in the threads, or in the scoring processes
they hand batches to (:mod:`api.scoring_pool`).
"""
from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

from classifier import Result

ScoreBatch = Callable[[list[str], list[str | None]], list[Result | Exception]]


@dataclass
class _Job:
    text: str
    id: str | None
    future: asyncio.Future
    loop: asyncio.AbstractEventLoop


def _settle(future: asyncio.Future, result: object = None, error: BaseException | None = None) -> None:
    if future.done():  # the client went away and the request was cancelled
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


class ScoringBatcher:
    """Queue of waiting requests; ``threads`` threads each take what is queued and call ``score_batch`` on it.

    ``score_batch(texts, ids)`` answers each text with its Result or its own
    exception (:func:`api.scoring.score_batch` bound to the scorer, or an
    :class:`api.scoring_pool.ScoringPool`, one thread per scoring process).
    """

    def __init__(self, score_batch: ScoreBatch, threads: int = 1, max_batch: int = 32, max_chars: int = 300_000):
        self.score_batch = score_batch
        self.max_batch = max_batch
        self.max_chars = max_chars
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._threads = [threading.Thread(target=self._run, name=f"baocao-scoring-{k}", daemon=True)
                         for k in range(threads)]
        for thread in self._threads:
            thread.start()

    async def score(self, text: str, id: str | None = None) -> Result:
        loop = asyncio.get_running_loop()
        job = _Job(text, id, loop.create_future(), loop)
        self._queue.put(job)
        return await job.future

    def close(self) -> None:
        """Finish what is queued, then stop every thread."""
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join(timeout=30)

    def is_alive(self) -> bool:
        return any(thread.is_alive() for thread in self._threads)

    def _take(self) -> list[_Job] | None:
        first = self._queue.get()
        if first is None:
            return None
        jobs, chars = [first], len(first.text)
        while len(jobs) < self.max_batch and chars < self.max_chars:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                break
            if job is None:
                self._queue.put(None)  # finish this batch, then stop
                break
            jobs.append(job)
            chars += len(job.text)
        return jobs

    def _run(self) -> None:
        while (jobs := self._take()) is not None:
            try:
                answers = self.score_batch([job.text for job in jobs], [job.id for job in jobs])
            except Exception as err:  # the batch as a whole failed: every request in it gets the error
                answers = [err] * len(jobs)
            for job, answer in zip(jobs, answers):
                if isinstance(answer, Exception):
                    job.loop.call_soon_threadsafe(_settle, job.future, None, answer)
                else:
                    job.loop.call_soon_threadsafe(_settle, job.future, answer)
