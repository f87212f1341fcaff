"""Agency names normalise for per-agency statistics: every alias family groups under one canonical name."""
import pytest

from classifier.agencies import SO_DISPLAY_NAMES, agency_from_number, canonical_agency

FAMILIES = {
    "Sở Tài nguyên và Môi trường": ["Sở Tài nguyên và Môi trường", "Sở TN&MT", "Sở TNMT", "STNMT",
                                    "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "Sở Tài nguyên & Môi trường", "Sở TN & MT",
                                    "Sở TN-MT", "TN&MT", "sở tài nguyên và môi trường"],
    "Sở Xây dựng": ["Sở Xây dựng", "SỞ XÂY DỰNG", "SXD", "Sở XD", "sở xây dựng"],
    "Sở Tài chính": ["Sở Tài chính", "SỞ TÀI CHÍNH", "STC", "Sở TC"],
    "Sở Kế hoạch và Đầu tư": ["Sở Kế hoạch và Đầu tư", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "SKHĐT", "SKH&ĐT", "Sở KH&ĐT",
                              "Sở KHĐT", "Sở KH và ĐT", "Sở Kế hoạch & Đầu tư", "SKHDT"],
    "Sở Giao thông vận tải": ["Sở Giao thông vận tải", "SỞ GIAO THÔNG VẬN TẢI", "SGTVT", "Sở GTVT",
                              "Sở Giao thông - Vận tải", "Sở GT-VT"],
    "Sở Y tế": ["Sở Y tế", "SỞ Y TẾ", "SYT", "Sở YT"],
    "Sở Giáo dục và Đào tạo": ["Sở Giáo dục và Đào tạo", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "SGDĐT", "Sở GD&ĐT", "Sở GDĐT",
                               "Sở Giáo dục & Đào tạo"],
    "Sở Lao động - Thương binh và Xã hội": ["Sở Lao động - Thương binh và Xã hội", "Sở Lao động – Thương binh và Xã hội",
                                            "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "SLĐTBXH", "Sở LĐ-TB&XH",
                                            "Sở LĐTBXH", "Sở Lao động Thương binh và Xã hội"],
    "Sở Nội vụ": ["Sở Nội vụ", "SỞ NỘI VỤ", "SNV", "Sở NV"],
    "Sở Tư pháp": ["Sở Tư pháp", "SỞ TƯ PHÁP", "STP", "Sở TP"],
    "Sở Nông nghiệp và Phát triển nông thôn": ["Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT", "SNNPTNT",
                                               "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN", "Sở NN và PTNT"],
    "Sở Công Thương": ["Sở Công Thương", "Sở Công thương", "SỞ CÔNG THƯƠNG", "SCT"],
    "Sở Văn hóa, Thể thao và Du lịch": ["Sở Văn hóa, Thể thao và Du lịch", "Sở VH-TT&DL", "Sở VHTTDL", "SVHTTDL",
                                        "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Sở Văn hóa Thể thao và Du lịch"],
    "Sở Thông tin và Truyền thông": ["Sở Thông tin và Truyền thông", "Sở TT&TT", "STTTT", "Sở TTTT",
                                     "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"],
    "Sở Khoa học và Công nghệ": ["Sở Khoa học và Công nghệ", "Sở KH&CN", "SKHCN", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"],
    "UBND quận Hải An": ["UBND Q. Hải An", "Ủy ban nhân dân quận Hải An", "UBND quận Hải An", "UBND QUẬN HẢI AN",
                         "ỦY BAN NHÂN DÂN QUẬN HẢI AN", "Uỷ ban nhân dân quận Hải An", "UBND Quận Hải An",
                         "UBND Q.Hải An", "ubnd quận hải an"],
    "UBND huyện Thủy Nguyên": ["UBND huyện Thủy Nguyên", "UBND H. Thủy Nguyên", "ỦY BAN NHÂN DÂN HUYỆN THỦY NGUYÊN"],
    "UBND thành phố Hải Phòng": ["UBND thành phố Hải Phòng", "UBND TP. Hải Phòng", "UBND TP Hải Phòng",
                                 "UBND THÀNH PHỐ HẢI PHÒNG", "Ủy ban nhân dân thành phố Hải Phòng"],
    "UBND thị xã Sơn Tây": ["UBND thị xã Sơn Tây", "UBND TX. Sơn Tây", "UBND THỊ XÃ SƠN TÂY"],
}


@pytest.mark.parametrize("canonical,alias", [(c, a) for c, aliases in FAMILIES.items() for a in aliases])
def test_alias_families_group_under_one_name(canonical, alias):
    assert canonical_agency(alias) == canonical


def test_families_stay_apart():
    assert len({canonical_agency(aliases[0]) for aliases in FAMILIES.values()}) == len(FAMILIES)


@pytest.mark.parametrize("raw,canonical", [
    ("Sở Y tế tỉnh Bình Dương", "Sở Y tế tỉnh Bình Dương"),
    ("SỞ Y TẾ TỈNH BÌNH DƯƠNG", "Sở Y tế tỉnh Bình Dương"),
    ("Sở YT tỉnh Bình Dương", "Sở Y tế tỉnh Bình Dương"),
    ("Sở Lao động – Thương binh và Xã hội tỉnh Nghệ An", "Sở Lao động - Thương binh và Xã hội tỉnh Nghệ An"),
    ("Sở Tài chính TP. HCM", "Sở Tài chính thành phố HCM"),
    ("UBND phường Hòa Khánh Bắc, quận Liên Chiểu", "UBND phường Hòa Khánh Bắc, quận Liên Chiểu"),
])
def test_a_sos_province_is_kept(raw, canonical):
    """Sở of different provinces are different agencies; the Sở part is still canonical."""
    assert canonical_agency(raw) == canonical


@pytest.mark.parametrize("raw,canonical", [
    ("BẢO HIỂM XÃ HỘI TỈNH BÌNH DƯƠNG", "Bảo hiểm xã hội tỉnh Bình Dương"),
    ("TRUNG TÂM Y TẾ HUYỆN TIÊN LÃNG", "Trung tâm y tế huyện Tiên Lãng"),
    ("BAN QUẢN LÝ DỰ ÁN ĐẦU TƯ XÂY DỰNG HUYỆN THỦY NGUYÊN", "Ban quản lý dự án đầu tư xây dựng huyện Thủy Nguyên"),
    ("Trung tâm Phát triển quỹ đất", "Trung tâm Phát triển quỹ đất"),
    ("Xây dựng", "Xây dựng"),  # one word of a Sở's name alone is not the Sở
    ("Công ty TNHH Xây dựng Hoàng Long", "Công ty TNHH Xây dựng Hoàng Long"),
])
def test_other_agencies_keep_their_name(raw, canonical):
    assert canonical_agency(raw) == canonical


@pytest.mark.parametrize("value", [None, "", "   ", " : "])
def test_empty_is_none(value):
    assert canonical_agency(value) is None


@pytest.mark.parametrize("number,agency", [
    ("215/BC-STNMT", "Sở Tài nguyên và Môi trường"),
    ("718/BC-TNMT", "Sở Tài nguyên và Môi trường"),
    ("1023/STC-NS", "Sở Tài chính"),
    ("12/CV-SKHĐT", "Sở Kế hoạch và Đầu tư"),
    ("418/BC-SLĐTBXH", "Sở Lao động - Thương binh và Xã hội"),
    ("33/SYT-NVY", "Sở Y tế"),
    ("215/BC-SXD", "Sở Xây dựng"),
    ("45/TTr-UBND", None),
    ("4512/UBND-XD", None),  # the city's UBND, its construction office: not Sở Xây dựng
    ("1025/CAT-PC08", None),
    (None, None),
])
def test_agency_from_the_number(number, agency):
    assert agency_from_number(number) == agency


def test_display_names_are_written_as_in_running_text():
    names = {n for spellings in SO_DISPLAY_NAMES.values() for n in spellings}
    assert {"Sở TN&MT", "Sở TNMT", "Sở KH&ĐT", "Sở KHĐT", "Sở GD&ĐT", "Sở LĐ-TB&XH", "Sở NN&PTNT", "Sở VH-TT&DL",
            "Sở TT&TT", "Sở KH&CN", "Sở GTVT"} <= names
    for canonical, spellings in SO_DISPLAY_NAMES.items():
        assert all(canonical_agency(s) == canonical for s in spellings)
