"""Inter-annotator agreement: kappa and raw agreement per label, and a clear error for a bad file."""
import json

import numpy as np
import pytest

from training.agreement import agreement, read_second


def test_agreement_per_label_and_verdict():
    first = np.array([[1, 0, 0], [0, 1, 1], [1, 1, 0], [0, 0, 1]])
    second = np.array([[1, 0, 0], [0, 1, 1], [0, 1, 0], [0, 0, 1]])
    result = agreement(first, second)
    assert result["position"]["kappa"] == pytest.approx(1.0)
    assert result["vague"]["agreement"] == pytest.approx(0.75)
    assert result["vague"]["kappa"] == pytest.approx(0.5)  # p_o 0.75, p_e 0.5
    assert result["all_three"] == pytest.approx(0.75)
    assert result["verdict"] == pytest.approx(1.0)  # 110 and 010 are both "can_bo_sung"


def test_second_annotation_labels_the_same_labels_on_every_line(tmp_path):
    path = tmp_path / "second.jsonl"
    rows = [{"id": "x-0001", "labels": {"vague": 1, "proposal": 0}}, {"id": "x-0002", "labels": {"vague": 0}}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="second.jsonl:2"):
        read_second(path)
    path.write_text(json.dumps({"id": "x-0001", "labels": {"vague": 1, "stance": 0}}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="second.jsonl:1"):
        read_second(path)
    path.write_text(json.dumps(rows[0]) + "\n", encoding="utf-8")
    assert read_second(path) == {"x-0001": {"vague": 1, "proposal": 0}}
