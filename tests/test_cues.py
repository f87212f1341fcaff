"""The cue extractor finds the guide's concepts, and missing_anchors names what a generic sentence lacks."""
from classifier.cues import cue_counts, missing_anchors
from classifier.issuer import ISSUER_MARK
from classifier import parse


def test_specific_sentence_has_anchors():
    c = cue_counts("Đề nghị UBND thành phố giao UBND huyện An Dương chủ trì, hoàn thành kiểm đếm 35 hộ "
                   "trước ngày 30/6/2022 theo Quyết định số 1234/QĐ-UBND, kinh phí 12,5 tỷ đồng.")
    for cue in ("quantity", "date", "time_frame", "legal_ref", "amount", "named_unit_cased", "request",
                "responsibility"):
        assert c[cue] >= 1, cue
    assert missing_anchors("Đề nghị UBND huyện An Dương hoàn thành kiểm đếm 35 hộ trước ngày 30/6/2022.") == []


def test_generic_sentence_counts_stock_language_and_lacks_specifics():
    sentence = "Thời gian tới tiếp tục tăng cường, đẩy mạnh phối hợp chặt chẽ với các đơn vị liên quan, rất hiệu quả."
    c = cue_counts(sentence)
    assert c["generic_action"] >= 3 and c["generic_actor"] >= 1 and c["intensifier"] >= 1
    assert c["quantity"] == c["date"] == c["legal_ref"] == 0
    assert {"số liệu", "thời hạn", "đơn vị chịu trách nhiệm"} <= set(missing_anchors(sentence))


def test_phrases_match_whole_words_only():
    assert cue_counts("Xây dựng nhà văn hóa")["decision_verb"] == 1  # "xây dựng"
    assert cue_counts("Khu vực bãi giữ xe")["decision_verb"] == 0  # no "giao" inside another word


def test_issuer_name_is_marked_in_its_own_letter_only():
    doc = parse("Sở Tài chính báo cáo như sau:\nSở Tài chính cho rằng phương án 2 phù hợp hơn. "
                "Sở Xây dựng cho rằng phương án 1 phù hợp.")
    texts = doc.model_texts
    assert texts[1].startswith(ISSUER_MARK + " cho rằng")
    assert texts[2].startswith("Sở Xây dựng cho rằng")
    assert cue_counts(texts[1])["own_subject_cased"] and cue_counts(texts[2])["relayed_subject_cased"]
