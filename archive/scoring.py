"""Score one chunk of items into rows; runs wherever the work runs (this process, a pool worker, a Dask worker).

Nothing here raises for one bad document: reading, checking, parsing and
scoring failures become error rows, so one document never costs a chunk.
"""
from __future__ import annotations

import os
import resource
import socket
import sys
import unicodedata

from classifier.document import parse
from classifier.errors import BaocaoError, InvalidRecordError, ScoringError
from classifier import readers
from classifier.scorer import Scorer, check_text

from .rows import error_row, result_row
from .sources import Item

_ENCODING_CONVERSION = {"utf-8": None, "utf-16": "utf-16", "utf-16-le": "utf-16", "utf-16-be": "utf-16",
                        "utf-32": "utf-32", "windows-1258": "cp1258", "cp1258": "cp1258"}


def text_conversion(text: str, reported: str | None = None) -> str | None:
    """The conversion the text went through: the reader's own word if it has one, else ``nfd`` for decomposed text."""
    if reported:
        return reported
    return None if unicodedata.is_normalized("NFC", text) else "nfd"


def item_text(item: Item, max_file_bytes: int) -> tuple[str, str | None]:
    """(text, conversion) of an item: table text and file bytes both through the project's readers."""
    if item.error is not None:
        raise item.error
    if item.text is not None:
        read_str = getattr(readers, "read_str", None)  # legacy-encoding repair of pasted/table text
        if read_str is None:
            return item.text, text_conversion(item.text)
        read = read_str(item.text)
        return read.text, read.conversion
    if item.data is None:
        raise InvalidRecordError("Không có nội dung để chấm.", "item has neither text nor file bytes")
    read = readers.read_bytes(item.name, item.data, max_file_bytes)
    if hasattr(read, "conversion"):
        return read.text, read.conversion
    reported = _ENCODING_CONVERSION.get(read.encoding.lower(), read.encoding.lower()) if read.encoding else None
    return read.text, text_conversion(read.text, reported)


def _unexpected(err: Exception) -> ScoringError:
    return ScoringError(f"Lỗi không lường trước khi chấm văn bản ({type(err).__name__}: {err}).",
                        f"unexpected error while scoring ({type(err).__name__}: {err})")


def score_items(scorer: Scorer, items: list[Item], max_file_bytes: int) -> list[dict]:
    """One row per item, in the items' order, each with ``_seq`` set to the item's position in the input."""
    rows: list[dict | None] = [None] * len(items)
    ready: list[tuple[int, object, str | None, int]] = []  # (index, parsed doc, conversion, words)
    for k, item in enumerate(items):
        conversion = None
        try:
            text, conversion = item_text(item, max_file_bytes)
            check_text(text)
            ready.append((k, parse(text, agency=item.agency), conversion, len(text.split())))
        except BaocaoError as err:
            rows[k] = error_row(item, err, conversion)
        except Exception as err:  # a bug must cost one row, not the archive
            rows[k] = error_row(item, _unexpected(err), conversion)
    if ready:
        docs = [doc for _, doc, _, _ in ready]
        ids = [items[k].id for k, _, _, _ in ready]
        try:
            results = scorer.score_parsed(docs, ids)
        except Exception:  # find the document that fails, score the others
            results = []
            for doc, doc_id in zip(docs, ids):
                try:
                    results.append(scorer.score_parsed([doc], [doc_id])[0])
                except Exception as err:
                    results.append(err)
        for (k, doc, conversion, words), result in zip(ready, results):
            if isinstance(result, Exception):
                rows[k] = error_row(items[k], _unexpected(result), conversion)
            else:
                rows[k] = result_row(items[k], result, doc, conversion, words)
    for item, row in zip(items, rows):
        row["_seq"] = item.seq
    return rows  # type: ignore[return-value]


def peak_rss() -> int:
    """Peak resident memory of this process in bytes (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"
