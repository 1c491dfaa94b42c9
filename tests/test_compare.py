"""Compare one Dự án across plans (store only, no search engine)."""
from __future__ import annotations

from pathlib import Path

import pytest

from extraction.pipeline import extract
from archive.compare import compare, parse_du_an, source_amount, to_csv, to_text
from archive.store import Pending, Record, Store, plan_id_for

SAMPLES = Path(__file__).resolve().parent.parent / "corpus" / "samples"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    st = Store(tmp_path_factory.mktemp("store"))
    recs = []
    for f in sorted(SAMPLES.glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        recs.append(Pending(Record(plan_id_for(text), f.name, extract(text, doc=f.name), "2024-01-01T00:00:00+00:00",
                                   str(f)), str(f)))
    st.commit_batch(recs)
    yield st
    st.close()


@pytest.mark.parametrize("written,expected", [
    ("DA5", "DA5"), ("da5", "DA5"), ("DA4.TDA2", "DA4.TDA2"), ("da4.tda2", "DA4.TDA2"),
    ("DA4 TDA2", "DA4.TDA2"), ("4.2", "DA4.TDA2"), ("Dự án 5", "DA5"), ("DA 1.TDA1", "DA1.TDA1"),
    ("Dự án 4 Tiểu dự án 2", "DA4.TDA2"),
    # nông thôn mới numbers content groups (programs.json: ND1 .. ND11)
    ("ND1", "ND1"), ("nd 10", "ND10"), ("Nội dung 3", "ND3"), ("NOI DUNG 3", "ND3"),
])
def test_parse_du_an(written, expected):
    assert parse_du_an(written) == expected


@pytest.mark.parametrize("written,program,expected", [
    ("5", "ntm", "ND5"), ("5", "gnbv", "DA5"), ("DA5", "ntm", "DA5"), ("ND2", "gnbv", "ND2"),
])
def test_parse_du_an_bare_number_follows_the_program(written, program, expected):
    assert parse_du_an(written, program) == expected


def test_every_component_id_of_the_programs_data_is_understood():
    import json
    data = json.loads((SAMPLES.parent.parent / "extraction" / "data" / "programs.json").read_text(encoding="utf-8"))
    for code in ("gnbv", "ntm", "dtts"):
        for scope in data[code]["components"]:
            assert parse_du_an(scope, code) == scope


@pytest.mark.parametrize("bad", ["", "nhà ở", "DA", "TDA2"])
def test_parse_du_an_refuses_with_a_clear_word(bad):
    with pytest.raises(ValueError, match="DA5, Dự án 5 hoặc DA4.TDA2"):
        parse_du_an(bad)


def test_da5_totals(store):
    rows = {r.locality: r for r in compare(store, "DA5")}
    assert rows["Phong Thổ"].total_vnd == 13_260_000_000
    assert rows["Đắk Nông"].total_vnd == 43_214_000_000
    assert rows["Phong Thổ"].province == "Lai Châu" and rows["Phong Thổ"].years == [2023]
    assert "nhà ở" in rows["Phong Thổ"].text.lower()
    # the Dự án's amounts by source: NSTW for Phong Thổ
    assert source_amount(rows["Phong Thổ"], "NSTW") == 12_060_000_000


def test_rows_carry_agencies_and_filters_apply(store):
    rows = compare(store, "DA5", filters={"province": ["Đắk Nông"]})
    assert [r.locality for r in rows] == ["Đắk Nông"]
    assert rows[0].lead and all(isinstance(a, str) for a in rows[0].lead)
    assert compare(store, "DA5", filters={"year": ["1999"]}) == []
    assert compare(store, "DA5", program="ntm") == []


def test_tieu_du_an_rows_are_their_own(store):
    parent = {r.plan_id: r for r in compare(store, "DA1")}
    for r in compare(store, "DA1.TDA1"):
        assert r.plan_id in parent
        assert all(a["scope"].startswith("DA1.TDA1") for a in r.amounts)


def test_text_and_csv_output(store):
    rows = compare(store, "DA5")
    table = to_text(rows)
    assert "13.260" in table and "43.214" in table  # Vietnamese thousands
    assert "Kế hoạch số 122/KH-UBND ngày 29/02/2024 của UBND tỉnh Đắk Nông" in table
    csv_text = to_csv(rows)
    assert csv_text.startswith("\ufeffVăn bản,Số ký hiệu,Ngày ban hành,")
    assert ",13260," in csv_text and "122/KH-UBND" in csv_text


def test_csv_cells_cannot_run_as_formulas(store):
    from archive.compare import csv_rows

    row = compare(store, "DA5")[0]
    row.lead = ["=HYPERLINK(\"http://x\")"]
    row.name = "+1"
    cells = csv_rows([row])[1]
    assert "'=HYPERLINK(\"http://x\")" in cells and "'+1" in cells


def test_unknown_program_is_refused(store):
    with pytest.raises(ValueError, match="gnbv"):
        compare(store, "DA5", program="xyz")


# ---- pages: the count and sums of every row, one page decoded --------------------------

@pytest.mark.parametrize("scope,filters", [("DA5", None), ("DA1", None), ("DA1.TDA1", None),
                                           ("DA5", {"province": ["lai chau"]}), ("DA1", {"year": ["2023"]})])
def test_pages_are_slices_of_the_whole_comparison_with_its_sums(store, scope, filters):
    from archive.compare import CAPITALS, SOURCES, capital_amount, compare_page

    every = compare(store, scope, filters=filters)
    for size in (1, 2, 50):
        got = []
        for page in range(1, len(every) // size + 2):
            p = compare_page(store, scope, filters=filters, page=page, size=size)
            assert (p.total, p.page, p.size, p.du_an) == (len(every), page, size, scope)
            got += p.rows
        assert got == every  # same rows, same order, text included
    sums = compare_page(store, scope, filters=filters).sums
    added = lambda vals: sum(v for v in vals if v is not None) if any(v is not None for v in vals) else None
    assert sums.total_vnd == added([r.total_vnd for r in every])
    assert sums.sources == {s: added([source_amount(r, s) for r in every]) for s in SOURCES}
    assert sums.capitals == {c: added([capital_amount(r, c) for r in every]) for c in CAPITALS}
    bars = [r.total_vnd or sum(source_amount(r, s) or 0 for s in SOURCES) for r in every]
    assert sums.bar_max_vnd == (max(bars) or None if bars else None)
    assert sums.with_total == sum(r.total_vnd is not None for r in every)


def test_a_page_past_the_end_is_empty_and_sizes_are_bounded(store):
    from archive.compare import MAX_PAGE_SIZE, compare_page

    n = len(compare(store, "DA5"))
    past = compare_page(store, "DA5", page=n + 1, size=1)
    assert past.rows == [] and past.total == n
    assert compare_page(store, "DA5", size=10_000).size == MAX_PAGE_SIZE
    assert compare_page(store, "DA5", page=0, size=0).page == 1
    nothing = compare_page(store, "DA5", program="ntm")
    assert (nothing.total, nothing.rows, nothing.sums.total_vnd, nothing.sums.bar_max_vnd) == (0, [], None, None)


def test_the_page_query_reads_the_index_in_order_and_counts_from_it(store):
    """EXPLAIN QUERY PLAN: the count and sums never read the table, the page is never sorted
    as a whole (only its own rows, after the LIMIT)."""
    from archive import compare as cmp

    where = "p.program = ? AND p.du_an = ? AND fold(p.province) = ? AND p.years LIKE '%,' || ? || ',%'"
    args = ["gnbv", "DA5", "lai chau", "2023"]
    plan = lambda sql: " | ".join(r[3] for r in store.db.execute("EXPLAIN QUERY PLAN " + sql, args))
    count = plan(f"SELECT count(*), sum(p.vnd_total), max(p.vnd_nstw) FROM du_an_rows p WHERE {where}")
    assert "COVERING INDEX du_an_page" in count
    page = plan(f"SELECT p.rowid FROM du_an_rows p WHERE {where} {cmp._ORDER} LIMIT 50 OFFSET 50")
    assert "COVERING INDEX du_an_page" in page and "TEMP B-TREE" not in page


def test_the_csv_is_written_in_chunks_with_the_same_bytes(store):
    from archive.compare import csv_chunks, csv_stream, read_all, to_csv_bytes

    rows = compare(store, "DA1", with_text=False)
    whole = to_csv_bytes(rows)
    assert "".join(csv_chunks(rows, chunk=1)).encode("utf-8") == whole
    assert b"".join(csv_stream(read_all(store, "DA1"))) == whole
    assert b"".join(csv_stream(read_all(store, "DA5", program="ntm"))) == to_csv_bytes([])  # the header alone


# ---- the figures columns and compare's index on an archive made before them ---------------

def _older_archive(path: Path) -> None:
    """An archive as schema 6 left it: no figures in du_an_rows, the old sorted index."""
    st = Store(path)
    recs = [Pending(Record(plan_id_for(t), f.name, extract(t, doc=f.name), "2024-01-01T00:00:00+00:00", str(f)), str(f))
            for f in sorted(SAMPLES.glob("*.txt"))[:3] for t in [f.read_text(encoding="utf-8")]]
    st.commit_batch(recs)
    st.db.executescript("""
        CREATE TABLE old AS SELECT plan_id, program, du_an, row, text, doc, locality, province, level, doc_type,
            years, year, year_last FROM du_an_rows;
        DROP TABLE du_an_rows;
        ALTER TABLE old RENAME TO du_an_rows;
        CREATE INDEX du_an_sorted ON du_an_rows(program, du_an, province, locality, year, plan_id);
        CREATE INDEX du_an_plan ON du_an_rows(plan_id);
    """)
    st.close()


def _columns_and_indexes(path: Path) -> set[str]:
    import sqlite3

    con = sqlite3.connect(path / "archive.db")
    try:
        return ({r[1] for r in con.execute("PRAGMA table_info(du_an_rows)")}
                | {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='index'")})
    finally:
        con.close()


def test_an_older_archive_gets_the_figures_and_the_index_when_opened(tmp_path):
    import json

    from archive.compare import compare_page
    from archive.derived import FIGURES, row_figures

    _older_archive(tmp_path)
    assert "vnd_total" not in _columns_and_indexes(tmp_path)
    st = Store(tmp_path)
    try:
        have = _columns_and_indexes(tmp_path)
        assert set(FIGURES) <= have and "du_an_page" in have and "du_an_sorted" not in have
        rows = st.db.execute(f"SELECT du_an, row, {', '.join(FIGURES)} FROM du_an_rows").fetchall()
        assert rows and all(tuple(r[2:]) == row_figures(r[0], json.loads(r[1])) for r in rows)
        assert any(r[2] for r in rows)
        assert compare_page(st, "DA5").total == len(compare(st, "DA5")) > 0
    finally:
        st.close()
    again = Store(tmp_path)  # migrated: opened read-only as any current archive
    try:
        assert again.read_only
    finally:
        again.close()


def test_a_migration_cut_short_leaves_the_archive_as_it_was_and_runs_again(tmp_path, monkeypatch):
    import archive.derived as derived

    _older_archive(tmp_path)
    calls = []

    def dies(du_an, row):
        calls.append(du_an)
        if len(calls) > 3:
            raise KeyboardInterrupt  # a kill in the middle of the UPDATEs
        return real(du_an, row)

    real = derived.row_figures
    monkeypatch.setattr(derived, "row_figures", dies)
    with pytest.raises(KeyboardInterrupt):
        Store(tmp_path)
    have = _columns_and_indexes(tmp_path)
    assert "vnd_total" not in have and "du_an_sorted" in have  # rolled back whole
    monkeypatch.setattr(derived, "row_figures", real)
    st = Store(tmp_path)
    try:
        assert "du_an_page" in _columns_and_indexes(tmp_path)
        assert st.db.execute("SELECT count(*) FROM du_an_rows WHERE vnd_total IS NOT NULL").fetchone()[0] > 0
    finally:
        st.close()


def test_two_processes_opening_an_older_archive_at_once_both_succeed(tmp_path):
    """The second waits for the first's migration and finds it done (no 'duplicate column')."""
    import sqlite3
    import threading
    import time

    from archive.derived import FIGURES

    _older_archive(tmp_path)
    first = sqlite3.connect(tmp_path / "archive.db", isolation_level=None)
    first.execute("BEGIN IMMEDIATE")  # the first process, mid-migration
    for name in FIGURES:
        first.execute(f"ALTER TABLE du_an_rows ADD COLUMN {name} INTEGER")
    opened, failed = [], []

    def second():
        try:
            opened.append(Store(tmp_path))
        except Exception as e:  # noqa: BLE001 (reported below)
            failed.append(e)

    t = threading.Thread(target=second)
    t.start()
    time.sleep(1.0)  # the second has read the table without the figures and waits for the lock
    first.execute("COMMIT")
    first.close()
    t.join(60)
    assert not failed, failed
    try:
        assert "du_an_page" in _columns_and_indexes(tmp_path)
    finally:
        for st in opened:
            st.close()


@pytest.mark.parametrize("filters", [
    {"province": ["lai chau"]}, {"province": ["Đắk Nông", "LAI CHÂU"]}, {"province": ["Hà Nội"]},
    {"level": ["Huyện"]}, {"locality": ["phong tho"], "level": ["huyện"]}, {"doc_type": ["kế hoạch"]},
    {"province": ["Đắk Nông"], "year": ["2024"]},
])
def test_folded_filters_read_as_names_find_the_rows_fold_finds(store, filters):
    """compare turns fold(p.province) = ? into p.province IN (names that fold so): same rows."""
    from archive.store import filter_sql

    for scope in ("DA1", "DA5"):
        where, args = filter_sql(filters)
        want = [r[0] for r in store.db.execute(
            f"SELECT p.plan_id FROM du_an_rows p WHERE p.program = 'gnbv' AND p.du_an = ?{where} "
            "ORDER BY p.province, p.locality, p.year, p.plan_id", [scope, *args])]
        assert [r.plan_id for r in compare(store, scope, filters=filters)] == want
