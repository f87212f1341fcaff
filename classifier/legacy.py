"""Pre-Unicode Vietnamese text: TCVN3 (ABC, ".VnTime" fonts) and VNI-Windows ("VNI-Times" fonts).

Documents from the 1990s and 2000s were typed in 8-bit fonts: the bytes are ordinary
Windows-1252 characters and only the font drew them as Vietnamese letters. Read without
the font they come out as "Së X©y dùng" (TCVN3) or "Sôû Xaây döïng" (VNI). This module
turns such text into Unicode NFC:

* :func:`decode_legacy_bytes` picks TCVN3, VNI or Windows-1258 for .txt bytes that are not
  UTF-8, by which decoding reads as the most valid Vietnamese syllables;
* :func:`repair_mojibake` converts a str that is legacy text read as Windows-1252/Latin-1
  (pasted, or in a PDF without a Unicode map), only when the evidence is strong;
* :func:`legacy_font` and :func:`convert_run` convert .docx runs by their font name.

Detection never converts plain Unicode Vietnamese or English: it needs several words that
are invalid Vietnamese as given and valid after conversion (see :func:`syllable_counts`).

TCVN3 has no upper-case letters with tone marks; typists switched to the all-capitals font
(".VnTimeH") whose lower-case code points draw capitals. In a .docx the font says so; in a
.txt the font is gone, so an all-capitals line is restored to capitals (:func:`_restore_caps`),
and a capital toned letter inside mixed-case text comes back lower case (it cannot be known).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# --- tables -------------------------------------------------------------------------------

# TCVN 5712:1993 VN3 ("TCVN3", "ABC"): one byte per letter. 67 lower-case letters, the 7
# upper-case letters without tone, and NBSP. Byte -> letter, written out per vowel family.
_TCVN3: dict[int, str] = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    # a: grave hook tilde acute dot
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    # ă
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    # â
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    # e
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    # ê
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    # i
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    # o
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    # ô
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    # ơ
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    # u
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    # ư
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    # y
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}
# as characters: what the byte looks like when read as Windows-1252 / Latin-1
TCVN3_CHARS: dict[str, str] = {chr(b): letter for b, letter in _TCVN3.items()}
_TCVN3_ENCODE: dict[str, int] = {letter: b for b, letter in _TCVN3.items()}

# VNI-Windows: a base letter followed by one mark character. Upper-case letters take the
# upper-case form of the mark. Tone names: grave, acute, hook, tilde, dot.
_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
TONES = (_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT)
_VNI_MARKS: dict[str, tuple[str, str]] = {  # mark char (lower case) -> (shape, tone)
    "ø": ("", _GRAVE), "ù": ("", _ACUTE), "û": ("", _HOOK), "õ": ("", _TILDE), "ï": ("", _DOT),
    "â": (_CIRC, ""), "à": (_CIRC, _GRAVE), "á": (_CIRC, _ACUTE), "å": (_CIRC, _HOOK), "ã": (_CIRC, _TILDE),
    "ä": (_CIRC, _DOT),
    "ê": (_BREVE, ""), "è": (_BREVE, _GRAVE), "é": (_BREVE, _ACUTE), "ú": (_BREVE, _HOOK), "ü": (_BREVE, _TILDE),
    "ë": (_BREVE, _DOT),
}
_VNI_MARKS.update({k.upper(): v for k, v in list(_VNI_MARKS.items())})
# letters VNI writes as one character (i with tones, ỵ, đ, ơ, ư)
_VNI_SINGLE_LOWER = {"ñ": "đ", "ô": "ơ", "ö": "ư", "ì": "ì", "í": "í", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}
VNI_SINGLE: dict[str, str] = {**_VNI_SINGLE_LOWER, **{k.upper(): v.upper() for k, v in _VNI_SINGLE_LOWER.items()}}
# which (shape, tone) each VNI base accepts; ơ/ư are bases written as one character
_VNI_BASES: dict[str, set[str]] = {"a": {"", _CIRC, _BREVE}, "e": {"", _CIRC}, "o": {"", _CIRC},
                                   "u": {""}, "y": {""}, "ơ": {""}, "ư": {""}}
_VNI_ENCODE_SINGLE = {v: k for k, v in VNI_SINGLE.items()}
_VNI_ENCODE_MARK = {(shape, tone): mark for mark, (shape, tone) in _VNI_MARKS.items() if mark.islower()}

# Windows-1252 for 0x80-0x9F, where Latin-1 has control characters
_CP1252_HIGH = {b: bytes([b]).decode("cp1252") for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}
_CP1252_BYTE = {c: b for b, c in _CP1252_HIGH.items()}

# the 67 letters Vietnamese adds to ASCII (the 12 vowels with and without tone, minus the
# 6 plain ASCII vowels, plus đ); with their capitals, 134
_LOWER_LETTERS = tuple(unicodedata.normalize("NFC", vowel + tone) for vowel in "aăâeêioôơuưy"
                       for tone in ("",) + TONES if tone or vowel not in "aeiouy") + ("đ",)
VIETNAMESE_LETTERS: tuple[str, ...] = _LOWER_LETTERS + tuple(c.upper() for c in _LOWER_LETTERS)


def bytes_as_ansi(data: bytes) -> str:
    """Bytes as Windows-1252 characters (Latin-1 where 1252 has no character): what Word stores for 8-bit fonts."""
    return data.decode("latin-1").translate(_CP1252_HIGH)


# --- conversion -----------------------------------------------------------------------------

_PRIVATE_USE = re.compile("[\uf020-\uf0ff]")  # symbol-charset fonts store 8-bit codes at U+F0xx


def _unprivate(text: str) -> str:
    return _PRIVATE_USE.sub(lambda m: chr(ord(m.group()) - 0xF000), text)


_TCVN3_TRANSLATE = {ord(c): letter for c, letter in TCVN3_CHARS.items()}


def decode_tcvn3(text: str, *, capitals: bool = False) -> str:
    """TCVN3 text read as Windows-1252 characters -> Unicode NFC.

    ``capitals``: the text was set in an all-capitals ".Vn...H" font, so every letter is upper case.
    """
    out = _unprivate(text).translate(_TCVN3_TRANSLATE)
    return out.upper() if capitals else out


_VNI_MARK_CLASS = "[" + "".join(_VNI_MARKS) + "]"
_VNI_SEQUENCE = re.compile("([aAeEoOuUyYôÔöÖ])(" + _VNI_MARK_CLASS + ")(" + _VNI_MARK_CLASS + ")?|[" +
                           "".join(VNI_SINGLE) + "]")


@lru_cache(maxsize=4096)
def _vni_sequence(c: str) -> str:
    """One match of ``_VNI_SEQUENCE``: a single-character letter, or a base and one or two marks."""
    if len(c) == 1:
        return VNI_SINGLE[c]
    first, mark, extra = c[0], c[1], c[2:]
    base = VNI_SINGLE.get(first, first)  # ô/ö are the bases ơ/ư
    shape, tone = _VNI_MARKS[mark]
    if shape not in _VNI_BASES[base.lower()]:
        # not a letter: the base stands alone, the marks are read again on their own
        return base + decode_vni(c[1:])
    rest = ""
    if extra:
        extra_shape, extra_tone = _VNI_MARKS[extra]
        if shape and not tone and not extra_shape:  # lenient: shape and tone written as two marks
            tone = extra_tone
        else:
            rest = decode_vni(extra)
    return unicodedata.normalize("NFC", base + shape + tone) + rest


def _vni_letter(m: re.Match) -> str:
    return _vni_sequence(m.group(0))


def decode_vni(text: str) -> str:
    """VNI-Windows text read as Windows-1252 characters -> Unicode NFC."""
    return _VNI_SEQUENCE.sub(_vni_letter, _unprivate(text))


def encode_tcvn3(text: str, *, capitals_font: bool = False) -> bytes:
    """Unicode -> TCVN3 bytes (for tests and fixtures).

    Capital letters with tone marks have no TCVN3 code: with ``capitals_font`` they are
    written as their lower-case code (what a typist did in ".VnTimeH"), otherwise they raise.
    """
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ord(ch) < 0x80:
            out.append(ord(ch))
        elif ch in _TCVN3_ENCODE:
            out.append(_TCVN3_ENCODE[ch])
        elif capitals_font and ch.lower() in _TCVN3_ENCODE:
            out.append(_TCVN3_ENCODE[ch.lower()])
        elif ch in _CP1252_BYTE:
            out.append(_CP1252_BYTE[ch])
        else:
            raise ValueError(f"{ch!r} (U+{ord(ch):04X}) has no TCVN3 code")
    return bytes(out)


def encode_vni(text: str) -> bytes:
    """Unicode -> VNI-Windows bytes (for tests and fixtures)."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        if ch not in VIETNAMESE_LETTERS:
            out.append(ch)  # ASCII and 1252 punctuation; anything else fails in encode() below
            continue
        if ch in _VNI_ENCODE_SINGLE:
            out.append(_VNI_ENCODE_SINGLE[ch])
            continue
        parts = unicodedata.normalize("NFD", ch)
        base, marks = parts[0], parts[1:]
        tone = next((m for m in marks if m in TONES), "")
        shape = "".join(m for m in marks if m not in TONES)
        if shape == _HORN and base.lower() in "ou":
            base, shape = {"o": "ô", "u": "ö", "O": "Ô", "U": "Ö"}[base], ""
        mark = _VNI_ENCODE_MARK[(shape, tone)]
        out.append(base if not shape and not tone else base + (mark.upper() if base.isupper() else mark))
    return "".join(out).encode("cp1252")


# --- a small model of the Vietnamese syllable ---------------------------------------------

_ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu",
           "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
_RIMES = set("""
a ai ao au ay ac ach am an ang anh ap at
ăc ăm ăn ăng ăp ăt
âc âm ân âng âp ât âu ây
e eo ec em en eng ep et
ê êu êch êm ên ênh êp êt
i ia iu ich im in inh ip it iêc iêm iên iêng iêp iêt iêu
o oi oc om on ong op ot ooc oong
ô ôi ôc ôm ôn ông ôp ôt
ơ ơi ơm ơn ơp ơt
u ua ui uc um un ung up ut uôc uôi uôm uôn uông uôt
ư ưa ưi ưu ưc ưm ưn ưng ưt ươc ươi ươm ươn ương ươp ươt ươu
y yêm yên yêng yêt yêu
oa oai oao oay oac oach oam oan oang oanh oap oat oăc oăm oăn oăng oăt oe oeo oen oet
uân uâng uât uây uê uêch uênh uơ uy uya uych uyn uynh uyp uyt uyu uyên uyêt
""".split())
# rimes that only follow "qu" (its u is the medial) or "gi" (its i is part of the onset)
_RIMES_QU = _RIMES | {"ych", "ynh", "yn", "yt", "yp"}
_RIMES_GI = _RIMES | {"", "êng", "êc", "ên", "êm", "êt", "êu", "ă", "ê"}
_STOP_CODA = re.compile(r"(p|t|c|ch)$")
_FRONT = ("i", "e", "ê", "y")
_ABBREVIATION = re.compile(r"[A-ZĐ]{2,}[0-9A-ZĐ]*")


@lru_cache(maxsize=65536)
def is_syllable(token: str) -> bool:
    """A valid written Vietnamese syllable: lower, Title or UPPER case, one tone at most, a real onset and rime."""
    if not (token.islower() or token.isupper() or (token[:1].isupper() and token[1:].islower())):
        return False
    word = token.lower()
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in TONES]
    if len(tones) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
    for onset in _ONSETS:
        if not base.startswith(onset):
            continue
        rime = base[len(onset):]
        rimes = _RIMES_QU if onset == "qu" else _RIMES_GI if onset == "gi" else _RIMES
        if rime not in rimes or (rime[:1] in ("u",) and onset == "qu"):
            continue
        if onset in ("k", "gh", "ngh") and not rime.startswith(_FRONT):
            continue
        if onset == "c" and rime.startswith(_FRONT):
            continue
        if _STOP_CODA.search(rime) and tones and tones[0] not in (_ACUTE, _DOT):
            continue
        if _STOP_CODA.search(rime) and not tones:
            continue
        if tones and not _tone_placed(decomposed, len(onset), rime):
            continue
        return True
    return False


def _tone_placed(decomposed: str, onset_len: int, rime: str) -> bool:
    """Whether the tone mark sits where Vietnamese writes it, old style or new ("hoà"/"hòa" both pass).

    In an open rime that ends in a glide (ai, ao, au, ay, oi, ui, iu, êu, ươi, oai, iêu ...) or in
    ia/ua/ưa, the tone never sits on the last letter; "uy" takes it on either letter. This tells a real
    syllable from 8-bit mojibake such as "aù" (VNI "á" read as Windows-1258).
    """
    letters = 0
    for ch in decomposed:
        if ch in TONES:
            break
        if not unicodedata.combining(ch):
            letters += 1
    position = letters - 1 - onset_len  # index of the toned letter inside the rime
    if len(rime) < 2 or rime == "uy" or position != len(rime) - 1:
        return True
    return not (rime[-1] in "iyou" or rime in ("ia", "ua", "ưa"))


# a token: a run of characters that are neither white space nor ASCII digits/punctuation
_TOKEN = re.compile(r"[^\s0-9!-/:-@\[-`{-~\u2000-\u206f]+")


@dataclass(frozen=True)
class SyllableCounts:
    """Words with non-ASCII characters, split into valid Vietnamese syllables and the rest."""

    valid: int
    invalid: int

    @property
    def share(self) -> float:
        total = self.valid + self.invalid
        return self.valid / total if total else 0.0


def syllable_counts(text: str, limit: int = 100_000) -> SyllableCounts:
    """Count the words that carry non-ASCII characters and whether they read as Vietnamese.

    Pure-ASCII words are the same under every decoding and say nothing; all-capital
    abbreviations with Đ ("HĐND", "QĐ") are neither valid syllables nor evidence of damage.
    """
    valid = invalid = 0
    for m in _TOKEN.finditer(text, 0, min(len(text), limit)):
        token = m.group()
        if token.isascii():
            continue
        if is_syllable(token):
            valid += 1
        elif not _ABBREVIATION.fullmatch(unicodedata.normalize("NFC", token)):
            invalid += 1
    return SyllableCounts(valid, invalid)


# --- detection -------------------------------------------------------------------------------

_CAPS_WORD = re.compile(r"[^\W\d_]{2,}")


def _caps_word(m: re.Match) -> str:
    """'DựNG', 'àN', 'BÂỳ' -> capitals: a capital after the first position and no lower-case ASCII letter
    is a word typed in the all-capitals font ('Sở', capital first then lower case, is left alone)."""
    word = m.group()
    if (any(c.isupper() for c in word[1:]) and not any(c.isascii() and c.islower() for c in word)
            and any(c.islower() for c in word)):
        return word.upper()
    return word


def _restore_caps(text: str) -> str:
    """TCVN3 without its font: text typed in the all-capitals font comes back with lower-case toned
    letters among capitals ("SỞ XÂY DựNG", "Sở Y Tế"); restore capitals by word and by line.

    Line evidence (words with digits or '/' are codes and say nothing): a word with a lower-case
    ASCII letter means the line is mixed case; two words whose ASCII letters are all capitals make
    the line capitals ("Sở Y Tế" -> "SỞ Y TẾ", but "Số: 318/BC-SXD" stays).
    """
    out = []
    for line in text.split("\n"):
        line = _CAPS_WORD.sub(_caps_word, line)
        caps, mixed = 0, False
        for word in line.split():
            if any(c.isdigit() or c == "/" for c in word):
                continue
            letters = [c for c in word if c.isalpha()]
            if not letters:
                continue
            if any(c.isascii() and c.islower() for c in letters):
                mixed = True
                break
            caps += any(c.isascii() and c.isupper() for c in letters)
        if not mixed and caps >= 2 and any(c.islower() for c in line):
            line = line.upper()
        out.append(line)
    return "\n".join(out)


def tcvn3_to_unicode(text: str) -> str:
    """TCVN3 read as 1252 characters, font unknown -> Unicode with all-capitals lines restored."""
    return _restore_caps(decode_tcvn3(text))


_DECODERS = {"tcvn3": tcvn3_to_unicode, "vni": decode_vni}

MIN_REPAIR_WORDS = 3
MIN_REPAIRED_SHARE = 0.85
MAX_ORIGINAL_SHARE = 0.5
MIN_BYTES_SHARE = 0.5
_SAMPLE_BYTES = 100_000


def decode_legacy_bytes(data: bytes) -> tuple[str, str]:
    """Decode 8-bit bytes that are not UTF-8: ``(text, "tcvn3" | "vni" | "cp1258")``.

    Each decoding is read by the syllable model. TCVN3 or VNI wins when it reads as at least
    ``MIN_REPAIR_WORDS`` valid Vietnamese words, at least ``MIN_BYTES_SHARE`` of its non-ASCII
    words, and better than Windows-1258 does; otherwise Windows-1258 (the long-standing default,
    also right for Western text in Windows-1252, which it nearly equals).
    """
    sample = data[:_SAMPLE_BYTES]
    ansi = bytes_as_ansi(sample)
    cp1258 = syllable_counts(unicodedata.normalize("NFC", sample.decode("cp1258", errors="replace")))
    best, best_counts, best_text = "cp1258", cp1258, ""
    for name, decode in _DECODERS.items():
        text = decode(ansi)
        counts = syllable_counts(text)
        if (counts.valid >= MIN_REPAIR_WORDS and counts.share >= MIN_BYTES_SHARE
                and (counts.share, counts.valid) > (best_counts.share, best_counts.valid)):
            best, best_counts, best_text = name, counts, text
    if best == "cp1258":
        return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace")), "cp1258"
    return (best_text if len(data) <= _SAMPLE_BYTES else _DECODERS[best](bytes_as_ansi(data))), best


# characters a line may hold and still be legacy text read as 1252/Latin-1
_NOT_LEGACY = re.compile("[^\u0000-\u00ff" + re.escape("".join(_CP1252_HIGH.values())) + "\uf020-\uf0ff]")


def repair_mojibake(text: str) -> tuple[str, str | None]:
    """Convert TCVN3/VNI text that was read as Windows-1252 or Latin-1; ``(text, None)`` otherwise.

    Conservative: only lines made of 1252/Latin-1 characters are candidates (a line with real
    Unicode Vietnamese is left alone), and the conversion must turn at least
    ``MIN_REPAIR_WORDS`` invalid words into valid syllables, leave at least
    ``MIN_REPAIRED_SHARE`` of the affected words valid, where at most ``MAX_ORIGINAL_SHARE``
    were valid before.
    """
    if not text or text.isascii():
        return text, None
    lines = text.split("\n")
    candidates = [k for k, line in enumerate(lines) if not line.isascii() and not _NOT_LEGACY.search(line)]
    if not candidates:
        return text, None
    joined = "\n".join(lines[k] for k in candidates)
    before = syllable_counts(joined)
    if before.share > MAX_ORIGINAL_SHARE:
        return text, None
    best_name, best_counts = None, None
    for name, decode in _DECODERS.items():
        after = syllable_counts(decode(joined))
        if best_counts is None or (after.share, after.valid) > (best_counts.share, best_counts.valid):
            best_name, best_counts = name, after
    assert best_name is not None and best_counts is not None
    if (best_counts.share < MIN_REPAIRED_SHARE or best_counts.valid < MIN_REPAIR_WORDS
            or best_counts.valid - before.valid < MIN_REPAIR_WORDS):
        return text, None
    decode = _DECODERS[best_name]
    for k in candidates:
        lines[k] = decode(lines[k])
    return "\n".join(lines), best_name


# --- fonts (for .docx runs) ----------------------------------------------------------------

_TCVN3_FONT = re.compile(r"^\.?vn(?!i[-_ ])[a-z]", re.I)
_VNI_FONT = re.compile(r"^vni[-_ ]", re.I)


def legacy_font(name: str | None) -> str | None:
    """'tcvn3' for ABC fonts (".VnTime", ".VnArialH", ...), 'vni' for "VNI-Times" etc., else None."""
    if not name:
        return None
    name = name.strip()
    if _VNI_FONT.match(name):
        return "vni"
    if _TCVN3_FONT.match(name):
        return "tcvn3"
    return None


def is_capitals_font(name: str | None) -> bool:
    """ABC all-capitals fonts end in H: ".VnTimeH", ".VnArial NarrowH"."""
    return bool(name) and legacy_font(name) == "tcvn3" and name.strip().endswith("H")


def convert_run(text: str, font: str | None) -> tuple[str, str | None]:
    """A .docx run's text by its font: ``(unicode_text, "tcvn3" | "vni" | None)``."""
    kind = legacy_font(font)
    if kind == "tcvn3":
        return decode_tcvn3(text, capitals=is_capitals_font(font)), kind
    if kind == "vni":
        return decode_vni(text), kind
    return text, None


# --- the conversion label -------------------------------------------------------------------

CONVERSION_ORDER = ("utf-16", "utf-32", "cp1258", "tcvn3", "vni", "nfd")


def is_decomposed(text: str) -> bool:
    """Text that holds combining marks NFC would compose ("NFD" Vietnamese from Mac/web sources)."""
    return not unicodedata.is_normalized("NFC", text) and any(unicodedata.combining(c) for c in text)


def join_conversions(parts) -> str | None:
    """One label from the conversions applied: ``"tcvn3+nfd"``; None when there were none."""
    seen = {p for p in parts if p}
    unknown = seen.difference(CONVERSION_ORDER)
    if unknown:
        raise ValueError(f"unknown conversion {sorted(unknown)}")
    return "+".join(p for p in CONVERSION_ORDER if p in seen) or None
