"""Input items of a batch job, read lazily from a folder of files or a table (.jsonl, .csv, .parquet).

Every input gives exactly one :class:`Item`, in a fixed order, with a ``seq``
(its position) that resume and output order rely on. An input that cannot be
scored still gives an item, carrying the error for its row: nothing is skipped.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from classifier.artifact import sha256_of
from classifier.errors import (BaocaoError, DuplicateIdError, EmptyDocumentError, InputTooLargeError,
                               InvalidRecordError, UnreadableInputError, UnsupportedFormatError)
from classifier.readers import sniff_format

FILE_SUFFIXES = {".txt", ".docx", ".pdf"}
TABLE_SUFFIXES = {".jsonl", ".csv", ".parquet"}


@dataclass
class Item:
    """One input document. Table rows carry ``text``; folder files carry ``data`` once :meth:`load` ran."""

    seq: int
    id: str
    source: str
    text: str | None = None
    path: str | None = None
    size: int = 0
    data: bytes | None = None
    agency: str | None = None  # as written in the input's agency column
    date: str | None = None  # ISO date from the input's date column, when parseable
    error: BaocaoError | None = None

    @property
    def name(self) -> str:
        return Path(self.path).name if self.path else self.id

    def load(self, max_file_bytes: int) -> None:
        """Read a folder file's bytes (or record why not); table rows are already loaded."""
        if self.path is None or self.error is not None or self.data is not None:
            return
        if self.size > max_file_bytes:
            self.error = InputTooLargeError(
                f"Tệp quá lớn ({self.size:,} byte, tối đa {max_file_bytes:,} byte).",
                f"file too large: {self.size} bytes (max {max_file_bytes})")
            return
        try:
            self.data = Path(self.path).read_bytes()
        except OSError as err:
            self.error = UnreadableInputError(f"Không đọc được tệp {self.source}: {err.strerror}.",
                                              f"cannot read {self.source}: {err}")


def iso_date(value: object) -> str | None:
    """ISO ``YYYY-MM-DD`` from a date column value (ISO, dd/mm/yyyy, 'ngày d tháng m năm y', date objects)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    patterns = ((r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", (1, 2, 3)),
                (r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", (3, 2, 1)),
                (r"(?i)ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", (3, 2, 1)))
    for pattern, (y, m, d) in patterns:
        match = re.fullmatch(pattern, text)
        if match:
            try:
                return dt.date(int(match.group(y)), int(match.group(m)), int(match.group(d))).isoformat()
            except ValueError:
                return None
    return None


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


class Source:
    """An input: iterate items, and tell how many there are and a fingerprint of the content."""

    path: Path

    def __iter__(self) -> Iterator[Item]:
        seen: dict[str, str] = {}
        for item in self._items():
            first = seen.setdefault(item.id, item.source)
            if first != item.source and item.error is None:
                item.error = DuplicateIdError(
                    f"Mã '{item.id}' trùng với {first}; chỉ chấm lần xuất hiện đầu tiên.",
                    f"duplicate id '{item.id}' (first used by {first}); only the first occurrence is scored")
                item.text = None
            yield item

    def _items(self) -> Iterator[Item]:
        raise NotImplementedError

    def count(self) -> int:
        raise NotImplementedError

    def fingerprint(self) -> str:
        raise NotImplementedError


class FolderSource(Source):
    """Every file under a folder, recursively, sorted by relative POSIX path; the id is that path."""

    def __init__(self, path: Path, exclude: tuple[Path, ...] = ()):
        self.path = path
        excluded = {p.resolve() for p in exclude}
        files: list[tuple[str, int, int]] = []
        temp_files = {(p.resolve().parent, p.name + ".tmp") for p in exclude}  # a sink's temporary output
        for root, dirs, names in os.walk(path):
            root_path = Path(root)
            resolved = root_path.resolve()
            dirs[:] = sorted(d for d in dirs if resolved / d not in excluded)
            for name in names:
                full = root_path / name
                if excluded and (resolved / name in excluded
                                 or any(resolved == d and name.startswith(pre) for d, pre in temp_files)):
                    continue
                try:
                    st = full.stat()
                    size, mtime = st.st_size, st.st_mtime_ns
                except OSError:
                    size, mtime = -1, 0
                files.append((full.relative_to(path).as_posix(), size, mtime))
        files.sort()
        self.files = files

    def count(self) -> int:
        return len(self.files)

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for rel, size, mtime in self.files:
            digest.update(f"{rel}\t{size}\t{mtime}\n".encode("utf-8", "surrogateescape"))
        return "folder:" + digest.hexdigest()

    def _items(self) -> Iterator[Item]:
        for seq, (rel, size, _) in enumerate(self.files):
            full = self.path / rel
            item = Item(seq=seq, id=_printable(rel), source=_printable(str(full)), path=str(full), size=max(size, 0))
            suffix = Path(rel).suffix.lower()
            if size < 0:
                item.error = UnreadableInputError(f"Không đọc được tệp {full}.", f"cannot stat {full}")
            elif suffix not in FILE_SUFFIXES:
                item.error = _unsupported(rel)
            yield item


def _printable(name: str) -> str:
    """A file name as valid UTF-8: bytes that are not (old archives' cp1258 names) become U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _unsupported(rel: str) -> UnsupportedFormatError:
    suffix = Path(rel).suffix.lower()
    if suffix == ".doc":
        try:
            sniff_format(rel, b"")  # the readers' own message for legacy Word files
        except UnsupportedFormatError as err:
            return err
    shown = suffix or "(không có đuôi)"
    return UnsupportedFormatError(f"Không hỗ trợ định dạng tệp '{shown}' (chỉ .txt, .docx, .pdf).",
                                  f"unsupported file type '{suffix or '(none)'}' (.txt, .docx, .pdf only)")


def _table_error(path: Path, vi: str, en: str) -> UnreadableInputError:
    return UnreadableInputError(f"Không đọc được bảng {path}: {vi}", f"cannot read table {path}: {en}")


class JsonlSource(Source):
    """One JSON object per line (blank lines ignored). Ids default to ``line-N``; bad lines become error rows."""

    def __init__(self, path: Path):
        self.path = path
        rows = 0
        try:
            with open(path, "rb") as fh:
                for number, line in enumerate(fh, 1):
                    try:
                        rows += bool(line.decode("utf-8-sig" if number == 1 else "utf-8").strip())
                    except UnicodeDecodeError:
                        raise _table_error(path, f"dòng {number} không phải UTF-8.",
                                           f"line {number} is not UTF-8") from None
        except OSError as err:
            raise _table_error(path, str(err.strerror), str(err)) from None
        self.rows = rows

    def count(self) -> int:
        return self.rows

    def fingerprint(self) -> str:
        return "file:" + sha256_of(self.path)

    def _items(self) -> Iterator[Item]:
        seq = 0
        with open(self.path, encoding="utf-8-sig", newline="\n") as fh:  # lines end at \n only, as counted
            for number, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                yield _jsonl_item(seq, number, line, f"{self.path}#line={number}")
                seq += 1


def _jsonl_item(seq: int, number: int, line: str, source: str) -> Item:
    try:
        obj = json.loads(line)
        if not isinstance(obj, dict):
            raise ValueError(f"a JSON {type(obj).__name__}, not an object")
    except ValueError as err:
        return Item(seq=seq, id=f"line-{number}", source=source, error=InvalidRecordError(
            f"Dòng {number} không phải JSON hợp lệ.", f"line {number}: invalid JSON ({err})"))
    item = Item(seq=seq, id=_clean(obj.get("id")) or f"line-{number}", source=source,
                agency=_clean(obj.get("agency")), date=iso_date(obj.get("date")))
    text = obj.get("text")
    if text is None:
        item.error = EmptyDocumentError(f"Dòng {number} không có trường 'text'.", f"line {number}: no 'text' field")
    elif not isinstance(text, str):
        item.error = InvalidRecordError(f"Dòng {number}: trường 'text' không phải chuỗi.",
                                        f"line {number}: 'text' is a JSON {type(text).__name__}, not a string")
    else:
        item.text = text
    return item


def _row_item(seq: int, row: dict, source: str) -> Item:
    item = Item(seq=seq, id=_clean(row.get("id")) or f"row-{seq + 1}", source=source,
                agency=_clean(row.get("agency")), date=iso_date(row.get("date")))
    text = row.get("text")
    if text is None:
        item.error = EmptyDocumentError(f"Dòng {seq + 1} không có văn bản (ô 'text' trống).",
                                        f"row {seq + 1}: no text")
    else:
        item.text = text if isinstance(text, str) else str(text)
    return item


class CsvSource(Source):
    """A UTF-8 CSV with a header row holding ``text`` (and ``id``, ``agency``, ``date`` if present)."""

    def __init__(self, path: Path):
        self.path = path
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
        try:
            with open(path, encoding="utf-8-sig", newline="") as fh:
                reader = csv.reader(fh)
                header = next(reader, None)
                self.rows = sum(1 for row in reader if row)  # DictReader skips blank rows
        except UnicodeDecodeError:
            raise _table_error(path, "không phải UTF-8.", "not UTF-8") from None
        except csv.Error as err:
            raise _table_error(path, f"CSV hỏng ({err}).", f"malformed CSV ({err})") from None
        except OSError as err:
            raise _table_error(path, str(err.strerror), str(err)) from None
        if not header or "text" not in [h.strip() for h in header]:
            raise _table_error(path, "thiếu cột 'text'.", "no 'text' column")

    def count(self) -> int:
        return self.rows

    def fingerprint(self) -> str:
        return "file:" + sha256_of(self.path)

    def _items(self) -> Iterator[Item]:
        with open(self.path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            reader.fieldnames = [h.strip() for h in reader.fieldnames or []]
            for seq, row in enumerate(reader):
                yield _row_item(seq, row, f"{self.path}#row={seq + 1}")


class ParquetSource(Source):
    """A Parquet table with a ``text`` column, read in record batches."""

    BATCH = 1024

    def __init__(self, path: Path):
        import pyarrow.parquet as pq

        self.path = path
        try:
            self.file = pq.ParquetFile(path)
        except Exception as err:  # pyarrow raises ArrowInvalid, OSError, ...
            raise _table_error(path, f"không phải tệp Parquet hợp lệ ({err}).", f"not a valid Parquet file ({err})") from None
        names = self.file.schema_arrow.names
        if "text" not in names:
            raise _table_error(path, "thiếu cột 'text'.", "no 'text' column")
        self.columns = [c for c in ("id", "text", "agency", "date") if c in names]

    def count(self) -> int:
        return self.file.metadata.num_rows

    def fingerprint(self) -> str:
        return "file:" + sha256_of(self.path)

    def _items(self) -> Iterator[Item]:
        seq = 0
        try:
            for batch in self.file.iter_batches(batch_size=self.BATCH, columns=self.columns):
                for row in batch.to_pylist():
                    yield _row_item(seq, row, f"{self.path}#row={seq + 1}")
                    seq += 1
        except OSError as err:
            raise _table_error(self.path, str(err), str(err)) from None


def open_source(path: str | Path, exclude: tuple[Path, ...] = ()) -> Source:
    """The source for a folder or a table; raises :class:`UnreadableInputError` if the input cannot be read."""
    path = Path(path)
    if path.is_dir():
        return FolderSource(path, exclude)
    if not path.exists():
        raise UnreadableInputError(f"Không tìm thấy {path}.", f"input not found: {path}")
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return JsonlSource(path)
    if suffix == ".csv":
        return CsvSource(path)
    if suffix == ".parquet":
        return ParquetSource(path)
    raise UnsupportedFormatError(f"Đầu vào phải là thư mục hoặc bảng .jsonl, .csv, .parquet (nhận '{suffix}').",
                                 f"input must be a folder or a .jsonl, .csv or .parquet table (got '{suffix}')")
