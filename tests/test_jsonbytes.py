"""index/jsonbytes.py: the ingest's and the search's JSON. What it writes reads back as the
json module would read the json module's text, on real records and payloads, and values
orjson refuses are still written."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive.store import Record, decode_record, encode_record, plan_id_for, record_json
from extraction.pipeline import extract
from index import jsonbytes

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "corpus" / "samples").glob("*.txt"))


@pytest.mark.parametrize("path", SAMPLES[:3], ids=lambda p: p.name[:12])
def test_a_stored_record_reads_back_as_its_dict(path):
    text = path.read_text(encoding="utf-8")
    rec = Record(plan_id_for(text), path.name, extract(text, doc=path.name), "2024-01-01T00:00:00+00:00",
                 str(path), load={"format": "txt", "encoding": "utf-8", "warnings": []})
    expected = json.loads(json.dumps(rec.to_dict(), ensure_ascii=False))
    assert json.loads(record_json(rec)) == expected
    assert decode_record(encode_record(rec)).to_dict() == rec.to_dict()


@pytest.mark.parametrize("value", [
    {"text": "Dự án 5: Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo", "vnd": 12_500_000_000, "share": 0.35},
    {"amount": 10 ** 30, "note": "một số viết sai trong bảng"},   # beyond 64 bits: the json module writes it
    {1: "khóa là số", "2": None},                                   # a key that is not a string
    ["Uỷ ban", "Ủy ban", "\u0000", "😀", [], {}],
])
def test_values_read_back_as_the_json_module_reads_its_own_text(value):
    assert jsonbytes.loads(jsonbytes.dumps(value)) == json.loads(json.dumps(value, ensure_ascii=False))


def test_what_the_json_module_wrote_before_reads_as_before():
    old = json.dumps({"ratio": float("nan"), "vnd": 10 ** 21, "text": "Số 90/QĐ-TTg"}, ensure_ascii=False)
    back = jsonbytes.loads(old.encode("utf-8"))
    assert back["vnd"] == 10 ** 21 and back["ratio"] != back["ratio"] and back["text"] == "Số 90/QĐ-TTg"


def test_what_neither_can_write_is_a_type_error():
    with pytest.raises(TypeError):
        jsonbytes.dumps({"x": object()})
