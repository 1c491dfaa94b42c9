"""Choose the search engine by name: "embedded" (tantivy, the default) or "elasticsearch".

The caller passes everything the engine needs (archive/settings.py reads it from the
environment): a data folder for the embedded engine, URL, prefix and credentials for
Elasticsearch.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Optional

from .base import Backend

BACKENDS = ("embedded", "elasticsearch")
ALIASES = {"tantivy": "embedded", "es": "elasticsearch"}


def get_backend(data_dir: Optional[str | os.PathLike] = None, name: str = "embedded", **options: Any) -> Backend:
    """The named backend. `options` go to the engine (url, prefix, ... for Elasticsearch;
    node_class in tests)."""
    key = (name or "embedded").strip().lower()
    key = ALIASES.get(key, key)
    if key == "embedded":
        if data_dir is None:
            raise ValueError("the embedded engine needs a data folder (KEHOACH_DATA)")
        from .tantivy_backend import TantivyBackend
        return TantivyBackend(Path(data_dir), **options)
    if key == "elasticsearch":
        from .elasticsearch_backend import ElasticsearchBackend
        return ElasticsearchBackend(**options)
    raise ValueError(f"KEHOACH_BACKEND={name!r} unknown: use one of {', '.join(BACKENDS)}")
