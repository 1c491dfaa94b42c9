"""The similar-clause index's matrix: TF-IDF counts in parts (a base and small deltas), their
row norms, pruned postings for candidate generation, and exact scoring of candidates.

Kept apart from index/similar.py (the index: rows, SQLite metadata, queries and grouping),
which builds and reads these parts.
"""
from __future__ import annotations

import errno
import os
import threading
from pathlib import Path
from typing import Optional

import numpy as np
import scipy.sparse as sp

N_FEATURES = 2 ** 22  # hashed unigrams + bigrams: collisions stay rare at millions of distinct terms
# postings kept per term for candidate generation, strongest (count / row norm) first: a common
# term adds little to a cosine, so its weakest rows are never candidates through it alone
# pruning off (every posting kept): at 10,000 plans 4,000 postings a term gave recall@10 0.49
# against brute force (0.98 at 2,000), too lossy; the row-major exact re-score stays
PRUNE_POSTINGS = 2 ** 62
# an answer's cosine is scaled between this and 1 by the share of the query's weight it holds
COVERAGE_FLOOR = 0.5

class _Part:
    """Rows of sublinear term counts by column (CSC) and each row's TF-IDF norm.

    The base spans every hashed feature and carries the IDF; a delta keeps only the columns
    it uses (`cols`, their feature ids), so a small delta is small on disk and in memory.
    """

    def __init__(self, counts, norms: np.ndarray, idf: Optional[np.ndarray] = None,
                 cols: Optional[np.ndarray] = None):
        self._counts, self.norms, self.idf, self.cols = counts, norms, idf, cols
        self.n_rows = counts.shape[0]
        self._pruned = None  # built at the first query (prepare)
        self._csr = None
        self._in: Optional[tuple[_Part, int]] = None  # (block, first row): a delta whose rows a stacked block holds
        self._prepare_lock = threading.Lock()

    @property
    def counts(self):
        """The full counts by column (rebuilt from the row-major copy for a merge or a brute-force
        product: queries use the pruned and row-major copies only)."""
        if self._counts is None:
            if self._csr is None:  # held by a stacked block: a copy, not kept
                return self._own_csr().tocsc()
            self._counts = self._csr.tocsc()
        return self._counts

    def _own_csr(self):
        """The rows in this part's own columns, from whichever copy it has."""
        if self._csr is not None:
            return self._csr
        counts = self._counts
        if counts is not None:
            return counts.tocsr()
        block, first = self._in
        c = block._csr
        lo, hi = c.indptr[first], c.indptr[first + self.n_rows]
        ids = block.cols[c.indices[lo:hi]] if block.cols is not None else c.indices[lo:hi]
        local = np.searchsorted(self.cols, ids) if self.cols is not None else ids
        return sp.csr_matrix((c.data[lo:hi], local.astype(np.int32), c.indptr[first:first + self.n_rows + 1] - lo),
                             shape=(self.n_rows, len(self.cols) if self.cols is not None else N_FEATURES))

    def prepare(self) -> None:
        """The two copies queries read: pruned postings and rows; the full columns are freed.
        The server's threads query at once: the row copy is in place before the pruned one
        (the flag others test), under a lock so the work is done once."""
        if self._pruned is not None:
            return
        with self._prepare_lock:
            if self._pruned is None:
                counts = self.counts
                self._csr = counts.tocsr()
                self._pruned = _prune(counts, self.norms, PRUNE_POSTINGS)
                self._counts = None

    @classmethod
    def load(cls, path: Path) -> "_Part":
        with np.load(path) as z:
            counts = sp.csc_matrix((z["data"], z["indices"], z["indptr"]), shape=tuple(z["shape"]))
            return cls(counts, z["norms"], z["idf"] if "idf" in z.files else None,
                       z["cols"] if "cols" in z.files else None)

    def scores(self, features: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Cosine of every row with a query given as (feature ids, weights)."""
        features, weights = self._local(features, weights)
        if len(features) == 0:
            return np.zeros(self.n_rows, dtype=np.float32)
        return np.asarray(self.counts[:, features] @ weights).ravel() / self.norms

    def _local(self, features: np.ndarray, *per_feature: np.ndarray) -> tuple[np.ndarray, ...]:
        """Query feature ids as this part's columns, the ones it lacks dropped, with the arrays
        that go with them (weights, mass) filtered alike."""
        if self.cols is None:
            return (features, *per_feature)
        pos = np.minimum(np.searchsorted(self.cols, features), len(self.cols) - 1)
        found = self.cols[pos] == features
        return (pos[found], *(a[found] for a in per_feature))

    def exact_scores(self, rows: np.ndarray, features: np.ndarray, weights: np.ndarray,
                     mass: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The cosine of these (local) rows with the query: their rows read row-major, the
        query's features found by binary search (no array as wide as the feature space); and,
        per row, the sum of `mass` (one value per query feature) over the features it holds."""
        features, weights, mass = self._local(features, weights, mass)
        if len(features) == 0 or len(rows) == 0:
            return np.zeros(len(rows), dtype=np.float32), np.zeros(len(rows), dtype=np.float32)
        self.prepare()
        at, lens = _spans(self._csr.indptr, rows)  # the rows' entries, read in place (no scipy indexing)
        indices, data = self._csr.indices[at], self._csr.data[at]
        order = np.argsort(features)
        f, wv, mv = features[order], weights[order], mass[order]
        pos = np.minimum(np.searchsorted(f, indices), len(f) - 1)
        hit = f[pos] == indices
        per_row = np.repeat(np.arange(len(rows)), lens)
        cos = np.bincount(per_row, weights=np.where(hit, data * wv[pos], 0), minlength=len(rows)) / self.norms[rows]
        held = np.bincount(per_row, weights=np.where(hit, mv[pos], 0), minlength=len(rows))
        return cos.astype(np.float32), held.astype(np.float32)

    def rows(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """These (local) rows' sublinear counts: entries per row, feature ids, values (in row order)."""
        self.prepare()
        at, lens = _spans(self._csr.indptr, rows)
        indices = self._csr.indices[at]
        return lens, (self.cols[indices] if self.cols is not None else indices), self._csr.data[at]

    @classmethod
    def stack(cls, parts: list["_Part"]) -> "_Part":
        """Parts one after another as one part over the union of their columns: a query reads
        one matrix, not one per delta (each costs a little in scipy's indexing)."""
        csrs = [p._own_csr() for p in parts]
        glob = [p.cols[c.indices] if p.cols is not None else c.indices for p, c in zip(parts, csrs)]
        cols = np.unique(np.concatenate(glob))
        indptr = np.zeros(sum(c.shape[0] for c in csrs) + 1, dtype=np.int64)
        np.cumsum(np.concatenate([np.diff(c.indptr) for c in csrs]), out=indptr[1:])
        indices = np.searchsorted(cols, np.concatenate(glob)).astype(np.int32)  # cols sorted: rows stay sorted
        csr = sp.csr_matrix((np.concatenate([c.data for c in csrs]), indices, indptr),
                            shape=(len(indptr) - 1, len(cols)))
        block = cls(csr, np.concatenate([p.norms for p in parts]), None, cols)
        block._csr, block._counts = csr, None  # prepared here: the rows are already row-major
        block._pruned = _prune(csr, block.norms, PRUNE_POSTINGS)
        first = 0
        for p in parts:  # the parts keep no copy of their own (kept for a merge or a restack)
            p._in = (block, first)
            p._counts, p._csr, p._pruned = None, None, None
            first += p.n_rows
        return block

    def approx_scores(self, features: np.ndarray, weights: np.ndarray, mass: np.ndarray) -> np.ndarray:
        """Every row's score as _exact gives it (the cosine scaled by the share of the query's
        weight the row holds), over the pruned postings (each term's PRUNE_POSTINGS strongest
        rows): exact when nothing is pruned, else a lower bound of it. The scaling is applied
        here too, not to the candidates alone: rows left out of the candidates were chosen over
        scaled candidates by their bare cosine (at 10,000 plans, 40 of 60 bench queries had
        another top 20 than the exact one)."""
        features, weights, mass = self._local(features, weights, mass)
        if len(features) == 0:
            return np.zeros(self.n_rows, dtype=np.float32)
        self.prepare()
        cols = self._pruned[:, features]  # a copy: its values are overwritten below
        cos = np.asarray(cols @ weights).ravel()
        cols.data.fill(1)  # which rows hold each feature: a second product (np.bincount was 6x slower)
        held = np.asarray(cols @ mass).ravel()
        return (cos * _coverage(held)).astype(np.float32)

    def global_csr(self):
        """The rows over the full feature space (for a merge)."""
        m = self._own_csr()
        if self.cols is None:
            return m
        return sp.csr_matrix((m.data, self.cols[m.indices].astype(np.int32), m.indptr), shape=(m.shape[0], N_FEATURES))


class _Matrix:
    """The base part and its deltas, in row order, with the base's IDF and the live-row mask.

    Queries read `blocks()`: the base, and the deltas stacked as one part (built at the first
    query; a checkpoint adding a delta restacks the deltas only, never copies the base)."""

    def __init__(self, gen: int, parts: list[_Part], idf: np.ndarray):
        self.gen, self.parts, self.idf = gen, parts, idf
        self.rows = sum(p.n_rows for p in parts)
        self.alive = np.ones(self.rows, dtype=bool)
        self.left_out: dict[str, np.ndarray] = {}  # rows no answer gives (index/similar.py)
        self._blocks: Optional[list[tuple[int, _Part]]] = None
        self._lock = threading.Lock()

    def blocks(self) -> list[tuple[int, _Part]]:
        """(first row, part) of each block queries read, every block prepared."""
        if self._blocks is None:
            with self._lock:
                if self._blocks is None:
                    self.parts[0].prepare()  # the base first: stacking then fits under the peak of its copies
                    parts = self.parts[:1] + ([self.parts[1] if len(self.parts) == 2 else _Part.stack(self.parts[1:])]
                                              if len(self.parts) > 1 else [])
                    blocks, start = [], 0
                    for p in parts:
                        p.prepare()
                        blocks.append((start, p))
                        start += p.n_rows
                    self._blocks = blocks
                    if len(self.parts) > 2:
                        _trim_heap()
        return self._blocks

    def approx_scores(self, features: np.ndarray, weights: np.ndarray, mass: np.ndarray) -> np.ndarray:
        return np.concatenate([p.approx_scores(features, weights, mass) for _, p in self.blocks()])

    def row_vectors(self, rows: np.ndarray):
        """These global rows' sublinear counts over the full feature space (CSR, in this order)."""
        pieces: list = [None] * len(rows)
        for start, p in self.blocks():
            sel = np.flatnonzero((rows >= start) & (rows < start + p.n_rows))
            if len(sel):
                lens, indices, data = p.rows(rows[sel] - start)
                for j, end, n in zip(sel, np.cumsum(lens), lens):
                    pieces[j] = (indices[end - n:end], data[end - n:end])
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(i) for i, _ in pieces], out=indptr[1:])
        return sp.csr_matrix((np.concatenate([d for _, d in pieces]), np.concatenate([i for i, _ in pieces]), indptr),
                             shape=(len(rows), N_FEATURES))


def _trim_heap() -> None:
    """Give the heap's free pages back to the system (glibc). The deltas' loaded copies, freed
    once stacked, leave holes under the block's arrays that malloc does not return by itself:
    about 20 MB of resident memory at 10,000 plans, for nothing."""
    global _malloc_trim
    if _malloc_trim is None:
        try:
            import ctypes
            _malloc_trim = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):  # not glibc: nothing to do
            _malloc_trim = False
    if _malloc_trim:
        _malloc_trim(0)


_malloc_trim = None


def _spans(indptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of these rows' entries in a CSR's indices/data (row after row), and each row's count."""
    starts = indptr[rows]
    lens = indptr[rows + 1] - starts
    ends = np.cumsum(lens)
    return np.arange(ends[-1] if len(ends) else 0) + np.repeat(starts - ends + lens, lens), lens


def _top(scores: np.ndarray, n: int) -> np.ndarray:
    """Indices of the n best positive scores, best first."""
    n = min(len(scores), n)
    cand = np.argpartition(-scores, n - 1)[:n] if n < len(scores) else np.arange(len(scores))
    cand = cand[scores[cand] > 0]
    return cand[np.argsort(-scores[cand], kind="stable")]


def _exact(m: "_Matrix", rows: np.ndarray, features: np.ndarray, weights: np.ndarray,
           mass: np.ndarray) -> np.ndarray:
    """Exact scores of global rows, part by part: the cosine, scaled by how much of the query's
    weight (`mass`, summing to 1) the clause holds. A drafter pastes a sentence and wants the
    clauses that say all of it: a short clause sharing only the common words ("hộ nghèo, hộ cận
    nghèo") has a high cosine but misses what the sentence is about ("nhà ở")."""
    out = np.zeros(len(rows), dtype=np.float32)
    for start, p in m.blocks():
        sel = (rows >= start) & (rows < start + p.n_rows)
        if sel.any():
            cos, held = p.exact_scores(rows[sel] - start, features, weights, mass)
            out[sel] = cos * _coverage(held)
    return out


def _coverage(held: np.ndarray) -> np.ndarray:
    """The factor of a row's cosine for the share of the query's weight it holds."""
    return COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * np.minimum(held, 1)

def _prune(counts, norms: np.ndarray, keep: int):
    """counts / row norm, column-major, each column cut to its `keep` largest values."""
    c = counts.tocsc()
    lens = np.diff(c.indptr)
    data = (c.data / norms[c.indices]).astype(np.float32)
    long = np.flatnonzero(lens > keep)
    if len(long) == 0:
        return sp.csc_matrix((data, c.indices, c.indptr), shape=c.shape)
    kept = np.ones(len(data), dtype=bool)
    for j in long:
        a, b = c.indptr[j], c.indptr[j + 1]
        kept[a + np.argpartition(data[a:b], b - a - keep)[:b - a - keep]] = False
    new_lens = lens.copy()
    new_lens[long] = keep
    indptr = np.zeros(len(c.indptr), dtype=c.indptr.dtype)
    np.cumsum(new_lens, out=indptr[1:])
    return sp.csc_matrix((data[kept], c.indices[kept], indptr), shape=c.shape)


def _norms(counts, idf: np.ndarray) -> np.ndarray:
    """Each row's norm under idf (counts: CSR of sublinear counts)."""
    w = counts.data * idf[counts.indices]
    rows = np.repeat(np.arange(counts.shape[0], dtype=np.int32), np.diff(counts.indptr))
    norms = np.sqrt(np.bincount(rows, weights=w * w, minlength=counts.shape[0])).astype(np.float32)
    norms[norms == 0] = 1
    return norms


def _weights(counts, alive: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """IDF fitted by scikit-learn on the live rows, and every row's norm under it."""
    from sklearn.feature_extraction.text import TfidfTransformer
    live = counts[np.flatnonzero(alive)] if not alive.all() else counts
    idf = TfidfTransformer(sublinear_tf=True).fit(live).idf_.astype(np.float32)
    return idf, _norms(counts, idf)


def _save(path: Path, counts, idf: Optional[np.ndarray], norms: np.ndarray,
          cols: Optional[np.ndarray] = None) -> None:
    """Write temp, fsync, rename: readers see the old file or the whole new one."""
    tmp = path.with_suffix(".tmp")
    arrays = {"data": counts.data, "indices": counts.indices, "indptr": counts.indptr,
              "shape": np.array(counts.shape), "norms": norms}
    if idf is not None:
        arrays["idf"] = idf
    if cols is not None:
        arrays["cols"] = cols
    try:
        with open(tmp, "wb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:  # a full disk: the half-written temp file must not keep it full
        tmp.unlink(missing_ok=True)
        why = "ổ đĩa đã đầy, không ghi được chỉ mục điều khoản tương tự" if e.errno == errno.ENOSPC else e.strerror
        raise OSError(e.errno, why, str(path.parent)) from e


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(str(path), os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
