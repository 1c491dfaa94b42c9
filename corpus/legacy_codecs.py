"""Legacy Vietnamese codecs: TCVN3 (ABC), VNI, VISCII and Windows-1258 to and from Unicode,
and VIQR recognition. Which one a text is in is decided in corpus/encodings.py.
Tables: corpus/data/.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources

TCVN3 = "tcvn3"
VNI = "vni"

TONE_MARKS = {
    "acute": "\u0301", "grave": "\u0300", "hook": "\u0309", "tilde": "\u0303", "dot": "\u0323",
}
_TONE_CHARS = frozenset(TONE_MARKS.values())


# ---------------------------------------------------------------- tables

def _data(name: str) -> dict:
    return json.loads(resources.files("corpus").joinpath("data", name).read_text("utf-8"))


@lru_cache(maxsize=None)
def _tcvn3_decode_table() -> dict[int, str]:
    table = _data("tcvn3.json")["bytes"]
    return {int(code, 16): char for code, char in table.items()}


@lru_cache(maxsize=None)
def _tcvn3_encode_table() -> dict[str, str]:
    """Unicode letter -> latin-view char; uppercase toned letters missing from the table
    take the lowercase code, as in the all-caps H fonts."""
    enc = {ch: chr(code) for code, ch in _tcvn3_decode_table().items() if len(ch) == 1}
    for ch, code in list(enc.items()):
        up = ch.upper()
        if up != ch and up not in enc:
            enc[up] = code
    return enc


@lru_cache(maxsize=None)
def _vni_tables() -> tuple[dict[str, str], dict[str, str]]:
    """(VNI sequence -> Unicode letter, Unicode letter -> VNI sequence)."""
    data = _data("vni.json")
    enc: dict[str, str] = {}

    def add(base: str, mark_char: str, tone: str, seq_mark: tuple[str, str]):
        for b, m in ((base, seq_mark[0]), (base.upper(), seq_mark[1])):
            letter = unicodedata.normalize("NFC", (b + mark_char) + TONE_MARKS.get(tone, ""))
            enc[letter] = (data["single"].get(b, b) if len(b) == 1 else b) + m

    for tone, marks in data["tone_marks"].items():
        for base in "aeouy":
            add(base, "", tone, tuple(marks))
        for base in "ơư":
            add(base, "", tone, tuple(marks))
    for tone, marks in data["circumflex_marks"].items():
        for base in "aeo":
            add(base, "\u0302", tone, tuple(marks))
    for tone, marks in data["breve_marks"].items():
        add("a", "\u0306", tone, tuple(marks))
    # Single-byte letters win over composed spellings (í is written í, not iù).
    enc.update(data["single"])
    dec = {seq: letter for letter, seq in enc.items()}
    return dec, enc


@lru_cache(maxsize=None)
def _vni_decode_re() -> re.Pattern:
    dec, _ = _vni_tables()
    keys = sorted(dec, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keys)))


# ---------------------------------------------------------------- byte views

_CP1252_HIGH = {b: bytes([b]).decode("cp1252") for b in range(0x80, 0xA0)
                if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}
_LATIN_VIEW = str.maketrans({chr(b): ch for b, ch in _CP1252_HIGH.items()})
_LATIN_BYTES = {ch: b for b, ch in _CP1252_HIGH.items()}


def latin_view(data: bytes) -> str:
    """The Windows-1252 reading of bytes (undefined bytes as Latin-1): how legacy-font
    text shows up when a program takes it for Western text."""
    return data.decode("latin-1").translate(_LATIN_VIEW)


def latin_bytes(text: str) -> bytes:
    """Inverse of `latin_view`; raises UnicodeEncodeError for other characters."""
    out = bytearray()
    for i, ch in enumerate(text):
        code = ord(ch)
        if code < 0x100:
            out.append(code)
        elif ch in _LATIN_BYTES:
            out.append(_LATIN_BYTES[ch])
        else:
            raise UnicodeEncodeError("latin-view", text, i, i + 1, "not a single-byte character")
    return bytes(out)


# ---------------------------------------------------------------- TCVN3

# An uppercase base letter (codes 0xA1-0xA7) right after a lowercase letter is a slip
# between neighbouring codes, never Vietnamese spelling ("ChưƠng" -> "Chương").
_CASE_SLIP_RE = re.compile(r"(?<=[^\W\d_])[ĂÂÊÔƠƯĐ]")


def tcvn3_to_unicode(text: str) -> str:
    """Convert TCVN3 text in its Windows-1252 view ("Ch­¬ng tr×nh") to Unicode NFC."""
    out = text.translate(_tcvn3_decode_table())  # byte value == latin-view code point
    out = _CASE_SLIP_RE.sub(lambda m: m.group(0).lower() if out[m.start() - 1].islower() else m.group(0), out)
    return _fix_h_font_caps(unicodedata.normalize("NFC", out))


_WORD_RE = re.compile(r"\w+")
_TWO_CAPS_RE = re.compile(r"[A-Z]\S*[A-Z]")   # a word with two ASCII capitals


def _fix_h_font_caps(text: str) -> str:
    """Headings typed in an all-caps H font come out as "KÕ HO¹CH" -> "Kế HOạCH": a line
    whose words are all capitals except for converted letters is upper-cased."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not _TWO_CAPS_RE.search(line):
            continue
        words = _WORD_RE.findall(line)
        if not words:
            continue
        trigger = False
        ok = True
        for w in words:
            if any(c.islower() and c.isascii() for c in w):
                ok = False
                break
            if sum(c.isupper() and c.isascii() for c in w) >= 2 and any(
                    c.islower() and not c.isascii() for c in w):
                trigger = True
        if ok and trigger:
            lines[i] = line.upper()
    return "\n".join(lines)


def _encode_with(table: dict[str, str], name: str, text: str, errors: str) -> str:
    out = []
    for i, ch in enumerate(unicodedata.normalize("NFC", text)):
        if ch in table:
            out.append(table[ch])
        elif ord(ch) < 0x80 or ch in _LATIN_BYTES:  # ASCII and Windows-1252 punctuation
            out.append(ch)
        elif errors == "replace":
            out.append("?")
        else:
            raise UnicodeEncodeError(name, text, i, i + 1, f"{ch!r} has no {name} code")
    return "".join(out)


def unicode_to_tcvn3(text: str, errors: str = "strict") -> str:
    """Unicode -> TCVN3 in its Windows-1252 view. Uppercase toned letters without a code of
    their own take the lowercase code (the H-font convention). errors: strict|replace."""
    return _encode_with(_tcvn3_encode_table(), TCVN3, text, errors)


def decode_tcvn3(data: bytes) -> str:
    return tcvn3_to_unicode(latin_view(data))


def encode_tcvn3(text: str, errors: str = "strict") -> bytes:
    return latin_bytes(unicode_to_tcvn3(text, errors))


# ---------------------------------------------------------------- VNI

def vni_to_unicode(text: str) -> str:
    """Convert VNI text in its Windows-1252 view ("Chöông trình") to Unicode NFC."""
    dec, _ = _vni_tables()
    return unicodedata.normalize("NFC", _vni_decode_re().sub(lambda m: dec[m.group(0)], text))


def unicode_to_vni(text: str, errors: str = "strict") -> str:
    return _encode_with(_vni_tables()[1], VNI, text, errors)


def decode_vni(data: bytes) -> str:
    return vni_to_unicode(latin_view(data))


def encode_vni(text: str, errors: str = "strict") -> bytes:
    return latin_bytes(unicode_to_vni(text, errors))


# ---------------------------------------------------------------- Windows-1258

@lru_cache(maxsize=1)
def _viscii_tables() -> tuple[dict[int, str], dict[str, int]]:
    decode = {int(k, 16): v for k, v in _data("viscii.json")["bytes"].items()}
    return decode, {v: k for k, v in decode.items()}


def decode_viscii(data: bytes) -> str:
    """VISCII (RFC 1456): 134 precomposed letters in the high half and six C0 positions."""
    return data.decode("latin-1").translate(_viscii_tables()[0])


def encode_viscii(text: str, errors: str = "strict") -> bytes:
    encode = _viscii_tables()[1]
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ch in encode:
            out.append(encode[ch])
        elif ord(ch) < 0x80 and ord(ch) not in encode.values():
            out.append(ord(ch))
        elif errors == "replace":
            out.append(ord("?"))
        else:
            raise UnicodeEncodeError("viscii", ch, 0, 1, "not in VISCII")
    return bytes(out)


# VIQR marks a letter with the ASCII character after it: a( a^ e^ o^ o+ u+ dd, tones ' ` ? ~ .


def decode_cp1258(data: bytes) -> str:
    return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))


def encode_cp1258(text: str) -> bytes:
    """As Windows writes it: precomposed where the code page has the letter, otherwise the
    base letter (â ê ô ă ơ ư) followed by a combining tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONE_CHARS)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_CHARS))
        out += (base + tones).encode("cp1258")
    return bytes(out)
