"""The archive of extractions: every plan's extraction, kept so any index can be rebuilt.

One SQLite file, `KEHOACH_DATA/archive.db`. SQLite is the manifest and the crash safety:
a batch of plans is one transaction (journal + fsync), so a process killed mid-batch
leaves every committed plan readable and never a half-written one. Each plan record is
stored whole (gzip JSON, the same record as one line of `kehoach export`), next to small
derived tables that make list/compare/cites fast without reading the records:

- plans:      one row per plan id, summary columns for listing and filters, the record
- sources:    source (absolute path or uploaded name) -> plan id; a changed file replaces
- du_an_rows: one row per (plan, program, Dự án) for `compare`
- refs:       one row per (plan, cited number) for `cites`

A plan id comes from content: the first 16 hex of sha256 of the NFC text.
"""
from __future__ import annotations

import contextlib
import errno
import functools
import gzip
import hashlib
import json
import os
import sqlite3
import unicodedata
import zlib
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from extraction.model import Plan
from extraction.textkeys import canonical_number, name_key, number_key  # noqa: F401 (re-exported)

from index import jsonbytes
from . import duplicates
from .derived import _COPIED, FIGURES, _plan_total, derive_rows, plan_columns
from .settings import Settings

SCHEMA_VERSION = 7  # 2: du_an_rows carries its plan's columns (compare without a join); 3: number keys from extraction.textkeys (lower case); 4, 5: content fingerprints and their identity (archive/duplicates.py); 6: plans.issuer (one identity line in search, list and compare), refs of laws cited by title under their number; 7: one-permutation MinHash fingerprints (every stored one computed again)

WRITE_CACHE_KIB = 65536  # SQLite page cache of a write transaction (commit_batch)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS plans (
    plan_id TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    source TEXT,
    ingested_at TEXT,
    is_plan INTEGER NOT NULL,
    title TEXT, doc_type TEXT, number TEXT, number_key TEXT,
    locality TEXT, province TEXT, level TEXT, program TEXT,
    years TEXT,              -- ",2021,2022," so a year filter is a LIKE
    year INTEGER,            -- first plan year, else issue year
    year_last INTEGER,       -- last plan year, else issue year
    issue_date TEXT,
    chars INTEGER,
    record BLOB NOT NULL,    -- gzip JSON of the export record
    total_vnd INTEGER,       -- the plan's total budget
    issuer TEXT              -- the issuing body as the text names it (for the identity line)
);
CREATE TABLE IF NOT EXISTS sources (source TEXT PRIMARY KEY, plan_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS sources_plan ON sources(plan_id);
CREATE TABLE IF NOT EXISTS du_an_rows (
    plan_id TEXT NOT NULL, program TEXT NOT NULL, du_an TEXT NOT NULL,
    row TEXT NOT NULL,       -- JSON: amounts, agencies, targets, name
    text TEXT NOT NULL,      -- the section's clauses
    -- the plan's columns, copied so compare needs no join (same names as in plans)
    doc TEXT, locality TEXT, province TEXT, level TEXT, doc_type TEXT,
    years TEXT, year INTEGER, year_last INTEGER,
    -- the Dự án's figures in đồng (archive.derived.FIGURES), added by _migrate to older archives
    vnd_total INTEGER, vnd_nstw INTEGER, vnd_nsdp INTEGER, vnd_khac INTEGER, vnd_dau_tu INTEGER, vnd_su_nghiep INTEGER
);
DROP INDEX IF EXISTS du_an_key;
CREATE INDEX IF NOT EXISTS du_an_plan ON du_an_rows(plan_id);
CREATE TABLE IF NOT EXISTS refs (
    plan_id TEXT NOT NULL, number TEXT NOT NULL, key TEXT NOT NULL,
    relation TEXT, doc_type TEXT, date TEXT, issuer TEXT, mentions INTEGER
);
CREATE INDEX IF NOT EXISTS refs_key ON refs(key, plan_id);
CREATE INDEX IF NOT EXISTS refs_plan ON refs(plan_id);
"""

# Compare's index (created after _migrate, which adds the figures to older archives): rows in
# compare's order, so a page is read without sorting every row; the filter columns and the
# figures in it, so the count, the sums and the filters of a comparison never read the table.
_DU_AN_INDEX = """
DROP INDEX IF EXISTS du_an_sorted;
CREATE INDEX IF NOT EXISTS du_an_page ON du_an_rows(program, du_an, province, locality, year, plan_id,
    level, doc_type, years, year_last, vnd_total, vnd_nstw, vnd_nsdp, vnd_khac, vnd_dau_tu, vnd_su_nghiep);
"""


def plan_id_for(text: str) -> str:
    """Content id: same text (in any Unicode form) -> same id."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()[:16]


# names in filters and the SQL fold() function: extraction.textkeys.name_key (compare.py
# imports it by this name)
fold = name_key


@dataclass
class Record:
    """One archived plan: what `kehoach export` writes per line."""

    plan_id: str
    doc: str
    plan: Plan
    ingested_at: str
    source: Optional[str] = None
    load: dict[str, Any] = field(default_factory=dict)  # format, encoding, warnings of the loader
    # precomputed in the ingest workers so the writing process does not pay for them
    blob: Optional[bytes] = field(default=None, repr=False, compare=False)
    derived: Optional[tuple[list, list]] = field(default=None, repr=False, compare=False)
    fingerprint: Optional[duplicates.Fingerprint] = field(default=None, repr=False, compare=False)
    cols: Optional[dict[str, Any]] = field(default=None, repr=False, compare=False)  # plans row, no blob

    def prepare(self) -> "Record":
        """Encode the record, its plans row and derived rows now (in a worker process)."""
        self.blob = encode_record(self)
        self.derived = derive_rows(self.plan)
        self.cols = plan_columns(self)
        self.fingerprint = self.fingerprint or duplicates.fingerprint(self.plan.text)
        return self

    # A prepared record crosses to the writing process without its Plan (the blob holds it:
    # unpickling the dataclass tree cost the writer ~1.4 ms a plan); `.plan` is decoded again
    # from the blob only if something asks for it.
    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        if state.get("blob") is not None and state.get("cols") is not None:
            state.pop("plan", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def __getattr__(self, name: str) -> Any:  # only called for a missing attribute
        if name == "plan" and self.__dict__.get("blob") is not None:
            plan = decode_record(self.__dict__["blob"]).plan
            self.__dict__["plan"] = plan
            return plan
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def is_plan(self) -> bool:
        return bool(self.cols["is_plan"]) if self.cols is not None else bool(self.plan.is_plan)

    @property
    def notes(self) -> list[str]:
        """Why it is not a plan, else the loader's warnings."""
        if self.cols is not None:
            return list(self.cols.get("_notes") or [])
        return list(self.plan.warnings if not self.plan.is_plan else self.load.get("warnings") or [])

    def to_dict(self) -> dict[str, Any]:
        return {
            "plan_id": self.plan_id,
            "doc": self.doc,
            "source": self.source,
            "ingested_at": self.ingested_at,
            "load": self.load,
            "plan": plain(self.plan),  # == Plan.to_dict(), without asdict's deep copies (4x faster)
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any], where: str = "record") -> "Record":
        if not isinstance(d, dict) or not isinstance(d.get("plan"), dict):
            raise ValueError(f"{where}: không phải bản ghi của kho (cần một đối tượng có 'plan')")
        plan = Plan.from_dict(d["plan"])
        if not plan.text:
            raise ValueError(f"{where}: kế hoạch không có 'text'")
        pid = plan_id_for(plan.text)
        if d.get("plan_id") and d["plan_id"] != pid:
            raise ValueError(f"{where}: plan_id {d['plan_id']} không khớp với văn bản (phải là {pid})")
        return cls(
            plan_id=pid,
            doc=d.get("doc") or plan.doc,
            plan=plan,
            ingested_at=d.get("ingested_at") or "",
            source=d.get("source"),
            load=dict(d.get("load") or {}),
        )


_FIELDS: dict[type, Optional[tuple[str, ...]]] = {}


def _names(cls: type) -> Optional[tuple[str, ...]]:
    """Field names of a dataclass type, None for any other type (cached: is_dataclass is slow)."""
    try:
        return _FIELDS[cls]
    except KeyError:
        names = _FIELDS[cls] = tuple(f.name for f in fields(cls)) if is_dataclass(cls) else None
        return names


def plain(obj: Any) -> Any:
    """A dataclass tree as JSON values, like dataclasses.asdict for these plain-data models."""
    names = _names(type(obj))
    if names is not None:
        return {n: plain(getattr(obj, n)) for n in names}
    cls = type(obj)
    if cls is list or cls is tuple:
        return [plain(x) for x in obj]
    if cls is dict:
        return {k: plain(v) for k, v in obj.items()}
    return obj


def _as_json(obj: Any) -> Any:
    # json's C encoder walks lists, dicts and scalars itself and calls this only for the dataclasses
    names = _names(type(obj))
    if names is None:
        raise TypeError(f"{type(obj).__name__} is not JSON serializable")
    # a dataclass's __init__ sets its fields in order: its __dict__ is the record (read, not
    # copied: a quarter of the encoding), unless something added an attribute
    d = obj.__dict__
    return d if len(d) == len(names) else {n: getattr(obj, n) for n in names}


def record_json(rec: Record) -> bytes:
    """The record as one JSON line, UTF-8 (the values of rec.to_dict(), 7x faster than json.dumps)."""
    head = {"plan_id": rec.plan_id, "doc": rec.doc, "source": rec.source, "ingested_at": rec.ingested_at,
            "load": rec.load, "plan": rec.plan}
    return jsonbytes.dumps(head, default=_as_json)


def encode_record(rec: Record) -> bytes:
    """gzip JSON, deflate level 1. zlib writes the gzip member itself (wbits 31): gzip.compress
    also ran a separate CRC pass and copied the result; gzip.decompress reads both alike."""
    return zlib.compress(record_json(rec), 1, 31)


def decode_record(blob: bytes) -> Record:
    return Record.from_dict(jsonbytes.loads(gzip.decompress(blob)))


# ---- the store ----------------------------------------------------------------------

@dataclass
class Pending:
    """A plan to commit and the plans it replaces."""

    record: Record
    source: Optional[str]


class StoreError(OSError):
    """The archive cannot be read or written (full disk, read-only folder, not a folder): one
    line in Vietnamese naming the path; an OSError, so every command prints it as such."""

    def __init__(self, path: Path, cause: BaseException):
        text = str(cause).lower()
        folder = path if path.is_dir() else path.parent
        if "unable to open" in text and folder.is_dir() and not os.access(folder, os.W_OK):
            text = "readonly"
        if "full" in text or getattr(cause, "errno", None) == errno.ENOSPC:
            code, why = errno.ENOSPC, "ổ đĩa đã đầy, không ghi được kho (giải phóng chỗ rồi chạy lại)"
        elif "readonly" in text or "read-only" in text or getattr(cause, "errno", None) in (errno.EROFS, errno.EACCES, errno.EPERM):
            code, why = errno.EROFS, "thư mục dữ liệu chỉ đọc, không ghi được kho (KEHOACH_DATA)"
        elif isinstance(cause, (FileExistsError, NotADirectoryError)):
            code, why = errno.ENOTDIR, "không phải là thư mục (KEHOACH_DATA)"
        else:
            code, why = errno.EIO, f"không mở hoặc không ghi được kho: {cause}"
        super().__init__(code, why, str(path))

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


class Store:
    """Opened for reading only while nothing is written (search, export, a server's reads work
    on a read-only folder); the first write reopens it for writing."""

    def __init__(self, data_dir: str | os.PathLike, mmap_mb: int = Settings.store_mmap_mb):
        self.dir = Path(data_dir)
        self.path = self.dir / "archive.db"
        self._mmap_mb = mmap_mb
        self._closed: list[sqlite3.Connection] = []
        self.read_only = False
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(self.dir, e) from None
        if self._current_on_disk():
            try:
                self.db = self._connect(read_only=True)
                self.read_only = True
                return
            except sqlite3.Error:
                pass  # e.g. a WAL file that needs recovery: open for writing below
        self._open_writable()

    def _current_on_disk(self) -> bool:
        """An archive of the current schema exists (nothing to create or migrate)."""
        if not self.path.is_file():
            return False
        try:
            con = self._connect(read_only=True)
            try:
                row = con.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
                have = {r[1] for r in con.execute("PRAGMA table_info(plans)")}
                have |= {r[1] for r in con.execute("PRAGMA table_info(du_an_rows)")}
                have |= {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='index'")}
            finally:
                con.close()
        except sqlite3.Error:
            return False
        return bool(row) and int(row[0]) >= SCHEMA_VERSION and {"total_vnd", "issuer", *FIGURES, "du_an_page"} <= have

    def _connect(self, read_only: bool) -> sqlite3.Connection:
        if read_only:
            try:
                db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30, isolation_level=None,
                                     check_same_thread=False)
                db.execute("SELECT count(*) FROM plans").fetchone()
            except sqlite3.OperationalError:
                # a WAL archive in a folder this process cannot write (no -shm to create): nobody
                # can be writing it either, so it is read as an immutable file
                db = sqlite3.connect(f"file:{self.path}?immutable=1", uri=True, timeout=30, isolation_level=None,
                                     check_same_thread=False)
                db.execute("SELECT count(*) FROM plans").fetchone()
        else:
            db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")  # a committed batch survives power loss too
        # reads (compare fetches megabytes of rows on a big archive) straight from the page cache
        db.execute(f"PRAGMA mmap_size={int(self._mmap_mb) << 20}")
        db.create_function("fold", 1, _fold_cached, deterministic=True)
        return db

    def _writable(self) -> None:
        """Reopen for writing (the first write of a process that opened the archive read-only).
        Callers hold the archive's lock, as every read does: no cursor of the old connection is open."""
        if self.read_only:
            old = self.db
            self._open_writable()
            self._closed.append(old)

    def _open_writable(self) -> None:
        try:
            self.db = self._connect(read_only=False)
            self.read_only = False
            row = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone() \
                if self.db.execute("SELECT 1 FROM sqlite_master WHERE name='meta'").fetchone() else None
            if row and int(row[0]) < 2:  # derived tables changed shape: rebuilt from the records below
                self.db.execute("DROP TABLE IF EXISTS du_an_rows")
                self.db.execute("DROP INDEX IF EXISTS refs_key")
            self.db.executescript(_SCHEMA + duplicates.SCHEMA)
            self._migrate()
            self.db.executescript(_DU_AN_INDEX)
            if row and int(row[0]) == 6:  # only the fingerprints changed since
                self.refingerprint()
            elif row and int(row[0]) < SCHEMA_VERSION:
                self.rederive()
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        except sqlite3.Error as e:
            raise StoreError(self.path, e) from None

    def _migrate(self) -> None:
        """Columns added after an archive was created (additive only)."""
        have = {r[1] for r in self.db.execute("PRAGMA table_info(plans)")}
        if "total_vnd" not in have:
            self.db.execute("ALTER TABLE plans ADD COLUMN total_vnd INTEGER")
        if "issuer" not in have:
            self.db.execute("ALTER TABLE plans ADD COLUMN issuer TEXT")
        if "vnd_total" not in {r[1] for r in self.db.execute("PRAGMA table_info(du_an_rows)")}:
            self._add_figures()

    def _add_figures(self) -> None:
        """du_an_rows' figures, filled from each row's JSON (the rows stay as they are): one
        transaction, so a kill leaves the archive as it was and the next open does it again."""
        from .derived import row_figures

        try:
            self.db.execute("BEGIN IMMEDIATE")
            if "vnd_total" in {r[1] for r in self.db.execute("PRAGMA table_info(du_an_rows)")}:
                self.db.execute("COMMIT")  # another process did it while this one waited for the lock
                return
            for name in FIGURES:
                self.db.execute(f"ALTER TABLE du_an_rows ADD COLUMN {name} INTEGER")
            sets = ", ".join(f"{name}=?" for name in FIGURES)
            last = 0
            while True:  # in slices of rowids: the table is read while it is updated
                got = self.db.execute("SELECT rowid, du_an, row FROM du_an_rows WHERE rowid > ? ORDER BY rowid LIMIT 5000",
                                      (last,)).fetchall()
                if not got:
                    break
                self.db.executemany(f"UPDATE du_an_rows SET {sets} WHERE rowid=?",
                                    [(*row_figures(du_an, json.loads(row)), rowid) for rowid, du_an, row in got])
                last = got[-1][0]
            self.db.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def close(self) -> None:
        for db in self._closed:
            db.close()
        self.db.close()

    # -- reads --
    def plan_ids(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT plan_id FROM plans")}

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM plans").fetchone()[0]

    def has(self, plan_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM plans WHERE plan_id=?", (plan_id,)).fetchone() is not None

    def get(self, plan_id: str) -> Optional[Record]:
        row = self.db.execute("SELECT record FROM plans WHERE plan_id=?", (plan_id,)).fetchone()
        return decode_record(row[0]) if row else None

    def source_plan(self, source: str) -> Optional[str]:
        row = self.db.execute("SELECT plan_id FROM sources WHERE source=?", (source,)).fetchone()
        return row[0] if row else None

    def sources_of(self, plan_id: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT source FROM sources WHERE plan_id=? ORDER BY source", (plan_id,))]

    def doc_of(self, plan_id: str) -> Optional[str]:
        row = self.db.execute("SELECT doc FROM plans WHERE plan_id=?", (plan_id,)).fetchone()
        return row[0] if row else None

    def records(self, ids: Optional[Iterable[str]] = None) -> Iterator[Record]:
        """Every record (or those ids), in plan id order, streamed."""
        if ids is None:
            cur = self.db.execute("SELECT record FROM plans ORDER BY plan_id")
            for (blob,) in cur:
                yield decode_record(blob)
            return
        for pid in sorted(ids):
            rec = self.get(pid)
            if rec is not None:
                yield rec

    def record_lines(self) -> Iterator[str]:
        """Every record as its export JSON line (the stored text, not decoded), in plan id order."""
        for (blob,) in self.db.execute("SELECT record FROM plans ORDER BY plan_id"):
            yield gzip.decompress(blob).decode("utf-8")

    # -- writes: one transaction per batch --
    def commit_batch(self, add: list[Pending], remove: Iterable[str] = (), link: Iterable[tuple[str, str]] = ()) -> None:
        """Add records, remove plan ids, map sources to plan ids: all or nothing."""
        self._writable()
        db = self.db
        read_cache = db.execute("PRAGMA cache_size").fetchone()[0]
        try:
            with self._write_transaction():
                # rows go to random places of the plans, derived and fingerprint indexes: the
                # default 2 MB page cache re-read pages for each; readers keep the default
                db.execute(f"PRAGMA cache_size=-{WRITE_CACHE_KIB}")
                for pid in remove:
                    self._remove(pid)
                for p in add:
                    self._put(p.record)
                    if p.source:
                        db.execute("INSERT OR REPLACE INTO sources VALUES (?, ?)", (p.source, p.record.plan_id))
                for source, pid in link:
                    db.execute("INSERT OR REPLACE INTO sources VALUES (?, ?)", (source, pid))
        finally:
            with contextlib.suppress(sqlite3.Error):
                db.execute(f"PRAGMA cache_size={read_cache}")  # frees the write cache's pages

    @contextlib.contextmanager
    def _write_transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE .. COMMIT; on any failure rolled back, and SQLite's errors said as a
        StoreError naming the archive."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
            yield
            self.db.execute("COMMIT")
        except BaseException as e:
            self._rollback()
            if isinstance(e, sqlite3.Error):
                raise StoreError(self.path, e) from None
            raise

    def _rollback(self) -> None:
        """Undo the open transaction, if SQLite has not already (after a full disk it has: a
        ROLLBACK then fails and would hide the real cause)."""
        if self.db.in_transaction:
            try:
                self.db.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def orphans(self, plan_ids: Iterable[str]) -> list[str]:
        """Those ids no source points to any more (safe to remove)."""
        return [pid for pid in plan_ids
                if self.db.execute("SELECT 1 FROM sources WHERE plan_id=?", (pid,)).fetchone() is None]

    def _put(self, rec: Record) -> None:
        row = dict(rec.cols if rec.cols is not None else plan_columns(rec))
        row.pop("_notes", None)
        row["record"] = rec.blob or encode_record(rec)
        self.db.execute(f"INSERT OR REPLACE INTO plans ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                        list(row.values()))
        self._derive(rec.plan_id, rec.derived or derive_rows(rec.plan), row)
        duplicates.put(self.db, rec.plan_id, rec.fingerprint or duplicates.fingerprint(rec.plan.text),
                       duplicates.identity_of(row))

    def _derive(self, plan_id: str, derived: tuple[list, list], cols: dict[str, Any]) -> None:
        du_an, refs = derived
        copied = tuple(cols[c] for c in _COPIED)
        self.db.execute("DELETE FROM du_an_rows WHERE plan_id=?", (plan_id,))
        self.db.execute("DELETE FROM refs WHERE plan_id=?", (plan_id,))
        names = ("plan_id", "program", "du_an", "row", "text", *FIGURES, *_COPIED)
        self.db.executemany(f"INSERT INTO du_an_rows ({', '.join(names)}) VALUES ({','.join('?' * len(names))})",
                            [(plan_id, *r, *copied) for r in du_an])
        self.db.executemany("INSERT INTO refs VALUES (?,?,?,?,?,?,?,?)", [(plan_id, *r) for r in refs])

    def _remove(self, plan_id: str) -> None:
        for table in ("plans", "du_an_rows", "refs", "sources", *duplicates.TABLES):
            self.db.execute(f"DELETE FROM {table} WHERE plan_id=?", (plan_id,))

    def remove(self, plan_id: str) -> bool:
        if not self.has(plan_id):
            return False
        self.commit_batch([], remove=[plan_id])
        return True

    def refingerprint(self) -> None:
        """Compute every plan's fingerprint again (after the MinHash changed), in one transaction:
        only the text is read from each record (no Plan is built: at 20,000 plans a full
        rederive took minutes), and the exact key, word count and identity stay as stored.
        The records are streamed from `plans`, which this does not write (all of them at once
        held every compressed record in memory)."""
        self._writable()
        with self._write_transaction():
            for plan_id, blob in self.db.execute("SELECT plan_id, record FROM plans WHERE plan_id IN "
                                                 "(SELECT plan_id FROM plan_fingerprints)"):
                fp = duplicates.fingerprint(jsonbytes.loads(gzip.decompress(blob))["plan"]["text"])
                duplicates.replace_minhash(self.db, plan_id, fp)

    def rederive(self) -> None:
        """Rebuild the derived tables from the records (after the derivation rules change)."""
        self._writable()
        with self._write_transaction():
            for rec in self.records():
                self.db.execute("UPDATE plans SET number_key=?, total_vnd=?, issuer=? WHERE plan_id=?",
                                (number_key(rec.plan.meta.number), _plan_total(rec.plan), rec.plan.meta.issuer,
                                 rec.plan_id))
                cols = dict(zip(_COPIED, self.db.execute(f"SELECT {', '.join(_COPIED)} FROM plans WHERE plan_id=?",
                                                          (rec.plan_id,)).fetchone()))
                self._derive(rec.plan_id, derive_rows(rec.plan), cols)
                duplicates.put(self.db, rec.plan_id, duplicates.fingerprint(rec.plan.text),
                               duplicates.identity_of_plan(rec.plan))


# ---- filters shared by list_plans and compare ---------------------------------------

# fold() of a filter compares every row's province, locality...: the same few hundred names, so
# each is folded once (name_key is pure; 16 -> 2 ms for a province filter over 4,000 rows)
_fold_cached = functools.lru_cache(maxsize=8192)(fold)

# facet -> SQL over the plans table (alias p); values are matched folded
_FILTER_SQL = {
    "province": "fold(p.province) = ?",
    "locality": "fold(p.locality) = ?",
    "level": "fold(p.level) = ?",
    "program": "p.program = ?",
    "doc_type": "fold(p.doc_type) = ?",
    "year": "p.years LIKE '%,' || ? || ',%'",
    "plan_id": "p.plan_id = ?",
    "doc": "p.doc = ?",
}


def filter_sql(filters: Optional[dict[str, list[str] | str]], year_from: Optional[int] = None,
               year_to: Optional[int] = None) -> tuple[str, list[Any]]:
    """WHERE clause (starting with ' AND ...' or '') for facet filters: OR within a facet, AND across."""
    parts, args = [], []
    for name, values in (filters or {}).items():
        if isinstance(values, str):
            values = [values]
        if not values:
            continue
        if name not in _FILTER_SQL:
            raise ValueError(f"Không có bộ lọc {name!r}: dùng một trong {', '.join(sorted(_FILTER_SQL))}")
        if name == "year" and not all(str(v).strip().isascii() and str(v).strip().isdigit() for v in values):
            raise ValueError(f"year: năm phải là một số, không phải {', '.join(map(repr, values))}")
        parts.append("(" + " OR ".join([_FILTER_SQL[name]] * len(values)) + ")")
        args.extend(fold(str(v)) if "fold(" in _FILTER_SQL[name] else str(v) for v in values)
    if year_from is not None:  # the plan covers a year >= year_from
        parts.append("coalesce(p.year_last, 0) >= ?")
        args.append(int(year_from))
    if year_to is not None:
        parts.append("coalesce(p.year, 9999) <= ?")
        args.append(int(year_to))
    return "".join(" AND " + p for p in parts), args
