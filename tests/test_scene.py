"""Layout geometry, asserted on the Scene: every language, no files, no exporters."""

from __future__ import annotations

import pytest

from infogen.api import Renderer
from infogen.diagnostics import ExitCode, InfogenError
from infogen.project import Project
from infogen.scene import GlyphRun, Group, walk

from conftest import LANGUAGES, all_strings, squeeze
from scene_tools import groups, ink_box, panel_rect, path_bounds, run_box, runs


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_text_line_lies_inside_its_panel_padding(scenes, project, lang):
    layout = project.load_layout("default")
    pad = layout.panels["card"].padding
    left, right = pad.left, pad.right
    if project.load_content(lang).direction == "rtl" and layout.mirror_rtl:
        left, right = right, left  # the mirrored page mirrors the padding too
    panels = groups(scenes[lang], "panel")
    assert len(panels) == 10
    for panel in panels:
        rect = panel_rect(panel)
        inner = rect.inset(pad.top, right, pad.bottom, left)
        for run in runs(panel):
            ink, box = ink_box(run), run_box(run)
            assert rect.contains(box) and rect.contains(ink), (lang, panel.id, run.text)
            # Within the padding: the ink vertically, the glyphs' advances horizontally (ink may
            # overhang an advance by a hair, as a final Arabic letter or an italic does).
            assert inner.y <= ink.y + 0.01 and ink.bottom <= inner.bottom + 0.01, (lang, panel.id, run.text)
            assert inner.x <= box.x + 0.01 and box.right <= inner.right + 0.01, (lang, panel.id, run.text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_panels_do_not_overlap_and_stay_inside_the_margins(scenes, project, lang):
    layout = project.load_layout("default")
    page = scenes[lang].pages[0]
    m = layout.page.margin
    frame_right, frame_bottom = page.width - m.right, page.height - m.bottom
    rects = [panel_rect(p) for p in groups(scenes[lang], "panel")]
    for i, a in enumerate(rects):
        assert a.x >= m.left - 0.01 and a.right <= frame_right + 0.01 and a.bottom <= frame_bottom
        for b in rects[i + 1 :]:
            assert not a.overlaps(b)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_text_leaves_the_page_or_overlaps_other_text(scenes, lang):
    page = scenes[lang].pages[0]
    boxes = [b for b in (ink_box(r) for top in page.items for r in runs(top)) if b is not None]
    for i, a in enumerate(boxes):
        assert 0 <= a.x and a.right <= page.width and 0 <= a.y and a.bottom <= page.height
        for b in boxes[i + 1 :]:
            shrunk = type(a)(a.x, a.y + 0.2 * a.height, a.width, 0.6 * a.height)
            assert not shrunk.overlaps(type(b)(b.x, b.y + 0.2 * b.height, b.width, 0.6 * b.height))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_reading_order_is_heading_intro_then_panels_in_data_order(scenes, project, lang):
    content = project.load_content(lang)
    scene = scenes[lang]
    roles = [g.kind for top in scene.pages[0].items for g in walk(top) if isinstance(g, Group)]
    first = {kind: roles.index(kind) for kind in ("heading", "intro", "panel", "credits")}
    assert first["heading"] < first["intro"] < first["panel"] < first["credits"]
    assert max(i for i, r in enumerate(roles) if r == "panel") < first["credits"]
    texts = [r.text for top in scene.pages[0].items for r in runs(top)]
    assert squeeze("".join(texts)).startswith(squeeze(content.heading))
    expected_ids = [t.id for g in content.groups for t in g.themes]
    assert [p.id for p in groups(scene, "panel")] == expected_ids


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_string_is_on_the_page_once_set(scenes, project, lang):
    text = squeeze("".join(r.text for top in scenes[lang].pages[0].items for r in runs(top)))
    for string in all_strings(project, lang):
        assert squeeze(string) in text, string


@pytest.mark.parametrize("lang", LANGUAGES)
def test_uniform_fit_gives_every_panel_the_same_sizes(scenes, lang):
    sizes = {
        (run.size)
        for panel in groups(scenes[lang], "panel")
        for item in groups_in(panel, "bullets")
        for run in runs(item)
    }
    titles = {
        run.size
        for panel in groups(scenes[lang], "panel")
        for item in groups_in(panel, "title")
        for run in runs(item)
    }
    assert len(sizes) == 1 and len(titles) == 1


def groups_in(group, kind):  # type: ignore[no-untyped-def]
    return [g for g in group.items if getattr(g, "kind", None) == kind]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_bullet_ends_with_a_lone_word(scenes, lang):
    for item in groups(scenes[lang], "bullet"):
        lines = [r.text for r in runs(item)]
        if len(lines) > 1:
            assert " " in lines[-1] or " " not in lines[-2], lines


def test_per_panel_fit_lets_sizes_differ(project_copy):
    layout = project_copy / "layouts" / "default.yaml"
    layout.write_text(layout.read_text().replace("mode: uniform", "mode: per-panel"))
    scene = Renderer(Project(project_copy)).scene("default", "nl")
    sizes = {r.size for item in groups(scene, "bullet") for r in runs(item)}
    assert len(sizes) > 1


def test_text_too_long_for_any_size_fails_naming_panel_language_and_excess(project_copy):
    strings = project_copy / "data" / "lang" / "nl.yaml"
    text = strings.read_text()
    for bullet in ("Gemeenschappen beschermen tegen nieuwe dreigingen", "Informatie delen en samen optreden"):
        text = text.replace(f"- {bullet}", "- " + f"{bullet} " * 18)
    strings.write_text(text)
    with pytest.raises(InfogenError) as info:
        Renderer(Project(project_copy)).scene("default", "nl")
    message = info.value.format()
    assert info.value.exit_code == ExitCode.RENDER_FAILED
    assert "panel 'community-resilience'" in message and "language 'nl'" in message
    assert "pt (" in message and "mm)" in message and "minimum size 10pt" in message


@pytest.mark.parametrize("row_heights", ["equal", "content"])
def test_rows_fill_the_body_exactly_and_align_across_groups(project_copy, row_heights):
    layout_file = project_copy / "layouts" / "default.yaml"
    layout_file.write_text(layout_file.read_text().replace("rows: content", f"rows: {row_heights}"))
    project = Project(project_copy)
    layout = project.load_layout("default")
    scene = Renderer(project).scene("default", "nl")
    rects = [panel_rect(p) for p in groups(scene, "panel")]
    digital, technology = rects[:5], rects[5:]
    for a, b in zip(digital, technology, strict=True):  # side by side, row by row
        assert abs(a.y - b.y) < 0.01 and abs(a.height - b.height) < 0.01
    heights = [r.height for r in digital]
    if row_heights == "equal":
        assert max(heights) - min(heights) < 0.01
    gaps = [b.y - a.bottom for a, b in zip(digital, digital[1:], strict=False)]
    grid, gap_after = layout.body[2], layout.body[3]
    assert grid.rows == row_heights
    assert all(abs(g - grid.gap) < 0.01 for g in gaps)
    footer_rule = groups(scene, "rule")[-1]
    assert abs(digital[-1].bottom - (path_bounds(footer_rule.items[0]).y - gap_after.height)) < 0.01


def test_glyph_runs_carry_language_and_source_text(scenes):
    for lang, scene in scenes.items():
        for top in scene.pages[0].items:
            for run in runs(top):
                assert isinstance(run, GlyphRun) and run.lang == lang and run.text
