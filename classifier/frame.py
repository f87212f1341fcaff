"""Recognise the administrative frame of a Vietnamese official document.

The frame (agency header, quốc hiệu/tiêu ngữ, số/ký hiệu, place and date,
title, "V/v", "Kính gửi", "Nơi nhận", signature block) counts toward no
label, so the scorer reads only the body. What the frame carries (agency,
number, date, document type) becomes metadata in the result. Works on the
normalised text and returns spans in its coordinates.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .agencies import canonical_agency
from .text import upper_share

_NUMBER = re.compile(r"^số\s*[:.]?\s*([0-9]+[^\s,;]*|\.{2,}[^\s,;]*)", re.I)
_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
_DATE_LINE = re.compile(r"^[\w\s.,À-ỹ]{0,40}ngày\s+[\d.…]+\s+tháng\s+[\d.…]+\s+năm\s+\d{4}\s*$", re.I)
_NATIONAL = re.compile(r"^(cộng hòa xã hội chủ nghĩa việt nam|độc lập\s*[-–—]\s*tự do\s*[-–—]\s*hạnh phúc)", re.I)
_SUBJECT = re.compile(r"^(v/v|về việc)\b", re.I)
_ADDRESSEE = re.compile(r"^kính\s+gửi\b", re.I)
_RECIPIENTS = re.compile(r"^nơi\s+nhận\b", re.I)
_SIGN = re.compile(r"^(tm\.|kt\.|tl\.|tuq\.|q\.|thừa lệnh|thừa ủy quyền|người ký|\(?đã ký\)?|ký tên|\(ký)", re.I)
_TITLES = {
    "BÁO CÁO": "bao_cao",
    "TỜ TRÌNH": "to_trinh",
    "CÔNG VĂN": "cong_van",
}
DOC_TYPE_VI = {"bao_cao": "báo cáo", "to_trinh": "tờ trình", "cong_van": "công văn"}  # doc_type -> words
_CODE_TYPES = {"BC": "bao_cao", "TTR": "to_trinh", "TTr": "to_trinh"}
_SIGNER_TITLES = re.compile(
    r"^(giám đốc|phó giám đốc|chủ tịch|phó chủ tịch|trưởng ban|phó trưởng ban|chánh văn phòng|"
    r"trưởng phòng|thủ trưởng|giám đốc sở|cục trưởng|viện trưởng|hiệu trưởng|tổng giám đốc)\b", re.I)


@dataclass
class Frame:
    """Where the body lies in ``Text.norm`` and what the frame says."""

    body_start: int
    body_end: int
    frame_spans: list[tuple[int, int]] = field(default_factory=list)
    agency: str | None = None
    agency_raw: str | None = None
    number: str | None = None
    date: str | None = None
    doc_type: str | None = None
    subject: str | None = None
    addressee: str | None = None

    def meta(self) -> dict:
        return {"agency": self.agency, "number": self.number, "date": self.date,
                "doc_type": self.doc_type, "subject": self.subject, "addressee": self.addressee}


def _lines(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def _is_upper(line: str) -> bool:
    letters, share = upper_share(line)
    return letters >= 3 and share > 0.8


def _split_columns(line: str) -> list[str]:
    """Header lines often hold two columns (agency | quốc hiệu) joined by tabs or wide spaces."""
    parts = re.split(r"\s{3,}|\t|\s*\|\s*", line.strip())
    return [p for p in parts if p]


def _doc_type_from(number: str | None, title: str | None, subject: str | None) -> str | None:
    if title:
        for key, value in _TITLES.items():
            if title.upper().startswith(key):
                return value
    if number:
        codes = re.findall(r"/([A-Za-zĐđ]+)", number)
        for code in codes:
            if code in _CODE_TYPES or code.upper() in _CODE_TYPES:
                return _CODE_TYPES.get(code, _CODE_TYPES.get(code.upper()))
        if codes:
            return "cong_van"
    if subject:
        return "cong_van"
    return None


def _iso_date(match: re.Match) -> str | None:
    day, month, year = (int(x) for x in match.groups())
    if 1 <= day <= 31 and 1 <= month <= 12:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def detect_frame(norm: str) -> Frame:
    """Find header and footer lines of the frame; everything between is the body."""
    lines = _lines(norm)
    n = len(lines)
    frame = Frame(body_start=0, body_end=len(norm))
    header_upper: list[str] = []
    title = None
    # --- header: leading lines that look like frame lines
    i = 0
    last_header = -1
    in_addressee = False
    while i < n and i < 40:
        start, end, line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
            continue
        columns = _split_columns(stripped)
        consumed = False
        for col in columns:
            m = _NUMBER.match(col)
            if m and frame.number is None:
                frame.number = m.group(1).rstrip(".")
                consumed = True
                continue
            if _NATIONAL.match(col) or _DATE_LINE.match(col):
                dm = _DATE.search(col)
                if dm and frame.date is None:
                    frame.date = _iso_date(dm)
                consumed = True
                continue
            if _SUBJECT.match(col):
                frame.subject = re.sub(r"^(v/v|về việc)\s*[:.]?\s*", "", col, flags=re.I).strip()
                consumed = True
                continue
            if _is_upper(col) and len(col) < 120:
                up = col.upper()
                if any(up.startswith(t) for t in _TITLES) and title is None and len(col) < 40:
                    title = col
                elif not _NATIONAL.match(col):
                    header_upper.append(col)
                consumed = True
                continue
            if re.fullmatch(r"[-_=*.…\s]+", col):
                consumed = True
        if _ADDRESSEE.match(stripped):
            frame.addressee = re.sub(r"^kính\s+gửi\s*[:.]?\s*", "", stripped, flags=re.I).strip() or None
            consumed = True
            in_addressee = True
        elif in_addressee and re.match(r"^[-+]\s*\S", stripped) and len(stripped) < 120 and not stripped.endswith("."):
            consumed = True  # continuation of a multi-line "Kính gửi"
            frame.addressee = (frame.addressee or "") + ("; " if frame.addressee else "") + stripped.lstrip("-+ ").rstrip(";,")
        elif in_addressee:
            in_addressee = False
        if not consumed:
            break
        last_header = i
        i += 1
    if last_header >= 0:
        frame.body_start = lines[last_header][1] + 1 if last_header + 1 < n else len(norm)
        frame.frame_spans.append((0, min(frame.body_start, len(norm))))
    # --- footer: from "Nơi nhận" or the signature block to the end
    footer_at = None
    for j in range(n - 1, max(last_header, -1), -1):
        stripped = lines[j][2].strip()
        if _RECIPIENTS.match(stripped) or _SIGN.match(stripped) or (
                _is_upper(stripped) and _SIGNER_TITLES.match(stripped) and len(stripped) < 60):
            footer_at = j
    if footer_at is not None and n - footer_at <= 40:
        frame.body_end = max(lines[footer_at][0], frame.body_start)
        frame.frame_spans.append((frame.body_end, len(norm)))
    # --- metadata
    agency_lines = [h for h in header_upper if not _SIGNER_TITLES.match(h)]
    if agency_lines:
        raw = agency_lines[-1] if len(agency_lines) > 1 else agency_lines[0]
        frame.agency_raw = raw
        frame.agency = canonical_agency(raw)
    if frame.date is None:
        dm = _DATE.search(norm[: frame.body_start])
        if dm:
            frame.date = _iso_date(dm)
    frame.doc_type = _doc_type_from(frame.number, title, frame.subject)
    return frame
