import pytest

from classifier.errors import EmptyDocumentError, InputTooLargeError, UnreadableInputError, UnsupportedFormatError
from classifier.readers import read_bytes

from fixtures import make_docx, make_pdf

def _cp1258(text: str) -> bytes:
    """Windows-1258 stores tone marks as combining characters after the (hatted) vowel."""
    import unicodedata

    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and out:
            base, marks = out[-1]
            if ch in tones:
                out[-1] = (base, marks + ch)
            else:
                out[-1] = (unicodedata.normalize("NFC", base + ch), marks)
        else:
            out.append((ch, ""))
    out = [b + m for b, m in out]
    return "".join(out).encode("cp1258")


VI = "Sở Y tế đề nghị bố trí 3,2 tỷ đồng cho Bệnh viện Đa khoa huyện Thủy Nguyên trong quý III/2023."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1258"])
def test_text_encodings(encoding):
    data = _cp1258(VI) if encoding == "cp1258" else VI.encode(encoding)
    if encoding == "utf-16-le":
        data = VI.encode("utf-16-le")  # no BOM: detected from the NUL pattern
    result = read_bytes("a.txt", data)
    import unicodedata

    assert unicodedata.normalize("NFC", result.text).strip("\ufeff") == VI


def test_docx_paragraphs_and_corrupt_docx():
    data = make_docx(["Kính gửi: UBND thành phố", VI])
    result = read_bytes("bc.docx", data)
    assert result.format == "docx" and VI in result.text
    with pytest.raises(UnreadableInputError) as err:
        read_bytes("bc.docx", data[: len(data) // 2])
    assert "docx" in err.value.message_vi


def test_docx_zip_bomb_refused():
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"0" * (60 * 1024 * 1024))
    with pytest.raises(InputTooLargeError):
        read_bytes("bomb.docx", buf.getvalue())


def test_pdf_text_layer_and_corrupt_pdf():
    data = make_pdf(["So Xay dung de nghi UBND quan Le Chan xu ly 7 cong trinh truoc ngay 30/6/2022."])
    result = read_bytes("a.pdf", data)
    assert result.format == "pdf" and "7 cong trinh" in result.text
    with pytest.raises(UnreadableInputError):
        read_bytes("a.pdf", b"%PDF-1.4\n garbage garbage")


@pytest.mark.parametrize("name,data,error", [
    ("empty.txt", b"", EmptyDocumentError),
    ("blank.txt", b"  \n\t ", EmptyDocumentError),
    ("blob.bin.txt", bytes(range(256)) * 40, UnreadableInputError),
    ("scan.pdf", make_pdf([]), EmptyDocumentError),
    ("old.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, UnsupportedFormatError),
    ("image.png", b"\x89PNG\r\n", UnsupportedFormatError),
])
def test_bad_inputs_get_precise_errors(name, data, error):
    with pytest.raises(error) as err:
        read_bytes(name, data)
    assert err.value.message_vi and err.value.message_en


def test_password_protected_and_legacy_docx_are_named_as_such():
    from fixtures import make_encrypted_docx

    with pytest.raises(UnreadableInputError) as err:
        read_bytes("locked.docx", make_encrypted_docx())
    assert "mật khẩu" in err.value.message_vi and "password" in err.value.message_en
    with pytest.raises(UnreadableInputError) as err:
        read_bytes("renamed.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))  # a .doc renamed .docx
    assert "97-2003" in err.value.message_vi
    with pytest.raises(UnsupportedFormatError):
        read_bytes("sheet.xlsx", make_docx(["not a Word file name"]))  # any zip not named .docx (or unnamed)


def test_oversized_file_refused():
    with pytest.raises(InputTooLargeError):
        read_bytes("big.txt", b"a" * 2048, max_bytes=1024)
