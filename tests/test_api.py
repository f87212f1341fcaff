"""The HTTP API in-process (TestClient, lifespan run): every route, every error status, the request id.

Expected results come from the session scorer itself, so the API is checked
against the library it wraps, not against numbers written here.
"""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from classifier.legacy import bytes_as_ansi, encode_tcvn3, encode_vni
from classifier.readers import read_file

from fixtures import make_docx, make_pdf

DOCS = Path(__file__).resolve().parent.parent / "data" / "samples" / "documents"
REPORT = (DOCS / "01-so-xay-dung-bao-cao.txt").read_text(encoding="utf-8")
VAGUE = (DOCS / "02-bao-cao-chung-chung.txt").read_text(encoding="utf-8")
SHORT = "Sở Y tế đề nghị bố trí 3,2 tỷ đồng cho Bệnh viện Đa khoa huyện Thủy Nguyên trong quý III/2023."


def assert_error(response, status: int, code: str | None = None) -> dict:
    """Every error has one shape: {"error": {code, message (vi), message_en}, "request_id"}."""
    assert response.status_code == status, response.text
    body = response.json()
    error = body["error"]
    assert error["message"] and error["message_en"] and error["message"] != error["message_en"]
    assert body["request_id"] == response.headers["x-request-id"]
    if code:
        assert error["code"] == code
    return error


# ---- health, model, docs --------------------------------------------------------------------------------------

def test_healthz_and_readyz(client, scorer):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "model_version": scorer.model_version,
                            "artifact_sha256": scorer.card["artifact_sha256"]}


def test_model_card_is_the_loaded_card(client, scorer):
    card = client.get("/v1/model").json()
    assert card == json.loads(json.dumps(scorer.card))
    assert card["artifact_sha256"] and card["thresholds"].keys() == {"vague", "position", "proposal"}


def test_openapi_and_docs_are_served(client):
    schema = client.get("/openapi.json").json()
    assert {"/v1/score", "/v1/score/batch", "/v1/score/file", "/v1/model", "/v1/feedback", "/healthz",
            "/readyz"} <= set(schema["paths"])
    responses = schema["paths"]["/v1/score"]["post"]["responses"]
    assert {"200", "401", "413", "422", "503"} <= set(responses)
    # Swagger UI and ReDoc from the package's files, not a CDN: the pages work on a network that reaches no CDN
    for page, asset in (("/docs", "/docs-static/swagger-ui-bundle.js"), ("/redoc", "/docs-static/redoc.standalone.js")):
        answer = client.get(page)
        assert answer.status_code == 200 and "cdn." not in answer.text and asset in answer.text
        assert client.get(asset).status_code == 200


# ---- scoring --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [REPORT, VAGUE, SHORT])
def test_score_returns_the_result_object(client, scorer, text):
    response = client.post("/v1/score", json={"text": text, "id": "bc-1"})
    assert response.status_code == 200
    assert response.json() == json.loads(json.dumps(scorer.score(text, id="bc-1").to_dict()))
    for ev in response.json()["evidence"]:
        assert text[ev["start"]:ev["end"]] == ev["text"]


def test_pasted_legacy_text_is_repaired_and_returned_with_its_offsets(client, scorer):
    """TCVN3/VNI text pasted from an old document is scored as Vietnamese; the repaired text comes back, since the
    evidence offsets index it, not the mojibake that was pasted."""
    for encode, conversion in ((encode_tcvn3, "tcvn3"), (encode_vni, "vni")):
        pasted = bytes_as_ansi(encode(VAGUE.lower() if conversion == "tcvn3" else VAGUE))
        body = client.post("/v1/score", json={"text": pasted, "id": "cu"}).json()
        repaired = VAGUE.lower() if conversion == "tcvn3" else VAGUE
        assert body["text"] == repaired and body["meta"]["conversion"] == conversion
        expected = scorer.score(repaired, id="cu", conversion=conversion).to_dict() | {"text": repaired}
        assert body == json.loads(json.dumps(expected))
        assert body["evidence"] and all(repaired[e["start"]:e["end"]] == e["text"] for e in body["evidence"])
        batch = client.post("/v1/score/batch", json={"documents": [{"id": "cu", "text": pasted}, {"text": SHORT}]})
        first, second = batch.json()["results"]
        assert first == body and "text" not in second and "conversion" not in second["meta"]
    # Unicode text is never rewritten: no text field comes back
    assert "text" not in client.post("/v1/score", json={"text": REPORT}).json()


def test_score_without_id(client):
    assert client.post("/v1/score", json={"text": SHORT}).json()["id"] is None


def test_batch_keeps_order_and_turns_bad_documents_into_error_items(client, scorer):
    documents = [{"id": "a", "text": REPORT}, {"id": "empty", "text": "   \n "}, {"id": "b", "text": VAGUE},
                 {"id": "long", "text": "x" * 200_001}, {"text": SHORT}]
    response = client.post("/v1/score/batch", json={"documents": documents})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["id"] for r in results] == ["a", "empty", "b", "long", None]
    for k in (0, 2, 4):
        expected = scorer.score(documents[k]["text"], id=documents[k].get("id")).to_dict()
        assert results[k] == json.loads(json.dumps(expected))
    assert results[1] == {"id": "empty", "error": {"code": "empty_text", "message": results[1]["error"]["message"],
                                                   "message_en": results[1]["error"]["message_en"]}}
    assert results[3]["error"]["code"] == "too_large" and "200,000" in results[3]["error"]["message"]


def test_batch_limit_is_413_with_counts(client):
    documents = [{"id": str(i), "text": SHORT} for i in range(101)]
    error = assert_error(client.post("/v1/score/batch", json={"documents": documents}), 413, "too_large")
    assert "101" in error["message"] and "100" in error["message"] and "101" in error["message_en"]
    assert client.post("/v1/score/batch", json={"documents": documents[:100]}).status_code == 200
    assert client.post("/v1/score/batch", json={"documents": []}).json() == {"results": []}


# ---- files ----------------------------------------------------------------------------------------------------

def _upload(client, name: str, data: bytes, **form):
    return client.post("/v1/score/file", files={"file": (name, data, "application/octet-stream")}, data=form)


def _check_file_response(response, scorer, fmt: str):
    assert response.status_code == 200, response.text
    body = response.json()
    document = body["document"]
    assert document["format"] == fmt and document["chars"] == len(document["text"])
    expected = scorer.score(document["text"], id=body["result"]["id"]).to_dict()
    assert body["result"] == json.loads(json.dumps(expected))
    for ev in body["result"]["evidence"]:  # the page highlights these offsets in document.text
        assert document["text"][ev["start"]:ev["end"]] == ev["text"]
    return document


def test_file_txt_utf8_and_windows_1258(client, scorer):
    document = _check_file_response(_upload(client, "01.txt", REPORT.encode("utf-8"), id="x-1"), scorer, "txt")
    assert document["text"] == REPORT and document["encoding"] == "utf-8" and document["conversion"] is None
    cp = DOCS / "04-cong-van-windows-1258.txt"
    response = _upload(client, cp.name, cp.read_bytes())
    document = _check_file_response(response, scorer, "txt")
    assert response.json()["result"]["id"] == cp.name
    assert document["text"] == read_file(cp).text and document["encoding"] == "windows-1258"
    assert "windows-1258" in document["conversion"]


def test_file_docx_and_pdf(client, scorer):
    paragraphs = [line for line in REPORT.splitlines() if line.strip()]
    document = _check_file_response(_upload(client, "bc.docx", make_docx(paragraphs)), scorer, "docx")
    assert paragraphs[-1] in document["text"] and document["conversion"]
    line = "So Xay dung de nghi UBND quan Le Chan xu ly 7 cong trinh truoc ngay 30/6/2022."
    document = _check_file_response(_upload(client, "bc.pdf", make_pdf([line])), scorer, "pdf")
    assert line in document["text"]


def test_file_name_is_only_a_name(client):
    """Directories in an upload's name are dropped: the service never opens a client-supplied path."""
    response = _upload(client, "../../etc/passwd.txt", SHORT.encode())
    assert response.status_code == 200
    assert response.json()["document"]["filename"] == "passwd.txt"


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"0" * (4 * 1024 * 1024))  # ~4 KB compressed: ~1000:1
    return buf.getvalue()


@pytest.mark.parametrize("name,data,code,needle", [
    ("empty.txt", b"", "empty_text", "trống"),
    ("blank.txt", b" \n\t ", "empty_text", "trống"),
    ("bc.docx", make_docx(["Kính gửi: UBND thành phố", SHORT])[:3000], "unreadable", "docx"),
    ("bc.pdf", b"%PDF-1.4\n garbage garbage", "unreadable", "PDF"),
    ("scan.pdf", make_pdf([]), "empty_text", "PDF"),
    ("bomb.docx", _zip_bomb(), "content_limit", "docx"),
    ("long.pdf", make_pdf(["So Xay dung de nghi"], pages=201), "content_limit", "200"),
])
def test_file_errors_are_422_with_precise_messages(client, name, data, code, needle):
    error = assert_error(_upload(client, name, data), 422, code)
    assert needle in error["message"]


@pytest.mark.parametrize("name,data", [("a.png", b"\x89PNG\r\n\x1a\n...."), ("old.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 64),
                                       ("x.exe", b"MZ\x90\x00")])
def test_unsupported_file_type_is_415(client, name, data):
    error = assert_error(_upload(client, name, data), 415, "unsupported_format")
    assert Path(name).suffix in error["message"]


def test_file_over_10_mb_is_413(client):
    limit = 10 * 1024 * 1024
    error = assert_error(_upload(client, "big.txt", b"a" * (limit + 1)), 413, "too_large")
    assert "10 MB" in error["message"]
    # beyond the upload route's body limit the request is refused before the file is parsed
    assert_error(_upload(client, "bigger.txt", b"a" * (limit + 200 * 1024)), 413, "too_large")


def test_file_field_is_required(client):
    assert_error(client.post("/v1/score/file", data={"id": "x"}), 422, "invalid_request")


# ---- size limits and validation -------------------------------------------------------------------------------

def test_text_over_200k_characters_is_413(client):
    error = assert_error(client.post("/v1/score", json={"text": "a " * 100_001}), 413, "too_large")
    assert "200,000" in error["message"] and "200002" in error["message_en"]
    assert client.post("/v1/score", json={"text": ("Sở Y tế đề nghị. " * 20_000)[:200_000]}).status_code == 200


def test_body_over_2_mb_is_413_by_content_length(client):
    body = json.dumps({"text": "a" * (2 * 1024 * 1024)}).encode()
    response = client.post("/v1/score", content=body, headers={"content-type": "application/json"})
    error = assert_error(response, 413, "too_large")
    assert "2 MB" in error["message"]


def test_body_over_2_mb_is_413_when_streamed_without_length(client):
    """Chunked upload: no Content-Length, so the limit must count the bytes as they arrive."""
    def chunks():
        yield b'{"text": "'
        for _ in range(40):
            yield b"a" * 65536
        yield b'"}'

    response = client.post("/v1/score", content=chunks(), headers={"content-type": "application/json"})
    assert "content-length" not in {k.lower() for k in response.request.headers}
    assert_error(response, 413, "too_large")


def test_empty_text_is_422(client):
    error = assert_error(client.post("/v1/score", json={"text": " \n "}), 422, "empty_text")
    assert "trống" in error["message"]


@pytest.mark.parametrize("body", [{}, {"text": 12}, {"text": None}, {"text": "x", "extra": 1}, [], "text",
                                  {"text": "Sở Y tế đề nghị.", "id": "x" * 501}])
def test_validation_errors_are_422_without_echoing_input(client, body):
    response = client.post("/v1/score", json=body)
    error = assert_error(response, 422, "invalid_request")
    assert error["fields"] and all(set(f) == {"loc", "msg", "type"} for f in error["fields"])


def test_malformed_json_is_422(client):
    response = client.post("/v1/score", content=b'{"text": "abc', headers={"content-type": "application/json"})
    assert_error(response, 422, "invalid_request")


def test_unknown_route_and_method_use_the_error_shape(client):
    assert_error(client.get("/v1/nope"), 404, "http_404")
    assert_error(client.get("/v1/score"), 405, "http_405")


def test_unexpected_failure_is_a_json_500_not_a_traceback(api_settings, monkeypatch):
    """The last-resort handler: if scoring itself broke, the client gets the error shape and a request id."""
    app = create_app(api_settings)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        monkeypatch.setattr(app.state.scorer, "score_parsed", lambda *a, **k: 1 / 0)
        response = test_client.post("/v1/score", json={"text": SHORT})
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal" and response.json()["request_id"]


# ---- request id -----------------------------------------------------------------------------------------------

def test_request_id_is_generated_or_echoed(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert len(first.headers["x-request-id"]) == 32 and first.headers["x-request-id"] != second.headers["x-request-id"]
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"] == "abc-123"
    unsafe = client.get("/healthz", headers={"X-Request-ID": "x" * 65})  # not a short token: replaced
    assert unsafe.headers["x-request-id"] != "x" * 65


# ---- model loading ----------------------------------------------------------------------------------------------

def test_readyz_before_and_after_model_load(api_settings):
    app = create_app(api_settings)
    test_client = TestClient(app)  # no `with`: lifespan not run yet, so no model
    not_ready = test_client.get("/readyz")
    assert not_ready.status_code == 503 and not_ready.json()["status"] == "not_ready"
    assert_error(test_client.post("/v1/score", json={"text": SHORT}), 503, "model_not_found")
    assert test_client.get("/healthz").status_code == 200
    with test_client:  # start-up: load_scorer verifies the SHA-256 and the service becomes ready
        assert test_client.get("/readyz").json()["status"] == "ready"
        assert test_client.post("/v1/score", json={"text": SHORT}).status_code == 200


def test_missing_model_leaves_service_alive_but_not_ready(api_settings, tmp_path):
    settings = api_settings.model_copy(update={"model": tmp_path / "none.joblib"})
    with TestClient(create_app(settings)) as test_client:
        response = test_client.get("/readyz")
        assert response.status_code == 503 and response.json()["error"]["code"] == "model_not_found"
        assert str(tmp_path) not in response.text  # no server paths to clients
        assert_error(test_client.post("/v1/score", json={"text": SHORT}), 503, "model_not_found")
        assert_error(test_client.get("/v1/model"), 503, "model_not_found")


def test_tampered_model_is_refused(api_settings, trained, tmp_path):
    """The artifact no longer matches the SHA-256 in its card: never loaded, never scores."""
    import shutil

    from classifier.artifact import card_path

    model = tmp_path / "m.joblib"
    shutil.copy(trained[1], model)
    shutil.copy(card_path(trained[1]), card_path(model))
    with open(model, "ab") as fh:
        fh.write(b"\0")
    with TestClient(create_app(api_settings.model_copy(update={"model": model}))) as test_client:
        response = test_client.get("/readyz")
        assert response.status_code == 503 and response.json()["error"]["code"] == "model_integrity"
        assert_error(test_client.post("/v1/score", json={"text": SHORT}), 503, "model_integrity")
