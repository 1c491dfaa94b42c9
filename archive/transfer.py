"""Moving archives: `kehoach export` writes every stored record as one JSON line (.jsonl,
.jsonl.gz, or .tar.gz holding plans.jsonl); `kehoach import` reads them back, a bad line
reported with its file and line rather than stopping the import."""
from __future__ import annotations

import gzip
import io
import json
import os
import tarfile
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from .store import Record


def export_records(lines: Iterable[str], path: str | os.PathLike) -> int:
    """Write the record lines to PATH (.jsonl, .jsonl.gz, .tar.gz), atomically; how many."""
    path = Path(path)
    name = path.name.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=str(path.parent), prefix=".export-", suffix=".tmp")
    os.close(fd)
    n = 0
    try:
        if name.endswith((".tar.gz", ".tgz")):
            inner = tmp + ".jsonl"
            with open(inner, "w", encoding="utf-8") as f:
                n = _write_jsonl(f, lines)
            with tarfile.open(tmp, "w:gz") as tar:
                tar.add(inner, arcname="plans.jsonl")
            os.unlink(inner)
        elif name.endswith(".gz"):
            with gzip.open(tmp, "wt", encoding="utf-8") as f:
                n = _write_jsonl(f, lines)
        else:
            with open(tmp, "w", encoding="utf-8") as f:
                n = _write_jsonl(f, lines)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return n


def _write_jsonl(f, lines: Iterable[str]) -> int:
    n = 0
    for line in lines:
        f.write(line + "\n")
        n += 1
    return n


def read_records(path: Path) -> Iterator[Record | str]:
    """The records of an export in order; for a bad line, its error "FILE:LINE: what is wrong"."""
    for where, line in _read_lines(path):
        if not line.strip():
            continue
        try:
            yield Record.from_dict(json.loads(line), where)
        except (ValueError, TypeError, KeyError) as e:
            msg = str(e)
            yield msg if msg.startswith(where) else f"{where}: {msg}"


def _read_lines(path: Path) -> Iterator[tuple[str, str]]:
    name = path.name.lower()
    if name.endswith((".tar.gz", ".tgz", ".tar")):
        try:
            tar = tarfile.open(path, "r:*")
        except tarfile.TarError as e:
            raise ValueError(f"{path}: not a readable tar archive: {e}") from None
        with tar:
            for member in tar:
                if member.isfile() and member.name.endswith(".jsonl"):
                    f = tar.extractfile(member)
                    for i, raw in enumerate(io.TextIOWrapper(f, encoding="utf-8"), 1):
                        yield f"{path}:{member.name}:{i}", raw
        return
    opener = gzip.open if name.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as f:
            for i, raw in enumerate(f, 1):
                yield f"{path}:{i}", raw
    except (UnicodeDecodeError, OSError) as e:
        raise ValueError(f"{path}: not a UTF-8 JSONL export: {e}") from None
