"""One canonical name per agency, so statistics group "SỞ TN&MT", "Sở Tài nguyên
và Môi trường" and "STNMT" together."""
from __future__ import annotations

import re
import unicodedata

from .text import upper_share

# canonical name -> aliases (compared after folding: lower case, no diacritics, no punctuation)
_SO = {
    "Sở Tài nguyên và Môi trường": ["tn&mt", "tnmt", "tn-mt", "stnmt"],
    "Sở Kế hoạch và Đầu tư": ["kh&đt", "khđt", "kh-đt", "skhđt", "khdt", "skhdt"],
    "Sở Giao thông vận tải": ["gtvt", "sgtvt"],
    "Sở Giáo dục và Đào tạo": ["gd&đt", "gdđt", "gd-đt", "sgdđt", "gddt", "sgddt"],
    "Sở Lao động - Thương binh và Xã hội": ["lđ-tb&xh", "lđtbxh", "ldtbxh", "slđtbxh", "sldtbxh",
                                             "lao động thương binh và xã hội"],
    "Sở Nông nghiệp và Phát triển nông thôn": ["nn&ptnt", "nnptnt", "snnptnt"],
    "Sở Văn hóa, Thể thao và Du lịch": ["vh-tt&dl", "vhttdl", "svhttdl", "văn hóa thể thao và du lịch"],
    "Sở Thông tin và Truyền thông": ["tt&tt", "tttt", "stttt"],
    "Sở Khoa học và Công nghệ": ["kh&cn", "khcn", "skhcn"],
    "Sở Xây dựng": ["sxd"],
    "Sở Tài chính": ["stc"],
    "Sở Y tế": ["syt"],
    "Sở Nội vụ": ["snv"],
    "Sở Tư pháp": ["stp"],
    "Sở Công Thương": ["sct", "công thương"],
}


# spellings of each Sở as they appear in running text ("Sở TN&MT"), for finding the issuer
SO_DISPLAY_NAMES: dict[str, list[str]] = {
    name: ["Sở " + a.upper() if "&" in a or a.isascii() and len(a) <= 6 else "Sở " + a for a in aliases
           if not a.startswith("s") or "&" in a] for name, aliases in _SO.items()}


def fold(text: str) -> str:
    """Lower case, no diacritics (đ kept as d), no punctuation but '&' and '-'."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^\w&\- ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


_ALIASES: dict[str, str] = {}
for _name, _aliases in _SO.items():
    _ALIASES[fold(_name)] = _name
    for _alias in _aliases:
        _ALIASES[fold(_alias)] = _name
        _ALIASES[fold("sở " + _alias)] = _name

_KEEP_UPPER = {"UBND", "HĐND", "BQL", "QLDA", "BHXH", "TP", "TP.", "KCN", "CCN", "ĐTXD", "GPMB", "TNHH", "MTV"}


def _title_case(raw: str) -> str:
    """'SỞ Y TẾ' -> 'Sở Y tế'; keeps known acronyms upper case."""
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
    # place names after administrative unit words are proper nouns
    return re.sub(r"\b(quận|huyện|thị xã|thành phố|tỉnh|phường|xã|thị trấn)\s+([a-zà-ỹđ ]+)$",
                  lambda m: m.group(1) + " " + m.group(2).title(), text)


def canonical_agency(raw: str | None) -> str | None:
    """Canonical display name for an agency as written in a header or a data column."""
    if not raw or not raw.strip():
        return None
    raw = re.sub(r"\s+", " ", raw.strip().strip(":-;,"))
    key = fold(raw)
    if key in _ALIASES:
        return _ALIASES[key]
    bare = re.sub(r"^so ", "", key)
    for alias_key, name in _ALIASES.items():
        if bare == alias_key:
            return name
    letters, share = upper_share(raw)
    if letters and share > 0.8:
        titled = _title_case(raw)
        return _ALIASES.get(fold(titled), titled)
    return raw
