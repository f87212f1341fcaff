"""Reviewer feedback: validation, JSONL export, durability across a hard restart, and folding into training."""
from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

from api.feedback_store import FeedbackStore
from training.data import DataError
from training.feedback import load_feedback

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "data" / "samples" / "documents"
TEXT = "Sở Y tế đề nghị bố trí 3,2 tỷ đồng cho Bệnh viện Đa khoa huyện Thủy Nguyên trong quý III/2023."
NO = {"vague": False, "position": False, "proposal": False}
OK = {"vague": False, "position": True, "proposal": True}


def feedback(**overrides) -> dict:
    body = {"document_id": "bc-1", "text": TEXT, "model_version": "0.1.0+abc", "predicted": NO, "corrected": OK,
            "comment": "Có đề xuất cụ thể (3,2 tỷ đồng, quý III).", "reviewer": "cv.tonghop"}
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def test_feedback_is_stored_and_exported(client):
    created = client.post("/v1/feedback", json=feedback())
    assert created.status_code == 201
    row_id = created.json()["id"]
    assert created.json()["text_sha256"] == hashlib.sha256(TEXT.encode()).hexdigest()
    only_hash = client.post("/v1/feedback", json=feedback(text=None, text_sha256="ab" * 32, document_id="bc-2"))
    assert only_hash.status_code == 201 and only_hash.json()["id"] == row_id + 1
    export = client.get("/v1/feedback")
    assert export.status_code == 200 and export.headers["content-type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in export.text.splitlines()]
    assert [r["id"] for r in rows] == [row_id, row_id + 1]
    first = rows[0]
    assert first["text"] == TEXT and first["predicted"] == NO and first["corrected"] == OK
    assert first["comment"].startswith("Có đề xuất") and first["reviewer"] == "cv.tonghop" and first["created"]
    assert rows[1]["text"] is None and rows[1]["text_sha256"] == "ab" * 32


def test_feedback_sha_matching_its_text_is_accepted(client):
    sha = hashlib.sha256(TEXT.encode()).hexdigest()
    assert client.post("/v1/feedback", json=feedback(text_sha256=sha)).status_code == 201


@pytest.mark.parametrize("body,status,code", [
    (feedback(text=None), 422, "invalid_request"),                              # neither text nor hash
    (feedback(text_sha256="0" * 64), 422, "invalid_request"),                   # hash of another text
    (feedback(text=None, text_sha256="XYZ"), 422, "invalid_request"),           # not a SHA-256
    (feedback(corrected={"vague": True, "position": True}), 422, "invalid_request"),
    (feedback(corrected={"vague": "có", "position": True, "proposal": True}), 422, "invalid_request"),
    (feedback(document_id=""), 422, "invalid_request"),
    (feedback(text="   "), 422, "empty_text"),
    (feedback(text="a " * 100_001), 413, "too_large"),
])
def test_bad_feedback_is_refused_and_not_stored(client, body, status, code):
    response = client.post("/v1/feedback", json=body)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert client.get("/v1/feedback").text == ""


# ---- durability: a real uvicorn process, killed without warning ----------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(env: dict, port: int, log) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"service exited with {proc.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise AssertionError("service did not become ready in 120 s")


def test_feedback_survives_a_killed_service_and_logs_hold_no_text(model_env, tmp_path):
    """Every 201 means the row is on disk: SIGKILL (no shutdown, no flush) and a restart lose nothing."""
    marker = "NỘI-DUNG-KHÔNG-ĐƯỢC-GHI-LOG"
    env = dict(model_env, BAOCAO_DB_PATH=str(tmp_path / "fb.sqlite3"), BAOCAO_API_KEY="")
    port = _free_port()
    log_path = tmp_path / "service.log"
    with open(log_path, "wb") as log:
        proc = _start(env, port, log)
        try:
            base = f"http://127.0.0.1:{port}"
            ids = []
            for k in range(12):
                text = f"{TEXT} Văn bản số {k}. {marker}"
                r = httpx.post(f"{base}/v1/feedback", json=feedback(text=text, document_id=f"bc-{k}"), timeout=30)
                assert r.status_code == 201
                ids.append(r.json()["id"])
            scored = httpx.post(f"{base}/v1/score", json={"text": f"{TEXT} {marker}"}, timeout=30)
            assert scored.status_code == 200
            # the access line is written just after the response is sent: wait for it before killing
            deadline = time.monotonic() + 10
            while scored.headers["x-request-id"] not in log_path.read_text(encoding="utf-8"):
                assert time.monotonic() < deadline, "no access log line for the scored request"
                time.sleep(0.1)
            scorers = psutil.Process(proc.pid).children(recursive=True)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        _, alive = psutil.wait_procs(scorers, timeout=10)
        assert not alive, "scoring processes outlived the killed service"
        proc = _start(env, port, log)
        try:
            rows = [json.loads(line) for line in httpx.get(f"{base}/v1/feedback", timeout=30).text.splitlines()]
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    assert [r["id"] for r in rows] == ids
    assert all(marker in r["text"] for r in rows)
    out = log_path.read_text(encoding="utf-8")
    assert marker not in out and "Thủy Nguyên" not in out
    access = [json.loads(line) for line in out.splitlines() if '"baocao.access"' in line]
    assert any(e["route"] == "/v1/score" and e["verdict"] == scored.json()["verdict"] for e in access)
    assert any(e["request_id"] == scored.headers["x-request-id"] for e in access)


# ---- training on feedback ------------------------------------------------------------------------------------

def _store_with_rows(path: Path) -> FeedbackStore:
    store = FeedbackStore(path)
    report = (DOCS / "01-so-xay-dung-bao-cao.txt").read_text(encoding="utf-8")
    vague = (DOCS / "02-bao-cao-chung-chung.txt").read_text(encoding="utf-8")
    store.add(document_id="a", model_version="v", predicted=NO, corrected=OK, text=report)
    store.add(document_id="b", model_version="v", predicted=OK, corrected={**NO, "vague": True}, text=vague)
    store.add(document_id="c", model_version="v", predicted=NO, corrected=OK, sha256="cd" * 32)  # no text
    store.add(document_id="b", model_version="v", predicted=OK, corrected={**NO, "vague": True, "proposal": True},
              text=vague)  # a later correction of the same text wins
    return store


def test_load_feedback_from_sqlite_and_jsonl_agree(tmp_path):
    store = _store_with_rows(tmp_path / "fb.sqlite3")
    from_db = load_feedback(store.path)
    assert (from_db.rows, len(from_db.records), from_db.skipped_no_text, from_db.superseded) == (4, 2, 1, 1)
    labels = {r.id: r.labels for r in from_db.records}
    assert labels == {"feedback-1": {"vague": 0, "position": 1, "proposal": 1},
                      "feedback-4": {"vague": 1, "position": 0, "proposal": 1}}
    assert all(r.split == "train" and r.domain == "feedback" for r in from_db.records)
    jsonl = tmp_path / "export.jsonl"
    jsonl.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in store.rows()), encoding="utf-8")
    from_jsonl = load_feedback(jsonl)
    assert [(r.text, r.labels) for r in from_jsonl.records] == [(r.text, r.labels) for r in from_db.records]
    assert from_jsonl.summary() | {"source": ""} == from_db.summary() | {"source": ""}


def test_bad_feedback_file_names_its_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": TEXT, "corrected": OK}) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad.jsonl:2"):
        load_feedback(bad)
    bad.write_text(json.dumps({"text": TEXT, "corrected": {"vague": 1}}) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad.jsonl:1: 'corrected'"):
        load_feedback(bad)
    with pytest.raises(DataError, match="not found"):
        load_feedback(tmp_path / "none.sqlite3")


def test_train_with_feedback_records_it_in_the_card(tmp_path, capsys):
    """`baocao train --with-feedback DB` on a small data folder (one writer's file, 20 dev documents)."""
    from cli.main import main

    data = tmp_path / "data"
    (data / "train").mkdir(parents=True)
    (data / "dev").mkdir()
    (data / "train" / "trdm.jsonl").write_bytes((ROOT / "data/samples/train/trdm.jsonl").read_bytes())
    dev_lines = (ROOT / "data/samples/dev/dev.jsonl").read_text(encoding="utf-8").splitlines()[:20]
    (data / "dev" / "dev.jsonl").write_text("\n".join(dev_lines) + "\n", encoding="utf-8")
    store = _store_with_rows(tmp_path / "fb.sqlite3")
    dev_text = json.loads(dev_lines[0])["text"]
    store.add(document_id="d", model_version="v", predicted=NO, corrected=OK, text=dev_text)  # never train on dev
    out = tmp_path / "m.joblib"
    assert main(["train", "--data", str(data), "--out", str(out), "--no-baselines", "--with-feedback",
                 str(store.path)]) == 0
    card = json.loads(out.with_suffix(".card.json").read_text(encoding="utf-8"))
    fb = card["data"]["feedback"]
    assert (fb["rows"], fb["used"], fb["skipped_no_text"], fb["superseded"], fb["skipped_dev_overlap"]) == (5, 2, 1, 1, 1)
    assert card["data"]["feedback_docs"] == 2 and card["data"]["train_docs"] == 82
    assert "2 used as training documents" in out.with_suffix(".card.md").read_text(encoding="utf-8")
    assert "1 without text skipped" in capsys.readouterr().out
    # the model version names the feedback too: the same data without feedback is another version
    assert card["model_version"] != "0.1.0+" + card["data"]["hash"][:8]
