"""The labeled corpus obeys the guide's format, and its evidence offsets point at whole sentences."""
import collections
import json

import pytest

from training.data import DEFAULT_DATA_DIR, DataError, load_corpus, read_jsonl

RECORDS = load_corpus()


def test_corpus_size_and_split():
    train = [r for r in RECORDS if r.split == "train"]
    dev = [r for r in RECORDS if r.split == "dev"]
    assert len(RECORDS) >= 600
    assert len(dev) >= 150
    assert sum(r.part == "cue_inverted" for r in dev) >= 60
    assert not {r.id for r in train} & {r.id for r in dev}


def test_every_label_combination_has_40_documents():
    combos = collections.Counter(r.combo for r in RECORDS)
    assert len(combos) == 8
    assert min(combos.values()) >= 40, combos


def test_domains_and_types():
    assert len({r.domain for r in RECORDS}) >= 12
    # the dev split covers all 15 domains; a training record outside them is a writer's name that was not mapped
    domains = {r.domain for r in RECORDS if r.split == "dev" and r.part == "general"}
    assert len(domains) == 15
    assert {r.domain for r in RECORDS} == domains
    assert {r.doc_type for r in RECORDS} == {"bao_cao", "to_trinh", "cong_van"}


def test_evidence_offsets_cover_sentences_and_positive_documents():
    positives = with_evidence = 0
    for r in RECORDS:
        for ev in r.evidence:
            span = r.text[ev["start"]:ev["end"]]
            assert span == span.strip(), (r.id, span)
            assert len(span) >= 10, (r.id, span)
            before = r.text[ev["start"] - 1] if ev["start"] > 0 else "\n"
            assert not (before.isalnum() and span[0].isalnum()), f"{r.id}: evidence starts mid-word: {span[:40]!r}"
        for tag, label in (("P", "position"), ("R", "proposal")):
            if r.labels[label]:
                positives += 1
                with_evidence += any(tag in ev["tags"] for ev in r.evidence)
    assert with_evidence / positives >= 0.8


def test_bad_records_are_rejected_with_file_and_line(tmp_path):
    good = {"id": "x", "agency": "Sở Y tế", "doc_type": "bao_cao", "domain": "y_te", "text": "Một câu đủ dài.",
            "labels": {"vague": 0, "position": 0, "proposal": 0}}
    cases = [
        ({**good, "doc_type": "thu"}, "doc_type"),
        ({**good, "labels": {"vague": 2, "position": 0, "proposal": 0}}, "label 'vague'"),
        ({**good, "text": "Ho\u0300a"}, "NFC"),
        ({**good, "evidence": [{"start": 5, "end": 99, "tags": ["V"]}]}, "outside the text"),
        ({**good, "evidence": [{"start": 0, "end": 5, "tags": ["P"]}]}, "position=0"),
    ]
    for obj, expected in cases:
        path = tmp_path / "train.jsonl"
        path.write_text(json.dumps(good, ensure_ascii=False) + "\n" + json.dumps(obj, ensure_ascii=False) + "\n",
                        encoding="utf-8")
        with pytest.raises(DataError, match=expected) as err:
            read_jsonl(path, "train", "general")
        assert f"{path}:2" in str(err.value)
