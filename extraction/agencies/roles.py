"""Roles: what the plan gives an agency to do ("chủ trì", "phối hợp", "thực hiện"), from the
sentence around a mention, "Đơn vị chủ trì: ..." lines, a section headed by the agency and task
tables; and the "Nơi nhận" lists, whose bodies only receive the plan."""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import Optional

from ..blocks import _BASIS_RE
from ..model import AgencyRole, Party, Role
from ..textkeys import word_key
from ..structure import Structure
from .candidates import Cand
from .patterns import gazetteer, words_alt



_CHU_TRI_LINE = re.compile(r"(?:Đơn vị|Cơ quan)\s+chủ trì\s*:[^\n;]*$", re.I)
_PHOI_HOP_LINE = re.compile(r"(?:Đơn vị|Cơ quan)\s+phối hợp\s*:[^\n]*$", re.I)
_AFTER_CHU_TRI = re.compile(r"^\s*(?:\([^)]*\)\s*)?[:,]?\s*(?:là\s+)?(?:cơ quan\s+|đơn vị\s+)?(?:thường trực,?\s+)?chủ trì", re.I)
_PHOI_HOP_BEFORE = re.compile(r"phối hợp(?:\s+chặt chẽ)?\s+(?:với|cùng)\b(?P<between>[^.;:\n]*)$", re.I)


@lru_cache(maxsize=1)
def _task_words() -> re.Pattern:
    """Words that end the list of partners after "phối hợp với": what follows is the task."""
    return re.compile(r"\b" + words_alt(gazetteer().data["role_words"]["task"]) + r"\b", re.I)


# How far back a role's words are looked for: a label ("Đơn vị chủ trì:") or "phối hợp với"
# stands within a few lines of prose of its agency. A bound, so a text of one huge line (no
# line breaks: a PDF's text layer) costs the same per agency as any other: extraction stays
# linear in the text's length (issue 14).
ROLE_WINDOW = 400


def _sentence_before(text: str, pos: int) -> str:
    lo = max(0, pos - ROLE_WINDOW)
    i = max(text.rfind("\n", lo, pos), text.rfind(". ", lo, pos), text.rfind(";", lo, pos), lo - 1)
    return text[i + 1:pos]


_PHOI_HOP_AFTER = re.compile(r"^\s*(?:\([^)]*\)\s*)?,?\s*(?:có trách nhiệm\s+)?phối hợp\b", re.I)
# what may stand before an agency that heads its section: a label, "Đề nghị", "Giao"
_HEADING_PREFIX = re.compile(r"\s*(?:[IVX]+\.|\d+(?:\.\d+)*\.?\)?|[a-zđ]\)|\(\d+\))?\s*(?:Đề nghị\s+|Giao\s+)?")


def _role_of(text: str, c: Cand) -> Optional[str]:
    lo = max(0, c.start - ROLE_WINDOW)
    before_line = text[max(lo, text.rfind("\n", lo, c.start) + 1):c.start]
    if _CHU_TRI_LINE.search(before_line):
        return Role.CHU_TRI
    if _PHOI_HOP_LINE.search(before_line):
        return Role.PHOI_HOP
    if _AFTER_CHU_TRI.match(text[c.end:c.end + 60]):
        return Role.CHU_TRI
    if _PHOI_HOP_AFTER.match(text[c.end:c.end + 60]):
        return Role.PHOI_HOP
    m = _PHOI_HOP_BEFORE.search(_sentence_before(text, c.start))
    if m and not _task_words().search(m.group("between")):
        return Role.PHOI_HOP
    return None


def _heading_role(text: str, c: Cand, struct: Structure) -> Optional[str]:
    """A section headed by the agency ("1. Phòng Lao động - Thương binh và Xã hội") assigns it
    the tasks below: "chủ trì" when they say so, else "thực hiện"."""
    sec = struct.section_at(c.start)
    if sec is None:
        return None
    line_start = text.rfind("\n", 0, c.start) + 1
    prefix = text[line_start:c.start]
    if not _HEADING_PREFIX.fullmatch(prefix):
        return None
    cl = struct.clause_at(c.start)
    if cl is None:
        return None
    # a heading, or an item that opens with the agency and a colon: "2. Sở Y tế: hướng dẫn ..."
    if cl.kind != "heading":
        if not re.match(r"\s*:", text[c.end:c.end + 3]):
            return None
        nl = text.find("\n", c.end)
        body_end = nl if nl >= 0 else len(text)
    else:
        body_end = struct.section_end(sec)
    if re.search(r"(?:^|\n|[-+]\s|\)\s|là cơ quan\s)chủ trì", text[c.end:body_end], re.I):
        return Role.CHU_TRI
    return Role.THUC_HIEN


def _table_roles(text: str) -> dict[int, str]:
    """Tab tables with 'Đơn vị chủ trì' / 'Đơn vị phối hợp' columns: clean offset -> role."""
    roles: dict[int, str] = {}
    cols: Optional[dict[int, str]] = None
    pos = 0
    for line in text.split("\n"):
        if "\t" in line:
            cells = line.split("\t")
            head = {i: (Role.CHU_TRI if re.search(r"chủ trì", cell, re.I) else Role.PHOI_HOP)
                    for i, cell in enumerate(cells) if re.search(r"(?:chủ trì|phối hợp)", cell, re.I) and len(cell) < 40}
            if head and any(re.search(r"đơn vị|cơ quan", cells[i], re.I) for i in head):
                cols = head
            elif cols:
                off = pos
                for i, cell in enumerate(cells):
                    if i in cols:
                        roles[off] = cols[i]
                        roles[off + len(cell)] = ""
                    off += len(cell) + 1
        elif cols and len(line) > 200:
            cols = None  # prose again: the table is over
        pos += len(line) + 1
    return roles


def _table_role_at(table: dict[int, str], keys: list[int], pos: int) -> Optional[str]:
    """Role of the table cell holding pos (keys: the sorted cell boundaries of `table`)."""
    i = bisect_right(keys, pos) - 1
    return (table[keys[i]] or None) if i >= 0 else None

_RECIPIENTS = re.compile(r"(?m)^[ \t*#]*Nơi nhận\s*:")
_RECIPIENT_LINE = re.compile(r"[ \t]*(?:[-+•*][^\n]*|[^\n]*;[ \t*]*)?(?:\n|$)")


def _recipient_spans(text: str) -> list[tuple[int, int]]:
    """The "Nơi nhận:" lists: the label's line and the list items (or lines ending in ";")
    under it, blank lines between them included."""
    spans = []
    if "Nơi nhận" not in text:
        return spans  # one substring test instead of trying the line pattern at every line
    for m in _RECIPIENTS.finditer(text):
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end + 1
        while end < len(text):
            ln = _RECIPIENT_LINE.match(text, end)
            if not ln or ln.end() == end:
                break
            end = ln.end()
        spans.append((m.start(), end))
    return spans


# ---------------------------------------------------------------- the part an agency plays

_ROLE_PARTY = {Role.CHU_TRI: Party.LEAD, Role.PHOI_HOP: Party.COORDINATING, Role.THUC_HIEN: Party.IMPLEMENTING}
# "... số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ": the issuer of a cited document
_CITED_BY = re.compile(r"\d{1,5}\s*/\s*[^\s,;]*[^\n;]{0,120}?\b(?:của|do)\s+(?:[^\W\d_]+\s+){0,2}$")


def _cited_here(text: str, pos: int) -> bool:
    """A mention in a legal-basis line ("Căn cứ ...", "Xét Tờ trình ...") or right after "của"
    following a document number."""
    line = text[text.rfind("\n", 0, pos) + 1:pos]
    return bool(_BASIS_RE.match(line)) or bool(_CITED_BY.search(_sentence_before(text, pos)))


def party_of(text: str, name: str, aliases: list[str], roles: list[AgencyRole], mention_starts: list[int],
             issuer_keys: set[str], recipients: list[tuple[int, int]]) -> Party:
    """The strongest part: issuer of this plan, then the task roles, then named in the text, then
    issuer of a cited document, then recipient only."""
    if issuer_keys & {word_key(n) for n in [name, *aliases]}:
        return Party.ISSUER
    for role in (Role.CHU_TRI, Role.PHOI_HOP, Role.THUC_HIEN):
        if any(r.role == role for r in roles):
            return _ROLE_PARTY[role]
    outside = [p for p in mention_starts if not any(a <= p < b for a, b in recipients)]
    if not outside:
        return Party.RECIPIENT
    if all(_cited_here(text, p) for p in outside):
        return Party.CITED_ISSUER
    return Party.NAMED
