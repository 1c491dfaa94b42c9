"""Property-based run of every operation in /openapi.json (schemathesis): no input the schema
allows, nor many it does not, gives a 500; answers match their documented schemas.

Bounded: a few examples per operation, so the run stays well under a minute. Writes are
disabled (no key), so the run cannot change the archive it reads.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, response_schema_conformance, content_type_conformance

from api.app import create_app
from archive.settings import Settings

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"
EXAMPLES = 12  # per operation and generation mode


# The app is built at import (schemathesis reads its schema to list the operations); the
# archive is attached by the fixture before any request.
APP = create_app(Settings(api_key=None, allowed_types=(".txt", ".docx", ".pdf")))
SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", APP)
pytestmark = pytest.mark.slow  # generated requests against every operation: minutes, run by `make test`
OPERATIONS = {r.ok().label: r.ok() for r in SCHEMA.get_all_operations()}
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    from archive.service import Archive

    data = tmp_path_factory.mktemp("kehoach-schema-data")
    arc = Archive.open(data)
    assert arc.ingest([SAMPLES]).ok
    APP.state.archive = arc
    yield arc
    APP.state.archive = None
    arc.close()


def _strategy(op, mode: str):
    if mode == "examples":  # the documented examples (the realistic values of /docs)
        found = SCHEMA.get_strategies_from_examples(op)
        return st.one_of(found) if found else op.as_strategy()
    return op.as_strategy(generation_mode=GenerationMode(mode))


@pytest.mark.parametrize("mode", ["examples", "positive", "negative"])
@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_no_server_error(archive, label, mode):
    @given(_strategy(OPERATIONS[label], mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        case.call_and_validate(checks=CHECKS)

    try:
        run()
    except Unsatisfiable:  # nothing to get wrong (no parameters, or only a free-text path)
        assert mode == "negative"
