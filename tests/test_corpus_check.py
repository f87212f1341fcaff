"""The corpus check: its file is well formed, holds no corpus text, and is read as the annotators' consensus."""
import json

import numpy as np
import pytest

from training.agreement import agreement
from training.realdev import CORPUS_CHECK, corpus_check, corpus_check_plans, read_corpus_check, real_dev


def test_check_file_is_well_formed_and_carries_line_numbers_not_text():
    rows = read_corpus_check()
    counts = {name: sum(r["set"] == name for r in rows) for name in ("check", "check_plans", "real_dev")}
    assert counts == {"check": 240, "check_plans": 240, "real_dev": 80}
    assert len({r["line"] for r in rows}) == len(rows)
    assert all(set(r) == {"line", "set", "labels", "why"} for r in rows)  # no text field: the corpus stays in ../shared


def test_check_lines_are_not_real_dev_lines():
    items = real_dev()
    if not items:
        pytest.skip("../shared/corpus is not present")
    real = {i["line"] for i in items}
    rows = read_corpus_check()
    assert {r["line"] for r in rows if r["set"] == "real_dev"} == real
    assert not real & {r["line"] for r in rows if r["set"] != "real_dev"}


def _write_shared(tmp_path, lines):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "self-assessment-reports.vi.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_corpus_check_keeps_lines_both_annotators_label_alike(tmp_path, monkeypatch):
    monkeypatch.setenv("BAOCAO_SHARED", str(_write_shared(tmp_path, ["dòng một", "dòng hai", "dòng ba", "dòng bốn"])))
    agree, differ = {"vague": 1, "proposal": 0}, {"vague": 0, "proposal": 0}
    rows = [{"line": 1, "set": "check", "labels": {"a": agree, "b": agree}, "why": {}},
            {"line": 2, "set": "check", "labels": {"a": agree, "b": differ}, "why": {}},
            {"line": 3, "set": "real_dev", "labels": {"a": agree, "b": agree}, "why": {}},
            {"line": 4, "set": "check", "labels": {"a": differ, "b": differ}, "why": {}}]
    path = tmp_path / "check.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    items = corpus_check(path)
    assert [(i["line"], i["text"], i["labels"]) for i in items] == [(1, "dòng một", agree), (4, "dòng bốn", differ)]
    rows[2]["set"] = "check_plans"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    assert [i["line"] for i in corpus_check_plans(path)] == [3]


def test_corpus_check_is_empty_without_the_shared_corpus(tmp_path, monkeypatch):
    monkeypatch.setenv("BAOCAO_SHARED", str(tmp_path))
    assert corpus_check(CORPUS_CHECK) == []


def test_bad_check_row_names_file_and_line(tmp_path):
    path = tmp_path / "check.jsonl"
    path.write_text(json.dumps({"line": 1, "set": "check", "labels": {"a": {"vague": 1}}, "why": {}}) + "\n")
    with pytest.raises(ValueError, match=r"check.jsonl:1"):
        read_corpus_check(path)


def test_agreement_on_two_labels_has_no_verdict():
    first = np.array([[1, 0], [0, 0], [1, 1], [0, 1]])
    result = agreement(first, np.array([[1, 0], [0, 1], [1, 1], [0, 1]]), ("vague", "proposal"))
    assert set(result) == {"vague", "proposal"}
    assert result["vague"]["agreement"] == 1.0 and result["vague"]["kappa"] == 1.0
    assert result["proposal"]["agreement"] == 0.75
