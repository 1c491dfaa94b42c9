"""Legacy Vietnamese encodings: TCVN3 (ABC), VNI, Windows-1258, UTF-16, and their detection."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from corpus import encodings as enc
from corpus.encodings import DecodeError, decode_bytes, repair_legacy

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "corpus" / "samples").glob("*.txt"))


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


# TCVN3 as it shows when a program reads it as Windows-1252 -> Unicode.
@pytest.mark.parametrize("mojibake, unicode", [
    ("Ch\xad¬ng tr×nh", "Chương trình"),
    ("Ch\xad\xa5ng tr×nh", "Chương trình"),          # Ơ code between lowercase letters
    ("Uû ban nh©n d©n tØnh Lai Ch©u", "Uỷ ban nhân dân tỉnh Lai Châu"),
    ("gi¶m nghÌo bÒn v÷ng", "giảm nghèo bền vững"),
    ("Thñ t\xadíng ChÝnh phñ", "Thủ tướng Chính phủ"),
    ("Hç trî ®Çu t\xad ph¸t triÓn h¹ tÇng kinh tÕ - x· héi c¸c huyÖn nghÌo",
     "Hỗ trợ đầu tư phát triển hạ tầng kinh tế - xã hội các huyện nghèo"),
    ("§¶ng bé tØnh", "Đảng bộ tỉnh"),
    ("¦u tiªn", "Ưu tiên"),
    # headings typed in an all-caps H font (.VnTimeH) use the lowercase codes
    ("KÕ HO¹CH", "KẾ HOẠCH"),
    ("I. MôC §ÝCH, Y£U CÇU", "I. MỤC ĐÍCH, YÊU CẦU"),
    ("Sè: 343/KH-UBND", "Số: 343/KH-UBND"),           # abbreviations do not make a caps line
])
def test_tcvn3_to_unicode(mojibake, unicode):
    assert enc.tcvn3_to_unicode(mojibake) == unicode


@pytest.mark.parametrize("mojibake, unicode", [
    ("Xin chaøo caùc baïn", "Xin chào các bạn"),
    ("Chöông trình muïc tieâu quoác gia giaûm ngheøo beàn vöõng",
     "Chương trình mục tiêu quốc gia giảm nghèo bền vững"),
    ("UÛY BAN NHAÂN DAÂN TÆNH", "ỦY BAN NHÂN DÂN TỈNH"),
    ("Ñaûng boä tænh", "Đảng bộ tỉnh"),
    ("Thuû töôùng Chính phuû", "Thủ tướng Chính phủ"),
    ("naêm 2023, vôùi caùc noäi dung sau", "năm 2023, với các nội dung sau"),
    ("Hoã trôï nhaø ôû", "Hỗ trợ nhà ở"),
    ("kyõ thuaät, ñòa baøn, tyû ñoàng", "kỹ thuật, địa bàn, tỷ đồng"),
])
def test_vni_to_unicode(mojibake, unicode):
    assert enc.vni_to_unicode(mojibake) == unicode


@pytest.mark.parametrize("text", [
    "Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ",
    "Ủy ban nhân dân huyện Phong Thổ ban hành Kế hoạch thực hiện Chương trình mục tiêu quốc "
    "gia giảm nghèo bền vững năm 2023, với các nội dung sau:",
    "b) Đối tượng: Gồm 02 huyện nghèo Tuy Đức và Đắk Glong.",
    "VỀ VIỆC TRIỂN KHAI THỰC HIỆN DỰ ÁN 7 - NÂNG CAO NĂNG LỰC VÀ GIÁM SÁT, ĐÁNH GIÁ",
])
def test_vni_and_cp1258_round_trip(text):
    assert enc.decode_vni(enc.encode_vni(text)) == text
    assert enc.decode_cp1258(enc.encode_cp1258(text)) == text


@pytest.mark.parametrize("text", [
    "Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ",
    "b) Đối tượng: Gồm 02 huyện nghèo Tuy Đức và Đắk Glong.",
    "- Thời gian hoàn thành: Quý IV/2023.",
])
def test_tcvn3_round_trip(text):
    assert enc.decode_tcvn3(enc.encode_tcvn3(text)) == text


def test_tcvn3_table_is_the_standard_one():
    # TCVN 5712:1993: 0xA1-0xA7 capitals, 0xA8-0xAE small letters, tones from 0xB5.
    assert enc.decode_tcvn3(bytes(range(0xA1, 0xAF))) == "ĂÂÊÔƠƯĐăâêôơưđ"
    assert enc.decode_tcvn3(bytes([0xB5, 0xB8, 0xB6, 0xB7, 0xB9])) == "àáảãạ"
    assert enc.decode_tcvn3(bytes([0xFA, 0xFD, 0xFB, 0xFC, 0xFE])) == "ỳýỷỹỵ"


def test_cp1258_decomposed_tones_become_nfc():
    # Windows-1258 writes "ế" as ê (0xEA) + combining acute (0xEC).
    data = "Kê\u0301 hoa\u0323ch".encode("cp1258")
    assert data == b"K\xea\xec hoa\xf2ch"
    assert enc.decode_cp1258(data) == "Kế hoạch"


@pytest.mark.parametrize("word, ok", [
    ("quốc", True), ("được", True), ("khuyến", True), ("nghiêng", True), ("giảm", True),
    ("tỉnh", True), ("hoà", True), ("thuỷ", True), ("Đắk", True), ("xã", True),
    ("các", True), ("càc", False), ("cac", False),    # stop finals take sắc or nặng only
    ("chưƠng", True), ("trình", True),
    ("tr×nh", False), ("ch\xad¬ng", False), ("caùc", False), ("hoaïch", False),
    ("thựcc", False), ("ếế", False), ("tớch", False), ("ôinh", False), ("biê", False),
    ("khuya", True), ("giếng", True), ("gìn", True), ("Lắk", True), ("uyển", True), ("Quỳnh", True),
])
def test_is_syllable(word, ok):
    assert enc.is_syllable(word) is ok


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_plans_detected_in_every_encoding(path):
    text = nfc(path.read_text("utf-8"))
    # TCVN3 has no code for some capitals (H-font convention) and for "²": compare folded.
    tcvn = decode_bytes(enc.encode_tcvn3(text, errors="replace"))
    assert tcvn.encoding == enc.TCVN3
    expected = enc.unicode_to_tcvn3(text, errors="replace")
    assert tcvn.text.casefold() == enc.tcvn3_to_unicode(expected).casefold()
    assert sum(a != b for a, b in zip(tcvn.text.casefold(), text.casefold())) <= text.count("²")

    vni = decode_bytes(enc.encode_vni(text, errors="replace"))
    assert vni.encoding == enc.VNI
    assert vni.text == enc.vni_to_unicode(enc.unicode_to_vni(text, errors="replace"))

    cp = decode_bytes(enc.encode_cp1258(text))
    assert (cp.encoding, cp.text) == (enc.CP1258, text)

    for codec in ("utf-16", "utf-16-be", "utf-8-sig", "utf-8"):
        data = text.encode(codec)
        if codec == "utf-16-be":
            data = b"\xfe\xff" + data
        assert decode_bytes(data).text == text


def test_utf8_file_holding_tcvn3_mojibake_is_converted():
    # A TCVN3 document copied into a UTF-8 editor keeps the Windows-1252 characters.
    lines = ["KÕ HO¹CH",
             "Thùc hiÖn Ch\xad¬ng tr×nh MTQG Gi¶m nghÌo bÒn v÷ng n¨m 2023",
             "C¨n cø QuyÕt ®Þnh sè 90/Q§-TTg ngµy 18/01/2022 cña Thñ t\xadíng ChÝnh phñ"]
    got = decode_bytes("\n".join(lines).encode("utf-8"))
    assert got.encoding == enc.TCVN3
    assert got.text.split("\n") == [
        "KẾ HOẠCH",
        "Thực hiện Chương trình MTQG Giảm nghèo bền vững năm 2023",
        "Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ"]
    assert any("TCVN3" in w for w in got.warnings)


def test_repair_keeps_unicode_lines_of_a_mixed_text():
    text = ("Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ;\n"
            "Thùc hiÖn C«ng v¨n sè 4824/UBND-CV ngµy 27/12/2022 cña ñy ban nh©n d©n tØnh Lai Ch©u;\n"
            "Diện tích tối thiểu 30m² × 2 tầng, có cà phê.")
    fixed = repair_legacy(text)
    assert fixed.text.split("\n") == [
        "Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ;",
        "Thực hiện Công văn số 4824/UBND-CV ngày 27/12/2022 của ủy ban nhân dân tỉnh Lai Châu;",
        "Diện tích tối thiểu 30m² × 2 tầng, có cà phê."]


@pytest.mark.parametrize("text", [
    "Diện tích tối thiểu 30m² × 2 tầng; nhiệt độ 25°C; tỷ lệ ½ số hộ.",
    "Kinh phí: 1.683 triệu đồng (NSTW: 1.200; NSĐP: 483) – « đạt 100% »",
    "Café, naïve, São Paulo",  # Western words are left alone
])
def test_repair_leaves_real_unicode_alone(text):
    fixed = repair_legacy(text)
    assert (fixed.text, fixed.encoding) == (text, None)


def test_utf8_read_as_cp1252_is_repaired():
    original = "Thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2021-2025"
    garbled = enc.latin_view(original.encode("utf-8"))
    fixed = repair_legacy(garbled)
    assert (fixed.text, fixed.encoding) == (original, enc.UTF8_AS_CP1252)


def test_uncertain_legacy_bytes_are_refused_naming_the_encoding():
    # Half the words TCVN3, half VNI (text pasted together from two old files): no single
    # conversion is right, so the loader refuses instead of guessing.
    words = ("Thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2023 "
             "trên địa bàn huyện Phong Thổ với các nội dung sau").split()
    data = b" ".join(enc.encode_tcvn3(w) if i % 2 else enc.encode_vni(w) for i, w in enumerate(words))
    with pytest.raises(DecodeError) as err:
        decode_bytes(data)
    assert err.value.reason == "legacy-encoding"
    assert "TCVN3" in err.value.message or "VNI" in err.value.message


def test_mostly_ascii_legacy_bytes_are_read_as_cp1258():
    got = decode_bytes(b"Ke hoach so 219a/KH-UBND ngay 01/7/2022 \xa0 (ban sao)")
    assert got.encoding == enc.CP1258
    assert got.text.startswith("Ke hoach so 219a/KH-UBND")
    assert got.warnings


@pytest.mark.parametrize("font, encoding, caps", [
    (".VnTime", enc.TCVN3, False), (".VnTimeH", enc.TCVN3, True), (".VnArial NarrowH", enc.TCVN3, True),
    ("VNI-Times", enc.VNI, False), ("VNI-Helve", enc.VNI, False),
    ("Times New Roman", None, False), (None, None, False),
])
def test_font_encoding(font, encoding, caps):
    assert enc.font_encoding(font) == encoding
    assert enc.font_is_all_caps(font) is caps


# ---------------------------------------------------------------- properties

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

VIETNAMESE_LOWER = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
VIETNAMESE = VIETNAMESE_LOWER + VIETNAMESE_LOWER.upper()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=VIETNAMESE + " 0123456789.,;:-/()%\n", max_size=200))
def test_vni_round_trip_property(text):
    assert enc.decode_vni(enc.encode_vni(text)) == nfc(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=VIETNAMESE_LOWER + " 0123456789.,;:-/()%\n", max_size=200))
def test_tcvn3_round_trip_property(text):
    assert enc.decode_tcvn3(enc.encode_tcvn3(text)) == nfc(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_decoding_arbitrary_unicode_never_raises_anything_else(text):
    for data in (text.encode("utf-8"), text.encode("utf-16"), text.encode("utf-8", "surrogatepass")):
        try:
            got = decode_bytes(data)
        except DecodeError as e:
            assert e.reason in ("empty", "binary", "legacy-encoding")
        else:
            assert isinstance(got.text, str)
    enc.tcvn3_to_unicode(text)
    enc.vni_to_unicode(text)
    repair = None
    try:
        repair = repair_legacy(text)
    except DecodeError as e:
        assert e.reason == "legacy-encoding"
    if repair is not None and repair.encoding is None:
        assert repair.text == text


def test_a_short_tcvn3_fragment_in_a_unicode_document_is_converted():
    unicode_lines = [
        "Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ;",
        "Diện tích nhà ở tối thiểu 30m², nhiệt độ phòng 25°C;",
        "Ủy ban nhân dân huyện Phong Thổ ban hành Kế hoạch với các nội dung sau:"] * 20
    fragment = "Hç trî ®Çu t\xad ph¸t triÓn h¹ tÇng kinh tÕ - x· héi c¸c huyÖn nghÌo"
    fixed = repair_legacy("\n".join(unicode_lines + [fragment]))
    assert fixed.text.split("\n") == unicode_lines + [
        "Hỗ trợ đầu tư phát triển hạ tầng kinh tế - xã hội các huyện nghèo"]
    assert fixed.encoding == enc.TCVN3


def test_utf8_file_holding_vni_mojibake_is_converted():
    lines = ["Thöïc hieän Chöông trình MTQG Giaûm ngheøo beàn vöõng naêm 2023",
             "Caên cöù Quyeát ñònh soá 90/QÑ-TTg ngaøy 18/01/2022 cuûa Thuû töôùng Chính phuû"]
    got = decode_bytes("\n".join(lines).encode("utf-8"))
    assert got.encoding == enc.VNI
    assert got.text.split("\n") == [
        "Thực hiện Chương trình MTQG Giảm nghèo bền vững năm 2023",
        "Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ"]


# ---- VISCII is read; VIQR is recognised and refused by name ----

def test_viscii_sample_is_converted():
    text = sorted((Path(__file__).resolve().parent.parent / "corpus" / "samples").glob("*.txt"))[1].read_text("utf-8")
    data = enc.encode_viscii(text, errors="replace")
    got = enc.decode_bytes(data)
    assert got.encoding == "viscii"
    assert "Chương trình mục tiêu quốc gia giảm nghèo bền vững" in got.text
    assert any("VISCII" in w for w in got.warnings)


def test_viscii_table_has_the_134_letters_of_rfc_1456():
    assert enc.decode_viscii(bytes([0x02, 0x05, 0x06, 0x14, 0x19, 0x1E, 0x80, 0xFE])) == "ẲẴẪỶỸỴẠợ"
    assert enc.decode_viscii(enc.encode_viscii("Ủy ban nhân dân huyện Sơn Hà")) == "Ủy ban nhân dân huyện Sơn Hà"


@pytest.mark.parametrize("text, viqr", [
    ("Ke^' hoa.ch thu+.c hie^.n Chu+o+ng tri`nh mu.c tie^u quo^'c gia gia?m nghe`o be^`n vu+~ng", True),
    ("DDie^`u 1. Ban ha`nh ke`m theo Quye^'t ddi.nh na`y Ke^' hoa.ch thu+.c hie^.n", True),
    ("Ke hoach so 219a/KH-UBND ngay 01/7/2022 cua UBND huyen Phong Tho. Is it fine? Yes.", False),
    ("Hello world. This is a plain English file, isn't it? It's short.", False),
])
def test_viqr_is_recognised_by_name(text, viqr):
    if viqr:
        with pytest.raises(enc.DecodeError) as err:
            enc.decode_bytes(text.encode("ascii"))
        assert err.value.reason == "legacy-encoding" and "VIQR" in str(err.value)
    else:
        assert enc.decode_bytes(text.encode("ascii")).text == text
