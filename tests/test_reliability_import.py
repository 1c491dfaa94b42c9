"""`kehoach import` of a hostile archive (issue 14, finding 8): bad records are reported and
skipped, a record is bounded by the upload caps without being read whole, and a record's
`source` never takes over another plan's source mapping."""
from __future__ import annotations

import dataclasses
import gzip
import json
import tracemalloc
from pathlib import Path

import pytest

from archive.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "corpus" / "samples").glob("*.txt"))


@pytest.fixture(scope="module")
def lines(tmp_path_factory):
    """Export lines of two archived samples."""
    from archive.service import Archive

    d = tmp_path_factory.mktemp("src")
    with Archive.open(d, settings=Settings(data_dir=d)) as a:
        a.ingest(SAMPLES[:2], workers=1)
        a.export(d / "x.jsonl")
    return (d / "x.jsonl").read_text(encoding="utf-8").splitlines()


def _open(tmp_path, **kw):
    from archive.service import Archive

    return Archive.open(tmp_path / "data", settings=Settings(data_dir=tmp_path / "data", **kw))


def test_bad_records_are_reported_and_the_rest_imported(tmp_path, lines):
    good = json.loads(lines[0])
    no_plan = {k: v for k, v in good.items() if k != "plan"}
    wrong_type = {**good, "plan": "not a plan"}
    f = tmp_path / "x.jsonl.gz"
    with gzip.open(f, "wt", encoding="utf-8") as out:
        out.write("{not json\n" + json.dumps(no_plan) + "\n" + json.dumps(wrong_type) + "\n" + "[1, 2]\n" + lines[1] + "\n")
        out.write(lines[0] + "\n")
    with _open(tmp_path) as a:
        rep = a.import_(f, workers=1)
        assert rep.imported == 2 and len(rep.errors) == 4, rep.errors
        assert all(str(f) in e for e in rep.errors)
        assert a.count() == 2 and a.backend.count() == 2


def test_a_record_over_the_caps_is_not_read_whole(tmp_path, lines):
    good = json.loads(lines[0])
    huge = json.dumps({**good, "plan": {**good["plan"], "text": "a" * (60 << 20)}})  # 60 MB in one line
    f = tmp_path / "bomb.jsonl.gz"
    with gzip.open(f, "wt", encoding="utf-8", compresslevel=1) as out:
        out.write(huge + "\n" + lines[1] + "\n")
    del huge
    long_text = json.loads(lines[0])
    from archive.store import plan_id_for

    text9 = long_text["plan"]["text"] * 9
    over = json.dumps({**long_text, "plan_id": plan_id_for(text9), "plan": {**long_text["plan"], "text": text9}})
    f2 = tmp_path / "over.jsonl"
    f2.write_text(over + "\n", encoding="utf-8")
    assert f.stat().st_size < 1 << 20  # a small file ...
    cap = max(len(json.loads(x)["plan"]["text"]) for x in lines) + 100
    warm = tmp_path / "warm.jsonl"
    warm.write_text(lines[1] + "\n", encoding="utf-8")
    with _open(tmp_path, max_text_chars=cap) as a:
        assert a.import_(warm, workers=1).imported == 1  # the analysis modules are loaded now
        tracemalloc.start()
        rep = a.import_(f, workers=1)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert rep.unchanged == 1 and len(rep.errors) == 1 and "KEHOACH_MAX_TEXT_CHARS" in rep.errors[0], rep.errors
        assert peak < 16 << 20, peak  # ... that expands to 60 MB is never held whole
        rep2 = a.import_(f2, workers=1)  # within the line bound, over the character cap
        assert rep2.imported == 0 and "KEHOACH_MAX_TEXT_CHARS" in rep2.errors[0], rep2.errors


def test_an_imported_source_never_takes_over_a_mapping(tmp_path, lines):
    with _open(tmp_path) as a:
        a.ingest(SAMPLES[2:3], workers=1)
        (mine,) = a.store.plan_ids()
        (source,) = a.store.sources_of(mine)
        hostile = {**json.loads(lines[0]), "source": source}
        f = tmp_path / "h.jsonl"
        f.write_text(json.dumps(hostile) + "\n", encoding="utf-8")
        rep = a.import_(f, workers=1)
        assert rep.imported == 1
        assert a.store.source_plan(source) == mine  # the file still maps to its own plan
        assert a.count() == 2
