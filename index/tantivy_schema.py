"""What the tantivy engine holds and how it is asked: the two schemas, the documents written
from index/documents.py's dicts, and ParsedQuery as tantivy Query objects (never query syntax).
index/tantivy_backend.py opens, writes and reads the indexes with them.
"""
from __future__ import annotations

from typing import Any, Optional

import tantivy

from . import jsonbytes
from .analysis import ParsedQuery
from .base import FACETS
from .ranking import match_forms, scoring_bigrams, scoring_terms
from .semantics import Filters

# joins two body tokens into a pair token; analysis tokens are letters, digits, "." and ","
PAIR_JOINER = "~"

PLAN_PAYLOAD = ("plan_id", "doc", "title", "identity", "locality_name", "province_name", "level_name", "first_year",
                "doc_type_name", "number", "issue_date", "date_key", "ingested_at", "signer",
                "program_code", "sources", "amount_total", "n_clauses", "is_plan")
# tokens: the clause's analysed tokens, stored so that ranking.rescore never analyses a clause
# again at query time (it was a third of a search's time)
CLAUSE_PAYLOAD = ("text", "section", "clause_scope", "kind", "tokens")


def plan_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("plan_id", stored=True, tokenizer_name="raw")
    for f in FACETS:
        sb.add_text_field(f, stored=False, fast=True, tokenizer_name="raw")
    sb.add_integer_field("years", stored=False, indexed=True, fast=True)
    sb.add_integer_field("amount_total", stored=False, indexed=True, fast=True)
    sb.add_integer_field("date_key", stored=False, indexed=True, fast=True)
    sb.add_text_field("body", tokenizer_name="whitespace", index_option="position")
    # each pair of adjacent body tokens, at the first one's position (as Elasticsearch's
    # index_phrases): a phrase is matched on pairs, which are far rarer than syllables
    sb.add_text_field("body_pairs", tokenizer_name="whitespace", index_option="position")
    sb.add_text_field("body_bigrams", tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field("numbers", tokenizer_name="whitespace", index_option="freq")
    sb.add_bytes_field("payload", stored=True, indexed=False)
    return sb.build()


def clause_schema() -> tantivy.Schema:
    # Only what clause queries read: the words, and plan_id for the second stage. Filters are
    # plan-level (the plan index has them); their copies on every clause, and the clause-level
    # lists no query reads, were a third of the writer's time at ingest.
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("plan_id", stored=True, tokenizer_name="raw")
    sb.add_text_field("clause_id", stored=True, tokenizer_name="raw")
    sb.add_text_field("tokens", tokenizer_name="whitespace", index_option="position")
    sb.add_text_field("bigrams", tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field("numbers", tokenizer_name="whitespace", index_option="freq")
    sb.add_bytes_field("payload", stored=True, indexed=False)
    return sb.build()


def plan_document(p: dict[str, Any]) -> tantivy.Document:
    d: dict[str, Any] = {"plan_id": p["plan_id"], "date_key": int(p.get("date_key") or 0)}
    for f in FACETS:
        if p.get(f):
            d[f] = [str(v) for v in p[f]]
    if p.get("years"):
        d["years"] = [int(y) for y in p["years"]]
    if p.get("amount_total") is not None:
        d["amount_total"] = int(p["amount_total"])
    for f in ("body", "body_bigrams", "numbers"):
        if p.get(f):
            d[f] = p[f]
    if p.get("body"):
        body = p["body"].split()
        d["body_pairs"] = " ".join(map(PAIR_JOINER.join, zip(body, body[1:])))
    d["payload"] = payload_bytes(p, PLAN_PAYLOAD)
    return tantivy.Document.from_dict(d, PLAN_SCHEMA)


def payload_bytes(src: dict[str, Any], keys) -> bytes:
    return jsonbytes.dumps({k: src.get(k) for k in keys})


def clause_document(pid: str, c: dict[str, Any]) -> tantivy.Document:
    # from_dict: one call into tantivy per document (add_text per value is 10x slower)
    d: dict[str, Any] = {"plan_id": pid, "clause_id": c["clause_id"]}
    for f in ("tokens", "bigrams", "numbers"):
        if c.get(f):
            d[f] = c[f]
    d["payload"] = payload_bytes(c, CLAUSE_PAYLOAD)
    return tantivy.Document.from_dict(d, CLAUSE_SCHEMA)


PLAN_SCHEMA = plan_schema()
CLAUSE_SCHEMA = clause_schema()


def filter_queries(schema: tantivy.Schema, flt: Filters) -> list[tantivy.Query]:
    qs = []
    for name, values in flt.facets.items():
        qs.append(tantivy.Query.term_set_query(schema, name, list(values)))
    if flt.plan_ids is not None:
        qs.append(tantivy.Query.term_set_query(schema, "plan_id", list(flt.plan_ids)))
    if flt.year_from is not None or flt.year_to is not None:
        qs.append(tantivy.Query.range_query(schema, "years", tantivy.FieldType.Integer, flt.year_from, flt.year_to))
    if flt.amount_min is not None or flt.amount_max is not None:
        qs.append(tantivy.Query.range_query(schema, "amount_total", tantivy.FieldType.Integer, flt.amount_min, flt.amount_max))
    return [tantivy.Query.const_score_query(q, 0.0) for q in qs]


def text_query(schema, pq: Optional[ParsedQuery], tokens: str, bigrams: str, numbers: str, flt: Filters,
                scoring: bool = True) -> tantivy.Query:
    """The ParsedQuery as tantivy Query objects (never query syntax); filters do not score.

    The scoring part is term queries only (syllables, bigrams, the bigrams of synonym forms):
    phrase and proximity queries over a million clauses cost ten times the rest, so their
    bonus is computed on the ranked window instead (ranking.rescore, from stored tokens).
    Without `scoring` (counts, facets, ids) only what decides the match is built."""
    Q, Occur = tantivy.Query, tantivy.Occur
    musts = filter_queries(schema, flt)
    shoulds: list[tantivy.Query] = []
    if pq is not None:
        def words(ph):
            if len(ph) == 1:
                return Q.term_query(schema, tokens, ph[0])
            if tokens == "body":  # on pairs: every other pair covers the phrase
                pairs = [(i, ph[i] + PAIR_JOINER + ph[i + 1]) for i in sorted({*range(0, len(ph) - 1, 2), len(ph) - 2})]
                return Q.term_query(schema, "body_pairs", pairs[0][1]) if len(pairs) == 1 \
                    else Q.phrase_query(schema, "body_pairs", pairs)
            return Q.phrase_query(schema, tokens, list(ph))

        text_musts = [words(ph) for ph in pq.phrases]
        text_musts += [Q.term_query(schema, numbers, n) for n in pq.numbers]
        spread: list = []  # the forms of one group, each to be matched with every other must
        if not pq.relaxed:  # every word (group) must match, by any of its forms
            for g in pq.groups:
                forms = match_forms(g.forms)
                if len(forms) == 1:
                    text_musts.append(words(forms[0]))
                elif not scoring and musts and not spread and any(len(f) > 1 for f in forms):
                    spread = forms
                else:
                    text_musts.append(Q.boolean_query([(Occur.Should, words(f)) for f in forms]))
        if spread:
            # With a filter, "any of these forms" is matched per form, each form beside the
            # filter: tantivy's union, when the filter drives it, still reads its phrases over
            # every plan of the index (45 candidate plans checked cost as much as counting all).
            branches = [Q.boolean_query([(Occur.Must, q) for q in musts + text_musts + [words(f)]]) for f in spread]
            return Q.boolean_query([(Occur.Should, b) for b in branches])
        if scoring or not text_musts:
            shoulds = [Q.term_query(schema, tokens, t) for t in scoring_terms(pq)]
            shoulds += [Q.term_query(schema, bigrams, b) for b in scoring_bigrams(pq)]
        if text_musts:
            musts += text_musts  # with a must, the shoulds only score
        elif shoulds:
            musts.append(Q.boolean_query([(Occur.Should, q) for q in shoulds]))
            shoulds = []
    if not musts and not shoulds:
        return Q.all_query()
    return Q.boolean_query([(Occur.Must, q) for q in musts] + [(Occur.Should, q) for q in shoulds])
