"""The designer's debug overlay (export/debug.py): region and panel boxes recorded by the
layout in `Scene.debug`, fit ratios, baselines, and the page underneath unchanged.

Most tests use the tiny project (tests/fixtures/tiny, set in the square test font: a
line at size s is s tall with its baseline 0.8·s below its top), so every box and every
ratio can be worked out from the Scene independently of the layout code.
"""

from __future__ import annotations

import ast
import hashlib
import math
import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from infogen.api import Renderer, export
from infogen.export.debug import NEARLY_FULL, export_debug_svg, ratio_label
from infogen.layout.geometry import Rect
from infogen.model.regions import Band, Region, Row, Stack
from infogen.project import Project
from infogen.scene import DebugBox, GlyphRun, Group, Scene, walk

from scene_tools import groups, panel_rect, path_bounds, runs
from squarefont import write_square_fonts

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tiny"
SRC = Path(__file__).resolve().parent.parent / "src" / "infogen"
SVG = "{http://www.w3.org/2000/svg}"
THEMES = ["a-one", "a-two", "b-one"]
PAD = 2.0  # both panel designs of tiny.yaml: 2pt padding all round

# Every region kind, nested: a band with padding (uneven, to see it mirror), a row of a
# stack and balanced columns, a rule, a growing spacer and a grid.
EVERY_KIND: list[dict[str, Any]] = [
    {
        "kind": "band",
        "background": "#102030",
        "padding": {"top": "2pt", "right": "3pt", "bottom": "4pt", "left": "5pt"},
        "items": [{"kind": "text", "text": "heading", "style": "heading", "role": "heading"}],
    },
    {
        "kind": "row",
        "widths": [1, 1],
        "gap": "10pt",
        "items": [
            {
                "kind": "stack",
                "gap": "2pt",
                "items": [
                    {"kind": "text", "text": "credits", "style": "body"},
                    {"kind": "rule", "thickness": "1pt", "colour": "#CCCCCC"},
                ],
            },
            {
                "kind": "columns",
                "text": "intro",
                "style": "body",
                "columns": 2,
                "gap": "5pt",
                "paragraph_gap": "2pt",
            },
        ],
    },
    {"kind": "spacer", "height": "4pt", "grow": True},
    {
        "kind": "grid",
        "themes": "all",
        "group_by": "none",
        "arrange": "rows",
        "columns": 2,
        "rows": "content",
        "gap": "4pt",
        "group_gap": "6pt",
        "panel": "plain",
        "fit": {"mode": "uniform", "min_size": "4pt", "step": "0.25pt", "unhyphenated_within": "0pt"},
    },
    {"kind": "spacer", "height": "30pt"},
]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Renderer:
    root = tmp_path_factory.mktemp("tiny-debug") / "project"
    shutil.copytree(FIXTURE, root)
    write_square_fonts(root / "fonts")
    text = yaml.safe_dump({"extends": "layouts/tiny.yaml", "body": EVERY_KIND}, sort_keys=False)
    (root / "layouts" / "every-kind.yaml").write_text(text)
    return Renderer(Project(root))


LAYOUTS = ["tiny", "every-kind"]
CASES = [(layout, lang) for layout in LAYOUTS for lang in ("en", "xr")]  # xr: mirrored


def region_keys(regions: tuple[Region, ...], prefix: str = "body") -> list[tuple[str, str]]:
    """(kind, key path) of every region of a body tree, depth first."""
    found = []
    for i, region in enumerate(regions):
        key = f"{prefix}[{i}]"
        found.append((region.kind, key))
        if isinstance(region, (Stack, Band, Row)):
            found += region_keys(region.items, f"{key}.items")
    return found


def overlay(scene: Scene) -> ET.Element:
    return ET.fromstring(export_debug_svg(scene))


def with_class(root: ET.Element, tag: str, cls: str) -> list[ET.Element]:
    return [e for e in root.iter(SVG + tag) if cls in e.get("class", "").split()]


def outline(element: ET.Element) -> tuple[float, float, float, float]:
    """x, y, width, height of an overlay box drawn as 'Mx yHx1Vy1Hx Z'."""
    d = element.get("d", "")
    x, y = (float(v) for v in d[1 : d.index("H")].split())
    x1 = float(d[d.index("H") + 1 : d.index("V")])
    y1 = float(d[d.index("V") + 1 : d.rindex("H")])
    return (x, y, x1 - x, y1 - y)


def close(a: tuple[float, ...], b: tuple[float, ...], tolerance: float = 0.002) -> bool:
    return all(abs(p - q) <= tolerance for p, q in zip(a, b, strict=True))


def as_tuple(r: Rect) -> tuple[float, float, float, float]:
    return (r.x, r.y, r.width, r.height)


# --- (a) one box per region and per panel, labelled with key paths ---


@pytest.mark.parametrize(("layout", "lang"), CASES)
def test_one_box_per_region_of_the_body_tree_labelled_with_its_key_path(tiny, layout, lang):
    scene = tiny.scene(layout, lang)
    expected = region_keys(tiny.layout(layout).body)
    root = overlay(scene)
    boxes = [(e.get("data-kind"), e.get("data-key")) for e in with_class(root, "path", "debug-region")]
    assert sorted(boxes) == sorted(expected)
    labels = {(e.get("data-kind"), "".join(e.itertext())) for e in with_class(root, "g", "debug-label")}
    assert set(expected) <= labels
    # Every kind of region is there in the variant.
    if layout == "every-kind":
        kinds = {kind for kind, _ in expected}
        assert kinds == {"band", "row", "stack", "text", "rule", "columns", "spacer", "grid"}


@pytest.mark.parametrize(("layout", "lang"), CASES)
def test_one_box_per_panel_exactly_on_the_panel_with_its_padding(tiny, layout, lang):
    scene = tiny.scene(layout, lang)
    root = overlay(scene)
    drawn = {e.get("data-key"): outline(e) for e in with_class(root, "path", "debug-panel")}
    assert sorted(drawn) == sorted(f"themes.{t}" for t in THEMES)
    padding = {e.get("data-key"): outline(e) for e in with_class(root, "path", "debug-padding")}
    for panel in groups(scene, "panel"):
        box = as_tuple(panel_rect(panel))  # the panel's tinted background
        assert close(drawn[f"themes.{panel.id}"], box), panel.id
        x, y, w, h = box
        assert close(padding[f"themes.{panel.id}"], (x + PAD, y + PAD, w - 2 * PAD, h - 2 * PAD))
        labels = [
            e for e in with_class(root, "g", "debug-label") if e.get("data-key") == f"themes.{panel.id}"
        ]
        assert ["".join(e.itertext()) for e in labels] == [f"themes.{panel.id}"]


@pytest.mark.parametrize("lang", ["en", "xr"])
def test_region_boxes_are_where_their_content_is_drawn(tiny, lang):
    scene = tiny.scene("every-kind", lang)
    boxes = {b.key: b for b in scene.debug if b.kind != "panel"}
    # The body fills the frame (10pt margins on a 200 x 300pt page), top to bottom.
    assert boxes["body[0]"].rect[:3] == (10, 10, 180) and boxes["body[0]"].rect[3] == 20 + 2 + 4
    last = boxes["body[4]"].rect
    assert math.isclose(last[1] + last[3], 290)
    # The band's padding mirrors with the page: 5pt at the start, 3pt at the end.
    band = boxes["body[0]"]
    assert band.inner is not None
    start = (10 + 3, 10 + 2) if lang == "xr" else (10 + 5, 10 + 2)
    assert band.inner[:2] == start and band.inner[2:] == (180 - 8, 20)
    # The heading starts at the content box's start edge, its baseline 0.8·20pt below its top.
    heading = runs(groups(scene, "heading")[0])
    assert {r.y for r in heading} == {10 + 2 + 16}
    if lang == "xr":
        assert math.isclose(max(r.x + r.advance for r in heading), band.inner[0] + band.inner[2])
    else:
        assert math.isclose(min(r.x for r in heading), band.inner[0])
    # Each text region's lines lie in its box.
    for group in groups(scene, "credits") + groups(scene, "columns"):
        key = "body[1].items[0].items[0]" if group.kind == "credits" else "body[1].items[1]"
        x, y, w, h = boxes[key].rect
        for run in runs(group):
            assert x - 0.01 <= run.x and run.x + run.advance <= x + w + 0.01
            assert y <= run.y - 0.8 * run.size and run.y + 0.2 * run.size <= y + h + 0.01
    # The grid's box holds its panels.
    x, y, w, h = boxes["body[3]"].rect
    for panel in groups(scene, "panel"):
        assert Rect(x, y, w, h).contains(panel_rect(panel))


# --- (b) fit ratios ---


def content_height(panel: Group) -> float:
    """The height the panel's content needs, from the Scene: from the panel's top to the
    bottom of its lowest line (or badge), plus the bottom padding."""
    top = panel_rect(panel).y
    bottom = max(run.y + 0.2 * run.size for run in runs(panel))
    for badge in (i for i in walk(panel) if isinstance(i, Group) and i.kind == "badge"):
        circle = badge.items[0]
        assert not isinstance(circle, (Group, GlyphRun))
        bottom = max(bottom, path_bounds(circle).bottom)
    return bottom + PAD - top


@pytest.mark.parametrize(("layout", "lang"), CASES)
def test_each_panel_shows_its_fit_ratio(tiny, layout, lang):
    scene = tiny.scene(layout, lang)
    root = overlay(scene)
    shown = {e.get("data-key"): e for e in with_class(root, "g", "debug-ratio")}
    assert sorted(shown) == sorted(f"themes.{t}" for t in THEMES)
    for panel in groups(scene, "panel"):
        expected = content_height(panel) / panel_rect(panel).height
        label = shown[f"themes.{panel.id}"]
        ratio = float(label.get("data-ratio", ""))
        assert 0 < ratio <= 1 + 1e-9
        assert math.isclose(ratio, expected, abs_tol=1e-4), panel.id
        text = "".join(label.itertext())
        assert text == ratio_label(ratio) and 0 <= int(text.rstrip("%")) <= 100
        colours = {e.get("fill") for e in label.iter(SVG + "text")}
        assert colours == ({"#E00000"} if ratio > NEARLY_FULL else {"#D100D1"})


def test_nearly_full_panels_are_shown_red(tiny):
    scene = tiny.scene("tiny", "en")
    boxes = tuple(
        DebugBox("panel", f"themes.p{i}", (10, 10 + 40 * i, 80, 30), (12, 12 + 40 * i, 76, 26), ratio)
        for i, ratio in enumerate((0.5, 0.98, 0.981, 1.0))
    )
    shown = with_class(overlay(replace(scene, debug=boxes)), "g", "debug-ratio")
    texts = [("".join(e.itertext()), {t.get("fill") for t in e.iter(SVG + "text")}) for e in shown]
    magenta, red = {"#D100D1"}, {"#E00000"}
    assert texts == [("50%", magenta), ("98%", magenta), ("98%", red), ("100%", red)]


def test_ratio_labels_round_down():
    assert ratio_label(0.87) == "87%"
    assert ratio_label(0.989) == "98%"
    assert ratio_label(1.0) == "100%"
    assert ratio_label(0.0) == "0%"


# --- (c) baselines ---


@pytest.mark.parametrize(("layout", "lang"), CASES)
def test_one_baseline_per_line_of_text(tiny, layout, lang):
    scene = tiny.scene(layout, lang)
    # A line: the runs of one paragraph (group) on one baseline, from the leftmost to the
    # right end of the rightmost. Left to right, every line is one run in the square font;
    # right to left, each Latin word of the made-up language is a run of its own.
    spans: dict[tuple[int, float], list[GlyphRun]] = {}
    for top in scene.pages[0].items:
        for group in walk(top):
            if isinstance(group, Group):
                for run in group.items:
                    if isinstance(run, GlyphRun):
                        spans.setdefault((id(group), run.y), []).append(run)
    expected = sorted(
        (min(r.x for r in line), y, max(r.x + r.advance for r in line)) for (_, y), line in spans.items()
    )
    all_runs = [r for top in scene.pages[0].items for r in runs(top)]
    assert (len(expected) == len(all_runs)) == (lang == "en")
    lines = with_class(overlay(scene), "line", "debug-baseline")
    drawn = sorted((float(e.get("x1", "")), float(e.get("y1", "")), float(e.get("x2", ""))) for e in lines)
    assert all(e.get("y1") == e.get("y2") for e in lines)
    assert len(drawn) == len(expected)
    assert all(close(a, b) for a, b in zip(drawn, expected, strict=True))


def test_a_line_of_several_runs_has_one_baseline(renderer):
    """Arabic lines with Latin words in them are several runs on one baseline."""
    scene = renderer.scene("default", "ar")
    lines = with_class(overlay(scene), "line", "debug-baseline")
    all_runs = [r for top in scene.pages[0].items for r in runs(top)]
    assert len(lines) < len(all_runs)
    spans = [(float(e.get("x1", "")), float(e.get("y1", "")), float(e.get("x2", ""))) for e in lines]
    for run in all_runs:  # every run lies on a drawn baseline
        assert any(
            abs(y - run.y) < 0.002 and x0 - 0.002 <= run.x and run.x + run.advance <= x1 + 0.002
            for x0, y, x1 in spans
        ), run.text
    # One line per (paragraph, baseline): the runs a group has on each baseline.
    per_group = {
        (id(g), r.y)
        for top in scene.pages[0].items
        for g in walk(top)
        if isinstance(g, Group)
        for r in g.items
        if isinstance(r, GlyphRun)
    }
    assert len(lines) == len(per_group)


# --- (d) deterministic, (e) the page itself unchanged ---


def test_the_overlay_is_deterministic(tiny):
    first = export_debug_svg(tiny.scene("every-kind", "en"))
    assert first == export_debug_svg(tiny.scene("every-kind", "en"))
    fresh = Renderer(tiny.project)  # fonts loaded again, layout read again
    assert (
        hashlib.sha256(first).digest()
        == hashlib.sha256(export_debug_svg(fresh.scene("every-kind", "en"))).digest()
    )


@pytest.mark.parametrize(("layout", "lang"), CASES)
def test_the_page_under_the_overlay_is_the_svg_export(tiny, layout, lang):
    scene = tiny.scene(layout, lang)
    plain, debug = ET.fromstring(export(scene, "svg")), overlay(scene)
    assert debug.attrib == plain.attrib
    # The normal drawing, element for element, with the overlay as the last child.
    assert [ET.tostring(e) for e in plain] == [ET.tostring(e) for e in debug][: len(plain)]
    (extra,) = list(debug)[len(plain) :]
    assert extra.get("class") == "debug" and extra.get("aria-hidden") == "true"


@pytest.mark.parametrize(("layout", "lang"), CASES)
def test_normal_exports_do_not_change_with_debug_geometry(tiny, layout, lang):
    scene = tiny.scene(layout, lang)
    assert scene.debug and all(isinstance(b, DebugBox) for b in scene.debug)
    bare = replace(scene, debug=())
    for fmt in ("pdf", "svg", "png"):
        assert export(scene, fmt, dpi=72) == export(bare, fmt, dpi=72), fmt


def test_the_real_project_exports_do_not_change_with_debug_geometry(renderer):
    scene = renderer.scene("default", "en")
    assert len([b for b in scene.debug if b.kind == "panel"]) == len(groups(scene, "panel"))
    bare = replace(scene, debug=())
    for fmt in ("pdf", "svg"):
        assert export(scene, fmt) == export(bare, fmt), fmt


@pytest.mark.parametrize("module", ["pdf.py", "pdfx.py", "png.py", "svg.py", "walk.py"])
def test_page_exporters_never_read_the_debug_geometry(module):
    tree = ast.parse((SRC / "export" / module).read_text())
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "debug"]


def test_debug_is_not_an_export_format(tiny):
    with pytest.raises(ValueError, match="unknown format"):
        export(tiny.scene("tiny", "en"), "debug")


def test_exports_follow_a_font_file_replaced_while_the_process_runs(tmp_path):
    """What exporters keep of a font between renders (reportlab's parsed face, SVG glyph
    outlines) is keyed on the file's bytes: `watch` renders again in the same process
    after a designer replaces a font, and the new outlines must show."""
    from squarefont import ASCENDER, build_square_font

    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    write_square_fonts(root / "fonts")
    before = Renderer(Project(root)).scene("tiny", "en")
    svg_before, pdf_before = export(before, "svg"), export(before, "pdf")
    build_square_font(root / "fonts" / "SquareTest-Regular.ttf", 400, top=ASCENDER // 2)
    build_square_font(root / "fonts" / "SquareTest-Bold.ttf", 700, top=ASCENDER // 2)
    after = Renderer(Project(root)).scene("tiny", "en")
    svg_after, pdf_after = export(after, "svg"), export(after, "pdf")
    assert b"V800" in svg_before or b" 800" in svg_before
    assert svg_after != svg_before and pdf_after != pdf_before
    assert f"{ASCENDER // 2}".encode() in svg_after
