"""The HTTP API over a real Archive of the five sample plans (FastAPI TestClient, no server).

The archive is ingested once per session into a temporary KEHOACH_DATA; tests that write
(upload, delete) put the archive back as they found it.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from archive.settings import Settings

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"
KEY = "test-key-4f9a"


@pytest.fixture(scope="session")
def archive(tmp_path_factory):
    from archive.service import Archive

    data = tmp_path_factory.mktemp("kehoach-api-data")
    arc = Archive.open(data)
    report = arc.ingest([SAMPLES], workers=1)  # the pool is tested in test_ingest.py
    assert report.ok, [it.error for it in report.failed]
    yield arc
    arc.close()


def _client(archive, **kw) -> TestClient:
    kw.setdefault("api_key", KEY)
    kw.setdefault("allowed_types", Settings.from_env({}).allowed_types)
    return TestClient(create_app(Settings(data_dir=str(archive.data_dir), **kw), archive=archive))


@pytest.fixture(scope="session")
def client(archive):
    with _client(archive) as c:
        yield c


@pytest.fixture(scope="session")
def plans(client) -> dict[str, dict]:
    """plan_id -> summary, for the five samples."""
    r = client.get("/api/plans", params={"size": 100})
    assert r.status_code == 200
    return {p["plan_id"]: p for p in r.json()["plans"]}


def _plan_by_doc(plans, prefix: str) -> str:
    return next(pid for pid, p in plans.items() if p["doc"].startswith(prefix))


def _error(r, status: int) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    assert body["error"]["message"]
    return body["error"]


# ---------------------------------------------------------------- health, docs, page

def test_health(client):
    r = client.get("/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "backend": "embedded", "plans": 5, "writes_enabled": True}


def test_openapi_documents_every_parameter(client):
    spec = client.get("/openapi.json").json()
    missing = [(path, op, p["name"]) for path, ops in spec["paths"].items() for op, d in ops.items()
               for p in d.get("parameters", []) if not p.get("description")]
    assert not missing
    assert client.get("/docs").status_code == 200
    assert "ErrorBody" in spec["components"]["schemas"]


@pytest.mark.parametrize("path", ["/", "/tim-kiem?q=nha+o", "/ke-hoach/abc", "/so-sanh?du_an=DA5", "/soan-thao",
                                  "/trich-dan", "/trich-dan/90/QĐ-TTg"])
def test_page_shell(client, path):
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<html lang="vi">' in r.text and "/static/app.js" in r.text


@pytest.mark.parametrize("path,ctype", [("/static/app.js", "javascript"), ("/static/app.css", "text/css")])
def test_static_served_by_app(client, path, ctype):
    r = client.get(path)
    assert r.status_code == 200 and ctype in r.headers["content-type"]
    text = r.text.replace("http://www.w3.org/2000/svg", "")  # the SVG namespace name, not a download
    assert "http://" not in text and "https://" not in text


# ---------------------------------------------------------------- search

def test_search_shape_matches_cli_json(client):
    r = client.get("/api/search", params={"q": "hỗ trợ nhà ở", "size": 3})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] >= 3
    hit = body["hits"][0]
    assert {"plan_id", "doc", "title", "locality", "province", "year", "clauses"} <= set(hit)
    assert {"id", "text", "highlight", "section", "du_an"} <= set(hit["clauses"][0])
    assert any("<mark>" in c["highlight"] for h in body["hits"] for c in h["clauses"])
    assert {"province", "locality", "year", "program", "du_an", "cites"} <= set(body["facets"])
    assert all({"value", "count"} == set(v) for vs in body["facets"].values() for v in vs)


@pytest.mark.slow  # a kehoach process of its own
def test_search_json_is_the_cli_json(client, archive):
    import json
    import os
    import subprocess
    import sys

    script = Path(sys.executable).parent / "kehoach"
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "kehoach.cli"]
    out = subprocess.run([*cmd, "search", "--json", "ho tro nha o"], capture_output=True, text=True, check=True,
                         env={**os.environ, "KEHOACH_DATA": str(archive.data_dir), "KEHOACH_BACKEND": "embedded"})
    assert client.get("/api/search", params={"q": "ho tro nha o"}).json() == json.loads(out.stdout)


@pytest.mark.parametrize("a,b", [("ho tro nha o", "hỗ trợ nhà ở"), ("dak glong", "Đắk Glong")])
def test_search_with_or_without_diacritics(client, a, b):
    ids = [{h["plan_id"] for h in client.get("/api/search", params={"q": q, "size": 100}).json()["hits"]}
           for q in (a, b)]
    assert ids[0] and ids[0] == ids[1]


def test_search_facet_filter_repeatable_or(client):
    base = client.get("/api/search", params={"q": "giảm nghèo", "size": 100}).json()
    counts = {v["value"]: v["count"] for v in base["facets"]["province"]}
    assert {"Lai Châu", "Đắk Nông"} <= set(counts)
    one = client.get("/api/search", params={"q": "giảm nghèo", "province": "Lai Châu", "size": 100}).json()
    assert one["total"] == counts["Lai Châu"]
    assert {h["province"] for h in one["hits"]} == {"Lai Châu"}
    both = client.get("/api/search", params=[("q", "giảm nghèo"), ("province", "Lai Châu"),
                                             ("province", "Đắk Nông"), ("size", "100")]).json()
    assert both["total"] == counts["Lai Châu"] + counts["Đắk Nông"]


def test_search_pagination_and_sort(client):
    all_ids = [h["plan_id"] for h in client.get("/api/search", params={"q": "90/QĐ-TTg", "size": 100}).json()["hits"]]
    assert len(all_ids) == 5
    pages = [client.get("/api/search", params={"q": "90/QĐ-TTg", "size": 2, "page": p}).json() for p in (1, 2, 3)]
    assert [len(p["hits"]) for p in pages] == [2, 2, 1] and all(p["total"] == 5 for p in pages)
    assert sorted(h["plan_id"] for p in pages for h in p["hits"]) == sorted(all_ids)
    by_date = client.get("/api/search", params={"q": "90/QĐ-TTg", "size": 100, "sort": "date"}).json()
    issued = [client.get(f"/api/plans/{h['plan_id']}").json()["meta"]["issue_year"] for h in by_date["hits"]]
    issued = [y for y in issued if y]  # newest issued first
    assert issued == sorted(issued, reverse=True)


# Query strings that are syntax in some engine: none may reach it as syntax.
@pytest.mark.parametrize("q", ['"hỗ trợ nhà', 'nhà ở"', "(", "a AND OR NOT", "*:*", "title:nhà", "\\", "[1 TO 5]",
                               "hỗ~2 trợ^3", "{!lucene}x", "' OR 1=1 --", "\x00\x01", "🏠 nhà ở", "nhà" * 300])
def test_search_syntax_is_text(client, q):
    r = client.get("/api/search", params={"q": q})
    assert r.status_code == 200, r.text
    assert isinstance(r.json()["total"], int)


@pytest.mark.parametrize("params", [{"province": 'Lai "Châu'}, {"cites": "90/QĐ-TTg OR *"}, {"du_an": "gnbv:DA5\\"},
                                    {"agency": "(Sở"}, {"year": "2023]"}, {"source": "NSTW AND NOT x"}])
def test_search_filter_values_are_values(client, params):
    r = client.get("/api/search", params={"q": "nhà ở", **params})
    assert r.status_code == 200, r.text
    assert r.json()["total"] == 0


@pytest.mark.parametrize("params,field", [
    ({"q": "x" * 10_000}, "q"),
    ({"size": 101}, "size"),
    ({"size": 0}, "size"),
    ({"page": 0}, "page"),
    ({"page": "abc"}, "page"),
    ({"sort": "random"}, "sort"),
    ({"year_from": 2025, "year_to": 2021}, "year_from"),
    ({"amount_min": -1}, "amount_min"),
    ({"amount_min": 5, "amount_max": 1}, "amount_min"),
    ({"province": "x" * 400}, "province"),
])
def test_search_bad_parameters_are_400(client, params, field):
    err = _error(client.get("/api/search", params=params), 400)
    assert field in err["message"]


# ---------------------------------------------------------------- plans

def test_list_plans(client, plans):
    assert len(plans) == 5
    r = client.get("/api/plans", params={"size": 2, "page": 2}).json()
    assert r["total"] == 5 and len(r["plans"]) == 2 and r["page"] == 2
    lai_chau = client.get("/api/plans", params={"province": "Lai Châu"}).json()
    assert lai_chau["total"] >= 1 and {p["province"] for p in lai_chau["plans"]} == {"Lai Châu"}


def test_list_plans_year_range_and_program(client, plans):
    years = {pid: p["years"] or [p["year"]] for pid, p in plans.items()}
    r = client.get("/api/plans", params={"year_from": 2024, "size": 100}).json()
    assert {p["plan_id"] for p in r["plans"]} == {pid for pid, ys in years.items() if max(ys) >= 2024}
    assert client.get("/api/plans", params={"program": "gnbv"}).json()["total"] == 5
    assert client.get("/api/plans", params={"program": "ntm"}).json()["total"] == 0
    _error(client.get("/api/plans", params={"year_from": 2025, "year_to": 2020}), 400)


def test_plan_detail_spans_point_into_text(client, plans):
    for pid in plans:
        d = client.get(f"/api/plans/{pid}").json()
        text = client.get(f"/api/plans/{pid}/text").text
        assert d["text_length"] == len(text) and "text" not in d
        for group in ("references", "amounts", "targets"):
            for e in d[group]:
                if e["start"] >= 0:
                    assert 0 <= e["start"] < e["end"] <= len(text), (pid, group, e)
        for a in d["amounts"]:
            if a["start"] >= 0:  # the amount's leading digits are at its span in the original
                digits = a["text"].split()[0]
                assert digits in text[a["start"]:a["end"]], (a, text[a["start"]:a["end"]])
        for ag in d["agencies"]:
            for m in ag["mentions"]:
                assert 0 <= m["start"] < m["end"] <= len(text)


def test_plan_detail_content(client, plans):
    pid = _plan_by_doc(plans, "000_")
    d = client.get(f"/api/plans/{pid}").json()
    assert d["meta"]["locality"]["name"] == "Phong Thổ"
    assert "90/QĐ-TTg" in {r["number"] for r in d["references"]}
    assert d["clauses"] and d["sections"] and d["amounts"]
    assert all({"ok", "message", "stated", "computed"} <= set(c) for c in d["checks"])


def test_plan_text_is_plain_utf8(client, plans):
    pid = _plan_by_doc(plans, "000_")
    r = client.get(f"/api/plans/{pid}/text")
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    assert "KẾ HOẠCH" in r.text


@pytest.mark.parametrize("path", ["/api/plans/0000000000000000", "/api/plans/0000000000000000/text",
                                  "/api/plans/..", "/api/plans/a%20b", "/api/plans/%2e%2e/text"])
def test_unknown_plan_is_404(client, path):
    assert _error(client.get(path), 404)["code"] == "not_found"


def test_unknown_route_is_json_404(client):
    assert _error(client.get("/api/nothing-here"), 404)["code"] == "not_found"
    assert _error(client.put("/api/plans"), 405)["code"] == "method_not_allowed"


# ---------------------------------------------------------------- compare

def test_compare_da5(client):
    r = client.get("/api/compare", params={"program": "gnbv", "du_an": "DA5"})
    assert r.status_code == 200
    body = r.json()
    assert body["program"] == "gnbv" and body["du_an"] == "DA5"
    totals = {row["locality"]: row["total_vnd"] for row in body["rows"]}
    assert totals["Phong Thổ"] == 13_260_000_000
    assert 43_214_000_000 in {row["total_vnd"] for row in body["rows"] if row["province"] == "Đắk Nông"}
    for row in body["rows"]:
        assert set(row["sources"]) == {"NSTW", "NSĐP", "khác"}
        assert {"lead", "coordinating", "targets", "amounts", "capitals"} <= set(row)


def test_compare_filters_and_lowercase_id(client):
    rows = client.get("/api/compare", params={"du_an": "da5", "province": "Lai Châu"}).json()["rows"]
    assert rows and {r["province"] for r in rows} == {"Lai Châu"}


def test_compare_year_range(client):
    rows = client.get("/api/compare", params={"du_an": "DA5", "year_to": 2023}).json()["rows"]
    assert rows and all(min(r["years"] or [r["year"]]) <= 2023 for r in rows)


def test_compare_csv(client):
    r = client.get("/api/compare", params={"program": "gnbv", "du_an": "DA5", "format": "csv"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"].startswith("attachment;") and ".csv" in r.headers["content-disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read UTF-8
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    header, data = rows[0], rows[1:]
    assert header[:3] == ["Văn bản", "Số ký hiệu", "Ngày ban hành"] and "Tổng (triệu đồng)" in header
    assert {"Năm bắt đầu", "Năm kết thúc", "Cơ quan chủ trì", "Chỉ tiêu chính"} <= set(header)
    assert all(len(row) == len(header) for row in data)
    assert len(data) == client.get("/api/compare", params={"du_an": "DA5", "size": 1}).json()["total"]  # every row, not a page
    by_place = {row[header.index("Địa phương")]: row for row in data}
    assert by_place["Phong Thổ"][header.index("Tổng (triệu đồng)")] == "13260"
    assert by_place["Đắk Nông"][header.index("Số ký hiệu")] == "122/KH-UBND"
    assert by_place["Đắk Nông"][header.index("Văn bản")].startswith("Kế hoạch số 122/KH-UBND ngày 29/02/2024")
    # the CLI writes the same bytes (one CSV format)
    from archive.compare import to_csv_bytes
    assert r.content == to_csv_bytes(client.app.state.archive.compare("DA5"))


def test_compare_pages_with_the_count_and_sums_of_every_row(client):
    every = client.get("/api/compare", params={"du_an": "DA1"}).json()
    n = every["total"]
    assert n == len(every["rows"]) >= 2 and (every["page"], every["size"]) == (1, 50)
    pages = [client.get("/api/compare", params={"du_an": "DA1", "size": 1, "page": i}).json() for i in range(1, n + 2)]
    assert [r["plan_id"] for p in pages for r in p["rows"]] == [r["plan_id"] for r in every["rows"]]
    assert all(p["total"] == n and p["sums"] == every["sums"] for p in pages)  # sums of every row on each page
    assert pages[-1]["rows"] == []  # past the end
    sums = every["sums"]
    assert sums["total_vnd"] == sum(r["total_vnd"] for r in every["rows"] if r["total_vnd"] is not None)
    for key in ("NSTW", "NSĐP", "khác"):
        vals = [r["sources"][key] for r in every["rows"] if r["sources"][key] is not None]
        assert sums["sources"][key] == (sum(vals) if vals else None)
    bars = [r["total_vnd"] or sum(v or 0 for v in r["sources"].values()) for r in every["rows"]]
    assert sums["bar_max_vnd"] == max(bars)
    bare = client.get("/api/compare", params={"du_an": "DA1", "text": "false"}).json()
    assert all(r["text"] == "" for r in bare["rows"]) and any(r["text"] for r in every["rows"])
    assert [{**r, "text": ""} for r in every["rows"]] == bare["rows"]
    one = client.get("/api/compare", params={"du_an": "DA1", "province": "Lai Châu", "size": 1}).json()
    assert one["total"] == len([r for r in every["rows"] if r["province"] == "Lai Châu"])


@pytest.mark.parametrize("params", [{"page": 0}, {"size": 0}, {"size": 501}, {"page": "x"}])
def test_compare_refuses_a_bad_page(client, params):
    assert _error(client.get("/api/compare", params={"du_an": "DA5", **params}), 400)["code"]


def test_compare_accepts_the_written_forms_and_refuses_an_unknown_du_an(client):
    assert client.get("/api/compare", params={"du_an": "Dự án 5"}).json()["du_an"] == "DA5"
    err = _error(client.get("/api/compare", params={"du_an": "DA99"}), 404)
    assert err["code"] == "unknown_du_an" and "Dự án 99" in err["message"]
    names = {p["code"]: p for p in client.get("/api/programs").json()}
    assert names["gnbv"]["components"]["DA5"].startswith("Hỗ trợ nhà ở")


@pytest.mark.parametrize("params,status", [
    ({}, 400),  # du_an required
    ({"du_an": "DA"}, 400),
    ({"du_an": "Dự án năm"}, 400),
    ({"du_an": "DA5", "program": "xyz"}, 400),
    ({"du_an": "DA5", "format": "xlsx"}, 400),
    ({"du_an": "ND10", "program": "ntm"}, 200),  # the program has it, no sample plan does
])
def test_compare_bad_parameters(client, params, status):
    r = client.get("/api/compare", params=params)
    if status == 200:
        assert r.status_code == 200 and r.json()["rows"] == []
    else:
        _error(r, status)


# ---------------------------------------------------------------- similar

def test_similar_finds_the_clause_it_is_given(client, plans):
    pid = _plan_by_doc(plans, "002_")
    clauses = [c for c in client.get(f"/api/plans/{pid}").json()["clauses"]
               if c["kind"] != "heading" and len(c["text"]) > 80]
    clause = clauses[len(clauses) // 2]
    r = client.post("/api/similar", json={"text": clause["text"], "k": 5})
    assert r.status_code == 200
    hits = r.json()["hits"]
    assert 1 <= len(hits) <= 5
    top = hits[0]
    assert top["text"] == clause["text"] and top["score"] > 0.9
    places = {top["plan_id"]} | {e["plan_id"] for e in top["examples"]}
    assert pid in places or top["plans"] > 1
    assert top["locality"] and top["section"] is not None
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


@pytest.mark.parametrize("body", [{"text": ""}, {"text": "   "}, {"text": "nhà ở", "k": 0}, {"text": "nhà ở", "k": 500},
                                  {"k": 3}, {"text": 5}, {"text": "x" * 20_001}])
def test_similar_bad_body_is_400(client, body):
    _error(client.post("/api/similar", json=body), 400)


def test_similar_not_json_is_400(client):
    _error(client.post("/api/similar", content=b"{not json", headers={"Content-Type": "application/json"}), 400)


# ---------------------------------------------------------------- references

@pytest.mark.parametrize("number", ["90/QĐ-TTg", "90/QD-TTG", "90/qđ-ttg", "QĐ 90/QĐ-TTg", "90/QĐ–TTg"])
def test_references_any_written_form(client, number):
    r = client.get("/api/references/" + quote(number, safe=""))
    assert r.status_code == 200, r.text
    assert len({p["plan_id"] for p in r.json()["plans"]}) == 5
    r2 = client.get("/api/references/" + quote(number, safe="/"))  # slash left unencoded also works
    assert r2.json()["plans"] == r.json()["plans"]


def test_references_unknown_number_is_empty(client):
    r = client.get("/api/references/" + quote("9999/QĐ-XYZ", safe=""))
    assert r.status_code == 200 and r.json()["plans"] == []


def test_references_no_number_is_400(client):
    _error(client.get("/api/references/" + quote("không có số", safe="")), 400)


def test_most_cited(client):
    docs = client.get("/api/references", params={"limit": 3}).json()
    assert len(docs) <= 3 and docs[0]["number"] == "90/QĐ-TTg" and docs[0]["count"] == 5
    _error(client.get("/api/references", params={"limit": 0}), 400)


def test_replacements(client):
    r = client.get("/api/replacements")
    assert r.status_code == 200 and all("replaces" in x for x in r.json())


# ---------------------------------------------------------------- writes

def _new_text() -> bytes:
    # a new plan: the first 60% of sample 003's lines (the whole of it plus a line would be a
    # copy of sample 003, one plan with it: tests/test_duplicates.py)
    lines = (SAMPLES / "003_b867d681569971b9.txt").read_text(encoding="utf-8").split("\n")
    text = "\n".join(lines[:len(lines) * 6 // 10])
    return (text + "\n\nKế hoạch này được bổ sung để kiểm thử việc nạp tệp qua API.\n").encode("utf-8")


def test_writes_refused_without_configured_key(archive):
    with _client(archive, api_key=None) as c:
        for r in (c.post("/api/plans", files={"file": ("a.txt", b"x")}, headers={"X-API-Key": "anything"}),
                  c.delete("/api/plans/0000000000000000", headers={"X-API-Key": "anything"})):
            err = _error(r, 403)
            assert err["code"] == "writes_disabled" and "KEHOACH_API_KEY" in err["message"]
        assert c.get("/health").json()["writes_enabled"] is False


@pytest.mark.parametrize("headers,status", [({}, 401), ({"X-API-Key": "wrong"}, 403), ({"X-API-Key": ""}, 401)])
def test_writes_need_the_right_key(client, headers, status):
    _error(client.post("/api/plans", files={"file": ("a.txt", _new_text())}, headers=headers), status)
    _error(client.delete("/api/plans/0000000000000000", headers=headers), status)
    assert client.get("/health").json()["plans"] == 5


def test_upload_too_large_is_413(archive):
    with _client(archive, max_upload_mb=0.01) as c:
        big = b"x" * 20_000
        err = _error(c.post("/api/plans", files={"file": ("big.txt", big)}, headers={"X-API-Key": KEY}), 413)
        assert "MB" in err["message"]
        _error(c.post("/api/plans", params={"filename": "big.txt"}, content=big, headers={"X-API-Key": KEY}), 413)


@pytest.mark.parametrize("name", ["virus.exe", "plan.pptx", "noext", "a.txt.zip"])
def test_upload_wrong_type_is_415(client, name):
    err = _error(client.post("/api/plans", files={"file": (name, b"hello")}, headers={"X-API-Key": KEY}), 415)
    assert name.split("/")[-1] in err["message"]


def test_upload_allowed_types_is_a_setting(archive):
    with _client(archive, allowed_types=(".pdf",)) as c:
        err = _error(c.post("/api/plans", files={"file": ("a.txt", b"x")}, headers={"X-API-Key": KEY}), 415)
        assert ".pdf" in err["message"]


@pytest.mark.parametrize("name,data", [("broken.docx", b"this is not a zip file"), ("broken.pdf", b"%PDF-1.4 garbage"),
                                       ("empty.txt", b"")])
def test_upload_bad_file_is_422_with_reason(client, name, data):
    err = _error(client.post("/api/plans", files={"file": (name, data)}, headers={"X-API-Key": KEY}), 422)
    assert name in err["message"]


def test_upload_without_file_is_400(client):
    _error(client.post("/api/plans", content=b"abc", headers={"X-API-Key": KEY}), 400)  # no name
    _error(client.post("/api/plans", files={"other": ("a.txt", b"x")}, headers={"X-API-Key": KEY}), 400)


def test_upload_then_delete(client):
    data = _new_text()
    r = client.post("/api/plans", files={"file": ("bo-sung.txt", data, "text/plain")}, headers={"X-API-Key": KEY})
    assert r.status_code == 201, r.text
    up = r.json()
    assert up["status"] == "ingested" and up["doc"] == "bo-sung.txt"
    pid = up["plan_id"]
    try:
        assert client.get("/health").json()["plans"] == 6
        assert client.get(f"/api/plans/{pid}").json()["doc"] == "bo-sung.txt"
        hits = client.get("/api/search", params={"q": "kiểm thử việc nạp tệp qua API", "size": 100}).json()["hits"]
        assert pid in {h["plan_id"] for h in hits}
        # the same bytes again, as a raw body named by header: nothing changes
        again = client.post("/api/plans", content=data, headers={"X-API-Key": KEY, "X-Filename": "bo-sung.txt"})
        assert again.status_code == 200 and again.json() == {**up, "status": "unchanged", "note": again.json()["note"]}
    finally:
        r = client.delete(f"/api/plans/{pid}", headers={"X-API-Key": KEY})
    assert r.status_code == 200 and r.json() == {"plan_id": pid, "deleted": True}
    _error(client.get(f"/api/plans/{pid}"), 404)
    _error(client.delete(f"/api/plans/{pid}", headers={"X-API-Key": KEY}), 404)
    assert client.get("/health").json()["plans"] == 5
    assert pid not in {h["plan_id"] for h in client.get("/api/search", params={"q": "kiểm thử việc nạp tệp qua API"}).json()["hits"]}


def test_upload_docx(client):
    import docx

    text = _new_text().decode("utf-8")
    d = docx.Document()
    for para in text.split("\n\n"):
        d.add_paragraph(para.strip())
    buf = io.BytesIO()
    d.save(buf)
    r = client.post("/api/plans", files={"file": ("ke-hoach.docx", buf.getvalue())}, headers={"X-API-Key": KEY})
    assert r.status_code == 201, r.text
    pid = r.json()["plan_id"]
    try:
        plan = client.get(f"/api/plans/{pid}").json()
        assert plan["doc"] == "ke-hoach.docx" and plan["meta"]["locality"]["name"] == "Triệu Sơn"
    finally:
        assert client.delete(f"/api/plans/{pid}", headers={"X-API-Key": KEY}).status_code == 200


@pytest.mark.parametrize("how", ["header", "query", "multipart"])
def test_upload_vietnamese_file_name(client, how):
    name, data = "kế-hoạch-bổ-sung.txt", _new_text()
    key = {"X-API-Key": KEY}
    if how == "header":
        r = client.post("/api/plans", content=data, headers={**key, "X-Filename": quote(name)})
    elif how == "query":
        r = client.post("/api/plans", params={"filename": name}, content=data, headers=key)
    else:
        r = client.post("/api/plans", files={"file": (name, data)}, headers=key)
    assert r.status_code in (200, 201), r.text
    try:
        assert r.json()["doc"] == name
    finally:
        client.delete(f"/api/plans/{r.json()['plan_id']}", headers=key)


def test_upload_file_name_is_never_a_path(client):
    data = _new_text()
    r = client.post("/api/plans", params={"filename": "../../etc/ke-hoach.txt"}, content=data, headers={"X-API-Key": KEY})
    assert r.status_code == 201, r.text
    try:
        assert r.json()["doc"] == "ke-hoach.txt"
    finally:
        client.delete(f"/api/plans/{r.json()['plan_id']}", headers={"X-API-Key": KEY})


# ---------------------------------------------------------------- settings

@pytest.mark.parametrize("env,field,value", [
    ({}, "max_upload_mb", 20.0),
    ({"KEHOACH_MAX_UPLOAD_MB": "2.5"}, "max_upload_bytes", int(2.5 * 1024 * 1024)),
    ({"KEHOACH_ALLOWED_TYPES": "txt, .PDF"}, "allowed_types", (".txt", ".pdf")),
    ({"KEHOACH_API_KEY": ""}, "writes_enabled", False),
    ({"KEHOACH_API_KEY": "k"}, "writes_enabled", True),
    ({"KEHOACH_DATA": "/srv/kehoach", "KEHOACH_BACKEND": "elasticsearch"}, "backend", "elasticsearch"),
    ({"KEHOACH_BACKEND": "ES"}, "backend", "elasticsearch"),
    ({}, "data_dir", Path("data")),
    ({"KEHOACH_DATA": "/srv/kehoach"}, "data_dir", Path("/srv/kehoach")),
    ({}, "max_file_bytes", 20 * 1024 * 1024),
    ({"KEHOACH_MAX_FILE_MB": "0.5"}, "max_file_bytes", 512 * 1024),
    ({"KEHOACH_INGEST_BATCH": "3"}, "ingest_batch", 3),
    ({"KEHOACH_STORE_MMAP_MB": "0"}, "store_mmap_mb", 0),
    ({"KEHOACH_ES_PREFIX": "Kho"}, "es_prefix", "kho"),
    ({"KEHOACH_ES_USER": "u", "KEHOACH_ES_PASSWORD": "p", "KEHOACH_BACKEND": "elasticsearch"},
     "engine_options", None),
])
def test_settings_from_env(env, field, value):
    got = getattr(Settings.from_env(env), field)
    if field == "engine_options":
        assert got() == {"url": "http://localhost:9200", "prefix": "kehoach", "timeout": 30.0, "api_key": None,
                         "user": "u", "password": "p"}
    else:
        assert got == value


def test_default_allowed_types_are_the_loaders():
    from corpus.loaders import SUPPORTED_SUFFIXES

    assert set(Settings.from_env({}).allowed_types) == {s.lower() for s in SUPPORTED_SUFFIXES}


@pytest.mark.parametrize("env,name", [({"KEHOACH_MAX_UPLOAD_MB": "abc"}, "KEHOACH_MAX_UPLOAD_MB"),
                                      ({"KEHOACH_MAX_UPLOAD_MB": "0"}, "KEHOACH_MAX_UPLOAD_MB"),
                                      ({"KEHOACH_ALLOWED_TYPES": " , "}, "KEHOACH_ALLOWED_TYPES"),
                                      ({"KEHOACH_BACKEND": "solr"}, "KEHOACH_BACKEND"),
                                      ({"KEHOACH_MAX_FILE_MB": "-1"}, "KEHOACH_MAX_FILE_MB"),
                                      ({"KEHOACH_INGEST_BATCH": "2.5"}, "KEHOACH_INGEST_BATCH"),
                                      ({"KEHOACH_STORE_MMAP_MB": "nhiều"}, "KEHOACH_STORE_MMAP_MB"),
                                      ({"KEHOACH_ES_TIMEOUT": "0"}, "KEHOACH_ES_TIMEOUT"),
                                      ({"KEHOACH_ES_PREFIX": "kho/hs"}, "KEHOACH_ES_PREFIX")])
def test_bad_settings_name_the_variable(env, name):
    from archive.settings import SettingsError

    with pytest.raises(SettingsError, match=name):
        Settings.from_env(env)
