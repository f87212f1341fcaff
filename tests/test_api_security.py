"""API key on every /v1 route (both header forms, constant-time compare), and logs that never hold the text."""
from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

import api.dependencies
from api.main import create_app

from fixtures import make_docx

KEY = "s3cret-key-for-tests"
TEXT = "Sở Y tế đề nghị bố trí 3,2 tỷ đồng cho Bệnh viện Đa khoa huyện Thủy Nguyên trong quý III/2023."


@pytest.fixture
def keyed(api_settings):
    with TestClient(create_app(api_settings.model_copy(update={"api_key": SecretStr(KEY)}))) as test_client:
        yield test_client


def v1_operations(client) -> list[tuple[str, str]]:
    """Every /v1 operation the app documents (the page's included), so none can be added unguarded."""
    paths = client.get("/openapi.json").json()["paths"]
    return [(method.upper(), path) for path, ops in paths.items() if path.startswith("/v1") for method in ops]


def test_every_v1_route_needs_the_key(keyed):
    operations = v1_operations(keyed)
    assert ("POST", "/v1/score") in operations and ("GET", "/v1/feedback") in operations
    for method, path in operations:
        response = keyed.request(method, path)
        assert response.status_code == 401, (method, path, response.text)
        error = response.json()["error"]
        assert error["code"] == "unauthorized" and "khóa API" in error["message"] and "API key" in error["message_en"]
        assert "Bearer" in response.headers["www-authenticate"]


def test_both_header_forms_accepted_and_wrong_keys_refused(keyed):
    body = {"text": TEXT}
    assert keyed.post("/v1/score", json=body, headers={"Authorization": f"Bearer {KEY}"}).status_code == 200
    assert keyed.post("/v1/score", json=body, headers={"X-API-Key": KEY}).status_code == 200
    for headers in ({"Authorization": f"Bearer {KEY}x"}, {"X-API-Key": KEY[:-1]}, {"Authorization": KEY},
                    {"Authorization": f"Basic {KEY}"}, {"X-API-Key": ""}, {"Authorization": "Bearer "}):
        assert keyed.post("/v1/score", json=body, headers=headers).status_code == 401, headers
    # one right header is enough even when the other is wrong
    both = {"Authorization": "Bearer wrong", "X-API-Key": KEY}
    assert keyed.post("/v1/score", json=body, headers=both).status_code == 200


def test_open_routes_stay_open(keyed):
    assert keyed.get("/healthz").status_code == 200
    assert keyed.get("/readyz").status_code == 200
    assert keyed.get("/openapi.json").status_code == 200


def test_key_is_compared_in_constant_time(keyed, monkeypatch):
    calls = []
    real = api.dependencies.hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(api.dependencies.hmac, "compare_digest", spy)
    assert keyed.get("/v1/model", headers={"X-API-Key": "guess"}).status_code == 401
    assert calls == [(b"guess", KEY.encode())]
    assert keyed.get("/v1/model", headers={"Authorization": f"Bearer {KEY}"}).status_code == 200
    assert calls[-1] == (KEY.encode(), KEY.encode())


def test_no_key_configured_means_open(client):
    assert client.post("/v1/score", json={"text": TEXT}).status_code == 200


def test_blank_key_setting_is_no_key(api_settings):
    from api.settings import Settings

    assert Settings(api_key="  ").api_key is None
    assert Settings(api_key=KEY).api_key.get_secret_value() == KEY
    assert KEY not in repr(Settings(api_key=KEY))


# ---- logs -----------------------------------------------------------------------------------------------------

def _log_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def test_access_log_has_the_fields_and_never_the_text(client, capsys):
    marker = "BÍ-MẬT-NỘI-DUNG-7Q"
    text = f"Sở Y tế đề nghị bố trí 3,2 tỷ đồng {marker} cho Bệnh viện Đa khoa huyện Thủy Nguyên."
    capsys.readouterr()
    scored = client.post("/v1/score", json={"text": text, "id": "doc-1"})
    client.post("/v1/score/batch", json={"documents": [{"id": "a", "text": text}, {"id": "b", "text": " "}]})
    client.post("/v1/score/file", files={"file": ("bc.docx", make_docx([text]), "application/octet-stream")})
    client.post("/v1/score", json={"text": 5, "id": marker})  # a validation error must not echo either
    client.post("/v1/score", json={"text": text + "x" * 200_000})
    client.post("/v1/feedback", json={"document_id": "doc-1", "text": text, "model_version": "v",
                                      "predicted": {"vague": True, "position": False, "proposal": False},
                                      "corrected": {"vague": False, "position": True, "proposal": True},
                                      "comment": marker})
    client.get("/v1/feedback")
    out = capsys.readouterr().out
    assert marker not in out and "Thủy Nguyên" not in out
    lines = [e for e in _log_lines(out) if e["logger"] == "baocao.access"]
    assert len(lines) == 7
    first = lines[0]
    assert first["request_id"] == scored.headers["x-request-id"]
    assert (first["method"], first["route"], first["status"]) == ("POST", "/v1/score", 200)
    assert first["verdict"] == scored.json()["verdict"] and first["latency_ms"] >= 0
    assert lines[1]["route"] == "/v1/score/batch" and sum(lines[1]["verdicts"].values()) == 2
    assert lines[2]["route"] == "/v1/score/file" and "verdict" in lines[2]
    assert (lines[3]["status"], lines[3]["error_code"]) == (422, "invalid_request")
    assert (lines[4]["status"], lines[4]["error_code"]) == (413, "too_large")
    assert (lines[5]["route"], lines[5]["status"]) == ("/v1/feedback", 201)
