"""Opportunistic micro-batching for ``POST /v1/score``: one scoring thread scores every waiting request at once.

A request never waits for a batch to fill: the thread takes the first
waiting text and whatever else is already queued (up to ``max_batch``
documents and ``max_chars`` characters) and scores them with one
``Scorer.score_parsed`` call — one vectoriser pass and one ``predict_proba``
per head, which ``benchmarks/bench_service.py`` measured faster than the
same documents scored one by one in concurrent threads. At low load every
batch has one document and nothing changes. The event loop only enqueues
and awaits; all CPU work happens in the thread.
"""
from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

from classifier import Result, Scorer
from classifier.document import ParsedDocument
from classifier.errors import BaocaoError

log = logging.getLogger("baocao.api")


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
    def __init__(self, scorer: Scorer, prepare: Callable[[str], ParsedDocument], max_batch: int = 32,
                 max_chars: int = 300_000):
        self.scorer = scorer
        self.prepare = prepare  # validates (raises BaocaoError) and parses one text
        self.max_batch = max_batch
        self.max_chars = max_chars
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="baocao-scoring", daemon=True)
        self._thread.start()

    async def score(self, text: str, id: str | None = None) -> Result:
        loop = asyncio.get_running_loop()
        job = _Job(text, id, loop.create_future(), loop)
        self._queue.put(job)
        return await job.future

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=30)

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
            ready: list[tuple[_Job, ParsedDocument]] = []
            for job in jobs:
                try:
                    ready.append((job, self.prepare(job.text)))
                except BaocaoError as err:
                    job.loop.call_soon_threadsafe(_settle, job.future, None, err)
                except Exception as err:  # reaches the app's last-resort 500 handler, with the traceback logged there
                    job.loop.call_soon_threadsafe(_settle, job.future, None, err)
            if not ready:
                continue
            try:
                results = self.scorer.score_parsed([doc for _, doc in ready], [job.id for job, _ in ready])
            except Exception as err:
                for job, _ in ready:
                    job.loop.call_soon_threadsafe(_settle, job.future, None, err)
                continue
            for (job, _), result in zip(ready, results):
                job.loop.call_soon_threadsafe(_settle, job.future, result)
