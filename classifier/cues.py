"""Specificity and stance cues of one sentence: the concepts of the labeling guide.

Each cue is a named regular expression counted in a sentence. They are the
features that carry the guide's concepts across writers and domains
(figures, dates, time frames, named units and objects, legal bases, amounts;
generic evaluations, unnamed actors, deferral, hedging, relayed opinions,
stance and commitment shapes). The same counts say what a vague sentence is
``missing`` (see :func:`missing_anchors`), so the explanation and the score
come from one place.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

import numpy as np

_W = r"[\wÀ-ỹ]"  # a letter of a Vietnamese syllable
_UP = r"[A-ZĐÀ-ỸÂĂÊÔƠƯ]"

# name -> pattern; compiled case-insensitively unless the name ends with "_cased"
CUE_PATTERNS: dict[str, str] = {
    # --- specificity anchors
    "number": r"(?<![\w/.,])\d+(?:[.,]\d+)*(?![\w/])",
    "quantity": r"\d+(?:[.,]\d+)*\s*(?:%|ha\b|m2|m²|m3|m³|km\b|m\b|tấn|tỷ|triệu|nghìn|ngàn|đồng|hộ\b|người|"
                r"lượt|trường|căn|lô\b|thửa|cơ sở|doanh nghiệp|hồ sơ|dự án|công trình|xã\b|phường|"
                r"giường|học sinh|sinh viên|lao động|cán bộ|giảng viên|tiết|tín chỉ|phòng|xe\b|km2)",
    "date": r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}|tháng\s+\d{1,2}(?:/\d{4}|\s+năm\s+\d{4})"
            r"|\bnăm\s+(?:19|20)\d{2}\b|\b(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}\b|quý\s+(?:i{1,3}|iv|[1-4])\b",
    "time_frame": r"\btrước\s+(?:ngày\s+)?\d|\bchậm nhất\b|\btrong\s+(?:thời hạn|vòng|thời gian)\s+\d+|\bkể từ\b"
                  r"|\bđến hết\b|\bhết\s+(?:quý|tháng|năm)\b|\btrong\s+(?:quý|tháng|năm|học kỳ|tuần)\s+\w+"
                  r"|\bngay trong\b|\btừ\s+(?:năm học|học kỳ|năm|tháng|quý|ngày)\s+\w+|\bđến\s+(?:ngày|tháng|năm|quý)\s+\w+"
                  r"|\b\d+\s+ngày làm việc\b|\bhằng\s+(?:tháng|quý|năm|tuần)\b|\bđịnh kỳ\b|\bnăm học\s+\d{4}",
    "legal_ref": r"\b(?:luật|nghị định|thông tư|quyết định|nghị quyết|chỉ thị|công văn|văn bản|kế hoạch|thông báo|tờ trình|"
                 r"báo cáo)\s+(?:số\s+)?\d|\d+/\d{4}/[\wĐđ-]+|\d+/[A-ZĐ]{1,6}-[\wĐđ]+|\bđiều\s+\d+|\bkhoản\s+\d+"
                 r"|\bđiểm\s+[a-zđ]\s+khoản",
    "amount": r"\d+(?:[.,]\d+)*\s*(?:tỷ|triệu|nghìn|ngàn)?\s*(?:đồng|vnđ|usd)\b",
    "object_ref": r"\bthửa(?:\s+đất)?\s+số\b|\btờ bản đồ\b|\bgói thầu\b|\blô\s+\w*\d|\bsố\s+\d+|\bmã\s+\w*\d"
                  r"|\bdanh sách\b|\bphụ lục\b|\bbiểu\s+(?:số|mẫu)\b|\btuyến\s+(?:đường|phố)\s+" + _W,
    "named_unit_cased": r"\b(?:UBND|Ủy ban nhân dân|HĐND|Sở|Ban|Phòng|Trung tâm|Công ty|Cục|Chi cục|Bệnh viện|Trường|Khoa|"
                        r"Bộ môn|Viện|Hội đồng|Đoàn|Tổ|Văn phòng|Kho bạc|Quỹ|BQL|BHXH|Công an|Thanh tra)\s+"
                        r"(?:\w+\s+){0,3}?(?:" + _UP + r"[\wÀ-ỹ]*|X\b|\d)",
    "proper_cased": r"(?<=[\wÀ-ỹ,] )" + _UP + r"[a-zà-ỹđ]+(?:\s+" + _UP + r"[a-zà-ỹđ]+)+",
    "quoted": r"[\"“][^\"”]{3,80}[\"”]",
    "parenthetical": r"\([^)]{3,80}\)",
    "latin_term_cased": r"\b(?:[A-Z]{2,}[A-Za-z0-9]*|[A-Z][a-z]+[A-Z]\w*|[A-Za-z]*[0-9]+[A-Za-z]+\w*)\b"
                        r"|\b(?:Google|Facebook|Zalo|email|website|Excel|Word|Form|online|app|QR)\b",
    "system_object": r"phần mềm|hệ thống (?:thông tin|quản lý|phần mềm|camera|xử lý|thoát nước|điện)|chức năng|cơ sở dữ liệu|"
                     r"cổng (?:thông tin|dịch vụ)|biểu mẫu|mẫu (?:phiếu|số)|phiếu khảo sát|sổ (?:sách|theo dõi)|"
                     r"tuyến (?:đường|phố|ống|xe)|nút giao|trạm (?:bơm|biến áp|xử lý|y tế)|nhà [A-Z]\b|tầng \d|"
                     r"phòng (?:học|thí nghiệm|thực hành|máy)|thửa|lô|khu (?:đất|dân cư|công nghiệp|đô thị)|cầu [A-ZĐ]",
    # --- generic substance
    "stock_eval": r"cơ bản|bước đầu|chuyển biến|tích cực|nhất định|tồn tại,? hạn chế|hạn chế,? tồn tại|chưa đáp ứng|"
                  r"đáp ứng (?:được )?yêu cầu|khá tốt|tương đối|kịp thời|nghiêm túc|hiệu quả|đạt kết quả|kết quả tốt|"
                  r"đúng quy định|theo quy định|ổn định|thuận lợi|khó khăn|vướng mắc|bất cập|còn chậm|chưa cao|"
                  r"chưa đồng bộ|chưa quyết liệt|chưa thường xuyên|đảm bảo|bảo đảm|phù hợp với tình hình|"
                  r"góp phần|đáng kể|rõ rệt|ngày càng|nhiều mặt|đa dạng|thường xuyên",
    "intensifier": r"\brất\b|\bluôn\b|hết sức|đa số|phần lớn|hài lòng|đầy đủ|rõ ràng|minh bạch|\bkhá\b|\btốt\b|"
                   r"mạnh mẽ|bổ ích|hơn nữa|sâu rộng|toàn diện|đồng bộ|chuyên nghiệp|hiện đại|nhanh chóng|"
                   r"công khai|khách quan|công bằng|chính xác|hợp lý|đúng đắn|sâu sắc|thiết thực|hiệu quả cao|"
                   r"được quan tâm|tạo điều kiện|chú trọng|đạt yêu cầu|nghiêm túc",
    "generic_cause": r"nhiều nguyên nhân|khách quan|chủ quan|khối lượng công việc|cơ chế, chính sách|"
                     r"do vướng mắc|điều kiện thực tế|tình hình thực tế|nguồn lực còn hạn chế|chưa được quan tâm",
    "generic_actor": r"các (?:đơn vị|cơ quan|ngành|cấp|địa phương|sở, ngành|phòng, ban|bộ phận|tổ chức|cá nhân|bên)"
                     r"(?: có)?(?: liên quan| chức năng| có thẩm quyền)?|một số|một bộ phận|nhiều|các nội dung|"
                     r"các vướng mắc|các dự án|các hộ|các công trình|các chương trình|các hoạt động|các giải pháp|"
                     r"các nhiệm vụ|các bước|những nội dung|những",
    "generic_action": r"tăng cường|đẩy mạnh|quan tâm|quyết liệt|chặt chẽ|nâng cao|tiếp tục|tháo gỡ|triển khai thực hiện|"
                      r"tổ chức thực hiện|duy trì|phát huy|chú trọng|đôn đốc|rà soát|khắc phục|hoàn thiện|cải thiện|"
                      r"tập trung|kiện toàn|củng cố|tuyên truyền|nâng cấp|phối hợp",
    "future": r"\bsẽ\b|dự kiến|thời gian tới|sắp tới|năm tới|tiếp theo|kế hoạch|trong năm \d|giai đoạn tới|"
              r"từ nay đến|định hướng|phấn đấu",
    # --- proposals
    "request": r"đề nghị|kiến nghị|đề xuất|kính đề nghị|xin\b|kính trình|trình\b|mong",
    "decision_verb": r"\bgiao\b|bố trí|phê duyệt|gia hạn|điều chỉnh|bổ sung|cho phép|chấp thuận|ban hành|thành lập|"
                     r"thu hồi|cấp phát|cấp\b|phân bổ|tạm ứng|hỗ trợ|thanh toán|sửa đổi|bãi bỏ|dừng|tạm dừng|"
                     r"xử lý|cưỡng chế|kiểm đếm|bàn giao|quyết toán|chuyển|sáp nhập|xây dựng|lắp đặt|tuyển dụng|"
                     r"mở|đầu tư|mua sắm|tổ chức|thực hiện|hoàn thành|hoàn thiện|chủ trì|trình\b",
    "responsibility": r"\bchủ trì\b|\bphối hợp với\b|\bgiao cho\b|\bchịu trách nhiệm\b|\bđầu mối\b|\bgiao\s+(?:sở|ubnd|ban|phòng|trung tâm|công ty|khoa)",
    # --- position
    "stance": r"thống nhất|đồng ý|nhất trí|\bphù hợp\b|đủ điều kiện|khả thi|có cơ sở|đúng quy định|trái quy định|"
              r"chấp thuận|chấp nhận|tán thành|ủng hộ|hợp lý|cần thiết|đề xuất phương án|lựa chọn|chọn phương án|"
              r"ưu tiên|kiến nghị giữ|giữ nguyên|không nên|nên\b",
    "negation": r"\bkhông\b|\bchưa\b|\bkhông thể\b|\bthiếu\b",
    "judgement": r"\bquá (?:thấp|cao|lớn|nhỏ|ngắn|dài|chậm|tải)|vượt (?:quá )?(?:khả năng|chỉ tiêu|mức|quy chuẩn|thẩm quyền)|"
                 r"(?:chưa|không) tương xứng|trái (?:với|quy định|pháp luật)|\bsai\b|bất hợp lý|không hợp lý|"
                 r"(?:không|chưa) (?:thể|nên|được phép|cần|đủ|bảo đảm|đảm bảo|đáp ứng|phù hợp)|\bphải\b|\bcần\b|"
                 r"đáp ứng được|lãng phí|rủi ro|thiệt hại|gây (?:khó khăn|ảnh hưởng|lãng phí|mất)|"
                 r"\b(?:là|được xem là|được coi là) (?:cần thiết|hợp lý|đúng|sai|phù hợp|không phù hợp|khả thi|tối ưu|"
                 r"chưa đủ|đủ|có cơ sở|không có cơ sở|trái|vi phạm|vượt)|nguyên nhân (?:chính )?(?:là|do)|"
                 r"thuộc trường hợp|không thuộc trường hợp|đủ điều kiện|chưa đủ điều kiện|không đủ điều kiện|"
                 r"hiệu quả hơn|tốt hơn|thấp hơn|cao hơn|ít tốn kém|tiết kiệm hơn|ưu điểm|nhược điểm",
    "assessment": r"nhận thấy|đánh giá|xét thấy|kết luận|cho thấy|khẳng định|xác định|qua (?:rà soát|kiểm tra|thẩm định|xem xét)|"
                  r"theo (?:quan điểm|ý kiến) của (?:sở|ban|ubnd|chúng tôi)|là (?:không )?(?:phù hợp|cần thiết|hợp lý|đúng)|"
                  r"vì vậy|do đó|vì\b|bởi|do\b",
    "own_subject_cased": r"^(?:[-+•]\s*)?(?:[\wÀ-ỹ]+(?:\s+[\wÀ-ỹ]+){0,3},\s*)?(?:CQBH|Sở|Ban|UBND quận|UBND huyện|UBND thị xã|"
                         r"Chúng tôi|Đơn vị|Cơ quan|Phòng|Trung tâm|Khoa|Nhà trường|Bệnh viện|Ban quản lý)(?!\s+[A-ZĐ])\b"
                         r"|[Qq]uan điểm của CQBH|CQBH",
    "other_subject_cased": r"^(?:[-+•]\s*)?(?:[\wÀ-ỹ]+(?:\s+[\wÀ-ỹ]+)?,\s*)?(?:Sở|UBND|Ủy ban nhân dân|Ban|Công ty|Hội đồng|Bộ|"
                           r"Cục|Tòa án|Viện|Công an|Kho bạc|Trung tâm|Bệnh viện|Liên đoàn|Hiệp hội|Nhà đầu tư|Nhà thầu|"
                           r"Ông|Bà|Đoàn|Thanh tra|Chủ đầu tư|Các|Người dân|Hộ)\s+(?:(?:quận|huyện|thị xã|thành phố|tỉnh|"
                           r"phường|xã)\s+)?[A-ZĐa-zđ]|^(?:theo|tại) (?:ý kiến|văn bản|công văn|biên bản|báo cáo)",
    "relayed": r"theo ý kiến (?:của )?|theo đề nghị của|theo báo cáo của|ý kiến của|phản ánh|"
               r"theo (?:công văn|văn bản|tờ trình|biên bản) (?:số \S+ )?(?:của)?|có ý kiến (?:rằng|là)|cho biết|xác nhận|"
               r"khẳng định rằng|tại cuộc họp|tại buổi làm việc",
    "relayed_subject_cased": r"\b(?:Sở|UBND|Ủy ban nhân dân|Công ty|Hội đồng|Bộ|Cục|Chi cục|Tòa án|Viện|Công an|Kho bạc|"
                             r"Trung tâm|Bệnh viện|Ban|Thanh tra|Nhà đầu tư|Nhà thầu|Chủ đầu tư|Tư vấn|Đoàn|Hiệp hội)\s+"
                             r"(?:(?:quận|huyện|thị xã|thành phố|tỉnh|phường|xã)\s+)?[A-ZĐ][\wÀ-ỹ]*(?:\s+[\wÀ-ỹ&-]+){0,6}?"
                             r"\s+(?:cho rằng|đề nghị|đề xuất|kiến nghị|thống nhất|đồng ý|không đồng ý|nhất trí|cho biết|"
                             r"phản ánh|xác nhận|đánh giá|nhận định|yêu cầu|muốn)"
                             r"|\b(?:[Cc]ác|[Nn]hiều|\d+)\s+(?:hộ|hộ dân|người|thành viên|doanh nghiệp|ý kiến|cơ sở|đại biểu|cử tri)"
                             r"\s+(?:[\wÀ-ỹ]+\s+){0,4}?(?:cho rằng|đề nghị|không đồng ý|đồng ý|yêu cầu|phản ánh|muốn)",
    "deferral": r"xem xét,? (?:quyết định|chỉ đạo|giải quyết)|cho ý kiến|ý kiến chỉ đạo|xin ý kiến|quan tâm,? (?:chỉ đạo|xem xét|hỗ trợ)|"
                r"theo thẩm quyền|để (?:xem xét|chỉ đạo)|kính trình|báo cáo (?:ubnd|ủy ban)[\w\sÀ-ỹ]{0,30}(?:xem xét|biết)|"
                r"xem xét\.?$|có ý kiến",
    "hedge": r"có thể|tùy (?:tình hình|điều kiện|theo)|cần (?:được )?nghiên cứu|nghiên cứu thêm|cân nhắc|chưa có cơ sở|"
             r"chưa đủ cơ sở để|nếu|trường hợp|tạm thời|về cơ bản|tương đối|cần thêm thời gian|chưa thể",
    "platitude": r"luôn (?:ủng hộ|quan tâm|sẵn sàng)|chủ trương đúng đắn|hết sức cần thiết|có ý nghĩa quan trọng|"
                 r"tinh thần trách nhiệm|quyết tâm cao|nỗ lực|cố gắng",
    "past": r"\bđã\b|vừa qua|thời gian qua|trước đây|đã từng|năm qua",  # "được" is passive, not past
    "ritual": r"trân trọng|kính báo cáo|báo cáo như sau|đề nghị (?:ubnd|ủy ban)[\w\sÀ-ỹ.]{0,30} xem xét|./\.|\.\/\.",
}

CUE_NAMES: tuple[str, ...] = tuple(CUE_PATTERNS)


def _alternatives(pattern: str) -> list[str]:
    """Split a pattern at its top-level '|' (outside groups, classes and escapes)."""
    out, depth, in_class, start, i = [], 0, False, 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


_LITERAL = re.compile(r"^[a-zà-ỹđ]+(?: [a-zà-ỹđ]+)*$")
_MAX_EXPANSIONS = 400


def _expand(alternative: str) -> list[str] | None:
    """The finite set of phrases an alternative matches, if it is built only from letters, spaces, commas,
    ``\\b``, ``(?:a|b)`` groups and ``?``; None otherwise (it stays a regular expression)."""

    def seq(i: int, stop: str) -> tuple[list[str], int] | None:
        options = [""]
        while i < len(alternative) and alternative[i] not in stop:
            c = alternative[i]
            if alternative.startswith("\\b", i):
                i += 2
                continue
            if alternative.startswith("(?:", i):
                inner = alt(i + 3)
                if inner is None:
                    return None
                choices, i = inner
                i += 1  # past ")"
            elif c.isalpha() or c in " ,":
                choices, i = [c], i + 1
            else:
                return None
            if i < len(alternative) and alternative[i] == "?":
                choices, i = choices + [""], i + 1
            options = [o + x for o in options for x in choices]
            if len(options) > _MAX_EXPANSIONS:
                return None
        return options, i

    def alt(i: int) -> tuple[list[str], int] | None:
        found: list[str] = []
        while True:
            part = seq(i, "|)")
            if part is None:
                return None
            options, i = part
            found += options
            if i < len(alternative) and alternative[i] == "|":
                i += 1
                continue
            return found, i

    result = alt(0)
    if result is None or result[1] != len(alternative):
        return None
    phrases = [" ".join(p.replace(",", " ").split()) for p in result[0]]
    return phrases if all(_LITERAL.match(p) for p in phrases) else None
_WORD = re.compile(r"[^\W\d_]+")


def _first_chars(items: list) -> tuple[list[str] | None, bool]:
    """Character-class pieces that can begin a match of the parsed ``items``, and whether they can match empty.

    None when the start cannot be bounded (a negated class, a category other than \\d, \\w, \\s, ...).
    Zero-width items (``\\b``, ``^``, look-arounds) are passed over.
    """
    from re import _constants as c  # the parser's op codes; a private module, hence the fallback in _guarded

    categories = {c.CATEGORY_DIGIT: r"\d", c.CATEGORY_WORD: r"\w", c.CATEGORY_SPACE: r"\s"}
    pieces: list[str] = []
    for op, av in items:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue
        if op is c.LITERAL:
            return pieces + [re.escape(chr(av))], False
        if op is c.IN:
            for inner, value in av:
                if inner is c.LITERAL:
                    pieces.append(re.escape(chr(value)))
                elif inner is c.RANGE:
                    pieces.append(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
                elif inner is c.CATEGORY and value in categories:
                    pieces.append(categories[value])
                else:
                    return None, False
            return pieces, False
        if op is c.SUBPATTERN:
            branches, least = [av[-1]], 1
        elif op is c.BRANCH:
            branches, least = av[1], 1
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            branches, least = [av[2]], av[0]
        else:
            return None, False
        can_be_empty = least == 0
        for branch in branches:
            sub, empty = _first_chars(list(branch))
            if sub is None:
                return None, False
            pieces += sub
            can_be_empty |= empty
        if not can_be_empty:
            return pieces, False
    return pieces, True


def _guarded(pattern: str) -> str:
    """``pattern`` behind a look-ahead for the characters its matches can begin with, when it begins with ``\\b``.

    ``re`` skips quickly to a possible first character only when a pattern starts with a literal or a class;
    behind a leading ``\\b`` it tries every position in full. The look-ahead admits every character a match can
    begin with, so the matches are exactly the same (tests/test_cues.py); on real report lines the patterns
    that begin with ``\\b`` ran about 40% faster, and cue counting is the largest part of scoring time.
    """
    if not any(a.startswith("\\b") for a in _alternatives(pattern)):
        return pattern
    try:
        from re import _parser

        pieces, empty = _first_chars(list(_parser.parse(pattern, re.M)))
    except (ImportError, AttributeError, re.error):
        return pattern
    if pieces is None or empty:
        return pattern
    return f"(?=[{''.join(dict.fromkeys(pieces))}])(?:{pattern})"


@lru_cache(maxsize=1)
def _compiled() -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]], tuple[tuple[int, re.Pattern, bool], ...]]:
    """How each cue is counted: literal phrases by a dictionary look-up over the sentence's words (most of
    the lexicons, and many times faster than a regular expression alternation), the rest by a regular
    expression. Case-insensitive cues read the lower-cased sentence."""
    phrases: dict[str, list[int]] = {}
    regexes = []
    for index, (name, pattern) in enumerate(CUE_PATTERNS.items()):
        cased = name.endswith("_cased")
        rest = []
        for alternative in ([pattern] if cased else _alternatives(pattern)):
            expanded = None if cased else _expand(alternative)
            if expanded:
                for phrase in set(expanded):
                    phrases.setdefault(phrase, []).append(index)
            else:
                rest.append(alternative)
        if rest:
            residual = "|".join(rest)
            if not cased:
                residual = residual.replace("[A-ZĐ]", "[a-zđ]").replace("[A-Z]", "[a-z]")
            regexes.append((index, re.compile(_guarded(residual), re.M), cased))
    lengths: dict[str, set[int]] = {}
    for phrase in phrases:
        words = phrase.split()
        lengths.setdefault(words[0], set()).add(len(words))
    starts = {w: tuple(sorted(n)) for w, n in lengths.items()}
    return {k: tuple(v) for k, v in phrases.items()}, starts, tuple(regexes)


def _counts(sentence: str) -> list[int]:
    phrases, starts, regexes = _compiled()
    counts = [0] * len(CUE_PATTERNS)
    lower = sentence.lower()
    words = _WORD.findall(lower)
    for i, word in enumerate(words):
        for n in starts.get(word, ()):  # only lengths of phrases that begin with this word
            if i + n > len(words):
                break
            hit = phrases.get(" ".join(words[i:i + n])) if n > 1 else phrases.get(word)
            if hit:
                for index in hit:
                    counts[index] += 1
    for index, rx, cased in regexes:
        counts[index] += len(rx.findall(sentence if cased else lower))
    return counts


def cue_counts(sentence: str) -> dict[str, int]:
    """How often each cue occurs in ``sentence``."""
    return dict(zip(CUE_NAMES, _counts(sentence)))


def cue_matrix(sentences: list[str]) -> np.ndarray:
    """Rows of cue counts plus shape features, one row per sentence."""
    rows = [(counts := _counts(sentence)) + _derived(dict(zip(CUE_NAMES, counts)), sentence)
            for sentence in sentences]
    return np.array(rows, dtype=np.float32).reshape(len(sentences), len(CUE_NAMES) + len(_DERIVED))


_DERIVED = ("anchors", "anchor_kinds", "no_anchor", "request_with_anchor", "request_without_anchor",
            "commit_with_anchor", "stance_owned", "stance_relayed", "anchor_density",
            "stance_by_issuer", "stance_by_other", "generic_density", "generic_minus_anchors")

ANCHOR_CUES = ("quantity", "date", "time_frame", "legal_ref", "amount", "object_ref", "named_unit_cased",
               "proper_cased", "number", "latin_term_cased", "system_object", "parenthetical")


GENERIC_CUES = ("stock_eval", "generic_action", "generic_actor", "intensifier", "generic_cause", "platitude")


def _derived(c: dict[str, int], sentence: str) -> list[float]:
    anchors = sum(c[k] for k in ANCHOR_CUES)
    kinds = sum(1 for k in ANCHOR_CUES if c[k])
    words = max(1, len(sentence.split()))
    generic = sum(c[k] for k in GENERIC_CUES)
    request = c["request"] + c["decision_verb"] > 0
    committed = c["future"] > 0 and c["decision_verb"] > 0
    return [
        math.log1p(anchors), kinds, float(anchors == 0),
        float(request and kinds > 0), float(request and kinds == 0),
        float(committed and kinds > 0),
        float(c["stance"] > 0 and c["relayed"] + c["relayed_subject_cased"] == 0),
        float(c["stance"] > 0 and c["relayed"] + c["relayed_subject_cased"] > 0),
        anchors / words,
        float((c["stance"] + c["assessment"] + c["judgement"]) > 0 and c["own_subject_cased"] > 0),
        float((c["stance"] + c["assessment"] + c["judgement"]) > 0 and c["own_subject_cased"] == 0
              and c["other_subject_cased"] + c["relayed_subject_cased"] > 0),
        10.0 * generic / words, 10.0 * generic / words - math.log1p(anchors),
    ]


FEATURE_NAMES: tuple[str, ...] = CUE_NAMES + _DERIVED

# What a reviewer asks for when a sentence is generic; each maps to the cues that would satisfy it.
_MISSING = (
    ("số liệu", ("quantity", "amount", "number")),
    ("thời hạn", ("time_frame", "date")),
    ("đơn vị chịu trách nhiệm", ("named_unit_cased", "responsibility")),
    ("đối tượng cụ thể", ("object_ref", "proper_cased", "quoted", "named_unit_cased", "latin_term_cased",
                          "system_object")),
    ("căn cứ pháp lý", ("legal_ref",)),
)


_LEGAL_CLAIM = re.compile(r"quy định|pháp luật|thẩm quyền|hướng dẫn|chế độ|chính sách|điều kiện", re.I)


def missing_anchors(sentence: str, counts: np.ndarray | None = None) -> list[str]:
    """The kinds of specifics a reviewer would ask this sentence for (Vietnamese labels).

    ``counts`` is the sentence's row of :func:`cue_matrix` when the caller has it (no second pass).
    The legal basis is asked for only where the sentence invokes rules without naming them.
    """
    c = cue_counts(sentence) if counts is None else dict(zip(CUE_NAMES, counts[: len(CUE_NAMES)]))
    out = [label for label, keys in _MISSING if not any(c[k] for k in keys)]
    if "căn cứ pháp lý" in out and not _LEGAL_CLAIM.search(sentence):
        out.remove("căn cứ pháp lý")
    return out
