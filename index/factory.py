"""Choose the search engine: KEHOACH_BACKEND = "embedded" (tantivy, default) | "elasticsearch"."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Optional

from .base import Backend

BACKENDS = ("embedded", "elasticsearch")
ALIASES = {"tantivy": "embedded", "es": "elasticsearch"}


def data_dir_default() -> Path:
    return Path(os.environ.get("KEHOACH_DATA") or "./data")


def get_backend(data_dir: Optional[str | os.PathLike] = None, name: Optional[str] = None, **options: Any) -> Backend:
    """The configured backend. `options` go to the engine (e.g. node_class for Elasticsearch in tests)."""
    name = (name or os.environ.get("KEHOACH_BACKEND") or "embedded").strip().lower()
    name = ALIASES.get(name, name)
    if name == "embedded":
        from .tantivy_backend import TantivyBackend
        return TantivyBackend(Path(data_dir) if data_dir else data_dir_default(), **options)
    if name == "elasticsearch":
        from .elasticsearch_backend import ElasticsearchBackend
        return ElasticsearchBackend(**options)
    raise ValueError(f"KEHOACH_BACKEND={name!r} unknown: use one of {', '.join(BACKENDS)}")
