"""Load: 20 concurrent keep-alive clients against `kehoach serve` on loopback for 30 s.

The five sample plans are ingested into a tmp KEHOACH_DATA; the server runs as a real
subprocess on a free 127.0.0.1 port. Each client cycles through the benchmark's request mix
(kehoach/bench.py: searches with and without diacritics, with filters and facets; compare;
similar), starting at its own offset. Bounded: 30 s or MAX_REQUESTS, whichever comes first.
Every answer must be 200; p50/p99 are printed per kind.
"""
from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from kehoach import bench

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpus" / "samples"
CLIENTS = 20
DURATION_S = 30.0
MAX_REQUESTS = 6000

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from archive.service import Archive

    data = tmp_path_factory.mktemp("kehoach-load-data")
    with Archive.open(data_dir=data) as arc:
        report = arc.ingest([SAMPLES])
        assert report.ok, [it.error for it in report.failed]
    srv = bench.Server(data)
    try:
        srv.wait_ready()
        yield srv
    finally:
        srv.stop()


def _requests() -> list[tuple[str, str, str, dict | None]]:
    """(kind, method, path, body) in a fixed order: search, compare, similar interleaved."""
    from kehoach.synth import load_material

    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    info = {"province": "Lai Châu", "province2": "Đắk Nông", "year": 2023}
    searches = [("search", "GET", "/api/search?" + bench._query_string(p), None) for p in bench.search_mix(info)]
    compares = [("compare", "GET", "/api/compare?" + bench._query_string(r), None)
                for r in bench.compare_mix(info, load_material().programs)]
    similars = [("similar", "POST", "/api/similar", {"text": t, "k": 10}) for t in bench.similar_mix(texts)]
    out = []
    for i in range(max(len(searches), len(compares), len(similars))):
        for lst in (searches, searches, compares, similars):  # half of the traffic is search
            out.append(lst[i % len(lst)])
    return out


def test_twenty_clients_thirty_seconds(server, capsys):
    mix = _requests()
    lock = threading.Lock()
    results: list[tuple[str, float]] = []
    errors: list[str] = []
    sent = [0]
    deadline = time.perf_counter() + DURATION_S

    def client(n: int) -> None:
        c = bench.Client(server.port)
        i = n * 37
        try:
            while time.perf_counter() < deadline:
                with lock:
                    if sent[0] >= MAX_REQUESTS:
                        return
                    sent[0] += 1
                kind, method, path, body = mix[i % len(mix)]
                i += 1
                t0 = time.perf_counter()
                try:
                    c.request(method, path, body)
                except Exception as e:  # noqa: BLE001 - every failure is a test failure, with its request
                    with lock:
                        errors.append(f"{kind} {method} {path}: {e}")
                    continue
                ms = (time.perf_counter() - t0) * 1000
                with lock:
                    results.append((kind, ms))
        finally:
            c.close()

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(CLIENTS)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(DURATION_S + 120)
    elapsed = time.perf_counter() - t0

    lines = [f"load: {CLIENTS} clients, {len(results)} answers + {len(errors)} errors in {elapsed:.1f} s "
             f"({len(results) / elapsed:.0f} req/s), server peak RSS {server.peak_rss / 1e6:.0f} MB"]
    for kind in ("all", "search", "compare", "similar"):
        ms = [m for k, m in results if kind == "all" or k == kind]
        if ms:
            p = bench.percentiles(ms)
            lines.append(f"  {kind:<8} n={len(ms):<5} p50 {p['p50']:.1f} ms  p99 {p['p99']:.1f} ms")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert not any(t.is_alive() for t in threads), "a client thread hung"
    assert not errors, f"{len(errors)} failed requests, e.g. {errors[:3]}"
    assert results
    assert {k for k, _ in results} == {"search", "compare", "similar"}
