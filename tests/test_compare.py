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
