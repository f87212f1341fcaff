"""The unsupervised-adaptation probes compute what their docstrings say (on toy registers)."""
import numpy as np

from training.transfer import importance_weights, shared_vocabulary

WRITTEN = [f"Sở Xây dựng đã cấp {n} giấy phép xây dựng trong tháng {m}" for n, m in zip(range(20), range(1, 21))] + \
          [f"UBND quận đã thu hồi {n} thửa đất tại phường {m}" for n, m in zip(range(20), range(1, 21))]
CORPUS = [f"Khoa đã tổ chức {n} lớp tập huấn cho sinh viên năm học {m}" for n, m in zip(range(20), range(1, 21))] + \
         [f"Sở Xây dựng đã cấp giấy phép cho {n} sinh viên" for n in range(20)]


def test_importance_weights_favour_written_sentences_that_look_like_the_corpus():
    w, auc = importance_weights(WRITTEN, CORPUS)
    assert 0.5 < auc <= 1.0
    assert w.shape == (len(WRITTEN),) and np.isclose(w.mean(), 1.0)
    # "Sở Xây dựng đã cấp ... giấy phép" also occurs in the corpus; "thu hồi ... thửa đất" never does
    assert w[:20].mean() > w[20:].mean()


def test_shared_vocabulary_drops_grams_of_one_register():
    vocabulary = set(shared_vocabulary(WRITTEN, CORPUS))
    assert "giấy phép" in vocabulary  # both registers use it
    assert "thu hồi" not in vocabulary and "thửa đất" not in vocabulary  # written only


def test_word_class_profile_counts_words_not_punctuation():
    from training.transfer import WORD_CLASS_FEATURES, word_class_profile

    tagged = [("Các", "L"), ("phương pháp", "N"), ("tích cực", "A"), (",", "CH"), ("hiện đại", "A"),
              ("hệ thống", "N"), ("quản lý", "V"), ("điểm", "N"), ("rèn luyện", "N"), ("02", "M")]
    profile = dict(zip(WORD_CLASS_FEATURES, word_class_profile(tagged)))
    assert profile["adjective"] == 2 / 9 and profile["verb"] == 1 / 9 and profile["numeral"] == 1 / 9
    assert profile["noun"] == 4 / 9
    assert profile["longest_noun_run"] == 3  # "điểm rèn luyện 02"
    assert word_class_profile([]) == (0.0, 0.0, 0.0, 0.0, 0.0, 0.0)


def test_cue_rates_split_vagueness_by_cue_presence():
    from training.transfer import cue_rates

    texts = ["Đã hoàn thành 12 hạng mục trước ngày 30/6/2022.", "Công tác này cơ bản hoàn thành, đạt kết quả tích cực.",
             "Còn một số tồn tại, hạn chế nhất định.", "Đã cấp 40 giấy phép cho các hộ tại phường 3."]
    vague = np.array([0, 1, 1, 0])
    share, with_cue, without = cue_rates(texts, vague)["stock_eval"]
    assert share == 0.5 and with_cue == 1.0 and without == 0.0
    share, with_cue, without = cue_rates(texts, vague, weights=np.array([1.0, 1.0, 1.0, 3.0]))["number"]
    assert share == 0.5 and with_cue == 0.0 and without == 1.0


def test_stock_per_line_counts_generic_cues_by_label():
    from training.transfer import stock_per_line

    texts = ["Đã cấp 40 giấy phép cho các hộ tại phường 3.", "Công tác này cơ bản hoàn thành, đạt kết quả tích cực.",
             "Kịp thời tăng cường, đẩy mạnh công tác tuyên truyền."]
    concrete, vague = stock_per_line(texts, np.array([0, 1, 1]))
    assert concrete < vague
    assert stock_per_line(texts[:1], np.array([0]))[1] != stock_per_line(texts[:1], np.array([0]))[1]  # no vague text: nan


def test_logit_blocks_sum_to_the_logit_of_the_top_sentence(scorer):
    from classifier.document import parse
    from training.transfer import logit_blocks

    texts = ["Công tác này cơ bản hoàn thành, đạt kết quả tích cực. Đã cấp 40 giấy phép cho các hộ tại phường 3.",
             "Đề nghị UBND thành phố giao Sở Xây dựng hoàn thành thẩm định trước ngày 30/6/2025."]
    model = scorer.model
    batch, sentence_proba, _ = model.score_sentences([parse(t).model_texts for t in texts])
    for label in ("vague", "proposal"):
        logits, parts = logit_blocks(model, texts, label)
        assert set(parts) == {"ngram", "cue", "rarity"}
        assert np.allclose(sum(parts.values()) + model.sentence_heads_[label].intercept_[0], logits)
        # the top sentence is the one behind the document's p_max
        p_max = [sentence_proba[label][batch.doc_index == d].max() for d in range(len(texts))]
        assert np.allclose(1 / (1 + np.exp(-logits)), p_max)
