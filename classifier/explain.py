"""Verdict, Vietnamese reasons and evidence spans from the model's own probabilities.

Nothing here re-scores: evidence sentences are ranked by the sentence heads
that feed the document scores, and the ``missing`` list of a vague sentence
comes from the same cue counts the model reads.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .cues import CUE_NAMES, missing_anchors
from .document import ParsedDocument
from .model import LABELS

VERDICT_TEXT = {
    "dat": "Đạt — đủ điều kiện chuyển lãnh đạo",
    "can_bo_sung": "Cần bổ sung — trả lại kèm lý do",
    "danh_trong_ghi_ten": "Báo cáo \"đánh trống ghi tên\" — không có quan điểm, không có đề xuất",
}
MAX_EVIDENCE_PER_LABEL = 3
_CUE = {n: i for i, n in enumerate(CUE_NAMES)}


@dataclass
class Evidence:
    label: str
    start: int
    end: int
    text: str
    score: float
    missing: list[str] | None = None

    def to_dict(self) -> dict:
        out = {"label": self.label, "start": self.start, "end": self.end, "text": self.text,
               "score": round(float(self.score), 4)}
        if self.missing is not None:
            out["missing"] = self.missing
        return out


@dataclass
class Result:
    """What the scorer says about one document; ``to_dict()`` gives the JSON result object."""

    id: str | None
    scores: dict[str, float]
    labels: dict[str, bool]
    verdict: str
    reasons: list[str]
    evidence: list[Evidence]
    meta: dict
    model_version: str
    sentences: int = 0
    # the text the evidence offsets index when it is not the text the caller gave: the service repairs pasted
    # TCVN3/VNI mojibake before scoring (api.scoring.prepare_text) and returns the repaired text with the result
    text: str | None = None

    def to_dict(self) -> dict:
        out = {"id": self.id, "scores": {k: round(float(v), 4) for k, v in self.scores.items()},
               "labels": dict(self.labels), "verdict": self.verdict, "reasons": list(self.reasons),
               "evidence": [e.to_dict() for e in self.evidence], "meta": dict(self.meta),
               "model_version": self.model_version}
        if self.text is not None:
            out["text"] = self.text
        return out

    @property
    def verdict_text(self) -> str:
        return VERDICT_TEXT[self.verdict]


def verdict_for(labels: dict[str, bool]) -> str:
    """The labeling guide's table: 0/1/1 is dat, 1/0/0 the empty report, the rest needs more."""
    if not labels["vague"] and labels["position"] and labels["proposal"]:
        return "dat"
    if labels["vague"] and not labels["position"] and not labels["proposal"]:
        return "danh_trong_ghi_ten"
    return "can_bo_sung"


def _quote(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1].rstrip() + '…'}”"


def _join_vi(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " và " + items[-1]


def build_reasons(labels: dict[str, bool], doc: ParsedDocument, sentence_proba: dict[str, np.ndarray],
                  cues: np.ndarray, evidence: list[Evidence]) -> list[str]:
    """One Vietnamese sentence per failing dimension, pointing at this document's own text."""
    reasons: list[str] = []
    n = len(doc.sentences)
    if labels["vague"]:
        vague = [e for e in evidence if e.label == "vague"]
        share = int((sentence_proba["vague"] >= 0.5).sum()) if n else 0
        lacks: list[str] = []
        for e in vague:
            for m in e.missing or []:
                if m not in lacks:
                    lacks.append(m)
        text = "Nội dung chung chung"
        if n:
            text += f": {share}/{n} câu mang tính chung chung"
        if lacks:
            text += f", thiếu {_join_vi(lacks[:4])}"
        if vague:
            text += f" (ví dụ: {_quote(vague[0].text)})"
        reasons.append(text + ".")
    if not labels["position"]:
        text = "Chưa nêu rõ quan điểm của cơ quan"
        detail = _position_gap(doc, cues)
        reasons.append(text + (f": {detail}" if detail else " về vấn đề được giao (đồng ý hay không, phương án nào, vì sao).") )
    if not labels["proposal"]:
        text = "Chưa có đề xuất cụ thể"
        best = int(np.argmax(sentence_proba["proposal"])) if n else -1
        if best >= 0 and (cues[best, _CUE["request"]] > 0):
            missing = missing_anchors(doc.sentences[best].text, cues[best])
            gap = _join_vi([m for m in missing if m != "căn cứ pháp lý"][:3]) or "nội dung cụ thể"
            text += f": câu {_quote(doc.sentences[best].text)} chỉ nêu yêu cầu chung, không có {gap}."
        else:
            text += ": văn bản không nêu việc cần làm, đơn vị thực hiện, thời hạn hay kinh phí."
        reasons.append(text)
    return reasons


def _position_gap(doc: ParsedDocument, cues: np.ndarray) -> str:
    for i, s in enumerate(doc.sentences):
        if cues[i, _CUE["deferral"]] > 0:
            return (f"văn bản đẩy việc quyết định lên cấp trên ({_quote(s.text, 90)}) "
                    "mà không nêu ý kiến đề xuất của chính cơ quan.")
    for i, s in enumerate(doc.sentences):
        if cues[i, _CUE["relayed"]] > 0:
            return f"văn bản chỉ dẫn lại ý kiến của đơn vị khác ({_quote(s.text, 90)}), chưa nêu ý kiến của cơ quan mình."
    for i, s in enumerate(doc.sentences):
        if cues[i, _CUE["hedge"]] > 0:
            return f"ý kiến còn lửng lơ ({_quote(s.text, 90)}), chưa kết luận đồng ý hay không."
    return ""


def select_evidence(doc: ParsedDocument, labels: dict[str, bool], sentence_proba: dict[str, np.ndarray],
                    cues: np.ndarray) -> list[Evidence]:
    """The sentences that carry each positive label (vague: the most generic ones), in original offsets."""
    out: list[Evidence] = []
    if not doc.sentences:
        return out
    for label in LABELS:
        p = sentence_proba[label]
        order = [int(i) for i in np.argsort(-p, kind="stable")]
        if labels[label]:
            chosen = [i for i in order if p[i] >= 0.5][:MAX_EVIDENCE_PER_LABEL] or order[:1]
        else:
            continue
        for i in chosen:
            sentence = doc.sentences[i]
            start, end = doc.original_span(sentence)
            missing = missing_anchors(sentence.text, cues[i]) if label == "vague" else None
            out.append(Evidence(label, start, end, doc.text.original[start:end], float(p[i]), missing))
    out.sort(key=lambda e: (e.start, e.label))
    return out
