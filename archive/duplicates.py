"""Duplicates: the same plan as .txt and .docx, re-saved, or scanned is one plan with several
source files. Two texts are the same plan when their folded words are equal (exact key) or
nearly so (MinHash over word 5-gram shingles: one-permutation hashing, densified, in numpy).

Folding (extraction.textkeys.fold, the one fold of every layer) drops what formats change and
the plan does not: case, tone marks and "đ" (OCR and legacy-font conversion differ there);
the word split drops punctuation, table separators, markdown marks and whitespace.

The store keeps each plan's fingerprint (`fingerprints`: exact key, minhash) and its LSH band
keys (`fp_bands`); `find_duplicate` looks candidates up by them and compares the candidates
with `similarity`. Near-identical texts with different document numbers, issue dates or places
are two documents (a plan re-issued to replace another differs from it by a few words; a district
often copies another's plan and changes its name).
"""
from __future__ import annotations

import hashlib
import re
import sqlite3
import zlib
from dataclasses import dataclass
from typing import Iterable, Optional

import numpy as np

from extraction.textkeys import fold, name_key, number_key

PERMUTATIONS = 256          # bins of the one-permutation MinHash (a power of two)
BANDS = 32                  # 32 bands of 8 bins: pairs above ~0.7 similarity share a band
SHINGLE_WORDS = 5
NEAR_DUPLICATE = 0.85       # estimated Jaccard of shingles at or above which two texts are one plan
MIN_WORDS = 40              # shorter texts are compared by their exact key only (a few shared
                            # shingles would make two short notes "near-identical")
_BIN_BITS = PERMUTATIONS.bit_length() - 1
_VALUE_BITS = 64 - _BIN_BITS
_VALUE_MASK = np.uint64((1 << _VALUE_BITS) - 1)
_EMPTY = np.uint64((1 << 64) - 1)
# fixed odd multipliers of the shingle's word hashes: fingerprints must be comparable forever
_K = np.random.RandomState(20240607).randint(1, 1 << 62, size=SHINGLE_WORDS, dtype=np.int64).astype(np.uint64) * 2 + 1
_WORD = re.compile(r"[^\W_]+")
_SPACE_NON_WORD = bytes(b if chr(b).isascii() and chr(b).isalnum() else 32 for b in range(256))
_NON_ASCII_WORD = re.compile(r"[^\W\x00-\x7f]")

SCHEMA = """
DROP TABLE IF EXISTS fingerprints;
CREATE TABLE IF NOT EXISTS plan_fingerprints (plan_id TEXT PRIMARY KEY, exact TEXT NOT NULL,
                                              minhash BLOB NOT NULL, words INTEGER NOT NULL,
                                              number_key TEXT, issue_date TEXT, place TEXT);
CREATE INDEX IF NOT EXISTS plan_fingerprints_exact ON plan_fingerprints(exact);
CREATE TABLE IF NOT EXISTS fp_bands (band TEXT NOT NULL, plan_id TEXT NOT NULL);
-- (band, plan_id): the candidate lookup reads the index alone (the band-only index read the
-- table for each of ~250 candidates a plan at 10,000 synthetic plans: 0.82 -> 0.52 ms a lookup)
DROP INDEX IF EXISTS fp_bands_band;
CREATE INDEX IF NOT EXISTS fp_bands_band_plan ON fp_bands(band, plan_id);
CREATE INDEX IF NOT EXISTS fp_bands_plan ON fp_bands(plan_id);
CREATE TABLE IF NOT EXISTS file_stats (source TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL);
"""
TABLES = ("plan_fingerprints", "fp_bands")   # rows keyed by plan_id: removed with the plan
Identity = tuple[Optional[str], ...]   # (document number key, issue date, place key) of a plan
NO_IDENTITY: Identity = (None, None, None)


@dataclass(frozen=True)
class Fingerprint:
    exact: str              # sha256 of the folded words: equal for the same text in any format
    minhash: bytes          # PERMUTATIONS uint64 bin minima (little-endian), for `similarity`
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
    return _WORD.findall(fold(text))


def fingerprint(text: str) -> Fingerprint:
    words = _word_bytes(text)
    exact = hashlib.sha256(b" ".join(words)).hexdigest()
    return Fingerprint(exact, _minhash(words).astype("<u8").tobytes(), len(words))


def similarity(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets (1.0 for the same text)."""
    if a.exact == b.exact:
        return 1.0
    return float(np.mean(np.frombuffer(a.minhash, "<u8") == np.frombuffer(b.minhash, "<u8")))


def is_near_duplicate(a: Fingerprint, b: Fingerprint, threshold: float = NEAR_DUPLICATE) -> bool:
    if a.exact == b.exact:
        return True
    if min(a.words, b.words) < MIN_WORDS:
        return False
    return similarity(a, b) >= threshold


def same_document(a: Identity, b: Identity) -> bool:
    """Numbers, dates and places agree where both texts state them."""
    return all(x is None or y is None or x == y for x, y in zip(a, b))


def identity_of(cols: dict) -> Identity:
    """A plans-table row's identity (archive.derived.plan_columns)."""
    place = "|".join(name_key(cols.get(k)) for k in ("locality", "province")).strip("|")
    return cols.get("number_key") or None, cols.get("issue_date") or None, place or None


def identity_of_plan(plan) -> Identity:
    m = plan.meta
    return identity_of({"number_key": number_key(m.number), "issue_date": m.issue_date,
                        "locality": m.locality.name, "province": m.locality.province})


def _minhash(words: list[bytes]) -> np.ndarray:
    """One-permutation MinHash (Li, Owen, Zhang 2012) densified by rotation (Shrivastava, Li
    2014): each shingle's 64-bit hash picks a bin by its top bits and competes there with its
    other bits; an empty bin takes the next filled bin's minimum, marked by the distance. Two
    texts' bins agree with the probability of their shingle sets' Jaccard similarity. Until
    store schema 7 this was 128 independent minima, 128 hashes a shingle: 256 bins cost a
    fraction of that and halve the variance (OCR-like copies of the samples, 60 pairs at
    Jaccard 0.89-0.95: no copy missed at 0.85, the 128 minima missed 2)."""
    h = _shingle_hashes(words)
    out = np.full(PERMUTATIONS, _EMPTY, dtype=np.uint64)
    np.minimum.at(out, (h >> np.uint64(_VALUE_BITS)).astype(np.intp), h & _VALUE_MASK)
    filled = np.flatnonzero(out != _EMPTY)
    if 0 < len(filled) < PERMUTATIONS:
        bins = np.arange(PERMUTATIONS)
        nxt = filled[np.searchsorted(filled, bins) % len(filled)]     # next filled bin, circularly
        dist = ((nxt - bins) % PERMUTATIONS).astype(np.uint64)
        out = out[nxt] + (dist << np.uint64(_VALUE_BITS))             # values < 2^57: no overflow
    return out


def _shingle_hashes(words: list[bytes]) -> np.ndarray:
    """64-bit hashes of the text's word k-gram shingles, one per position (repeats change no
    minimum): each word's CRC-32 times a fixed odd multiplier per place in the shingle, summed
    and mixed (MurmurHash3's finalizer), all in numpy."""
    if not words:
        words = [b""]
    k = min(SHINGLE_WORDS, len(words))
    w = np.fromiter(map(zlib.crc32, words), dtype=np.uint64, count=len(words))
    n = len(words) - k + 1
    h = w[:n] * _K[0]
    for i in range(1, k):
        h += w[i:i + n] * _K[i]
    return _fmix64(h)


def _fmix64(h: np.ndarray) -> np.ndarray:
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xFF51AFD7ED558CCD)
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xC4CEB9FE1A85EC53)
    h ^= h >> np.uint64(33)
    return h


def _word_bytes(text: str) -> list[bytes]:
    """fold_words(text), each word UTF-8 encoded (what the hashes read). Folded plans are ASCII
    words between punctuation: then the words are found in the encoded text (a bytes pattern's
    words are the same ASCII runs) and no word or shingle is encoded apart."""
    folded = fold(text)
    if not folded.isascii() and _NON_ASCII_WORD.search(folded):
        return list(map(str.encode, _WORD.findall(folded)))
    # the runs of ASCII letters and digits: every other byte a space, then split (a third of
    # the time of findall)
    return folded.encode("utf-8").translate(_SPACE_NON_WORD).split()


# ---------------------------------------------------------------- the store's tables

def put(db: sqlite3.Connection, plan_id: str, fp: Fingerprint, ident: Identity = NO_IDENTITY) -> None:
    """Record a plan's fingerprint (inside the caller's transaction)."""
    db.execute("INSERT OR REPLACE INTO plan_fingerprints VALUES (?, ?, ?, ?, ?, ?, ?)",
               (plan_id, fp.exact, fp.minhash, fp.words, *ident))
    _put_bands(db, plan_id, fp)


def replace_minhash(db: sqlite3.Connection, plan_id: str, fp: Fingerprint) -> None:
    """A stored plan's MinHash and bands computed again (inside the caller's transaction)."""
    db.execute("UPDATE plan_fingerprints SET minhash=? WHERE plan_id=?", (fp.minhash, plan_id))
    _put_bands(db, plan_id, fp)


def _put_bands(db: sqlite3.Connection, plan_id: str, fp: Fingerprint) -> None:
    db.execute("DELETE FROM fp_bands WHERE plan_id=?", (plan_id,))
    if fp.words >= MIN_WORDS:
        db.executemany("INSERT INTO fp_bands VALUES (?, ?)", [(b, plan_id) for b in fp.bands])


def find_duplicate(db: sqlite3.Connection, fp: Fingerprint, ident: Identity = NO_IDENTITY,
                   exclude: Iterable[str] = ()) -> Optional[tuple[str, float]]:
    """(plan id, similarity) of the stored plan this text is a copy of, the most similar one;
    None when there is none (or the archive predates fingerprints and has not been written since)."""
    skip = set(exclude)
    try:
        rows = db.execute("SELECT plan_id FROM plan_fingerprints WHERE exact=? ORDER BY plan_id", (fp.exact,)).fetchall()
        for (pid,) in rows:
            if pid not in skip:
                return pid, 1.0
        if fp.words < MIN_WORDS:
            return None
        bands = fp.bands
        # candidates share a band; only those no number, date or place tells apart are read
        # (plans of one program share much text: at 10,000 synthetic plans a text shared a band
        # with ~100 others, reading and comparing them all was 3.5 ms a plan, growing with the archive)
        cands = db.execute(
            f"SELECT f.plan_id, f.exact, f.minhash, f.words, f.number_key, f.issue_date, f.place "
            f"FROM plan_fingerprints f WHERE f.plan_id IN "
            f"(SELECT plan_id FROM fp_bands WHERE band IN ({','.join(f'?{i}' for i in range(4, 4 + len(bands)))})) "
            f"AND (?1 IS NULL OR f.number_key IS NULL OR f.number_key = ?1) "
            f"AND (?2 IS NULL OR f.issue_date IS NULL OR f.issue_date = ?2) "
            f"AND (?3 IS NULL OR f.place IS NULL OR f.place = ?3)", (*ident, *bands)).fetchall()
    except sqlite3.OperationalError:  # no such table: an archive opened read-only before its first write
        return None
    best: Optional[tuple[str, float]] = None
    for pid, exact, minhash, words, *other_ident in cands:
        if pid in skip or not same_document(ident, tuple(other_ident)):
            continue
        other = Fingerprint(exact, bytes(minhash), words)
        if is_near_duplicate(fp, other):
            sim = similarity(fp, other)
            if best is None or sim > best[1] or (sim == best[1] and pid < best[0]):
                best = (pid, sim)
    return best


def copy_of(db: sqlite3.Connection, record, source: Optional[str], old: Optional[str],
            pending: dict[str, tuple[Fingerprint, Identity]], removed: Iterable[str] = ()) -> Optional[str]:
    """The plan (pending in this batch, else stored) whose text `record`'s text is, after
    folding, or nearly (MinHash), with no other number, date or place. A file edited in place
    is no copy of the version it was read from (the plan `old` whose text came from this very
    `source`): it replaces it."""
    fp = record.fingerprint if record is not None else None
    if fp is None:
        return None
    ident = identity_of(record.cols or {})
    found = find_in(pending, fp, ident)
    if not found:
        hit = find_duplicate(db, fp, ident, exclude=removed)
        found = hit[0] if hit else None
    if found and found == old:
        row = db.execute("SELECT source FROM plans WHERE plan_id=?", (old,)).fetchone()
        if row and row[0] == source:
            return None
    return found


def find_in(fps: dict[str, tuple[Fingerprint, Identity]], fp: Fingerprint,
            ident: Identity = NO_IDENTITY) -> Optional[str]:
    """The plan id among `fps` (the plans of a batch not yet committed) this text is a copy of.

    is_near_duplicate and similarity for all of them at once: one comparison of the stacked
    MinHash rows (asked for every file of a batch, against up to a batch of plans, this loop
    was 2-4 ms a plan of the writing process)."""
    items = list(fps.items())
    if not items:
        return None
    if any(len(other.minhash) != len(fp.minhash) for _, (other, _i) in items):
        return _find_in_each(items, fp, ident)
    rows = np.frombuffer(b"".join(other.minhash for _, (other, _i) in items), "<u8").reshape(len(items), -1)
    sims = (rows == np.frombuffer(fp.minhash, "<u8")).mean(axis=1)  # the same floats as similarity()
    exact = np.fromiter((other.exact == fp.exact for _, (other, _i) in items), bool, len(items))
    sims[exact] = 1.0
    long_enough = np.fromiter((min(other.words, fp.words) >= MIN_WORDS for _, (other, _i) in items), bool, len(items))
    best = None
    for i in np.flatnonzero(exact | (long_enough & (sims >= NEAR_DUPLICATE))):
        pid, (other, other_ident) = items[i]
        if fp.exact == other.exact or same_document(ident, other_ident):
            sim = float(sims[i])
            if best is None or sim > best[1]:
                best = (pid, sim)
    return best[0] if best else None


def _find_in_each(items, fp: Fingerprint, ident: Identity) -> Optional[str]:
    best = None
    for pid, (other, other_ident) in items:
        if is_near_duplicate(fp, other) and (fp.exact == other.exact or same_document(ident, other_ident)):
            sim = similarity(fp, other)
            if best is None or sim > best[1]:
                best = (pid, sim)
    return best[0] if best else None


# ---------------------------------------------------------------- files already read

# A folder ingested again (or watched) must not read every scan again: each source file's
# size and modification time, taken before it was read, are kept; a file with the same ones
# whose source still maps to a plan is "unchanged" without being opened (OCR is the slow part).
FileStat = tuple[int, int]   # (size, mtime_ns)


def file_stat(path: str) -> Optional[FileStat]:
    import os
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def unchanged_files(db: sqlite3.Connection, stats: dict[str, tuple[str, Optional[FileStat]]]) -> dict[str, str]:
    """{path: plan id} for the files (path -> (source, stat)) read before with this very size
    and modification time, whose source still holds a stored plan."""
    out = {}
    try:
        for path, (source, st) in stats.items():
            if st is None:
                continue
            row = db.execute("SELECT s.plan_id FROM file_stats f JOIN sources s ON s.source = f.source "
                             "JOIN plans p ON p.plan_id = s.plan_id WHERE f.source=? AND f.size=? AND f.mtime_ns=?",
                             (source, *st)).fetchone()
            if row:
                out[path] = row[0]
    except sqlite3.OperationalError:  # no such table yet: every file is read
        return {}
    return out


def files_read(items, stats: dict[str, tuple[str, Optional[FileStat]]]) -> list[tuple[str, FileStat]]:
    """(source, stat) of the ingest items that were read and kept (not failed)."""
    return [stats[it.path] for it in items if it.status != "failed" and it.path in stats and stats[it.path][1]]


def remember_files(db: sqlite3.Connection, rows: list[tuple[str, FileStat]]) -> None:
    """Keep the stats of files just read (after their batch committed; a cache: losing it costs a read)."""
    if not rows:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        db.executemany("INSERT OR REPLACE INTO file_stats VALUES (?, ?, ?)", [(s, *st) for s, st in rows])
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
