"""Every region kind and panel part, asserted exactly on the Scene of a tiny project.

The project (tests/fixtures/tiny) is a 200 x 300pt page with 10pt margins, so the frame
the body is laid out in is (10, 10, 180, 280). It is set in a test font whose glyphs are
1-em squares (tests/squarefont.py): a word of n letters at size s is n·s wide, and with a
leading of 1.0 a line is s tall with its baseline 0.8·s below its top. So every position
below is known in advance, to the hundredth of a point. Each test renders a variant of
layouts/tiny.yaml (`extends` it, with another `body`) in a few milliseconds.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image

from infogen.api import Renderer, export
from infogen.diagnostics import ExitCode, InfogenError
from infogen.layout.geometry import Rect, rect_path
from infogen.project import Project
from infogen.scene import (
    Glyph,
    GlyphRun,
    Group,
    Page,
    Scene,
    Transform,
    walk,
)
from infogen.scene import Path as ScenePath
from infogen.units import parse_colour

from scene_tools import groups, panel_rect, path_bounds, run_box, runs
from squarefont import write_square_fonts

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tiny"
PAGE_W, PAGE_H = 200.0, 300.0
FRAME = Rect(10, 10, 180, 280)
THEMES = ["a-one", "a-two", "b-one"]  # data order


# --- The project, and variants of its layout ---


class Tiny:
    """The tiny project in a temporary directory, with its fonts built, and one Renderer
    (fonts loaded once) for every variant."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.renderer = Renderer(Project(root))

    def layout_name(self, changes: dict[str, Any]) -> str:
        """A layout extending tiny.yaml with `changes` merged over it (mappings merge,
        lists such as `body` are replaced), written once under a name made from them."""
        if not changes:
            return "tiny"
        text = yaml.safe_dump({"extends": "layouts/tiny.yaml", **changes}, sort_keys=False)
        name = "variant-" + hashlib.sha1(text.encode()).hexdigest()[:12]
        path = self.root / "layouts" / f"{name}.yaml"
        if not path.exists():
            path.write_text(text)
        return name

    def scene(self, lang: str = "en", **changes: Any) -> Scene:
        return self.renderer.scene(self.layout_name(changes), lang)


@pytest.fixture(scope="session")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Tiny:
    root = tmp_path_factory.mktemp("tiny") / "project"
    shutil.copytree(FIXTURE, root)
    write_square_fonts(root / "fonts")
    return Tiny(root)


def pt(value: float) -> str:
    return f"{value:g}pt"


def text(field: str, style: str = "body", **keys: Any) -> dict[str, Any]:
    return {"kind": "text", "text": field, "style": style, **keys}


def heading(**keys: Any) -> dict[str, Any]:
    """The heading 'AB CD' at 20pt: 100 x 20pt."""
    return text("heading", "heading", **{"role": "heading", "level": 1, **keys})


def credits(**keys: Any) -> dict[str, Any]:
    """The credits 'By Ann for Pub' at 10pt: 140 x 10pt."""
    return text("credits", **keys)


def rule(thickness: float = 2, colour: str = "#000000", **keys: Any) -> dict[str, Any]:
    return {"kind": "rule", "thickness": pt(thickness), "colour": colour, **keys}


def spacer(height: float = 0, **keys: Any) -> dict[str, Any]:
    return {"kind": "spacer", "height": pt(height), **keys}


def grid(**keys: Any) -> dict[str, Any]:
    """A grid of the `plain` panel (no badge), all themes in one block, equal rows."""
    return {
        "kind": "grid",
        "themes": "all",
        "group_by": "none",
        "arrange": "rows",
        "columns": 2,
        "rows": "equal",
        "gap": pt(4),
        "group_gap": pt(6),
        "panel": "plain",
        "fit": {"mode": "uniform", "min_size": pt(4), "step": pt(0.25), "unhyphenated_within": pt(0)},
        **keys,
    }


LABEL = {"style": "label", "height": pt(10), "padding_x": pt(2), "radius": pt(0), "gap": pt(3)}


def box(r: Rect) -> tuple[float, float, float, float]:
    """A rectangle as a tuple, rounded just enough to compare with exact numbers."""
    return (round(r.x, 6), round(r.y, 6), round(r.width, 6), round(r.height, 6))


def the(items: list[Any]) -> Any:
    assert len(items) == 1, items
    return items[0]


def rules(scene: Scene) -> list[Rect]:
    return [path_bounds(g.items[0]) for g in groups(scene, "rule")]


def line_box(items: list[GlyphRun]) -> Rect:
    """The line box of runs on one line (a right-to-left line of Latin words is several runs)."""
    assert len({r.y for r in items}) == 1, [(r.text, r.y) for r in items]
    boxes = [run_box(r) for r in items]
    left, right = min(b.x for b in boxes), max(b.right for b in boxes)
    return Rect(left, boxes[0].y, right - left, boxes[0].height)


def lines(item: Any) -> list[Rect]:
    """The line boxes of a group's text, top to bottom."""
    by_y: dict[float, list[GlyphRun]] = {}
    for run in runs(item):
        by_y.setdefault(run.y, []).append(run)
    return [line_box(by_y[y]) for y in sorted(by_y)]


def all_groups(scene: Scene) -> list[Group]:
    return [g for top in scene.pages[0].items for g in walk(top) if isinstance(g, Group)]


def panels(scene: Scene) -> list[Group]:
    return groups(scene, "panel")


# --- The test font ---


def test_the_square_font_is_found_by_family_and_weight_and_has_exact_metrics(tiny):
    library = tiny.renderer.library
    for weight in (400, 700):
        font = library.find("Square Test", weight)
        assert font.file.family == "Square Test" and font.file.weight == weight
        assert font.file.truetype_outlines and font.file.path.parent == tiny.root / "fonts"
        assert (font.units_per_em, font.ascender, font.descender) == (1000, 800, 200)
        assert (font.cap_height, font.x_height) == (800, 500)
        assert set(range(0x20, 0x7F)) <= font.codepoints
        glyph = font.hb_font.get_nominal_glyph(ord("W"))
        assert font.ink(glyph) == (800, 200)
        assert font.hb_font.get_glyph_h_advance(glyph) == 1000
    regular, bold = (library.find("Square Test", w).id for w in (400, 700))
    assert regular != bold


# --- text ---


def test_text_region_sits_at_the_frame_origin_with_exact_baseline_and_width(tiny):
    scene = tiny.scene(body=[heading()])
    group = the(groups(scene, "heading"))
    assert (group.role, group.level, group.label) == ("heading", 1, "AB CD")
    run = the(runs(group))
    assert (run.text, run.size, run.x, run.y, run.advance) == ("AB CD", 20, 10, 10 + 0.8 * 20, 100)
    assert [g.x for g in run.glyphs] == [0, 20, 40, 60, 80]  # five 1-em advances, the space too
    assert box(run_box(run)) == (10, 10, 100, 20)
    assert run.colour == parse_colour("#000000") and run.lang == "en"


@pytest.mark.parametrize(
    ("align", "lang", "x"),
    [
        ("start", "en", 10),
        ("center", "en", 50),
        ("end", "en", 90),
        ("start", "xr", 90),  # start is the right in a right-to-left language
        ("center", "xr", 50),
        ("end", "xr", 10),
    ],
)
def test_text_alignment(tiny, align, lang, x):
    scene = tiny.scene(lang, body=[heading(align=align)])
    assert box(the(lines(the(groups(scene, "heading"))))) == (x, 10, 100, 20)


def test_text_breaks_into_lines_spaced_by_the_leading(tiny):
    # 10pt, leading 1.5: lines 15pt apart, each 10pt line box centred in its 15pt.
    styles = {"loose": {"font": "regular", "size": pt(10), "leading": 1.5, "colour": "#000000"}}
    scene = tiny.scene(styles=styles, body=[text("intro[2]", "loose"), rule()])
    paragraph = the(groups(scene, "intro"))
    assert paragraph.role == "paragraph" and paragraph.level == 0
    # Six 3-letter words, 4 to the 180pt line at most: the most even breaking is 4 + 2.
    assert [r.text for r in runs(paragraph)] == ["CCC DDD EEE FFF", "GGG HHH"]
    assert [box(b) for b in lines(paragraph)] == [(10, 12.5, 150, 10), (10, 27.5, 70, 10)]
    assert box(the(rules(scene))) == (10, 10 + 30, 180, 2)  # the region is 2 x 15pt tall


def test_a_list_field_is_one_paragraph_per_item_with_the_paragraph_gap(tiny):
    scene = tiny.scene(body=[text("intro", paragraph_gap=pt(3)), rule()])
    paragraphs = groups(scene, "intro")
    assert [p.label for p in paragraphs] == ["AAA", "BBB", "CCC DDD EEE FFF GGG HHH"]
    assert [lines(p)[0].y for p in paragraphs] == [10, 23, 36]
    assert box(the(rules(scene))) == (10, 36 + 20, 180, 2)


def test_an_unknown_content_field_is_refused_with_a_suggestion(tiny):
    with pytest.raises(InfogenError) as info:
        tiny.scene(body=[text("headng")])
    message = info.value.format()
    assert "'headng' is not a content field" in message and "did you mean 'heading'?" in message
    assert "body[0].text" in message


# --- stack and spacer ---


def test_stack_gap_and_spacer_heights(tiny):
    body = [{"kind": "stack", "gap": pt(5), "items": [heading(), spacer(7), credits()]}, rule()]
    scene = tiny.scene(body=body)
    assert box(the(lines(the(groups(scene, "heading"))))) == (10, 10, 100, 20)
    # 20 (heading) + 5 (gap) + 7 (spacer) + 5 (gap)
    assert box(the(lines(the(groups(scene, "credits"))))) == (10, 47, 140, 10)
    assert box(the(rules(scene))) == (10, 57, 180, 2)  # the page's own stack has no gap


def test_a_growing_spacer_pushes_what_follows_to_the_bottom_of_the_frame(tiny):
    scene = tiny.scene(body=[heading(), spacer(grow=True), credits()])
    assert the(lines(the(groups(scene, "credits")))).bottom == FRAME.bottom


def test_growing_spacers_share_the_leftover_height_equally(tiny):
    scene = tiny.scene(body=[heading(), spacer(grow=True), rule(), spacer(4, grow=True), credits()])
    spare = FRAME.height - (20 + 2 + 4 + 10)
    assert box(the(rules(scene))) == (10, 10 + 20 + spare / 2, 180, 2)
    assert the(lines(the(groups(scene, "credits")))).bottom == FRAME.bottom


def test_regions_taller_than_the_frame_fail_clearly(tiny):
    with pytest.raises(InfogenError) as info:
        tiny.scene(body=[heading(), spacer(265)])
    assert info.value.exit_code == ExitCode.RENDER_FAILED
    (problem,) = info.value.diagnostics
    assert problem.message == (
        "language 'en': the regions need 285.0pt (100.5mm) but have 280.0pt (98.8mm) "
        "(the tallest is body[1], 265.0pt (93.5mm)); too tall by 5.0pt (1.8mm)"
    )
    assert "--paper" in problem.hint


def test_nothing_is_stretched_when_nothing_grows(tiny):
    scene = tiny.scene(body=[heading(), credits()])
    assert box(the(lines(the(groups(scene, "credits"))))) == (10, 30, 140, 10)


# --- band ---

PADDING = {"top": pt(4), "right": pt(6), "bottom": pt(5), "left": pt(3)}


def band(*items: dict[str, Any], **keys: Any) -> dict[str, Any]:
    return {
        "kind": "band",
        "background": "#123456",
        "padding": PADDING,
        "gap": pt(2),
        "items": list(items),
        **keys,
    }


def band_background(scene: Scene) -> Rect:
    group = the(groups(scene, "band"))
    background = group.items[0]
    assert isinstance(background, Group) and background.role == "artifact"
    path = the(list(background.items))
    assert path.fill == parse_colour("#123456")
    return path_bounds(path)


def test_band_padding_insets_its_content(tiny):
    scene = tiny.scene(body=[band(heading(), rule(1)), rule(3)])
    group = the(groups(scene, "band"))
    assert group.role == "block"
    # 4 (top) + 20 (heading) + 2 (gap) + 1 (rule) + 5 (bottom) = 32pt tall
    assert box(band_background(scene)) == (10, 10, 180, 32)
    assert box(the(lines(the(groups(scene, "heading"))))) == (10 + 3, 10 + 4, 100, 20)
    inner, after = rules(scene)
    assert box(inner) == (13, 36, 180 - 3 - 6, 1)
    assert box(after) == (10, 42, 180, 3)


@pytest.mark.parametrize(
    ("extend", "expected"),
    [
        ([], (10, 10, 180, 32)),
        (["top"], (10, 0, 180, 42)),
        (["top", "left", "right"], (0, 0, 200, 42)),
        (["left"], (0, 10, 190, 32)),
        (["right"], (10, 10, 190, 32)),
        (["bottom"], (10, 10, 180, 290)),
        (["top", "right", "bottom", "left"], (0, 0, 200, 300)),
    ],
)
def test_band_background_extends_to_the_trim_edges_named(tiny, extend, expected):
    scene = tiny.scene(body=[band(heading(), rule(1), extend=extend)])
    assert box(band_background(scene)) == expected
    # The content stays where the padding puts it, whatever the background does.
    assert box(the(lines(the(groups(scene, "heading"))))) == (13, 14, 100, 20)


def test_band_background_runs_into_the_bleed_where_it_reaches_the_trim(tiny):
    page = {"bleed": pt(3)}
    scene = tiny.scene(page=page, body=[band(heading(), extend=["top", "left"])])
    bleed = 3
    assert box(band_background(scene)) == (-bleed, -bleed, 190 + bleed, 10 + 4 + 20 + 5 + bleed)
    background = the(groups(scene, "page"))
    assert box(path_bounds(background.items[0])) == (-3, -3, 206, 306)


def test_band_extend_and_padding_mirror_on_a_right_to_left_page(tiny):
    scene = tiny.scene("xr", body=[band(heading(), rule(1), extend=["left"])])
    assert box(band_background(scene)) == (10, 10, 190, 32)  # `left` is the right edge now
    # The padding mirrors too: 6pt (right) on the left, 3pt (left) on the right.
    assert box(the(rules(scene))) == (16, 36, 171, 1)
    assert the(lines(the(groups(scene, "heading")))).right == 190 - 3


def test_a_band_grows_with_a_growing_region_inside_it(tiny):
    scene = tiny.scene(body=[band(heading(), spacer(grow=True)), credits()])
    assert box(band_background(scene)) == (10, 10, 180, 270)  # all but the credits' 10pt
    assert the(lines(the(groups(scene, "credits")))).y == 280


# --- row ---


def row(widths: list[float], gap: float, *items: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "row", "widths": widths, "gap": pt(gap), "items": list(items)}


@pytest.mark.parametrize(
    ("widths", "gap", "expected"),
    [
        ([1, 3], 20, [(10, 40), (70, 120)]),
        ([1, 1, 2], 10, [(10, 40), (60, 40), (110, 80)]),
        ([1], 0, [(10, 180)]),
    ],
)
def test_row_splits_the_width_by_its_shares_after_the_gaps(tiny, widths, gap, expected):
    scene = tiny.scene(body=[row(widths, gap, *(rule() for _ in widths))])
    assert the(groups(scene, "row")).role == "block"
    assert [box(r) for r in rules(scene)] == [(x, 10, w, 2) for x, w in expected]


def test_row_mirrors_on_a_right_to_left_page(tiny):
    scene = tiny.scene("xr", body=[row([1, 3], 20, rule(), rule())])
    assert [box(r) for r in rules(scene)] == [(150, 10, 40, 2), (10, 10, 120, 2)]


def test_row_does_not_mirror_when_the_layout_says_not_to(tiny):
    scene = tiny.scene("xr", mirror_rtl=False, body=[row([1, 3], 20, rule(), rule())])
    assert [box(r) for r in rules(scene)] == [(10, 10, 40, 2), (70, 10, 120, 2)]


def test_row_is_as_tall_as_its_tallest_region_and_places_each_in_its_cell(tiny):
    body = [row([1, 1], 20, heading(), credits(align="end")), rule()]
    scene = tiny.scene(body=body)
    # Cells of (180 - 20) / 2 = 80pt: the 100pt heading wraps into two 20pt lines in the
    # first; the credits wrap into two 10pt lines in the second, aligned to its end.
    assert [box(b) for b in lines(the(groups(scene, "heading")))] == [(10, 10, 40, 20), (10, 30, 40, 20)]
    assert [r.text for r in runs(the(groups(scene, "credits")))] == ["By Ann", "for Pub"]
    assert [box(b) for b in lines(the(groups(scene, "credits")))] == [(130, 10, 60, 10), (120, 20, 70, 10)]
    assert box(the(rules(scene))) == (10, 50, 180, 2)  # below the taller cell


def test_row_with_fewer_widths_than_regions_is_refused(tiny):
    with pytest.raises(InfogenError) as info:
        tiny.scene(body=[row([1, 2], 0, rule(), rule(), rule())])
    assert "2 widths for 3 regions" in info.value.format()


# --- columns ---


def columns(count: int, gap: float = 10, **keys: Any) -> dict[str, Any]:
    return {
        "kind": "columns",
        "text": "intro",
        "style": "body",
        "columns": count,
        "gap": pt(gap),
        "paragraph_gap": pt(2),
        **keys,
    }


def test_columns_balance_the_paragraphs_in_order(tiny):
    # Paragraphs 10, 10 and 30pt tall (three lines of two words in an 85pt column):
    # [AAA BBB | CCC...] makes the tallest column 30pt; [AAA | BBB CCC...] would make it 42.
    scene = tiny.scene(body=[columns(2), rule()])
    block = the(groups(scene, "columns"))
    assert block.role == "block"
    paragraphs = groups(scene, "intro")
    assert [p.role for p in paragraphs] == ["paragraph"] * 3
    assert [box(lines(p)[0]) for p in paragraphs] == [(10, 10, 30, 10), (10, 22, 30, 10), (105, 10, 70, 10)]
    assert [box(b) for b in lines(paragraphs[2])] == [(105, y, 70, 10) for y in (10, 20, 30)]
    assert box(the(rules(scene))) == (10, 40, 180, 2)  # the region is its tallest column


def test_columns_are_fewer_when_there_are_fewer_paragraphs(tiny):
    scene = tiny.scene(body=[columns(6, gap=9)])
    # Three columns of (180 - 2·9) / 3 = 54pt: one word to a line in the third.
    paragraphs = groups(scene, "intro")
    assert [lines(p)[0].x for p in paragraphs] == [10, 73, 136]
    assert [b.y for b in lines(paragraphs[2])] == [10, 20, 30, 40, 50, 60]


def test_columns_mirror_on_a_right_to_left_page(tiny):
    scene = tiny.scene("xr", body=[columns(2)])
    paragraphs = groups(scene, "intro")
    # The first column is on the right, and lines start at its right edge.
    assert [lines(p)[0].right for p in paragraphs] == [190, 190, 95]
    assert [box(lines(p)[0]) for p in paragraphs[:2]] == [(160, 10, 30, 10), (160, 22, 30, 10)]


# --- rule ---


@pytest.mark.parametrize(
    ("align", "lang", "x"),
    [("start", "en", 10), ("center", "en", 75), ("end", "en", 140), ("start", "xr", 140), ("end", "xr", 10)],
)
def test_rule_width_align_and_thickness(tiny, align, lang, x):
    scene = tiny.scene(lang, body=[rule(3, "#F0A030", width=pt(50), align=align), rule(1)])
    group = groups(scene, "rule")[0]
    assert group.role == "artifact" and group.items[0].fill == parse_colour("#F0A030")
    assert [box(r) for r in rules(scene)] == [(x, 10, 50, 3), (10, 13, 180, 1)]


def test_a_rule_longer_than_its_room_is_shortened_to_it(tiny):
    scene = tiny.scene(body=[row([1, 1], 20, rule(width=pt(500)), spacer())])
    assert box(the(rules(scene))) == (10, 10, 80, 2)


def test_a_rule_of_no_thickness_draws_nothing_and_takes_no_room(tiny):
    scene = tiny.scene(body=[rule(0), heading()])
    assert rules(scene) == []
    assert the(lines(the(groups(scene, "heading")))).y == 10


# --- grid ---


def check_grid(scene: Scene, room: Rect) -> list[Rect]:
    """What holds for every grid: panels in data order, inside the grid's room, none
    overlapping another. Returns the panel rectangles, in reading order."""
    found = panels(scene)
    assert [p.id for p in found] == THEMES
    assert [(p.role, p.label) for p in found] == [("section", t) for t in ("T1", "T2", "T3")]
    rects = [panel_rect(p) for p in found]
    for i, a in enumerate(rects):
        assert room.contains(a, tolerance=1e-6), (a, room)
        for b in rects[i + 1 :]:
            assert not a.overlaps(b), (a, b)
    return rects


def neighbour_gaps(rects: list[Rect]) -> tuple[set[float], set[float]]:
    """The space from each panel to its nearest neighbour on its right (in its row) and
    below it (in its column)."""
    across, down = set(), set()
    for a in rects:
        right = [b.x - a.right for b in rects if b.y == a.y and b.x >= a.right]
        below = [b.y - a.bottom for b in rects if b.x == a.x and b.y >= a.bottom]
        across |= {round(min(right), 6)} if right else set()
        down |= {round(min(below), 6)} if below else set()
    return across, down


def test_grid_of_all_themes_in_one_block(tiny):
    scene = tiny.scene(body=[grid()])
    rects = check_grid(scene, FRAME)
    # Two columns of (180 - 4) / 2 = 88pt; two equal rows of (280 - 4) / 2 = 138pt.
    assert [box(r) for r in rects] == [(10, 10, 88, 138), (102, 10, 88, 138), (10, 152, 88, 138)]
    assert neighbour_gaps(rects) == ({4}, {4})
    block = the(groups(scene, "grid"))
    assert block.role == "block" and [g.kind for g in block.items] == ["panel"] * 3
    assert groups(scene, "group") == [] and groups(scene, "group-label") == []


def test_grid_grouped_one_block_below_the_other_with_labels(tiny):
    scene = tiny.scene(body=[grid(group_by="group", label=LABEL)])
    rects = check_grid(scene, FRAME)
    # label 10, gap 3, row, group gap 6, label 10, gap 3, row: rows of (280 - 32) / 2 = 124pt
    assert [box(r) for r in rects] == [(10, 23, 88, 124), (102, 23, 88, 124), (10, 166, 88, 124)]
    assert neighbour_gaps(rects) == ({4}, {6 + 10 + 3})
    sections = groups(scene, "group")
    assert [(s.role, s.id, s.label) for s in sections] == [("section", "a", "GA"), ("section", "b", "GB")]
    assert [[p.id for p in s.items if p.kind == "panel"] for s in sections] == [["a-one", "a-two"], ["b-one"]]
    labels = groups(scene, "group-label")
    assert [(g.role, g.level, g.label) for g in labels] == [("heading", 2, "GA"), ("heading", 2, "GB")]
    assert [box(path_bounds(g.items[0].items[0])) for g in labels] == [(10, 10, 180, 10), (10, 153, 180, 10)]
    # The label text: padding_x from the band's start, centred in its height.
    assert [box(the(lines(g))) for g in labels] == [(12, 12, 12, 6), (12, 155, 12, 6)]
    assert [g.items[0].items[0].fill for g in labels] == [parse_colour("#D00000"), parse_colour("#0000FF")]
    assert all(r.colour == parse_colour("#FFFFFF") for g in labels for r in runs(g))  # on-colour


def test_grid_grouped_side_by_side_with_labels(tiny):
    scene = tiny.scene(body=[grid(group_by="group", arrange="columns", columns=1, label=LABEL)])
    rects = check_grid(scene, FRAME)
    # Blocks of (180 - 6) / 2 = 87pt; rows aligned across them: (280 - 10 - 3 - 4) / 2.
    row = (280 - 17) / 2
    assert [box(r) for r in rects] == [
        (10, 23, 87, row),
        (10, 23 + row + 4, 87, row),
        (103, 23, 87, row),
    ]
    assert neighbour_gaps(rects) == ({6}, {4})  # the group gap between the blocks
    labels = groups(scene, "group-label")
    assert [box(path_bounds(g.items[0].items[0])) for g in labels] == [(10, 10, 87, 10), (103, 10, 87, 10)]


@pytest.mark.parametrize("arrange", ["rows", "columns"])
def test_grid_grouped_without_a_label_has_no_label_bands(tiny, arrange):
    scene = tiny.scene(body=[grid(group_by="group", arrange=arrange, columns=1)])
    rects = check_grid(scene, FRAME)
    assert groups(scene, "group-label") == []
    assert [s.id for s in groups(scene, "group")] == ["a", "b"]
    if arrange == "rows":  # three rows, a group gap between the second and the third
        row = (280 - 4 - 6) / 3
        assert [box(r) for r in rects] == [
            (10, 10, 180, row),
            (10, 10 + row + 4, 180, row),
            (10, 10 + 2 * row + 4 + 6, 180, row),
        ]
        assert neighbour_gaps(rects) == (set(), {4, 6})
    else:
        assert [box(r) for r in rects] == [(10, 10, 87, 138), (10, 152, 87, 138), (103, 10, 87, 138)]
        assert neighbour_gaps(rects) == ({6}, {4})


def test_group_labels_need_grouped_panels(tiny):
    with pytest.raises(InfogenError) as info:
        tiny.scene(body=[grid(label=LABEL)])
    assert "group labels need `group_by: group`" in info.value.format()


def test_grid_rows_sized_by_content_share_the_leftover_evenly(tiny):
    scene = tiny.scene(body=[grid(rows="content")])
    rects = check_grid(scene, FRAME)
    # Needs: a-one 2 + 8 (title) + 2 + 6 + 1 + 6 (two bullets) + 2 = 27; a-two, b-one 20.
    spare = (280 - 4 - 27 - 20) / 2
    assert [r.height for r in rects] == pytest.approx([27 + spare, 27 + spare, 20 + spare])
    assert neighbour_gaps(rects) == ({4}, {4})


def test_grid_shows_one_group_in_its_palette(tiny):
    scene = tiny.scene(body=[grid(themes="b", group_by="group", columns=1, label=LABEL)])
    panel = the(panels(scene))
    assert panel.id == "b-one"
    assert box(panel_rect(panel)) == (10, 23, 180, 267)
    assert panel.items[0].items[0].fill == parse_colour("#EEEEFF")  # the second group's tint
    assert the(groups(scene, "group-label")).label == "GB"


def test_palettes_repeat_when_there_are_more_groups(tiny):
    one = [{"colour": "#00FF00", "on_colour": "#000000", "tint": "#EEFFEE", "title_colour": "#008800"}]
    scene = tiny.scene(palettes=one, body=[grid()])
    assert {p.items[0].items[0].fill for p in panels(scene)} == {parse_colour("#EEFFEE")}


def test_grid_mirrors_on_a_right_to_left_page_and_keeps_the_reading_order(tiny):
    scene = tiny.scene("xr", body=[grid(group_by="group", arrange="columns", columns=1, label=LABEL)])
    rects = check_grid(scene, FRAME)
    assert [r.x for r in rects] == [103, 103, 10]  # group a's block on the right
    assert neighbour_gaps(rects) == ({6}, {4})
    label_a = groups(scene, "group-label")[0]
    assert the(lines(label_a)).right == 190 - 2  # the label starts at the band's right


def test_grid_takes_the_height_the_other_regions_leave(tiny):
    scene = tiny.scene(body=[heading(), spacer(5), grid(), rule()])
    room = Rect(10, 35, 180, 280 - 20 - 5 - 2)
    rects = check_grid(scene, room)
    assert rects[0].y == room.y and rects[2].bottom == pytest.approx(room.bottom)
    assert neighbour_gaps(rects) == ({4}, {4})
    assert box(the(rules(scene))) == (10, 288, 180, 2)


def test_uniform_fit_shrinks_every_panel_alike_until_it_fits(tiny):
    # 50pt for the grid: rows of 23pt; a-one needs 27 at full size, the others 20.
    scene = tiny.scene(body=[spacer(230), grid()])
    rects = check_grid(scene, Rect(10, 240, 180, 50))
    assert all(r.height == pytest.approx(23) for r in rects)
    bullets = {r.size for g in groups(scene, "bullets") for r in runs(g)}
    titles = {r.size for g in groups(scene, "title") for r in runs(g)}
    assert len(bullets) == 1 and len(titles) == 1
    # a-one needs 2 + 8s + 2 + 6s + 1 + 6s + 2 at scale s (gaps and padding do not shrink):
    # 23pt allows s = 0.8, and the first size of 6, 5.75, 5.5 ... below it is 4.75pt.
    assert bullets == {4.75} and titles.pop() == pytest.approx(8 * 4.75 / 6)
    for panel, rect in zip(panels(scene), rects, strict=True):
        assert all(rect.contains(b, 1e-6) for b in lines(panel))


def test_per_panel_fit_shrinks_only_the_panel_that_needs_it(tiny):
    fit = {"mode": "per-panel", "min_size": pt(4), "step": pt(0.25), "unhyphenated_within": pt(0)}
    scene = tiny.scene(body=[spacer(230), grid(fit=fit)])
    sizes = [{r.size for g in groups_in(p, "bullets") for r in runs(g)} for p in panels(scene)]
    assert sizes == [{4.75}, {6}, {6}]


def test_a_grid_too_small_for_any_panel_fails_once_pointing_at_the_room(tiny):
    with pytest.raises(InfogenError) as info:
        tiny.scene(body=[spacer(262), grid()])
    (problem,) = info.value.diagnostics  # not one message per panel
    assert info.value.exit_code == ExitCode.RENDER_FAILED
    assert problem.key_path == "body[1].fit.min_size"
    assert problem.message.startswith(
        "none of the 3 panels fits in language 'en', even at the minimum size 4pt"
    )
    assert "the regions around the grid take most of the page" in problem.hint


def groups_in(group: Group, kind: str) -> list[Group]:
    return [g for g in walk(group) if isinstance(g, Group) and g.kind == kind]


# --- panel parts ---


def card(*parts: dict[str, Any], **keys: Any) -> dict[str, Any]:
    return {"panels": {"card": {"parts": list(parts), **keys}}, "body": [grid(panel="card")]}


TITLE = {"kind": "title", "style": "title", "gap": pt(2)}
BULLETS = {
    "kind": "bullets",
    "style": "bullet",
    "marker_diameter": pt(2),
    "indent": pt(4),
    "gap": pt(1),
    "max": 3,
}


def badge(show: str, position: str = "left", **keys: Any) -> dict[str, Any]:
    return {
        "kind": "badge",
        "show": show,
        "position": position,
        "diameter": pt(10),
        "size": pt(8),
        "gap": pt(2),
        "stroke_width": 1,
        "line_cap": "round",
        "line_join": "round",
        "number_style": "number",
        **keys,
    }


PANEL_X = [10, 102, 10]  # the three panels of grid(): 88 x 138pt
PANEL_Y = [10, 10, 152]


def test_numbered_badge_draws_the_theme_number_centred_in_its_disc(tiny):
    scene = tiny.scene(**card(badge("number"), TITLE, BULLETS))
    badges = groups(scene, "badge")
    assert [b.role for b in badges] == ["artifact"] * 3  # the number is not read out twice
    assert [r.text for b in badges for r in runs(b)] == ["1", "2", "3"]
    for b, x, y in zip(badges, PANEL_X, PANEL_Y, strict=True):
        # Level with the title's capitals: the title's line starts at the padding, and its
        # capitals reach its top; so the 10pt badge is at the panel's padding corner.
        disc = path_bounds(b.items[0])
        assert box(disc) == (x + 2, y + 2, 10, 10)
        assert b.items[0].fill in (parse_colour("#D00000"), parse_colour("#0000FF"))
        digit = the(runs(b))
        assert box(run_box(digit)) == (x + 2 + 2, y + 2 + 2, 6, 6)  # 6pt digit in the middle
        assert digit.colour == parse_colour("#FFFFFF")
    # The text column starts after the badge and its gap.
    titles = groups(scene, "title")
    assert [the(lines(t)).x for t in titles] == [x + 2 + 10 + 2 for x in PANEL_X]


def test_a_badge_shown_as_none_draws_nothing_and_leaves_no_room(tiny):
    scene = tiny.scene(**card(badge("none"), TITLE, BULLETS))
    assert groups(scene, "badge") == [] and groups(scene, "figure") == []
    assert [the(lines(t)).x for t in groups(scene, "title")] == [x + 2 for x in PANEL_X]


def test_icon_badge_maps_the_icon_grid_onto_its_square(tiny):
    scene = tiny.scene(**card(badge("icon"), TITLE, BULLETS))
    badges = groups(scene, "badge")
    assert [(b.role, b.label) for b in badges] == [
        ("figure", "A square"),
        ("figure", "An arrow pointing right"),
        ("figure", "A square"),
    ]
    first = badges[0]
    disc, square = first.items
    assert box(path_bounds(disc)) == (12, 12, 10, 10)
    # The 10-unit grid on an 8pt square centred in the disc (from 13, 13): 0.8pt a unit.
    assert box(path_bounds(square)) == (13 + 0.8, 13 + 0.8, 6.4, 6.4)
    assert square.fill is None and square.stroke.width == pytest.approx(0.8)
    assert square.stroke.colour == parse_colour("#FFFFFF")  # on the disc: the on-colour


def test_directional_icon_turns_round_on_a_right_to_left_page(tiny):
    shaft = [
        path_bounds(groups(tiny.scene(lang, **card(badge("icon"), TITLE)), "badge")[1].items[1])
        for lang in ("en", "xr")
    ]
    # The arrow's shaft (1..7 of 10 units) starts at the left, and mirrored at the right.
    en, xr = shaft
    assert en.width == xr.width == pytest.approx(4.8)
    # a-two's badge, at its start corner: on the right-hand panel in English, on the
    # left-hand one (x 10..98) mirrored, at its right.
    disc_en, disc_xr = 102 + 2, 98 - 2 - 10
    assert en.x - disc_en == pytest.approx(1 + 0.8)
    assert (disc_xr + 10) - xr.right == pytest.approx(1 + 0.8)


def test_badge_on_top_puts_the_title_below_it(tiny):
    scene = tiny.scene(**card(badge("number", "top"), TITLE, BULLETS))
    first_title = groups(scene, "title")[0]
    assert box(the(lines(first_title))) == (12, 10 + 2 + 10 + 2, 16, 8)
    assert box(path_bounds(groups(scene, "badge")[0].items[0])) == (12, 12, 10, 10)


def test_badge_on_top_is_centred_over_a_centred_title(tiny):
    scene = tiny.scene(**card(badge("number", "top"), dict(TITLE, align="center"), BULLETS))
    disc = path_bounds(groups(scene, "badge")[0].items[0])
    title = the(lines(groups(scene, "title")[0]))
    assert disc.x + 5 == pytest.approx(10 + 44) and title.x + 8 == pytest.approx(10 + 44)


def test_panel_title_and_bullets(tiny):
    scene = tiny.scene(**card(TITLE, BULLETS))
    titles = groups(scene, "title")
    assert [(t.role, t.level, t.label) for t in titles] == [("heading", 3, t) for t in ("T1", "T2", "T3")]
    assert [r.colour for t in titles for r in runs(t)] == [
        parse_colour(c) for c in ("#880000",) * 2 + ("#000088",)
    ]
    assert box(the(lines(titles[0]))) == (12, 12, 16, 8)
    lists = groups(scene, "bullets")
    assert [g.role for g in lists] == ["list"] * 3
    items = groups(scene, "bullet")
    assert [(i.role, i.label) for i in items] == [("list-item", b) for b in ("AA BB", "CC", "DD", "EE FF")]
    # Bullets below the title and its gap, 1pt apart; text indented 4pt from the marker.
    a_one = items[:2]
    assert [box(the(lines(i))) for i in a_one] == [(16, 22, 30, 6), (16, 29, 12, 6)]
    for item in a_one:
        marker = item.items[0]
        assert marker.role == "artifact"
        dot = path_bounds(marker.items[0])
        baseline = the(runs(item)).y
        # A 2pt dot at the column's start, centred on the x-height (3pt at 6pt).
        assert box(dot) == (12, round(baseline - 1.5 - 1, 6), 2, 2)
        assert marker.items[0].fill == parse_colour("#D00000")


def test_bullet_markers_and_text_mirror_on_a_right_to_left_page(tiny):
    scene = tiny.scene("xr", **card(TITLE, BULLETS))
    item = groups(scene, "bullet")[0]  # a-one: the right-hand panel, x 102..190
    assert box(path_bounds(item.items[0].items[0]))[:3] == (190 - 2 - 2, round(22 + 4.8 - 2.5, 6), 2)
    assert the(lines(item)).right == 190 - 2 - 4


def test_panel_content_in_the_middle(tiny):
    scene = tiny.scene(**card(TITLE, BULLETS, align="middle"))
    # b-one needs 20pt of its 138: its content starts 59pt down, its title 2pt below that.
    title = the(lines(groups(scene, "title")[2]))
    assert title.y == 152 + (138 - 20) / 2 + 2


def test_badge_beside_the_title_is_level_with_its_capitals(tiny):
    # A title line of 8pt at leading 2: 16pt tall, its baseline 4 + 6.4pt down, its
    # capitals (800 units: 6.4pt) from 4pt down. The badge's top is there, not at the padding.
    styles = {"title": {"leading": 2.0}}
    scene = tiny.scene(styles=styles, **card(badge("number"), TITLE, BULLETS))
    title = the(lines(groups(scene, "title")[0]))
    assert box(title) == (24, 12 + 4, 16, 8)
    assert box(path_bounds(groups(scene, "badge")[0].items[0])) == (12, 12 + 4, 10, 10)


def test_a_title_alone_beside_its_badge_is_centred_on_it(tiny):
    scene = tiny.scene(**card(badge("number"), TITLE))
    # The 8pt title beside the 10pt badge: 1pt lower than the padding, the badge at it.
    assert [box(the(lines(t))) for t in groups(scene, "title")] == [
        (x + 14, y + 2 + 1, 16, 8) for x, y in zip(PANEL_X, PANEL_Y, strict=True)
    ]
    assert box(path_bounds(groups(scene, "badge")[0].items[0])) == (12, 12, 10, 10)


@pytest.mark.parametrize("diameter", [10, 0])
def test_icon_colour_is_the_on_colour_on_a_disc_else_the_group_colour(tiny, diameter):
    scene = tiny.scene(**card(badge("icon", diameter=pt(diameter)), TITLE, BULLETS))
    first = groups(scene, "badge")[0]
    strokes = [i for i in first.items if i.stroke is not None]
    assert len(first.items) - len(strokes) == (1 if diameter else 0)  # the disc, if any
    expected = "#FFFFFF" if diameter else "#D00000"
    assert {i.stroke.colour for i in strokes} == {parse_colour(expected)}


def test_a_panel_without_a_background_paints_no_tint(tiny):
    scene = tiny.scene(**card(TITLE, BULLETS, background="none"))
    fills = {i.fill for top in scene.pages[0].items for i in walk(top) if isinstance(i, ScenePath)}
    assert parse_colour("#FFEEEE") not in fills and parse_colour("#EEEEFF") not in fills
    assert [p.items[0].kind for p in panels(scene)] == ["title"] * 3


def test_heading_levels_come_from_the_layout(tiny):
    body = [heading(level=2), grid(group_by="group", label=dict(LABEL, level=4))]
    scene = tiny.scene(panels={"plain": {"parts": [dict(TITLE, level=5), BULLETS]}}, body=body)
    assert the(groups(scene, "heading")).level == 2
    assert {g.level for g in groups(scene, "group-label")} == {4}
    assert {g.level for g in groups(scene, "title")} == {5}


def test_a_badge_number_wider_than_its_badge_is_a_clear_error(tiny):
    # '1' in a 12pt style is 12pt wide; the badge is 10pt.
    styles = {"number": {"size": pt(12)}}
    with pytest.raises(InfogenError) as info:
        tiny.scene(styles=styles, **card(badge("number"), TITLE, BULLETS))
    assert info.value.exit_code == ExitCode.RENDER_FAILED
    assert "a-one" in info.value.format()


def test_a_top_badge_is_centred_over_a_centred_title_whatever_the_padding(tiny):
    padding = {"top": pt(2), "right": pt(2), "bottom": pt(2), "left": pt(20)}
    parts = (badge("number", "top"), dict(TITLE, align="center"), BULLETS)
    scene = tiny.scene(**card(*parts, padding=padding))
    disc = path_bounds(groups(scene, "badge")[0].items[0])
    title = the(lines(groups(scene, "title")[0]))
    # The text column of the first panel: x 30..96, centre 63 (the panel's centre is 54).
    assert title.x + title.width / 2 == pytest.approx(63)
    assert disc.x + disc.width / 2 == pytest.approx(63)


# --- the whole page ---


@pytest.mark.parametrize("lang", ["en", "xr"])
def test_everything_lies_inside_the_page(tiny, lang):
    scene = tiny.scene(lang)
    page = Rect(0, 0, PAGE_W, PAGE_H)
    items = [i for top in scene.pages[0].items for i in walk(top)]
    shapes = [path_bounds(i) for i in items if isinstance(i, ScenePath)]
    boxes = [run_box(i) for i in items if isinstance(i, GlyphRun)]
    assert len(shapes) > 10 and len(boxes) > 10
    assert all(page.contains(r, 1e-6) for r in shapes + boxes)
    frame = Rect(10, 10, 180, 280)
    assert all(frame.contains(b, 1e-6) for b in boxes)  # text keeps to the margins


@pytest.mark.parametrize("lang", ["en", "xr"])
def test_roles_levels_and_reading_order_of_the_whole_page(tiny, lang):
    scene = tiny.scene(lang)
    found = [(g.role, g.kind, g.level) for g in all_groups(scene) if g.role in ("heading", "paragraph")]
    assert found == [
        ("heading", "heading", 1),
        *[("paragraph", "intro", 0)] * 3,
        ("heading", "group-label", 2),
        ("heading", "title", 3),
        ("heading", "title", 3),
        ("heading", "group-label", 2),
        ("heading", "title", 3),
        ("paragraph", "credits", 0),
    ]
    order = [g.id or g.kind for g in all_groups(scene) if g.kind in ("heading", "group", "panel", "credits")]
    assert order == ["heading", "a", "a-one", "a-two", "b", "b-one", "credits"]
    roles = {(g.kind, g.role) for g in all_groups(scene)}
    assert {("bullets", "list"), ("bullet", "list-item"), ("panel", "section"), ("group", "section")} <= roles
    assert {("band", "block"), ("columns", "block"), ("grid", "block"), ("rule", "artifact")} <= roles
    assert all(g.level == 0 for g in all_groups(scene) if g.role != "heading")


def test_the_margins_mirror_with_the_page(tiny):
    page = {"margin": {"top": pt(10), "right": pt(5), "bottom": pt(10), "left": pt(20)}}
    en = tiny.scene(page=page, body=[rule(width=pt(50)), heading()])
    xr = tiny.scene("xr", page=page, body=[rule(width=pt(50)), heading()])
    assert box(the(rules(en))) == (20, 10, 50, 2)
    assert box(the(rules(xr))) == (200 - 20 - 50, 10, 50, 2)
    assert the(lines(the(groups(xr, "heading")))).right == 180


# --- group transform and clip, in both exporters ---

DPI = 72  # 1pt = 1px


def rasterise(scene: Scene, tmp_path: Path) -> dict[str, Image.Image]:
    """The scene as PDF rasterised by poppler, as SVG by librsvg, and as PNG (PDFium)."""
    pdf, svg, png = tmp_path / "t.pdf", tmp_path / "t.svg", tmp_path / "png.png"
    png.write_bytes(export(scene, "png", dpi=DPI))
    pdf.write_bytes(export(scene, "pdf"))
    svg.write_bytes(export(scene, "svg"))
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(DPI), "-singlefile", str(pdf), str(tmp_path / "pdf")], check=True
    )
    subprocess.run(
        [
            "rsvg-convert",
            "--dpi-x",
            str(DPI),
            "--dpi-y",
            str(DPI),
            "-b",
            "white",
            "-o",
            str(tmp_path / "svg.png"),
            str(svg),
        ],
        check=True,
    )
    return {name: Image.open(tmp_path / f"{name}.png").convert("RGB") for name in ("pdf", "svg", "png")}


def painted(image: Image.Image, channel: str) -> tuple[int, int, int, int] | None:
    """Bounding box of the pixels painted in pure red ('r') or pure blue ('b')."""
    r, g, b = image.split()
    strong, other = (r, b) if channel == "r" else (b, r)
    mask = Image.eval(strong, lambda v: 255 if v > 200 else 0)
    mask = Image.composite(mask, Image.new("L", image.size, 0), Image.eval(g, lambda v: 255 if v < 60 else 0))
    mask = Image.composite(
        mask, Image.new("L", image.size, 0), Image.eval(other, lambda v: 255 if v < 60 else 0)
    )
    return mask.getbbox()


def mapped(t: Transform, r: Rect) -> tuple[float, float, float, float]:
    corners = [t.apply(x, y) for x in (r.x, r.right) for y in (r.y, r.bottom)]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    return (min(xs), min(ys), max(xs), max(ys))


def test_group_transform_and_clip_are_honoured_by_every_exporter(tiny, tmp_path):
    red, blue = parse_colour("#D00000"), parse_colour("#0000FF")
    # A 40pt red square, clipped to its left half (in the group's own coordinates), then
    # scaled 2 x 1.5 and moved by (10, 5): it paints x 10..50, y 5..65.
    clipped = Transform.scale_about(2, 1.5).then(Transform.translate(10, 5))
    square = ScenePath(rect_path(Rect(0, 0, 40, 40)), fill=red)
    first = Group("block", (square,), transform=clipped, clip=rect_path(Rect(0, 0, 20, 40)))
    # A glyph of the square font ('W', 10pt at the origin: ink 0..10 x -8..2), in a group
    # turned a quarter turn (x, y) -> (-y, x) and moved by (150, 60), inside a group moved
    # by (0, 20): transforms compose, and text follows them like paths do.
    font = tiny.renderer.library.find("Square Test", 400)
    glyph = font.hb_font.get_nominal_glyph(ord("W"))
    run = GlyphRun(font.ref, 10, blue, 0, 0, (Glyph(glyph, 0, 0),), 10, "W", "en")
    turned = Transform(0, 1, -1, 0, 150, 60)
    inner = Group("block", (run,), transform=turned)
    second = Group("block", (inner,), transform=Transform.translate(0, 20))
    scene = Scene((Page(200, 120, (first, second)),), "en", "t", "t", "t", ())

    expected_red = mapped(clipped, Rect(0, 0, 20, 40))
    expected_blue = mapped(turned.then(Transform.translate(0, 20)), Rect(0, -8, 10, 10))
    assert expected_red == (10, 5, 50, 65) and expected_blue == (148, 80, 158, 90)
    images = rasterise(scene, tmp_path)
    assert set(images) == {"pdf", "svg", "png"}
    for name, image in images.items():
        assert image.size == (200, 120), name
        for channel, expected in (("r", expected_red), ("b", expected_blue)):
            found = painted(image, channel)
            assert found is not None, (name, channel)
            # getbbox: (left, top, right, bottom), right and bottom exclusive.
            assert all(abs(f - e) <= 1 for f, e in zip(found, expected, strict=True)), (name, channel, found)
