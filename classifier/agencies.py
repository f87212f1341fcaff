"""One canonical name per agency, so statistics group "SỞ TN&MT", "Sở Tài nguyên và Môi trường",
"Sở TNMT", "STNMT" and "/BC-STNMT" together, and "UBND Q. Hải An" with "Ủy ban nhân dân quận Hải An".

Public: :func:`canonical_agency` (a name as written -> canonical name), :func:`agency_from_number`
(the ký hiệu fallback: "215/BC-STNMT" -> "Sở Tài nguyên và Môi trường"), :func:`fold`, and
``SO_DISPLAY_NAMES`` (how each Sở is written in running text, for finding the issuer).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .text import upper_share


@dataclass(frozen=True)
class _Department:
    """A Sở: its canonical name, the codes it goes by ("TN&MT" after "Sở", "STNMT" in a ký hiệu)
    and other full spellings. ``bare``: the codes name it even without "Sở"/"S" (long codes only)."""

    name: str
    codes: tuple[str, ...]
    spellings: tuple[str, ...] = ()
    bare: bool = True


_DEPARTMENTS = (
    _Department("Sở Tài nguyên và Môi trường", ("TN&MT", "TNMT", "TN-MT")),
    _Department("Sở Kế hoạch và Đầu tư", ("KH&ĐT", "KHĐT", "KH-ĐT")),
    _Department("Sở Giao thông vận tải", ("GTVT", "GT-VT"), ("Giao thông - Vận tải",)),
    _Department("Sở Giáo dục và Đào tạo", ("GD&ĐT", "GDĐT", "GD-ĐT")),
    _Department("Sở Lao động - Thương binh và Xã hội", ("LĐ-TB&XH", "LĐTBXH", "LĐ-TBXH"),
                ("Lao động Thương binh và Xã hội",)),
    _Department("Sở Nông nghiệp và Phát triển nông thôn", ("NN&PTNT", "NNPTNT", "NN-PTNT")),
    _Department("Sở Nông nghiệp và Môi trường", ("NN&MT", "NNMT")),
    _Department("Sở Văn hóa, Thể thao và Du lịch", ("VH-TT&DL", "VHTTDL", "VH,TT&DL", "VHTT&DL"),
                ("Văn hóa Thể thao và Du lịch",)),
    _Department("Sở Văn hóa và Thể thao", ("VH&TT", "VHTT")),
    _Department("Sở Thông tin và Truyền thông", ("TT&TT", "TTTT", "TT-TT")),
    _Department("Sở Khoa học và Công nghệ", ("KH&CN", "KHCN", "KH-CN")),
    _Department("Sở Quy hoạch - Kiến trúc", ("QH-KT", "QHKT", "QH&KT")),
    _Department("Sở Xây dựng", ("XD",), bare=False),
    _Department("Sở Tài chính", ("TC",), bare=False),
    _Department("Sở Y tế", ("YT",), bare=False),
    _Department("Sở Nội vụ", ("NV",), bare=False),
    _Department("Sở Tư pháp", ("TP",), bare=False),
    _Department("Sở Công Thương", ("CT",), ("Công thương",), bare=False),
    _Department("Sở Du lịch", ("DL",), bare=False),
    _Department("Sở Ngoại vụ", ("NGV",), bare=False),
)


def fold(text: str) -> str:
    """Lower case, no diacritics (đ kept as d), no punctuation but '&' and '-'."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^\w&\- ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _key(text: str) -> str:
    """Full-name key: folded, '&' read as 'và', dashes and commas gone ("Tài nguyên & Môi trường")."""
    text = fold(text).replace("&", " va ").replace("-", " ")
    return re.sub(r"\s+", " ", text).strip()


def _squash(text: str) -> str:
    """Code key: folded letters and digits only ("TN&MT", "TN-MT", "TN và MT" -> "tnmt")."""
    return re.sub(r"[^a-z0-9]", "", re.sub(r"(?<=\w)\s+va\s+(?=\w)", "", fold(text).replace("&", "")))


_BY_KEY: dict[str, str] = {}   # full-name keys, with and without "sở"
_BY_CODE: dict[str, str] = {}  # squashed codes
_BARE: set[str] = set()        # codes that name a Sở on their own
for _dept in _DEPARTMENTS:
    for _full in (_dept.name[len("Sở "):],) + _dept.spellings:
        _BY_KEY[_key("Sở " + _full)] = _dept.name
        if len(_full.split()) >= 3 or _full in _dept.spellings:
            # "Tài nguyên và Môi trường" alone names the Sở; "Xây dựng" or "Y tế" alone does not
            _BY_KEY[_key(_full)] = _dept.name
    for _code in _dept.codes:
        _BY_CODE[_squash(_code)] = _dept.name
        if _dept.bare:
            _BARE.add(_squash(_code))

# how each Sở is written in running text ("Sở TN&MT", "Sở TNMT"), for finding the issuer
SO_DISPLAY_NAMES: dict[str, list[str]] = {
    d.name: ["Sở " + c for c in d.codes if len(_squash(c)) > 2] + ["Sở " + s for s in d.spellings]
    for d in _DEPARTMENTS}

_DOC_TYPE_CODES = {"bc", "ttr", "cv", "qd", "kh", "tb", "ct", "nq", "hd", "bb", "gm", "pa", "da", "ctr", "cd", "tl",
                   "qc", "gxn", "gt", "gp", "ubnd", "vp", "tt", "ub"}


def _department(text: str) -> str | None:
    """The Sở a short name or code stands for, if it is one."""
    key = _key(text)
    if key in _BY_KEY:
        return _BY_KEY[key]
    words = fold(text).split()
    if not words:
        return None
    squashed = _squash(text)
    if words[0] == "so" and len(words) > 1:  # "Sở TN&MT", "Sở KH và ĐT", "Sở LĐ-TB&XH"
        rest = " ".join(words[1:])
        return _BY_CODE.get(_squash(rest)) if len(_squash(rest)) <= 8 else None
    if len(words) == 1 and squashed.startswith("s") and squashed[1:] in _BY_CODE:
        return _BY_CODE[squashed[1:]]  # "STNMT", "SKH&ĐT", "SXD"
    if len(squashed) <= 8 and squashed in _BARE:
        return _BY_CODE[squashed]  # "TN&MT", "TNMT"
    return None


def agency_from_number(number: str | None) -> str | None:
    """The Sở a số/ký hiệu names: "215/BC-STNMT", "1023/STC-NS", "12/CV-SKHĐT" (None for "45/TTr-UBND")."""
    if not number:
        return None
    for code in re.split(r"[/\-]", number)[1:]:
        squashed = _squash(code)
        if not squashed or squashed in _DOC_TYPE_CODES:
            continue
        if squashed.startswith("s") and squashed[1:] in _BY_CODE:
            return _BY_CODE[squashed[1:]]
        if squashed in _BARE:
            return _BY_CODE[squashed]
    return None


# --- local government: "UBND Q. Hải An", "Ủy ban nhân dân quận Hải An" -> "UBND quận Hải An" -----------

_UNITS = [(r"quận|q\.", "quận"), (r"huyện|h\.", "huyện"), (r"thị xã|tx\.?", "thị xã"),
          (r"thành phố|tp\.?", "thành phố"), (r"tỉnh", "tỉnh"), (r"phường|p\.", "phường"),
          (r"thị trấn|tt\.", "thị trấn"), (r"xã(?! hội)|x\.", "xã")]
_UNIT = re.compile(r"^(" + "|".join(p for p, _ in _UNITS) + r")(?:\s+|(?<=\.))(?=\S)(.+)$", re.I)
_UBND = re.compile(r"^(?:ubnd|(?:ủy|uỷ|uy)\s*ban\s+nhân\s+dân)\b\.?\s*", re.I)


def _unit_name(unit: str) -> str:
    low = unit.lower()
    return next(name for pattern, name in _UNITS if re.fullmatch(pattern, low))


def _place(place: str, shout: bool) -> str:
    """Place names are proper nouns: every syllable capitalised when written all in one case."""
    place = place.strip().strip(".,;")
    if shout or place == place.lower():
        return " ".join(w[:1].upper() + w[1:].lower() if w.isalpha() else w for w in place.split())
    return " ".join(w[:1].upper() + w[1:] for w in place.split())


def _local_units(rest: str, shout: bool) -> str | None:
    """"Q. HẢI AN" -> "quận Hải An"; "phường X, quận Y" -> both; None when ``rest`` is not units."""
    out = []
    for segment in [s.strip() for s in rest.split(",") if s.strip()]:
        m = _UNIT.match(segment)
        if not m:
            return None
        out.append(f"{_unit_name(m.group(1))} {_place(m.group(2), shout)}")
    return ", ".join(out)


def _ubnd(raw: str, shout: bool) -> str | None:
    m = _UBND.match(raw)
    if not m:
        return None
    rest = raw[m.end():].strip()
    if not rest:
        return "UBND"
    if re.fullmatch(r"thành phố|tp\.?|tỉnh|quận|huyện", rest, re.I):
        return "UBND " + _unit_name(rest)
    units = _local_units(rest, shout)
    return "UBND " + units if units else None


_LOCALITY = re.compile(r"^(.+?)\s+(tỉnh|thành phố|tp\.?)\s*(\S.*)$", re.I)

_KEEP_UPPER = {"UBND", "HĐND", "BQL", "QLDA", "BHXH", "TP", "TP.", "KCN", "CCN", "ĐTXD", "GPMB", "TNHH", "MTV", "PCCC",
               "CNCH", "PTNT", "THPT", "THCS", "CNTT"}
_PLACE_TAIL = re.compile(r"\b(quận|huyện|thị xã|thành phố|tỉnh|phường|xã(?! hội)|thị trấn)\s+(?=\S)", re.I)


def _title_case(raw: str) -> str:
    """'SỞ Y TẾ' -> 'Sở Y tế'; keeps known acronyms upper case; the place after the last unit word is a proper noun."""
    words = raw.split()
    out = []
    for k, word in enumerate(words):
        if word.upper() in _KEEP_UPPER or (len(word) <= 4 and "&" in word):
            out.append(word.upper())
        elif k == 0:
            out.append(word[:1].upper() + word[1:].lower())
        else:
            out.append(word.lower())
    text = " ".join(out)
    tails = list(_PLACE_TAIL.finditer(text))
    if tails:
        last = tails[-1]
        text = text[:last.end()] + _place(text[last.end():], True)
    return text


def canonical_agency(raw: str | None) -> str | None:
    """Canonical display name for an agency as written in a header, a data column or a ký hiệu code."""
    if not raw or not raw.strip():
        return None
    raw = re.sub(r"\s+", " ", unicodedata.normalize("NFC", raw).strip().strip(":-;,"))
    if not raw:
        return None
    letters, share = upper_share(raw)
    shout = bool(letters) and share > 0.8
    dept = _department(raw)
    if dept:
        return dept
    ubnd = _ubnd(raw, shout)
    if ubnd:
        return ubnd
    m = _LOCALITY.match(raw)
    if m:  # "Sở Y tế tỉnh Bình Dương", "SỞ TÀI CHÍNH TP. HCM"
        dept = _department(m.group(1))
        if dept:
            return f"{dept} {_unit_name(m.group(2))} {_place(m.group(3), shout)}"
    if shout:
        return _title_case(raw)
    return raw
