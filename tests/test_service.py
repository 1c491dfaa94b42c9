"""Archive service on the five samples: listing, get, delete, export/import, reindex, reconcile, cites."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from index.base import SearchRequest
from archive.service import Archive
from archive.store import Pending, number_key

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpus" / "samples"


@pytest.fixture(scope="module")
def samples_archive(tmp_path_factory):
    data = tmp_path_factory.mktemp("archive") / "data"
    a = Archive.open(data)
    rep = a.ingest([SAMPLES], workers=1)  # in-process: the pool has its own tests (test_ingest.py)
    assert rep.ok and rep.counts()["ingested"] == 5
    yield a
    a.close()


def _search_ids(a: Archive, q: str) -> set[str]:
    return {h.plan_id for h in a.search(SearchRequest(q=q, size=50)).hits}


def test_list_plans_with_filters(samples_archive):
    total, plans = samples_archive.list_plans()
    assert total == 5 and len(plans) == 5
    total, plans = samples_archive.list_plans({"province": ["lai chau"]})
    assert total == 1 and plans[0].locality == "Phong Thổ"
    total, _ = samples_archive.list_plans({"province": ["Lai Châu", "Đắk Nông"]})
    assert total == 2
    total, plans = samples_archive.list_plans({"level": ["tỉnh"]}, page=1, size=1)
    assert total == 2 and len(plans) == 1
    with pytest.raises(ValueError, match="Không có bộ lọc 'colour'"):
        samples_archive.list_plans({"colour": ["red"]})


def test_get_returns_the_stored_extraction(samples_archive):
    _, plans = samples_archive.list_plans({"locality": ["Phong Thổ"]})
    stored = samples_archive.get(plans[0].plan_id)
    assert stored.doc == "000_700f213ea182e0e3.txt" and stored.plan.text.startswith(
        (SAMPLES / stored.doc).read_text(encoding="utf-8")[:50])
    assert samples_archive.get("0000000000000000") is None


@pytest.mark.parametrize("written", ["90/QĐ-TTg", "90/QD-TTG", "QĐ 90/QĐ-TTg", "90 / QĐ – TTg"])
def test_cites_any_written_form(samples_archive, written):
    rows = samples_archive.cites(written)
    assert len({r.plan_id for r in rows}) == 5
    assert all(number_key(r.number) == number_key("90/QĐ-TTg") for r in rows)


def test_most_cited_and_replacements(samples_archive):
    top = samples_archive.most_cited(3)
    assert top[0].number == "90/QĐ-TTg" and top[0].count == 5
    reps = samples_archive.replacements()
    # Đắk Nông's plan replaces an earlier plan that is not in the archive
    assert [(r.doc, r.replaced_plan_id) for r in reps] == [("002_0c1849cd82c7d5e1.txt", None)]


@pytest.mark.slow
def test_export_import_round_trip(samples_archive, tmp_path):
    for name in ("all.jsonl", "all.tar.gz", "all.jsonl.gz"):
        n = samples_archive.export(tmp_path / name)
        assert n == 5
        with Archive.open(tmp_path / ("data-" + name)) as other:
            rep = other.import_(tmp_path / name)
            assert (rep.imported, rep.unchanged, rep.errors) == (5, 0, [])
            assert other.store.plan_ids() == samples_archive.store.plan_ids() == other.backend.plan_ids()
            pid = next(iter(other.store.plan_ids()))
            assert other.get(pid).plan.to_dict() == samples_archive.get(pid).plan.to_dict()
            assert _search_ids(other, "hỗ trợ nhà ở") == _search_ids(samples_archive, "hỗ trợ nhà ở")
            again = other.import_(tmp_path / name)
            assert (again.imported, again.unchanged) == (0, 5)


def test_import_reports_bad_lines_by_file_and_line(samples_archive, tmp_path):
    samples_archive.export(tmp_path / "all.jsonl")
    lines = (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()
    broken = json.loads(lines[1])
    broken["plan_id"] = "ffffffffffffffff"
    lines[1] = json.dumps(broken, ensure_ascii=False)
    lines[2] = "{not json"
    (tmp_path / "bad.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Archive.open(tmp_path / "data") as other:
        rep = other.import_(tmp_path / "bad.jsonl")
        assert rep.imported == 3 and len(rep.errors) == 2
        assert "bad.jsonl:2" in rep.errors[0] and "không khớp với văn bản" in rep.errors[0]
        assert "bad.jsonl:3" in rep.errors[1]


def test_reindex_rebuilds_without_extracting(samples_archive, tmp_path):
    samples_archive.export(tmp_path / "all.jsonl")
    with Archive.open(tmp_path / "data") as a:
        a.import_(tmp_path / "all.jsonl")
        before = a.search(SearchRequest(q="ho tro nha o"))
        a.backend.clear()
        a.backend.commit()
        assert a.backend.count() == 0
        assert a.reindex(workers=1) == 5
        after = a.search(SearchRequest(q="ho tro nha o"))
        assert [h.plan_id for h in after.hits] == [h.plan_id for h in before.hits]
        assert a.similar("Hỗ trợ nhà ở cho hộ nghèo")


def test_reconcile_completes_what_a_crash_left(samples_archive, tmp_path):
    """A batch committed to the store but not to the index (killed in between) is indexed on the next write."""
    with Archive.open(tmp_path / "data") as a:
        recs = list(samples_archive.store.records())
        a.store.commit_batch([Pending(r, r.source) for r in recs[:2]])
        assert a.backend.count() == 0
        fixed = a.reconcile()
        assert fixed["index_added"] == 2 and fixed["similar_added"] == 2
        assert a.backend.plan_ids() == a.store.plan_ids()


def test_delete_removes_everywhere(tmp_path):
    with Archive.open(tmp_path / "data") as a:
        src = tmp_path / "in"
        src.mkdir()
        shutil.copy(sorted(SAMPLES.glob("*.txt"))[0], src)
        (item,) = a.ingest([src], workers=1).items
        assert a.delete(item.plan_id) is True
        assert a.delete(item.plan_id) is False
        assert a.store.count() == a.backend.count() == 0
        assert a.similar("Hỗ trợ nhà ở cho hộ nghèo") == []
        assert a.compare("DA5") == []


@pytest.mark.slow
def test_reindex_with_extraction_again_keeps_ids_and_sources(samples_archive, tmp_path):
    samples_archive.export(tmp_path / "all.jsonl")
    with Archive.open(tmp_path / "data") as a:
        a.import_(tmp_path / "all.jsonl")
        ids = a.store.plan_ids()
        sources = dict(a.store.db.execute("SELECT source, plan_id FROM sources"))
        assert a.reindex(workers=2, extract=True) == 5
        assert a.store.plan_ids() == a.backend.plan_ids() == ids
        assert dict(a.store.db.execute("SELECT source, plan_id FROM sources")) == sources
        rows = {r.locality: r.total_vnd for r in a.compare("DA5")}
        assert rows["Phong Thổ"] == 13_260_000_000


def test_a_replaced_plan_in_the_archive_is_resolved(tmp_path):
    """Đắk Nông's 122/KH-UBND replaces 528/KH-UBND: with an earlier plan numbered 528/KH-UBND archived, it is found."""
    text = (SAMPLES / "002_0c1849cd82c7d5e1.txt").read_text(encoding="utf-8")
    earlier = text.replace("Số: 122/KH-UBND", "Số: 528/KH-UBND", 1).replace(
        "(Kế hoạch này thay thế Kế hoạch số 528/KH-UBND ngày 14/8/2023 của Ủy ban nhân dân tỉnh Đắk Nông)", "")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "dak-nong-2024.txt").write_text(text, encoding="utf-8")
    (folder / "dak-nong-2023.txt").write_text(earlier, encoding="utf-8")
    with Archive.open(tmp_path / "data") as a:
        a.ingest([folder], workers=1)
        (rep,) = a.replacements()
        assert (rep.doc, rep.number, rep.replaces, rep.replaced_doc) == (
            "dak-nong-2024.txt", "122/KH-UBND", "528/KH-UBND", "dak-nong-2023.txt")


def test_an_empty_engine_or_similar_index_is_refilled_on_first_use(samples_archive, tmp_path):
    """After an upgrade drops an index of an older layout, reading alone brings it back."""
    samples_archive.export(tmp_path / "all.jsonl")
    with Archive.open(tmp_path / "data") as a:
        a.import_(tmp_path / "all.jsonl")
        a.backend.clear()
        a.backend.commit()
        a.similar_index.clear()
    with Archive.open(tmp_path / "data") as a:
        assert a.search(SearchRequest(q="hỗ trợ nhà ở")).total >= 4
        assert a.similar("Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo")


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.txt")))
def test_a_prepared_record_crosses_processes_without_its_plan(name):
    """The worker sends the blob and the plans row; the Plan is decoded again only if asked for."""
    import pickle

    from archive.workers import prepare_file
    from archive.store import decode_record

    prep = prepare_file(str(SAMPLES / name), "2024-01-01T00:00:00+00:00", frozenset())
    sent = pickle.loads(pickle.dumps(prep))
    assert "plan" not in sent.record.__dict__
    assert sent.record.cols["plan_id"] == prep.plan_id and sent.record.is_plan == prep.record.plan.is_plan
    assert sent.record.notes == prep.record.notes
    assert sent.record.plan == prep.record.plan == decode_record(prep.record.blob).plan
