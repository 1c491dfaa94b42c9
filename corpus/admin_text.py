"""Is a text a Vietnamese administrative document at all? A pure check on the loaded text, for
the archive to refuse "hello world" files and other non-plans by name.

Six kinds of sign (word lists in corpus/data/admin_text.json): an agency header or the national
motto, a document type line, a document number, an issue date, "Căn cứ" lines, and program or
budget words. A text showing at least two kinds is kept: a short but real opening (number,
date, Căn cứ) passes, a letter, a news item or a program listing without any of them does not.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources

NOT_A_PLAN = "không phải văn bản kế hoạch"


@lru_cache(maxsize=1)
def _rules() -> tuple[int, int, dict[str, tuple[str, list[re.Pattern]]]]:
    data = json.loads(resources.files("corpus").joinpath("data", "admin_text.json").read_text("utf-8"))
    kinds = {}
    for kind, spec in data["kinds"].items():
        flags = 0 if spec.get("case_sensitive") else re.I
        kinds[kind] = (spec["label"], [re.compile(p, flags) for p in spec["patterns"]])
    return data["min_kinds"], data["opening_chars"], kinds


def admin_signs(text: str) -> dict[str, str]:
    """{kind: the words that show it} for the signs found in the text's opening (and its
    program words anywhere in the first pages)."""
    _, opening_chars, kinds = _rules()
    text = unicodedata.normalize("NFC", text)
    head = text[:opening_chars]
    body = text[:opening_chars * 5]
    found = {}
    for kind, (_, patterns) in kinds.items():
        where = body if kind == "program" else head
        for rx in patterns:
            m = rx.search(where)
            if m:
                found[kind] = " ".join(m.group(0).split())
                break
    return found


def looks_like_admin_text(text: str) -> tuple[bool, str]:
    """(True, what was found) for a Vietnamese administrative text; (False, the Vietnamese
    reason, beginning "không phải văn bản kế hoạch") otherwise."""
    min_kinds, _, kinds = _rules()
    if not text or not text.strip():
        return False, f"{NOT_A_PLAN}: tệp không có chữ"
    found = admin_signs(text)
    labels = [kinds[k][0] for k in found]
    if len(found) >= min_kinds:
        return True, "có " + ", ".join(f"{kinds[k][0]} ({v[:60]})" for k, v in found.items())
    missing = [kinds[k][0] for k in ("header", "doc_type", "program") if k not in found]
    return False, (f"{NOT_A_PLAN}: không thấy " + ", ".join(missing)
                   + (f" (chỉ có {labels[0]})" if labels else ""))
