"""Readable Vietnamese summary of a result for the terminal."""
from __future__ import annotations

from classifier.explain import Result
from classifier.frame import DOC_TYPE_VI

LABEL_VI = {"vague": "chung chung", "position": "quan điểm", "proposal": "đề xuất"}
ENCODING_VI = {"utf-16": "UTF-16", "utf-32": "UTF-32", "cp1258": "Windows-1258", "tcvn3": "TCVN3 (ABC)",
               "vni": "VNI-Windows"}


def conversion_text(conversion: str) -> str:
    """'tcvn3+nfd' -> 'TCVN3 (ABC) → Unicode; dấu tổ hợp (NFD) đã được ghép khi chấm'."""
    parts = conversion.split("+")
    out = [f"{ENCODING_VI.get(p, p)} → Unicode" for p in parts if p != "nfd"]
    if "nfd" in parts:
        out.append("dấu tổ hợp (NFD) đã được ghép khi chấm")
    return "; ".join(out)


def summary(result: Result, title: str) -> str:
    lines = [f"== {title} ==", f"Kết luận: {result.verdict_text}",
             "Điểm: " + " | ".join(f"{LABEL_VI[k]} {v:.2f}{' ✔' if result.labels[k] else ''}"
                                   for k, v in result.scores.items())]
    meta = result.meta
    facts = [f"Cơ quan: {meta['agency']}" if meta.get("agency") else "",
             f"Số: {meta['number']}" if meta.get("number") else "",
             f"Ngày: {meta['date']}" if meta.get("date") else "",
             f"Loại: {DOC_TYPE_VI.get(meta.get('doc_type'), '')}" if meta.get("doc_type") else ""]
    if any(facts):
        lines.append(" · ".join(f for f in facts if f))
    if meta.get("conversion"):
        lines.append(f"Chuyển mã: {conversion_text(meta['conversion'])}")
    if result.reasons:
        lines.append("Lý do:")
        lines += [f"  - {r}" for r in result.reasons]
    if result.evidence:
        lines.append("Câu làm căn cứ:")
        for e in result.evidence:
            text = " ".join(e.text.split())
            text = text if len(text) <= 160 else text[:159] + "…"
            miss = f" — thiếu: {', '.join(e.missing)}" if e.missing else ""
            lines.append(f"  [{LABEL_VI[e.label]} {e.score:.2f}] “{text}”{miss}")
    return "\n".join(lines)
