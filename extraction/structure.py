"""Stage 2, structure: heading tree, clauses, Dự án, program. (owner: structure helper; placeholder)"""
from __future__ import annotations
from dataclasses import dataclass, field
from .model import Clause, DuAn, Section
from .normalize import Normalized


@dataclass
class Structure:
    sections: list[Section] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    du_an: list[DuAn] = field(default_factory=list)
    program_code: str | None = None

    def clause_at(self, pos: int) -> Clause | None:
        """The clause containing clean-text offset pos (clause offsets here are clean-text offsets)."""
        for c in self.clauses:
            if c.start <= pos < c.end:
                return c
        return None


def parse(norm: Normalized) -> Structure:
    return Structure()


def looks_like_plan(norm, struct, plan) -> tuple[bool, str]:
    return True, ""
