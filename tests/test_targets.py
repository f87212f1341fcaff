"""Sentence targets from document labels and evidence spans (training.targets)."""
import numpy as np

from classifier.document import parse
from classifier.model import LABELS
from training.data import Record
from training.targets import UNTAGGED_WEIGHT, sentence_targets

GENERIC = "Thời gian qua, công tác quản lý trật tự đô thị có nhiều chuyển biến tích cực."
REQUEST = "Đề nghị UBND thành phố bố trí 2,5 tỷ đồng để lắp 40 camera tại phường An Hải trước ngày 30/6/2025."
FILLER = "Các đơn vị tiếp tục phối hợp chặt chẽ trong thời gian tới."
TEXT = " ".join([GENERIC, REQUEST, FILLER])


def _record(labels: dict[str, int], tags: list[tuple[str, str]]) -> Record:
    evidence = [{"start": TEXT.index(s), "end": TEXT.index(s) + len(s), "tags": [t]} for s, t in tags]
    return Record(id="t-0001", text=TEXT, labels=labels, doc_type="bao_cao", domain="xay_dung", agency="Sở Xây dựng",
                  evidence=evidence)


def test_tagged_sentences_count_fully_and_untagged_ones_inherit_the_document_label():
    record = _record({"vague": 1, "position": 0, "proposal": 1}, [(GENERIC, "V"), (REQUEST, "R")])
    y, w = sentence_targets(record, parse(record.text))
    v, r = LABELS.index("vague"), LABELS.index("proposal")
    assert len(y) == 3
    assert (y[0, v], w[0, v]) == (1, 1.0)  # tagged V
    # untagged for vague: inherits the document's label, the R sentence too. Writers label a generic account
    # around one concrete request vague=1, proposal=1; making its R sentence concrete lost on held-out writers
    # (docs/model-selection.md; branch exp-rconcrete)
    assert (y[1, v], w[1, v]) == (1, UNTAGGED_WEIGHT[("vague", 1)])
    assert (y[2, v], w[2, v]) == (1, UNTAGGED_WEIGHT[("vague", 1)])
    assert (y[1, r], w[1, r]) == (1, 1.0)
    assert y[0, r] == 0 and y[2, r] == 0


def test_untagged_sentences_of_a_concrete_document_are_not_vague():
    record = _record({"vague": 0, "position": 0, "proposal": 1}, [(REQUEST, "R")])
    y, w = sentence_targets(record, parse(record.text))
    v = LABELS.index("vague")
    assert not y[:, v].any()
    assert np.allclose(w[:, v], [UNTAGGED_WEIGHT[("vague", 0)], 1.0, UNTAGGED_WEIGHT[("vague", 0)]])
