"""Synthetic plans: deterministic, real localities, amounts that add up, varied written forms."""
import json
import re

import pytest

from kehoach import synth
from extraction import gazetteer as gz
from kehoach.cli import main

N = 60


@pytest.fixture(scope="module")
def plans():
    mat = synth.load_material()
    return [synth.synth_plan(i, seed=7, material=mat) for i in range(N)]


@pytest.mark.parametrize("n, text", [
    (0, "0"), (957, "957"), (12060, "12.060"), (162756, "162.756"), (75000000, "75.000.000"),
])
def test_vn_number(n, text):
    assert synth.vn_number(n) == text


@pytest.mark.parametrize("v, text", [(3230.38, "3.230,38"), (162.756, "162,76"), (0.5, "0,50")])
def test_vn_decimal(v, text):
    assert synth.vn_decimal(v) == text


def test_deterministic_and_independent_of_n(tmp_path):
    a = synth.synth_corpus(5, tmp_path / "a", seed=3)
    b = synth.synth_corpus(8, tmp_path / "b", seed=3)
    assert [p.read_text(encoding="utf-8") for p in a] == [p.read_text(encoding="utf-8") for p in b[:5]]
    c = synth.synth_corpus(5, tmp_path / "c", seed=4)
    assert [p.read_text(encoding="utf-8") for p in a] != [p.read_text(encoding="utf-8") for p in c]
    lines = (tmp_path / "a" / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(l)["i"] for l in lines] == list(range(5))


def test_variety(plans):
    metas = [p.meta for p in plans]
    assert {m["program"] for m in metas} == {"gnbv", "ntm", "dtts"}
    assert {m["level"] for m in metas} == {"tỉnh", "huyện"}
    assert len({m["province"] for m in metas}) > 20
    assert all(2016 <= m["year"] <= 2025 for m in metas)
    assert all(m["year"] >= 2021 for m in metas if m["program"] == "dtts")  # the program began in 2021
    assert any(m["number"] is None for m in metas) and any(m["number"] for m in metas)
    texts = "\n".join(p.text for p in plans)
    assert "Số: /KH-UBND" in texts
    for a, b in [("UBND huyện", "Ủy ban nhân dân huyện"),
                 ("Phòng Lao động - Thương binh và Xã hội", "Phòng Lao động - TBXH")]:
        assert a in texts and b in texts


def test_localities_are_real_and_consistent(plans):
    for p in plans:
        m = p.meta
        prov = gz.province(m["province"])
        assert prov is not None, m
        if m["district"]:
            assert m["province"] in {d.province for d in gz.district(m["district"])}
            assert f"huyện {m['district']}" in p.text
        head = p.text[:p.text.find("I. ")]
        found = {(x.name, x.level) for x in gz.find_localities(head)}
        # the issuing locality is named in the header; no stray locality of another province
        if m["district"]:
            assert (m["district"], "huyện") in found
        for name, level in found:
            if level == "tỉnh":
                assert name == prov.name, (name, m)


_MONEY = r"([\d.]+) triệu đồng"


def _v(s):
    return int(s.replace(".", ""))


def test_amounts_add_up(plans):
    for p in plans:
        m = re.search(r"Tổng kinh phí thực hiện .*? là (.*?), cụ thể:", p.text)
        head, body = m.group(0), p.text[m.end():]
        assert synth.vn_number(p.meta["nstw_trieu"]) in head
        nums = [_v(x) for x in re.findall(_MONEY, head)]
        total = p.meta["total_trieu"]
        if " tỷ đồng" not in head.split("trong đó")[0]:
            assert nums[0] == total
        # every leaf's stated total: the leaves add up to the plan total
        leaf_totals = [_v(x) for x in re.findall(r"(?:dự kiến: |năm \d{4} là )" + _MONEY, body)]
        single_source = [_v(x) for x in re.findall(r"dự kiến: Ngân sách Trung ương: " + _MONEY, body)]
        assert sum(leaf_totals) + sum(single_source) == total, p.meta


def test_extraction_checks_pass(plans):
    from extraction.pipeline import extract

    for p in plans[:6]:
        plan = extract(p.text, doc=p.name)
        assert plan.meta.program_code == p.meta["program"], p.meta
        bad = [c for c in plan.checks if not c.ok]
        assert not bad, (p.meta, bad)


def test_cli(tmp_path, capsys):
    assert main(["corpus", "synth", "--plans", "3", "--out", str(tmp_path), "--seed", "1"]) == 0
    assert sorted(f.name for f in tmp_path.iterdir()) == ["manifest.jsonl", "plan_000000.txt",
                                                        "plan_000001.txt", "plan_000002.txt"]
    assert main(["corpus", "synth", "--plans", "-1", "--out", str(tmp_path)]) == 2
    assert "--plans must be >= 0" in capsys.readouterr().err
