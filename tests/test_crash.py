"""Crash safety: SIGKILL `kehoach ingest` mid-batch, then the archive opens whole and a rerun completes it."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive.service import Archive

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "corpus" / "samples").glob("*.txt"))
KEHOACH = str(Path(sys.executable).parent / "kehoach")
N_FILES = 40


def _make_corpus(folder: Path) -> None:
    """40 plan files: copies of the samples, each with one changed line so every id differs."""
    folder.mkdir(parents=True)
    for i in range(N_FILES):
        src = SAMPLES[i % len(SAMPLES)]
        lines = src.read_text(encoding="utf-8").splitlines()
        lines.insert(len(lines) // 2, f"Ghi chú: bản sao số {i} để thử nghiệm.")
        # a number of its own: a copy differing by one line would be the same plan (archive/duplicates.py)
        at = next((n for n, line in enumerate(lines) if line.startswith("Số:")), None)
        lines[at:at + 1 if at is not None else 0] = [f"Số: {100 + i}/KH-UBND"]
        (folder / f"{i:02d}_{src.name}").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _stored(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute("SELECT count(*) FROM plans").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_sigkill_mid_batch_loses_nothing_committed(tmp_path):
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    _make_corpus(corpus)
    # small batches, one extraction process at a time: the kill lands between commits
    env = {**os.environ, "KEHOACH_DATA": str(data), "KEHOACH_INGEST_BATCH": "3"}
    cmd = [KEHOACH, "ingest", "--quiet", "--workers", "1", str(corpus)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 240
    try:
        while _stored(data / "archive.db") < 6 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None, "ingest finished before it could be killed: " + proc.stderr.read().decode()
        os.killpg(proc.pid, signal.SIGKILL)  # the ingest and its workers
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.stderr.close()
    committed = _stored(data / "archive.db")
    assert 6 <= committed < N_FILES

    # the archive opens; every committed plan is readable; store and index agree
    with Archive.open(data) as a:
        ids = a.store.plan_ids()
        assert len(ids) == committed
        for pid in ids:
            assert a.get(pid).plan.clauses
        assert a.backend.plan_ids() <= ids  # the index never runs ahead of the store
        a.reconcile()  # what every write does first: the index catches up from the store
        assert a.backend.plan_ids() == ids
        assert a.similar_index.plan_ids() == ids

    # rerunning completes the batch, without duplicates
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    assert f"không đổi {committed}" in p.stderr and f"đã nạp {N_FILES - committed}" in p.stderr
    with Archive.open(data) as a:
        assert a.store.count() == a.backend.count() == N_FILES
        assert a.backend.plan_ids() == a.store.plan_ids() == a.similar_index.plan_ids()
        from index.base import SearchRequest
        res = a.search(SearchRequest(q="hỗ trợ nhà ở", size=100, clauses_per_plan=1))
        assert len({h.plan_id for h in res.hits}) == len(res.hits) == res.total <= N_FILES
