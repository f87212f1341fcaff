"""Who is speaking: find the issuing agency and mark where the text names it.

The `position` label asks whether the *issuing* agency states its own
stance; "Sở Tài chính cho rằng ..." is the agency's own view in a letter
from Sở Tài chính and a relayed opinion in a letter from Sở Xây dựng. The
models therefore read sentences in which the issuer's own name is replaced
by the marker ``CQBH`` (cơ quan ban hành), so "CQBH cho rằng" and "Sở Tài
chính cho rằng" are different evidence. The issuer comes from the frame
when there is one, else from the body's self-introduction ("Sở Y tế báo
cáo ...", "... , UBND huyện Vĩnh Bảo có ý kiến như sau").
"""
from __future__ import annotations

import re

from .agencies import SO_DISPLAY_NAMES as _SO_NAMES, canonical_agency, fold

ISSUER_MARK = "CQBH"
_CAP = r"[A-ZĐÀ-ỸÂĂÊÔƠƯ][\wÀ-ỹ&\-–]*"
_PLACE = r"(?:quận|huyện|thị xã|thành phố|tỉnh|phường|xã|thị trấn|TP\.?)\s+" + _CAP + r"(?:\s+" + _CAP + r"){0,3}"
_KNOWN = sorted({n for canonical, aliases in _SO_NAMES.items() for n in [canonical] + aliases}, key=len, reverse=True)
_NAME = (r"(?:" + "|".join(re.escape(n) for n in _KNOWN) + r"|(?:UBND|Ủy ban nhân dân)\s+" + _PLACE +
         r"|(?:Ban Quản lý|Ban QLDA|BQL|Công an|Bảo hiểm xã hội|BHXH|Cục|Chi cục|Trung tâm|Bệnh viện|Văn phòng|"
         r"Thanh tra|Kho bạc Nhà nước|Quỹ|Trường|Ban)(?:\s+(?:" + _CAP + r"|" + _PLACE + r"|dự án|đầu tư|xây dựng|"
         r"khu vực|các|công trình|giao thông|dân dụng|công nghiệp|nông nghiệp|y tế|đa khoa|thuế|và)){1,8})")
_SELF_INTRO = re.compile(
    r"(" + _NAME + r")\s*(?:\([^)]{1,40}\)\s*)?,?\s*(?:trân trọng|kính|xin|báo cáo|có ý kiến|tham gia ý kiến|giải trình|"
    r"tổng hợp|đã nhận được|nhận được|trình|tiếp nhận)")
_NAME_RX = re.compile(_NAME)


def _trim(name: str) -> str:
    return re.sub(r"\s+(?:và|các|quận|huyện|tỉnh|phường|xã)$", "", name.strip())


def find_issuer(frame_agency: str | None, body: str) -> str | None:
    """The issuing agency's name as it is written in the body (or in the frame)."""
    if frame_agency:
        return frame_agency
    m = _SELF_INTRO.search(body[:3000])
    if m:
        return _trim(m.group(1))
    return None


def _variants(issuer: str) -> list[str]:
    """Spellings of the issuer to look for: as given, canonical, and 'UBND' for 'Ủy ban nhân dân'."""
    names = {issuer, canonical_agency(issuer) or issuer}
    for n in list(names):
        names.add(n.replace("Ủy ban nhân dân", "UBND"))
        names.add(n.replace("UBND", "Ủy ban nhân dân"))
    return sorted((n for n in names if len(n) >= 4), key=len, reverse=True)


def issuer_pattern(issuer: str | None) -> re.Pattern | None:
    if not issuer:
        return None
    return re.compile("|".join(re.escape(v) for v in _variants(issuer)), re.I)


def mark_issuer(sentence: str, pattern: re.Pattern | None) -> str:
    """Replace the issuer's own name in a sentence by the marker the models read."""
    if pattern is None:
        return sentence
    return pattern.sub(ISSUER_MARK, sentence)


def same_agency(a: str | None, b: str | None) -> bool:
    return bool(a and b and fold(canonical_agency(a) or a) == fold(canonical_agency(b) or b))


__all__ = ["ISSUER_MARK", "find_issuer", "issuer_pattern", "mark_issuer", "same_agency", "_NAME_RX"]
