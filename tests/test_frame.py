from classifier import parse

FRAMED = """UBND THÀNH PHỐ HẢI PHÒNG
SỞ XÂY DỰNG
Số: 215/BC-SXD
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hải Phòng, ngày 12 tháng 5 năm 2022
BÁO CÁO
V/v kết quả kiểm tra trật tự xây dựng quý I/2022
Kính gửi: Ủy ban nhân dân thành phố.
Trong quý I/2022, Sở Xây dựng đã kiểm tra 46 công trình tại quận Lê Chân, phát hiện 7 công trình sai phép.
Sở đề nghị UBND quận Lê Chân xử lý dứt điểm 7 công trình trước ngày 30/6/2022.
Nơi nhận:
- Như trên;
- Lưu: VT, TTr.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Nguyễn Văn An"""


def test_frame_metadata_and_body():
    doc = parse(FRAMED)
    meta = doc.frame.meta()
    assert meta["agency"] == "Sở Xây dựng"
    assert meta["number"] == "215/BC-SXD"
    assert meta["date"] == "2022-05-12"
    assert meta["doc_type"] == "bao_cao"
    assert meta["addressee"].startswith("Ủy ban nhân dân")
    texts = doc.sentence_texts
    assert texts[0].startswith("Trong quý I/2022")
    assert texts[-1].startswith("Sở đề nghị UBND quận Lê Chân")
    joined = " ".join(texts)
    for frame_bit in ("CỘNG HÒA", "Kính gửi", "Nơi nhận", "Lưu: VT", "Nguyễn Văn An", "Số: 215"):
        assert frame_bit not in joined


def test_body_only_text_keeps_all_sentences():
    doc = parse("Sở Tài chính thống nhất với đề xuất. Đề nghị bố trí 12,5 tỷ đồng.")
    assert len(doc.sentences) == 2
    assert doc.frame.body_start == 0
    assert doc.frame.meta()["agency"] is None


def test_cong_van_type_from_number_code():
    doc = parse("SỞ TÀI CHÍNH\nSố: 1023/STC-NS\nV/v góp ý dự thảo\nKính gửi: Sở Kế hoạch và Đầu tư\nSở Tài chính có ý kiến như sau: thống nhất với dự thảo.")
    assert doc.frame.doc_type == "cong_van"
    assert doc.frame.subject == "góp ý dự thảo"
    assert doc.sentence_texts == ["Sở Tài chính có ý kiến như sau: thống nhất với dự thảo."]


def test_agency_aliases_group_together():
    from classifier.agencies import canonical_agency

    names = {canonical_agency(x) for x in ("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "Sở TN&MT", "STNMT", "Sở Tài nguyên và Môi trường")}
    assert names == {"Sở Tài nguyên và Môi trường"}


# --- variants seen in 1990s-2020s documents ------------------------------------------------------------

import pytest  # noqa: E402

from classifier.frame import detect_frame  # noqa: E402
from classifier.text import normalize  # noqa: E402


def _frame(text: str):
    return detect_frame(normalize(text).norm)


BODY = "Sở đề nghị UBND thành phố bố trí 12,5 tỷ đồng trước ngày 30/9/2023."

OLD_FLAT = """UỶ BAN NHÂN DÂN              CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
THÀNH PHỐ HẢI PHÒNG               Độc lập - Tự do - Hạnh phúc
Số: 45/UB-XD
                                  Hải Phòng, ngày 5 tháng 3 năm 1997
V/v giải quyết đất ở cho các hộ dân phường Đông Hải
Kính gửi: Sở Xây dựng
"""


def test_old_two_column_header_flattened_to_one_line():
    """A .txt from the 1990s: the two header columns on one line, separated by spaces normalisation collapses."""
    frame = _frame(OLD_FLAT + BODY)
    assert (frame.agency, frame.number, frame.date, frame.doc_type) == (
        "UBND thành phố Hải Phòng", "45/UB-XD", "1997-03-05", "cong_van")
    assert frame.subject.startswith("giải quyết đất ở")
    assert normalize(OLD_FLAT + BODY).norm[frame.body_start:].startswith("Sở đề nghị")


@pytest.mark.parametrize("line,number,doc_type", [
    ("Số: 215/BC-SXD", "215/BC-SXD", "bao_cao"),
    ("Số 215/TTr-UBND", "215/TTr-UBND", "to_trinh"),
    ("Số:   12 /CV-STC", "12/CV-STC", "cong_van"),
    ("Số: 1023/STC-NS", "1023/STC-NS", "cong_van"),
    ("Số: 1763/QĐ-UBND", "1763/QĐ-UBND", None),  # a quyết định: none of the three types
    ("Số: 123-QĐ/UB", "123-QĐ/UB", None),
    ("Số: 45-BC/UB", "45-BC/UB", "bao_cao"),
    ("Số: 215 / BC - SXD", "215/BC-SXD", "bao_cao"),
    ("SỐ: 07/2023/BC-SYT", "07/2023/BC-SYT", "bao_cao"),
    ("Số: ......./BC-SXD", "......./BC-SXD", "bao_cao"),
    ("Số: 12", "12", None),
])
def test_number_variants(line, number, doc_type):
    frame = _frame(f"SỞ XÂY DỰNG\n{line}\n{BODY}")
    assert (frame.number, frame.doc_type) == (number, doc_type)
    assert frame.agency == "Sở Xây dựng"


def test_body_line_starting_with_so_is_not_a_number():
    frame = _frame("Số 3 hộ gia đình chưa nhận tiền bồi thường do chưa thống nhất đơn giá.\n" + BODY)
    assert frame.number is None and frame.body_start == 0


@pytest.mark.parametrize("line,date", [
    ("Hải Phòng, ngày 14 tháng 7 năm 2023", "2023-07-14"),
    ("Hà Nội, ngày  05  tháng 01 năm 2024", "2024-01-05"),
    ("ngày 5 tháng 3 năm 1997", "1997-03-05"),
    ("Hải Phòng, 14/7/2023", "2023-07-14"),
    ("TP. Hồ Chí Minh, ngày 14/07/2023", "2023-07-14"),
    ("Đà Nẵng, ngày 14.7.2023", "2023-07-14"),
    ("Hà Nội, ngày ... tháng ... năm 2023", None),
    ("Hải Phòng, ngày 32 tháng 13 năm 2023", None),
])
def test_date_variants(line, date):
    text = f"SỞ TÀI CHÍNH\nSố: 12/STC-NS\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n{line}\n{BODY}"
    frame = _frame(text)
    assert frame.date == date
    assert normalize(text).norm[frame.body_start:].startswith("Sở đề nghị")  # the date line is frame


@pytest.mark.parametrize("header,agency", [
    ("UBND THÀNH PHỐ HẢI PHÒNG\nSỞ LAO ĐỘNG - THƯƠNG BINH\nVÀ XÃ HỘI", "Sở Lao động - Thương binh và Xã hội"),
    ("ỦY BAN NHÂN DÂN\nHUYỆN BÌNH CHÁNH", "UBND huyện Bình Chánh"),
    ("UBND TỈNH QUẢNG NINH\nCÔNG AN TỈNH", "Công an tỉnh Quảng Ninh"),
    ("UBND TỈNH NGHỆ AN\nBAN QLDA ĐẦU TƯ XÂY DỰNG CÁC CÔNG TRÌNH\nDÂN DỤNG VÀ CÔNG NGHIỆP",
     "Ban QLDA đầu tư xây dựng các công trình dân dụng và công nghiệp"),
    ("UBND THÀNH PHỐ ĐÀ NẴNG\nSỞ Y TẾ", "Sở Y tế"),
    ("UBND TỈNH BÌNH DƯƠNG\nBẢO HIỂM XÃ HỘI TỈNH BÌNH DƯƠNG", "Bảo hiểm xã hội tỉnh Bình Dương"),
    ("UBND QUẬN HẢI AN", "UBND quận Hải An"),
])
def test_agency_from_header_lines(header, agency):
    frame = _frame(f"{header}\nSố: 418/BC-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                   f"Độc lập - Tự do - Hạnh phúc\nHải Phòng, ngày 14 tháng 11 năm 2023\nBÁO CÁO\n{BODY}")
    assert frame.agency == agency


def test_titles_sections_and_addressee_are_never_the_agency():
    frame = _frame("UBND TỈNH THANH HÓA\nSỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG\nSố: 719/TTr-STNMT\nTỜ TRÌNH\n"
                   "Kính gửi: UBND tỉnh Thanh Hóa.\nI. SỰ CẦN THIẾT\n" + BODY)
    assert frame.agency == "Sở Tài nguyên và Môi trường" and frame.doc_type == "to_trinh"
    frame = _frame("BÁO CÁO TỰ ĐÁNH GIÁ KẾT QUẢ HOẠT ĐỘNG NĂM 2024\n" + BODY)
    assert frame.agency is None and frame.doc_type == "bao_cao"
    frame = _frame("Kính gửi: ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG\n" + BODY)
    assert frame.agency is None and frame.addressee == "ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG"
    frame = _frame("SỞ KẾ HOẠCH VÀ ĐẦU TƯ\nKẾ HOẠCH\nThực hiện chuyển đổi số năm 2024\n" + BODY)
    assert frame.agency == "Sở Kế hoạch và Đầu tư" and frame.doc_type is None


def test_agency_from_the_number_when_the_header_has_none():
    frame = _frame("Số: 719/TTr-STNMT\nV/v lập đề án quản lý vùng bờ\n" + BODY)
    assert frame.agency == "Sở Tài nguyên và Môi trường" and frame.agency_raw is None
    assert _frame("Số: 45/TTr-UBND\n" + BODY).agency is None


LAYOUT_VARIANTS = """SỞ Y TẾ THÀNH PHỐ ĐÀ NẴNG
TRUNG TÂM KIỂM SOÁT BỆNH TẬT
THÀNH PHỐ
-----o0o-----

Số: 692/BC-KSBT

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
———————————

Đà Nẵng, ngày 15 tháng 11 năm 2024

BÁO CÁO
Tình hình dịch sốt xuất huyết trên địa bàn thành phố
(Kèm theo Bảng số ca mắc theo phường)

Kính gửi:
- Sở Y tế thành phố Đà Nẵng;
- UBND quận Liên Chiểu.

Từ đầu năm đến ngày 10/11/2024, thành phố ghi nhận 1.248 ca mắc, tăng 31% so với cùng kỳ.
Trung tâm sẽ phun hóa chất diệt muỗi tại 14 ổ dịch của quận Liên Chiểu trước ngày 25/11/2024.

Trân trọng./.

Hồ sơ kèm theo: Bảng số ca mắc theo phường.

GIÁM ĐỐC

(Đã ký)

Hà Thị Lan

Nơi nhận :
- Như trên;
- Lưu: VT, KSBT."""


def test_header_rules_subject_under_title_and_closing_are_frame():
    """Layouts seen in exported documents: ornamented or em-dash rules under header lines, the subject in
    sentence case under the title, a multi-line Kính gửi whose last line ends with a period, and the closing
    formula and attachment line above the signer. None of them is body text."""
    doc = parse(LAYOUT_VARIANTS)
    assert doc.sentence_texts == [
        "Từ đầu năm đến ngày 10/11/2024, thành phố ghi nhận 1.248 ca mắc, tăng 31% so với cùng kỳ.",
        "Trung tâm sẽ phun hóa chất diệt muỗi tại 14 ổ dịch của quận Liên Chiểu trước ngày 25/11/2024.",
    ]
    meta = doc.frame.meta()
    assert meta["subject"] == "Tình hình dịch sốt xuất huyết trên địa bàn thành phố"
    assert meta["doc_type"] == "bao_cao" and meta["date"] == "2024-11-15" and meta["number"] == "692/BC-KSBT"
    assert "UBND quận Liên Chiểu" in meta["addressee"]


def test_a_body_sentence_under_the_title_is_not_the_subject():
    doc = parse("BÁO CÁO\nTrong tháng 5, Sở đã kiểm tra 12 công trình.\nSở đề nghị xử lý 3 công trình sai phép.")
    assert doc.sentence_texts[0].startswith("Trong tháng 5")


def test_a_short_body_line_ending_in_a_date_is_not_the_date_line():
    doc = parse("TỜ TRÌNH\nVề việc điều chỉnh dự án\nSở đề nghị bố trí 12 tỷ đồng trước ngày 30/6/2024")
    assert doc.sentence_texts == ["Sở đề nghị bố trí 12 tỷ đồng trước ngày 30/6/2024"]
    assert doc.frame.meta()["subject"] == "điều chỉnh dự án" and doc.frame.meta()["date"] is None
