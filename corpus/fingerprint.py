"""Content fingerprints for duplicate detection across formats: the same plan as .txt and
.docx, re-saved, or scanned, is the same text after folding (exact key) or nearly the same
(MinHash over word 5-gram shingles, a small numpy implementation).

Folding drops what formats change and the plan does not: case, tone marks and "đ" (OCR and
legacy-font conversion differ there), punctuation, table separators, markdown marks and
whitespace. The archive stores `exact` and `bands` and looks candidates up by them; it compares
candidates with `similarity`.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

PERMUTATIONS = 128
BANDS = 16                  # 16 bands of 8 rows: pairs above ~0.7 similarity share a band
SHINGLE_WORDS = 5
NEAR_DUPLICATE = 0.85       # estimated Jaccard of shingles at or above which two texts are one plan
_PRIME = (1 << 61) - 1
_MAX32 = (1 << 32) - 1
_rng = np.random.RandomState(20240607)   # fixed: fingerprints must be comparable forever
_A = _rng.randint(1, _MAX32, size=PERMUTATIONS, dtype=np.uint64)
_B = _rng.randint(0, _MAX32, size=PERMUTATIONS, dtype=np.uint64)
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Fingerprint:
    exact: str              # sha256 of the folded words: equal for the same text in any format
    minhash: bytes          # PERMUTATIONS uint64 minima (little-endian), for `similarity`
    words: int              # folded words in the text

    @property
    def bands(self) -> list[str]:
        """BANDS keys; two texts sharing any key are near-duplicate candidates."""
        values = np.frombuffer(self.minhash, dtype="<u8")
        rows = PERMUTATIONS // BANDS
        return [f"{i:02d}" + hashlib.blake2b(values[i * rows:(i + 1) * rows].tobytes(), digest_size=8).hexdigest()
                for i in range(BANDS)]


def fold_words(text: str) -> list[str]:
    """Lowercase words without tone marks ("Ủy ban" and "Uỷ ban" and OCR's "Uy ban" alike)."""
    text = unicodedata.normalize("NFD", text.casefold()).replace("đ", "d")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _WORD.findall(text)


def fingerprint(text: str) -> Fingerprint:
    words = fold_words(text)
    exact = hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()
    return Fingerprint(exact, _minhash(words).astype("<u8").tobytes(), len(words))


def similarity(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets (1.0 for the same text)."""
    if a.exact == b.exact:
        return 1.0
    return float(np.mean(np.frombuffer(a.minhash, "<u8") == np.frombuffer(b.minhash, "<u8")))


def is_near_duplicate(a: Fingerprint, b: Fingerprint, threshold: float = NEAR_DUPLICATE) -> bool:
    return similarity(a, b) >= threshold


def _minhash(words: list[str]) -> np.ndarray:
    k = SHINGLE_WORDS if len(words) >= SHINGLE_WORDS else max(len(words), 1)
    shingles = {" ".join(words[i:i + k]) for i in range(max(len(words) - k + 1, 1))}
    hashes = np.fromiter((int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=4).digest(), "little")
                          for s in shingles), dtype=np.uint64, count=len(shingles))
    out = np.full(PERMUTATIONS, _PRIME, dtype=np.uint64)
    for start in range(0, len(hashes), 4096):   # bounded memory on long texts
        chunk = hashes[start:start + 4096]
        # a * h + b < 2^64 (a, b, h < 2^32): no overflow before the modulus
        values = (_A[:, None] * chunk[None, :] + _B[:, None]) % _PRIME
        out = np.minimum(out, values.min(axis=1))
    return out
