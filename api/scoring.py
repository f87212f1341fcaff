"""The synchronous work behind the scoring routes; routes run these in the threadpool, never on the event loop."""
from __future__ import annotations

from pathlib import PurePath

from classifier import Result, Scorer
from classifier.document import ParsedDocument, parse
from classifier.errors import BaocaoError, InputTooLargeError, UnreadableInputError
from classifier.readers import ReadResult, read_bytes, read_str
from classifier.scorer import check_text

CONVERSION_VI = {
    "docx": "Trích chữ từ tệp .docx (đoạn văn và bảng, theo thứ tự trong tài liệu).",
    "pdf": "Trích lớp chữ của tệp PDF; xuống dòng và khoảng trắng có thể khác bản in.",
}


def check_length(text: str, max_chars: int) -> None:
    """The service's own limit (``BAOCAO_MAX_TEXT_CHARS``), valid Unicode, then the library's empty/too-long check.

    JSON may carry lone surrogates (``"\\ud800"``); such a string has no UTF-8
    form, so it could neither be answered nor stored: refused here as input.
    """
    if len(text) > max_chars:
        raise InputTooLargeError(f"Văn bản quá dài ({len(text):,} ký tự, tối đa {max_chars:,}).",
                                 f"text too long: {len(text)} characters (max {max_chars})")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise UnreadableInputError(f"Văn bản chứa ký tự Unicode không hợp lệ ở vị trí {err.start}.",
                                   f"text holds invalid Unicode (lone surrogate) at position {err.start}") from None
    check_text(text)


REPAIRED = ("tcvn3", "vni")  # conversions of read_str that change the text (NFD is only recorded)


def prepare_text(text: str, max_chars: int, *, repair: bool = True) -> ParsedDocument:
    """Checked, pasted TCVN3/VNI mojibake repaired when detection is confident (``read_str``), parsed.

    A reviewer pasting from an old document gets it read as Vietnamese; the repaired text goes back with the
    result (``Result.text``), since the evidence offsets index it rather than what was pasted. ``repair=False``
    for text a reader has already repaired (an uploaded file).
    """
    check_length(text, max_chars)
    if not repair:
        return parse(text)
    read = read_str(text)
    return parse(read.text, conversion=read.conversion)


def score_parsed(scorer: Scorer, docs: list[ParsedDocument], ids: list[str | None]) -> list[Result]:
    """``Scorer.score_parsed`` plus the repaired text on the results of repaired documents."""
    results = scorer.score_parsed(docs, ids)
    for doc, result in zip(docs, results):
        if any(step in REPAIRED for step in (doc.conversion or "").split("+")):
            result.text = doc.text.original
    return results


def score_text(scorer: Scorer, text: str, id: str | None, max_chars: int, *, repair: bool = True) -> Result:
    return score_parsed(scorer, [prepare_text(text, max_chars, repair=repair)], [id])[0]


def score_batch(scorer: Scorer, texts: list[str], ids: list[str | None], max_chars: int) -> list[Result | Exception]:
    """One answer per text, in order: its Result, or the exception that text raised while being checked or parsed.

    The good documents are scored in one ``score_parsed`` call (one vectoriser
    pass, one ``predict_proba`` per head), as ``Scorer.score_many`` does; an
    exception from that call is raised, as it concerns the whole batch. The
    micro-batcher runs this in its thread or, pickled, in a scoring process.
    """
    out: list[Result | Exception | None] = [None] * len(texts)
    parsed, good_ids, where = [], [], []
    for k, text in enumerate(texts):
        try:
            parsed.append(prepare_text(text, max_chars))
        except Exception as err:  # BaocaoError: the client's fault; anything else reaches the 500 handler
            out[k] = err
            continue
        good_ids.append(ids[k])
        where.append(k)
    if parsed:
        for k, result in zip(where, score_parsed(scorer, parsed, good_ids)):
            out[k] = result
    return out  # type: ignore[return-value]


def score_documents(scorer: Scorer, documents: list[tuple[str | None, str]], max_chars: int) -> list[dict]:
    """Result objects in input order; a document that cannot be scored becomes ``{"id", "error"}``."""
    ids = [doc_id for doc_id, _ in documents]
    answers = score_batch(scorer, [text for _, text in documents], ids, max_chars)
    out = []
    for doc_id, answer in zip(ids, answers):
        if isinstance(answer, BaocaoError):
            out.append({"id": doc_id, "error": answer.to_dict()})
        elif isinstance(answer, Exception):
            raise answer
        else:
            out.append(answer.to_dict())
    return out


def safe_filename(name: str | None) -> str:
    """The upload's base name only (no directories), for display and format sniffing; never opened."""
    base = PurePath((name or "").replace("\\", "/")).name.strip()
    return base[:255] or "tai-lieu.txt"


def conversion_note(read: ReadResult) -> str | None:
    """How the text was obtained, when it was not read verbatim as UTF-8 (shown to the reviewer)."""
    if read.format in CONVERSION_VI:
        return CONVERSION_VI[read.format]
    if read.encoding and read.encoding != "utf-8":
        return f"Đã chuyển mã từ {read.encoding} sang Unicode."
    return None


def read_and_score(scorer: Scorer, filename: str, data: bytes, id: str | None, max_file_bytes: int,
                   max_chars: int) -> dict:
    """``{"result", "document"}`` for an uploaded file; the document's ``text`` is what evidence offsets index."""
    read = read_bytes(filename, data, max_bytes=max_file_bytes)
    result = score_text(scorer, read.text, id, max_chars, repair=False)  # read_bytes has repaired what it could
    document = {"filename": filename, "format": read.format, "encoding": read.encoding,
                "conversion": conversion_note(read), "chars": len(read.text), "text": read.text}
    return {"result": result.to_dict(), "document": document}
