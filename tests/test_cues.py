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


def test_first_character_guard_keeps_every_match_exactly():
    """_guarded puts a look-ahead for the possible first characters in front of patterns starting with \\b;
    it must accept exactly the matches the plain pattern accepts (cue counts are features of the model)."""
    import re

    from classifier.cues import CUE_PATTERNS, _guarded
    from training.data import load_corpus

    sentences = [line for r in load_corpus()[:400] for line in r.text.splitlines() if line.strip()]
    sentences += ["", " ", "1", "x1", "quý 4 năm 2024", "Đ/c A", "(ghi chú) và “trích dẫn dài”", "số 12/BC-SXD"]
    guarded = 0
    extra = {"empty-able start": r"\bx?\d*", "optional group": r"\b(?:ab|)c", "negated class": r"\b[^a]b"}
    for name, pattern in list(CUE_PATTERNS.items()) + list(extra.items()):
        fast = _guarded(pattern)
        guarded += fast != pattern
        plain_rx, fast_rx = re.compile(pattern, re.M), re.compile(fast, re.M)
        for sentence in sentences:
            text = sentence if name.endswith("_cased") else sentence.lower()
            assert [m.span() for m in plain_rx.finditer(text)] == [m.span() for m in fast_rx.finditer(text)], name
    assert guarded >= 5  # the guard is in use, not silently skipped
    assert _guarded(extra["empty-able start"]) == extra["empty-able start"]  # may match empty: left alone
    assert _guarded(extra["negated class"]) == extra["negated class"]  # start not bounded: left alone
