"""Text in, Plan out: the stages in order. No I/O here (loading files is corpus/).

Each stage takes, by signature, what it reads: the normalized text (clean text and the map back
to the original), the Structure (headings, clauses, scopes; lookups on clean offsets) and the
Meta when it needs the plan's place or issuer. No stage calls another."""
from __future__ import annotations

from .model import Plan
from .normalize import normalize
from . import structure, meta, references, amounts, checks, agencies, targets


def extract(text: str, doc: str = "") -> Plan:
    norm = normalize(text)
    struct = structure.parse(norm)
    plan = Plan(doc=doc, text=text)
    plan.sections, plan.clauses, plan.du_an = struct.sections, struct.clauses, struct.du_an
    plan.meta = meta.extract_meta(norm, struct)
    plan.references = references.find_references(norm, struct, plan.meta)
    plan.amounts = amounts.find_amounts(norm, struct)
    plan.checks = checks.check_budget(plan.amounts, text)
    plan.agencies = agencies.find_agencies(norm, struct, plan.meta)
    plan.targets = targets.find_targets(norm, struct, plan.meta)
    plan.is_plan, why = structure.looks_like_plan(norm, struct)
    if not plan.is_plan:
        plan.warnings.append(why)
    return plan
