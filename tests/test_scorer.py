"""The result object: schema, verdict table, evidence offsets into the text exactly as given."""
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from classifier import parse, verdict_for
from classifier.errors import EmptyDocumentError

DOC = ("Kính gửi: Ủy ban nhân dân thành phố\r\n"
       "Sở Xây dựng không đồng ý với đề xuất nâng chiều cao công trình tại lô CC2 lên 25 tầng vì vượt chỉ tiêu "
       "quy hoạch phân khu đã được phê duyệt tại Quyết định số 1234/QĐ-UBND.\r\n"
       "Đề nghị UBND thành phố giao UBND quận Hải An chủ trì, hoàn thành kiểm tra hiện trạng lô CC2 trước ngày 30/6/2023.\r\n")


def test_verdict_table():
    assert verdict_for({"vague": False, "position": True, "proposal": True}) == "dat"
    assert verdict_for({"vague": True, "position": False, "proposal": False}) == "danh_trong_ghi_ten"
    assert verdict_for({"vague": False, "position": False, "proposal": True}) == "can_bo_sung"


def test_result_schema(scorer):
    result = scorer.score(DOC, id="doc-1").to_dict()
    assert set(result) == {"id", "scores", "labels", "verdict", "reasons", "evidence", "meta", "model_version"}
    assert result["id"] == "doc-1"
    assert set(result["scores"]) == {"vague", "position", "proposal"}
    assert all(0.0 <= v <= 1.0 for v in result["scores"].values())
    assert result["verdict"] in {"dat", "can_bo_sung", "danh_trong_ghi_ten"}
    assert set(result["meta"]) >= {"agency", "number", "date", "doc_type"}
    assert len(result["reasons"]) == sum([result["labels"]["vague"], not result["labels"]["position"],
                                          not result["labels"]["proposal"]])


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_evidence_offsets_index_the_original_text(scorer, form):
    raw = unicodedata.normalize(form, DOC).replace("hoàn thành", "hoàn  thành")
    result = scorer.score(raw)
    assert result.evidence, "a concrete document with a stance and a proposal must show evidence"
    for e in result.evidence:
        assert 0 <= e.start < e.end <= len(raw)
        assert raw[e.start:e.end] == e.text
        assert "Kính gửi" not in e.text


def test_score_many_matches_score(scorer):
    texts = [DOC, "Thời gian tới, Sở sẽ tiếp tục tăng cường phối hợp với các đơn vị liên quan để tháo gỡ khó khăn."]
    many = [r.to_dict() for r in scorer.score_many(texts)]
    one = [scorer.score(t).to_dict() for t in texts]
    assert many == one


def test_vague_evidence_names_what_is_missing(scorer):
    text = ("Thời gian qua, công tác này cơ bản đạt được những kết quả nhất định, có chuyển biến tích cực. "
            "Tuy nhiên vẫn còn một số tồn tại, hạn chế do nhiều nguyên nhân khách quan và chủ quan. "
            "Thời gian tới, Sở tiếp tục tăng cường phối hợp với các đơn vị liên quan. "
            "Kính đề nghị UBND thành phố quan tâm, chỉ đạo.")
    result = scorer.score(text)
    assert result.labels["vague"] and result.verdict == "danh_trong_ghi_ten"
    vague = [e for e in result.evidence if e.label == "vague"]
    assert vague and all(e.missing for e in vague)
    assert any("chung chung" in r for r in result.reasons)


def test_empty_text_is_refused(scorer):
    with pytest.raises(EmptyDocumentError):
        scorer.score("   \n ")


VOCAB = ["Sở", "Xây", "dựng", "đề", "nghị", "UBND", "thành", "phố", "hoà", "thuỷ", "30/6/2022", "12,5", "tỷ", "đồng",
         "Kính", "gửi:", "Nơi", "nhận:", "SỞ", "Y", "TẾ", "Số:", "215/BC-SYT", "không", "đồng", "ý", "vì", "trước",
         "ngày", "tăng", "cường", "các", "đơn", "vị", "liên", "quan", ".", ",", ";", "-", "•", "\n", "\r\n", "\t", "  "]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from(VOCAB), max_size=80), form=st.sampled_from(["NFC", "NFD"]))
def test_any_text_scores_or_is_refused_and_spans_index_it(scorer, words, form):
    raw = unicodedata.normalize(form, " ".join(words))
    try:
        result = scorer.score(raw)
    except EmptyDocumentError:
        return
    assert result.verdict in {"dat", "can_bo_sung", "danh_trong_ghi_ten"}
    for e in result.evidence:
        assert 0 <= e.start < e.end <= len(raw)
        assert raw[e.start:e.end] == e.text


def test_direct_probabilities_equal_scikit_learn(scorer):
    """The scoring fast path (sigmoid of the decision function) gives scikit-learn's predict_proba."""
    from pathlib import Path

    import numpy as np

    from classifier.model import LABELS, document_features

    ROOT = Path(__file__).resolve().parent.parent

    model = scorer.model
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(ROOT.glob("data/samples/documents/*.txt"))]
    docs = [parse(t).model_texts for t in texts]
    out, batch, sentence_proba, cues = model.predict_proba_docs(docs)
    X, _ = model.featurizer_.transform_with_cues(batch.texts)
    for j, label in enumerate(LABELS):
        assert np.allclose(model.sentence_heads_[label].predict_proba(X)[:, 1], sentence_proba[label], atol=1e-12)
        D = document_features(sentence_proba[label], cues, batch.doc_index, batch.n_docs,
                              model._doc_feature_names(label))
        assert np.allclose(model.document_heads_[label].predict_proba(D)[:, 1], out[:, j], atol=1e-12)


def test_label_sentence_C_applies_to_its_head_only(scorer):
    """``label_sentence_C`` sets the regularisation of the named label's sentence head; the others keep
    ``sentence_C`` (the default model overrides position, chosen by leave-one-writer-out cross-validation)."""
    from classifier.model import LABELS

    model = scorer.model
    overrides = model.label_sentence_C or {}
    assert overrides, "the default model sets a per-label C"
    for label in LABELS:
        assert model.sentence_heads_[label].C == overrides.get(label, model.sentence_C), label
