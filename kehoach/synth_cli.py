"""`kehoach corpus synth --plans N --out DIR [--seed S]`: synthetic plans for scale tests.

See kehoach/synth.py for how plans are made. Plan i is the same for a seed whatever N is.
"""
from __future__ import annotations

import argparse
import sys
import time


def register(subparsers) -> None:
    p = subparsers.add_parser("corpus", help="corpus tools (synthetic plans)",
                              description="Corpus tools.")
    sub = p.add_subparsers(dest="corpus_command", metavar="SUBCOMMAND")
    sub.required = True
    s = sub.add_parser("synth", help="write N synthetic plan texts made from the sample plans",
                       description="Write N synthetic plans (plan_000000.txt, ...) and manifest.jsonl into DIR: "
                       "the sample plans' sections recombined with real provinces/districts, years 2016-2025, "
                       "the three programs and amounts that add up. Deterministic for a seed.")
    s.add_argument("--plans", type=int, required=True, metavar="N")
    s.add_argument("--out", required=True, metavar="DIR")
    s.add_argument("--seed", type=int, default=0, metavar="S")
    s.set_defaults(func=run_synth)


def run_synth(args: argparse.Namespace) -> int:
    from .synth import SynthError, synth_corpus

    if args.plans < 0:
        print(f"kehoach corpus synth: --plans must be >= 0, got {args.plans}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    try:
        paths = synth_corpus(args.plans, args.out, seed=args.seed)
    except (SynthError, OSError) as e:
        print(f"kehoach corpus synth: {e}", file=sys.stderr)
        return 1
    chars = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} plans ({chars / 1e6:.1f} MB) to {args.out} in {time.perf_counter() - t0:.1f} s",
          file=sys.stderr)
    return 0
