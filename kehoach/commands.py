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

from archive.format import vn_number, vn_percent
from archive.results import RELAXED_NOTICE, search_json

FACET_NAMES = {"province": "Tỉnh", "locality": "Địa phương", "year": "Năm thực hiện", "program": "Chương trình",
               "du_an": "Dự án"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="trích xuất và lập chỉ mục các tệp, thư mục kế hoạch (cả thư mục con)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--workers", type=int, default=None, help="số tiến trình trích xuất (mặc định: mỗi lõi một)")
    p.add_argument("--json", action="store_true", help="in báo cáo dạng JSON ra stdout")
    p.add_argument("--quiet", action="store_true", help="không hiện thanh tiến độ")
    p.add_argument("--watch", action="store_true",
                   help="theo dõi các thư mục, nạp tệp mới hoặc đã sửa (dừng bằng Ctrl-C)")
    p.add_argument("--interval", type=float, default=5.0, metavar="GIÂY", help="khoảng giữa hai lần xem (mặc định 5)")
    p.add_argument("--cycles", type=int, default=None, metavar="N", help="dừng sau N lần xem (mặc định: đến khi Ctrl-C)")
    p.set_defaults(func=_guard(cmd_ingest, writes=True))

    p = sub.add_parser("reindex", help="lập lại chỉ mục tìm kiếm và điều khoản tương tự từ các bản trích xuất đã lưu")
    p.add_argument("--extract", action="store_true",
                   help="trích xuất lại mọi văn bản đã lưu (sau khi phần trích xuất được cải tiến)")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=_guard(cmd_reindex, writes=True))

    p = sub.add_parser("export", help="ghi kho ra FILE (.jsonl, .jsonl.gz hoặc .tar.gz)")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=_guard(cmd_export))

    p = sub.add_parser("import", help="thêm các kế hoạch của một FILE đã xuất vào kho")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=_guard(cmd_import, writes=True))

    p = sub.add_parser("search", help="tìm toàn văn, kết quả nhóm theo kế hoạch")
    p.add_argument("query", nargs="?", default="", metavar="QUERY")
    _filter_args(p)
    p.add_argument("--amount-min", type=int, help="tổng kinh phí kế hoạch tối thiểu (đồng)")
    p.add_argument("--amount-max", type=int, help="tổng kinh phí kế hoạch tối đa (đồng)")
    p.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    p.add_argument("--page", type=int, default=1)
    p.add_argument("--size", type=int, default=10, help="số kế hoạch mỗi trang")
    p.add_argument("--clauses", type=int, default=1, help="số điều khoản khớp nhất hiện dưới mỗi kế hoạch (mặc định 1)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_guard(cmd_search))

    p = sub.add_parser("compare", help="một Dự án qua các kế hoạch: kinh phí, cơ quan, chỉ tiêu, nội dung")
    p.add_argument("du_an", metavar="DU_AN", help="DA5, Dự án 5, DA4.TDA2, ...; nông thôn mới: ND1 .. ND11")
    p.add_argument("--program", default="gnbv", help="gnbv (mặc định), ntm hoặc dtts")
    _filter_args(p)
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true")
    out.add_argument("--csv", action="store_true")
    p.add_argument("--no-text", action="store_true", help="bỏ nội dung mục")
    p.add_argument("--page", type=int, help="chỉ một trang (từ 1); mặc định mọi kế hoạch. CSV luôn có mọi kế hoạch")
    p.add_argument("--size", type=int, default=50, help="số kế hoạch mỗi trang (mặc định 50, tối đa 500)")
    p.set_defaults(func=_guard(cmd_compare))

    p = sub.add_parser("similar", help="điều khoản trong kho giống TEXT (cho người soạn thảo)")
    p.add_argument("text", metavar="TEXT")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--short", action="store_true", help="cả đề mục và câu dưới 8 từ")
    p.add_argument("--province", action="append", default=[], help="chỉ điều khoản của tỉnh này (lặp lại được)")
    p.add_argument("--level", action="append", default=[], choices=("tỉnh", "huyện", "xã"))
    p.add_argument("--program", action="append", default=[], choices=("gnbv", "ntm", "dtts"))
    p.add_argument("--du-an", action="append", default=[], dest="du_an", help="DA5, gnbv:DA5, DA1.TDA2")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_guard(cmd_similar))

    p = sub.add_parser("cites", help="các kế hoạch trích dẫn một số ký hiệu; --top: văn bản được trích dẫn nhiều nhất")
    p.add_argument("number", nargs="?", metavar="NUMBER", help='ví dụ "90/QĐ-TTg" (viết cách nào cũng được)')
    p.add_argument("--top", type=int, metavar="N", help="N văn bản được trích dẫn nhiều nhất")
    p.add_argument("--replacements", action="store_true", help="các kế hoạch thay thế văn bản khác")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_guard(cmd_cites))

    p = sub.add_parser("chain", help="chuỗi thực hiện một văn bản: các kế hoạch tỉnh, huyện, xã triển khai nó")
    p.add_argument("number", metavar="NUMBER", help='ví dụ "90/QĐ-TTg" (viết cách nào cũng được)')
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_guard(cmd_chain))


def _guard(fn, writes: bool = False):
    """Clear one-line errors instead of tracebacks: a bad argument (2), the engine or the disk (1);
    a reader that stopped reading (`| head`) ends the command quietly."""
    import functools
    hint = " (phần đã lưu được giữ; chạy lại để hoàn tất)" if writes else ""

    @functools.wraps(fn)
    def run(args) -> int:
        from index.base import BackendError
        try:
            return fn(args)
        except BrokenPipeError:
            return _closed_pipe()
        except BackendError as e:
            return _fail(f"bộ máy tìm kiếm: {e}{hint}", 1)
        except ValueError as e:
            return _fail(str(e))
        except OSError as e:
            return _fail(f"{getattr(e, 'filename', None) or ''}: {e.strerror or e}".lstrip(": "), 1)
    return run


def _closed_pipe() -> int:
    """stdout's reader is gone: point stdout at /dev/null so the interpreter's last flush does
    not print 'Broken pipe' either."""
    import os
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 0


def _filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--filter", action="append", default=[], metavar="FIELD=VALUE",
                   help="bộ lọc, lặp lại được (HOẶC trong một trường, VÀ giữa các trường), ví dụ province=Lai Châu")
    p.add_argument("--year-from", type=int)
    p.add_argument("--year-to", type=int)


def parse_filters(items: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for it in items:
        field, sep, value = it.partition("=")
        if not sep or not field.strip() or not value.strip():
            raise ValueError(f"--filter {it!r}: viết dạng TRƯỜNG=GIÁ TRỊ, ví dụ province=Lai Châu")
        out.setdefault(field.strip(), []).append(value.strip())
    return out


def _archive(args):
    from archive.service import Archive
    return Archive.open(settings=args.settings)


def _fail(msg: str, code: int = 2) -> int:
    print(f"lỗi: {msg}", file=sys.stderr)
    return code


def _hit_identity(h) -> str:
    """A search hit as officers name it (the engine's identity line when it gives one)."""
    from archive.identity import identity_of
    return getattr(h, "identity", None) or identity_of(
        doc_type=getattr(h, "doc_type", None), number=getattr(h, "number", None),
        issue_date=getattr(h, "issue_date", None), locality=h.locality, province=h.province)


def _dump(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=1))


# ---- ingest -----------------------------------------------------------------------------

class Progress:
    """Progress on stderr (tqdm): a bar redrawn in place on a terminal, a line every few
    seconds otherwise; a failed file is printed above the bar with its reason."""

    def __init__(self, label: str = "tệp", stream=None, every: float = 2.0):
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
            self.bar.write(f"lỗi: {item.error}", file=self.stream)
        self.bar.update(done - self.bar.n)
        if done >= total:
            self.bar.close()


def cmd_ingest(args) -> int:
    if getattr(args, "watch", False):
        return cmd_watch(args)
    with _archive(args) as archive:
        progress = None if args.quiet else Progress()
        report = archive.ingest(args.paths, on_progress=progress, workers=args.workers)
    c = report.counts()
    if args.json:
        _dump(report.to_dict())
    elif args.quiet:  # failures were not shown by the progress bar
        for it in report.failed:
            print(f"lỗi: {it.error}", file=sys.stderr)
    not_plan = [it for it in report.items if it.status in ("ingested", "replaced") and it.is_plan is False]
    for it in not_plan:
        print(f"không giống kế hoạch (vẫn nạp, có đánh dấu): {it.path}" + (f": {it.note}" if it.note else ""),
              file=sys.stderr)
    print(f"đã nạp {vn_number(c['ingested'], 0)}, không đổi {vn_number(c['unchanged'], 0)}, "
          f"thay bản cũ {vn_number(c['replaced'], 0)}, lỗi {vn_number(c['failed'], 0)}, "
          f"không giống kế hoạch {vn_number(c['not_a_plan'], 0)}; {vn_number(report.elapsed_s, 1)} giây, "
          f"{vn_number(report.plans_per_s, 1)} kế hoạch/giây", file=sys.stderr)
    return 1 if report.failed else 0


def cmd_watch(args) -> int:
    from kehoach import watch
    if args.interval < 0.1 or (args.cycles is not None and args.cycles < 1):
        raise ValueError("--interval phải từ 0,1 giây, --cycles từ 1")
    print(f"đang theo dõi {', '.join(args.paths)} (mỗi {vn_number(args.interval, 1)} giây; Ctrl-C để dừng)",
          file=sys.stderr)
    with _archive(args) as archive:
        taken = watch.watch(archive, args.paths, interval=args.interval, cycles=args.cycles, workers=args.workers,
                            on_report=watch.print_report)
    print(f"đã dừng theo dõi; đã nạp {vn_number(taken, 0)} tệp", file=sys.stderr)
    return 0


def cmd_reindex(args) -> int:
    t0 = time.perf_counter()
    with _archive(args) as archive:
        n = archive.reindex(on_progress=None if args.quiet else Progress("kế hoạch"), extract=args.extract)
    dt = time.perf_counter() - t0
    print(f"đã lập lại chỉ mục {vn_number(n, 0)} kế hoạch trong {vn_number(dt, 1)} giây "
          f"({vn_number(n / dt if dt else 0, 1)} kế hoạch/giây)", file=sys.stderr)
    return 0


def cmd_export(args) -> int:
    with _archive(args) as archive:
        n = archive.export(args.file)
    print(f"đã xuất {vn_number(n, 0)} kế hoạch ra {args.file}", file=sys.stderr)
    return 0


def cmd_import(args) -> int:
    try:
        with _archive(args) as archive:
            rep = archive.import_(args.file)
    except (OSError, ValueError) as e:
        return _fail(str(e))
    for err in rep.errors:
        print(f"bỏ qua: {err}", file=sys.stderr)
    print(f"đã nhập {vn_number(rep.imported, 0)}, đã có {vn_number(rep.unchanged, 0)}, "
          f"bỏ qua {vn_number(len(rep.errors), 0)}", file=sys.stderr)
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
        return _fail(f"bộ máy tìm kiếm: {e}", 1)
    if args.json:
        _dump(search_json(res))
        return 0 if res.total else 1
    tty = sys.stdout.isatty()
    first = (args.page - 1) * args.size
    if not res.total:
        print("Không tìm thấy kế hoạch nào.")
        return 1
    print(f"Tìm thấy {vn_number(res.total, 0)} kế hoạch" + (f" ({vn_number(res.took_ms, 0)} ms)" if res.took_ms else ""))
    if res.relaxed:
        print(RELAXED_NOTICE)
    for i, h in enumerate(res.hits, first + 1):
        where = ", ".join(x for x in (h.locality, h.province) if x)
        print(f"\n{i}. {_hit_identity(h)}")
        if h.title:
            print(f"   {h.title}" + (f"  [{where}]" if where else ""))
        for c in h.clauses:
            print(f"   {c.section or '-'}")
            print(f"     {_terminal_highlight(c.highlight or html.escape(c.text), tty)}")
        if h.more_clauses:
            print(f"   (+{h.more_clauses} đoạn khác khớp trong văn bản này)")
    if res.facets:
        print()
        for name in ("province", "locality", "year", "program", "du_an"):
            vals = res.facets.get(name) or []
            if vals:
                print(f"{FACET_NAMES[name]}: " + ", ".join(f"{v.value} ({vn_number(v.count, 0)})" for v in vals[:8]))
    return 0


# ---- compare, similar, cites --------------------------------------------------------------

def cmd_compare(args) -> int:
    from dataclasses import asdict

    from archive import compare as cmp
    page = None
    try:
        filters = parse_filters(args.filter)
        du_an = cmp.parse_du_an(args.du_an, args.program)
        if args.page is not None and not (args.page >= 1 and 1 <= args.size <= cmp.MAX_PAGE_SIZE):
            raise ValueError(f"--page từ 1, --size từ 1 đến {cmp.MAX_PAGE_SIZE}")
        where = dict(program=args.program, filters=filters, year_from=args.year_from, year_to=args.year_to)
        with _archive(args) as archive:
            if args.csv:  # every row, the same bytes as the web page's and the API's CSV
                chunks = archive.compare_csv(args.du_an, **where)
                rows = None
            elif args.page is not None:
                page = archive.compare_page(args.du_an, page=args.page, size=args.size, with_text=not args.no_text,
                                            **where)
                rows = page.rows
            else:
                rows = archive.compare(args.du_an, with_text=not args.no_text, **where)
    except ValueError as e:
        return _fail(str(e))
    if not cmp.known_du_an(args.program, du_an):
        from extraction import programs
        return _fail(f"không có {cmp.du_an_label(args.program, du_an)} trong "
                     f"{programs.name(args.program) or args.program}", 1)
    if args.csv:
        found = False
        for n, chunk in enumerate(chunks):
            found = found or n > 0  # the first chunk is the header
            sys.stdout.buffer.write(chunk)
        sys.stdout.flush()
        return 0 if found else 1
    total = page.total if page is not None else len(rows)
    if args.json:
        out = []
        for r in rows:
            d = r.to_dict()
            d["identity"] = cmp.row_identity(r)
            d["total_million"] = r.total_vnd / 1_000_000 if r.total_vnd is not None else None
            out.append(d)
        head = {"program": args.program, "du_an": du_an}
        if page is not None:
            head.update(total=page.total, page=page.page, size=page.size, sums=asdict(page.sums))
        _dump({**head, "rows": out})
    elif rows:
        print(f"{cmp.du_an_label(args.program, du_an)} ({args.program}:{du_an})")
        print(cmp.to_text(rows))
        if page is not None:
            first = (page.page - 1) * page.size + 1
            print(f"Hiển thị {vn_number(first, 0)}–{vn_number(first + len(rows) - 1, 0)} trong "
                  f"{vn_number(page.total, 0)} kế hoạch (trang {page.page})")
    elif total:
        print(f"Trang {page.page} không có kế hoạch nào: có {vn_number(total, 0)} kế hoạch, {page.size} mỗi trang.")
    else:
        print(f"Chưa có kế hoạch nào trong kho có {cmp.du_an_label(args.program, du_an)} ({args.program}).")
    return 0 if rows else 1


def cmd_similar(args) -> int:
    if not args.text.strip():
        return _fail("TEXT trống: đưa vào đoạn đang soạn")
    filters = {k: v for k, v in (("province", args.province), ("level", args.level), ("program", args.program),
                                 ("du_an", args.du_an)) if v}
    with _archive(args) as archive:
        hits = archive.similar(args.text, k=args.k, filters=filters, short=args.short)
    if args.json:
        _dump({"hits": [h.to_dict() for h in hits]})
        return 0 if hits else 1
    if not hits:
        print("Không có điều khoản nào đủ giống.")
        return 1
    for i, h in enumerate(hits, 1):
        where = h.identity or ", ".join(x for x in (h.locality, h.province) if x) or h.doc
        more = f"  ({h.repeated})" if h.repeated else ""
        print(f"{i}. {vn_percent(h.score * 100, 0)}  {where}{more}")
        if h.section:
            print(f"   {h.section}")
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
                        target = r.replaced_doc or "(không có trong kho)"
                        print(f"{r.number or r.doc} thay thế {r.replaces}: {target}")
                    if not rows:
                        print("Không có kế hoạch nào thay thế văn bản khác.")
                return 0 if rows else 1
            if args.top or not args.number:
                top = archive.most_cited(args.top or 20)
                if args.json:
                    _dump({"most_cited": [c.to_dict() for c in top]})
                else:
                    for c in top:
                        when = f" ngày {c.date[8:10]}/{c.date[5:7]}/{c.date[:4]}" if c.date and len(c.date) >= 10 else ""
                        print(f"{vn_number(c.count, 0):>6}  {c.number}{when}" + (f"  {c.doc_type}" if c.doc_type else "")
                              + (f" ({c.issuer})" if c.issuer else ""))
                return 0 if top else 1
            rows = archive.cites(args.number)
    except ValueError as e:
        return _fail(str(e))
    # Show the number as it is printed in plans, whatever form the user typed ("90/QD-TTG").
    from extraction.textkeys import canonical_number
    number = canonical_number(args.number) or args.number
    if args.json:
        _dump({"number": number, "query": args.number, "plans": [r.to_dict() for r in rows]})
        return 0 if rows else 1
    if not rows:
        print(f"Chưa có kế hoạch nào trong kho trích dẫn {number}.")
        return 1
    print(f"{vn_number(len(rows), 0)} kế hoạch trích dẫn {number}")
    for r in rows:
        where = ", ".join(x for x in (r.locality, r.province) if x)
        name = getattr(r, "identity", None) or f"{r.title or r.doc}" + (f" [{where}]" if where else "")
        print(f"  {name}" + (f"  ({r.relation})" if r.relation else ""))
    return 0


def cmd_chain(args) -> int:
    """The tree from a decision down to the plans carrying it out (who cites whom, by level)."""
    try:
        with _archive(args) as archive:
            root = archive.chain(args.number)
    except ValueError as e:
        return _fail(str(e))
    if args.json:
        _dump(root.to_dict())
        return 0 if root.children else 1
    print(root.identity + ("" if root.plan_id else "  (văn bản không có trong kho)"))
    if not root.children:
        print("Chưa có kế hoạch nào trong kho triển khai văn bản này.")
        return 1

    def show(node, prefix: str) -> None:
        for i, ch in enumerate(node.children):
            last = i == len(node.children) - 1
            where = ", ".join(x for x in (ch.locality if ch.locality != ch.province else None, ch.province) if x)
            print(f"{prefix}{'└─ ' if last else '├─ '}[{ch.level or '?'}] {ch.identity}" + (f" ({where})" if where else ""))
            show(ch, prefix + ("   " if last else "│  "))

    show(root, "")
    print(f"{vn_number(root.count(), 0)} kế hoạch")
    return 0
