"""Micro-batching: concurrent requests scored together still get exactly their own result or their own error."""
from __future__ import annotations

import asyncio
import json
import threading
from functools import partial

import pytest

from api.batcher import ScoringBatcher
from api.scoring import score_batch
from classifier.errors import EmptyDocumentError, InputTooLargeError

TEXTS = [
    "Sở Y tế đề nghị bố trí 3,2 tỷ đồng cho Bệnh viện Đa khoa huyện Thủy Nguyên trong quý III/2023.",
    "Thời gian qua, các đơn vị đã tích cực triển khai nhiều giải pháp, đạt được những kết quả nhất định.",
    "Sở Tài chính không đồng ý phương án tăng vốn vì vượt khả năng cân đối ngân sách năm 2024.",
    "Đề nghị UBND quận Lê Chân hoàn thành giải phóng mặt bằng 7 công trình trước ngày 30/6/2024.",
]


def test_concurrent_requests_are_batched_and_each_gets_its_own_answer(scorer):
    sizes: list[int] = []
    gate = threading.Event()
    real = scorer.score_parsed

    class Recording:  # the scorer, with the first call held until every request is queued
        def score_parsed(self, docs, ids):
            sizes.append(len(docs))
            gate.wait(timeout=30)
            return real(docs, ids)

    batcher = ScoringBatcher(partial(score_batch, Recording(), max_chars=200_000))
    jobs = [(t, f"id-{k}") for k, t in enumerate(TEXTS * 3)] + [("   ", "empty"), ("x" * 200_001, "long")]

    async def run():
        first = asyncio.ensure_future(batcher.score(*jobs[0]))
        while not sizes:  # the thread has taken the first request and is held
            await asyncio.sleep(0.01)
        rest = [asyncio.ensure_future(batcher.score(*job)) for job in jobs[1:]]
        await asyncio.sleep(0.05)
        gate.set()
        return await asyncio.gather(first, *rest, return_exceptions=True)

    try:
        answers = asyncio.run(run())
    finally:
        batcher.close()
    assert sizes[0] == 1 and sizes[1] == len(jobs) - 3  # everything queued meanwhile went in one call
    for (text, doc_id), answer in zip(jobs[:-2], answers[:-2]):
        assert json.dumps(answer.to_dict()) == json.dumps(scorer.score(text, id=doc_id).to_dict())
    assert isinstance(answers[-2], EmptyDocumentError) and isinstance(answers[-1], InputTooLargeError)


def test_scoring_failure_reaches_every_waiting_request(scorer):
    class Broken:
        def score_parsed(self, docs, ids):
            raise RuntimeError("boom")

    batcher = ScoringBatcher(partial(score_batch, Broken(), max_chars=200_000))

    async def run():
        return await asyncio.gather(*(batcher.score(t) for t in TEXTS), return_exceptions=True)

    try:
        answers = asyncio.run(run())
    finally:
        batcher.close()
    assert all(isinstance(a, RuntimeError) for a in answers)


def test_batcher_stops_on_close(scorer):
    batcher = ScoringBatcher(partial(score_batch, scorer, max_chars=200_000))
    assert asyncio.run(batcher.score(TEXTS[0], "a")).id == "a"
    batcher.close()
    assert not batcher.is_alive()


@pytest.mark.parametrize("micro_batch", [True, False])
def test_both_scoring_paths_give_the_same_answers(api_settings, scorer, micro_batch):
    from fastapi.testclient import TestClient

    from api.main import create_app

    settings = api_settings.model_copy(update={"micro_batch": micro_batch})
    app = create_app(settings)
    with TestClient(app) as client:
        assert (app.state.batcher is not None) == micro_batch
        for k, text in enumerate(TEXTS):
            body = client.post("/v1/score", json={"text": text, "id": str(k)}).json()
            assert body == json.loads(json.dumps(scorer.score(text, id=str(k)).to_dict()))
        assert client.post("/v1/score", json={"text": " "}).status_code == 422


def test_scoring_processes_give_the_same_answers_and_are_replaced_when_killed(api_settings, scorer):
    """The default on a multi-core machine: micro-batches scored in spawned processes, each with its own model."""
    import os
    import signal

    from fastapi.testclient import TestClient

    from api.main import create_app

    app = create_app(api_settings.model_copy(update={"scoring_processes": 2}))
    with TestClient(app) as client:
        pool = app.state.batcher.score_batch
        assert len(app.state.batcher._threads) == 2 and pool.processes == 2
        assert len(pool.warm_up()) == 2  # two distinct processes, each with its model loaded

        def check_all() -> None:
            for k, text in enumerate(TEXTS):
                body = client.post("/v1/score", json={"text": text, "id": str(k)}).json()
                assert body == json.loads(json.dumps(scorer.score(text, id=str(k)).to_dict()))
            bad = client.post("/v1/score", json={"text": " "})
            assert bad.status_code == 422 and bad.json()["error"]["code"] == "empty_text"

        check_all()
        victims = list(pool._executor._processes)
        for pid in victims:  # every scoring process: only fresh ones can answer now
            os.kill(pid, signal.SIGKILL)
        check_all()  # no request fails
        assert not set(victims) & set(pool._executor._processes)


def test_scoring_processes_that_cannot_load_the_model_leave_scoring_in_a_thread(api_settings, tmp_path):
    from api.main import start_scoring_pool

    settings = api_settings.model_copy(update={"model": tmp_path / "missing.joblib", "scoring_processes": 1})
    assert start_scoring_pool(settings) is None
