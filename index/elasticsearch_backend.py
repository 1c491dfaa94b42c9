"""The cluster engine: Elasticsearch 9 through the official client.

Configuration is passed in (archive/settings.py reads it from KEHOACH_ES_URL,
KEHOACH_ES_API_KEY or KEHOACH_ES_USER + KEHOACH_ES_PASSWORD, KEHOACH_ES_PREFIX: index
names, KEHOACH_ES_TIMEOUT: seconds).

The app creates its own index templates and mappings. Documents are written to versioned
indices (kehoach-plans-v1, kehoach-clauses-v1) behind the aliases kehoach-plans and
kehoach-clauses; `rebuild()` fills v(N+1) and swaps both aliases in one atomic request, so
searches never see an empty or half-built index.

Text fields use a whitespace analyzer over the tokens made by index/analysis.py (already
folded: no ICU or asciifolding needed). Bulk writes report failures per item, after retries.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Optional

from elasticsearch import Elasticsearch, helpers
from elasticsearch import ApiError, TransportError

from .analysis import ParsedQuery
from .base import FACETS, BackendError
from .documents import clause_fields
from .ranking import match_forms, scoring_bigrams, scoring_terms
from .semantics import (ENGINE_FACET_SIZE, MAX_CLAUSE_WINDOW, PLAN_ROW_FIELDS, AnalysedBackend,
                        ClauseRow, Filters, PlanPage, _clause_order, rescore)

BUFFER_PLANS = 200  # plans buffered before a bulk request
BULK_CHUNK = 500
BULK_RETRIES = 3

_WS = {"type": "text", "analyzer": "kehoach_ws"}
_WS_FREQS = {"type": "text", "analyzer": "kehoach_ws", "index_options": "freqs"}
SETTINGS = {
    "number_of_shards": 1,  # one shard: BM25 statistics over the whole collection, as tantivy
    "number_of_replicas": 0,
    "analysis": {"analyzer": {"kehoach_ws": {"type": "custom", "tokenizer": "whitespace"}}},
}
PLAN_MAPPINGS = {
    "dynamic": False,  # other fields are kept in _source only
    "properties": {
        "plan_id": {"type": "keyword"},
        **{f: {"type": "keyword"} for f in FACETS},
        "years": {"type": "integer"},
        "amount_total": {"type": "long"},
        "date_key": {"type": "integer"},
        "first_year": {"type": "integer"},
        "body": _WS,
        "body_bigrams": _WS_FREQS,
        "numbers": _WS_FREQS,
    },
}
CLAUSE_MAPPINGS = {
    "dynamic": False,
    "properties": {
        "plan_id": {"type": "keyword"},
        "clause_id": {"type": "keyword"},
        **{f: {"type": "keyword"} for f in FACETS},
        "clause_du_an": {"type": "keyword"},
        "clause_scope": {"type": "keyword"},
        "clause_agencies": {"type": "keyword"},
        "clause_cites": {"type": "keyword"},
        "clause_targets": {"type": "keyword"},
        "clause_amounts": {"type": "long"},
        "years": {"type": "integer"},
        "amount_total": {"type": "long"},
        "tokens": _WS,
        "bigrams": _WS_FREQS,
        "numbers": _WS_FREQS,
    },
}
CLAUSE_SOURCE = ["plan_id", "clause_id", "text", "section", "clause_scope", "kind"]


@dataclass
class IndexFailure:
    plan_id: str
    doc_id: str
    reason: str


class ElasticsearchBackend(AnalysedBackend):
    name = "elasticsearch"

    def __init__(self, url: str, prefix: str, timeout: Optional[float] = None,
                 api_key: Optional[str] = None, user: Optional[str] = None, password: Optional[str] = None,
                 client: Optional[Elasticsearch] = None, **client_options: Any):
        self.url = url
        self.prefix = prefix.lower()
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", self.prefix):
            raise ValueError(f"KEHOACH_ES_PREFIX {self.prefix!r}: use lower-case letters, digits, - and _")
        self.es = client or Elasticsearch(self.url, **_auth_options(timeout, api_key, user, password), **client_options)
        self.plans_alias = f"{self.prefix}-plans"
        self.clauses_alias = f"{self.prefix}-clauses"
        self._buf: dict[str, tuple[dict, list[dict]]] = {}
        self._failures: list[IndexFailure] = []
        self._ready = False

    # ---- setup ----------------------------------------------------------------------------

    def _call(self, what: str, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ApiError as e:
            raise BackendError(f"Elasticsearch at {self.url}: {what} failed: {e.meta.status} {_reason(e)}") from e
        except TransportError as e:
            raise BackendError(f"Elasticsearch at {self.url}: {what} failed: {e} (is it running? KEHOACH_ES_URL)") from e

    def ensure(self) -> None:
        """Templates, then v1 indices and aliases when there are none."""
        if self._ready:
            return
        for kind, mappings in (("plans", PLAN_MAPPINGS), ("clauses", CLAUSE_MAPPINGS)):
            self._call(f"put index template {self.prefix}-{kind}", self.es.indices.put_index_template,
                       name=f"{self.prefix}-{kind}", index_patterns=[f"{self.prefix}-{kind}-v*"], priority=200,
                       template={"settings": SETTINGS, "mappings": mappings})
            alias = f"{self.prefix}-{kind}"
            if not self._call(f"check alias {alias}", self.es.indices.exists_alias, name=alias):
                index = f"{alias}-v1"
                if not self._call(f"check index {index}", self.es.indices.exists, index=index):
                    self._create(index, mappings)
                self._call(f"add alias {alias}", self.es.indices.update_aliases,
                           actions=[{"add": {"index": index, "alias": alias}}])
            else:  # fields added since the index was made (a changed field needs `kehoach reindex`)
                self._call(f"update mapping of {alias}", self.es.indices.put_mapping, index=alias,
                           properties=mappings["properties"])
        self._ready = True

    def _create(self, index: str, mappings: dict) -> None:
        self._call(f"create index {index}", self.es.indices.create, index=index, settings=SETTINGS, mappings=mappings)

    def _versions(self, kind: str) -> dict[str, int]:
        res = self._call("list indices", self.es.indices.get, index=f"{self.prefix}-{kind}-v*", allow_no_indices=True)
        body = getattr(res, "body", res)
        out = {}
        for name in body:
            m = re.fullmatch(rf"{re.escape(self.prefix)}-{kind}-v(\d+)", name)
            if m:
                out[name] = int(m.group(1))
        return out

    # ---- writes ---------------------------------------------------------------------------

    def upsert(self, plan_doc: dict[str, Any], clause_docs: list[dict[str, Any]]) -> None:
        pid = plan_doc.get("plan_id")
        if not pid:
            raise ValueError("plan_doc has no plan_id")
        self._buf.pop(pid, None)
        self._buf[pid] = (plan_doc, clause_docs)
        if len(self._buf) >= BUFFER_PLANS:
            self._failures += self.flush()

    def flush(self) -> list[IndexFailure]:
        """Send buffered plans; returns the failures (per document, after retries)."""
        self.ensure()
        batch, self._buf = self._buf, {}
        return self._write(batch, self.plans_alias, self.clauses_alias, purge=True)

    def _write(self, batch: dict[str, tuple[dict, list[dict]]], plans_index: str, clauses_index: str,
               purge: bool) -> list[IndexFailure]:
        if not batch:
            return []
        ids = list(batch)
        if purge:  # earlier versions may have had more clauses
            self._call("refresh", self.es.indices.refresh, index=clauses_index)
            self._call("delete old clauses", self.es.delete_by_query, index=clauses_index,
                       query={"terms": {"plan_id": ids}}, conflicts="proceed", refresh=False)
        failures = self._bulk(
            ({"_op_type": "index", "_index": clauses_index, "_id": c["id"], **_clause_source(c, shared)}
             for p, cds in batch.values() for shared in (clause_fields(p),) for c in cds),
            lambda doc_id: doc_id.split(":", 1)[0],
        )
        failed = {f.plan_id for f in failures}
        failures += self._bulk(
            ({"_op_type": "index", "_index": plans_index, "_id": pid, **_plan_source(p)}
             for pid, (p, _) in batch.items() if pid not in failed),
            lambda doc_id: doc_id,
        )
        failed = {f.plan_id for f in failures}
        if failed:  # no half-indexed plan: drop what was written of a failed one
            self._call("delete failed plans", self.es.delete_by_query, index=f"{clauses_index},{plans_index}",
                       query={"terms": {"plan_id": sorted(failed)}}, conflicts="proceed", refresh=False)
        return failures

    def _bulk(self, actions: Iterable[dict], plan_of) -> list[IndexFailure]:
        failures = []
        try:
            for ok, item in helpers.streaming_bulk(self.es, actions, chunk_size=BULK_CHUNK, max_retries=BULK_RETRIES,
                                                   initial_backoff=1, raise_on_error=False, raise_on_exception=False):
                if not ok:
                    info = next(iter(item.values()))
                    doc_id = str(info.get("_id", ""))
                    err = info.get("error")
                    reason = (f"{err.get('type')}: {err.get('reason')}" if isinstance(err, dict) else str(err or info.get("exception") or info.get("status")))
                    failures.append(IndexFailure(plan_of(doc_id), doc_id, reason))
        except TransportError as e:
            raise BackendError(f"Elasticsearch at {self.url}: bulk indexing failed: {e}") from e
        return failures

    def delete(self, plan_id: str) -> bool:
        self.ensure()
        self._buf.pop(plan_id, None)
        res = self._call("find plan", self.es.search, index=self.plans_alias, size=0, track_total_hits=True,
                         query={"term": {"plan_id": plan_id}})
        existed = res["hits"]["total"]["value"] > 0
        self._call("delete plan", self.es.delete_by_query, index=f"{self.clauses_alias},{self.plans_alias}",
                   query={"term": {"plan_id": plan_id}}, conflicts="proceed", refresh=True)
        return existed

    def commit(self) -> None:
        failures = self._failures + self.flush()
        self._failures = []
        self._call("refresh", self.es.indices.refresh, index=f"{self.clauses_alias},{self.plans_alias}")
        if failures:
            raise BackendError(f"Elasticsearch refused {len({f.plan_id for f in failures})} plan(s): "
                               + "; ".join(f"{f.plan_id} ({f.doc_id}): {f.reason}" for f in failures[:10]), failures)

    def clear(self) -> None:
        self.ensure()
        self._buf = {}
        self._call("clear", self.es.delete_by_query, index=f"{self.clauses_alias},{self.plans_alias}",
                   query={"match_all": {}}, conflicts="proceed", refresh=True)

    def rebuild(self, docs: Iterable[tuple[dict[str, Any], list[dict[str, Any]]]], on_progress=None) -> int:
        """Fill new versioned indices, then swap both aliases at once and drop the old ones."""
        self.ensure()
        self.commit()
        old = {k: self._versions(k) for k in ("plans", "clauses")}
        n_new = max([1, *old["plans"].values(), *old["clauses"].values()]) + 1
        new = {k: f"{self.prefix}-{k}-v{n_new}" for k in ("plans", "clauses")}
        self._create(new["plans"], PLAN_MAPPINGS)
        self._create(new["clauses"], CLAUSE_MAPPINGS)
        n, failures, batch = 0, [], {}
        try:
            for plan_doc, clause_docs in docs:
                batch[plan_doc["plan_id"]] = (plan_doc, clause_docs)
                n += 1
                if len(batch) >= BUFFER_PLANS:
                    failures += self._write(batch, new["plans"], new["clauses"], purge=False)
                    batch = {}
                if on_progress:
                    on_progress(n)
            failures += self._write(batch, new["plans"], new["clauses"], purge=False)
            self._call("refresh", self.es.indices.refresh, index=f"{new['plans']},{new['clauses']}")
        except BaseException:
            self.es.indices.delete(index=f"{new['plans']},{new['clauses']}", ignore_unavailable=True)
            raise
        actions = []
        for kind in ("plans", "clauses"):
            alias = f"{self.prefix}-{kind}"
            actions += [{"remove": {"index": name, "alias": alias}} for name in old[kind]
                        if self._has_alias(name, alias)]
            actions.append({"add": {"index": new[kind], "alias": alias}})
        self._call("swap aliases", self.es.indices.update_aliases, actions=actions)
        stale = [name for kind in old for name in old[kind]]
        if stale:
            self._call("delete old indices", self.es.indices.delete, index=",".join(stale), ignore_unavailable=True)
        if failures:
            raise BackendError(f"rebuild: Elasticsearch refused {len({f.plan_id for f in failures})} plan(s): "
                               + "; ".join(f"{f.plan_id}: {f.reason}" for f in failures[:10]), failures)
        return n

    def _has_alias(self, index: str, alias: str) -> bool:
        return bool(self._call("check alias", self.es.indices.exists_alias, name=alias, index=index))

    def close(self) -> None:
        self.es.close()

    # ---- reads ----------------------------------------------------------------------------

    def plan_ids(self) -> set[str]:
        self.ensure()
        out: set[str] = set()
        after = None
        while True:
            kw = {"search_after": after} if after else {}
            res = self._call("list plans", self.es.search, index=self.plans_alias, size=5000, _source=False,
                             query={"match_all": {}}, sort=[{"plan_id": "asc"}], **kw)
            hits = res["hits"]["hits"]
            out.update(h["_id"] for h in hits)
            if len(hits) < 5000:
                return out
            after = hits[-1]["sort"]

    def count(self) -> int:
        self.ensure()
        return int(self._call("count", self.es.count, index=self.plans_alias)["count"])

    def _search_clauses(self, pq: ParsedQuery, flt: Filters, limit: int) -> tuple[list[ClauseRow], int]:
        self.ensure()
        res = self._call("search clauses", self.es.search, index=self.clauses_alias,
                         **_clause_body(pq, flt, limit))
        return _clause_rows(res), res["hits"]["total"]["value"]

    def _clauses_for_plans(self, pq: ParsedQuery, flt: Filters, plan_ids: list[str], n: int) -> dict[str, list[ClauseRow]]:
        if not plan_ids:
            return {}
        self.ensure()
        searches: list[dict] = []
        for pid in plan_ids:  # these plans passed flt: its plan-level filters hold for every clause
            searches += [{"index": self.clauses_alias}, _clause_body(pq, Filters(plan_ids=[pid]), n)]
        res = self._call("search clauses", self.es.msearch, searches=searches)
        out = {}
        for pid, r in zip(plan_ids, res["responses"]):
            if "error" in r:
                raise BackendError(f"Elasticsearch at {self.url}: search clauses failed: {r['error']}")
            out[pid] = _clause_order(rescore(_clause_rows(r), pq))
        return out

    def _search_plans(self, pq: Optional[ParsedQuery], flt: Filters, sort: str, offset: int, limit: int,
                      facet_size: int) -> PlanPage:
        self.ensure()
        if offset + limit > MAX_CLAUSE_WINDOW:  # ES max_result_window: deeper pages are empty
            offset, limit = 0, 0
        scoring = limit > 0 and not (sort == "date" or pq is None)
        body: dict[str, Any] = {
            "query": _bool_query(pq, "body", "body_bigrams", "numbers", flt, scoring),
            "size": limit, "from": offset, "track_total_hits": True, "_source": list(PLAN_ROW_FIELDS),
        }
        if sort == "date" or pq is None:
            body["sort"] = [{"date_key": {"order": "desc"}}, {"plan_id": {"order": "asc"}}]
        if facet_size:
            body["aggs"] = {f: {"terms": {"field": f, "size": facet_size,
                                          "shard_size": max(facet_size, ENGINE_FACET_SIZE)}} for f in FACETS}
        res = self._call("search plans", self.es.search, index=self.plans_alias, **body)
        rows = [(float(h.get("_score") or 0.0), h["_source"]) for h in res["hits"]["hits"]]
        facets = {}
        for f in FACETS if facet_size else ():
            facets[f] = [(str(b["key"]), int(b["doc_count"])) for b in res["aggregations"][f]["buckets"]]
        return PlanPage(res["hits"]["total"]["value"], rows, facets)


# ---- documents and queries ----------------------------------------------------------------


def _plan_source(p: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in p.items() if v is not None}


def _clause_source(c: dict[str, Any], shared: dict[str, Any]) -> dict[str, Any]:
    """A clause as indexed here: with its plan's facets, years and amount (this mapping keeps them)."""
    return {k: v for d in (c, shared) for k, v in d.items() if v is not None and k != "id"}


def _filter_clauses(flt: Filters) -> list[dict]:
    out: list[dict] = [{"terms": {name: list(values)}} for name, values in flt.facets.items()]
    if flt.plan_ids is not None:
        out.append({"terms": {"plan_id": list(flt.plan_ids)}})
    if flt.year_from is not None or flt.year_to is not None:
        out.append({"range": {"years": _range(flt.year_from, flt.year_to)}})
    if flt.amount_min is not None or flt.amount_max is not None:
        out.append({"range": {"amount_total": _range(flt.amount_min, flt.amount_max)}})
    return out


def _range(lo, hi) -> dict:
    r = {}
    if lo is not None:
        r["gte"] = lo
    if hi is not None:
        r["lte"] = hi
    return r


def _bool_query(pq: Optional[ParsedQuery], tokens: str, bigrams: str, numbers: str, flt: Filters,
                scoring: bool = True) -> dict:
    """The ParsedQuery as query DSL built from data (never query_string); filters do not score.
    Scoring is term queries only, as in tantivy_schema.text_query (nearness: ranking.rescore);
    without `scoring`, only what decides the match."""
    filters = _filter_clauses(flt)
    must: list[dict] = []
    should: list[dict] = []
    if pq is not None:
        def words(ph):
            if len(ph) == 1:
                return {"term": {tokens: ph[0]}}
            return {"match_phrase": {tokens: {"query": " ".join(ph)}}}

        must = [words(ph) for ph in pq.phrases]
        must += [{"term": {numbers: n}} for n in pq.numbers]
        if not pq.relaxed:  # every word (group) must match, by any of its forms
            for g in pq.groups:
                forms = match_forms(g.forms)
                must.append(words(forms[0]) if len(forms) == 1 else {"bool": {"should": [words(f) for f in forms]}})
        if scoring or not must:
            should = [{"term": {tokens: t}} for t in scoring_terms(pq)]
            should += [{"term": {bigrams: b}} for b in scoring_bigrams(pq)]
        if not must and should:
            must, should = [{"bool": {"should": should}}], []
    if not must and not should and not filters:
        return {"match_all": {}}
    q: dict[str, Any] = {}
    if must:
        q["must"] = must
    if should:
        q["should"] = should
    if filters:
        q["filter"] = filters
    return {"bool": q}


def _clause_body(pq: ParsedQuery, flt: Filters, limit: int) -> dict:
    # counted only up to limit + 1: whether more match is all the ranking asks
    return {"query": _bool_query(pq, "tokens", "bigrams", "numbers", flt), "size": max(0, limit),
            "track_total_hits": max(1, limit + 1), "_source": CLAUSE_SOURCE}


def _clause_rows(res) -> list[ClauseRow]:
    out = []
    for h in res["hits"]["hits"]:
        s = h["_source"]
        out.append(ClauseRow(float(h.get("_score") or 0.0), s["plan_id"], s["clause_id"], s.get("text", ""),
                             s.get("section", ""), s.get("clause_scope"), kind=s.get("kind") or ""))
    return out


def _reason(e: ApiError) -> str:
    body = getattr(e, "body", None)
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        err = body["error"]
        return f"{err.get('type')}: {err.get('reason')}"
    return str(e)


def _auth_options(timeout: Optional[float], api_key: Optional[str], user: Optional[str],
                  password: Optional[str]) -> dict[str, Any]:
    opts: dict[str, Any] = {"request_timeout": float(timeout)} if timeout else {}
    if api_key:
        opts["api_key"] = api_key
    elif user:
        opts["basic_auth"] = (user, password or "")
    return opts
