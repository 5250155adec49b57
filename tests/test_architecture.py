"""The import arrows of the design stay true (see the README's "How it works")."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "infogen"

# module (or package) -> top-level names it must never import
FORBIDDEN = {
    "scene.py": {
        "reportlab",
        "svgwrite",
        "click",
        "yaml",
        "infogen.layout",
        "infogen.export",
        "infogen.model",
    },
    "model": {"reportlab", "svgwrite", "click", "infogen.layout", "infogen.export", "infogen.text"},
    "text": {"reportlab", "svgwrite", "click", "yaml", "infogen.layout", "infogen.export"},
    "layout": {"reportlab", "svgwrite", "click", "yaml", "infogen.export", "infogen.source"},
    "export": {"click", "yaml", "infogen.layout", "infogen.model", "infogen.source", "infogen.project"},
    "api.py": {"click"},
    "i18n": {"reportlab", "svgwrite", "click", "infogen.export", "infogen.cli"},
}
ONLY_IN = {
    # The PDF writer: the painter, and what it adds to reportlab's document before writing.
    "reportlab": ("export/pdf.py", "export/tags.py", "export/pdfx.py"),
    "svgwrite": ("export/debug.py",),  # the overlay's shapes; the SVG export writes ElementTree
    "pypdfium2": ("export/png.py",),
    "click": ("cli.py",),
    "polib": ("i18n/po.py",),
    "lxml": ("i18n/xliff.py",),
    "ruamel": ("i18n/yamledit.py",),  # the one module that writes YAML
}


def imports_of(path: Path) -> set[str]:
    """Absolute names imported by a module, relative imports resolved."""
    package = ["infogen", *path.relative_to(SRC).parent.parts]
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                names.add(".".join(base + ([node.module] if node.module else [])))
            else:
                names.add(node.module or "")
    return names


def modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_module_respects_the_design(path):
    relative = path.relative_to(SRC)
    owner = relative.parts[0]
    for name in imports_of(path):
        for forbidden in FORBIDDEN.get(owner, set()):
            assert not (name == forbidden or name.startswith(forbidden + ".")), f"{relative} imports {name}"
        for library, homes in ONLY_IN.items():
            if name == library or name.startswith(library + "."):
                assert str(relative) in homes, (
                    f"only {', '.join(homes)} may import {library}; {relative} does"
                )


# What a cold `render` must not import: each costs start-up time (pikepdf and its models
# ~100 ms, svgwrite ~25 ms, lxml ~20 ms) for a feature this render does not use.
NOT_FOR_A_RENDER = (
    "pikepdf",
    "svgwrite",  # the debug overlay's alone
    "pypdfium2",
    "polib",
    "ruamel",
    "watchfiles",
    "concurrent.futures",
    "lxml",  # fontTools' svgLib imports it (~40 ms): icon paths are read by model/pathdata.py
)


@pytest.mark.parametrize("fmt", ["pdf", "svg"])
def test_a_render_imports_only_what_it_uses(tmp_path, fmt):
    import subprocess
    import sys

    from conftest import ROOT

    script = (
        "import sys\n"
        "from infogen.cli import main\n"
        "try:\n"
        f"    main(['render', '--project', {str(ROOT)!r}, '--lang', 'nl', '--format', {fmt!r},"
        f" '--out', {str(tmp_path)!r}, '-q'])\n"
        "except SystemExit as end:\n"
        "    assert not end.code, end.code\n"
        "print('\\n'.join(sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split())
    assert (tmp_path / f"default-nl.{fmt}").exists()
    unwanted = sorted(m for m in loaded for name in NOT_FOR_A_RENDER if m == name or m.startswith(name + "."))
    assert not unwanted, unwanted
