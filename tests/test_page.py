"""The reviewer page in a real browser: Debian's headless Chromium driven by Playwright, against the real service.

The service runs under uvicorn in a background thread with the session's model and a temporary feedback
database. Expected values come from the same service's JSON API, so the page is checked against the contract,
not against numbers written here.
"""
from __future__ import annotations

import io
import json
import re
import threading
import time
from pathlib import Path

import docx
import httpx
import pytest

from classifier.legacy import bytes_as_ansi, encode_tcvn3
from fixtures import make_docx

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():  # .ci/run installs it; a developer machine may not have it
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "data" / "samples" / "documents"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BADGE = {"dat": "Đạt", "can_bo_sung": "Cần bổ sung", "danh_trong_ghi_ten": "“Đánh trống ghi tên”"}
API_KEY = "khoa-thu-nghiem-123"


class LiveServer:
    """create_app() under uvicorn on a free port, in a daemon thread."""

    def __init__(self, **settings):
        import uvicorn

        from api.main import create_app
        from api.settings import Settings

        self.app = create_app(Settings(**settings))
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=0, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the service did not start")
            time.sleep(0.05)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(15)


@pytest.fixture(scope="module")
def service(trained, tmp_path_factory):
    db = tmp_path_factory.mktemp("feedback") / "feedback.sqlite3"
    with LiveServer(model=trained[1], db_path=db, api_key=None) as live:
        yield live


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, service):
    context = browser.new_context(viewport={"width": 1360, "height": 1000}, locale="vi-VN", accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=service.url)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(service.url + "/")
    pg.wait_for_function("document.getElementById('model-info').textContent.length > 0")
    yield pg
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def api_result(service, text: str) -> dict:
    r = httpx.post(service.url + "/v1/score", json={"text": text}, timeout=60)
    r.raise_for_status()
    return r.json()


def thresholds(service) -> dict:
    return httpx.get(service.url + "/v1/model", timeout=30).json()["thresholds"]


def score_pasted(page, text: str) -> None:
    page.fill("#doc-text", text)
    page.click("#score-text")
    page.wait_for_selector("#results:not([hidden])")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('Đã chấm')")


def check_result_shown(page, result: dict, th: dict) -> None:
    """Badge, the three bars (width = score, marker = threshold) and one highlight per evidence span."""
    assert page.inner_text("#verdict") == BADGE[result["verdict"]]
    assert f"v-{result['verdict']}" in page.get_attribute("#verdict", "class")
    for label, score in result["scores"].items():
        track = page.locator(f".bar-{label} .track").bounding_box()
        fill = page.locator(f".bar-{label} .fill").bounding_box()
        assert fill["width"] / track["width"] == pytest.approx(score, abs=0.01), label
        marker = page.locator(f".bar-{label} .threshold").bounding_box()
        assert (marker["x"] - track["x"]) / track["width"] == pytest.approx(th[label], abs=0.01), label
        assert page.get_attribute(f".bar-{label} .track", "aria-valuenow") == str(round(score * 100))
    assert result["evidence"], "the samples used here all have evidence"
    for e in result["evidence"]:
        marks = page.locator(f"#document mark.ev-{e['label']}")
        texts = marks.all_text_contents()
        assert e["text"] in texts, (e["label"], e["text"])
        mark = marks.nth(texts.index(e["text"]))
        assert mark.get_attribute("tabindex") == "0"
        assert f"điểm câu {round(e['score'] * 100)}%" in mark.get_attribute("aria-label")
        if e.get("missing"):
            assert "thiếu: " + ", ".join(e["missing"]) in mark.get_attribute("title")
    # the document shown is the text scored, character for character
    assert page.locator("#document").text_content() == page.evaluate("() => state.text")


def test_paste_score_note_feedback(page, service, tmp_path):
    text = (DOCS / "02-bao-cao-chung-chung.txt").read_text(encoding="utf-8")
    result = api_result(service, text)
    score_pasted(page, text)
    check_result_shown(page, result, thresholds(service))
    assert [li for li in page.locator("#reasons li").all_inner_texts()] == result["reasons"]

    # return note: quotes a vague sentence and says what it lacks
    page.click("#make-note")
    page.wait_for_selector("#note-area:not([hidden])")
    note = page.input_value("#note-text")
    vague = [e for e in result["evidence"] if e["label"] == "vague"]
    assert vague
    quoted = "“" + " ".join(vague[0]["text"].split()) + "”"
    assert quoted in note
    assert "cần bổ sung " + vague[0]["missing"][0] in note
    assert note.startswith("PHIẾU ĐỀ NGHỊ BỔ SUNG")

    page.click("#copy-note")
    page.wait_for_function("document.getElementById('copy-status').textContent.length > 0")
    assert page.inner_text("#copy-status") == "Đã sao chép."
    assert page.evaluate("navigator.clipboard.readText()") == note

    # the reviewer's edit reaches the .docx
    page.fill("#note-text", note + "\n\nĐề nghị gửi lại trước ngày 15/10/2023.")
    with page.expect_download() as dl:
        page.click("#docx-note")
    path = tmp_path / dl.value.suggested_filename
    dl.value.save_as(path)
    assert path.suffix == ".docx"
    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
    assert paragraphs[0] == "PHIẾU ĐỀ NGHỊ BỔ SUNG VĂN BẢN"
    assert any(quoted in p for p in paragraphs)
    assert paragraphs[-1] == "Đề nghị gửi lại trước ngày 15/10/2023."

    # feedback: prefilled with the model's labels, one corrected, stored with comment
    for label, value in result["labels"].items():
        assert page.is_checked(f"#fb-{label}") == value
    page.click("#fb-proposal")
    page.fill("#fb-comment", "Thử nghiệm từ trang duyệt")
    page.fill("#fb-reviewer", "Chuyên viên A")
    page.click("#send-feedback")
    page.wait_for_function("document.getElementById('feedback-status').textContent.startsWith('Đã ghi nhận')")
    assert "Đề xuất cụ thể" in page.inner_text("#feedback-status")
    rows = [json.loads(line) for line in httpx.get(service.url + "/v1/feedback", timeout=30).text.splitlines()]
    mine = [r for r in rows if r["comment"] == "Thử nghiệm từ trang duyệt"]
    assert len(mine) == 1
    assert mine[0]["text"] == text and mine[0]["reviewer"] == "Chuyên viên A"
    assert mine[0]["predicted"] == result["labels"]
    assert mine[0]["corrected"] == dict(result["labels"], proposal=not result["labels"]["proposal"])
    assert mine[0]["model_version"] == result["model_version"]

    page.screenshot(path=str(tmp_path / "trang-duyet.png"), full_page=True)
    assert (tmp_path / "trang-duyet.png").stat().st_size > 10_000


def test_upload_docx(page, service, tmp_path):
    lines = [ln for ln in (DOCS / "01-so-xay-dung-bao-cao.txt").read_text(encoding="utf-8").splitlines() if ln.strip()]
    data = make_docx(lines)
    page.set_input_files("#doc-file", files=[{"name": "bao-cao-318.docx", "mimeType": "application/octet-stream",
                                              "buffer": data}])
    with page.expect_response(re.compile(r"/v1/score/file$")) as resp:
        page.click("#score-file")
    out = resp.value.json()
    page.wait_for_function("document.getElementById('status').textContent.startsWith('Đã chấm')")
    assert out["document"]["format"] == "docx"
    assert page.evaluate("() => state.text") == out["document"]["text"]
    check_result_shown(page, out["result"], thresholds(service))
    page.screenshot(path=str(tmp_path / "tai-tep-docx.png"), full_page=True)
    assert "bao-cao-318.docx" in page.inner_text("#source")
    assert "Báo cáo" in page.inner_text("#meta") and "318/BC-SXD" in page.inner_text("#meta")
    if out["result"]["meta"]["subject"]:
        assert out["result"]["meta"]["subject"] in page.inner_text("#meta")


def test_keyboard_ctrl_enter_and_tab_to_highlight(page, service, tmp_path):
    text = (DOCS / "02-bao-cao-chung-chung.txt").read_text(encoding="utf-8")
    result = api_result(service, text)
    page.focus("#doc-text")
    page.fill("#doc-text", text)
    page.keyboard.press("Control+Enter")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('Đã chấm')")
    assert page.inner_text("#verdict") == BADGE[result["verdict"]]
    assert page.locator("#status").get_attribute("aria-live") == "polite"
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('#document mark.ev')"):
            break
    else:
        pytest.fail("Tab never reached a highlighted sentence")
    focused = page.evaluate("document.activeElement.textContent")
    first = min(result["evidence"], key=lambda e: e["start"])
    assert focused == first["text"]
    assert page.is_visible("#tip")
    assert f"điểm câu {round(first['score'] * 100)}%" in page.inner_text("#tip")
    # a visible focus ring
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.screenshot(path=str(tmp_path / "tab-toi-cau.png"))
    page.keyboard.press("Escape")
    assert page.is_hidden("#tip")


def test_offsets_count_code_points(page, service):
    """Python offsets count code points, JavaScript strings UTF-16 units: an emoji before the evidence must not shift it."""
    text = "🏛️ UBND huyện 𠀀 — bản tóm tắt 📄\n" + (DOCS / "02-bao-cao-chung-chung.txt").read_text(encoding="utf-8")
    result = api_result(service, text)
    score_pasted(page, text)
    check_result_shown(page, result, thresholds(service))


def test_pasted_tcvn3_text_is_shown_repaired(page, service):
    """Text pasted from an old TCVN3 document: the page shows the repaired text the highlights index, and says so."""
    text = (DOCS / "02-bao-cao-chung-chung.txt").read_text(encoding="utf-8").lower()
    pasted = bytes_as_ansi(encode_tcvn3(text))
    result = api_result(service, pasted)
    assert result["text"] == text
    score_pasted(page, pasted)
    assert page.evaluate("() => state.text") == text
    check_result_shown(page, result, thresholds(service))
    assert "đã chuyển mã TCVN3 (ABC) sang Unicode" in page.inner_text("#source")


def test_failed_scoring_hides_the_previous_result(page, service):
    score_pasted(page, (DOCS / "02-bao-cao-chung-chung.txt").read_text(encoding="utf-8"))
    page.fill("#doc-text", "... 123 ...")
    page.click("#score-text")
    page.wait_for_selector("#error:not([hidden])")
    assert page.is_hidden("#results")


def test_dat_document_note_says_nothing_to_request(page, service):
    text = (DOCS / "01-so-xay-dung-bao-cao.txt").read_text(encoding="utf-8")
    result = api_result(service, text)
    score_pasted(page, text)
    assert page.inner_text("#verdict") == BADGE[result["verdict"]]
    assert "Sở Xây dựng" in page.inner_text("#meta") and "14/7/2023" in page.inner_text("#meta")
    page.click("#make-note")
    page.wait_for_selector("#note-area:not([hidden])")
    if result["verdict"] == "dat":
        assert "không có nội dung cần đề nghị bổ sung" in page.inner_text("#note-status")
        assert "Không có nội dung cần đề nghị bổ sung" in page.input_value("#note-text")
    assert "Kính gửi: Sở Xây dựng." in page.input_value("#note-text")


def test_error_messages(page):
    page.fill("#doc-text", "   ")
    page.click("#score-text")
    assert "Hãy dán nội dung" in page.inner_text("#error")

    page.fill("#doc-text", "12345 67890 !!!")
    page.click("#score-text")
    page.wait_for_function("document.getElementById('error').textContent.includes('Không chấm được')")
    assert "không có chữ" in page.inner_text("#error")  # the server's Vietnamese reason, 422

    page.set_input_files("#doc-file", files=[{"name": "bang-tinh.xls", "mimeType": "application/vnd.ms-excel",
                                              "buffer": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600}])
    page.click("#score-file")
    page.wait_for_function("!document.getElementById('error').hidden && "
                           "document.getElementById('error').textContent.includes('Định dạng')")
    assert "Chỉ nhận .txt, .docx và .pdf" in page.inner_text("#error")
    assert page.is_hidden("#results")


def test_api_key_and_too_long(browser, trained, tmp_path):
    """With BAOCAO_API_KEY the page asks for the key on 401, keeps it for the session and retries; 413 explained."""
    with LiveServer(model=trained[1], db_path=tmp_path / "fb.sqlite3", api_key=API_KEY,
                    max_text_chars=3000) as live:
        assert httpx.get(live.url + "/").status_code == 200
        assert httpx.get(live.url + "/static/app.js").status_code == 200
        assert httpx.get(live.url + "/v1/model").status_code == 401
        context = browser.new_context()
        pg = context.new_page()
        pg.set_default_timeout(30_000)
        pg.goto(live.url + "/")
        pg.wait_for_selector("#key-panel:not([hidden])")
        assert "Cần khóa API" in pg.inner_text("#error")
        assert pg.evaluate("document.activeElement.id") == "api-key"
        pg.fill("#api-key", API_KEY)
        pg.click("text=Lưu khóa và thử lại")
        pg.wait_for_function("document.getElementById('model-info').textContent.length > 0")
        assert pg.evaluate("sessionStorage.getItem('baocao.apiKey')") == API_KEY
        assert pg.is_hidden("#error")

        text = (DOCS / "03-to-trinh-day-viec.txt").read_text(encoding="utf-8")
        score_pasted(pg, text)
        assert pg.inner_text("#verdict") in BADGE.values()

        pg.fill("#doc-text", text * 4)
        pg.click("#score-text")
        pg.wait_for_function("document.getElementById('error').textContent.includes('quá lớn')")
        assert "tối đa 3.000" in pg.inner_text("#error") or "3,000" in pg.inner_text("#error")
        context.close()


def test_return_note_endpoint(service):
    """The JSON and .docx forms of /v1/return-note agree with each other and with the composed note."""
    text = (DOCS / "03-to-trinh-day-viec.txt").read_text(encoding="utf-8")
    js = httpx.post(service.url + "/v1/return-note", json={"text": text, "id": "TTr 12/2023.docx"}, timeout=60)
    assert js.status_code == 200
    body = js.json()
    assert body["verdict"] == api_result(service, text)["verdict"]
    assert body["needed"] == (body["verdict"] != "dat")
    r = httpx.post(service.url + "/v1/return-note?format=docx", json={"text": text, "id": "TTr 12/2023.docx"},
                   timeout=60)
    assert r.status_code == 200
    assert r.headers["content-disposition"].startswith('attachment; filename="phieu-de-nghi-bo-sung-ttr-12-2023.docx"')
    paragraphs = [p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs if p.text]
    assert paragraphs == [line.strip() for line in body["text"].splitlines() if line.strip()]
    bad = httpx.post(service.url + "/v1/return-note", json={"text": ""}, timeout=30)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "empty_text"
    bad = httpx.post(service.url + "/v1/return-note?format=odt", json={"text": text}, timeout=30)
    assert bad.status_code == 422


def test_api_docs_render_without_a_cdn(browser, service):
    """/docs and /redoc draw the schema from the package's files; requests to any other host are blocked.

    ReDoc's footer asks cdn.redoc.ly for its logo: an image the page does without, so only scripts, styles, fonts
    and data requests count as needing the outside."""
    context = browser.new_context()
    outside: list[str] = []

    def only_the_service(route):
        if route.request.url.startswith(service.url):
            route.continue_()
            return
        if route.request.resource_type != "image":
            outside.append(f"{route.request.resource_type} {route.request.url}")
        route.abort()

    context.route("**/*", only_the_service)
    pg = context.new_page()
    pg.goto(service.url + "/docs")
    pg.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
    paths = httpx.get(service.url + "/openapi.json", timeout=30).json()["paths"]
    assert pg.locator(".opblock").count() == sum(len(ops) for ops in paths.values())
    pg.goto(service.url + "/redoc")
    pg.wait_for_function("document.body.innerText.includes('/v1/score/batch')", timeout=30_000)
    context.close()
    assert not outside, outside
