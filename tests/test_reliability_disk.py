"""Full disks and read-only data folders (issue 14, finding 7).

A full disk is made two ways: in process, SQLite's own page limit (PRAGMA max_page_count gives
the same SQLITE_FULL a full disk gives); and, where this process may mount (root in CI
containers), a real tmpfs of a few MB, remounted read-only for the read-only cases. As root,
chmod does not stop writes, so a read-only folder is a read-only mount (skipped when mount is
not allowed).
"""
from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from archive.settings import Settings
from archive.store import Store, StoreError

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "corpus" / "samples").glob("*.txt"))
KEHOACH = str(Path(sys.executable).parent / "kehoach")


def _records(n: int):
    from archive.service import now_iso
    from archive.store import Pending, Record, plan_id_for
    from extraction.pipeline import extract

    text = SAMPLES[0].read_text(encoding="utf-8")
    out = []
    for i in range(n):
        t = text + f"\nGhi chú {i}\n"
        out.append(Pending(Record(plan_id_for(t), f"{i}.txt", extract(t, doc=f"{i}.txt"), now_iso(), f"{i}.txt"), f"{i}.txt"))
    return out


def test_full_store_is_one_clear_line_and_the_archive_stays_whole(tmp_path):
    recs = _records(3)
    store = Store(tmp_path)
    store.commit_batch(recs[:1])
    store._writable()
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count={pages + 1}")  # the disk is full now
    with pytest.raises(StoreError) as e:
        store.commit_batch(recs[1:])
    msg = str(e.value)
    assert str(tmp_path / "archive.db") in msg and "đầy" in msg
    assert "OperationalError" not in msg and "rollback" not in msg.lower()
    assert store.count() == 1 and not store.db.in_transaction  # nothing half-written, still usable
    store.close()


def test_a_file_where_the_data_folder_should_be(tmp_path):
    f = tmp_path / "data"
    f.write_text("not a folder")
    p = subprocess.run([KEHOACH, "search", "nhà ở"], env={**os.environ, "KEHOACH_DATA": str(f)},
                       capture_output=True, text=True, timeout=120)
    assert p.returncode != 0 and "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1 and str(f) in p.stderr and "thư mục" in p.stderr


def test_read_commands_open_the_store_read_only(tmp_path):
    from archive.service import Archive

    with Archive.open(tmp_path, settings=Settings(data_dir=tmp_path)) as a:
        a.ingest(SAMPLES[:1], workers=1)
    with Archive.open(tmp_path, settings=Settings(data_dir=tmp_path)) as a:
        assert a.store.read_only and a.count() == 1 and a.export(tmp_path / "x.jsonl") == 1
        assert a.store.read_only  # reading, exporting wrote nothing
        a.ingest(SAMPLES[1:2], workers=1)
        assert not a.store.read_only and a.count() == 2


def _mount(where: Path, size: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    p = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    return p.returncode == 0


def _umount(where: Path) -> None:
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


@pytest.mark.slow
def test_read_only_and_full_data_folders_on_real_mounts(tmp_path):
    mnt = tmp_path / f"mnt-{uuid.uuid4().hex[:6]}"
    if os.geteuid() != 0 or not _mount(mnt, "64m"):
        pytest.skip("cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)")
    try:
        data = mnt / "data"
        env = {**os.environ, "KEHOACH_DATA": str(data)}
        run = lambda *a: subprocess.run([KEHOACH, *a], env=env, capture_output=True, text=True, timeout=600)
        assert run("ingest", "--quiet", *map(str, SAMPLES[:2])).returncode == 0
        assert subprocess.run(["mount", "-o", "remount,ro", str(mnt)], capture_output=True).returncode == 0
        out = tmp_path / "x.jsonl"
        p = run("export", str(out))
        assert p.returncode == 0 and "Traceback" not in p.stderr, p.stderr  # read-only is enough to export
        for args in (("search", "nhà ở"), ("ingest", str(SAMPLES[3]))):
            p = run(*args)
            assert "Traceback" not in p.stderr and len(p.stderr.strip().splitlines()) == 1, p.stderr
            assert str(data) in p.stderr and "chỉ đọc" in p.stderr, p.stderr
    finally:
        _umount(mnt)
    # a full disk: a tmpfs too small for the archive
    mnt2 = tmp_path / f"full-{uuid.uuid4().hex[:6]}"
    assert _mount(mnt2, "1m")
    try:
        env = {**os.environ, "KEHOACH_DATA": str(mnt2 / "data")}
        p = subprocess.run([KEHOACH, "ingest", "--quiet", *map(str, SAMPLES)], env=env, capture_output=True, text=True,
                           timeout=600)
        assert p.returncode != 0 and "Traceback" not in p.stderr, p.stderr
        assert "đầy" in p.stderr and str(mnt2) in p.stderr and "OperationalError" not in p.stderr, p.stderr
        assert not list((mnt2 / "data").rglob("*.tmp")), "temp files left on the full disk"
    finally:
        _umount(mnt2)
