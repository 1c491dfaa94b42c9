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
import zlib
from pathlib import Path
from typing import Iterable, Iterator, Optional

from .store import Record
from .workers import over_caps


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


def read_records(path: Path, caps: Optional[tuple[int, int]] = None) -> Iterator[Record | str]:
    """The records of an export in order; for a bad line, its error "FILE:LINE: what is wrong".

    caps (most characters, most pages: the upload caps) bound what one record may hold; a line
    is never read whole past what such a record can take, so a small .jsonl.gz that expands to
    gigabytes costs a bounded amount of memory."""
    max_line = _line_limit(caps)
    for where, line in _read_lines(path, max_line):
        if isinstance(line, Exception):
            yield f"{where}: tệp xuất hỏng hoặc bị cắt, dừng ở đây: {line}"
            return
        if line is False:
            yield f"{where}: dòng không phải UTF-8, bỏ qua"
            continue
        if line is None:
            limit = f"{max_line:,}".replace(",", ".")
            yield f"{where}: bản ghi dài hơn {limit} byte, bỏ qua (KEHOACH_MAX_TEXT_CHARS)"
            continue
        if not line.strip():
            continue
        try:
            rec = Record.from_dict(json.loads(line), where)
        except RecursionError:
            yield f"{where}: bản ghi lồng quá sâu, bỏ qua"
            continue
        except Exception as e:  # noqa: BLE001 - one bad record is reported, the import goes on
            msg = str(e)
            yield msg if msg.startswith(where) else f"{where}: bản ghi hỏng, bỏ qua: {type(e).__name__}: {msg}"
            continue
        text = getattr(rec.plan, "text", None)
        if not isinstance(text, str) or not text.strip():
            yield f"{where}: bản ghi không có văn bản, bỏ qua"
            continue
        refused = over_caps(where, len(text), (rec.load or {}).get("pages"), caps)
        if refused:
            yield refused
            continue
        yield rec


def _line_limit(caps: Optional[tuple[int, int]]) -> int:
    # a record is its text, the extraction's entities (spans and names, a few times the text's
    # size at most) and JSON escapes; Vietnamese letters are 2-3 bytes in UTF-8
    return 32 * caps[0] + (1 << 20) if caps else 1 << 62


def _bounded(f, max_line: int) -> Iterator[str | None | bool]:
    """The lines of a binary file, each read at most max_line bytes: a longer one is skipped
    (read in chunks, never held) and given as None; a line that is not UTF-8 as False."""
    while True:
        raw = f.readline(max_line + 1)
        if not raw:
            return
        if len(raw) > max_line and not raw.endswith(b"\n"):
            while True:
                chunk = f.readline(1 << 20)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield None
            continue
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            yield False


def _read_lines(path: Path, max_line: int) -> Iterator[tuple[str, str | None | bool | Exception]]:
    name = path.name.lower()
    if name.endswith((".tar.gz", ".tgz", ".tar")):
        try:
            tar = tarfile.open(path, "r:*")
        except tarfile.TarError as e:
            raise ValueError(f"{path}: không đọc được tệp nén tar: {e}") from None
        with tar:
            for member in tar:
                if member.isfile() and member.name.endswith(".jsonl"):
                    f = tar.extractfile(member)
                    for i, line in enumerate(_bounded(f, max_line), 1):
                        yield f"{path}:{member.name}:{i}", line
        return
    opener = gzip.open if name.endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            for i, line in enumerate(_bounded(f, max_line), 1):
                yield f"{path}:{i}", line
    except (OSError, EOFError, zlib.error) as e:  # not gzip, truncated: what was read so far is kept
        yield f"{path}", e
