"""`kehoach ingest --watch DIR`: new and changed files are picked up, a file still being
written waits, nothing is read twice, junk is refused by name; the CLI run ends after N cycles."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive.service import Archive
from archive.settings import Settings
from kehoach.watch import due, snapshot, watch

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "corpus" / "samples").glob("*.txt"))


def _age(path: Path, seconds: float = 60) -> None:
    t = time.time() - seconds
    os.utime(path, (t, t))


def test_due_takes_new_and_changed_files_once_they_are_quiet(tmp_path):
    old, fresh = tmp_path / "a.txt", tmp_path / "b.txt"
    old.write_text("x", encoding="utf-8")
    fresh.write_text("y", encoding="utf-8")
    _age(old)
    snap = snapshot([tmp_path])
    assert due(snap, {}, time.time(), settle=1.0) == [str(old)]          # b.txt is still being written
    assert due(snap, {str(old): snap[str(old)]}, time.time() + 5, settle=1.0) == [str(fresh)]
    (tmp_path / "ghi-chu.odp").write_text("z", encoding="utf-8")          # unsupported: never taken
    assert str(tmp_path / "ghi-chu.odp") not in snapshot([tmp_path])


def test_watch_ingests_new_and_changed_files_and_nothing_twice(tmp_path):
    inbox, data = tmp_path / "inbox", tmp_path / "data"
    inbox.mkdir()
    first = inbox / "a.txt"
    first.write_text(SAMPLES[1].read_text(encoding="utf-8"), encoding="utf-8")
    _age(first)
    reports = []
    events = iter([
        # after the first poll: a new plan, a copy of the first in another name, and junk arrive
        lambda: [(inbox / "b.txt").write_text(SAMPLES[3].read_text(encoding="utf-8"), encoding="utf-8"),
                 (inbox / "a-copy.md").write_text(SAMPLES[1].read_text(encoding="utf-8"), encoding="utf-8"),
                 (inbox / "hello.txt").write_text("hello world\n", encoding="utf-8"),
                 [_age(p) for p in inbox.iterdir() if p.name != "a.txt"]],
        lambda: None,   # nothing new: nothing read
        # the first file is replaced by another plan's text
        lambda: [first.write_text(SAMPLES[4].read_text(encoding="utf-8"), encoding="utf-8"), _age(first, 30)],
    ])
    with Archive.open(data, backend="tantivy", settings=Settings(data_dir=data)) as archive:
        taken = watch(archive, [str(inbox)], interval=0, cycles=4, workers=1, on_report=reports.append,
                      sleep=lambda s: next(events)())
        assert len(reports) == 3   # the quiet poll ingested nothing
        assert [it.status for it in reports[0].items] == ["ingested"]
        second = {Path(it.path).name: it for it in reports[1].items}
        assert second["b.txt"].status == "ingested" and second["a-copy.md"].status == "unchanged"
        assert second["hello.txt"].status == "failed" and "không phải văn bản kế hoạch" in second["hello.txt"].error
        assert [(Path(it.path).name, it.status) for it in reports[2].items] == [("a.txt", "replaced")]
        assert archive.count() == 3, [[(it.path, it.status) for it in r.items] for r in reports]   # a.txt (new text), a-copy.md (old text), b.txt
        assert taken == 4, [[(it.path, it.status) for it in r.items] for r in reports]


@pytest.mark.slow   # a kehoach process of its own
def test_cli_watch_stops_after_n_cycles(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text(SAMPLES[1].read_text(encoding="utf-8"), encoding="utf-8")
    _age(inbox / "a.txt")
    env = {**os.environ, "KEHOACH_DATA": str(tmp_path / "data")}
    p = subprocess.run([sys.executable, "-m", "kehoach", "ingest", "--watch", str(inbox), "--interval", "0.2",
                        "--cycles", "2", "--workers", "1"], capture_output=True, text=True, env=env, cwd=ROOT,
                       timeout=300)
    assert p.returncode == 0, p.stderr
    assert "đang theo dõi" in p.stderr and "đã nạp: " in p.stderr and "đã dừng theo dõi; đã nạp 1 tệp" in p.stderr
