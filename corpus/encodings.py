"""Vietnamese text encodings: bytes -> Unicode, and repair of legacy font-encoded text.

Old Vietnamese office files use font encodings instead of Unicode:
- TCVN3 ("ABC", .VnTime fonts): one byte per letter, 0xA1-0xFF hold the Vietnamese letters;
  all-caps headings use an "H" font (.VnTimeH) with the lowercase codes.
- VNI (VNI-Times fonts): a vowel is the base letter followed by one mark byte ("aø" = à).
- Windows-1258: a real code page, with tone marks as combining characters.
TCVN3 and VNI text is also met already "decoded" as Windows-1252 mojibake ("Ch­¬ng tr×nh"),
in UTF-8 files, Word runs, PDF text layers and HTML.

Which encoding a text is in is decided by counting well-formed Vietnamese syllables in each
candidate decoding (`vietnamese_score`); when no candidate is clearly right, `DecodeError`
("legacy-encoding") names the one it looks like instead of guessing. Tables: corpus/data/.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from .legacy_codecs import (TCVN3, TONE_MARKS, VNI, _TONE_CHARS, decode_cp1258, decode_tcvn3,  # noqa: F401
                            decode_viscii, decode_vni, encode_cp1258, encode_tcvn3, encode_viscii,
                            encode_vni, latin_bytes, latin_view, tcvn3_to_unicode, unicode_to_tcvn3,
                            unicode_to_vni, vni_to_unicode)

CP1258 = "cp1258"
UTF8_AS_CP1252 = "utf-8-as-cp1252"
VISCII = "viscii"
VIQR = "viqr"
ENCODING_NAMES = {
    VISCII: "VISCII",
    VIQR: "VIQR (dấu gõ bằng ký tự ASCII: Ke^' hoa.ch)",
    TCVN3: "TCVN3 (ABC, phông .VnTime)",
    VNI: "VNI (phông VNI-Times)",
    CP1258: "Windows-1258",
    UTF8_AS_CP1252: "UTF-8 bị đọc nhầm thành Windows-1252",
}

# Decision thresholds on the share of well-formed syllables (see `vietnamese_score`).
ACCEPT_RATIO = 0.75      # a decoding this good is taken
MARGIN = 0.15            # ... if it beats the runner-up (or the text as it is) by this much
LOOKS_LIKE_RATIO = 0.4   # below ACCEPT but above this: refuse, naming the encoding
MIN_WORDS = 5            # fewer scored words than this: too little evidence to convert
SAMPLE_CHARS = 200_000   # encoding decisions are made on a prefix sample

class DecodeError(ValueError):
    """Text that cannot be decoded with confidence; `reason` is a short machine code."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass
class Decoded:
    text: str
    encoding: str | None
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- VIQR

_VIQR_WORD = re.compile(r"(?i)\b(?:dd[a-z]*|[a-z]*[aeiouy](?:[(^+][a-z]*|[(^+]?['`?~.][a-z]+|[(^+]?['`~]))")
VIQR_SHARE = 0.3


def viqr_share(text: str) -> float:
    """Share of the words of an ASCII text written with VIQR marks."""
    words = text.split()
    if len(words) < MIN_WORDS:
        return 0.0
    return sum(1 for w in words if _VIQR_WORD.fullmatch(w.strip(",;:!\"()[]"))) / len(words)


# ---------------------------------------------------------------- syllable score

_ONSETS = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
_NUCLEI = (
    "a ai ao au ay ă â âu ây e eo ê êu i ia iu iê iêu o oa oai oao oay oă oe oeo oi oo ô ôi "
    "ơ ơi u ua uâ uây uê ui uô uôi uơ uy uya uyu uyê ư ưa ưi ưu ươ ươi ươu y yê yêu"
).split()
# Nuclei ending in a glide take no final; these need one; "ch"/"nh" follow only a few.
_OPEN_ONLY = frozenset(
    "ai ao au ay âu ây eo êu ia iu iêu oai oao oay oeo oi ôi ơi ua ui uôi uây uya uyu ưa ưi ưu "
    "ươi ươu yêu".split())
_NEED_CODA = frozenset("ă â iê yê uô ươ uyê uâ oă".split())
_PALATAL_NUCLEI = frozenset("a ê i y oa uê uy".split())  # y: "quỳnh" (qu + y + nh)
# "k" only in ethnic place names (Đắk Lắk, Đăk Glei).
_CODAS = "ng|nh|ch|c|k|m|n|p|t"
_SYLLABLE_RE = re.compile(
    rf"(?:{_ONSETS})?(?P<nucleus>{'|'.join(sorted(_NUCLEI, key=len, reverse=True))})"
    rf"(?P<coda>{_CODAS})?")
_STOP_CODAS = frozenset({"c", "ch", "k", "p", "t"})
_STOP_TONES = frozenset({TONE_MARKS["acute"], TONE_MARKS["dot"]})
# Whitespace, ASCII punctuation and typographic punctuation split words; Latin-1 symbols
# do not, because legacy encodings use them as letters ("tr×nh").
_TOKEN_SPLIT = re.compile(r"[\s!-/:-@\[-`{-~\u2010-\u2027\u2030-\u205e]+")
_ABBREV_RE = re.compile(r"[A-ZĐ&]{2,}")


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """Whether `word` is a well-formed Vietnamese syllable: onset, vowel cluster, final,
    at most one tone mark, only sắc/nặng before a stop final (c, ch, p, t), glide-final
    clusters closed, "ch"/"nh" after a, ê, i only. A shape test, not a dictionary."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in decomposed if c in _TONE_CHARS]
    if len(tones) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_CHARS))
    m = _SYLLABLE_RE.fullmatch(base)
    if not m:
        return False
    nucleus, coda = m.group("nucleus"), m.group("coda")
    if coda and nucleus in _OPEN_ONLY or not coda and nucleus in _NEED_CODA:
        return False
    if coda in ("ch", "nh") and nucleus not in _PALATAL_NUCLEI:
        return False
    if coda in _STOP_CODAS:
        return bool(tones) and tones[0] in _STOP_TONES
    return True


@dataclass(frozen=True)
class Score:
    """Words with a non-ASCII letter, and how many of them are well-formed syllables."""
    words: int
    valid: int

    @property
    def ratio(self) -> float:
        return self.valid / self.words if self.words else 0.0


@lru_cache(maxsize=262144)
def _token_kind(tok: str) -> int:
    """0: not scored (ASCII, abbreviation, number, symbol), 1: well-formed, 2: malformed."""
    if tok.isascii() or _ABBREV_RE.fullmatch(tok):
        return 0
    # ASCII digits only: "¹" and "³" are TCVN3 letters (ạ, ú).
    if not any(c.isalpha() for c in tok) or any("0" <= c <= "9" for c in tok):
        return 0
    return 1 if is_syllable(tok) else 2


def vietnamese_score(text: str) -> Score:
    words = valid = 0
    for tok in _TOKEN_SPLIT.split(text):
        kind = _token_kind(tok)
        if kind:
            words += 1
            valid += kind == 1
    return Score(words, valid)


# ---------------------------------------------------------------- bytes -> text

_MAGIC = (
    (b"%PDF-", "tài liệu PDF"),
    (b"PK\x03\x04", "tệp nén zip (.docx/.xlsx/.zip)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "tài liệu Office cũ (.doc/.xls, OLE2)"),
    (b"\x89PNG\r\n\x1a\n", "ảnh PNG"),
    (b"\xff\xd8\xff", "ảnh JPEG"),
    (b"GIF8", "ảnh GIF"),
    (b"II*\x00", "ảnh TIFF"),
    (b"MM\x00*", "ảnh TIFF"),
    (b"\x1f\x8b", "tệp nén gzip"),
    (b"Rar!\x1a\x07", "tệp nén RAR"),
    (b"7z\xbc\xaf\x27\x1c", "tệp nén 7-Zip"),
    (b"{\\rtf", "tài liệu RTF"),
)
_CONTROL_BYTES = frozenset(set(range(0x00, 0x09)) | {0x0B} | set(range(0x0E, 0x1A))
                           | set(range(0x1C, 0x20)) | {0x7F})
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x19\x1c-\x1f\x7f]")


def sniff_binary(data: bytes) -> str | None:
    """A description of a known binary format, else None."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    return None


def _control_count(data: bytes) -> int:
    return sum(data.count(bytes([b])) for b in _CONTROL_BYTES)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without BOM: ASCII-range text leaves NULs at every other byte."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:20000]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.3 * half and even < 0.02 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.02 * half:
        return "utf-16-be"
    return None


def _clean_controls(text: str, warnings: list[str]) -> str:
    n = len(_CONTROL_RE.findall(text))
    if n:
        warnings.append(f"đã bỏ {n} ký tự điều khiển")
        text = _CONTROL_RE.sub("", text)
    return text


def decode_bytes(data: bytes, *, repair: bool = True) -> Decoded:
    """Decode a plain-text file: BOM (UTF-8, UTF-16), UTF-8, then the legacy Vietnamese
    encodings (Windows-1258, TCVN3, VNI) chosen by syllable score. Raises DecodeError with
    reason "empty", "binary" or "legacy-encoding". repair=False leaves legacy mojibake in
    Unicode text alone (markup is repaired after its text is extracted)."""
    if not data:
        raise DecodeError("empty", "tệp rỗng (0 byte)")
    warnings: list[str] = []
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32-le"),
                       (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe", "utf-16-le"),
                       (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            body = data[len(bom):]
            text = body.decode(codec.replace("-sig", ""), errors="replace")
            bad = text.count("\ufffd")
            if bad:
                warnings.append(f"đã thay {bad} chuỗi {codec} không hợp lệ bằng U+FFFD")
            return _finish_unicode(text, codec, warnings, repair)
    utf16 = _utf16_without_bom(data)
    if utf16:
        text = data.decode(utf16, errors="replace")
        if vietnamese_score(text[:SAMPLE_CHARS]).ratio >= ACCEPT_RATIO or text[:SAMPLE_CHARS].isascii():
            warnings.append(f"không có dấu thứ tự byte (BOM); đọc như {utf16}")
            return _finish_unicode(text, utf16, warnings, repair)
    what = sniff_binary(data)
    if what:
        raise DecodeError("binary", f"không phải văn bản: có vẻ là {what}")
    if data.endswith(b"\x00"):
        # NUL padding after the text (a truncated copy, a fixed-size export) is no content.
        stripped = data.rstrip(b"\x00")
        warnings.append(f"đã bỏ {len(data) - len(stripped)} byte NUL ở cuối tệp")
        data = stripped
        if not data.strip():
            raise DecodeError("empty", "không có chữ (chỉ có byte NUL)")
    controls = _control_count(data[:SAMPLE_CHARS])
    if controls > max(8, 0.01 * min(len(data), SAMPLE_CHARS)):
        raise DecodeError("binary", f"không phải văn bản: {controls} byte điều khiển trong "
                                    f"{min(len(data), SAMPLE_CHARS)} byte đầu")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        sample = text[:SAMPLE_CHARS]
        if sample.isascii() and viqr_share(sample) >= VIQR_SHARE:
            raise DecodeError("legacy-encoding", "văn bản gõ theo kiểu VIQR (dấu bằng ký tự ASCII, như "
                                                 "\"Ke^' hoa.ch\"): hãy chuyển sang Unicode (ví dụ bằng "
                                                 "UniKey) rồi gửi lại")
        return _finish_unicode(text, "utf-8", warnings, repair)
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F) - bad
    if multibyte >= 20 * bad:
        warnings.append(f"đã thay {bad} chuỗi byte UTF-8 không hợp lệ bằng U+FFFD")
        return _finish_unicode(text, "utf-8", warnings, repair)
    return _decode_legacy(data, warnings)


def _finish_unicode(text: str, encoding: str, warnings: list[str], repair: bool) -> Decoded:
    text = _clean_controls(text, warnings)
    if not repair:
        return Decoded(text, encoding, warnings)
    repaired = repair_legacy(text)
    warnings.extend(repaired.warnings)
    return Decoded(repaired.text, repaired.encoding or encoding, warnings)


_BYTE_DECODERS = {CP1258: decode_cp1258, TCVN3: decode_tcvn3, VNI: decode_vni, VISCII: decode_viscii}


def _decode_legacy(data: bytes, warnings: list[str]) -> Decoded:
    sample = data[:SAMPLE_CHARS]
    scores = {name: vietnamese_score(dec(sample)) for name, dec in _BYTE_DECODERS.items()}
    ranked = sorted(scores.items(), key=lambda kv: kv[1].ratio, reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if top.words < MIN_WORDS:
        # Almost all ASCII: the few other bytes carry no evidence; Windows-1258 keeps them
        # as Western letters.
        warnings.append("không phải UTF-8; đọc như Windows-1258 (quá ít chữ có dấu để phân biệt)")
        return Decoded(_clean_controls(decode_cp1258(data), warnings), CP1258, warnings)
    if top.ratio >= ACCEPT_RATIO and top.ratio - second.ratio >= MARGIN:
        if best != CP1258:
            warnings.append(f"đã chuyển từ {ENCODING_NAMES[best]} sang Unicode "
                            f"({top.ratio:.0%} số từ đúng chính tả)")
        text = _BYTE_DECODERS[best](data)
        return Decoded(_clean_controls(text, warnings), best, warnings)
    if top.ratio >= LOOKS_LIKE_RATIO:
        raise DecodeError("legacy-encoding", _uncertain_message(best, top, "không phải UTF-8"))
    raise DecodeError("legacy-encoding",
                      "không phải UTF-8 và không nhận ra là Windows-1258, TCVN3, VNI hay VISCII "
                      f"(gần nhất: {ENCODING_NAMES[best]}, {top.ratio:.0%} số từ đúng chính tả); "
                      "hãy lưu tệp thành UTF-8 rồi gửi lại")


def _uncertain_message(best: str, score: Score, what: str) -> str:
    return (f"{what}; có vẻ là {ENCODING_NAMES[best]} nhưng chuyển đổi không chắc chắn "
            f"({score.ratio:.0%} của {score.words} từ đúng chính tả sau khi chuyển); "
            "hãy chuyển sang Unicode (ví dụ bằng UniKey) rồi gửi lại")


# ---------------------------------------------------------------- repair of decoded text

_VIETNAMESE_LATIN1 = frozenset("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
_MARKERS = frozenset(chr(c) for c in range(0xA1, 0x100)) - _VIETNAMESE_LATIN1
_MARKER_RE = re.compile("[" + re.escape("".join(sorted(_MARKERS))) + "]")


def _utf8_as_cp1252(text: str) -> str:
    try:
        return latin_bytes(text).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


_TEXT_CONVERTERS = {TCVN3: tcvn3_to_unicode, VNI: vni_to_unicode, UTF8_AS_CP1252: _utf8_as_cp1252}


def repair_legacy(text: str) -> Decoded:
    """Convert Unicode text that is really TCVN3/VNI (or UTF-8 read as Windows-1252)
    mojibake. Decided on the lines that hold legacy marker characters and malformed words
    (so symbols in real Unicode lines do not dilute the evidence); applied line by line
    where it leaves fewer malformed words, so mixed documents keep their Unicode lines.
    Returns the text unchanged (encoding None) when nothing looks legacy; raises
    DecodeError("legacy-encoding") when it does but no conversion is convincing."""
    if not _MARKER_RE.search(text):
        return Decoded(text, None, [])
    lines = text.split("\n")
    suspect = []
    size = 0
    for ln in lines:
        if _MARKER_RE.search(ln):
            score = vietnamese_score(ln)
            if score.valid < score.words:
                suspect.append(ln)
                size += len(ln)
                if size > SAMPLE_CHARS:
                    break
    sample = "\n".join(suspect)
    as_is = vietnamese_score(sample)
    if as_is.words < MIN_WORDS:
        return Decoded(text, None, [])
    scores = {name: vietnamese_score(conv(sample)) for name, conv in _TEXT_CONVERTERS.items()}
    ranked = sorted(scores.items(), key=lambda kv: kv[1].ratio, reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if top.ratio >= ACCEPT_RATIO and top.ratio - max(second.ratio, as_is.ratio) >= MARGIN:
        converted, n = _convert_lines(lines, _TEXT_CONVERTERS[best])
        return Decoded(converted, best, [f"đã chuyển {n} dòng lỗi phông {ENCODING_NAMES[best]} "
                                         f"sang Unicode ({top.ratio:.0%} số từ đúng chính tả)"])
    if top.ratio >= LOOKS_LIKE_RATIO and top.ratio - as_is.ratio >= MARGIN:
        raise DecodeError("legacy-encoding", _uncertain_message(best, top, "chữ bị lỗi phông"))
    return Decoded(text, None, [])


def _convert_lines(lines: list[str], convert) -> tuple[str, int]:
    """Convert each line whose conversion leaves fewer malformed words; a line that reads
    well as it is stays (mixed documents keep their Unicode lines)."""
    out = []
    n = 0
    for line in lines:
        new = convert(line)
        if new != line:
            before, after = vietnamese_score(line), vietnamese_score(new)
            if after.words - after.valid < before.words - before.valid:
                out.append(new)
                n += 1
                continue
        out.append(line)
    return "\n".join(out), n


# ---------------------------------------------------------------- fonts

def font_encoding(font_name: str | None) -> str | None:
    """The legacy encoding implied by a font name: .VnTime/.VnArial... -> TCVN3,
    VNI-Times/VNI-Helve... -> VNI."""
    if not font_name:
        return None
    name = font_name.strip().lower()
    if name.startswith(".vn"):
        return TCVN3
    if name.startswith("vni-") or name.startswith("vni "):
        return VNI
    return None


def font_is_all_caps(font_name: str | None) -> bool:
    """TCVN3 "H" fonts (.VnTimeH, .VnArialH) draw every letter as a capital."""
    return bool(font_name) and font_encoding(font_name) == TCVN3 and font_name.strip().endswith("H")
