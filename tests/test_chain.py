"""The citation graph and the implementation chain (archive/citations.py, `kehoach chain`,
GET /api/chain): a cited document resolves by its citation identity, not by number alone."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from archive import citations
from archive.service import Archive
from extraction.laws import citation_key, same_document

from conftest import ROOT

SAMPLES = sorted((ROOT / "corpus" / "samples").glob("*.txt"))


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    a = Archive.open(tmp_path_factory.mktemp("chain"))
    a.ingest(SAMPLES, workers=1)
    yield a
    a.close()


def _flat(node):
    for ch in node.children:
        yield ch
        yield from _flat(ch)


@pytest.mark.parametrize("typed", ["90/QĐ-TTg", "90/QD-TTG", "số 90/QĐ-TTg"])
def test_chain_of_the_programme_decision_holds_the_five_samples(archive, typed):
    root = archive.chain(typed)
    assert root.plan_id is None and root.identity.startswith("Quyết định số 90/QĐ-TTg")
    nodes = list(_flat(root))
    assert len(nodes) == len(SAMPLES) == root.count()
    assert {n.plan_id for n in nodes} == archive.store.plan_ids()
    assert all(n.identity and not n.identity.endswith(".txt") for n in nodes)
    ranks = [citations.LEVEL_RANK.get(n.level or "", 4) for n in root.children]
    assert ranks == sorted(ranks)  # province plans before district plans


def test_plan_identity_line(archive):
    root = archive.chain("90/QĐ-TTg")
    assert "Kế hoạch số 122/KH-UBND ngày 29/02/2024 của UBND tỉnh Đắk Nông" in {n.identity for n in root.children}


def test_cites_of_a_plan_and_cited_by(archive):
    pid = next(iter(archive.store.plan_ids()))
    refs = archive.cites_of(pid)
    assert any(r.number == "90/QĐ-TTg" for r in refs)
    assert all(pid not in r.archived for r in refs)
    assert archive.cited_by(pid) == []  # the samples do not cite each other


def test_one_number_two_years_are_two_documents():
    a = citations.plan_key("1600/QĐ-TTg", "2016-08-01")
    assert not same_document(a, citation_key({"number": "1600/QĐ-TTg", "date": "2023-12-20"}))
    assert same_document(a, citation_key({"number": "1600/QĐ-TTg", "date": "2016-08-01"}))
    assert same_document(a, citation_key({"number": "1600/QĐ-TTg"}))  # undated: cannot tell apart
    assert citations.plan_key(None, "2016-08-01") is None


def test_chain_rejects_a_text_without_a_number(archive):
    with pytest.raises(ValueError):
        archive.chain("kế hoạch giảm nghèo")


def test_cli_chain_shows_the_tree(archive, tmp_path):
    env = {"KEHOACH_DATA": str(archive.data_dir), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", "kehoach", "chain", "90/QĐ-TTg"], capture_output=True, text=True,
                         cwd=ROOT, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "Kế hoạch số 122/KH-UBND ngày 29/02/2024 của UBND tỉnh Đắk Nông" in out.stdout
    assert out.stdout.count("[huyện]") == 3 and out.stdout.count("[tỉnh]") == 2
    js = subprocess.run([sys.executable, "-m", "kehoach", "chain", "90/QD-TTG", "--json"], capture_output=True,
                        text=True, cwd=ROOT, env=env, timeout=120)
    assert len(json.loads(js.stdout)["children"]) == 5


def test_api_chain_and_plan_citations(archive):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from archive.settings import Settings

    client = TestClient(create_app(Settings(data_dir=str(archive.data_dir)), archive=archive))
    r = client.get("/api/chain", params={"number": "90/QD-TTG"})
    assert r.status_code == 200
    kids = r.json()["children"]
    assert len(kids) == 5 and all(k["identity"] and k["plan_id"] for k in kids)
    r = client.get(f"/api/plans/{kids[0]['plan_id']}/citations")
    assert r.status_code == 200 and any(c["number"] == "90/QĐ-TTg" for c in r.json()["cites"])
    assert client.get("/api/chain", params={"number": " "}).status_code == 400
