"""Old Vietnamese encodings (TCVN3, VNI-Windows), mojibake repair, NFD, and no false conversions."""
from __future__ import annotations

import glob
import io
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from classifier import legacy
from classifier.legacy import (VIETNAMESE_LETTERS, bytes_as_ansi, decode_legacy_bytes, decode_tcvn3, decode_vni,
                               encode_tcvn3, encode_vni, is_syllable, join_conversions, legacy_font,
                               repair_mojibake)
from classifier.readers import decode_bytes, read_bytes, read_file, read_str

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DOC = (ROOT / "data/samples/documents/01-so-xay-dung-bao-cao.txt").read_text(encoding="utf-8")
LOWER = [c for c in VIETNAMESE_LETTERS if c.islower()]
UPPER = [c for c in VIETNAMESE_LETTERS if c.isupper()]
TCVN3_UPPER = set("ĂÂÊÔƠƯĐ")  # the only capitals TCVN3 has codes for


def _syllables(vowel_letters: str, case: str) -> str:
    """One line per vowel, every tone: 'tan tàn tán tản tãn tạn' (a valid syllable around each letter)."""
    words = []
    for vowel in vowel_letters:
        for tone in ("",) + legacy.TONES:
            letter = unicodedata.normalize("NFC", vowel + tone)
            word = "t" + letter + ("" if vowel == "y" else "n")
            words.append({"lower": word, "upper": word.upper(), "title": letter.upper() + "n"}[case])
    return " ".join(words)


VOWELS = "aăâeêioôơuưy"
PANGRAM_LOWER = "\n".join(_syllables(v, "lower") for v in VOWELS) + "\nđan đồng"
PANGRAM_UPPER = "\n".join(_syllables(v, "upper") for v in VOWELS) + "\nĐAN ĐỒNG"
PANGRAM_TITLE = "\n".join(_syllables(v, "title") for v in VOWELS) + "\nĐan Đồng"


def test_pangrams_hold_every_letter():
    text = PANGRAM_LOWER + PANGRAM_UPPER + PANGRAM_TITLE
    assert len(VIETNAMESE_LETTERS) == 134 and len(set(VIETNAMESE_LETTERS)) == 134
    assert set(VIETNAMESE_LETTERS) <= set(text)
    assert all(is_syllable(w) for w in (PANGRAM_LOWER + " " + PANGRAM_UPPER).split())


@pytest.mark.parametrize("letter", VIETNAMESE_LETTERS)
def test_every_letter_round_trips(letter):
    vni = encode_vni(letter)
    assert decode_vni(bytes_as_ansi(vni)) == letter
    if letter.islower() or letter in TCVN3_UPPER:
        assert len(encode_tcvn3(letter)) == 1
        assert decode_tcvn3(bytes_as_ansi(encode_tcvn3(letter))) == letter
    else:  # a toned capital exists only in the all-capitals font, at its lower-case code
        with pytest.raises(ValueError):
            encode_tcvn3(letter)
        code = encode_tcvn3(letter, capitals_font=True)
        assert code == encode_tcvn3(letter.lower())
        assert decode_tcvn3(bytes_as_ansi(code), capitals=True) == letter


def test_tables_are_one_to_one():
    codes = [encode_tcvn3(c) for c in LOWER + sorted(TCVN3_UPPER)]
    assert len(set(codes)) == 74 and all(0xA1 <= c[0] <= 0xFE for c in codes)
    assert len({encode_vni(c) for c in VIETNAMESE_LETTERS}) == 134


def test_known_published_spellings():
    """Spot checks against the published tables (TCVN 5712:1993 VN3; VNI-Windows)."""
    assert decode_tcvn3("Së X©y dùng") == "Sở Xây dựng"
    assert decode_tcvn3("B¶o Th¾ng, M­êng Kh­¬ng") == "Bảo Thắng, Mường Khương"
    assert encode_vni("Xin chào các bạn") == "Xin chaøo caùc baïn".encode("cp1252")
    assert decode_vni("Sôû Xaây döïng ñeà nghò") == "Sở Xây dựng đề nghị"
    assert decode_vni("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM") == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_pangram_bytes_detected_and_decoded(encoding):
    if encoding == "vni":
        text = "\n".join([PANGRAM_LOWER, PANGRAM_UPPER, PANGRAM_TITLE])
        data = encode_vni(text)
    else:  # capitals lines are typed in the all-capitals font; TCVN3 cannot write a toned capital in mixed case
        text = "\n".join([PANGRAM_LOWER, PANGRAM_UPPER])
        data = encode_tcvn3(text, capitals_font=True)
    decoded, kind = decode_legacy_bytes(data)
    assert kind == encoding
    assert decoded == text


def test_sample_document_round_trips_through_both_encodings():
    decoded, kind = decode_legacy_bytes(encode_vni(SAMPLE_DOC))
    assert (kind, decoded) == ("vni", SAMPLE_DOC)
    decoded, kind = decode_legacy_bytes(encode_tcvn3(SAMPLE_DOC, capitals_font=True))
    assert kind == "tcvn3" and len(decoded) == len(SAMPLE_DOC)
    # the header lines in capitals come back in capitals; only a toned capital inside mixed-case text
    # ("Kính gửi: Ủy ban") is lost, because TCVN3 has no code for it
    diffs = [(a, b) for a, b in zip(SAMPLE_DOC, decoded) if a != b]
    assert diffs == [("Ủ", "ủ")]
    for line in ("UBND THÀNH PHỐ HẢI PHÒNG", "SỞ XÂY DỰNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO",
                 "KT. GIÁM ĐỐC", "Số: 318/BC-SXD", "Hải Phòng, ngày 14 tháng 7 năm 2023"):
        assert line in decoded.split("\n")


def test_windows_1258_still_wins_for_windows_1258_bytes():
    data = (ROOT / "data/samples/documents/04-cong-van-windows-1258.txt").read_bytes()
    text, kind = decode_legacy_bytes(data)
    assert kind == "cp1258" and "Sở Kế hoạch và Đầu tư" in text and unicodedata.is_normalized("NFC", text)


@pytest.mark.parametrize("encoding,encode", [("tcvn3", lambda t: encode_tcvn3(t, capitals_font=True)),
                                             ("vni", encode_vni)])
def test_txt_files_read_with_conversion(tmp_path, encoding, encode):
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(encode(SAMPLE_DOC))
    result = read_file(path)
    assert result.conversion == encoding and result.format == "txt"
    assert "Sở Xây dựng không đồng ý với đề xuất nâng chiều cao lên 21 tầng" in result.text


def test_cli_score_records_the_conversion(tmp_path, model_env):
    tcvn3, vni = tmp_path / "cu-tcvn3.txt", tmp_path / "cu-vni.txt"
    tcvn3.write_bytes(encode_tcvn3(SAMPLE_DOC, capitals_font=True))
    vni.write_bytes(encode_vni(SAMPLE_DOC))
    run = [sys.executable, "-m", "cli.main", "score"]
    out = subprocess.run(run + ["--json", str(tcvn3), str(vni)], capture_output=True, text=True, env=model_env,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    results = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["meta"]["conversion"] for r in results] == ["tcvn3", "vni"]
    assert all(r["meta"]["agency"] == "Sở Xây dựng" and r["meta"]["number"] == "318/BC-SXD" for r in results)
    out = subprocess.run(run + [str(tcvn3)], capture_output=True, text=True, env=model_env, timeout=120)
    assert "Chuyển mã: TCVN3 (ABC) → Unicode" in out.stdout
    plain = subprocess.run(run + ["--json", "-"], input=SAMPLE_DOC, capture_output=True, text=True, env=model_env,
                           timeout=120)
    assert "conversion" not in json.loads(plain.stdout)["meta"]


# --- .docx runs by font -----------------------------------------------------------------------

def _docx(paragraphs: list[list[tuple[str, str | None]]], normal_font: str | None = None) -> bytes:
    """A .docx whose paragraphs are runs of (text, font); text is given as it is stored (1252 characters)."""
    import docx

    document = docx.Document()
    if normal_font:
        document.styles["Normal"].font.name = normal_font
    for runs in paragraphs:
        p = document.add_paragraph()
        for text, font in runs:
            run = p.add_run(text)
            if font:
                run.font.name = font
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _stored(data: bytes) -> str:
    return bytes_as_ansi(data)


def test_docx_runs_converted_by_their_font():
    data = _docx([
        [(_stored(encode_tcvn3("sở xây dựng")), ".VnTimeH")],
        [(_stored(encode_tcvn3("Sở Xây dựng đề nghị ")), ".VnTime"),
         ("UBND thành phố (Unicode) ", "Times New Roman"),
         (_stored(encode_vni("bố trí 12,5 tỷ đồng trước ngày 30/9.")), "VNI-Times")],
        [(_stored(encode_tcvn3("Kinh phí thực hiện")), ".VnArial")],
    ])
    result = read_bytes("cu.docx", data)
    assert result.text.split("\n") == [
        "SỞ XÂY DỰNG",
        "Sở Xây dựng đề nghị UBND thành phố (Unicode) bố trí 12,5 tỷ đồng trước ngày 30/9.",
        "Kinh phí thực hiện"]
    assert result.conversion == "tcvn3+vni"


def test_docx_font_from_the_style_and_a_soft_hyphen_u():
    """Most old documents set .VnTime once, in the Normal style; TCVN3 'ư' (0xAD) may be kept as w:softHyphen."""
    import docx
    from docx.oxml import OxmlElement

    document = docx.Document()
    document.styles["Normal"].font.name = ".VnTime"
    p = document.add_paragraph(_stored(encode_tcvn3("Sở Tài chính thống nhất")))
    run = p.add_run("n")
    run._r.append(OxmlElement("w:softHyphen"))
    t = OxmlElement("w:t")
    t.text = _stored(encode_tcvn3("ớc sạch"))
    run._r.append(t)
    document.add_paragraph("Câu Unicode giữ nguyên.").runs[0].font.name = "Times New Roman"
    buf = io.BytesIO()
    document.save(buf)
    result = read_bytes("a.docx", buf.getvalue())
    assert result.text == "Sở Tài chính thống nhấtnước sạch\nCâu Unicode giữ nguyên."
    assert result.conversion == "tcvn3"


def test_unicode_docx_untouched_even_in_legacy_looking_fonts():
    text = "Sở Xây dựng đề nghị bố trí 12,5 tỷ đồng."
    assert read_bytes("u.docx", _docx([[(text, "Times New Roman")]])).conversion is None
    # an ASCII-only run in a .Vn font changes nothing and is not reported
    result = read_bytes("a.docx", _docx([[("UBND 2023", ".VnTime")], [(text, "Arial")]]))
    assert result.conversion is None and result.text == "UBND 2023\n" + text


def test_docx_two_column_header_table_reads_column_by_column():
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.text = "UBND THÀNH PHỐ HẢI PHÒNG"
    for line in ("SỞ XÂY DỰNG", "Số: 215/BC-SXD"):
        left.add_paragraph(line)
    right.text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    for line in ("Độc lập - Tự do - Hạnh phúc", "Hải Phòng, ngày 14 tháng 7 năm 2023"):
        right.add_paragraph(line)
    document.add_paragraph("BÁO CÁO")
    document.add_paragraph("Sở Xây dựng đề nghị UBND thành phố bố trí 12,5 tỷ đồng trước ngày 30/9/2023.")
    buf = io.BytesIO()
    document.save(buf)
    text = read_bytes("h.docx", buf.getvalue()).text
    assert text.split("\n")[:6] == ["UBND THÀNH PHỐ HẢI PHÒNG", "SỞ XÂY DỰNG", "Số: 215/BC-SXD",
                                    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                                    "Hải Phòng, ngày 14 tháng 7 năm 2023"]
    from classifier.frame import detect_frame
    from classifier.text import normalize

    frame = detect_frame(normalize(text).norm)
    assert (frame.agency, frame.number, frame.date, frame.doc_type) == ("Sở Xây dựng", "215/BC-SXD", "2023-07-14",
                                                                        "bao_cao")


# --- str-level repair, NFD, the label --------------------------------------------------------

def test_pasted_mojibake_repaired_when_confident():
    pasted = _stored(encode_tcvn3(SAMPLE_DOC.lower()))
    assert pasted.startswith("ubnd thµnh phè h¶i phßng")
    result = read_str(pasted)
    assert (result.text, result.conversion) == (SAMPLE_DOC.lower(), "tcvn3")
    result = read_str(_stored(encode_vni(SAMPLE_DOC)))
    assert (result.text, result.conversion) == (SAMPLE_DOC, "vni")
    # a UTF-8 file holding pasted mojibake, and a PDF text layer, go through the same repair
    assert decode_bytes(pasted.encode("utf-8")).conversion == "tcvn3"
    # too little evidence: left alone
    assert repair_mojibake("Së X©y") == ("Së X©y", None)


def test_pdf_text_layer_in_a_tcvn3_font_is_repaired():
    """A PDF printed from a .VnTime document without a Unicode map extracts as Windows-1252 characters."""
    import re

    from fixtures import make_pdf

    line = _stored(encode_tcvn3("Sở Xây dựng đề nghị UBND thành phố bố trí kinh phí"))
    data = make_pdf([line, "Line 2 in plain ASCII, 2023"]).replace(
        b"/BaseFont /Helvetica >>", b"/BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    data = re.sub(rb"startxref\n\d+", b"startxref\n%d" % data.rindex(b"xref\n"), data)
    result = read_bytes("cu.pdf", data)
    assert result.conversion == "tcvn3"
    assert result.text.startswith("Sở Xây dựng đề nghị UBND thành phố bố trí kinh phí\nLine 2 in plain ASCII, 2023")


def test_mixed_document_keeps_its_unicode_lines():
    text = "SỞ XÂY DỰNG\n" + _stored(encode_tcvn3("Sở Xây dựng đề nghị UBND thành phố bố trí kinh phí"))
    repaired, kind = repair_mojibake(text)
    assert kind == "tcvn3" and repaired == "SỞ XÂY DỰNG\nSở Xây dựng đề nghị UBND thành phố bố trí kinh phí"


def test_nfd_text_recorded_not_changed():
    nfd = unicodedata.normalize("NFD", SAMPLE_DOC)
    result = read_bytes("a.txt", nfd.encode("utf-8"))
    assert result.text == nfd and result.conversion == "nfd"
    assert read_bytes("a.txt", nfd.encode("utf-16")).conversion == "utf-16+nfd"
    assert read_str(nfd).conversion == "nfd"
    assert read_bytes("a.txt", SAMPLE_DOC.encode("utf-16")).conversion == "utf-16"
    assert read_bytes("a.txt", SAMPLE_DOC.encode("utf-8-sig")).conversion is None


def test_conversion_label_vocabulary():
    assert join_conversions([]) is None
    assert join_conversions(["nfd", "tcvn3", "tcvn3"]) == "tcvn3+nfd"
    assert join_conversions(["vni", "tcvn3", "utf-16"]) == "utf-16+tcvn3+vni"
    with pytest.raises(ValueError):
        join_conversions(["latin-9"])


@pytest.mark.parametrize("name,kind", [(".VnTime", "tcvn3"), (".VnTimeH", "tcvn3"), (".VnArial NarrowH", "tcvn3"),
                                       ("VnTime", "tcvn3"), ("VNI-Times", "vni"), ("VNI-Helve-Condense", "vni"),
                                       ("Times New Roman", None), ("Arial", None), (None, None),
                                       ("theme:minorHAnsi", None)])
def test_legacy_font_names(name, kind):
    assert legacy_font(name) == kind


# --- never convert what is not legacy text ---------------------------------------------------

def _sample_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in (ROOT / "data/samples/documents").glob("*.txt")
             if p.read_bytes().isascii() or _is_utf8(p.read_bytes())]
    for path in sorted(glob.glob(str(ROOT / "data/samples/**/*.jsonl"), recursive=True)):
        texts += [json.loads(line)["text"] for line in open(path, encoding="utf-8") if line.strip()]
    return texts


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def test_no_sample_text_is_converted():
    texts = _sample_texts()
    assert len(texts) > 900
    for text in texts:
        assert unicodedata.is_normalized("NFC", text)
        result = read_str(text)
        assert result.conversion is None and result.text == text
        result = decode_bytes(text.encode("utf-8"))
        assert result.conversion is None and result.text == text


@pytest.mark.parametrize("text", [
    "Price list © 2023 – all rights reserved ® ± 5 µm",
    "Café, élève, très, naïve, façade, Müller, Ørsted, señor, ½ ¼ ¾",
    "Ghi chú: giá trị ≥ 5% (±0,5), nhiệt độ 25°C; “trích dẫn” – gạch nối…",
    "See §3 ¶2 «quoted» ¿qué? ¡sí! ©®™ ÷ × ¬",
])
def test_english_and_stray_symbols_untouched(text):
    result = read_str(text)
    assert result.conversion is None and result.text == text
    if all(ord(c) < 0x100 or c in "–“”…" for c in text):
        assert decode_bytes(text.encode("cp1252")).text == text


_ONSETS = ["", "b", "c", "ch", "d", "đ", "g", "gi", "h", "kh", "l", "m", "n", "ng", "nh", "ph", "qu", "s", "t", "th",
           "tr", "v", "x"]
_RIMES = ["a", "ai", "an", "ang", "anh", "ao", "âm", "ân", "ây", "ăn", "e", "em", "ê", "ên", "i", "in", "inh", "iên",
          "o", "oi", "ong", "ô", "ông", "ơ", "ơi", "u", "ung", "uy", "ư", "ưa", "ương", "uôn", "y", "yên"]


def _with_tone(onset: str, rime: str, tone: str) -> str:
    """Put the tone where Vietnamese writes it: on the rime's last vowel ("an" + grave -> "àn"), but on the
    one before when an open rime ends in a glide or in ia/ua/ưa ("ai" -> "ài", "ưa" -> "ừa")."""
    if not tone:
        return onset + rime
    vowels = [i for i, c in enumerate(rime) if unicodedata.normalize("NFD", c)[0] in "aeiouy"]
    k = vowels[-1]
    if len(rime) >= 2 and k == len(rime) - 1 and rime != "uy" and (rime[-1] in "iyou" or rime in ("ia", "ua", "ưa")):
        k = vowels[-2]
    return onset + rime[:k] + unicodedata.normalize("NFC", rime[k] + tone) + rime[k + 1:]


@st.composite
def vietnamese_text(draw):
    words = []
    for _ in range(draw(st.integers(1, 40))):
        onset, rime = draw(st.sampled_from(_ONSETS)), draw(st.sampled_from(_RIMES))
        word = _with_tone(onset, rime, draw(st.sampled_from(("",) + legacy.TONES)))
        case = draw(st.sampled_from(["lower", "lower", "title", "upper"]))
        words.append({"lower": word, "title": word[:1].upper() + word[1:], "upper": word.upper()}[case])
    seps = draw(st.lists(st.sampled_from([" ", " ", ", ", ". ", "\n", " - ", " 12,5 ", "/"]), min_size=len(words),
                         max_size=len(words)))
    return "".join(w + s for w, s in zip(words, seps))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=vietnamese_text(), form=st.sampled_from(["NFC", "NFD"]))
def test_random_unicode_vietnamese_never_converted(text, form):
    text = unicodedata.normalize(form, text)
    result = read_str(text)
    assert result.text == text
    assert result.conversion == (None if unicodedata.is_normalized("NFC", text) else "nfd")
    assert decode_bytes(text.encode("utf-8")).text == text


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x2FF), max_size=200))
def test_random_latin_text_never_converted_unless_it_reads_as_vietnamese(text):
    repaired, kind = repair_mojibake(text)
    if kind is None:
        assert repaired == text
    else:  # only ever when the converted text is overwhelmingly valid Vietnamese
        counts = legacy.syllable_counts(repaired)
        assert counts.valid >= legacy.MIN_REPAIR_WORDS and counts.share >= legacy.MIN_REPAIRED_SHARE


@settings(max_examples=300, deadline=None)
@given(text=vietnamese_text())
@example(text="ì ì ì ")  # found by CI: the same bytes are VNI "ì" and TCVN3 "ỡ"
def test_random_vietnamese_in_legacy_bytes_detected(text):
    """Whenever the text has MIN_REPAIR_WORDS words beyond ASCII, the encoding is found and decoded exactly
    (TCVN3: up to the case of toned capitals, which it cannot write outside an all-capitals line) — unless the
    same bytes read as Windows-1258 are valid Vietnamese too (TCVN3 "ấm ấm ấm" is cp1258 "Êm Êm Êm"): then
    the input is ambiguous and the long-standing Windows-1258 reading is kept. VNI bytes that also read as valid
    TCVN3 are ambiguous too (VNI "ì ì ì" is TCVN3 "ỡ ỡ ỡ", byte 0xEC in both); TCVN3 wins that tie."""
    enough = legacy.syllable_counts(text).valid >= legacy.MIN_REPAIR_WORDS

    def all_valid(reading: str) -> bool:
        counts = legacy.syllable_counts(reading)
        return counts.invalid == 0 and counts.valid > 0

    def ambiguous(data: bytes, also_tcvn3: bool = False) -> bool:
        readings = [unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))]
        if also_tcvn3:
            readings.append(legacy.tcvn3_to_unicode(legacy.bytes_as_ansi(data)))
        return any(map(all_valid, readings))

    data = encode_vni(text)
    decoded, kind = decode_legacy_bytes(data)
    if enough and not ambiguous(data, also_tcvn3=True):
        assert kind == "vni" and decoded == text
    else:
        assert kind in ("vni", "cp1258", "tcvn3")
    data = encode_tcvn3(text, capitals_font=True)
    decoded, kind = decode_legacy_bytes(data)
    if enough and not ambiguous(data):
        assert kind == "tcvn3" and decoded.lower() == text.lower()
    else:
        assert kind in ("tcvn3", "cp1258")
