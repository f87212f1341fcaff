import unicodedata

from hypothesis import given, settings, strategies as st

from classifier.text import normalize

VI = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"


def test_nfd_input_becomes_nfc_and_maps_back():
    raw = unicodedata.normalize("NFD", "Sở Xây dựng đề nghị UBND thành phố")
    text = normalize(raw)
    assert text.norm == "Sở Xây dựng đề nghị UBND thành phố"
    start = text.norm.index("đề nghị")
    s, e = text.to_original(start, start + len("đề nghị"))
    assert raw[s:e] == unicodedata.normalize("NFD", "đề nghị")


def test_old_tone_placement_is_unified_without_moving_offsets():
    text = normalize("Thuỷ lợi hoà bình, sức khoẻ, quý, hoàn thành, Hoà")
    assert text.norm == "Thủy lợi hòa bình, sức khỏe, quý, hoàn thành, Hòa"
    assert len(text.norm) == len(text.original)


def test_whitespace_crlf_and_bullets():
    raw = "Dòng  một\t\tcó   khoảng trắng  \r\n• mục một\r\n\u00a0 - mục hai\u200b"
    text = normalize(raw)
    assert text.norm == "Dòng một có khoảng trắng\n- mục một\n- mục hai"
    k = text.norm.index("mục hai")
    s, e = text.to_original(k, k + 7)
    assert raw[s:e] == "mục hai"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(VI + VI.upper() + " \t\r\n.,;:-•\u0300\u0301\u0309\u0303\u0323\u00a0\u200b0123456789")), max_size=300))
def test_any_input_maps_every_span_inside_the_original(raw):
    text = normalize(raw)
    n = len(text.norm)
    assert len(text.starts) == n == len(text.ends)
    for i in range(n):
        s, e = text.to_original(i, i + 1)
        assert 0 <= s < e <= len(raw)
    for a in range(0, n + 1, 7):
        for b in range(a, n + 1, 11):
            s, e = text.to_original(a, b)
            assert 0 <= s <= e <= len(raw)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_unicode_never_crashes(raw):
    text = normalize(raw)
    for i in range(len(text.norm)):
        s, e = text.to_original(i, i + 1)
        assert 0 <= s < e <= len(raw)
