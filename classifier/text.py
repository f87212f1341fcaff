"""Normalisation that never loses the way back to the user's characters.

Everything downstream (frame, segmentation, features) reads ``Text.norm``;
every span shown to a user is translated back with ``Text.to_original``,
once, at the end. The normalised form is: Unicode NFC, one tone-mark
placement ("hòa", "thủy", "khỏe"), Windows/Mac line ends as ``\\n``,
invisible characters dropped, runs of spaces and tabs as one space, and
bullet glyphs as "-".
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Old-style tone placement on open syllables ending in oa/oe/uy: "hoà" -> "hòa".
# Both spellings have the same length, so the swap keeps offsets one-to-one.
_TONED = {"a": "àáảãạ", "e": "èéẻẽẹ", "y": "ỳýỷỹỵ"}
_BASE_TONED = {"o": "òóỏõọ", "u": "ùúủũụ"}
_PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}
_OLD_TONE = re.compile(
    r"(?<![qQ])([oOuU])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])(?![\w])"
)
_BULLETS = set("•●○◦▪▫■□►▶➢➤✓✔–—·")
_DROP = {"\u200b", "\u200c", "\u200d", "\ufeff", "\u00ad"}
_SPACES = {" ", "\t", "\u00a0", "\u2009", "\u202f", "\u3000", "\u2002", "\u2003", "\x0b", "\x0c"}


def _retone(match: re.Match) -> str:
    first, second = match.group(1), match.group(2)
    decomposed = unicodedata.normalize("NFD", second)
    base, marks = decomposed[0], decomposed[1:]
    if (first.lower(), base.lower()) not in _PAIRS:
        return match.group(0)
    tone_index = None
    for mark_name, index in (("\u0300", 0), ("\u0301", 1), ("\u0309", 2), ("\u0303", 3), ("\u0323", 4)):
        if mark_name in marks:
            tone_index = index
    if tone_index is None:
        return match.group(0)
    toned_first = _BASE_TONED[first.lower()][tone_index]
    if first.isupper():
        toned_first = toned_first.upper()
    return toned_first + base


_LETTER = re.compile(r"[^\W\d_]")
_UPPER = re.compile("[" + re.escape("".join(chr(c) for c in range(0x41, 0x1EFA) if chr(c).isupper())) + "]")


def letter_count(text: str) -> int:
    return len(_LETTER.findall(text))


def has_letters(text: str, minimum: int = 3) -> bool:
    """True when ``text`` holds at least ``minimum`` letters (anything to read)."""
    count = 0
    for _ in _LETTER.finditer(text):
        count += 1
        if count >= minimum:
            return True
    return False


def upper_share(text: str) -> tuple[int, float]:
    """(number of letters, share of them upper case): headings and header lines are upper case."""
    letters = letter_count(text)
    return letters, (len(_UPPER.findall(text)) / letters if letters else 0.0)


@dataclass(frozen=True)
class Text:
    """A document as given (``original``) and as the pipeline reads it (``norm``).

    ``starts[i]``/``ends[i]`` give the original character range that produced
    ``norm[i]``; spans in ``norm`` map back through :meth:`to_original`.
    """

    original: str
    norm: str
    starts: tuple[int, ...] = field(repr=False)
    ends: tuple[int, ...] = field(repr=False)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Translate a ``norm`` span [start, end) to a span of ``original``."""
        if not self.norm:
            return 0, 0
        start = min(max(start, 0), len(self.norm))
        end = min(max(end, start), len(self.norm))
        if start == end:
            point = self.starts[start] if start < len(self.norm) else len(self.original)
            return point, point
        return self.starts[start], self.ends[end - 1]

    def original_span(self, start: int, end: int) -> str:
        s, e = self.to_original(start, end)
        return self.original[s:e]


def _clusters(raw: str):
    """Yield (start, end) of base characters with their combining marks."""
    i, n = 0, len(raw)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(raw[j]):
            j += 1
        yield i, j
        i = j


_COMBINING = "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u064b-\u065f\u0900-\u0903\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# characters normalize() copies as they are, in bulk: no space, control, invisible, bullet or combining mark,
# and not followed by a combining mark (that character starts a cluster to compose)
_PLAIN_CHAR = ("[^\\s\\x00-\\x1f\\x7f-\\x9f\u200b\u200c\u200d\ufeff\u00ad" + "".join(sorted(_BULLETS))
               + _COMBINING + "]")
_PLAIN = re.compile(_PLAIN_CHAR + "(?:" + _PLAIN_CHAR + "| (?=" + _PLAIN_CHAR + "))*(?![" + _COMBINING + "])")
_NEEDS_WORK = re.compile("[^\\S \n]|[\u200b\u200c\u200d\ufeff\u00ad]|  |^ | $|^[" + "".join(sorted(_BULLETS)) + "]", re.M)


def normalize(raw: str) -> Text:
    """Build a :class:`Text`: normalised characters plus the map back to ``raw``."""
    if not isinstance(raw, str):
        raise TypeError(f"expected str, got {type(raw).__name__}")
    if unicodedata.is_normalized("NFC", raw) and not _NEEDS_WORK.search(raw):
        # the common case (clean NFC text): only tone marks may change, one character for one
        n = len(raw)
        return Text(original=raw, norm=_OLD_TONE.sub(_retone, raw), starts=tuple(range(n)),
                    ends=tuple(range(1, n + 1)))
    out: list[str] = []  # pieces: runs of plain characters, or one normalised cluster
    starts: list[int] = []
    ends: list[int] = []
    line_start = True
    pos, n = 0, len(raw)
    while pos < n:
        plain = _PLAIN.match(raw, pos)
        if plain:  # a run that needs nothing: copied with an identity map, in bulk
            e = plain.end()
            out.append(raw[pos:e])
            starts.extend(range(pos, e))
            ends.extend(range(pos + 1, e + 1))
            line_start, pos = False, e
            continue
        s, e = pos, pos + 1
        while e < n and unicodedata.combining(raw[e]):
            e += 1
        pos = e
        chunk = raw[s:e]
        ch = chunk[0]
        if ch in _DROP:
            continue
        if ch == "\r":
            if e < n and raw[e] == "\n":
                continue  # CRLF: the \n that follows stands for both
            chunk = "\n"
        elif ch in ("\u2028", "\u2029", "\x85"):
            chunk = "\n"
        last_space = bool(out) and out[-1] == " "
        if chunk[0] in _SPACES or (chunk[0].isspace() and chunk[0] != "\n"):
            if line_start or last_space:
                if last_space:
                    ends[-1] = e
                continue
            chunk = " "
        if chunk == "\n" and last_space:
            out.pop(); starts.pop(); ends.pop()
        if line_start and chunk[0] in _BULLETS:
            chunk = "-"
        composed = unicodedata.normalize("NFC", chunk)
        out.append(composed)
        starts.extend([s] * len(composed))
        ends.extend([e] * len(composed))
        line_start = chunk == "\n"
    norm = "".join(out)
    retoned = _OLD_TONE.sub(_retone, norm)
    assert len(retoned) == len(norm)
    return Text(original=raw, norm=retoned, starts=tuple(starts), ends=tuple(ends))
