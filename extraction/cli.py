"""`kehoach extract FILE... [--format json|table]`.

JSON: for one file the Plan's dict (keys of ../shared/gold/SCHEMA.md plus spans, clauses,
sections, checks); for several files a list of them. `table`: a summary for a person.
A file that cannot be read gets a one-line error on stderr naming it; the others are still
extracted; the exit code is 1 if any file failed.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "extract",
        help="extract the structured plan (meta, references, amounts, agencies, targets, Dự án) from files",
        description="Extract meta, references, amounts, agencies, targets and Dự án from plan files "
        "(.txt, .md, .docx, .pdf with a text layer, .html).",
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--format", choices=("json", "table"), default="json")
    p.add_argument("--with-text", action="store_true", help="include the loaded text in the JSON")
    p.set_defaults(func=run)


def _load(path: str, max_bytes: int | None = None) -> str:
    from corpus.loaders import load_text

    return load_text(path, max_bytes=max_bytes).text


def run(args: argparse.Namespace) -> int:
    from corpus.loaders import LoadError
    from .pipeline import extract

    failed = 0
    results = []
    limit = getattr(getattr(args, "settings", None), "max_file_bytes", None)  # KEHOACH_MAX_FILE_MB
    for f in args.files:
        try:
            text = _load(f, limit)
        except LoadError as e:
            print(f"kehoach extract: {e}", file=sys.stderr)
            failed += 1
            continue
        except OSError as e:
            print(f"kehoach extract: {f}: {e.strerror or e}", file=sys.stderr)
            failed += 1
            continue
        plan = extract(text, doc=Path(f).name)
        results.append(plan)
        if args.format == "table":
            sys.stdout.write(format_table(plan))
            sys.stdout.write("\n")
    if args.format == "json" and results:
        dicts = [p.to_dict(include_text=args.with_text) for p in results]
        out = dicts[0] if len(args.files) == 1 else dicts
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    return 1 if failed else 0


def _money(vnd: int) -> str:
    if vnd % 10**6 == 0:
        return f"{vnd // 10**6:,}".replace(",", ".") + " triệu đồng"
    return f"{vnd:,}".replace(",", ".") + " đồng"


def format_table(plan) -> str:
    m = plan.meta
    lines = [f"== {plan.doc}" + ("" if plan.is_plan else "  (không giống văn bản kế hoạch)")]
    rows = [
        ("Loại văn bản", m.doc_type), ("Số", m.number), ("Cơ quan ban hành", m.issuer),
        ("Địa phương", ", ".join(x for x in (m.locality.name, m.locality.level, m.locality.province) if x)),
        ("Ngày", m.issue_date or (str(m.issue_year) if m.issue_year else None)),
        ("Trích yếu", m.title), ("Chương trình", m.program), ("Năm kế hoạch", ", ".join(map(str, m.plan_years))),
        ("Người ký", m.signer),
    ]
    for k, v in rows:
        if v:
            lines.append(f"  {k:<18}{v}")
    for w in plan.warnings:
        lines.append(f"  ! {w}")
    if plan.du_an:
        lines.append(f"\n  Dự án ({len(plan.du_an)})")
        for d in plan.du_an:
            indent = "      " if d.parent else "    "
            lines.append(f"{indent}{d.id:<10}{d.name}")
    if plan.amounts:
        lines.append(f"\n  Kinh phí ({len(plan.amounts)})")
        lines.append(f"    {'phạm vi':<10}{'nguồn':<8}{'loại vốn':<11}{'số tiền':>22}")
        for a in plan.amounts:
            lines.append(f"    {a.scope:<10}{a.source:<8}{a.capital or '':<11}{_money(a.value_vnd):>22}")
    bad = [c for c in plan.checks if not c.ok]
    if plan.checks:
        lines.append(f"\n  Kiểm tra tổng ({len(plan.checks) - len(bad)}/{len(plan.checks)} khớp)")
        for c in bad:
            lines.append(f"    ✗ {c.message}")
    if plan.references:
        lines.append(f"\n  Văn bản dẫn chiếu ({len(plan.references)})")
        for r in plan.references:
            lines.append(f"    {r.number or r.title or '':<22} {r.doc_type or '':<12}{r.date or '':<12}{r.relation:<9}{r.issuer or ''}")
    if plan.agencies:
        lines.append(f"\n  Cơ quan ({len(plan.agencies)})")
        for a in plan.agencies:
            roles = ", ".join(sorted({r.role for r in a.roles}))
            lines.append(f"    {a.name}" + (f" [{a.level}]" if a.level else "") + (f" — {roles}" if roles else ""))
    if plan.targets:
        lines.append(f"\n  Chỉ tiêu ({len(plan.targets)})")
        for t in plan.targets:
            val = f"{t.comparator or ''}{t.value:g} {t.unit}"
            lines.append(f"    {t.indicator[:60]:<62}{val:<22}{t.year or ''}")
    return "\n".join(lines) + "\n"
