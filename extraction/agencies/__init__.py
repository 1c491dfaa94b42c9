"""Agencies: the state and political bodies a plan names as parties, each once.

Regex over the clean text, driven by the gazetteer extraction/data/agencies.json:
- a mention is [standing prefix] [branch prefix] CORE [level word [place name]] [khóa N];
  CORE is a central body ("Thủ tướng Chính phủ"), a head with a sector ("Sở" + "Kế hoạch và
  Đầu tư", "Phòng Lao động - TBXH"), a named body ("UBND", "Ngân hàng Chính sách xã hội"),
  an office of a body ("Văn phòng HĐND và UBND"), a steering committee ("Ban Chỉ đạo ..."),
  or an open head whose name runs to a level word ("Trung tâm ... huyện");
- the level and place are resolved against the plan's locality: "UBND huyện" in a huyện plan
  is the plan's own UBND; "UBND tỉnh" there is the province's; a lower level without a name
  ("UBND xã", "UBND cấp xã") means every such body and is not one agency, nor is a plural
  ("UBND các xã, thị trấn", "các Sở, Ban, ngành");
- mentions of one body (same core, level, place) are merged: the full form is `name`, the
  forms as written are `aliases`.
Roles ("chủ trì" / "phối hợp" / "thực hiện") come from the sentence around a mention, from
"Đơn vị chủ trì: ..." lines, from a section headed by the agency, and from task tables.
"""
from __future__ import annotations

import re
from typing import Optional

from ..model import PARTIES, Agency, AgencyRole, Mention, Meta
from ..normalize import Normalized
from ..structure import Structure
from ..textkeys import word_key
from .candidates import _candidates, _enumerated, _internal_units, _places_listed, _select, _standing, _standing_of_list
from .naming import Group, _core_key, _display, _expand, _merge_prefixed, _merge_unnamed, _resolve
from .patterns import gazetteer
from .places import plan_place
from .roles import party_of, _heading_role, _recipient_spans, _role_of, _table_role_at, _table_roles

# ---------------------------------------------------------------- main

_PLURAL_BEFORE = re.compile(r"(?:^|\s)(?:các|những|mỗi|từng)\s+$", re.I)


def find_agencies(norm: Normalized, struct: Structure, meta: Optional[Meta]) -> list[Agency]:
    text = norm.text
    g = gazetteer()
    pp = plan_place(meta)
    cands = _candidates(text, g)
    cands = _select(cands)
    for c in cands:
        _standing(text, c, g)
    cands += [x for c in cands if (x := _standing_of_list(text, c, g))]
    units = [u for u in _internal_units(text, meta, g) if not any(u.start < c.end and c.start < u.end for c in cands)]
    if units:
        cands = sorted(cands + units, key=lambda c: c.start)
    # drop plurals: "các Sở Lao động ...", "những UBND ..."
    cands = [c for c in cands if not _PLURAL_BEFORE.search(text[max(0, c.start - 8):c.start])]
    listed = _enumerated(text, g) + _places_listed(text, g)
    if listed:
        cands = [c for c in cands if not any(c.start < x.end and x.start < c.end for x in listed)] + listed
        cands.sort(key=lambda c: c.start)
    table = _table_roles(text)
    table_keys = sorted(table)

    groups: dict[tuple, Group] = {}
    order: list[tuple] = []
    for c in cands:
        r = _resolve(c, pp)
        if r is None:
            continue
        level, place = r
        key = (_core_key(c), c.standing or "", level or "", word_key(place) if place else "")
        if key not in groups:
            groups[key] = Group(key=key, level=level, place=place)
            order.append(key)
        grp = groups[key]
        grp.cands.append(c)
        if place and not grp.place:
            grp.place = place
    merged = _merge_prefixed(_merge_unnamed([groups[k] for k in order], pp))

    media = set((g.data.get("publication_kinds") or {}).get("kinds", []))
    all_recipients = _recipient_spans(text)
    recipients = all_recipients if media else []
    issuer = ((meta.issuer if meta else None) or "").strip()
    issuer_keys = {word_key(issuer), word_key(_expand(issuer, g.abbreviations))} - {""}
    out: list[Agency] = []
    for grp in merged:
        if _kind(grp) in media and recipients and all(
                any(a <= c.start < b for a, b in recipients) for c in grp.cands):
            continue  # a paper or station that only receives the plan to publish it
        name, aliases = _display(grp, pp, g.abbreviations)
        a = Agency(name=name, level=grp.level, aliases=aliases, kind=_kind(grp))
        seen_roles = set()
        for c in sorted(grp.cands, key=lambda c: c.start):
            s, e = norm.span(c.start, c.end)
            cid = struct.clause_id_at(c.start)
            a.mentions.append(Mention(text=c.surface, start=s, end=e, clause_id=cid))
            role = _role_of(text, c) or _table_role_at(table, table_keys, c.start) or _heading_role(text, c, struct)
            if role:
                sec_path = struct.section_path_at(c.start) or None
                du_an = struct.scope_at(c.start)
                k = (role, sec_path, du_an)
                if k not in seen_roles:
                    seen_roles.add(k)
                    a.roles.append(AgencyRole(role=role, section=sec_path, du_an=du_an, clause_id=cid))
        a.party = party_of(text, name, aliases, a.roles, [c.start for c in grp.cands], issuer_keys, all_recipients)
        a.is_party = a.party in PARTIES
        out.append(a)
    return out

def _kind(grp: Group) -> str:
    return grp.cands[0].kind
