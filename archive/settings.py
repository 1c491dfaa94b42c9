"""Service settings, read once from the environment (twelve-factor style).

KEHOACH_DATA            archive and index folder (default ./data)
KEHOACH_BACKEND         "embedded" (default) or "elasticsearch"
KEHOACH_API_KEY         key that POST/DELETE must send as X-API-Key; unset = writes disabled
KEHOACH_MAX_UPLOAD_MB   upload size limit in MB (default 20)
KEHOACH_ALLOWED_TYPES   comma-separated file suffixes accepted by upload
                        (default: every suffix the loaders read)
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

class SettingsError(ValueError):
    """A setting in the environment is malformed; the message names the variable."""


def _loader_suffixes() -> tuple[str, ...]:
    from corpus.loaders import SUPPORTED_SUFFIXES

    return tuple(sorted(s.lower() for s in SUPPORTED_SUFFIXES))


def _parse_suffixes(raw: str) -> tuple[str, ...]:
    out = []
    for part in raw.split(","):
        part = part.strip().lower()
        if not part:
            continue
        out.append(part if part.startswith(".") else "." + part)
    if not out:
        raise SettingsError(f"KEHOACH_ALLOWED_TYPES={raw!r}: no suffix given (expected e.g. '.txt,.docx,.pdf')")
    return tuple(out)


def _parse_mb(raw: str) -> float:
    try:
        mb = float(raw)
    except ValueError:
        raise SettingsError(f"KEHOACH_MAX_UPLOAD_MB={raw!r}: not a number") from None
    if mb <= 0:
        raise SettingsError(f"KEHOACH_MAX_UPLOAD_MB={raw!r}: must be > 0")
    return mb


@dataclass(frozen=True)
class Settings:
    data_dir: Optional[str] = None  # None: the Archive's default (./data)
    backend: Optional[str] = None  # None: the Archive's default (embedded)
    api_key: Optional[str] = None
    max_upload_mb: float = 20.0
    allowed_types: tuple[str, ...] = ()

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def writes_enabled(self) -> bool:
        return bool(self.api_key)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        types = env.get("KEHOACH_ALLOWED_TYPES", "").strip()
        return cls(
            data_dir=env.get("KEHOACH_DATA") or None,
            backend=env.get("KEHOACH_BACKEND") or None,
            api_key=env.get("KEHOACH_API_KEY") or None,
            max_upload_mb=_parse_mb(env.get("KEHOACH_MAX_UPLOAD_MB", "20")),
            allowed_types=_parse_suffixes(types) if types else _loader_suffixes(),
        )
