"""Similar clauses for drafters: TF-IDF over the analysed tokens, kept on disk beside the index.

Design (why):
- Clauses are grouped by the hash of their analysed tokens before anything else: the same
  boilerplate repeated in thousands of plans is one row with a count, so it is returned once
  (with how many plans use it) and the matrix stays small.
- Features come from scikit-learn's HashingVectorizer (word unigrams + bigrams of the
  analysed tokens): stateless, so adding plans never needs a vocabulary refit. The IDF is
  scikit-learn's TfidfTransformer, refitted on all live rows whenever the base matrix is
  rewritten; rows added since sit in small delta files weighted with the base's IDF (see
  checkpoint), so a single upload does not rewrite a matrix of 500,000 rows.
- Query: the sublinear term counts are kept column-major, so a query touches only the
  columns of its own terms. Candidates come from those terms' postings, divided by the row
  norm once at load. Pruning them to each term's PRUNE_POSTINGS strongest rows is built but
  off: at 10,000 plans it lost half of the top 10 (similar_matrix). So a query's cost grows
  with its terms' postings: the bench's similar p95 grows about x1.8 per doubling of the
  archive, as the raw product does. The column pass gives every row the score answers show
  (the cosine scaled by the share of the query the row holds), so rows left out of the
  candidates are ranked as the candidates are. The best CANDIDATES are then scored exactly
  from their rows (a row-major copy): with nothing pruned that changes no answer. The best of
  those are grouped as near copies from their own rows in the matrix. A query reads two
  blocks, the base and its deltas stacked as one (similar_matrix._Matrix.blocks): scipy's
  indexing costs about as much per block as the product itself.
  Removed plans' rows are masked until the next rebuild.

On disk, under DATA/similar/: `similar.db` (SQLite: rows, occurrences, plans, sections),
`counts-<gen>.npz` (base: counts, IDF, norms) and `delta-<gen>-<n>.npz`. A checkpoint writes
its matrix file (temp, fsync, rename) and then commits SQLite pointing at it, so a kill at
any moment leaves the previous consistent state.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

import numpy as np
import scipy.sparse as sp

from .similar_matrix import (N_FEATURES, _exact, _fsync_dir, _Matrix, _norms, _Part,  # noqa: F401
                             _save, _top, _weights)

MIN_TOKENS = 4  # shorter clauses ("Nội dung:") are never indexed
MIN_WORDS = 8  # shorter clauses and headings are indexed but left out of answers unless asked (short=True)
MERGE_SCORE = 0.95  # clauses this close to each other among the hits are one group
DELTA_ROWS = 5000  # new rows kept in delta files before a merge (or a fifth of the base, if more)
DELTA_FILES = 20  # each delta costs a little per query
# SQLite page cache of a write transaction (KiB): a plan's clauses insert at random places of the
# texts and occ indexes, and the default 2 MB cache re-read pages for each (add() at 10,000
# plans: 5.0 -> 3.5 ms a plan). Readers keep the default, so a server's memory does not grow.
WRITE_CACHE_KIB = 65536
CANDIDATES = 200  # rows re-scored exactly after the pruned postings (bench: recall@10 vs brute force)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS texts (row INTEGER PRIMARY KEY, hash TEXT UNIQUE NOT NULL, text TEXT NOT NULL,
                                  n INTEGER NOT NULL, tokens TEXT);
-- pseq: the plan's rowid in `plans`, which grows in ingest order (see _index_occ_by_row)
CREATE TABLE IF NOT EXISTS occ (row INTEGER NOT NULL, plan_id TEXT NOT NULL, clause_id TEXT NOT NULL,
                                section INTEGER, du_an TEXT, pseq INTEGER);
CREATE INDEX IF NOT EXISTS occ_plan ON occ(plan_id);
CREATE TABLE IF NOT EXISTS plans (plan_id TEXT PRIMARY KEY, doc TEXT, locality TEXT, province TEXT);
-- section paths repeat across clauses and plans: stored once
CREATE TABLE IF NOT EXISTS sections (id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL);
"""
PLAN_COLUMNS = (("identity", "TEXT"), ("year", "INTEGER"), ("level", "TEXT"), ("programs", "TEXT"))
SCHEMA_VERSION = 3  # 2: occurrences point to plans and sections instead of copying them; 3: occ.pseq


@dataclass
class ClauseRow:
    """A clause ready for the similarity index (made in the ingest workers)."""

    clause_id: str
    section: str
    du_an: Optional[str]
    text: str
    tokens: str  # analysed tokens, space separated
    hash: str
    short: bool = False  # a heading or under MIN_WORDS words: drafters want content


def clause_rows(clause_docs: list[dict]) -> list[ClauseRow]:
    """The clauses worth indexing, from index.documents' clause docs (already analysed: no second pass)."""
    out = []
    for d in clause_docs:
        toks = d.get("tokens") or ""
        n = len(toks.split())
        if n < MIN_TOKENS:
            continue
        scope = d.get("clause_du_an")  # "gnbv:DA5" (documents' "du_an" may be the plan's facet list)
        scope = scope.split(":", 1)[-1] if scope else (d.get("du_an") if isinstance(d.get("du_an"), str) else None)
        short = d.get("kind") == "heading" or n < MIN_WORDS
        h = _BLAKE10.copy()  # a copy skips the constructor's parameter parsing
        h.update(toks.encode("utf-8"))
        out.append(ClauseRow(d.get("clause_id") or d["id"], d.get("section") or "", scope, d.get("text") or "",
                             toks, h.hexdigest(), short))
    return out


_BLAKE10 = hashlib.blake2b(digest_size=10)


def _features(tokens: str) -> list[str]:
    toks = tokens.split()
    return toks + [a + " " + b for a, b in zip(toks, toks[1:])]


def _vectorizer():
    from sklearn.feature_extraction.text import HashingVectorizer
    return HashingVectorizer(analyzer=_features, n_features=N_FEATURES, alternate_sign=False, norm=None,
                             dtype=np.float32)


@dataclass
class Occurrence:
    plan_id: str
    clause_id: str
    doc: Optional[str]
    locality: Optional[str]
    province: Optional[str]
    section: Optional[str]
    du_an: Optional[str]
    identity: Optional[str] = None  # "Kế hoạch số 122/KH-UBND ngày 29/02/2024 của UBND tỉnh Đắk Nông"
    year: Optional[int] = None


@dataclass
class SimilarHit:
    text: str
    score: float  # cosine similarity to the query, 0..1
    count: int  # how many clauses in the archive say this (same analysed text, or ≥ 0.95 alike)
    plans: int  # in how many plans
    plan_id: str  # the first occurrence
    doc: Optional[str]
    locality: Optional[str]
    province: Optional[str]
    section: Optional[str]
    clause_id: str
    examples: list[Occurrence] = field(default_factory=list)  # a few more places it occurs
    identity: Optional[str] = None  # the first occurrence's document, as people name it
    year: Optional[int] = None
    repeated: Optional[str] = None  # "lặp lại ở 3 kế hoạch" when the clause is boilerplate

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class SimilarIndex:
    def __init__(self, data_dir: str | os.PathLike):
        self.dir = Path(data_dir) / "similar"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(self.dir / "similar.db"), timeout=30, isolation_level=None,
                                  check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self._read_cache = int(self.db.execute("PRAGMA cache_size").fetchone()[0])
        if {r[1] for r in self.db.execute("PRAGMA table_info(occ)")} & {"doc"}:
            # an index of an earlier layout: dropped, then refilled from the store by the next
            # write (Archive.reconcile) or `kehoach reindex`
            for t in ("meta", "texts", "occ", "plans"):
                self.db.execute(f"DROP TABLE IF EXISTS {t}")
            for f in self.dir.glob("counts-*"):
                f.unlink()
            self.db.execute("VACUUM")
        self.db.executescript(_SCHEMA)
        self._index_occ_by_row()
        if "tokens" not in {r[1] for r in self.db.execute("PRAGMA table_info(texts)")}:
            self.db.execute("ALTER TABLE texts ADD COLUMN tokens TEXT")  # rows without: analysed at query time
        if "short" not in {r[1] for r in self.db.execute("PRAGMA table_info(texts)")}:
            self.db.execute("ALTER TABLE texts ADD COLUMN short INTEGER")  # NULL: judged from the tokens
        if "plans" not in {r[1] for r in self.db.execute("PRAGMA table_info(texts)")}:
            # in how many plans a text occurs, kept by add/remove: an answer no longer counts the
            # occurrences of a clause repeated in every plan (5 ms a query at 2,000 plans, growing)
            self.db.execute("ALTER TABLE texts ADD COLUMN plans INTEGER")
            self.db.execute("UPDATE texts SET plans = (SELECT count(DISTINCT pseq) FROM occ "
                            "WHERE occ.row = texts.row)")
        have = {r[1] for r in self.db.execute("PRAGMA table_info(plans)")}
        for col, kind in PLAN_COLUMNS:
            if col not in have:  # provenance and filters; rows written before: NULL until reindex
                self.db.execute(f"ALTER TABLE plans ADD COLUMN {col} {kind}")
        self._short: Optional[tuple[int, np.ndarray]] = None
        self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        self._lock = threading.RLock()
        self._loaded: Optional[tuple[str, Optional[_Matrix]]] = None  # (version, matrix)
        self._pending: list[str] = []  # token strings of rows added since the last checkpoint
        self._in_tx = False
        self._rebuild = False  # cleared in this transaction: the next checkpoint writes a new base
        self._vec = _vectorizer()

    def close(self) -> None:
        if self._in_tx:
            self.db.execute("ROLLBACK")
            self._end_tx()
        self.db.close()

    def _index_occ_by_row(self) -> None:
        """One index of occurrences by row: (row, pseq), pseq being the plan's rowid in `plans`.

        It gives a row's first occurrences in ingest order and counts a row's plans from the
        index alone. It replaced two indexes, (row) for the order and (row, plan_id) for the
        counts. In (row, plan_id) a plan's clauses land at random places, and at 10,000 plans
        that index was half of the pages a write transaction dirtied: 49 -> ~25 pages a plan.
        An index of the earlier layout is migrated here, in one transaction."""
        if self.db.execute("SELECT 1 FROM sqlite_master WHERE type='index' AND name='occ_row_seq'").fetchone():
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            if "pseq" not in {r[1] for r in self.db.execute("PRAGMA table_info(occ)")}:
                self.db.execute("ALTER TABLE occ ADD COLUMN pseq INTEGER")
            self.db.execute("UPDATE occ SET pseq = (SELECT p.rowid FROM plans p WHERE p.plan_id = occ.plan_id) "
                            "WHERE pseq IS NULL")
            self.db.execute("DROP INDEX IF EXISTS occ_row")
            self.db.execute("DROP INDEX IF EXISTS occ_row_plan")
            self.db.execute("CREATE INDEX IF NOT EXISTS occ_row_seq ON occ(row, pseq)")
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def _end_tx(self) -> None:
        self._in_tx = False
        self.db.execute(f"PRAGMA cache_size={self._read_cache}")  # frees the write cache's pages

    # -- meta --
    def _meta(self, key: str, default: str = "0") -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def _set_meta(self, key: str, value: Any) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, str(value)))

    def plan_ids(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT plan_id FROM plans")}

    def _matrix_path(self, gen: int) -> Path:
        return self.dir / f"counts-{gen}.npz"

    def _delta_path(self, gen: int, n: int) -> Path:
        return self.dir / f"delta-{gen}-{n}.npz"

    # -- writes (between begin and checkpoint) --
    def _begin(self) -> None:
        if not self._in_tx:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(f"PRAGMA cache_size=-{WRITE_CACHE_KIB}")
            self._in_tx = True
            self._pending = []
            self._rows = int(self._meta("rows"))

    def add(self, plan_id: str, info: dict[str, Optional[str]], rows: Iterable[ClauseRow]) -> None:
        """Add a plan's clauses (info: doc, locality, province). Visible after checkpoint()."""
        self._begin()
        if self.db.execute("SELECT 1 FROM plans WHERE plan_id=?", (plan_id,)).fetchone():
            self._remove(plan_id)
        pseq = self.db.execute("INSERT INTO plans (plan_id, doc, locality, province, identity, year, level, programs) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               (plan_id, info.get("doc"), info.get("locality"), info.get("province"),
                                info.get("identity"), info.get("year"), info.get("level"), info.get("programs"))).lastrowid
        rows = list(rows)
        paths = {r.section for r in rows if r.section}
        self.db.executemany("INSERT OR IGNORE INTO sections (path) VALUES (?)", [(p,) for p in paths])
        section_id = {}
        for part in _chunks(sorted(paths), 500):
            section_id.update(self.db.execute(
                f"SELECT path, id FROM sections WHERE path IN ({','.join('?' * len(part))})", part))
        known: dict[str, int] = {}
        hashes = list({r.hash for r in rows})
        for i in range(0, len(hashes), 500):  # one lookup per plan, not per clause
            part = hashes[i:i + 500]
            known.update(self.db.execute(f"SELECT hash, row FROM texts WHERE hash IN ({','.join('?' * len(part))})", part))
        seen, new, occ = {}, [], []
        for r in rows:
            row = known.get(r.hash)
            if row is None:
                row = self._rows
                self._rows += 1
                known[r.hash] = row
                new.append((row, r.hash, r.text, r.tokens, int(r.short)))
                self._pending.append(r.tokens)
            seen[row] = seen.get(row, 0) + 1
            occ.append((row, plan_id, r.clause_id, section_id.get(r.section), r.du_an, pseq))
        # a new text is written with its counts; only texts stored before are updated (an
        # UPDATE per clause of every plan was a third of this method)
        self.db.executemany("INSERT INTO texts (row, hash, text, n, tokens, short, plans) VALUES (?, ?, ?, ?, ?, ?, 1)",
                            [(row, h, text, seen.pop(row), tokens, short) for row, h, text, tokens, short in new])
        self.db.executemany("UPDATE texts SET n = n + ?, plans = plans + 1 WHERE row = ?",
                            [(n, row) for row, n in seen.items()])
        self.db.executemany("INSERT INTO occ (row, plan_id, clause_id, section, du_an, pseq) VALUES (?,?,?,?,?,?)", occ)

    def remove(self, plan_id: str) -> None:
        self._begin()
        self._remove(plan_id)

    def _remove(self, plan_id: str) -> None:
        # the plan's own occurrences, by occ_plan (a count per row and plan would read every
        # occurrence of a boilerplate row)
        counts = self.db.execute("SELECT row, count(*) FROM occ WHERE plan_id = ? GROUP BY row", (plan_id,)).fetchall()
        self.db.executemany("UPDATE texts SET n = n - ?, plans = plans - 1 WHERE row = ?",
                            [(n, row) for row, n in counts])
        self.db.execute("DELETE FROM occ WHERE plan_id=?", (plan_id,))
        self.db.execute("DELETE FROM plans WHERE plan_id=?", (plan_id,))

    def checkpoint(self) -> None:
        """Make everything added/removed durable and visible: matrix file first, then the commit.

        New rows go to a small delta file weighted with the base's IDF; when the deltas grow
        past a fifth of the base (or DELTA_FILES files), everything is merged into a new base
        and the IDF refitted. So adding one plan to a big archive costs milliseconds, and a
        long ingest writes a total linear in its size.
        """
        if not self._in_tx:
            return
        gen, deltas = int(self._meta("gen")), int(self._meta("deltas"))
        if self._pending:
            new = self._vec.transform(self._pending).astype(np.float32).tocsr()
            np.log(new.data, out=new.data)
            new.data += 1  # sublinear tf, stored so queries do not pay for it
            base_rows = int(self._meta("base_rows"))
            small = self._rows - base_rows <= max(DELTA_ROWS, base_rows // 5)
            if gen and base_rows and not self._rebuild and deltas < DELTA_FILES and small:
                with np.load(self._matrix_path(gen)) as z:
                    idf = z["idf"]
                deltas += 1
                cols, local = np.unique(new.indices, return_inverse=True)  # only the features it uses
                compact = sp.csr_matrix((new.data, local.astype(np.int32), new.indptr), shape=(new.shape[0], len(cols)))
                _save(self._delta_path(gen, deltas), compact.tocsc(), None, _norms(new, idf), cols)
                self._set_meta("deltas", deltas)
            else:
                old = None if self._rebuild else self._load(gen, deltas, int(self._meta("rows")))
                counts = sp.vstack([p.global_csr() for p in old.parts] + [new], format="csr") if old else new
                alive = np.ones(counts.shape[0], dtype=bool)
                alive[self._dead_rows(counts.shape[0])] = False
                idf, norms = _weights(counts, alive)
                gen, deltas = gen + 1, 0
                _save(self._matrix_path(gen), counts.tocsc(), idf, norms)
                self._set_meta("gen", gen)
                self._set_meta("deltas", 0)
                self._set_meta("base_rows", self._rows)
            _fsync_dir(self.dir)
            self._set_meta("rows", self._rows)
        elif self._rebuild:  # emptied: no matrix (gen only ever grows, so cached parts never look current)
            for key, value in (("gen", gen + 1), ("deltas", 0), ("base_rows", 0), ("rows", 0)):
                self._set_meta(key, value)
        self._set_meta("version", int(self._meta("version")) + 1)
        self.db.execute("COMMIT")
        self._end_tx()
        self._pending = []
        self._rebuild = False
        self._cleanup(int(self._meta("gen")), int(self._meta("deltas")))

    def _cleanup(self, gen: int, deltas: int) -> None:
        """Remove matrix files the committed state does not use (only the writer calls this)."""
        keep = {self._matrix_path(gen).name} | {self._delta_path(gen, d).name for d in range(1, deltas + 1)}
        for p in list(self.dir.glob("counts-*")) + list(self.dir.glob("delta-*")):
            if p.name not in keep:
                try:
                    p.unlink()
                except OSError:
                    pass

    def clear(self, deferred: bool = False) -> None:
        """Drop everything. deferred: inside the write transaction, so readers keep the old index
        until the rebuild that follows is checkpointed (`reindex`)."""
        if self._in_tx:
            self.db.execute("ROLLBACK")
            self._end_tx()
        self._begin()
        for t in ("texts", "occ", "plans", "sections"):
            self.db.execute(f"DELETE FROM {t}")
        self._rows = 0
        self._rebuild = True
        if not deferred:
            self.checkpoint()
            self._loaded = None

    # -- reads --
    def _dead_rows(self, n: int) -> np.ndarray:
        rows = np.fromiter((r for (r,) in self.db.execute("SELECT row FROM texts WHERE n <= 0")), dtype=np.int64)
        return rows[rows < n]

    def _load(self, gen: int, deltas: int, rows: int, cached: Optional["_Matrix"] = None) -> Optional["_Matrix"]:
        """The base and its deltas (the parts already in `cached` are reused, not read again)."""
        if gen == 0 or rows == 0:
            return None
        if cached is not None and cached.gen == gen and len(cached.parts) <= deltas + 1:
            parts, idf = list(cached.parts), cached.idf
        else:
            base = _Part.load(self._matrix_path(gen))
            parts, idf = [base], base.idf
        for d in range(len(parts), deltas + 1):
            parts.append(_Part.load(self._delta_path(gen, d)))
        total = sum(p.n_rows for p in parts)
        if total > rows:  # defensive: rows never committed are cut off
            last = parts[-1]
            keep = last.n_rows - (total - rows)
            parts[-1] = _Part(last.counts.tocsr()[:keep].tocsc(), last.norms[:keep], last.idf, last.cols)
        return _Matrix(gen, parts, idf)

    def _current(self) -> Optional["_Matrix"]:
        with self._lock:
            for attempt in range(3):
                meta = dict(self.db.execute("SELECT key, value FROM meta WHERE key IN "
                                            "('version', 'gen', 'deltas', 'rows')"))  # one read a query
                version, gen, deltas = meta.get("version", "0"), int(meta.get("gen", 0)), int(meta.get("deltas", 0))
                if self._loaded and self._loaded[0] == version:
                    return self._loaded[1]
                try:
                    m = self._load(gen, deltas, int(meta.get("rows", 0)), self._loaded[1] if self._loaded else None)
                    break
                except FileNotFoundError:  # a writer replaced the base while we read the meta: read again
                    if attempt == 2:
                        raise
            if m is not None:  # plans removed since the rows were written: their rows are masked
                m.alive = np.ones(m.rows, dtype=bool)
                m.alive[self._dead_rows(m.rows)] = False
            self._loaded = (version, m)
            return m

    def warm(self) -> None:
        """Load the matrix and build its query copies now (else on the first query)."""
        m = self._current()
        if m is not None:
            m.blocks()

    def _vectors(self, token_strings: list[str], idf: np.ndarray):
        """TF-IDF rows (sublinear tf, l2-normalized) of analysed texts."""
        v = self._vec.transform(token_strings).astype(np.float32).tocsr()
        np.log(v.data, out=v.data)
        v.data += 1
        return _weighted(v, idf)

    def _left_out(self, m: _Matrix, short: bool) -> np.ndarray:
        """Rows never answered: removed plans' rows, and headings and short clauses unless asked
        (kept with the matrix, which a new version replaces)."""
        key = "short" if short else "content"
        if key not in m.left_out:
            dead = ~m.alive
            m.left_out[key] = np.flatnonzero(dead if short else dead | self._short_rows(m.rows))
        return m.left_out[key]

    def _short_rows(self, n: int) -> np.ndarray:
        """Rows that are headings or under MIN_WORDS words (cached until rows are added)."""
        if self._short is None or self._short[0] != n:
            mask = np.zeros(n, dtype=bool)
            for row, short, tokens in self.db.execute("SELECT row, short, tokens FROM texts WHERE row < ? AND "
                                                      "(short = 1 OR short IS NULL)", (n,)):
                mask[row] = bool(short) if short is not None else len((tokens or "").split()) < MIN_WORDS
            self._short = (n, mask)
        return self._short[1]

    def _allowed_rows(self, n: int, filters: dict[str, list[str]]) -> np.ndarray:
        """Rows with an occurrence in a plan (and Dự án) passing the filters: province, level,
        program, du_an ("DA5" or "gnbv:DA5")."""
        where, args = [], []
        for col, key in (("p.province", "province"), ("p.level", "level")):
            if filters.get(key):
                where.append(f"{col} IN ({','.join('?' * len(filters[key]))})")
                args += list(filters[key])
        if filters.get("program"):
            where.append("(" + " OR ".join("p.programs LIKE ?" for _ in filters["program"]) + ")")
            args += [f"%,{v},%" for v in filters["program"]]
        if filters.get("du_an"):
            scopes = [v.split(":", 1)[-1] for v in filters["du_an"]]
            where.append("(" + " OR ".join("o.du_an = ? OR o.du_an LIKE ?" for _ in scopes) + ")")
            for v in scopes:
                args += [v, v + ".%"]
        mask = np.ones(n, dtype=bool)
        if where:
            mask[:] = False
            sql = "SELECT DISTINCT o.row FROM occ o JOIN plans p ON p.plan_id = o.plan_id WHERE " + " AND ".join(where)
            rows = [r for (r,) in self.db.execute(sql, args) if r < n]
            mask[rows] = True
        return mask

    def query(self, text: str, k: int = 10, analyze=None, examples: int = 3,
              filters: Optional[dict[str, list[str]]] = None, short: bool = False) -> list[SimilarHit]:
        """The k clauses most like text, near-identical ones grouped. Headings and clauses under
        MIN_WORDS words only with short=True; filters: province, level, program, du_an."""
        if analyze is None:
            from .analysis import analyze
        k = max(1, min(int(k), 100))
        m = self._current()
        toks = " ".join(analyze(text or ""))
        if m is None or not toks:
            return []
        q = self._vectors([toks], m.idf)
        if q.nnz == 0:
            return []
        # cosine: sum over the query's terms only (column slices), then the rows' norms
        w = q.data * m.idf[q.indices]
        mass = q.data * q.data  # the query's l2-normalized weights: their squares sum to 1
        scores = m.approx_scores(q.indices, w, mass)
        with self._lock:
            scores[self._left_out(m, short)] = 0
            if filters:
                scores[~self._allowed_rows(len(scores), filters)] = 0
        cand = _top(scores, max(CANDIDATES, k * 2))
        scores[cand] = _exact(m, cand, q.indices, w, mass)  # the pruned postings' bound, made exact
        # over every row again, not the candidates alone: equal scores are common (a clause
        # repeated with other place names) and their order is the one this selection gives
        cand = _top(scores, max(k * 2, 10))  # near-duplicates of a hit score next to it
        groups = _merge_near(m, cand)
        with self._lock:  # one SQLite connection shared by the API's threads
            return self._hits(groups[:k], scores, examples)

    def _hits(self, groups: list[list[int]], scores, examples: int) -> list[SimilarHit]:
        """The hits of these groups (best row first), read in three SQL statements, not two a hit."""
        if not groups:
            return []
        best = [int(g[0]) for g in groups]
        marks = ",".join("?" * len(best))
        texts = {row: (text, n, plans) for row, text, n, plans in
                 self.db.execute(f"SELECT row, text, n, plans FROM texts WHERE row IN ({marks})", best)}
        # the first occurrences of each row in ingest order: no sort, however many plans repeat the clause
        occ: dict[int, list[Occurrence]] = {row: [] for row in best}
        one = ("SELECT * FROM (SELECT o.row, o.plan_id, o.clause_id, p.doc, p.locality, p.province, s.path, o.du_an, "
               "p.identity, p.year FROM (SELECT * FROM occ INDEXED BY occ_row_seq WHERE row=? ORDER BY pseq LIMIT ?) o "
               "JOIN plans p ON p.plan_id = o.plan_id LEFT JOIN sections s ON s.id = o.section)")
        args = [x for row in best for x in (row, examples + 1)]
        for r in self.db.execute(" UNION ALL ".join([one] * len(best)), args):
            occ[r[0]].append(Occurrence(*r[1:]))
        out = []
        for group, row in zip(groups, best):
            text, count, plans = texts[row]
            if len(group) > 1 or plans is None:  # near copies: a plan may hold several of them
                count, plans = self.db.execute(
                    f"SELECT count(*), count(DISTINCT pseq) FROM occ WHERE row IN ({','.join('?' * len(group))})",
                    [int(g) for g in group]).fetchone()
            first, more = occ[row][0], occ[row][1:]
            out.append(SimilarHit(text=text, score=round(float(scores[row]), 4), count=count, plans=plans,
                                  plan_id=first.plan_id, doc=first.doc, locality=first.locality,
                                  province=first.province, section=first.section, clause_id=first.clause_id,
                                  examples=more, identity=first.identity or first.doc, year=first.year,
                                  repeated=f"lặp lại ở {plans} kế hoạch" if plans > 1 else None))
        return out


def _merge_near(m: _Matrix, cand: np.ndarray) -> list[list[int]]:
    """Group candidates ≥ MERGE_SCORE alike (in score order), from their rows in the matrix."""
    if len(cand) == 0:
        return []
    vecs = _weighted(m.row_vectors(cand), m.idf)
    cols, local = np.unique(vecs.indices, return_inverse=True)  # only the columns the candidates use
    small = sp.csr_matrix((vecs.data, local, vecs.indptr), shape=(vecs.shape[0], len(cols)))
    sim = (small @ small.T).toarray()  # sparse product: a BLAS call on a tiny matrix costs ms in thread wake-ups
    taken = np.zeros(len(cand), dtype=bool)
    groups = []
    for i in range(len(cand)):
        if taken[i]:
            continue
        members = np.where((sim[i] >= MERGE_SCORE) & ~taken)[0]
        members = members if i in members else np.append(i, members)
        taken[members] = True
        groups.append([int(cand[j]) for j in sorted(members, key=lambda j: j != i)])
    return groups


def _weighted(v, idf: np.ndarray):
    """Sublinear counts (CSR, float32) weighted by idf and l2-normalized, in place."""
    v.data *= idf[v.indices]
    norms = np.sqrt(np.bincount(np.repeat(np.arange(v.shape[0]), np.diff(v.indptr)), weights=v.data * v.data,
                                minlength=v.shape[0]))
    norms[norms == 0] = 1
    v.data /= np.repeat(norms, np.diff(v.indptr)).astype(np.float32)  # in place: no n_features-wide temporaries
    return v


def _chunks(items: list, n: int):
    for i in range(0, len(items), n):
        yield items[i:i + n]
