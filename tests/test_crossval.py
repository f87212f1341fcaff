"""Cross-validation by held-out writer or held-out group scores exactly the documents it held out."""
import pytest

from training.crossval import leave_one_writer_out, writer_of
from training.data import load_corpus


@pytest.fixture(scope="module")
def four_writers():
    wanted = ("trcm", "trcn", "trsa", "trsb")
    records = [r for r in load_corpus() if r.split == "train" and writer_of(r) in wanted]
    return [r for w in wanted for r in [r for r in records if writer_of(r) == w][:40]]


def test_each_writer_is_held_out_once(four_writers):
    metrics = leave_one_writer_out(four_writers)
    assert set(metrics["by_writer"]) == {"trcm", "trcn", "trsa", "trsb"}
    assert metrics["vague"]["n"] == len(four_writers)
    assert sum(m["vague"]["n"] for m in metrics["by_writer"].values()) == len(four_writers)


def test_a_held_out_group_is_scored_alone(four_writers):
    metrics = leave_one_writer_out(four_writers, held_out={"service units": ("trsa", "trsb")})
    assert set(metrics["by_writer"]) == {"service units"}
    assert metrics["vague"]["n"] == 80  # the other writers' documents are only trained on
    assert 0.0 <= metrics["vague"]["macro_f1"] <= 1.0
