"""Split the body of a document into sentences with underthesea.

Each line (paragraph, list item) is split on its own, since civil-service
text uses line breaks as hard boundaries even without a full stop. Spans
are in ``Text.norm`` coordinates; upper-case section headings are dropped
because they are structure, not content.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from underthesea import sent_tokenize

from .text import has_letters, upper_share

_MIN_LETTERS = 3
_MAX_CHARS = 1200  # a run-on "sentence" longer than this is cut at ';' or ','


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def _is_heading(line: str) -> bool:
    if len(line) >= 200:
        return False
    letters, share = upper_share(line)
    return letters >= 2 and share > 0.8


def _cut_long(start: int, piece: str) -> list[tuple[int, int]]:
    if len(piece) <= _MAX_CHARS:
        return [(start, start + len(piece))]
    spans, pos = [], 0
    for m in re.finditer(r"[;]\s+", piece):
        if m.end() - pos >= 200:
            spans.append((start + pos, start + m.start() + 1))
            pos = m.end()
    spans.append((start + pos, start + len(piece)))
    return spans


def split_sentences(norm: str, body_start: int = 0, body_end: int | None = None) -> list[Sentence]:
    """Sentences of ``norm[body_start:body_end]`` as spans of ``norm``."""
    body_end = len(norm) if body_end is None else body_end
    out: list[Sentence] = []
    pos = body_start
    for line in norm[body_start:body_end].split("\n"):
        line_start = pos
        pos += len(line) + 1
        if not has_letters(line, _MIN_LETTERS) or _is_heading(line):
            continue
        cursor = 0
        for piece in sent_tokenize(line):
            piece = piece.strip()
            if not piece:
                continue
            found = line.find(piece, cursor)
            if found < 0:  # the tokenizer changed the text: fall back to the rest of the line
                found, piece = cursor, line[cursor:].strip()
                if not piece:
                    break
                found = line.find(piece, cursor)
            for s, e in _cut_long(line_start + found, piece):
                if has_letters(norm[s:e], _MIN_LETTERS):
                    out.append(Sentence(s, e, norm[s:e]))
            cursor = found + len(piece)
    return out
