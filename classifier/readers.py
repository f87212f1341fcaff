"""Turn a file's bytes into text: .txt in UTF-8/UTF-16/Windows-1258, .docx, .pdf with a text layer.

Every failure is a :class:`~classifier.errors.BaocaoError` with a precise
Vietnamese and English message; nothing is skipped silently.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .text import has_letters
from .errors import (ContentLimitError, EmptyDocumentError, InputTooLargeError, UnreadableInputError,
                     UnsupportedFormatError)

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_DOCX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_DOCX_RATIO = 100
MAX_PDF_PAGES = 200
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}


@dataclass
class ReadResult:
    text: str
    format: str  # txt | docx | pdf
    encoding: str | None = None


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for c in text if (ord(c) < 32 and c not in "\t\n\r\f\v") or 0x7F <= ord(c) < 0xA0 or c == "\ufffd")
    return bad / len(text)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode text bytes, trying BOMs, UTF-8, UTF-16 without BOM, then Windows-1258."""
    if not data.strip():
        raise EmptyDocumentError("Tệp văn bản trống.", "empty text file")
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                       (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec), codec.replace("-sig", "")
            except UnicodeDecodeError:
                raise UnreadableInputError(f"Tệp có dấu BOM {codec} nhưng nội dung không giải mã được.",
                                           f"file has a {codec} byte-order mark but does not decode") from None
    if b"\x00" in data[:4096]:
        even, odd = data[0:4096:2].count(0), data[1:4096:2].count(0)
        codec = "utf-16-le" if odd > even else "utf-16-be"
        try:
            text = data.decode(codec)
            if _control_share(text) < 0.01:
                return text, codec
        except UnicodeDecodeError:
            pass
        raise UnreadableInputError("Tệp nhị phân, không phải văn bản.", "binary file, not text")
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        text = data.decode("cp1258", errors="replace")
        encoding = "windows-1258"
    if _control_share(text) > 0.02:
        raise UnreadableInputError("Tệp chứa dữ liệu nhị phân, không đọc được như văn bản.",
                                   "file holds binary data, not readable as text")
    return text, encoding


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            total = sum(info.file_size for info in zf.infolist())
    except zipfile.BadZipFile:
        raise UnreadableInputError("Tệp .docx bị hỏng (không phải tệp zip hợp lệ).",
                                   "corrupt .docx: not a valid zip archive") from None
    if total > MAX_DOCX_UNCOMPRESSED or total > MAX_DOCX_RATIO * max(1, len(data)):
        raise ContentLimitError(
            f"Tệp .docx giải nén quá lớn ({total // 1024 // 1024} MB, tỷ lệ {total / max(1, len(data)):.0f}:1).",
            f"docx expands too much: {total} bytes ({total / max(1, len(data)):.0f}:1)")


def read_docx(data: bytes) -> str:
    """Paragraphs and table cells in document order."""
    _check_zip(data)
    try:
        import docx
        from docx.document import Document as _Doc
        from docx.oxml.ns import qn

        document: _Doc = docx.Document(io.BytesIO(data))
        parts: list[str] = []
        for block in document.element.body.iterchildren():
            if block.tag == qn("w:p"):
                parts.append("".join(t.text or "" for t in block.iter(qn("w:t"))))
            elif block.tag == qn("w:tbl"):
                for row in block.iter(qn("w:tr")):
                    cells = ["".join(t.text or "" for t in cell.iter(qn("w:t"))) for cell in row.iter(qn("w:tc"))]
                    parts.append("\t".join(c for c in cells if c))
    except (KeyError, ValueError, zipfile.BadZipFile, OSError) as err:
        raise UnreadableInputError("Tệp .docx bị hỏng hoặc không phải văn bản Word.",
                                   f"corrupt .docx ({type(err).__name__})") from None
    except Exception as err:  # lxml and python-docx raise many types on broken XML
        raise UnreadableInputError("Tệp .docx bị hỏng hoặc không phải văn bản Word.",
                                   f"corrupt .docx ({type(err).__name__}: {err})") from None
    return "\n".join(parts)


def read_pdf(data: bytes) -> str:
    """Text layer of a PDF; scanned images without text are refused, not guessed."""
    from pdfminer.high_level import extract_text
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfpage import PDFPage

    try:
        pages = sum(1 for _ in PDFPage.get_pages(io.BytesIO(data), maxpages=MAX_PDF_PAGES + 1))
        if pages > MAX_PDF_PAGES:
            raise ContentLimitError(f"PDF quá {MAX_PDF_PAGES} trang.", f"PDF has more than {MAX_PDF_PAGES} pages")
        text = extract_text(io.BytesIO(data), maxpages=MAX_PDF_PAGES)
    except PDFPasswordIncorrect:
        raise UnreadableInputError("PDF được đặt mật khẩu, không đọc được.", "password-protected PDF") from None
    except ContentLimitError:
        raise
    except Exception as err:  # pdfminer raises many types on damaged files
        name = type(err).__name__
        if "Encrypt" in name or "Password" in name:
            raise UnreadableInputError("PDF được mã hóa, không đọc được.", "encrypted PDF") from None
        raise UnreadableInputError("Tệp PDF bị hỏng, không đọc được.", f"corrupt PDF ({name})") from None
    if not has_letters(text, 3):
        raise EmptyDocumentError("PDF không có lớp văn bản (có thể là bản quét); cần bản có chữ.",
                                 "PDF has no text layer (scanned?)")
    return text


def sniff_format(name: str, data: bytes) -> str:
    suffix = Path(name).suffix.lower()
    if data.startswith(b"%PDF") or suffix == ".pdf":
        return "pdf"
    if suffix == ".docx" or (data.startswith(b"PK") and suffix not in TEXT_SUFFIXES):
        return "docx"
    if suffix == ".doc":
        raise UnsupportedFormatError("Định dạng .doc (Word 97-2003) chưa được hỗ trợ; hãy lưu thành .docx.",
                                     "legacy .doc is not supported; save as .docx")
    if suffix in TEXT_SUFFIXES or suffix in {".csv", ".log"}:
        return "txt"
    raise UnsupportedFormatError(f"Không hỗ trợ định dạng tệp '{suffix}' (chỉ .txt, .docx, .pdf).",
                                 f"unsupported file type '{suffix}' (.txt, .docx, .pdf only)")


def read_bytes(name: str, data: bytes, max_bytes: int = MAX_FILE_BYTES) -> ReadResult:
    """Read an uploaded or on-disk file's bytes by its name and content."""
    if len(data) > max_bytes:
        raise InputTooLargeError(f"Tệp quá lớn ({len(data) / 1024 / 1024:.1f} MB, tối đa {max_bytes // 1024 // 1024} MB).",
                                 f"file too large: {len(data)} bytes (max {max_bytes})")
    if not data:
        raise EmptyDocumentError("Tệp trống.", "empty file")
    kind = sniff_format(name, data)
    if kind == "pdf":
        return ReadResult(read_pdf(data), "pdf")
    if kind == "docx":
        return ReadResult(read_docx(data), "docx")
    text, encoding = decode_text(data)
    return ReadResult(text, "txt", encoding)


def read_file(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> ReadResult:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputTooLargeError(f"Tệp quá lớn ({size / 1024 / 1024:.1f} MB, tối đa {max_bytes // 1024 // 1024} MB).",
                                     f"file too large: {size} bytes (max {max_bytes})")
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableInputError(f"Không tìm thấy tệp {path}.", f"file not found: {path}") from None
    except IsADirectoryError:
        raise UnreadableInputError(f"{path} là thư mục, không phải tệp.", f"{path} is a directory") from None
    except PermissionError:
        raise UnreadableInputError(f"Không có quyền đọc tệp {path}.", f"permission denied: {path}") from None
    return read_bytes(path.name, data, max_bytes)
