"""The archive CLI on the five samples: search JSON contract, diacritics, numbers, facets, compare, cites, similar."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kehoach.cli import main

SAMPLES = Path(__file__).resolve().parent.parent / "corpus" / "samples"


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli") / "data"
    mp = pytest.MonkeyPatch()
    mp.setenv("KEHOACH_DATA", str(d))
    assert main(["ingest", "--quiet", "--workers", "1", str(SAMPLES)]) == 0
    yield d
    mp.undo()


def run_json(capsys, *argv):
    capsys.readouterr()
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def plans(capsys, q, *extra):
    return {h["doc"] for h in run_json(capsys, "search", q, "--json", *extra)["hits"]}


def test_search_json_has_exactly_the_contract_keys(data, capsys):
    out = run_json(capsys, "search", "hỗ trợ nhà ở", "--json")
    assert set(out) == {"total", "relaxed", "notice", "hits", "facets"}
    assert out["total"] >= 4 and out["hits"] and out["relaxed"] is False and out["notice"] is None
    hit = out["hits"][0]
    assert set(hit) == {"plan_id", "doc", "identity", "title", "doc_type", "number", "issue_date", "locality",
                        "province", "year", "clauses", "more_clauses"}
    assert hit["identity"] and not hit["identity"].endswith(".txt")
    assert set(hit["clauses"][0]) == {"id", "text", "highlight", "section", "du_an"}
    assert "<mark>" in hit["clauses"][0]["highlight"]
    assert all(set(v) == {"value", "count"} for vals in out["facets"].values() for v in vals)


@pytest.mark.parametrize("plain,marked", [
    ("ho tro nha o", "hỗ trợ nhà ở"),
    ("dak glong", "Đắk Glong"),
    ("tap huan can bo giam ngheo", "tập huấn cán bộ giảm nghèo"),
])
def test_queries_with_and_without_diacritics_give_the_same_plans(data, capsys, plain, marked):
    assert plans(capsys, plain) == plans(capsys, marked) != set()


@pytest.mark.parametrize("number", ["90/QĐ-TTg", "90/QD-TTG"])
def test_a_document_number_finds_all_five_plans(data, capsys, number):
    assert len(plans(capsys, number)) == 5


def test_province_facet_and_filter(data, capsys):
    out = run_json(capsys, "search", "giảm nghèo", "--json")
    provinces = {v["value"]: v["count"] for v in out["facets"]["province"]}
    assert provinces.get("Lai Châu") == 1 and provinces.get("Đắk Nông") == 1
    assert plans(capsys, "giảm nghèo", "--filter", "province=Lai Châu") == {"000_700f213ea182e0e3.txt"}


def test_bad_filter_is_a_clear_error(data, capsys):
    assert main(["search", "x", "--filter", "province"]) == 2
    assert "TRƯỜNG=GIÁ TRỊ" in capsys.readouterr().err


def test_compare_da5_json_and_csv(data, capsys):
    out = run_json(capsys, "compare", "DA5", "--json")
    assert out["program"] == "gnbv" and out["du_an"] == "DA5"
    totals = {r["locality"]: r["total_million"] for r in out["rows"]}
    assert totals["Phong Thổ"] == 13260 and totals["Đắk Nông"] == 43214
    capsys.readouterr()
    assert main(["compare", "da5", "--csv", "--filter", "province=Lai Châu"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and ",13260," in lines[1] and lines[0].startswith("\ufeffVăn bản,Số ký hiệu")
    assert main(["compare", "nhà ở"]) == 2
    assert main(["compare", "DA99"]) == 1  # the program has no Dự án 99
    assert "không có Dự án 99" in capsys.readouterr().err


def test_compare_one_page(data, capsys):
    every = run_json(capsys, "compare", "DA1", "--json", "--no-text")["rows"]
    page = run_json(capsys, "compare", "DA1", "--json", "--no-text", "--page", "2", "--size", "1")
    assert (page["total"], page["page"], page["size"]) == (len(every), 2, 1)
    assert [r["plan_id"] for r in page["rows"]] == [every[1]["plan_id"]]
    assert page["sums"]["total_vnd"] == sum(r["total_vnd"] or 0 for r in every)
    capsys.readouterr()
    assert main(["compare", "DA1", "--page", "1", "--size", "2"]) == 0
    assert f"Hiển thị 1–2 trong {len(every)} kế hoạch" in capsys.readouterr().out
    assert main(["compare", "DA1", "--page", "0"]) == 2
    assert main(["compare", "DA1", "--page", "99"]) == 1  # past the end: nothing on that page
    assert "không có kế hoạch nào" in capsys.readouterr().out


def test_cites_and_most_cited(data, capsys):
    out = run_json(capsys, "cites", "QĐ 90/QĐ-TTg", "--json")
    assert len(out["plans"]) == 5
    top = run_json(capsys, "cites", "--top", "1", "--json")["most_cited"]
    assert top[0]["number"] == "90/QĐ-TTg" and top[0]["count"] == 5
    assert main(["cites", "không có số"]) == 2
    assert main(["cites", "999/QĐ-XYZ"]) == 1  # nothing found


def test_similar_json(data, capsys):
    hits = run_json(capsys, "similar", "Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo", "--k", "3", "--json")["hits"]
    assert len(hits) == 3 and "nhà ở" in hits[0]["text"].lower()
    assert {"score", "count", "plan_id", "locality", "section"} <= set(hits[0])


def test_human_readable_output(data, capsys):
    capsys.readouterr()
    assert main(["search", "nước sinh hoạt hợp vệ sinh"]) == 0
    out = capsys.readouterr().out
    assert "kế hoạch" in out and "«" in out
    assert main(["compare", "DA5"]) == 0
    out = capsys.readouterr().out
    assert "13.260" in out and "43.214" in out  # Vietnamese thousands, not 13,260
    assert "Kế hoạch số 122/KH-UBND ngày 29/02/2024 của UBND tỉnh Đắk Nông" in out
    assert main(["search", "zzzqqqxxx"]) == 1


@pytest.mark.parametrize("name, value", [("KEHOACH_MAX_FILE_MB", "abc"), ("KEHOACH_BACKEND", "solr"),
                                         ("KEHOACH_INGEST_BATCH", "0")])
def test_a_bad_setting_stops_every_command_naming_the_variable(tmp_path, monkeypatch, capsys, name, value):
    monkeypatch.setenv("KEHOACH_DATA", str(tmp_path / "data"))
    monkeypatch.setenv(name, value)
    capsys.readouterr()
    assert main(["search", "nhà ở", "--json"]) == 2
    err = capsys.readouterr().err
    assert f"{name}={value!r}" in err and ("không" in err or "phải" in err)
    assert not (tmp_path / "data").exists()  # nothing opened


def test_max_file_mb_reaches_the_loaders(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KEHOACH_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("KEHOACH_MAX_FILE_MB", "0.001")  # about 1 kB: every sample is larger
    assert main(["ingest", "--quiet", "--workers", "1", str(SAMPLES)]) == 1
    err = capsys.readouterr().err
    assert err.count("KEHOACH_MAX_FILE_MB") == 5, err  # each file refused, naming the setting
