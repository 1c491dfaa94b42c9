"""`kehoach bench` smoke run: 20 plans, the JSON has exactly the documented keys and shapes.

No timing is asserted (figures depend on the machine); see kehoach/bench.py for the method.
"""
from __future__ import annotations

import json

import pytest

from kehoach import bench
from kehoach.cli import main

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("samples, expected", [
    ([], {"p50": 0.0, "p95": 0.0, "p99": 0.0}),
    ([5.0], {"p50": 5.0, "p95": 5.0, "p99": 5.0}),
    ([float(i) for i in range(1, 101)], {"p50": 50.0, "p95": 95.0, "p99": 99.0}),
    ([float(i) for i in range(1, 201)], {"p50": 100.0, "p95": 190.0, "p99": 198.0}),
])
def test_percentiles(samples, expected):
    assert bench.percentiles(samples) == expected


def test_mixes_are_fixed_and_large_enough():
    info = {"province": "Lai Châu", "province2": "Đắk Nông", "year": 2023}
    mix = bench.search_mix(info)
    assert len(mix) >= 200 and mix == bench.search_mix(info)
    qs = {m["q"] for m in mix}
    assert "hỗ trợ nhà ở" in qs and "ho tro nha o" in qs  # with and without diacritics
    assert any("province" in m for m in mix) and any("du_an" in m for m in mix) and any("sort" in m for m in mix)
    from kehoach.synth import load_material
    cmix = bench.compare_mix(info, load_material().programs)
    assert len(cmix) >= 200 and {r.get("page", 1) for r in cmix} == {1, 2, 10}  # pages after the first too
    assert len(bench.similar_mix(["Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo trên địa bàn huyện " * 3])) >= 200


def test_bench_smoke(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KEHOACH_DATA", str(tmp_path))
    monkeypatch.setattr(bench, "TOKENIZE_SAMPLE_CHARS", 20_000)
    assert main(["bench", "--plans", "20", "--seed", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert tuple(out) == bench.KEYS
    assert out["plans"] == 20 and out["chars"] > 20 * 1000
    for k in ("ingest_plans_per_s", "ingest_chars_per_s", "tokenize_chars_per_s", "index_mb", "startup_s", "rss_mb"):
        assert isinstance(out[k], (int, float)) and out[k] > 0, k
    for k in ("search_ms", "engine_ms", "engine_words_ms", "search_http_ms", "compare_ms", "compare_floor_ms", "similar_ms",
              "similar_floor_ms"):
        assert set(out[k]) == {"p50", "p95", "p99"} and out[k]["p50"] <= out[k]["p95"] <= out[k]["p99"], k
    assert out["engine_ms"]["p50"] > 0 and out["similar_floor_ms"]["p50"] > 0  # the floors were measured
    assert set(out["index_parts_mb"]) >= {"store", "engine_plans", "engine_clauses", "similar"}
    assert out["index_parts_mb"]["engine_clauses"] > 0 and out["index_parts_mb"]["store"] > 0
    assert set(out["ratios"]) == {"search_over_engine_p50", "search_over_engine", "http_over_search",
                                  "http_over_engine", "http_over_engine_words", "compare_over_floor_p99", "similar_over_floor",
                                  "ingest_over_tokenize"}
    assert all(isinstance(v, float) and v > 0 for v in out["ratios"].values()), out["ratios"]
    assert 0.0 < out["similar_recall_at_10"] <= 1.0
    assert not (tmp_path / "bench-20-1").exists()  # removed without --keep
    table = bench.format_table(out)
    assert "search (HTTP)" in table and "ingest/tokenize" in table and "engine_ms" in table and "http/engine" in table
