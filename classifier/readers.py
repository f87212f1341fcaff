"""Turn a file's bytes into text: .txt in UTF-8/UTF-16/UTF-32/Windows-1258/TCVN3/VNI, .docx, .pdf with a text layer.

Every failure is a :class:`~classifier.errors.BaocaoError` with a precise
Vietnamese and English message; nothing is skipped silently.

``ReadResult.conversion`` says what was done to reach Unicode, as one label or several
joined by "+" in this order (``None``: the text was UTF-8 in NFC and nothing was changed):

* ``utf-16`` / ``utf-32`` -- the file was UTF-16 / UTF-32 (with or without byte-order mark);
* ``cp1258`` -- Windows-1258 bytes, composed to NFC;
* ``tcvn3`` -- TCVN3 (ABC, ".VnTime" fonts) converted to Unicode: a .txt in TCVN3 bytes, .docx
  runs set in a ".Vn..." font, or TCVN3 text that had been read as Windows-1252/Latin-1
  (pasted, or a PDF without a Unicode map) and was repaired because detection was confident;
* ``vni`` -- the same for VNI-Windows ("VNI-Times" fonts);
* ``nfd`` -- the text holds decomposed characters; it is left as given (the scorer's
  normalisation composes them), so evidence offsets still index it.

Examples: ``"tcvn3"``, ``"utf-16+nfd"``, ``"tcvn3+vni"`` (a .docx with runs in both fonts).
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from . import legacy
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
    format: str  # txt | docx | pdf | text (a str given directly, see read_str)
    encoding: str | None = None  # .txt only: utf-8, utf-16(-le/-be), utf-32, windows-1258, tcvn3, vni-windows
    conversion: str | None = None  # see the module docstring


def _finish(text: str, fmt: str, encoding: str | None, conversions: list[str], repair: bool = True) -> ReadResult:
    """Repair legacy text read as Windows-1252 (when confident) and record decomposed text."""
    if repair:
        text, repaired = legacy.repair_mojibake(text)
        conversions = conversions + [repaired] if repaired else conversions
    if legacy.is_decomposed(text):
        conversions = conversions + ["nfd"]
    return ReadResult(text, fmt, encoding, legacy.join_conversions(conversions))


def read_str(text: str) -> ReadResult:
    """A text given as a str (pasted, a table column): TCVN3/VNI mojibake repaired when detection is
    confident, decomposed text recorded. Score ``result.text`` and pass ``result.conversion`` on."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, got {type(text).__name__}")
    return _finish(text, "text", None, [])


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for c in text if (ord(c) < 32 and c not in "\t\n\r\f\v") or 0x7F <= ord(c) < 0xA0 or c == "\ufffd")
    return bad / len(text)


_LEGACY_ENCODING = {"cp1258": "windows-1258", "tcvn3": "tcvn3", "vni": "vni-windows"}


def decode_bytes(data: bytes) -> ReadResult:
    """Decode .txt bytes: BOMs, UTF-8, UTF-16/32 without BOM, else TCVN3, VNI or Windows-1258 by which
    reads as Vietnamese (:func:`classifier.legacy.decode_legacy_bytes`)."""
    if not data.strip():
        raise EmptyDocumentError("Tệp văn bản trống.", "empty text file")
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                       (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                raise UnreadableInputError(f"Tệp có dấu BOM {codec} nhưng nội dung không giải mã được.",
                                           f"file has a {codec} byte-order mark but does not decode") from None
            encoding = codec.replace("-sig", "")
            return _finish(text, "txt", encoding, [] if encoding == "utf-8" else [encoding])
    if b"\x00" in data[:4096]:
        even, odd = data[0:4096:2].count(0), data[1:4096:2].count(0)
        codec = "utf-16-le" if odd > even else "utf-16-be"
        try:
            text = data.decode(codec)
            if _control_share(text) < 0.01:
                return _finish(text, "txt", codec, ["utf-16"])
        except UnicodeDecodeError:
            pass
        raise UnreadableInputError("Tệp nhị phân, không phải văn bản.", "binary file, not text")
    try:
        text = data.decode("utf-8")
        encoding, conversions = "utf-8", []
    except UnicodeDecodeError:
        text, kind = legacy.decode_legacy_bytes(data)
        encoding, conversions = _LEGACY_ENCODING[kind], [kind]
    if _control_share(text) > 0.02:
        raise UnreadableInputError("Tệp chứa dữ liệu nhị phân, không đọc được như văn bản.",
                                   "file holds binary data, not readable as text")
    return _finish(text, "txt", encoding, conversions, repair=encoding == "utf-8")


def decode_text(data: bytes) -> tuple[str, str]:
    """``(text, encoding)`` of .txt bytes; :func:`decode_bytes` also says which conversion was applied."""
    result = decode_bytes(data)
    return result.text, result.encoding or "utf-8"


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


class _Fonts:
    """The font each run is drawn in: its own w:rFonts, else its character style, its paragraph's style
    (or the default paragraph style), else the document defaults. Legacy 8-bit text is known only by it."""

    def __init__(self, document) -> None:
        from docx.oxml.ns import qn

        self._qn = qn
        self._styles: dict[str, object] = {}
        self._default_paragraph: str | None = None
        self._defaults: str | None = None
        styles = document.styles.element
        for style in styles.iter(qn("w:style")):
            style_id = style.get(qn("w:styleId"))
            if style_id:
                self._styles[style_id] = style
                if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in ("1", "true", "on"):
                    self._default_paragraph = style_id
        for rpr in styles.iter(qn("w:rPrDefault")):
            self._defaults = self._font_of(rpr.find(qn("w:rPr")))
        self._cache: dict[str | None, str | None] = {}

    def _font_of(self, rpr) -> str | None:
        """hAnsi font (it draws the 0xA0-0xFF characters legacy text lives in), else ascii; themes are Unicode."""
        if rpr is None:
            return None
        fonts = rpr.find(self._qn("w:rFonts"))
        if fonts is None:
            return None
        for attr in ("w:hAnsi", "w:ascii"):
            if fonts.get(self._qn(attr)):
                return fonts.get(self._qn(attr))
        for attr in ("w:hAnsiTheme", "w:asciiTheme"):
            if fonts.get(self._qn(attr)):
                return "theme:" + fonts.get(self._qn(attr))
        return None

    def _style_font(self, style_id: str | None) -> str | None:
        if style_id in self._cache:
            return self._cache[style_id]
        font, seen, current = None, set(), style_id
        while current and current not in seen and font is None:
            seen.add(current)
            style = self._styles.get(current)
            if style is None:
                break
            font = self._font_of(style.find(self._qn("w:rPr")))
            based = style.find(self._qn("w:basedOn"))
            current = based.get(self._qn("w:val")) if based is not None else None
        self._cache[style_id] = font
        return font

    def run_font(self, run, paragraph_style: str | None) -> str | None:
        qn = self._qn
        rpr = run.find(qn("w:rPr"))
        font = self._font_of(rpr)
        if font is None and rpr is not None:
            rstyle = rpr.find(qn("w:rStyle"))
            if rstyle is not None:
                font = self._style_font(rstyle.get(qn("w:val")))
        if font is None:
            font = self._style_font(paragraph_style or self._default_paragraph)
        return font or self._defaults


def _paragraph_text(p, fonts: _Fonts, conversions: list[str]) -> str:
    """A paragraph's runs in order, each converted by its font; tabs and line breaks kept."""
    from docx.oxml.ns import qn

    ppr = p.find(qn("w:pPr"))
    pstyle = ppr.find(qn("w:pStyle")) if ppr is not None else None
    paragraph_style = pstyle.get(qn("w:val")) if pstyle is not None else None
    out: list[str] = []
    for run in p.iter(qn("w:r")):
        font = fonts.run_font(run, paragraph_style)
        kind = legacy.legacy_font(font)
        pieces: list[str] = []
        for child in run:
            if child.tag == qn("w:t"):
                pieces.append(child.text or "")
            elif child.tag == qn("w:tab"):
                pieces.append("\t")
            elif child.tag in (qn("w:br"), qn("w:cr")):
                pieces.append("\n")
            elif child.tag == qn("w:softHyphen") and kind == "tcvn3":
                pieces.append("\xad")  # TCVN3 "ư" is byte 0xAD, which Word may keep as a soft hyphen
        text = "".join(pieces)
        if kind and text:
            converted, applied = legacy.convert_run(text, font)
            if converted != text and applied:  # an ASCII-only run in a .Vn font changed nothing
                conversions.append(applied)
                text = converted
        out.append(text)
    return "".join(out)


def _blocks(parent):
    """Body-level paragraphs and tables in order, including those inside content controls (w:sdt)."""
    from docx.oxml.ns import qn

    for block in parent.iterchildren():
        if block.tag in (qn("w:p"), qn("w:tbl")):
            yield block
        elif block.tag == qn("w:sdt"):
            content = block.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content)


def _table_lines(tbl, fonts: _Fonts, conversions: list[str]) -> list[str]:
    """A row whose cells hold one line each is one line, cells joined by tabs (a data table); a row with
    a cell of several lines is read cell by cell, each line on its own (the two-column header
    "UBND ... / SỞ XÂY DỰNG / Số: ..." beside "CỘNG HÒA ... / Độc lập ... / Hải Phòng, ngày ...")."""
    from docx.oxml.ns import qn

    lines: list[str] = []
    for row in tbl.iter(qn("w:tr")):
        cells = []
        for cell in row.iter(qn("w:tc")):
            cell_lines = []
            for p in cell.iter(qn("w:p")):
                cell_lines += [x for x in _paragraph_text(p, fonts, conversions).split("\n") if x.strip()]
            cells.append(cell_lines)
        if all(len(c) <= 1 for c in cells):
            line = "\t".join(c[0] for c in cells if c)
            if line:
                lines.append(line)
        else:
            lines += [x for c in cells for x in c]
    return lines


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a Compound File: Word 97-2003, or an encrypted Office file
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # the stream an encrypted .docx keeps its zip in


def _check_not_ole(data: bytes) -> None:
    """A .docx saved with a password is not a zip but a Compound File holding the encrypted package; say so."""
    if not data.startswith(_OLE_MAGIC):
        return
    if _ENCRYPTED_PACKAGE in data:
        raise UnreadableInputError("Tệp .docx được đặt mật khẩu (mã hóa), không đọc được; hãy gỡ mật khẩu rồi gửi lại.",
                                   "password-protected (encrypted) .docx")
    raise UnreadableInputError("Tệp có đuôi .docx nhưng thực chất là định dạng Word 97-2003 (.doc) hoặc tệp Office "
                               "cũ khác; hãy lưu lại thành .docx.",
                               "named .docx but is a Word 97-2003 (.doc) or other legacy Office file")


def _read_docx(data: bytes) -> tuple[str, list[str]]:
    _check_not_ole(data)
    _check_zip(data)
    conversions: list[str] = []
    try:
        import docx
        from docx.oxml.ns import qn

        document = docx.Document(io.BytesIO(data))
        fonts = _Fonts(document)
        parts: list[str] = []
        for block in _blocks(document.element.body):
            if block.tag == qn("w:p"):
                parts.append(_paragraph_text(block, fonts, conversions))
            else:
                parts += _table_lines(block, fonts, conversions)
    except (KeyError, ValueError, zipfile.BadZipFile, OSError) as err:
        raise UnreadableInputError("Tệp .docx bị hỏng hoặc không phải văn bản Word.",
                                   f"corrupt .docx ({type(err).__name__})") from None
    except Exception as err:  # lxml and python-docx raise many types on broken XML
        raise UnreadableInputError("Tệp .docx bị hỏng hoặc không phải văn bản Word.",
                                   f"corrupt .docx ({type(err).__name__}: {err})") from None
    return "\n".join(parts), conversions


def read_docx(data: bytes) -> str:
    """Paragraphs and table rows in document order; runs in TCVN3/VNI fonts converted to Unicode."""
    return read_bytes("document.docx", data, max_bytes=len(data)).text


def read_pdf(data: bytes) -> str:
    """Text layer of a PDF (as extracted, before any repair); :func:`read_bytes` also repairs legacy text."""
    return _read_pdf(data)


def _read_pdf(data: bytes) -> str:
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
    if suffix == ".docx" or (data.startswith(b"PK") and not suffix):  # a zip named .xlsx/.zip stays unsupported
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
        return _finish(_read_pdf(data), "pdf", None, [])
    if kind == "docx":
        text, conversions = _read_docx(data)
        return _finish(text, "docx", None, conversions)
    return decode_bytes(data)


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
