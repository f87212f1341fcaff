"""The return note: addressing, quoting what is vague, asking per failing dimension, .docx output."""
from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from classifier.return_note import (FALLBACK_ADDRESSEE, ReturnNote, compose_return_note, document_reference,
                                    format_date_vi)

ROOT = Path(__file__).resolve().parent.parent
VAGUE_1 = "Công tác giải phóng mặt bằng đã có những chuyển biến nhất định, bước đầu đạt kết quả tích cực."
VAGUE_2 = "Thời gian tới sẽ tiếp tục đẩy mạnh, tăng cường phối hợp theo quy định."


def _result(verdict: str, labels: dict, *, meta: dict | None = None, reasons: list[str] | None = None,
            evidence: list[dict] | None = None) -> dict:
    return {"id": None, "scores": {"vague": 0.9 if labels["vague"] else 0.1, "position": 0.2, "proposal": 0.2},
            "labels": labels, "verdict": verdict, "reasons": reasons or [], "evidence": evidence or [],
            "meta": meta or {}, "model_version": "test"}


EMPTY_REPORT = _result(
    "danh_trong_ghi_ten", {"vague": True, "position": False, "proposal": False},
    meta={"agency": "UBND huyện An Dương", "number": "45/BC-UBND", "date": "2023-09-05", "doc_type": "bao_cao",
          "subject": "tiến độ giải phóng mặt bằng"},
    reasons=["Nội dung chung chung: 2/2 câu mang tính chung chung, thiếu số liệu.",
             "Chưa nêu rõ quan điểm của cơ quan: văn bản đẩy việc quyết định lên cấp trên (“Kính đề nghị xem xét.”) "
             "mà không nêu ý kiến đề xuất của chính cơ quan.",
             "Chưa có đề xuất cụ thể: văn bản không nêu việc cần làm, đơn vị thực hiện, thời hạn hay kinh phí."],
    evidence=[{"label": "vague", "start": 0, "end": len(VAGUE_1), "text": VAGUE_1, "score": 0.97,
               "missing": ["số liệu", "thời hạn", "đơn vị chịu trách nhiệm"]},
              {"label": "vague", "start": 200, "end": 200 + len(VAGUE_2), "text": VAGUE_2, "score": 0.95,
               "missing": ["số liệu", "căn cứ pháp lý"]}])


def test_addressed_to_the_agency_with_number_and_date():
    note = compose_return_note(EMPTY_REPORT)
    assert note.addressee == "UBND huyện An Dương"
    assert "Kính gửi: UBND huyện An Dương." in note.text
    assert "Báo cáo số 45/BC-UBND ngày 5/9/2023 của UBND huyện An Dương về việc tiến độ giải phóng mặt bằng" in note.text
    assert note.needed


def test_fallback_addressee_without_agency():
    r = dict(EMPTY_REPORT, meta={"agency": None, "number": None, "date": None, "doc_type": None})
    note = compose_return_note(r)
    assert note.text.splitlines()[2] == f"Kính gửi: {FALLBACK_ADDRESSEE}."
    assert "Qua xem xét văn bản," in note.text  # no number: the reference is not capitalised mid-sentence
    assert "None" not in note.text


def test_quotes_each_vague_sentence_with_what_it_lacks():
    text = compose_return_note(EMPTY_REPORT).text
    assert f"“{VAGUE_1}”: cần bổ sung số liệu, thời hạn và đơn vị chịu trách nhiệm." in text
    assert f"“{VAGUE_2}”: cần bổ sung số liệu và căn cứ pháp lý." in text


def test_asks_for_position_and_proposal_with_the_documents_own_detail():
    text = compose_return_note(EMPTY_REPORT).text
    assert "2. Chưa nêu rõ quan điểm của cơ quan. Văn bản đẩy việc quyết định lên cấp trên" in text
    assert "nêu rõ ý kiến của cơ quan mình" in text
    assert "3. Chưa có đề xuất cụ thể." in text and "đơn vị thực hiện, thời hạn hoàn thành và kinh phí" in text
    assert "đánh trống ghi tên" in text


def test_only_failing_dimensions_are_listed():
    r = _result("can_bo_sung", {"vague": False, "position": True, "proposal": False},
                meta={"agency": "Sở Y tế"}, reasons=["Chưa có đề xuất cụ thể: câu “Đề nghị xem xét.” chỉ nêu yêu cầu chung."])
    note = compose_return_note(r)
    assert len(note.items) == 1
    assert note.items[0].startswith("Chưa có đề xuất cụ thể. Câu “Đề nghị xem xét.” chỉ nêu yêu cầu chung.")
    assert "chung chung" not in note.text and "quan điểm của cơ quan." not in note.text


def test_reasons_not_matching_the_labels_are_not_misattributed():
    r = _result("can_bo_sung", {"vague": False, "position": False, "proposal": False},
                reasons=["Chưa có đề xuất cụ thể: chi tiết X."])  # one reason for two failing dimensions
    note = compose_return_note(r)
    assert "chi tiết X" not in note.text
    assert len(note.items) == 2


def test_dat_has_nothing_to_request():
    r = _result("dat", {"vague": False, "position": True, "proposal": True},
                meta={"agency": "Sở Xây dựng", "number": "318/BC-SXD", "date": "2023-07-14", "doc_type": "bao_cao"})
    note = compose_return_note(r)
    assert not note.needed
    assert "Không có nội dung cần đề nghị bổ sung" in note.text
    assert "Báo cáo số 318/BC-SXD ngày 14/7/2023 của Sở Xây dựng đạt yêu cầu" in note.text


def test_docx_opens_and_holds_the_text():
    note = compose_return_note(EMPTY_REPORT, sender="Văn phòng UBND thành phố")
    data = note.to_docx()
    paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert paragraphs[0] == note.title
    assert "Kính gửi: UBND huyện An Dương." in paragraphs
    body = "\n".join(paragraphs)
    assert f"“{VAGUE_1}”" in body
    assert "gửi lại Văn phòng UBND thành phố" in body
    assert docx.Document(io.BytesIO(data)).paragraphs[0].runs[0].bold


def test_docx_drops_characters_word_cannot_store():
    r = dict(EMPTY_REPORT, evidence=[dict(EMPTY_REPORT["evidence"][0], text="Câu có\x1b mã điều khiển\x00.")])
    note = compose_return_note(r)
    assert "\x1b" in note.text  # the plain text keeps what the document had
    body = "\n".join(p.text for p in docx.Document(io.BytesIO(note.to_docx())).paragraphs)
    assert "“Câu có mã điều khiển.”" in body


def test_edited_text_round_trips_to_docx():
    edited = compose_return_note(EMPTY_REPORT).text.replace("Đề nghị", "Kính đề nghị", 1) + "\n\nGhi chú của chuyên viên."
    note = ReturnNote.from_text(edited)
    assert note.addressee == "UBND huyện An Dương"
    assert note.text.replace("\n\n", "\n") == "\n".join(ln for ln in edited.splitlines() if ln.strip())
    body = [p.text for p in docx.Document(io.BytesIO(note.to_docx())).paragraphs]
    assert body[-1] == "Ghi chú của chuyên viên."


@pytest.mark.parametrize("iso, vi", [("2023-07-14", "14/7/2023"), ("2024-12-01", "1/12/2024"), (None, None),
                                     ("14/7/2023", "14/7/2023")])
def test_date_format(iso, vi):
    assert format_date_vi(iso) == vi


def test_reference_parts():
    assert document_reference({"doc_type": "to_trinh", "number": "12/TTr-UBND"}) == "Tờ trình số 12/TTr-UBND"
    assert document_reference({"doc_type": "cong_van", "date": "2023-01-02"}) == "công văn ngày 2/1/2023"
    assert document_reference({}) == "văn bản"


def test_from_a_real_result(scorer):
    text = (ROOT / "data/samples/documents/02-bao-cao-chung-chung.txt").read_text(encoding="utf-8")
    result = scorer.score(text)
    assert result.verdict != "dat"
    note = compose_return_note(result)
    vague = [e for e in result.evidence if e.label == "vague"]
    assert vague, "the sample is vague: the model must point at a vague sentence"
    for e in vague:
        assert "“" + " ".join(e.text.split()) + "”" in note.text
    assert compose_return_note(result.to_dict()).text == note.text
