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
