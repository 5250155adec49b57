"""Property-based tests: arbitrary strings and arbitrary in-range layout numbers either
render with every line inside its panel, or fail with a clear error. Never a crash.

Fixed seed (derandomize) and a bounded number of examples, so CI is repeatable.
"""

from __future__ import annotations

import dataclasses
import os
import random
import shutil
import tempfile
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from infogen.api import Renderer, export
from infogen.diagnostics import InfogenError
from infogen.model.layout import Layout
from infogen.model.schema import bounds, tagged_union, union_options
from infogen.project import Project
from infogen.units import Pt

from conftest import ROOT
from scene_tools import groups, ink_box, panel_rect, run_box, runs

SETTINGS = settings(
    derandomize=True,
    max_examples=int(os.environ.get("INFOGEN_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@contextmanager
def fresh_project() -> Iterator[Path]:
    """A new copy of the project for each example (fixtures are shared between examples)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("data", "layouts"):
            shutil.copytree(ROOT / name, root / name)
        (root / "fonts").mkdir()
        yield root


def render_or_fail_clearly(project: Path, lang: str) -> None:
    try:
        scene = Renderer(Project(project)).scene("default", lang)
    except InfogenError as exc:
        event("failed clearly")
        assert exc.diagnostics and all(d.message for d in exc.diagnostics)
        assert exc.format().strip() and "Traceback" not in exc.format()
        return
    event("rendered")
    layout = Project(project).load_layout("default")
    pad = layout.panels["card"].padding
    left, right = (pad.right, pad.left) if scene.lang == "ar" else (pad.left, pad.right)
    for panel in groups(scene, "panel"):
        rect = panel_rect(panel)
        inner = rect.inset(pad.top, right, pad.bottom, left)
        for run in runs(panel):
            box = ink_box(run)
            assert box is None or (rect.contains(box, tolerance=0.05) and inner.y - 0.05 <= box.y
                                   and box.bottom <= inner.bottom + 0.05), (panel.id, run.text)  # fmt: skip
            advance = run_box(run)  # horizontally, the glyphs' advances stay inside the padding
            assert inner.x - 0.05 <= advance.x and advance.right <= inner.right + 0.05, (panel.id, run.text)
    assert export(scene, "pdf").startswith(b"%PDF") and b"<svg" in export(scene, "svg")


# --- Arbitrary Unicode in string fields ------------------------------------------


def covered_characters() -> str:
    """Characters both default fonts have: most generated strings should be renderable."""
    from infogen.text.fonts import FontLibrary

    library = FontLibrary(Path(__file__).resolve().parent.parent / "fonts")
    regular = library.find("Source Sans Pro", 400).codepoints
    bold = library.find("Source Sans Pro", 700).codepoints
    return "".join(chr(c) for c in sorted(regular & bold) if c > 0x20 or c == 0x20)


COVERED = covered_characters()
TEXT = st.one_of(
    st.text(st.sampled_from(COVERED), min_size=0, max_size=120),  # renderable, mostly
    st.text(st.characters(codec="utf-8"), min_size=0, max_size=80),  # anything at all
)
FIELDS = ["heading", "intro", "credits", "group", "title", "bullet"]


@SETTINGS
@given(field=st.sampled_from(FIELDS), text=TEXT, seed=st.integers(0, 1000))
def test_any_unicode_in_any_string_field(field, text, seed):
    with fresh_project() as project:
        edit_strings(project, "en", field, text, seed)
        render_or_fail_clearly(project, "en")


# Right-to-left and CJK text through the bidi, font-fallback and kinsoku paths: Arabic and
# Japanese letters, Latin, digits, brackets and punctuation of both scripts, mixed.
MIXED = st.text(
    st.sampled_from("بمجموعةالذكاءالاصطناعي،؟ «»()[] 2024 AI-é公共部門のデジタル「」、。ー・ "),
    min_size=1,
    max_size=120,
)


@SETTINGS
@given(
    lang=st.sampled_from(["ar", "ja"]), field=st.sampled_from(FIELDS), text=MIXED, seed=st.integers(0, 1000)
)
def test_mixed_scripts_in_right_to_left_and_cjk_languages(lang, field, text, seed):
    with fresh_project() as project:
        edit_strings(project, lang, field, text, seed)
        render_or_fail_clearly(project, lang)


def edit_strings(project_copy: Path, lang: str, field: str, text: str, seed: int) -> None:
    path = project_copy / "data" / "lang" / f"{lang}.yaml"
    data = yaml.safe_load(path.read_text())
    pick = random.Random(seed)
    theme = pick.choice(sorted(data["themes"]))
    if field == "heading":
        data["heading"] = text
    elif field == "intro":
        data["intro"][pick.randrange(len(data["intro"]))] = text
    elif field == "credits":
        data["credits"] = text
    elif field == "group":
        data["groups"][pick.choice(sorted(data["groups"]))] = text
    elif field == "title":
        data["themes"][theme]["title"] = text
    else:
        data["themes"][theme]["bullets"][pick.randrange(3)] = text
    path.write_text(yaml.safe_dump(data, allow_unicode=True))


# --- Arbitrary layout numbers within their documented ranges ---------------------


def numeric_keys(tp: typing.Any, node: typing.Any, prefix: tuple = (), meta: dict | None = None) -> list:
    """(path in the YAML data, type, low, high) for every numeric value of the default layout,
    through lists, named entries and tagged unions (regions, panel parts)."""
    kinds = tagged_union(tp) if typing.get_origin(tp) not in (tuple, list) else None
    options = union_options(tp)
    if kinds and isinstance(node, dict):
        return numeric_keys(kinds[node["kind"]], node, prefix)
    if len(options) == 1:
        return numeric_keys(options[0], node, prefix, meta)
    if typing.get_origin(tp) in (tuple, list) and isinstance(node, list):
        return [
            k
            for i, child in enumerate(node)
            for k in numeric_keys(typing.get_args(tp)[0], child, (*prefix, i))
        ]
    if typing.get_origin(tp) is dict and isinstance(node, dict):
        return [
            k
            for name, child in node.items()
            for k in numeric_keys(typing.get_args(tp)[1], child, (*prefix, name))
        ]
    if dataclasses.is_dataclass(tp) and isinstance(node, dict) and tp.__name__ != "Colour":
        hints = typing.get_type_hints(tp)
        return [
            k
            for spec in dataclasses.fields(tp)
            if spec.name in node
            for k in numeric_keys(
                hints[spec.name], node[spec.name], (*prefix, spec.name), dict(spec.metadata)
            )
        ]
    if tp in (Pt, int, float) and meta is not None:
        low, high = bounds(tp, meta)
        return [(prefix, tp, low if low is not None else 0, high)]
    return []


DEFAULT_LAYOUT = yaml.safe_load((ROOT / "layouts" / "default.yaml").read_text())
NUMERIC = [k for k in numeric_keys(Layout, DEFAULT_LAYOUT) if k[3] is not None]


@SETTINGS
@given(
    changes=st.lists(
        st.tuples(st.sampled_from(range(len(NUMERIC))), st.booleans(), st.floats(0, 1)),
        min_size=1,
        max_size=4,
    )
)
def test_any_layout_numbers_within_their_documented_ranges(changes):
    with fresh_project() as project:
        edit_layout(project, changes)
        render_or_fail_clearly(project, "nl")


def edit_layout(project_copy: Path, changes: list[tuple[int, bool, float]]) -> None:
    path = project_copy / "layouts" / "default.yaml"
    data = yaml.safe_load(path.read_text())
    for index, anywhere, fraction in changes:
        key_path, tp, low, high = NUMERIC[index]
        target = data
        for part in key_path[:-1]:
            target = target[part]
        if anywhere:  # anywhere in the documented range
            value = low + fraction * (high - low)
        else:  # a designer's tweak: within 40% of the default
            default = float(str(target[key_path[-1]]).removesuffix("pt").removesuffix("mm"))
            default *= 72 / 25.4 if str(target[key_path[-1]]).endswith("mm") else 1
            value = min(high, max(low, default * (0.6 + 0.8 * fraction)))
        target[key_path[-1]] = f"{value:.4f}pt" if tp is Pt else (round(value) if tp is int else value)
    path.write_text(yaml.safe_dump(data, allow_unicode=True))


def test_the_numeric_keys_are_found():
    paths = {".".join(map(str, k[0])) for k in NUMERIC}
    expected = {
        "page.bleed",
        "panels.card.padding.top",
        "styles.bullet.size",
        "body.2.fit.step",
        "body.0.gap",
    }
    assert expected <= paths
