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
