"""Reliability against hostile clients, in process (issue 14): body limits on every route,
upload identity, the upload pool's limits and queue, caps, filters that are values, CSV cells
a spreadsheet will not run, and an engine whose index another process replaced.

The real-process scenarios (a server, a `kehoach reindex`, a killed upload) are in
tests/test_reliability_reindex.py.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from archive.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "corpus" / "samples").glob("*.txt"))
KEY = "k-rel"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    from archive.service import Archive

    data = tmp_path_factory.mktemp("kehoach-rel")
    arc = Archive.open(data, settings=Settings(data_dir=data, api_key=KEY))
    arc.ingest(SAMPLES[4:], workers=1)
    yield arc
    arc.close()


def _client(archive, **kw) -> TestClient:
    kw.setdefault("api_key", KEY)
    return TestClient(create_app(Settings(data_dir=archive.data_dir, **kw), archive=archive))


@pytest.fixture(scope="module")
def client(archive):
    with _client(archive, max_body_kb=16, max_upload_mb=0.5) as c:
        yield c


def _text(i: int) -> bytes:
    lines = SAMPLES[i % len(SAMPLES)].read_text(encoding="utf-8").splitlines()
    lines.insert(len(lines) // 2, f"Ghi chú: bản tải lên số {i}.")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _upload(c, name: str, data: bytes, **params):
    return c.post("/api/plans", params={"filename": name, **params}, content=data,
                  headers={"X-API-Key": KEY, "Content-Type": "application/octet-stream"})


# ---- finding 2 and 9: a body limit on every route, declared or streamed, multipart too ----

def test_json_route_refuses_a_declared_large_body(client):
    r = client.post("/api/similar", content=b"x" * (17 * 1024), headers={"Content-Type": "application/json"})
    assert r.status_code == 413, r.text
    assert r.json()["error"]["code"] == "too_large" and "KEHOACH_MAX_BODY_KB" in r.json()["error"]["message"]


def _drive(app, path: str, headers: list[tuple[bytes, bytes]], chunks) -> tuple[int, int]:
    """Send a chunked body (no Content-Length) straight to the ASGI app, as uvicorn does; the
    status and how many body bytes the app pulled before answering."""
    import asyncio

    pulled, status = [0], [0]
    it = iter(chunks)

    async def receive():
        try:
            chunk = next(it)
        except StopIteration:
            return {"type": "http.request", "body": b"", "more_body": False}
        pulled[0] += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(msg):
        if msg["type"] == "http.response.start":
            status[0] = msg["status"]

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": headers, "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
    asyncio.run(app(scope, receive, send))
    return status[0], pulled[0]


def test_json_route_refuses_a_chunked_body_at_the_limit(client):
    chunks = [b'{"text": "'] + [b"a" * 4096] * 10_000  # 40 MB if read whole
    status, pulled = _drive(client.app, "/api/similar", [(b"content-type", b"application/json")], chunks)
    assert status == 413 and pulled <= 16 * 1024 + 4096 + 10


def test_chunked_multipart_upload_stops_at_the_limit(client):
    boundary = "xyzBOUNDARY"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode()
    chunks = [head] + [b"a" * 4096] * 10_000  # 40 MB if read whole
    status, pulled = _drive(client.app, "/api/plans", [
        (b"x-api-key", KEY.encode()), (b"content-type", f"multipart/form-data; boundary={boundary}".encode())], chunks)
    # the parser never saw (nor spooled to disk) more than the limit and its framing slack
    assert status == 413 and pulled <= 512 * 1024 + 64 * 1024 + 4096 + len(head)


def test_declared_upload_over_the_limit_is_413_before_reading(client):
    r = _upload(client, "big.txt", b"a" * (700 * 1024))
    assert r.status_code == 413 and "KEHOACH_MAX_UPLOAD_MB" in r.json()["error"]["message"]


def test_x_filename_has_a_length_cap(client):
    r = client.post("/api/plans", content=b"abc", headers={
        "X-API-Key": KEY, "X-Filename": "a" * 2000 + ".txt", "Content-Type": "application/octet-stream"})
    assert r.status_code == 400 and "255" in r.json()["error"]["message"]
    assert _upload(client, "b" * 300 + ".txt", b"abc").status_code == 400


# ---- finding 5: upload identity ----

@pytest.mark.slow  # two extractions in child processes
def test_same_name_different_content_is_two_plans(client, archive):
    # two different plans (a copy with one line changed is the same plan: archive/duplicates.py)
    a = _upload(client, "ke-hoach.txt", _text(0))
    b = _upload(client, "ke-hoach.txt", _text(1))
    assert (a.status_code, b.status_code) == (201, 201), (a.text, b.text)
    ids = a.json()["plan_id"], b.json()["plan_id"]
    assert ids[0] != ids[1] and a.json()["status"] == b.json()["status"] == "ingested"
    assert archive.get(ids[0]) and archive.get(ids[1])  # the first officer's plan is still there
    again = _upload(client, "ke-hoach.txt", _text(0))
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    assert again.json()["plan_id"] == ids[0]


@pytest.mark.slow  # two extractions in child processes
def test_replace_names_the_plan_it_replaces(client, archive):
    old = _upload(client, "thay-the.txt", _text(2)).json()["plan_id"]
    r = _upload(client, "thay-the-v2.txt", _text(3), replace=old)
    assert r.status_code == 201 and r.json()["status"] == "replaced" and r.json()["replaced"] == old, r.text
    assert archive.get(old) is None and archive.get(r.json()["plan_id"])
    assert old not in archive.backend.plan_ids()
    assert _upload(client, "x.txt", _text(22), replace="0000000000000000").status_code == 404


# ---- finding 3/4: caps, limits and the queue of the upload pool ----

def test_text_over_the_character_cap_is_refused_by_name(archive, monkeypatch):
    monkeypatch.setattr(archive, "settings", dataclasses.replace(archive.settings, max_text_chars=1000))
    with _client(archive, max_text_chars=1000) as c:
        r = _upload(c, "dai.txt", _text(30))
    assert r.status_code == 422 and "KEHOACH_MAX_TEXT_CHARS" in r.json()["error"]["message"], r.text


def test_upload_pool_kills_a_child_over_its_time_or_memory():
    from archive.workers_upload import LimitExceeded, UploadPool

    pool = UploadPool(workers=1, queue=0, seconds=1.0, memory_mb=300)
    t0 = time.monotonic()
    with pytest.raises(LimitExceeded, match="giây"):
        pool.run(time.sleep, 30)
    assert time.monotonic() - t0 < 10
    with pytest.raises(LimitExceeded, match="MB"):
        pool.run(bytearray, 600 << 20)
    assert pool.run(len, b"abc") == 3  # the pool still works


def test_full_queue_answers_429_with_retry_after(archive):
    from archive.workers_upload import QueueFull, UploadPool

    pool = UploadPool(workers=1, queue=0, seconds=20.0, memory_mb=0)
    t = threading.Thread(target=pool.run, args=(time.sleep, 3))
    t.start()
    time.sleep(0.5)
    try:
        with pytest.raises(QueueFull):
            pool.run(len, b"x")
        archive._uploads, saved = pool, archive._uploads
        try:
            with _client(archive) as c:
                r = _upload(c, "cho.txt", _text(40))
            assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1, r.text
            assert r.json()["error"]["code"] == "busy"
        finally:
            archive._uploads = saved
    finally:
        t.join()


# ---- finding 9: filters are values; CSV cells are not formulas ----

@pytest.mark.parametrize("path", ["/api/plans", "/api/compare?du_an=DA1"])
def test_year_filter_is_a_number(client, path):
    sep = "&" if "?" in path else "?"
    for bad in ("%", "20%", "_", "2023 OR 1"):
        r = client.get(path + sep + "year=" + bad.replace("%", "%25").replace(" ", "+"))
        assert r.status_code == 400, (bad, r.text)
        assert r.json()["error"]["code"] == "invalid_request" and "year" in r.json()["error"]["message"]
    assert client.get(path + sep + "year=2023").status_code == 200


def test_store_filter_refuses_a_year_pattern():
    from archive.store import filter_sql

    with pytest.raises(ValueError):
        filter_sql({"year": ["%"]})


def test_csv_cells_starting_with_formula_characters_are_neutralized():
    from archive.compare import CompareRow, to_csv

    base = CompareRow("p1", "a.txt", "Phong Thổ", "Lai Châu", "huyện", 2023, [2023], "gnbv", "DA1", "x", 1_000_000)
    hostile = ["=HYPERLINK(\"http://x\")", "+1+2", "-3", "@SUM(A1)", "\t=1"]
    row = dataclasses.replace(base, name=hostile[0], lead=[hostile[1]], coordinating=[hostile[2]],
                              doc=hostile[3], locality=hostile[4])
    cells = [c for r in csv.reader(io.StringIO(to_csv([row]).lstrip("\ufeff"))) for c in r]
    for h in hostile:
        assert h not in cells and "'" + h in cells


# ---- finding 1, in process: a writer whose index was replaced under it ----

def test_commit_into_a_replaced_index_clears_the_writer_and_follows(tmp_path, sample_docs):
    from index.base import BackendError
    from index.factory import get_backend

    server = get_backend(tmp_path, "embedded")
    server.upsert(*sample_docs[0])
    server.commit()
    server.upsert(*sample_docs[1])  # the server holds the writer ...
    other = get_backend(tmp_path, "embedded")
    other.rebuild(iter(sample_docs[:1]))  # ... while another process rebuilds and drops its version
    try:
        server.commit()
    except BackendError:
        pass  # the commit may fail: its files are gone
    assert server.plans.writer is None and server.clauses.writer is None
    server.upsert(*sample_docs[2])  # the next write goes to the current version
    server.commit()
    assert sample_docs[2][0]["plan_id"] in other.plan_ids()
    assert server.count() == other.count()


# ---- finding 3: a hit carries a snippet of its clause, not the clause ----

def test_a_giant_clause_is_shown_as_a_snippet_around_the_match():
    from index.analysis import analyze_query as parse_query
    from index.semantics import SNIPPET_CHARS, snippet

    filler = "Các nội dung khác của kế hoạch được thực hiện theo quy định. " * 20_000  # 1.2 M characters
    text = filler[:150_000] + "Hỗ trợ nhà ở cho hộ nghèo trên địa bàn. " + filler[150_000:]
    pq = parse_query("hỗ trợ nhà ở")
    snip = snippet(text, pq)
    assert len(snip) <= SNIPPET_CHARS + 2 and "Hỗ trợ nhà ở cho hộ nghèo" in snip
    assert snip.startswith("…") and snip.endswith("…")
    short = "Hỗ trợ nhà ở cho hộ nghèo."
    assert snippet(short, pq) == short  # a clause of ordinary length is shown whole


def test_search_hits_carry_snippets_and_clause_ids(archive):
    from index.base import SearchRequest

    res = archive.search(SearchRequest(q="hộ nghèo", size=10, clauses_per_plan=5))
    clauses = [c for h in res.hits for c in h.clauses]
    assert clauses and all(c.id.startswith("c") and len(c.text) <= 802 for c in clauses)
    assert any("<mark>" in c.highlight for c in clauses)
