"""The house plan, checked: corpus < extraction < index < archive < api < kehoach.

A module imports only its own layer or those below it (lazy imports inside functions count
too), and only archive/settings.py reads the environment (the benchmark passes variables to
the server it starts; a worker may set one for itself).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("corpus", "extraction", "index", "archive", "api", "kehoach")
ENV_READERS = {"archive/settings.py", "kehoach/bench.py"}


def modules() -> list[Path]:
    return sorted(p for layer in LAYERS for p in (ROOT / layer).rglob("*.py"))


def imported_layers(tree: ast.AST) -> set[str]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.add(node.module.split(".")[0])
    return out & set(LAYERS)


def environ_reads(tree: ast.AST) -> list[int]:
    """Lines reading os.environ / os.getenv (an assignment os.environ[...] = ... is a write)."""
    written = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Subscript) and isinstance(n.ctx, ast.Store)}
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv") \
                and isinstance(node.value, ast.Name) and node.value.id == "os" and id(node) not in written:
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_imports_a_layer_above_its_own(path):
    layer = path.relative_to(ROOT).parts[0]
    above = {name for name in imported_layers(ast.parse(path.read_text(encoding="utf-8")))
             if LAYERS.index(name) > LAYERS.index(layer)}
    assert not above, f"{path.relative_to(ROOT)} ({layer}) imports {sorted(above)}"


def test_only_the_settings_module_reads_the_environment():
    readers = {}
    for path in modules():
        rel = str(path.relative_to(ROOT))
        lines = environ_reads(ast.parse(path.read_text(encoding="utf-8")))
        if lines and rel not in ENV_READERS:
            readers[rel] = lines
    assert not readers, f"os.environ read outside archive/settings.py: {readers}"
