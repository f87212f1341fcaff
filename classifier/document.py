"""The parsed form of one document: text with offset map, frame, body sentences."""
from __future__ import annotations

from dataclasses import dataclass

from .frame import Frame, detect_frame
from .issuer import find_issuer, issuer_pattern, mark_issuer
from .segment import Sentence, split_sentences
from .text import Text, normalize


@dataclass
class ParsedDocument:
    text: Text
    frame: Frame
    sentences: list[Sentence]
    issuer: str | None = None
    conversion: str | None = None  # what the reader did to reach Unicode (readers.ReadResult.conversion)

    @property
    def sentence_texts(self) -> list[str]:
        return [s.text for s in self.sentences]

    @property
    def model_texts(self) -> list[str]:
        """Sentences as the models read them: the issuer's own name replaced by a marker."""
        pattern = issuer_pattern(self.issuer)
        return [mark_issuer(s.text, pattern) for s in self.sentences]

    def original_span(self, sentence: Sentence) -> tuple[int, int]:
        """The sentence's span in the text exactly as the user gave it."""
        return self.text.to_original(sentence.start, sentence.end)


def parse(raw: str, agency: str | None = None, *, conversion: str | None = None) -> ParsedDocument:
    """normalise -> frame -> segment -> issuer: everything the models read about a document.

    ``agency`` is the issuing agency when the caller knows it (an archive column); otherwise it is
    read from the frame or the body's self-introduction. ``conversion`` is only recorded (the
    result's ``meta["conversion"]``): the reader's account of how ``raw`` reached Unicode.
    """
    text = normalize(raw)
    frame = detect_frame(text.norm)
    sentences = split_sentences(text.norm, frame.body_start, frame.body_end)
    if not sentences and frame.body_start > 0:
        # a frame-only reading left nothing: score the whole text rather than nothing
        sentences = split_sentences(text.norm, 0, len(text.norm))
    body = text.norm[frame.body_start:frame.body_end]
    issuer = agency or find_issuer(frame.agency, body)
    return ParsedDocument(text, frame, sentences, issuer, conversion)
