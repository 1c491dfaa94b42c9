"""`kehoach extract`: JSON with the SCHEMA keys, a table for people, per-file errors."""
import json
from pathlib import Path

import pytest

from kehoach.cli import main

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"
SAMPLE = SAMPLES / "000_700f213ea182e0e3.txt"
SCHEMA_KEYS = {"meta", "references", "amounts", "agencies", "targets", "du_an"}


def test_json_one_file(capsys):
    assert main(["extract", "--format", "json", str(SAMPLE)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert isinstance(out, dict) and SCHEMA_KEYS <= set(out)
    assert "text" not in out
    assert out["doc"] == SAMPLE.name
    amounts = {(a["value_vnd"], a["scope"], a["source"], a["capital"]) for a in out["amounts"]}
    assert (162_756_000_000, "total", "total", None) in amounts
    assert (45_500_000_000, "DA1.TDA1", "NSTW", "đầu tư") in amounts
    assert {"DA1", "DA1.TDA1", "DA7.TDA2"} <= {d["id"] for d in out["du_an"]}
    assert out["checks"] and all(c["ok"] for c in out["checks"])


def test_json_several_files_is_a_list(capsys):
    files = sorted(SAMPLES.glob("*.txt"))[:2]
    assert main(["extract", *map(str, files)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [d["doc"] for d in out] == [f.name for f in files]


def test_table(capsys):
    assert main(["extract", "--format", "table", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert SAMPLE.name in out
    assert "162.756 triệu đồng" in out
    assert "DA1.TDA1" in out


def test_unreadable_file_is_reported_and_others_extracted(tmp_path, capsys):
    missing = tmp_path / "khong-co.txt"
    rc = main(["extract", str(missing), str(SAMPLE)])
    cap = capsys.readouterr()
    assert rc != 0
    err_lines = [l for l in cap.err.splitlines() if l.strip()]
    assert len(err_lines) == 1 and "khong-co.txt" in err_lines[0]
    out = json.loads(cap.out)
    assert [d["doc"] for d in out] == [SAMPLE.name]


def test_all_files_unreadable(tmp_path, capsys):
    rc = main(["extract", str(tmp_path / "a.txt")])
    assert rc != 0
    assert "a.txt" in capsys.readouterr().err


def test_no_files_is_a_usage_error():
    with pytest.raises(SystemExit) as e:
        main(["extract"])
    assert e.value.code == 2
