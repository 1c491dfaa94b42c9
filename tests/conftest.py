"""Shared fixtures. Append new fixtures at the end (several engineers add here).

- `sample_plans`: the five sample plans extracted once per session, as (plan_id, Plan).
- `backend_name` / `backend`: every search backend the behaviour suite runs on: embedded
  (tantivy in a tmp dir) always; Elasticsearch through osmem-server (in-memory, CI) with a
  test-only header fix; real Elasticsearch when KEHOACH_ES_URL is set.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpus" / "samples"


@pytest.fixture(scope="session")
def sample_plans():
    """[(plan_id, Plan)] for corpus/samples/*.txt, extracted once per test session."""
    from archive.store import plan_id_for
    from extraction.pipeline import extract

    out = []
    for path in sorted(SAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out.append((plan_id_for(text), extract(text, doc=path.name)))
    assert out, f"no sample plans in {SAMPLES}"
    return out


@pytest.fixture(scope="session")
def sample_docs(sample_plans):
    """[(plan_doc, clause_docs)] of the samples, built once."""
    from index.documents import build_docs

    return [build_docs(pid, plan, "2026-01-01T00:00:00+00:00") for pid, plan in sample_plans]


# ---- backends -----------------------------------------------------------------------------


def _plain_json_node_class():
    """TEST ONLY: osmem-server answers 406 to the 9.x client's compatible-with media types, so
    rewrite them to plain JSON. Production code never uses this."""
    from elastic_transport import Urllib3HttpNode

    class PlainJsonNode(Urllib3HttpNode):
        def perform_request(self, method, target, body=None, headers=None, **kw):
            h = dict(headers or {})
            for k in list(h):
                if k.lower() in ("content-type", "accept"):
                    h[k] = "application/x-ndjson" if "ndjson" in str(h[k]) else "application/json"
            return super().perform_request(method, target, body=body, headers=h, **kw)

    return PlainJsonNode


def backend_names() -> list[str]:
    names = ["embedded", "osmem"]
    if os.environ.get("KEHOACH_ES_URL"):
        names.append("elasticsearch")
    return names


def backend_params() -> list:
    """backend_names() as fixture params: the cluster engines run in `make test`, not in the
    fast loop (`-m "not slow"`), which keeps the embedded one."""
    return [n if n == "embedded" else pytest.param(n, marks=pytest.mark.slow) for n in backend_names()]


@pytest.fixture(scope="session")
def osmem_base():
    """One in-memory OpenSearch-compatible server for the session (osmem-server)."""
    from osmem_server import OsmemServer

    server = OsmemServer.start(freeze=False, japanese=False)
    yield server
    server.close()


@pytest.fixture(params=backend_params())
def backend_name(request):
    return request.param


def _open_backend(name, path, request):
    """(backend, cleanup) of one kind, empty."""
    from index.factory import get_backend

    if name == "embedded":
        b = get_backend(path / "data", "embedded")
        return b, b.close
    prefix = f"kehoach-test-{uuid.uuid4().hex[:8]}"
    if name == "osmem":
        server = request.getfixturevalue("osmem_base")
        b = get_backend(name="elasticsearch", url=server.url, prefix=prefix, node_class=_plain_json_node_class())
    else:
        from archive.settings import Settings
        b = get_backend(name="elasticsearch", **{**Settings.from_env().engine_options("elasticsearch"), "prefix": prefix})

    def cleanup():
        try:
            b.es.indices.delete(index=f"{prefix}-*", ignore_unavailable=True, allow_no_indices=True)
            b.es.indices.delete_index_template(name=f"{prefix}-plans")
            b.es.indices.delete_index_template(name=f"{prefix}-clauses")
        except Exception:
            pass
        b.close()

    return b, cleanup


@pytest.fixture
def backend(backend_name, tmp_path, request):
    """An empty backend of each kind, closed (and for Elasticsearch, its indices dropped) after."""
    b, cleanup = _open_backend(backend_name, tmp_path, request)
    yield b
    cleanup()


@pytest.fixture(scope="module", params=backend_params())
def indexed_ro(request, tmp_path_factory, sample_docs):
    """Each backend with the samples indexed, shared by the read-only tests of a module."""
    b, cleanup = _open_backend(request.param, tmp_path_factory.mktemp(request.param), request)
    for plan_doc, clause_docs in sample_docs:
        b.upsert(plan_doc, clause_docs)
    b.commit()
    yield b
    cleanup()


@pytest.fixture
def indexed(backend, sample_docs):
    """The backend with the five samples indexed and committed."""
    for plan_doc, clause_docs in sample_docs:
        backend.upsert(plan_doc, clause_docs)
    backend.commit()
    return backend
