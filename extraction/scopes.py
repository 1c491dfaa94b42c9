"""Stage 2b, Dự án scopes: which Dự án / Tiểu dự án each section is about, page shuffles of PDF
conversions undone, and the Dự án the plan numbers (headings first, then mentions in the text).

Works on clean-text offsets; structure.parse calls it with the blocks and the raw sections.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from . import programs
from .blocks import _BASIS_RE, Block, _clean_name
from .model import DuAn
from .normalize import Normalized


@dataclass
class RawSection:
    """A heading while the tree is built (clean offsets)."""
    block: Block
    parent: Optional[int]  # index of the parent in the list of raw sections
    depth: int
    end: int  # clean end of the section's body


# Mentions in running text: "Tiểu dự án 2 - Dự án 1", "Dự án 7", "Tiểu dự án 1 thuộc Dự án 3".
# Capitalised as the plans write them: "dự án 3 công trình" in running text is not Dự án 3.
# "Tiểu dự án 2 và Tiểu dự án 4 của Dự án 5", "TIỂU DỰ ÁN 2 VÀ TIỂU DỰ ÁN 4 CỦA DỰ ÁN 5": the numbers of the list
_MENTION_TDA_RE = re.compile(r"(?:Tiểu dự án|TIỂU DỰ ÁN)\s*(?:số\s*)?(\d{1,2}(?:\s*(?:,|và|VÀ)\s*(?:(?:Tiểu dự án|TIỂU DỰ ÁN)\s*(?:số\s*)?)?\d{1,2})*)\s*(?:-|,|\(|thuộc|của|THUỘC|CỦA)\s*(?:Dự án|DỰ ÁN)\s*(?:số\s*)?(\d{1,2})(?![\d/])")
# "07 công trình thuộc dự án 4 và dự án 5": pages write it in lower case after "thuộc", "của", "thực hiện"
_MENTION_LOWER_DA_RE = re.compile(
    r"(?:thuộc|của|thực hiện|triển khai)(?<!\wthuộc)(?<!\wcủa)(?<!\wthực hiện)(?<!\wtriển khai)"  # \b before: slow scan
    r"\s+(?:các\s+)?dự án\s*(?:số\s*)?(\d{1,2}(?:\s*(?:,|và)\s*(?:dự án\s*(?:số\s*)?)?\d{1,2})*)"
    r"(?![\d/.,]\d)(?!\s*(?:công trình|hộ|xã|dự án|mô hình|người|%|tỷ|triệu|đồng)\b)")
# "Dự án 2, 3 và 4": the numbers after the first one
_MENTION_LIST_RE = re.compile(r"(?:Dự án|DỰ ÁN)\s*(?:số\s*)?\d{1,2}((?:\s*,\s*\d{1,2}(?![\d/.,]\d))+(?:\s*và\s*\d{1,2}(?![\d/.,]\d))?|\s*và\s*\d{1,2}(?![\d/.,]\d))(?!\s*(?:%|tỷ|triệu|đồng|người|hộ|xã|công trình))")
# "Dự án 3, Tiểu dự án 1 (...)": the Dự án written first
_INLINE_DA_TDA_RE = re.compile(r"(?:Dự án|DỰ ÁN)\s*(?:số\s*)?(?P<da>\d{1,2})\s*:(?:(?!(?:Dự án|DỰ ÁN)\s*\d)[^\n:;]){3,300}?[,;]\s*(?P<tda>(?:Tiểu dự án|TIỂU DỰ ÁN)\s*(?:số\s*)?\d{1,2})(?![\d/])")
_LINE_TDA_RE = re.compile(r"(?:Tiểu dự án|TIỂU DỰ ÁN)\s*(?:số\s*)?(\d{1,2})(?![\d/])(?!\s*(?:-|thuộc|của)\s*(?:Dự án|DỰ ÁN))")
_NEXT_DA_RE = re.compile(r"(?<![Tt]iểu )(?<!TIỂU )(?:Dự án|DỰ ÁN)\s*(?:số\s*)?\d")
_MENTION_DA_TDA_RE = re.compile(r"(?:Dự án|DỰ ÁN)\s*(?:số\s*)?(\d{1,2})\s*[,\-–]\s*(?:Tiểu dự án|TIỂU DỰ ÁN)\s*(?:số\s*)?(\d{1,2})(?![\d/])")
# "Dựa án 3": a typo the pages keep
# (the tests before the "D" are made after it: a pattern that starts with a letter is scanned fast)
_MENTION_DA_RE = re.compile(r"D(?<![Tt]iểu D)(?<!TIỂU D)(?<!\wD)(?:ự án|Ự ÁN|ựa án|ỰA ÁN)\s*(?:số\s*)?(\d{1,2})(?![\d/.,]\d)(?!\s+(?:công trình|hộ|xã|dự án|mô hình)\b)(?:\s*[:\-]\s*(?P<name>[^\n;:.()]{5,200}))?")


_ITEM_END_RE = re.compile(r";|\.(?=\s)|\n\s*\n")


def _plan_scope(header: str, program: Optional[str]) -> Optional[str]:
    """A plan for one Dự án ("Kế hoạch thực hiện Dự án 7 - ...") puts its whole body under it."""
    header = "\n".join(ln for ln in header.split("\n") if not _BASIS_RE.match(ln.strip(" *#")))
    m = list(re.finditer(r"(?<![Tt]iểu )\b(?:Dự án|DỰ ÁN)\s*(\d{1,2})(?![\d/])", header))
    nums = {int(x.group(1)) for x in m}
    if len(nums) == 1:
        mt = re.search(r"(?:Tiểu dự án|TIỂU DỰ ÁN)\s*(\d{1,2})\s*(?:-|,|thuộc|THUỘC|của)\s*(?:Dự án|DỰ ÁN)\s*(\d{1,2})", header)
        n = nums.pop()
        if mt and int(mt.group(2)) == n:
            return f"DA{n}.TDA{int(mt.group(1))}"
        return f"DA{n}"
    return None


def _scopes(raw_sections: list[RawSection], plan_scope: Optional[str], program: Optional[str] = None) -> list[Optional[str]]:
    out: list[Optional[str]] = []
    for s in raw_sections:
        b = s.block
        parent_scope = out[s.parent] if s.parent is not None else None
        if b.da:
            scope = f"DA{b.da}"
        elif b.nd and program == "ntm":
            scope = f"ND{b.nd}"  # the content groups of nông thôn mới; elsewhere "Nội dung" is a sub-heading
        elif b.tda is not None:
            base = f"DA{b.tda_parent}" if b.tda_parent else (parent_scope or plan_scope)
            base = base.split(".")[0] if base else None
            if base and b.tda:
                scope = f"{base}.TDA{b.tda}"
            else:
                scope = base  # "Tiểu dự án: ..." without a number stays in its Dự án
        elif parent_scope and "." not in parent_scope and b.kind == "heading" and b.style not in ("bullet", "plus") \
                and (tda := programs.match(program, b.title, within=parent_scope, min_score=0.8)):
            scope = tda  # "1.1. Hỗ trợ phát triển sản xuất trong lĩnh vực nông nghiệp" under Dự án 3
        else:
            scope = parent_scope
        out.append(scope)
    # Outside Dự án headings the scope stays None, also in a plan for one Dự án: its
    # figures there are the plan's total ("total"), as in any plan.
    return out


def _repair_scopes(blocks: list[Block], clause_sec, clause_scope, raw_sections) -> list[Optional[str]]:
    """Undo page shuffles of PDF conversions, for scopes only (offsets are not moved).

    1. A block starting in lower case continues a sentence: if the block it continues (one
       ending without sentence punctuation, not the previous block) has a different scope,
       the displaced run (up to the next heading) takes that scope.
    2. Letter items: when a section's letter sequence restarts (… e), then d) again), the
       repeated run belongs to a sibling of the same Dự án whose sequence stopped before that
       letter; with exactly one such sibling, the run takes its scope.
    """
    scope = list(clause_scope)
    n = len(blocks)
    is_heading = [b.kind == "heading" and b.style not in (None, "letter", "bullet", "plus", "caps") for b in blocks]
    moved = [False] * n

    def run_end(i: int) -> int:
        j = i + 1
        while j < n and not is_heading[j] and not (blocks[j].style == "letter" and blocks[j].label == "a"):
            j += 1
        return j

    # a block cut in mid-phrase: long, ends in a letter, and the next block is a heading
    # (the page ended there and the next page was put elsewhere)
    dangling = [i for i in range(n - 1) if blocks[i].text[-1:].isalpha() and blocks[i].style not in ("caps",)
                and not is_heading[i] and blocks[i].kind != "heading" and len(blocks[i].text) > 60
                and is_heading[i + 1]]
    dangling_set = set(dangling)
    by_scope: dict = {}
    for d in dangling:
        if scope[d] is not None:
            by_scope.setdefault(scope[d], []).append(d)
    n_scoped = sum(len(v) for v in by_scope.values())
    for i in range(1, n):
        t = blocks[i].text
        if not t[:1].islower() or blocks[i].style is not None:
            continue
        if i - 1 in dangling_set:
            continue  # continues the block right before it
        if n_scoped - len(by_scope.get(scope[i], ())) != 1:
            continue
        cands = [d for sc, ds in by_scope.items() if sc != scope[i] for d in ds]
        end = run_end(i)
        if len(cands) != 1 or end - i > _MAX_DISPLACED:
            continue
        d = cands[0]
        for j in range(i, end):
            scope[j] = scope[d]
            moved[j] = True

    # 2. letter sequences per scope: which letters each scope has, and where one repeats
    letters: dict[str, set] = {}
    repeats: list[tuple[int, str]] = []
    prev: dict[str, str] = {}
    for i, b in enumerate(blocks):
        if b.style != "letter" or not scope[i]:
            continue
        sc = scope[i]
        if not moved[i] and sc in prev and b.label != "a" and _letter_ord(b.label) <= _letter_ord(prev[sc]) \
                and b.label in letters.get(sc, ()):
            repeats.append((i, sc))
            continue
        letters.setdefault(sc, set()).add(b.label)
        if not moved[i]:
            prev[sc] = b.label
    for i, sc in repeats:
        run = [i]
        k = i + 1
        while k < n and not is_heading[k] and not (blocks[k].style == "letter" and _letter_ord(blocks[k].label) <= _letter_ord(blocks[i].label)):
            run.append(k)
            k += 1
        run_letters = {blocks[j].label for j in run if blocks[j].style == "letter"}
        before = _LETTERS[_letter_ord(blocks[i].label) - 1] if 0 < _letter_ord(blocks[i].label) < 99 else None
        fam = sc.split(".")[0]
        sibs = [s for s, have in letters.items() if s != sc and s.split(".")[0] == fam and before in have
                and not (have & run_letters)]
        if len(sibs) != 1:
            continue
        for j in run:
            scope[j] = sibs[0]
        letters[sibs[0]] |= run_letters
    return scope


_LETTERS = "abcdđefghiklmnopqrstuvxy"
_MAX_DISPLACED = 8  # blocks in a displaced page fragment


def _letter_ord(s: str) -> int:
    return _LETTERS.index(s) if s in _LETTERS else 99


def _du_an(norm: Normalized, blocks: list[Block], raw_sections: list[RawSection], scopes: list[Optional[str]],
           program: Optional[str], plan_scope: Optional[str]) -> list[DuAn]:
    """Dự án and Tiểu dự án the plan numbers: headings first, then mentions in the text."""
    found: dict[str, DuAn] = {}

    def add(scope_id: str, name: str, start: int, end: int):
        if not scope_id:
            return
        parts = scope_id.split(".")
        if len(parts) == 2 and parts[0] not in found:
            add(parts[0], "", start, end)
        name = name.strip()
        if name and name.isupper():
            name = programs.component(program, scope_id) or name.capitalize()
        o_start, o_end = norm.span(start, end)
        cur = found.get(scope_id)
        if cur is None:
            num = int(re.sub(r"\D", "", parts[-1]) or 0)
            found[scope_id] = DuAn(id=scope_id, number=num, name=name or "", parent=parts[0] if len(parts) == 2 else None,
                                   program=program, start=o_start, end=o_end)
        elif not cur.name and name:
            cur.name = name

    for i, s in enumerate(raw_sections):
        b = s.block
        if scopes[i] and (b.da or (b.tda is not None and b.tda) or b.nd):
            add(scopes[i], b.name, b.start, b.end)
        elif scopes[i] and s.parent is not None and scopes[i] != scopes[s.parent]:
            add(scopes[i], _clean_name(b.title), b.start, b.end)  # a Tiểu dự án known by its name
    # mentions inside a "Căn cứ ..." citation name the cited document's subject, not what
    # this plan budgets or assigns: blanked out (same length, offsets kept)
    pieces, pos = [], 0
    for b in blocks:
        if b.start >= pos and _BASIS_RE.match(b.text):
            pieces += [norm.text[pos:b.start], " " * (b.end - b.start)]
            pos = b.end
    text = "".join(pieces) + norm.text[pos:]
    # a report's "Tồn tại, hạn chế" / "Khó khăn, vướng mắc" section names parts that lag, not
    # parts the plan budgets or assigns: blanked out too
    for s in raw_sections:
        b = s.block
        if _SHORTCOMINGS_RE.match(b.title or ""):
            text = text[:b.start] + " " * (s.end - b.start) + text[s.end:]
    limit = programs.max_number(program)
    for m in _MENTION_TDA_RE.finditer(text):
        if _other_program(text, m.end(), program):
            continue
        for k in re.findall(r"\d{1,2}", m.group(1)):
            add(f"DA{int(m.group(2))}.TDA{int(k)}", "", m.start(), m.end())
    for tda_id, a, b in _table_tda_rows(text):  # "2 | Dự án 3: ..." then "2.1 | Tiểu dự án 1 | ..."
        add(tda_id, "", a, b)
    for m in _MENTION_DA_TDA_RE.finditer(text):
        if not _other_program(text, m.end(), program):
            add(f"DA{int(m.group(1))}.TDA{int(m.group(2))}", "", m.start(), m.end())
    for m in _INLINE_DA_TDA_RE.finditer(text):
        # "Dự án 3: Phát triển sản xuất ..., Tiểu dự án 1: ...: 4,8 tỷ đồng; Tiểu dự án 2: ...": each
        # Tiểu dự án on that line, up to another Dự án, belongs to the Dự án named first
        if _other_program(text, m.end(), program):
            continue
        stop = text.find("\n", m.start("tda")) % (len(text) + 1)
        nxt = _NEXT_DA_RE.search(text, m.start("tda"), stop)
        for k in _LINE_TDA_RE.finditer(text, m.start("tda"), nxt.start() if nxt else stop):
            add(f"DA{int(m.group('da'))}.TDA{int(k.group(1))}", "", m.start(), k.end())
    for m in _MENTION_DA_RE.finditer(text):
        n = int(m.group(1))
        if limit and n > limit or _other_program(text, m.end(), program):
            continue
        name = _clean_name(m.group("name") or "") if m.group("name") else ""
        add(f"DA{n}", name if len(name.split()) >= 2 else "", m.start(), m.end())
        # "Dự án 3 hỗ trợ phát triển sản xuất 21.675 triệu đồng, riêng thực hiện Tiểu dự án 1 ... là 19.860": a bare
        # Tiểu dự án in the same list item (up to ";", a sentence end or another Dự án) is this Dự án's
        stop = _ITEM_END_RE.search(text, m.end())
        stop = stop.start() if stop else len(text)
        nxt = _NEXT_DA_RE.search(text, m.end(), stop)
        for k in _LINE_TDA_RE.finditer(text, m.end(), nxt.start() if nxt else stop):
            add(f"DA{n}.TDA{int(k.group(1))}", "", m.start(), k.end())
    for m in _MENTION_LOWER_DA_RE.finditer(text):
        if _other_program(text, m.end(), program):
            continue
        for k in map(int, re.findall(r"\d{1,2}", m.group(1))):
            if not limit or k <= limit:
                add(f"DA{k}", "", m.start(1), m.end())
    for m in _MENTION_LIST_RE.finditer(text):
        if _other_program(text, m.end(), program):
            continue
        for k in map(int, re.findall(r"\d{1,2}", m.group(1))):
            if not limit or k <= limit:
                add(f"DA{k}", "", m.start(), m.end())
    if plan_scope:
        add(plan_scope, "", 0, 0)
    # fill names the text does not give from the program's decision
    for d in found.values():
        if not d.name:
            d.name = programs.component(program, d.id) or ""
    return sorted(found.values(), key=_scope_key)


_SHORTCOMINGS_RE = re.compile(r"\s*(?:những\s+)?(?:tồn tại|hạn chế|khó khăn|vướng mắc)(?:\s*[,;và]+\s*(?:tồn tại|hạn chế|khó khăn|vướng mắc|nguyên nhân))*\s*[:.]?\s*$", re.I)


def _table_tda_rows(text: str) -> list[tuple[str, int, int]]:
    """Tiểu dự án rows of a table (cells split by tabs or " | "), each under the Dự án row above it."""
    out, da, pos = [], None, 0
    for line in text.split("\n"):
        cells = line.split("\t") if "\t" in line else (line.split(" | ") if line.count(" | ") >= 2 else None)
        if cells is None:
            da = None if line.strip() else da  # prose ends the table
        else:
            for c in cells:
                c = c.strip()
                md = re.match(r"(?:Dự án|DỰ ÁN)\s*(?:số\s*)?(\d{1,2})(?![\d/])", c)
                mt = re.match(r"(?:Tiểu dự án|TIỂU DỰ ÁN)\s*(?:số\s*)?(\d{1,2})(?![\d/])(?!\s*(?:-|,|thuộc|của)\s*(?:Dự án|DỰ ÁN))", c)
                if md:
                    da = int(md.group(1))
                    break
                if mt and da is not None:
                    out.append((f"DA{da}.TDA{int(mt.group(1))}", pos, pos + len(line)))
                    break
        pos += len(line) + 1
    return out


def _other_program(text: str, pos: int, program: Optional[str]) -> bool:
    """'Dự án 1 thuộc Chương trình ... nông thôn mới' in a gnbv plan names another program's project."""
    after = text[pos:pos + 160].lower()
    m = re.match(r"[^.;\n]{0,60}?(?:thuộc|của) chương trình (?:mục tiêu quốc gia|mtqg)?\s*([^.;\n]{0,90})", after)
    if not m or not program:
        return False
    for code in programs.codes():
        if code != program and any(p in m.group(1) for p in programs.patterns(code)):
            return True
    return False


def _scope_key(d: DuAn):
    parts = d.id.split(".")
    return tuple(int(re.sub(r"\D", "", p) or 0) for p in parts) + ((0,) if len(parts) == 1 else ())


# ---------------------------------------------------------------- is it a plan?
