"""The settings of kehoach: read once from the environment, then passed down.

This is the one module that reads os.environ (the benchmark only sets variables for the
server it starts). Every variable has one default, here; README.md lists them all.

KEHOACH_DATA            archive, embedded index and similar-clause index (default ./data)
KEHOACH_BACKEND         "embedded" (tantivy, default) or "elasticsearch"
KEHOACH_ES_URL          Elasticsearch URL (default http://localhost:9200)
KEHOACH_ES_API_KEY      Elasticsearch API key; or KEHOACH_ES_USER + KEHOACH_ES_PASSWORD
KEHOACH_ES_PREFIX       index and alias prefix (default kehoach)
KEHOACH_ES_TIMEOUT      seconds per Elasticsearch request (default 30)
KEHOACH_API_KEY         key that POST/DELETE must send as X-API-Key; unset = writes disabled
KEHOACH_MAX_UPLOAD_MB   upload size limit in MB (default 20)
KEHOACH_ALLOWED_TYPES   comma-separated file suffixes accepted by upload (default: every
                        suffix the loaders read)
KEHOACH_MAX_FILE_MB     largest file the loaders read, in MB (default 20)
KEHOACH_INGEST_BATCH    plans per store/index commit while ingesting (default 200; also every 10 s)
KEHOACH_STORE_MMAP_MB   SQLite memory map of the archive, in MB (default 256; 0 = off)
KEHOACH_MAX_BODY_KB     body limit of every route but the upload, in KB (default 1024)
KEHOACH_MAX_TEXT_CHARS  most characters a file may yield (upload, ingest, import; default 3,000,000)
KEHOACH_MAX_PAGES       most pages (PDF pages, sheets, frames) of a file (default 1000)
KEHOACH_UPLOAD_WORKERS  uploads extracted at once, each in a child process (default 1)
KEHOACH_UPLOAD_QUEUE    uploads waiting beyond those; more get 429 + Retry-After (default 4)
KEHOACH_UPLOAD_SECONDS  wall-clock limit of one upload's reading and extraction (default 120)
KEHOACH_UPLOAD_MEMORY_MB address-space limit of that child process, in MB (default 2048)

A malformed value is an error naming the variable (SettingsError, in Vietnamese), never a
silent fallback.
"""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Optional

from corpus.loaders import DEFAULT_MAX_MB, SUPPORTED_SUFFIXES
from index.factory import ALIASES, BACKENDS


class SettingsError(ValueError):
    """A setting in the environment is malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("data")
    backend: str = "embedded"
    es_url: str = "http://localhost:9200"
    es_api_key: Optional[str] = field(default=None, repr=False)  # secrets stay out of logs
    es_user: Optional[str] = None
    es_password: Optional[str] = field(default=None, repr=False)
    es_prefix: str = "kehoach"
    es_timeout: float = 30.0
    api_key: Optional[str] = field(default=None, repr=False)
    max_upload_mb: float = 20.0
    allowed_types: tuple[str, ...] = field(default_factory=lambda: _loader_suffixes())
    max_file_mb: float = DEFAULT_MAX_MB  # the loaders' own default, for callers without settings
    # per-commit costs grow with the archive (at 10k plans 50 -> 200 cut the main process's
    # 32-35 -> 26-28 ms a plan); a commit also comes every 10 s, so a kill loses at most that
    ingest_batch: int = 200
    store_mmap_mb: int = 256
    max_body_kb: int = 1024
    max_text_chars: int = 3_000_000
    max_pages: int = 1000
    upload_workers: int = 1
    upload_queue: int = 4
    upload_seconds: float = 120.0
    upload_memory_mb: int = 2048

    def __post_init__(self) -> None:
        # tests and callers may give a folder as a string, or None for the default
        object.__setattr__(self, "data_dir", Path(self.data_dir or Settings.data_dir))
        object.__setattr__(self, "backend", _backend(self.backend or Settings.backend))

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def writes_enabled(self) -> bool:
        return bool(self.api_key)

    def engine_options(self, backend: Optional[str] = None) -> dict[str, Any]:
        """What index.factory.get_backend needs for an engine (default: the configured one)."""
        if _backend(backend or self.backend) == "elasticsearch":
            return {"url": self.es_url, "prefix": self.es_prefix, "timeout": self.es_timeout,
                    "api_key": self.es_api_key, "user": self.es_user, "password": self.es_password}
        return {}

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env

        def get(name: str) -> Optional[str]:
            raw = env.get(name)
            return raw.strip() if raw is not None and raw.strip() else None

        types = get("KEHOACH_ALLOWED_TYPES")
        prefix = (get("KEHOACH_ES_PREFIX") or cls.es_prefix).lower()
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", prefix):
            raise SettingsError(f"KEHOACH_ES_PREFIX={prefix!r}: chỉ dùng chữ thường, chữ số, - và _")
        return cls(
            data_dir=Path(get("KEHOACH_DATA") or cls.data_dir),
            backend=_backend(get("KEHOACH_BACKEND") or cls.backend),
            es_url=get("KEHOACH_ES_URL") or cls.es_url,
            es_api_key=get("KEHOACH_ES_API_KEY"),
            es_user=get("KEHOACH_ES_USER"),
            es_password=env.get("KEHOACH_ES_PASSWORD") or None,
            es_prefix=prefix,
            es_timeout=_positive(env, "KEHOACH_ES_TIMEOUT", cls.es_timeout),
            api_key=env.get("KEHOACH_API_KEY") or None,
            max_upload_mb=_positive(env, "KEHOACH_MAX_UPLOAD_MB", cls.max_upload_mb),
            allowed_types=_parse_suffixes(types) if types else _loader_suffixes(),
            max_file_mb=_positive(env, "KEHOACH_MAX_FILE_MB", cls.max_file_mb),
            ingest_batch=int(_positive(env, "KEHOACH_INGEST_BATCH", cls.ingest_batch, whole=True)),
            store_mmap_mb=int(_positive(env, "KEHOACH_STORE_MMAP_MB", cls.store_mmap_mb, whole=True, zero=True)),
            max_body_kb=int(_positive(env, "KEHOACH_MAX_BODY_KB", cls.max_body_kb, whole=True)),
            max_text_chars=int(_positive(env, "KEHOACH_MAX_TEXT_CHARS", cls.max_text_chars, whole=True)),
            max_pages=int(_positive(env, "KEHOACH_MAX_PAGES", cls.max_pages, whole=True)),
            upload_workers=int(_positive(env, "KEHOACH_UPLOAD_WORKERS", cls.upload_workers, whole=True)),
            upload_queue=int(_positive(env, "KEHOACH_UPLOAD_QUEUE", cls.upload_queue, whole=True, zero=True)),
            upload_seconds=_positive(env, "KEHOACH_UPLOAD_SECONDS", cls.upload_seconds),
            upload_memory_mb=int(_positive(env, "KEHOACH_UPLOAD_MEMORY_MB", cls.upload_memory_mb, whole=True, zero=True)),
        )


def _backend(raw: str) -> str:
    name = raw.strip().lower()
    name = ALIASES.get(name, name)
    if name not in BACKENDS:
        raise SettingsError(f"KEHOACH_BACKEND={raw!r}: không có bộ máy tìm kiếm này; dùng một trong "
                            f"{', '.join(BACKENDS)}")
    return name


def _positive(env: Mapping[str, str], name: str, default: float, whole: bool = False, zero: bool = False) -> float:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r}: không phải là số") from None
    if not math.isfinite(value) or value < 0 or (value == 0 and not zero):
        raise SettingsError(f"{name}={raw!r}: phải là số lớn hơn 0" if not zero
                            else f"{name}={raw!r}: phải là số không âm")
    if whole and value != int(value):
        raise SettingsError(f"{name}={raw!r}: phải là số nguyên")
    return value


def _loader_suffixes() -> tuple[str, ...]:
    return tuple(sorted(s.lower() for s in SUPPORTED_SUFFIXES))


def _parse_suffixes(raw: str) -> tuple[str, ...]:
    out = []
    for part in raw.split(","):
        part = part.strip().lower()
        if not part:
            continue
        out.append(part if part.startswith(".") else "." + part)
    if not out:
        raise SettingsError(f"KEHOACH_ALLOWED_TYPES={raw!r}: không có đuôi tệp nào (ví dụ '.txt,.docx,.pdf')")
    return tuple(out)
