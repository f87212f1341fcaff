"""The return note (phiếu đề nghị bổ sung): what a reviewer sends back to the submitting agency.

Composed from a scored result only — the same reasons, evidence sentences and
``missing`` items the model gave — so the note asks for exactly what the
scores found lacking. Pure functions; ``ReturnNote.to_docx`` renders the same
paragraphs as a Word file.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from .explain import Result, _join_vi
from .frame import DOC_TYPE_VI

TITLE = "PHIẾU ĐỀ NGHỊ BỔ SUNG VĂN BẢN"
FALLBACK_ADDRESSEE = "Cơ quan trình"
_QUOTE_LIMIT = 300
# characters XML 1.0 (and so .docx) cannot hold: C0 controls but tab/newline/CR, surrogates, U+FFFE/U+FFFF
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# What the note asks for when a dimension fails; the document-specific detail comes from the result's reason.
_ASK_POSITION = ("Đề nghị {who} nêu rõ ý kiến của cơ quan mình về vấn đề được giao: đồng ý hay không đồng ý, "
                 "lựa chọn phương án nào và vì sao.")
_ASK_PROPOSAL = ("Đề nghị {who} nêu đề xuất cụ thể: việc cần cấp có thẩm quyền quyết định, đơn vị thực hiện, "
                 "thời hạn hoàn thành và kinh phí (nếu có).")


@dataclass
class ReturnNote:
    """A composed note: ``text`` for a text box, ``to_docx()`` for a Word file."""

    addressee: str
    paragraphs: list[str]
    needed: bool = True
    title: str = TITLE
    items: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join([self.title, f"Kính gửi: {self.addressee}.", *self.paragraphs])

    @classmethod
    def from_text(cls, text: str) -> ReturnNote:
        """A note edited by the reviewer: first non-empty line is the title, the rest paragraphs."""
        lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").split("\n")]
        lines = [ln for ln in lines if ln.strip()]
        title = lines[0].strip() if lines else TITLE
        body = lines[1:]
        addressee = FALLBACK_ADDRESSEE
        if body and body[0].lower().startswith("kính gửi:"):
            addressee = body.pop(0).split(":", 1)[1].strip().rstrip(".")
        return cls(addressee=addressee, paragraphs=body, title=title)

    def to_docx(self) -> bytes:
        """The note as a .docx (Times New Roman 13 pt, the usual administrative style)."""
        import docx
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        document = docx.Document()
        style = document.styles["Normal"]
        style.font.name = "Times New Roman"
        style.font.size = Pt(13)
        heading = document.add_paragraph()
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        heading.add_run(xml_safe(self.title)).bold = True
        document.add_paragraph(xml_safe(f"Kính gửi: {self.addressee}."))
        for block in self.paragraphs:
            for line in block.split("\n"):
                p = document.add_paragraph(xml_safe(line.strip()))
                if line.startswith(" "):
                    p.paragraph_format.left_indent = Pt(18)
        buf = io.BytesIO()
        document.save(buf)
        return buf.getvalue()


def xml_safe(text: str) -> str:
    """``text`` without the characters a Word file cannot store (a pasted document may carry control codes)."""
    return _NOT_XML.sub("", text)


def format_date_vi(iso: str | None) -> str | None:
    """``2023-07-14`` -> ``14/7/2023`` (how dates are cited in administrative text); other strings unchanged."""
    if not iso:
        return None
    parts = iso.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        y, m, d = parts
        return f"{int(d)}/{int(m)}/{y}"
    return iso


def document_reference(meta: dict) -> str:
    """``Báo cáo số 318/BC-SXD ngày 14/7/2023`` with whatever parts the frame found ("văn bản" if none).

    Without a number the reference stays lower case ("tờ trình"), as it would mid-sentence.
    """
    ref = DOC_TYPE_VI.get(meta.get("doc_type") or "", "văn bản")
    if meta.get("number"):  # a numbered document is cited by name, capitalised
        ref = ref[0].upper() + ref[1:] + f" số {meta['number']}"
    date = format_date_vi(meta.get("date"))
    if date:
        ref += f" ngày {date}"
    return ref


def _about(subject: str | None) -> str:
    """`` về việc <subject>`` (the frame's V/v line), or nothing."""
    subject = (subject or "").strip().rstrip(".")
    if not subject:
        return ""
    return f" {subject}" if subject.lower().startswith("về ") else f" về việc {subject}"


def _quote(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > _QUOTE_LIMIT:
        text = text[: _QUOTE_LIMIT - 1].rstrip() + "…"
    return f"“{text}”"


def _failing(labels: dict) -> list[str]:
    """Failing dimensions in the order build_reasons writes its reasons."""
    out = []
    if labels.get("vague"):
        out.append("vague")
    if not labels.get("position"):
        out.append("position")
    if not labels.get("proposal"):
        out.append("proposal")
    return out


def _reason_detail(reason: str | None) -> str:
    """The document-specific part of a reason ("Chưa có đề xuất cụ thể: <detail>")."""
    if not reason or ":" not in reason:
        return ""
    detail = reason.split(":", 1)[1].strip()
    return detail[0].upper() + detail[1:] if detail else ""


def _vague_item(evidence: list[dict]) -> str:
    vague = [e for e in evidence if e.get("label") == "vague"]
    lines = ["Nội dung còn chung chung. Đề nghị viết cụ thể các câu sau:"]
    if not vague:
        lines.append("   - Nêu số liệu, thời hạn và đơn vị chịu trách nhiệm cho các kết quả và nhiệm vụ đã nêu.")
    for e in vague:
        missing = e.get("missing") or []
        ask = f"bổ sung {_join_vi(missing)}" if missing else "nêu cụ thể nội dung, kết quả, đối tượng"
        lines.append(f"   - {_quote(e.get('text', ''))}: cần {ask}.")
    return "\n".join(lines)


def compose_return_note(result: Result | dict, *, sender: str | None = None) -> ReturnNote:
    """The note for one scored document.

    ``result`` is a :class:`Result` or its ``to_dict()``; ``sender`` names the reviewing office in the
    closing line when given. A document with verdict ``dat`` gets a note saying nothing is requested.
    """
    r = result.to_dict() if isinstance(result, Result) else dict(result)
    meta = r.get("meta") or {}
    agency = (meta.get("agency") or "").strip()
    addressee = agency or FALLBACK_ADDRESSEE
    who = agency or "quý cơ quan"
    cited = document_reference(meta) + (f" của {agency}" if agency else "") + _about(meta.get("subject"))

    if r.get("verdict") == "dat":
        return ReturnNote(addressee, [
            f"{cited[0].upper()}{cited[1:]} đạt yêu cầu: nội dung cụ thể, có quan điểm và đề xuất của cơ quan. "
            "Không có nội dung cần đề nghị bổ sung."], needed=False)

    labels = r.get("labels") or {}
    failing = _failing(labels)
    reasons = list(r.get("reasons") or [])
    by_dim = dict(zip(failing, reasons)) if len(reasons) == len(failing) else {}

    intro = f"Qua xem xét {cited}, nhận thấy nội dung chưa đủ điều kiện trình lãnh đạo."
    if r.get("verdict") == "danh_trong_ghi_ten":
        intro += (" Văn bản chủ yếu nêu chung chung, chưa có quan điểm và đề xuất của cơ quan "
                  "(báo cáo “đánh trống ghi tên”).")
    intro += f" Đề nghị {who} bổ sung, làm rõ các nội dung sau:"

    items: list[str] = []
    for dim in failing:
        if dim == "vague":
            items.append(_vague_item(r.get("evidence") or []))
        elif dim == "position":
            detail = _reason_detail(by_dim.get("position"))
            items.append("Chưa nêu rõ quan điểm của cơ quan." + (f" {detail}" if detail else "")
                         + " " + _ASK_POSITION.format(who=who))
        else:
            detail = _reason_detail(by_dim.get("proposal"))
            items.append("Chưa có đề xuất cụ thể." + (f" {detail}" if detail else "")
                         + " " + _ASK_PROPOSAL.format(who=who))
    numbered = [f"{i}. {item}" for i, item in enumerate(items, 1)]
    closing = "Văn bản sau khi bổ sung, đề nghị gửi lại để tiếp tục xem xét, trình lãnh đạo."
    if sender:
        closing = f"Văn bản sau khi bổ sung, đề nghị gửi lại {sender} để tiếp tục xem xét, trình lãnh đạo."
    return ReturnNote(addressee, [intro, *numbered, closing], needed=True, items=items)
