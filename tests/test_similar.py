"""Similar clauses (TF-IDF over analysed tokens), without the search engine."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from extraction.pipeline import extract
from index.documents import build_docs
from index.similar import SimilarIndex, clause_rows
from index.similar_matrix import _Part, _save
from archive.store import plan_id_for

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "corpus" / "samples").glob("*.txt"))


def _plan(path: Path, extra: str = ""):
    text = path.read_text(encoding="utf-8") + extra
    plan = extract(text, doc=path.name)
    pid = plan_id_for(text)
    return pid, plan, clause_rows(build_docs(pid, plan, "now")[1])


@pytest.fixture
def index(tmp_path):
    si = SimilarIndex(tmp_path)
    yield si
    si.close()


def _add(si, path, extra=""):
    pid, plan, rows = _plan(path, extra)
    loc = plan.meta.locality
    si.add(pid, {"doc": path.name, "locality": loc.name, "province": loc.province}, rows)
    return pid


@pytest.mark.parametrize("query,locality,phrase", [
    ("Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo", None, "nhà ở cho hộ nghèo"),
    ("ho tro nguoi lao dong di lam viec o nuoc ngoai theo hop dong", None, "nước ngoài"),
    ("Rà soát hộ nghèo, hộ cận nghèo hằng năm", None, "rà soát"),
])
def test_top_hits_say_the_same_thing(index, query, locality, phrase):
    for f in SAMPLES:
        _add(index, f)
    index.checkpoint()
    hits = index.query(query, k=5)
    assert hits and hits[0].score > 0.3
    assert phrase in hits[0].text.lower()
    assert all(0 < h.score <= 1.0001 for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert hits[0].section is not None and hits[0].plan_id and hits[0].doc


def test_a_clause_repeated_across_plans_is_one_hit_with_a_count(index):
    for i in range(3):  # three plans sharing every clause of the Phong Thổ plan
        _add(index, SAMPLES[0], extra=f"\nBản số {i}.\n")
    index.checkpoint()
    hits = index.query("Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo", k=5)
    assert hits[0].count == 3 and hits[0].plans == 3 and len(hits[0].examples) == 2
    assert len({h.text for h in hits}) == len(hits)


def test_removed_plans_are_not_returned(index):
    a = _add(index, SAMPLES[0])
    _add(index, SAMPLES[2])
    index.checkpoint()
    index.remove(a)
    index.checkpoint()
    assert a not in {h.plan_id for h in index.query("Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo", k=10)}
    assert all(h.count == 1 for h in index.query("nhà ở", k=10))


def test_nothing_is_visible_before_checkpoint_and_a_lost_checkpoint_is_harmless(tmp_path):
    si = SimilarIndex(tmp_path)
    _add(si, SAMPLES[0])
    si.checkpoint()
    _add(si, SAMPLES[2])  # never committed: as if the process was killed here...
    si.db.execute("ROLLBACK")
    si._in_tx = False
    si.close()
    folder = tmp_path / "similar"
    # ...after writing its delta file, and with extra rows at the end of the base
    shutil.copy(folder / "counts-1.npz", folder / "delta-1-1.npz")
    base = _Part.load(folder / "counts-1.npz")
    rows = base.counts.tocsr()
    _save(folder / "counts-1.npz", sp.vstack([rows, rows[:3]]).tocsc(), base.idf,
          np.concatenate([base.norms, base.norms[:3]]))
    si = SimilarIndex(tmp_path)
    hits = si.query("Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo", k=10)
    assert {h.locality for h in hits} == {"Phong Thổ"}
    assert si.plan_ids() == {plan_id_for(SAMPLES[0].read_text(encoding="utf-8"))}
    si.close()


def test_deltas_then_merge_give_the_scores_of_one_fit(tmp_path, monkeypatch):
    query = "Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo"
    one = SimilarIndex(tmp_path / "one")
    for f in SAMPLES[:3]:
        _add(one, f)
    one.checkpoint()
    inc = SimilarIndex(tmp_path / "inc")
    _add(inc, SAMPLES[0])
    inc.checkpoint()
    _add(inc, SAMPLES[1])
    inc.checkpoint()  # a small addition: a delta file, weighted with the base's IDF
    assert sorted(p.name for p in (tmp_path / "inc" / "similar").glob("*.npz")) == ["counts-1.npz", "delta-1-1.npz"]
    own = {r.hash for r in _plan(SAMPLES[0])[2]}
    only_son_ha = max((r for r in _plan(SAMPLES[1])[2] if r.hash not in own), key=lambda r: len(r.text))
    top = inc.query(only_son_ha.text, k=3)[0]
    assert (top.text, top.locality) == (only_son_ha.text, "Sơn Hà") and top.score > 0.99
    monkeypatch.setattr("index.similar.DELTA_FILES", 1)
    _add(inc, SAMPLES[2])
    inc.checkpoint()  # too many deltas: merged into a new base, IDF refitted
    assert sorted(p.name for p in (tmp_path / "inc" / "similar").glob("*.npz")) == ["counts-2.npz"]
    a, b = one.query(query, k=10), inc.query(query, k=10)
    assert [(h.text, h.score) for h in a] == [(h.text, h.score) for h in b]
    one.close()
    inc.close()


def test_deltas_read_as_one_block_give_the_answers_of_one_block_a_part(tmp_path):
    si = SimilarIndex(tmp_path)
    for f in SAMPLES[:4]:
        _add(si, f)
        si.checkpoint()  # a base and three deltas
    assert len(list((tmp_path / "similar").glob("delta-*.npz"))) == 3
    queries = ["Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo"] + [
        max(_plan(f)[2], key=lambda r: len(r.text)).text for f in SAMPLES[:4]]

    def answers():
        return [[(h.text, h.score, h.plan_id, h.count, h.plans) for h in si.query(q, k=10)] for q in queries]

    stacked = answers()
    m = si._current()
    assert len(m.blocks()) == 2  # the base, the deltas as one
    start, blocks = 0, []
    for p in m.parts:
        p.prepare()
        blocks.append((start, p))
        start += p.n_rows
    m._blocks = blocks  # one block a part, as read before the deltas were stacked
    assert answers() == stacked
    assert {a[0][2] for a in stacked[1:]} == {plan_id_for(f.read_text(encoding="utf-8")) for f in SAMPLES[:4]}
    si.close()


def test_a_new_delta_restacks_the_deltas_a_query_already_read(tmp_path):
    si = SimilarIndex(tmp_path)
    for f in SAMPLES[:3]:
        _add(si, f)
        si.checkpoint()
    query = max(_plan(SAMPLES[3])[2], key=lambda r: len(r.text)).text
    si.query(query, k=5)  # the two deltas stacked; their parts keep no rows of their own
    _add(si, SAMPLES[3])
    si.checkpoint()  # the cached parts are reused, read from the block that holds them
    fresh = SimilarIndex(tmp_path)
    hits = si.query(query, k=10)
    again = fresh.query(query, k=10)
    assert [(h.text, h.score, h.plan_id) for h in hits] == [(h.text, h.score, h.plan_id) for h in again]
    assert hits[0].plan_id == plan_id_for(SAMPLES[3].read_text(encoding="utf-8"))
    fresh.close()
    si.close()


def test_empty_and_unknown_queries(index):
    assert index.query("Hỗ trợ nhà ở") == []  # nothing indexed yet
    _add(index, SAMPLES[0])
    index.checkpoint()
    assert index.query("") == []
    assert index.query("qwxz zzyq") == []


def test_short_clauses_are_left_out():
    rows = clause_rows([{"clause_id": "c1", "tokens": "du an 5", "text": "Dự án 5"},
                        {"clause_id": "c2", "tokens": "ho tro nha o cho ho ngheo", "text": "Hỗ trợ nhà ở cho hộ nghèo",
                         "clause_du_an": "gnbv:DA5"}])
    assert [(r.clause_id, r.du_an) for r in rows] == [("c2", "DA5")]
    assert np.asarray([len(r.hash) for r in rows]).all()


def _add_full(si, path, extra=""):
    """As the archive adds a plan: provenance (identity, year) and the filter fields."""
    from index.documents import first_year, identity, plan_facets
    pid, plan, rows = _plan(path, extra)
    loc = plan.meta.locality
    si.add(pid, {"doc": path.name, "locality": loc.name, "province": loc.province, "level": loc.level,
                 "identity": identity(plan.meta), "year": first_year(plan),
                 "programs": "," + ",".join(plan_facets(plan)["program"]) + ","}, rows)
    return pid, plan


def test_drafting_answers_are_content_with_identity_and_year(index):
    for f in SAMPLES:
        _add_full(index, f)
    index.checkpoint()
    hits = index.query("Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo", k=10)
    assert hits
    assert all(len(h.text.split()) >= 8 for h in hits)  # no bare headings ("5. Dự án 5: Hỗ trợ nhà ở ...")
    assert all(h.identity and not h.identity.endswith(".txt") and h.year for h in hits)
    assert "Kế hoạch số 122/KH-UBND ngày 29/02/2024 của UBND tỉnh Đắk Nông" in {h.identity for h in hits}
    heading = "Dự án 5: Hỗ trợ nhà ở cho hộ nghèo"
    assert not any(h.text.split(" ", 1)[-1].startswith("Dự án 5:") for h in index.query(heading, k=10))
    assert any(h.text.split(" ", 1)[-1].startswith("Dự án 5:") for h in index.query(heading, k=10, short=True))


def test_repeated_boilerplate_says_in_how_many_plans(index):
    for i in range(3):
        _add_full(index, SAMPLES[0], extra=f"\nBản số {i}.\n")
    index.checkpoint()
    hit = index.query("Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo", k=3)[0]
    assert hit.plans == 3 and hit.repeated == "lặp lại ở 3 kế hoạch"


def test_drafting_filters_by_level_province_program_and_du_an(index):
    plans = dict(_add_full(index, f) for f in SAMPLES)
    index.checkpoint()
    province_plans = {pid for pid, p in plans.items() if p.meta.locality.level == "tỉnh"}
    hits = index.query("Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo", k=10, filters={"level": ["tỉnh"]})
    assert hits and {h.plan_id for h in hits} <= province_plans
    one = next(iter(plans.values())).meta.locality.province
    assert all(h.province == one for h in index.query("hộ nghèo", k=10, filters={"province": [one]}))
    assert index.query("hộ nghèo", k=5, filters={"program": ["gnbv"]})
    assert not index.query("hộ nghèo", k=5, filters={"program": ["không-có"]})
    scoped = index.query("Hỗ trợ cho hộ nghèo", k=10, filters={"du_an": ["gnbv:DA5"]})
    assert scoped and all("nhà" in h.text.lower() or "5" in (h.section or "") for h in scoped)


def test_first_occurrences_in_ingest_order_and_counts_after_a_plan_is_removed_and_added_again(index):
    """A repeated clause names the plan that had it first; removing a plan takes its
    occurrences out of the counts, adding it again puts it last."""
    ids = [_add(index, SAMPLES[0], extra=f"\nBản số {i}.\n") for i in range(4)]
    index.checkpoint()
    query = "Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo"
    hit = index.query(query, k=1, examples=3)[0]
    assert [hit.plan_id] + [e.plan_id for e in hit.examples] == ids and (hit.count, hit.plans) == (4, 4)
    index.remove(ids[0])
    index.checkpoint()
    hit = index.query(query, k=1, examples=3)[0]
    assert [hit.plan_id] + [e.plan_id for e in hit.examples] == ids[1:] and (hit.count, hit.plans) == (3, 3)
    again = _add(index, SAMPLES[0], extra="\nBản số 0.\n")
    index.checkpoint()
    hit = index.query(query, k=1, examples=3)[0]
    assert again == ids[0] and [hit.plan_id] + [e.plan_id for e in hit.examples] == ids[1:] + [ids[0]]
    recount = dict(index.db.execute("SELECT row, count(*) FROM occ GROUP BY row"))
    assert all(recount.get(row, 0) == n for row, n in index.db.execute("SELECT row, n FROM texts"))


def test_an_index_of_the_two_row_indexes_layout_is_migrated_with_the_same_answers(tmp_path):
    """Indexes written before occ.pseq (schema 2: occ_row and occ_row_plan) get the pseq of each
    occurrence's plan and the one (row, pseq) index on open, and answer as before."""
    import sqlite3
    from dataclasses import asdict
    si = SimilarIndex(tmp_path)
    for i, f in enumerate(SAMPLES + [SAMPLES[0]]):
        _add(si, f, extra=f"\nBản số {i}.\n")
    si.checkpoint()
    queries = ["Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo", "Rà soát hộ nghèo, hộ cận nghèo hằng năm", "nhà ở"]
    before = [[asdict(h) for h in si.query(q, k=10, examples=3)] for q in queries]
    si.close()
    db = sqlite3.connect(tmp_path / "similar" / "similar.db")
    db.executescript("DROP INDEX occ_row_seq; ALTER TABLE occ DROP COLUMN pseq; "
                     "CREATE INDEX occ_row ON occ(row); CREATE INDEX occ_row_plan ON occ(row, plan_id); "
                     "UPDATE meta SET value = '2' WHERE key = 'schema';")
    db.close()
    si = SimilarIndex(tmp_path)
    try:
        names = {n for (n,) in si.db.execute("SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='occ'")}
        assert names == {"occ_plan", "occ_row_seq"}
        assert si.db.execute("SELECT count(*) FROM occ WHERE pseq IS NULL").fetchone()[0] == 0
        assert [[asdict(h) for h in si.query(q, k=10, examples=3)] for q in queries] == before
    finally:
        si.close()


@pytest.mark.parametrize("query", [
    "Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo có khó khăn về nhà ở trên địa bàn huyện",
    "Phòng Lao động - Thương binh và Xã hội chủ trì, phối hợp với các cơ quan, đơn vị liên quan tham mưu",
    "Nâng cao năng lực và giám sát, đánh giá thực hiện Chương trình",
    "hộ nghèo",
])
def test_every_answer_is_among_the_best_by_the_score_it_shows(index, query):
    """Whatever row the candidate stage left out, an answer is never a row that scores lower
    (cosine scaled by the share of the query it holds) than a row not answered: the score
    shown is the one every row was ranked by."""
    from index.analysis import analyze
    from index.similar import _exact
    for f in SAMPLES:
        _add(index, f)
    index.checkpoint()
    hits = index.query(query, k=5)
    m = index._current()
    q = index._vectors([" ".join(analyze(query))], m.idf)
    every = np.arange(m.rows)
    exact = _exact(m, every, q.indices, q.data * m.idf[q.indices], q.data * q.data)
    exact[index._left_out(m, False)] = 0
    assert m.rows > 200 and hits
    for h in hits:
        assert h.score == pytest.approx(float(exact[index.db.execute(
            "SELECT row FROM texts WHERE text = ?", (h.text,)).fetchone()[0]]), abs=1e-4)
    # the k-th answer's score: no row outside the answers' groups scores above it
    answered = {r for (r,) in index.db.execute(
        f"SELECT row FROM texts WHERE text IN ({','.join('?' * len(hits))})", [h.text for h in hits])}
    assert max((float(s) for r, s in enumerate(exact) if r not in answered), default=0) <= hits[-1].score + 1e-4 \
        or len(hits) < 5


def test_how_many_candidates_are_rescored_changes_no_answer(index, monkeypatch):
    """Nothing pruned, every row is scored as the answers show it (the cosine scaled by the
    share of the query the row holds) before the candidates are read row by row: a candidate
    stage of 5 rows answers as one of every row. When only the candidates were scaled, rows
    left out of them were ranked by their bare cosine above better rows."""
    from dataclasses import asdict
    import index.similar as similar
    for f in SAMPLES:
        _add(index, f)
    index.checkpoint()
    queries = ["Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo có khó khăn về nhà ở trên địa bàn huyện",
               "Phòng Lao động - Thương binh và Xã hội chủ trì, phối hợp với các cơ quan liên quan tham mưu",
               "Nâng cao năng lực và giám sát, đánh giá thực hiện Chương trình", "hộ nghèo"]
    monkeypatch.setattr(similar, "CANDIDATES", index._current().rows)
    every = [[asdict(h) for h in index.query(q, k=10)] for q in queries]
    monkeypatch.setattr(similar, "CANDIDATES", 5)
    few = [[asdict(h) for h in index.query(q, k=10)] for q in queries]
    for a, b in zip(few, every):
        assert [h["text"] for h in a] == [h["text"] for h in b]
        assert [h["score"] for h in a] == pytest.approx([h["score"] for h in b], abs=1e-4)
