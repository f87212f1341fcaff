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

from .agencies import agency_from_number, canonical_agency
from .text import upper_share

# "Số: 215/BC-SXD", "Số 215/TTr-UBND", "Số:   12 /CV-STC", "Số: 45-BC/UB", "Số: ......./BC-SXD": the number,
# then code parts joined by / or - (spaces around them allowed). Without a colon the line must carry a code
# part or end after the number, so a body line "Số 3 hộ gia đình ..." is not a số/ký hiệu.
_CODE_PART = r"(?:\s*[/\-]\s*[0-9A-Za-zĐđÀ-ỹ&.]*[0-9A-Za-zĐđÀ-ỹ&])"
_NUMBER = re.compile(r"^số\s*(?:(?P<colon>[:.])\s*)?(?P<value>(?:\d+|[.…]{2,})" + _CODE_PART + r"*)"
                     r"(?P<end>\s*$)?", re.I)
_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
_NUMERIC_DATE = re.compile(r"(?<![\d/.\-])(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4})(?![\d/.\-])")
# the place-and-date line: a place and a comma, or nothing, before the date ("... trước ngày 30/6/2024" in a short
# body line is not one)
_DATE_LINE = re.compile(r"^(?:[\w\s.À-ỹ]{1,40},\s*)?(?:ngày\s+[\d.…]+\s+tháng\s+[\d.…]+\s+năm\s+\d{4}|"
                        r"(?:ngày\s+)?\d{1,2}\s*([/.\-])\s*\d{1,2}\s*\1\s*\d{4})\s*\.?\s*$", re.I)
_NATIONAL = re.compile(r"^(cộng hòa xã hội chủ nghĩa việt nam|độc lập\s*[-–—]\s*tự do\s*[-–—]\s*hạnh phúc)", re.I)
# a rule under a header line, in any dash, with the ornaments typists put in it ("-----o0o-----", "*****")
_RULE = re.compile(r"[-_=*.…~–—‒―─━\s]*(?:o0o|oOo|ooo|000|\*{3})?[-_=*.…~–—‒―─━\s]*")
_SUBJECT = re.compile(r"^(v/v|về việc)\b", re.I)
_ADDRESSEE = re.compile(r"^kính\s+gửi\b", re.I)
_RECIPIENTS = re.compile(r"^nơi\s+nhận\b", re.I)
_ATTACHMENT = re.compile(r"^\(?(?:hồ sơ |tài liệu |văn bản )?kèm theo\b", re.I)  # "(Kèm theo danh sách ...)"
# what stands just above the signature: the closing formula ("Trân trọng./.", "./."), the contact, the attachments
_CLOSING = re.compile(r"^(?:(?:xin\s+)?trân\s+trọng(?:\s+(?:báo cáo|cảm ơn|kính chào))?|\./\.)\s*[./!]*\s*$"
                      r"|^đầu mối liên hệ\b|" + _ATTACHMENT.pattern, re.I)
_SIGN = re.compile(r"^(tm\.|kt\.|tl\.|tuq\.|q\.|thừa lệnh|thừa ủy quyền|người ký|\(?đã ký\)?|ký tên|\(ký)", re.I)
_TITLES = {
    "BÁO CÁO": "bao_cao",
    "TỜ TRÌNH": "to_trinh",
    "CÔNG VĂN": "cong_van",
}
DOC_TYPE_VI = {"bao_cao": "báo cáo", "to_trinh": "tờ trình", "cong_van": "công văn"}  # doc_type -> words
# other document titles: a title, never an agency, and none of the three types
_OTHER_TITLES = ("KẾ HOẠCH", "QUYẾT ĐỊNH", "THÔNG BÁO", "ĐỀ ÁN", "PHƯƠNG ÁN", "CHƯƠNG TRÌNH", "GIẤY MỜI", "BIÊN BẢN",
                 "NGHỊ QUYẾT", "HƯỚNG DẪN", "CÔNG ĐIỆN", "CHỈ THỊ", "THÔNG TRI")
_CODE_TYPES = {"BC": "bao_cao", "TTR": "to_trinh", "CV": "cong_van"}
# ký hiệu type codes of other documents (quyết định, kế hoạch, thông báo ...): not a công văn
_OTHER_CODES = {"QĐ", "QD", "KH", "TB", "NQ", "CT", "HD", "HĐ", "BB", "GM", "PA", "ĐA", "CTR", "CĐ", "QC", "TT", "GXN"}
# the first word(s) of an agency's name in a header, and administrative units
_AGENCY_HEAD = re.compile(
    r"^(SỞ|UBND|ỦY BAN|UỶ BAN|HĐND|HỘI ĐỒNG|BAN|BQL|TRUNG TÂM|PHÒNG|CHI CỤC|CỤC|TỔNG CỤC|BỆNH VIỆN|TRƯỜNG|BẢO HIỂM|"
    r"BHXH|CÔNG AN|VĂN PHÒNG|THANH TRA|KHO BẠC|QUỸ|HỘI|VIỆN|ĐÀI|ĐẢNG|TỈNH ỦY|THÀNH ỦY|HUYỆN ỦY|QUẬN ỦY|BỘ|"
    r"CÔNG TY|TẬP ĐOÀN|LIÊN ĐOÀN|ĐOÀN|MẶT TRẬN|THƯ VIỆN|BẢO TÀNG|TRẠM|ĐỘI|HẠT|CẢNG VỤ|CHI NHÁNH|BỘ CHỈ HUY|"
    r"CẢNH SÁT|KIỂM LÂM|NHÀ|KHU|QUẬN|HUYỆN|THỊ XÃ|THÀNH PHỐ|TỈNH|PHƯỜNG|XÃ|THỊ TRẤN)\b")
_UNIT_LINE = re.compile(r"^(QUẬN|HUYỆN|THỊ XÃ|THÀNH PHỐ|TỈNH|PHƯỜNG|XÃ|THỊ TRẤN)\s+\S")
_UBND_ONLY = re.compile(r"^(UBND|[ỦU][YỶ]\s*BAN NHÂN DÂN)$")
_UBND_PLACE = re.compile(r"^(?:UBND|[ỦU][YỶ]\s*BAN NHÂN DÂN)\s+(QUẬN|HUYỆN|THỊ XÃ|THÀNH PHỐ|TỈNH)\s+(\S.*)$")
_BARE_UNIT_END = re.compile(r"\s(QUẬN|HUYỆN|THỊ XÃ|THÀNH PHỐ|TỈNH)$")
_SECTION = re.compile(r"^([IVXLC]+|\d+|[a-zđ])[.)]\s", re.I)
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


# where the right-hand column starts when normalisation has already joined the two with one space:
# "UBND THÀNH PHỐ HẢI PHÒNG CỘNG HÒA XÃ HỘI ...", "SỞ XÂY DỰNG Độc lập - Tự do - Hạnh phúc",
# "Số: 215/BC-SXD Hải Phòng, ngày 14 tháng 7 năm 2023"
_RIGHT_COLUMN = re.compile(r"\s+(?=(?i:cộng hòa xã hội chủ nghĩa|độc lập\s*[-–—]\s*tự do)|"
                           r"[A-ZĐÀ-Ỹ][\wÀ-ỹ.]*(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ.]*){0,3},\s*(?i:ngày)\s+[\d.…]+\s+(?i:tháng))")


def _split_columns(line: str) -> list[str]:
    """Header lines often hold two columns (agency | quốc hiệu) joined by tabs or wide spaces, or (after
    normalisation) by one space before the quốc hiệu, the motto or the place-and-date; the left part must
    then be a header column itself (upper case, the số/ký hiệu, the quốc hiệu)."""
    out = []
    for part in re.split(r"\s{3,}|\t|\s*\|\s*", line.strip()):
        m = _RIGHT_COLUMN.search(part)
        if m and m.start() > 0:
            left = part[:m.start()]
            if _is_upper(left) or _NUMBER.match(left) or _NATIONAL.match(left):
                out += [left, part[m.end():]]
                continue
        if part:
            out.append(part)
    return out


def _is_title(line: str) -> bool:
    up = line.upper()
    return any(up.startswith(t) for t in _TITLES) or any(up.startswith(t) for t in _OTHER_TITLES)


def _doc_type_from(number: str | None, title: str | None, subject: str | None) -> str | None:
    """From the title ("BÁO CÁO ..."), else the ký hiệu's type code (BC, TTr, CV; QĐ, KH ... are other
    documents), else a ký hiệu without a type code or a "V/v" line means a công văn."""
    if title:
        for key, value in _TITLES.items():
            if title.upper().startswith(key):
                return value
        return None  # another kind of document (kế hoạch, quyết định ...)
    if number:
        codes = re.findall(r"[/\-]\s*([A-Za-zĐđ]+)", number)
        for code in codes:
            if code.upper() in _CODE_TYPES:
                return _CODE_TYPES[code.upper()]
            if code.upper() in _OTHER_CODES:
                return None
        if codes:
            return "cong_van"
    if subject:
        return "cong_van"
    return None


def _agency_line(candidates: list[str]) -> str | None:
    """The issuing agency among the upper-case header lines above the title: the lowest unit ("SỞ XÂY
    DỰNG" under "UBND THÀNH PHỐ HẢI PHÒNG"), its name joined when it runs over two lines ("SỞ LAO ĐỘNG -
    THƯƠNG BINH" / "VÀ XÃ HỘI", "ỦY BAN NHÂN DÂN" / "HUYỆN BÌNH CHÁNH"), and a bare unit completed from
    the parent ("CÔNG AN TỈNH" under "UBND TỈNH QUẢNG NINH")."""
    agencies: list[str] = []
    for line in candidates:
        up = re.sub(r"\s+", " ", line.upper().strip())
        if not agencies:
            agencies.append(up)
        elif _UNIT_LINE.match(up) and _UBND_ONLY.match(agencies[-1]):
            agencies[-1] += " " + up
        elif _UNIT_LINE.match(up) and _UBND_PLACE.match(agencies[-1]):
            agencies.append("UBND " + up)
        elif not _AGENCY_HEAD.match(up):
            agencies[-1] += " " + up  # a name over two lines
        else:
            agencies.append(up)
    if not agencies:
        return None
    agency = agencies[-1]
    bare = _BARE_UNIT_END.search(agency)
    if bare:
        for parent in reversed(agencies[:-1]):
            m = _UBND_PLACE.match(parent)
            if m and m.group(1) == bare.group(1):
                agency += " " + m.group(2)
                break
    return agency


def _iso_date(match: re.Match) -> str | None:
    if match.re is _NUMERIC_DATE:
        day, month, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
    else:
        day, month, year = (int(x) for x in match.groups())
    if 1 <= day <= 31 and 1 <= month <= 12 and 1945 <= year <= 2100:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def _find_date(text: str) -> str | None:
    """ "ngày 14 tháng 7 năm 2023", "ngày  05  tháng 01 năm 2024", or a numeric "14/7/2023" on a date line."""
    match = _DATE.search(text) or _NUMERIC_DATE.search(text)
    return _iso_date(match) if match else None


def _is_subject_line(line: str) -> bool:
    """A subject under the title: a short line that is not a sentence of the body (no final period, no
    section number, no colon ending a lead-in)."""
    return (len(line) <= 250 and not line.endswith((".", ":", ";")) and not _SECTION.match(line)
            and not _ADDRESSEE.match(line) and not _RECIPIENTS.match(line) and not _ATTACHMENT.match(line))


def detect_frame(norm: str) -> Frame:
    """Find header and footer lines of the frame; everything between is the body."""
    lines = _lines(norm)
    n = len(lines)
    frame = Frame(body_start=0, body_end=len(norm))
    header_upper: list[str] = []  # upper-case lines above the title and the date line: agency candidates
    title = None
    seen_date = False
    # --- header: leading lines that look like frame lines
    i = 0
    last_header = -1
    in_addressee = False
    title_at = -1  # line index of the title: the one or two lines under it name the subject
    subject_lines = 0
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
            if m and frame.number is None and (m.group("colon") or m.group("end") is not None
                                               or re.search(r"[/\-]", m.group("value"))):
                frame.number = re.sub(r"\s+", "", m.group("value")).rstrip(".")
                consumed = True
                continue
            if _NATIONAL.match(col) or _DATE_LINE.match(col):
                if _DATE_LINE.match(col):
                    seen_date = True
                    if frame.date is None:
                        frame.date = _find_date(col)
                consumed = True
                continue
            if _SUBJECT.match(col):
                frame.subject = re.sub(r"^(v/v|về việc)\s*[:.]?\s*", "", col, flags=re.I).strip()
                consumed = True
                continue
            if _is_upper(col) and len(col) < 120:
                if _is_title(col) and title is None:
                    title = col
                    title_at = i
                elif (not _NATIONAL.match(col) and title is None and not seen_date and not _SECTION.match(col)
                      and not _ADDRESSEE.match(col) and not _SIGNER_TITLES.match(col)):
                    header_upper.append(col)
                consumed = True
                continue
            if _RULE.fullmatch(col):  # rules under header lines
                consumed = True
        if (not consumed and title_at >= 0 and frame.addressee is None and _is_subject_line(stripped)
                and (subject_lines, i - title_at) in ((0, 1), (1, 2)) and (frame.subject is None) == (subject_lines == 0)
                and any(line.strip() for _, _, line in lines[i + 1:])):
            # "BÁO CÁO" / "Kết quả thực hiện ... năm 2024": the subject under the title, in sentence case, on the
            # line after it (and the next, when it wraps); never the last line of the text, which is the body
            frame.subject = stripped if frame.subject is None else f"{frame.subject} {stripped}"
            subject_lines += 1
            consumed = True
        if not consumed and _ATTACHMENT.match(stripped):  # "(Kèm theo Danh sách ...)" under the title or Số
            consumed = True
        if _ADDRESSEE.match(stripped):
            frame.addressee = re.sub(r"^kính\s+gửi\s*[:.]?\s*", "", stripped, flags=re.I).strip() or None
            consumed = True
            in_addressee = True
        elif in_addressee and re.match(r"^[-+]\s*\S", stripped) and len(stripped) < 120 and (
                not stripped.endswith(".") or _AGENCY_HEAD.match(stripped.lstrip("-+ ").upper())):
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
    while footer_at is not None:  # the closing lines just above it belong to the footer
        k = footer_at - 1
        while k > last_header and not lines[k][2].strip():
            k -= 1
        if k <= last_header or not _CLOSING.match(lines[k][2].strip()):
            break
        footer_at = k
    if footer_at is not None and n - footer_at <= 40:
        frame.body_end = max(lines[footer_at][0], frame.body_start)
        frame.frame_spans.append((frame.body_end, len(norm)))
    # --- metadata
    raw = _agency_line(header_upper)
    if raw:
        frame.agency_raw = raw
        frame.agency = canonical_agency(raw)
    else:  # no agency line: the ký hiệu may name it ("215/BC-STNMT")
        frame.agency = agency_from_number(frame.number)
    if frame.date is None:
        dm = _DATE.search(norm[: frame.body_start])
        if dm:
            frame.date = _iso_date(dm)
    frame.doc_type = _doc_type_from(frame.number, title, frame.subject)
    return frame
