"""Commands over the archive: ingest, reindex, export, import, search, compare, similar, cites.

Every command reads the archive under KEHOACH_DATA (default ./data) with the backend of
KEHOACH_BACKEND, and takes --json for machine-readable output.
"""
from __future__ import annotations

import argparse
import html
import json
import sys
import time
from typing import Any

from archive.results import search_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="extract and index plan files and folders (recursive)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--workers", type=int, default=None, help="extraction processes (default: one per core)")
    p.add_argument("--json", action="store_true", help="print the report as JSON on stdout")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_guard(cmd_ingest, writes=True))

    p = sub.add_parser("reindex", help="rebuild the search and similar-clause indexes from the stored extractions")
    p.add_argument("--extract", action="store_true",
                   help="also extract every stored text again (after extraction improved)")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=_guard(cmd_reindex, writes=True))

    p = sub.add_parser("export", help="write the archive to FILE (.jsonl, .jsonl.gz or .tar.gz)")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=_guard(cmd_export))

    p = sub.add_parser("import", help="add the plans of an exported FILE to the archive")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=_guard(cmd_import, writes=True))

    p = sub.add_parser("search", help="full-text search, results grouped by plan")
    p.add_argument("query", nargs="?", default="", metavar="QUERY")
    _filter_args(p)
    p.add_argument("--amount-min", type=int, help="plan total budget at least (đồng)")
    p.add_argument("--amount-max", type=int, help="plan total budget at most (đồng)")
    p.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    p.add_argument("--page", type=int, default=1)
    p.add_argument("--size", type=int, default=10, help="plans per page")
    p.add_argument("--clauses", type=int, default=2, help="best clauses shown per plan")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_guard(cmd_search))

    p = sub.add_parser("compare", help="one Dự án across plans: amounts, agencies, targets, text")
    p.add_argument("du_an", metavar="DU_AN", help="DA5, DA4.TDA2, ...; nông thôn mới: ND1 .. ND11")
    p.add_argument("--program", default="gnbv", help="gnbv (default), ntm or dtts")
    _filter_args(p)
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true")
    out.add_argument("--csv", action="store_true")
    p.add_argument("--no-text", action="store_true", help="leave out the section text")
    p.set_defaults(func=_guard(cmd_compare))

    p = sub.add_parser("similar", help="clauses of archived plans similar to TEXT (for drafters)")
    p.add_argument("text", metavar="TEXT")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_guard(cmd_similar))

    p = sub.add_parser("cites", help="plans citing a document number; --top for the most cited")
    p.add_argument("number", nargs="?", metavar="NUMBER", help='e.g. "90/QĐ-TTg" (any written form)')
    p.add_argument("--top", type=int, metavar="N", help="the N most cited documents")
    p.add_argument("--replacements", action="store_true", help="plans that replace (thay thế) others")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_guard(cmd_cites))


def _guard(fn, writes: bool = False):
    """Clear one-line errors instead of tracebacks: a bad argument (2), the engine or the disk (1)."""
    import functools
    hint = " (what was stored is kept; rerun to complete)" if writes else ""

    @functools.wraps(fn)
    def run(args) -> int:
        from index.base import BackendError
        try:
            return fn(args)
        except BackendError as e:
            return _fail(f"search engine: {e}{hint}", 1)
        except ValueError as e:
            return _fail(str(e))
        except OSError as e:
            return _fail(f"{getattr(e, 'filename', None) or ''}: {e.strerror or e}".lstrip(": "), 1)
    return run


def _filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--filter", action="append", default=[], metavar="FIELD=VALUE",
                   help="facet filter, repeatable (OR within a field, AND across fields)")
    p.add_argument("--year-from", type=int)
    p.add_argument("--year-to", type=int)


def parse_filters(items: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for it in items:
        field, sep, value = it.partition("=")
        if not sep or not field.strip() or not value.strip():
            raise ValueError(f"--filter {it!r}: write it as FIELD=VALUE, e.g. province=Lai Châu")
        out.setdefault(field.strip(), []).append(value.strip())
    return out


def _archive(args):
    from archive.service import Archive
    return Archive.open(settings=args.settings)


def _fail(msg: str, code: int = 2) -> int:
    print(f"error: {msg}", file=sys.stderr)
    return code


def _dump(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=1))


# ---- ingest -----------------------------------------------------------------------------

class Progress:
    """Progress on stderr (tqdm): a bar redrawn in place on a terminal, a line every few
    seconds otherwise; a failed file is printed above the bar with its reason."""

    def __init__(self, label: str = "files", stream=None, every: float = 2.0):
        self.stream = stream or sys.stderr
        self.label = label
        self.every = every
        self.bar = None

    def __call__(self, done: int, total: int, item=None, elapsed: float = 0.0) -> None:
        from tqdm import tqdm

        if self.bar is None:
            tty = self.stream.isatty()
            self.bar = tqdm(total=total, unit=" " + self.label, file=self.stream, dynamic_ncols=tty,
                            mininterval=0.2 if tty else self.every, ascii=not tty, leave=True)
        if item is not None and getattr(item, "status", None) == "failed":
            self.bar.write(f"failed: {item.error}", file=self.stream)
        self.bar.update(done - self.bar.n)
        if done >= total:
            self.bar.close()


def cmd_ingest(args) -> int:
    with _archive(args) as archive:
        progress = None if args.quiet else Progress()
        report = archive.ingest(args.paths, on_progress=progress, workers=args.workers)
    c = report.counts()
    if args.json:
        _dump(report.to_dict())
    elif args.quiet:  # failures were not shown by the progress bar
        for it in report.failed:
            print(f"failed: {it.error}", file=sys.stderr)
    not_plan = [it for it in report.items if it.status in ("ingested", "replaced") and it.is_plan is False]
    for it in not_plan:
        print(f"not a plan (ingested, marked as such): {it.path}" + (f": {it.note}" if it.note else ""),
              file=sys.stderr)
    print(f"ingested {c['ingested']}, unchanged {c['unchanged']}, replaced {c['replaced']}, "
          f"failed {c['failed']}, not a plan {c['not_a_plan']}; {report.elapsed_s:.1f} s, "
          f"{report.plans_per_s:.1f} plans/s", file=sys.stderr)
    return 1 if report.failed else 0


def cmd_reindex(args) -> int:
    t0 = time.perf_counter()
    with _archive(args) as archive:
        n = archive.reindex(on_progress=None if args.quiet else Progress("plans"), extract=args.extract)
    dt = time.perf_counter() - t0
    print(f"reindexed {n} plans in {dt:.1f} s ({n / dt if dt else 0:.1f} plans/s)", file=sys.stderr)
    return 0


def cmd_export(args) -> int:
    with _archive(args) as archive:
        n = archive.export(args.file)
    print(f"exported {n} plans to {args.file}", file=sys.stderr)
    return 0


def cmd_import(args) -> int:
    try:
        with _archive(args) as archive:
            rep = archive.import_(args.file)
    except (OSError, ValueError) as e:
        return _fail(str(e))
    for err in rep.errors:
        print(f"skipped: {err}", file=sys.stderr)
    print(f"imported {rep.imported}, already there {rep.unchanged}, skipped {len(rep.errors)}", file=sys.stderr)
    return 1 if rep.errors else 0


# ---- search -----------------------------------------------------------------------------

def _terminal_highlight(s: str, tty: bool) -> str:
    on, off = ("\033[1m", "\033[0m") if tty else ("«", "»")
    return html.unescape(s.replace("<mark>", on).replace("</mark>", off))


def cmd_search(args) -> int:
    from index.base import BackendError, SearchRequest
    try:
        req = SearchRequest(q=args.query, filters=parse_filters(args.filter), year_from=args.year_from,
                            year_to=args.year_to, amount_min=args.amount_min, amount_max=args.amount_max,
                            sort=args.sort, page=args.page, size=args.size, clauses_per_plan=args.clauses,
                            with_facets=True)
        with _archive(args) as archive:
            res = archive.search(req)
    except ValueError as e:
        return _fail(str(e))
    except BackendError as e:
        return _fail(f"search engine: {e}", 1)
    if args.json:
        _dump(search_json(res))
        return 0
    tty = sys.stdout.isatty()
    first = (args.page - 1) * args.size
    print(f"{res.total} plans" + (f" ({res.took_ms:.0f} ms)" if res.took_ms else ""))
    for i, h in enumerate(res.hits, first + 1):
        where = ", ".join(x for x in (h.locality, h.province, str(h.year) if h.year else None) if x)
        print(f"\n{i}. {h.title or '(no title)'}  [{where}]  {h.doc}")
        for c in h.clauses:
            print(f"   {c.section or '-'}")
            print(f"     {_terminal_highlight(c.highlight or html.escape(c.text), tty)}")
    if res.facets:
        print()
        for name in ("province", "locality", "year", "program", "du_an"):
            vals = res.facets.get(name) or []
            if vals:
                print(f"{name}: " + ", ".join(f"{v.value} ({v.count})" for v in vals[:8]))
    return 0


# ---- compare, similar, cites --------------------------------------------------------------

def cmd_compare(args) -> int:
    from archive import compare as cmp
    try:
        filters = parse_filters(args.filter)
        with _archive(args) as archive:
            rows = archive.compare(args.du_an, program=args.program, filters=filters, year_from=args.year_from,
                                   year_to=args.year_to, with_text=not args.no_text)
        du_an = cmp.parse_du_an(args.du_an, args.program)
    except ValueError as e:
        return _fail(str(e))
    if args.json:
        out = []
        for r in rows:
            d = r.to_dict()
            d["total_million"] = r.total_vnd / 1_000_000 if r.total_vnd is not None else None
            out.append(d)
        _dump({"program": args.program, "du_an": du_an, "rows": out})
    elif args.csv:
        sys.stdout.write(cmp.to_csv(rows))
    else:
        print(f"{args.program}:{du_an}")
        print(cmp.to_text(rows))
    return 0


def cmd_similar(args) -> int:
    if not args.text.strip():
        return _fail("TEXT is empty: give the clause you are drafting")
    with _archive(args) as archive:
        hits = archive.similar(args.text, k=args.k)
    if args.json:
        _dump({"hits": [h.to_dict() for h in hits]})
        return 0
    if not hits:
        print("no similar clause")
    for i, h in enumerate(hits, 1):
        where = ", ".join(x for x in (h.locality, h.province) if x) or h.doc
        more = f"  (in {h.plans} plans, {h.count} times)" if h.count > 1 else ""
        print(f"{i}. {h.score:.2f}  {where}  {h.section or ''}{more}")
        print(f"   {h.text}")
    return 0


def cmd_cites(args) -> int:
    try:
        with _archive(args) as archive:
            if args.replacements:
                rows = archive.replacements()
                if args.json:
                    _dump({"replacements": [r.to_dict() for r in rows]})
                else:
                    for r in rows:
                        target = r.replaced_doc or "(not in the archive)"
                        print(f"{r.doc} ({r.number or 'no number'}) replaces {r.replaces}: {target}")
                    if not rows:
                        print("no plan replaces another")
                return 0
            if args.top or not args.number:
                top = archive.most_cited(args.top or 20)
                if args.json:
                    _dump({"most_cited": [c.to_dict() for c in top]})
                else:
                    for c in top:
                        print(f"{c.count:6d}  {c.number}" + (f"  {c.doc_type}" if c.doc_type else "")
                              + (f" ({c.issuer})" if c.issuer else ""))
                return 0
            rows = archive.cites(args.number)
    except ValueError as e:
        return _fail(str(e))
    # Show the number as it is printed in plans, whatever form the user typed ("90/QD-TTG").
    from extraction.references import canonical_number
    number = canonical_number(args.number) or args.number
    if args.json:
        _dump({"number": number, "query": args.number, "plans": [r.to_dict() for r in rows]})
        return 0
    print(f"{len(rows)} plans cite {number}")
    for r in rows:
        where = ", ".join(x for x in (r.locality, r.province, str(r.year) if r.year else None) if x)
        print(f"  {r.doc}  [{where}]  {r.relation or ''}  {r.title or ''}")
    return 0
