"""One behaviour suite for every search backend (see conftest.backend_names):
embedded (tantivy) always, Elasticsearch through osmem-server, real Elasticsearch when
KEHOACH_ES_URL is set. Expectations follow from the sample texts, not from extraction details.
"""
from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import textwrap
import unicodedata

import pytest

from index.analysis import fold
from index.base import FACETS, SearchRequest
from index.documents import build_docs

from conftest import ROOT, _plain_json_node_class, backend_names


def plans_of(res) -> list[str]:
    return [h.plan_id for h in res.hits]


def search(b, q="", **kw):
    kw.setdefault("size", 50)
    return b.search(SearchRequest(q=q, **kw))


def folded(s: str) -> str:
    return " ".join(re.findall(r"\w+", fold(s)))


def docs_containing(sample_plans, needle: str) -> set[str]:
    n = folded(needle)
    return {pid for pid, plan in sample_plans if n in folded(plan.text)}


# ---- diacritics, words, numbers ---------------------------------------------------------------


@pytest.mark.parametrize("plain, accented", [
    ("ho tro nha o", "hỗ trợ nhà ở"),
    ("dak glong", "Đắk Glong"),
    ("ra soat ho ngheo", "rà soát hộ nghèo"),
    ("DAK GLONG", "đắk glong"),
    ("uy ban nhan dan", "Uỷ ban nhân dân"),
])
def test_query_with_or_without_diacritics_gives_the_same_plans(indexed_ro, plain, accented):
    a, b = search(indexed_ro, plain), search(indexed_ro, accented)
    assert a.total == b.total > 0
    assert plans_of(a) == plans_of(b)
    assert [[c.id for c in h.clauses] for h in a.hits] == [[c.id for c in h.clauses] for h in b.hits]


def test_dak_glong_finds_the_plans_naming_it(indexed_ro, sample_plans):
    expected = docs_containing(sample_plans, "Đắk Glong")
    assert expected
    assert set(plans_of(search(indexed_ro, "dak glong"))) == expected


@pytest.mark.parametrize("q", ["90/QĐ-TTg", "90/QD-TTG", "QĐ 90/QĐ-TTg", "số 90/QĐ-TTg", "90/qđ-ttg", "90 / QĐ-TTg"])
def test_document_number_in_any_written_form(indexed_ro, sample_plans, q):
    expected = docs_containing(sample_plans, "90/QĐ-TTg")
    assert len(expected) == 5  # every sample cites the programme's decision
    res = search(indexed_ro, q)
    assert set(plans_of(res)) == expected
    assert res.total == len(expected)
    # the best clause shows the number, highlighted
    assert any(re.search(r"<mark>[^<]*90/QĐ-TTg</mark>", c.highlight) for h in res.hits for c in h.clauses)


def test_number_does_not_match_other_numbers(indexed_ro, sample_plans):
    res = search(indexed_ro, "880/QĐ-TTg")
    assert set(plans_of(res)) == docs_containing(sample_plans, "880/QĐ-TTg")
    assert res.total < len(sample_plans)


def test_multi_syllable_word_ranks_first(indexed_ro):
    """Clauses with the word "nhà ở" come before clauses with "nhà" and "ở" apart."""
    res = search(indexed_ro, "nhà ở", clauses_per_plan=1)
    for h in res.hits[:3]:
        assert "nha o" in folded(h.clauses[0].text)


def test_quoted_phrase_matches_words_in_order(indexed_ro):
    phrase = search(indexed_ro, '"chung tay vì người nghèo"', clauses_per_plan=5)
    assert phrase.total > 0
    for h in phrase.hits:
        for c in h.clauses:
            assert "chung tay vi nguoi ngheo" in folded(c.text)
            assert "<mark>" in c.highlight
    loose = search(indexed_ro, "chung tay vì người nghèo")
    assert set(plans_of(phrase)) <= set(plans_of(loose))
    reversed_phrase = search(indexed_ro, '"nghèo người vì tay chung"')
    assert reversed_phrase.total == 0


@pytest.mark.parametrize("q", ['"hỗ trợ nhà ở', 'nhà ở"', '"""', '"a" "', "x" * 10_000, "hộ nghèo " * 2000,
                               "((([[[{{{***:::", "AND OR NOT -+!", "\x00\u200b\ufeff", "ở" * 5000])
def test_any_query_is_safe(indexed_ro, q):
    res = search(indexed_ro, q)
    assert res.total >= len(res.hits) >= 0
    assert isinstance(res.hits, list)


def test_unbalanced_quote_searches_the_words(indexed_ro):
    assert plans_of(search(indexed_ro, '"hỗ trợ nhà ở')) == plans_of(search(indexed_ro, "hỗ trợ nhà ở"))


# ---- highlights -------------------------------------------------------------------------------


def test_highlight_marks_original_words(indexed_ro):
    res = search(indexed_ro, "ho tro nha o")
    clause = res.hits[0].clauses[0]
    assert "<mark>" in clause.highlight
    marked = re.findall(r"<mark>(.*?)</mark>", clause.highlight)
    assert any("nhà ở" in m.lower() for m in marked)  # diacritics of the text, not of the query
    assert html.unescape(re.sub(r"</?mark>", "", clause.highlight)) == clause.text


# ---- facets and filters -----------------------------------------------------------------------


def facet(res, name) -> dict[str, int]:
    return {v.value: v.count for v in res.facets[name]}


def test_facets_count_plans(indexed_ro, sample_plans):
    res = search(indexed_ro)
    assert res.total == len(sample_plans)
    assert set(res.facets) == set(FACETS)
    provinces = facet(res, "province")
    assert provinces.get("Lai Châu") == 1
    assert provinces.get("Đắk Nông") == 1
    for name in FACETS:
        for v in res.facets[name]:
            assert 0 < v.count <= res.total


def test_issue_year_facet_counts_the_year_signed(indexed_ro, sample_plans):
    """"Năm ban hành" (issue_year) counts each plan once, by the year it was signed; "Năm thực
    hiện" (year) counts every year a plan covers."""
    from collections import Counter
    from index.documents import issue_year
    expected = Counter(str(y) for _, p in sample_plans if (y := issue_year(p.meta)))
    assert expected, "the samples have issue dates"
    res = search(indexed_ro)
    assert facet(res, "issue_year") == dict(expected)
    assert sum(facet(res, "year").values()) > sum(expected.values())  # a plan covers several years
    year = next(iter(expected))
    hit = search(indexed_ro, filters={"issue_year": [year]})
    assert hit.total == expected[year]


def test_agency_facet_counts_parties_only(indexed_ro, sample_plans):
    """A body only in "Nơi nhận" or only issuing a cited document is not a party of the plan."""
    parties = {a.name for _, p in sample_plans for a in p.agencies if a.is_party}
    others = {a.name for _, p in sample_plans for a in p.agencies if not a.is_party} - parties
    assert others, "the samples name recipients or cited issuers"
    res = search(indexed_ro)
    got = set(facet(res, "agency"))
    assert got and got <= parties and not got & others
    assert search(indexed_ro, filters={"agency": [sorted(others)[0]]}).total == 0


def test_facets_follow_the_query(indexed_ro):
    res = search(indexed_ro, "dak glong")
    assert facet(res, "province") == {"Đắk Nông": 1}


def test_filter_or_within_and_across(indexed_ro, sample_docs):
    one = search(indexed_ro, filters={"province": ["Đắk Nông"]})
    assert one.total == 1 and one.hits[0].province == "Đắk Nông"
    two = search(indexed_ro, filters={"province": ["Đắk Nông", "Lai Châu"]})
    assert two.total == 2
    year = sample_docs[0][0]["year"][0]
    both = search(indexed_ro, filters={"province": ["Đắk Nông", "Lai Châu"], "year": [year]})
    expected = {p["plan_id"] for p, _ in sample_docs
                if set(p["province"]) & {"Đắk Nông", "Lai Châu"} and year in p["year"]}
    assert set(plans_of(both)) == expected


@pytest.mark.parametrize("name", FACETS)
def test_every_facet_filters(indexed_ro, sample_docs, name):
    values = [v for p, _ in sample_docs for v in p[name]]
    assert values, f"extraction gives no {name} for the samples (a regression: every facet had values)"
    value = values[0]
    expected = {p["plan_id"] for p, _ in sample_docs if value in p[name]}
    res = search(indexed_ro, filters={name: [value]})
    assert set(plans_of(res)) == expected
    with_text = search(indexed_ro, "hộ nghèo", filters={name: [value]})
    assert set(plans_of(with_text)) <= expected


def test_filters_apply_to_clauses(indexed_ro):
    res = search(indexed_ro, "hỗ trợ nhà ở", filters={"province": ["Lai Châu"]})
    assert {h.province for h in res.hits} == {"Lai Châu"}


def test_unknown_filter_is_a_clear_error(indexed_ro):
    with pytest.raises(ValueError, match="colour"):
        search(indexed_ro, filters={"colour": ["red"]})


def test_year_range_keeps_plans_covering_a_year_in_it(indexed_ro, sample_docs):
    years = sorted({y for p, _ in sample_docs for y in p["years"]})
    lo = years[len(years) // 2]
    res = search(indexed_ro, year_from=lo, year_to=lo)
    expected = {p["plan_id"] for p, _ in sample_docs if lo in p["years"]}
    assert set(plans_of(res)) == expected
    res = search(indexed_ro, "hộ nghèo", year_from=lo)
    assert set(plans_of(res)) == {p["plan_id"] for p, _ in sample_docs if any(y >= lo for y in p["years"])}


def test_amount_range(indexed_ro, sample_docs):
    amounts = sorted(p["amount_total"] for p, _ in sample_docs if p["amount_total"])
    assert amounts, "extraction gives no total amount for the samples (a regression)"
    cut = amounts[0]
    res = search(indexed_ro, amount_min=cut)
    assert set(plans_of(res)) == {p["plan_id"] for p, _ in sample_docs if (p["amount_total"] or -1) >= cut}
    res = search(indexed_ro, amount_max=cut - 1)
    assert set(plans_of(res)) == {p["plan_id"] for p, _ in sample_docs if p["amount_total"] is not None and p["amount_total"] < cut}


# ---- pages, sort, browse ----------------------------------------------------------------------


@pytest.mark.parametrize("q, sort", [("hộ nghèo", "relevance"), ("hộ nghèo", "date"), ("", "relevance")])
def test_pages_cover_every_plan_once(indexed_ro, q, sort):
    full = search(indexed_ro, q, sort=sort, size=50)
    seen = []
    for page in (1, 2, 3):
        res = search(indexed_ro, q, sort=sort, page=page, size=2)
        assert res.total == full.total
        seen += plans_of(res)
    assert seen == plans_of(full)
    assert search(indexed_ro, q, sort=sort, page=10, size=2).hits == []


def test_sort_by_date_newest_first(indexed_ro, sample_docs):
    key = {p["plan_id"]: p["date_key"] for p, _ in sample_docs}
    res = search(indexed_ro, "hộ nghèo", sort="date")
    keys = [key[pid] for pid in plans_of(res)]
    assert keys == sorted(keys, reverse=True)
    assert all(h.clauses for h in res.hits)


def test_browse_lists_plans_without_clauses(indexed_ro, sample_docs):
    expected = {p["plan_id"] for p, _ in sample_docs if "gnbv" in p["program"]}
    assert expected, "extraction finds the giảm nghèo program in none of the samples"
    res = search(indexed_ro, "", filters={"program": ["gnbv"]})
    assert res.total == len(expected) and set(plans_of(res)) == expected
    assert all(h.clauses == [] for h in res.hits)
    assert all(h.doc.endswith(".txt") for h in res.hits)


def test_clauses_per_plan(indexed_ro):
    res = search(indexed_ro, "hộ nghèo", clauses_per_plan=2)
    assert all(1 <= len(h.clauses) <= 2 for h in res.hits)
    scores = [c.score for c in res.hits[0].clauses]
    assert scores == sorted(scores, reverse=True)
    assert [h.score for h in res.hits] == sorted((h.score for h in res.hits), reverse=True)


@pytest.mark.parametrize("bad", [{"sort": "colour"}, {"page": 0}, {"size": -1}, {"size": 10_000}])
def test_bad_request_is_a_clear_error(indexed_ro, bad):
    with pytest.raises(ValueError):
        search(indexed_ro, "hộ nghèo", **bad)


# ---- writes -----------------------------------------------------------------------------------


def test_delete(indexed, sample_docs):
    pid = sample_docs[0][0]["plan_id"]
    assert indexed.delete(pid) is True
    indexed.commit()
    assert indexed.count() == len(sample_docs) - 1
    assert pid not in indexed.plan_ids()
    assert pid not in plans_of(search(indexed, "90/QĐ-TTg"))
    assert indexed.delete(pid) is False


def test_upsert_replaces(indexed, sample_docs):
    plan_doc, clause_docs = sample_docs[0]
    pid = plan_doc["plan_id"]
    kept = [c for c in clause_docs if "90/qd-ttg" not in c["numbers"].split()]
    changed = dict(plan_doc, title="Kế hoạch đã sửa")
    changed["numbers"] = " ".join(n for n in plan_doc["numbers"].split() if n != "90/qd-ttg")
    changed["body"] = " ".join(c["tokens"] for c in kept)
    indexed.upsert(changed, kept)
    indexed.commit()
    assert indexed.count() == len(sample_docs)
    assert pid not in plans_of(search(indexed, "90/QĐ-TTg"))
    hit = [h for h in search(indexed, "hộ nghèo").hits if h.plan_id == pid][0]
    assert hit.title == "Kế hoạch đã sửa"
    # upserting the same plan twice before a commit keeps one copy
    indexed.upsert(plan_doc, clause_docs)
    indexed.upsert(plan_doc, clause_docs)
    indexed.commit()
    assert indexed.count() == len(sample_docs)
    assert pid in plans_of(search(indexed, "90/QĐ-TTg"))


def test_clear_and_rebuild(indexed, sample_docs):
    indexed.clear()
    assert indexed.count() == 0
    assert search(indexed, "hộ nghèo").total == 0
    assert indexed.rebuild(iter(sample_docs)) == len(sample_docs)
    assert indexed.count() == len(sample_docs)
    assert search(indexed, "90/QĐ-TTg").total == len(sample_docs)


def test_plan_without_clauses_is_searchable_by_paragraph(backend):
    from extraction.model import Plan

    plan = Plan(doc="bare.txt", text="Dòng một về nước sạch.\n\nDòng hai về đường giao thông nông thôn.")
    backend.upsert(*build_docs("bare0001", plan, "2026-01-01T00:00:00+00:00"))
    backend.commit()
    res = search(backend, "duong giao thong")
    assert plans_of(res) == ["bare0001"]
    assert res.hits[0].clauses[0].text == "Dòng hai về đường giao thông nông thôn."


# ---- the same answers from every engine -------------------------------------------------------

CROSS_QUERIES = [
    "hỗ trợ nhà ở cho hộ nghèo", "ho tro nha o", "dak glong", "90/QĐ-TTg", '"nhà ở"', "rà soát hộ nghèo",
    "tập huấn cán bộ", "nước sinh hoạt hợp vệ sinh", "", "xuất khẩu lao động",
]


@pytest.fixture(scope="module")
def all_engines(tmp_path_factory, sample_docs):
    """Every backend with the samples indexed, for comparing answers."""
    import uuid
    from index.factory import get_backend

    engines = {"embedded": get_backend(tmp_path_factory.mktemp("cross"), "embedded")}
    servers = []
    if "osmem" in backend_names():
        from osmem_server import OsmemServer
        server = OsmemServer.start(freeze=False, japanese=False)
        servers.append(server)
        engines["osmem"] = get_backend(name="elasticsearch", url=server.url, prefix="cross",
                                       node_class=_plain_json_node_class())
    if os.environ.get("KEHOACH_ES_URL"):
        from archive.settings import Settings
        engines["elasticsearch"] = get_backend(name="elasticsearch", **{**Settings.from_env().engine_options("elasticsearch"),
                                                                        "prefix": f"kehoach-test-{uuid.uuid4().hex[:8]}"})
    for b in engines.values():
        for plan_doc, clause_docs in sample_docs:
            b.upsert(plan_doc, clause_docs)
        b.commit()
    yield engines
    for name, b in engines.items():
        if name != "embedded":
            b.es.indices.delete(index=f"{b.prefix}-*", ignore_unavailable=True, allow_no_indices=True)
        b.close()
    for s in servers:
        s.close()


@pytest.mark.slow  # needs a cluster engine beside the embedded one
@pytest.mark.parametrize("q", CROSS_QUERIES)
@pytest.mark.parametrize("filters", [{}, {"province": ["Đắk Nông", "Lai Châu"]}])
def test_engines_give_the_same_plans_and_facets(all_engines, q, filters):
    results = {name: b.search(SearchRequest(q=q, filters=filters, size=50)) for name, b in all_engines.items()}
    first = results["embedded"]
    for name, res in results.items():
        assert res.total == first.total, name
        assert set(plans_of(res)) == set(plans_of(first)), name
        for f in FACETS:
            assert facet(res, f) == facet(first, f), (name, f)
        if not q:  # browse: sorted by date, ties by plan id: the same order everywhere
            assert plans_of(res) == plans_of(first), name


# ---- the embedded engine survives a kill ------------------------------------------------------


@pytest.mark.slow  # a process killed mid-write
def test_embedded_index_keeps_every_commit_after_a_kill(tmp_path, sample_docs):
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(ROOT / 'tests')!r})
        from conftest import *
        from extraction.pipeline import extract
        from index.documents import build_docs
        from index.factory import get_backend
        from pathlib import Path
        paths = sorted(Path({str(ROOT / 'corpus' / 'samples')!r}).glob('*.txt'))
        b = get_backend({str(tmp_path)!r}, 'embedded')
        for i, path in enumerate(paths):
            text = path.read_text(encoding='utf-8')
            b.upsert(*build_docs('plan%d' % i, extract(text, doc=path.name), 'now'))
            if i == 2:
                b.commit()
        os._exit(9)  # killed before the last commit
    """)
    p = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert p.returncode == 9, p.stderr
    from index.factory import get_backend
    b = get_backend(tmp_path, "embedded")
    assert b.plan_ids() == {"plan0", "plan1", "plan2"}
    assert search(b, "hộ nghèo").total == 3
    b.upsert(*sample_docs[3])  # the lock of the killed writer does not block a new one
    b.commit()
    assert b.count() == 4


@pytest.mark.parametrize("name, typed, indexed_value", [
    ("province", "dak nong", "Đắk Nông"),
    ("province", "LAI CHAU", "Lai Châu"),
    ("cites", "90/QD-TTG", "90/QĐ-TTg"),
])
def test_filter_values_typed_without_diacritics(indexed_ro, name, typed, indexed_value):
    exact = search(indexed_ro, filters={name: [indexed_value]})
    assert exact.total, f"extraction gives no {name} {indexed_value!r} for the samples (a regression)"
    assert plans_of(search(indexed_ro, filters={name: [typed]})) == plans_of(exact)


def test_clause_du_an_is_its_scope(indexed_ro, sample_plans):
    scoped = {(pid, c.id): c.du_an for pid, plan in sample_plans for c in plan.clauses}
    res = search(indexed_ro, "hỗ trợ nhà ở", clauses_per_plan=5)
    for h in res.hits:
        for c in h.clauses:
            assert c.du_an is None or isinstance(c.du_an, str)
            assert c.du_an == scoped.get((h.plan_id, c.id))


def test_unreachable_elasticsearch_is_a_clear_error():
    from index.factory import get_backend
    from index.base import BackendError

    b = get_backend(name="elasticsearch", url="http://127.0.0.1:9", prefix="kehoach-test")
    with pytest.raises(BackendError, match=r"127\.0\.0\.1:9.*KEHOACH_ES_URL"):
        b.count()


def test_unknown_backend_is_a_clear_error():
    from archive.settings import Settings, SettingsError
    from index.factory import get_backend

    with pytest.raises(SettingsError, match="KEHOACH_BACKEND='solr'"):
        Settings.from_env({"KEHOACH_BACKEND": "solr"})
    with pytest.raises(ValueError, match="solr"):
        get_backend(name="solr")


@pytest.mark.slow
def test_elasticsearch_rebuild_swaps_the_aliases(osmem_base, sample_docs):
    import uuid
    from index.factory import get_backend

    prefix = f"kehoach-test-{uuid.uuid4().hex[:8]}"
    b = get_backend(name="elasticsearch", url=osmem_base.url, prefix=prefix, node_class=_plain_json_node_class())
    try:
        for d in sample_docs[:2]:
            b.upsert(*d)
        b.commit()
        assert set(b._versions("plans").values()) == {1}
        assert b.rebuild(iter(sample_docs)) == len(sample_docs)
        assert set(b._versions("plans").values()) == {2}  # the old version is gone
        assert list(b.es.indices.get_alias(name=f"{prefix}-plans").body) == [f"{prefix}-plans-v2"]
        assert b.count() == len(sample_docs)
    finally:
        b.es.indices.delete(index=f"{prefix}-*", ignore_unavailable=True, allow_no_indices=True)
        b.close()


def test_embedded_rebuild_keeps_the_old_index_until_done(tmp_path, sample_docs):
    from index.factory import get_backend

    b = get_backend(tmp_path, "embedded")
    b.upsert(*sample_docs[0])
    b.commit()
    reader = get_backend(tmp_path, "embedded")  # another process's view, e.g. the API server

    def docs():
        for d in sample_docs:
            assert reader.count() == 1  # still the old index while the new one is written
            yield d

    assert b.rebuild(docs()) == len(sample_docs)
    assert reader.count() == len(sample_docs)  # follows CURRENT
    assert len([p for p in (tmp_path / "tantivy").iterdir() if p.is_dir()]) == 1


def test_embedded_index_of_an_older_schema_starts_empty(tmp_path, sample_docs):
    from index.factory import get_backend

    old = tmp_path / "tantivy" / "v0"
    old.mkdir(parents=True)
    (tmp_path / "tantivy" / "CURRENT").write_text("v0")
    b = get_backend(tmp_path, "embedded")
    assert b.count() == 0 and not old.exists()
    b.upsert(*sample_docs[0])
    b.commit()
    assert get_backend(tmp_path, "embedded").count() == 1


def test_counts_and_facets_follow_every_write(backend, sample_docs):
    """Counts and facets may be cached (tantivy keeps a request cache, as Elasticsearch does for
    size=0 requests): a write in this backend, or in another one on the same index, shows."""
    req = SearchRequest(q="giảm nghèo", size=0)
    for plan_doc, clause_docs in sample_docs[:2]:
        backend.upsert(plan_doc, clause_docs)
    backend.commit()
    before = backend.search(req)
    assert before.total == 2 and backend.search(req).facets == before.facets
    backend.upsert(*sample_docs[2])
    backend.commit()
    after = backend.search(req)
    assert after.total == 3
    assert sum(v.count for v in after.facets["province"]) > sum(v.count for v in before.facets["province"])
    if backend.name == "embedded":  # another process's backend on the same folder
        from index.factory import get_backend

        other = get_backend(backend.root.parent, "embedded")
        other.delete(sample_docs[0][0]["plan_id"])
        other.commit()
        assert backend.search(req).total == 2
