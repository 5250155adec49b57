"""Every shipped layout in every shipped language, a dataset of another shape, and PNG.

The shipped layouts are designs a council would publish, so each must render in each
language with its text inside its panels and the page; and next year's edition, with
more groups, themes and bullets, must render in all of them without a code change.
"""

from __future__ import annotations

import io
import random
import re
import shutil
from pathlib import Path

import pytest
import yaml
from PIL import Image, ImageChops

from infogen.api import Renderer, export
from infogen.layout.geometry import Rect
from infogen.project import Project
from infogen.scene import Scene

from conftest import LANGUAGES, ROOT, squeeze
from scene_tools import groups, ink_box, panel_rect, runs

LAYOUTS = Project(ROOT).layouts()


def check_page(scene: Scene, expected_panels: int) -> None:
    """Panels apart and inside the page; every line's ink inside its panel and the page."""
    page = scene.pages[0]
    trim = Rect(0, 0, page.width, page.height)
    panels = groups(scene, "panel")
    assert len(panels) == expected_panels
    rects = [panel_rect(p) for p in panels]
    for i, (panel, rect) in enumerate(zip(panels, rects, strict=True)):
        assert trim.contains(rect), panel.id
        assert not any(rect.overlaps(other) for other in rects[i + 1 :]), panel.id
        for run in runs(panel):
            ink = ink_box(run)
            assert ink is None or rect.contains(ink, tolerance=0.3), (panel.id, run.text)
    for top in page.items:
        for run in runs(top):
            ink = ink_box(run)
            assert ink is None or trim.contains(ink, tolerance=0.3), run.text


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(Project(ROOT))


def test_four_designs_are_shipped():
    assert {"default", "print", "handout", "social"} <= set(LAYOUTS)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_renders_every_language(renderer, layout, lang):
    scene = renderer.scene(layout, lang)
    content = renderer.project.load_content(lang)
    check_page(scene, sum(len(g.themes) for g in content.groups))
    # What the layout shows is on the page, in reading order: the heading first.
    text = squeeze("".join(r.text for top in scene.pages[0].items for r in runs(top)))
    assert text.startswith(squeeze(content.heading))
    for theme in (t for g in content.groups for t in g.themes):
        assert squeeze(theme.title) in text


def test_the_social_card_is_exactly_1080_pixels_square_and_the_same_twice(renderer):
    scene = renderer.scene("social", "nl")
    first, second = (export(scene, "png", dpi=renderer.dpi("social")) for _ in range(2))
    assert first == second
    image = Image.open(io.BytesIO(first))
    assert image.size == (1080, 1080) and image.mode == "RGB"
    assert image.info["Title"] == scene.title and image.text["Title"] == scene.title
    assert "infogen" in image.info["Software"]
    assert image.getpixel((540, 10))[2] > image.getpixel((540, 10))[0]  # the dark blue band, not blank


def test_png_of_a_paper_layout_has_the_stated_resolution(renderer):
    scene = renderer.scene("handout", "de")
    image = Image.open(io.BytesIO(export(scene, "png", dpi=100)))
    page = scene.pages[0]
    assert image.size == (round(page.width * 100 / 72), round(page.height * 100 / 72))
    assert renderer.dpi("handout") == 150  # the paper layouts' default


def test_png_language_tag_travels_in_the_itxt_chunk(renderer):
    data = export(renderer.scene("social", "ar"), "png", dpi=20)
    chunk = data[data.index(b"iTXtTitle") :]
    assert chunk.startswith(b"iTXtTitle\x00\x00\x00ar\x00")


def test_the_png_is_the_pixels_pdfium_draws_row_for_row(renderer, monkeypatch):
    """export_png writes PDFium's bitmaps themselves (rows unfiltered into zlib): decoded,
    a page rendered in one band is exactly the page PDFium renders from the same (screen)
    PDF, and one rendered a few rows at a time differs from it by no more than 3/255 in
    any pixel: no seam where the bands meet, no row lost or repeated."""
    import pypdfium2 as pdfium

    from infogen.export import png
    from infogen.export.pdf import PdfOptions, export_pdf

    scene = renderer.scene("handout", "ar")
    image = Image.open(io.BytesIO(export(scene, "png", dpi=40)))
    image.load()  # checks every chunk's CRC and the zlib stream
    pdf = pdfium.PdfDocument(export_pdf(png.screen_scene(scene), PdfOptions(tagged=False)))
    expected = pdf[0].render(scale=40 / 72, fill_color=(255, 255, 255, 255)).to_pil().convert("RGB")
    pdf.close()
    expected = expected.crop((0, 0, *image.size))
    assert image.size[1] * image.size[0] * 3 < png.BAND_BYTES  # one band
    assert expected.tobytes() == image.tobytes()
    assert image.info["dpi"] == pytest.approx((40, 40), abs=0.01)

    monkeypatch.setattr(png, "BAND_BYTES", 3 * image.size[0] * 7)  # bands of 7 rows
    banded = Image.open(io.BytesIO(export(scene, "png", dpi=40)))
    assert banded.size == image.size
    difference = ImageChops.difference(banded.convert("RGB"), expected)
    assert max(high for _, high in difference.getextrema()) <= 3


def test_a_png_of_billions_of_pixels_is_refused_before_anything_is_rendered(tmp_path):
    from click.testing import CliRunner

    from infogen.cli import main

    out = tmp_path / "out"
    args = ["render", "--lang", "en", "--format", "pdf,png", "--paper", "A0", "--dpi", "1200"]
    result = CliRunner().invoke(main, [*args, "--out", str(out), "--project", str(ROOT)])
    assert result.exit_code == 2, result.output
    assert "would be 39732 x 56173 pixels" in result.output and "to 254 or less" in result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())


def test_validate_reports_a_png_over_the_limit_and_still_checks_the_pages():
    from click.testing import CliRunner

    from infogen.cli import main

    args = ["validate", "--layout", "default", "--lang", "en", "--paper", "A0", "--dpi", "1200"]
    result = CliRunner().invoke(main, [*args, "--project", str(ROOT)])
    assert result.exit_code == 2, result.output
    assert "a PNG of layout 'default' at 1200 dpi would be 39732 x 56173 pixels" in result.output
    assert "to 254 or less" in result.output and "Traceback" not in result.output
    composed = re.search(r"\((\d+) pages? composed\)", result.output)
    assert composed and int(composed.group(1)) >= 1  # the PNG's problem does not stop the checks


# --- Next year's edition: another shape of dataset, the same layouts --------------------


def write_dataset(root: Path, groups: int, themes: int, seed: int = 7) -> dict[str, int]:
    """A made-up theme dataset (groups × themes, 2 to 4 bullets each) in English."""
    rnd = random.Random(seed)
    icons = list(yaml.safe_load((root / "data" / "icons.yaml").read_text())["icons"])
    words = (
        "service data city public digital cloud people skills trust network platform risk open local".split()
    )
    structure = yaml.safe_load((root / "data" / "theme.yaml").read_text())
    strings = yaml.safe_load((root / "data" / "lang" / "en.yaml").read_text())
    structure["groups"], strings["groups"], strings["themes"] = [], {}, {}
    bullets: dict[str, int] = {}
    for g in range(groups):
        gid = f"group-{g + 1}"
        strings["groups"][gid] = f"Group {g + 1}"
        refs = []
        for t in range(themes // groups):
            tid = f"{gid}-theme-{t + 1}"
            refs.append({"id": tid, "icon": icons[(g * 7 + t) % len(icons)]})
            bullets[tid] = 2 + (g + t) % 3
            strings["themes"][tid] = {
                "title": " ".join(rnd.choice(words) for _ in range(rnd.randint(1, 3))).capitalize(),
                "bullets": [
                    " ".join(rnd.choice(words) for _ in range(rnd.randint(3, 8))).capitalize()
                    for _ in range(bullets[tid])
                ],
            }
        structure["groups"].append({"id": gid, "themes": refs})
    (root / "data" / "theme.yaml").write_text(yaml.safe_dump(structure, sort_keys=False))
    (root / "data" / "lang" / "en.yaml").write_text(yaml.safe_dump(strings, sort_keys=False))
    return bullets


@pytest.fixture(scope="module")
def next_edition(tmp_path_factory: pytest.TempPathFactory) -> tuple[Renderer, dict[str, int]]:
    root = tmp_path_factory.mktemp("next-edition")
    for name in ("data", "layouts"):
        shutil.copytree(ROOT / name, root / name)
    for other in (root / "data" / "lang").glob("*.yaml"):
        if other.stem != "en":
            other.unlink()
    (root / "fonts").mkdir()
    bullets = write_dataset(root, groups=3, themes=12)
    return Renderer(Project(root)), bullets


@pytest.mark.parametrize("layout", LAYOUTS)
def test_twelve_themes_in_three_groups_render_in_every_layout(next_edition, layout):
    renderer, bullets = next_edition
    scene = renderer.scene(layout, "en")
    check_page(scene, 12)
    sections = groups(scene, "group")
    assert [s.id for s in sections] == ["group-1", "group-2", "group-3"]
    assert [p.id for p in groups(scene, "panel")] == list(bullets)  # data order
    layout_bullets = groups(scene, "bullets")
    if layout_bullets:  # a layout that shows bullets shows every one of them
        assert [len(b.items) for b in layout_bullets] == list(bullets.values())


def test_the_resolution_a_refused_png_suggests_is_one_that_fits():
    """The suggestion is worked out from a square root and pixel sizes are rounded: it is
    checked, and lowered until it fits."""
    from infogen.export.png import MAX_PNG_PIXELS, pixel_size, size_problem

    for width, height, dpi in ((2760, 105, 1480), (2384, 3370, 1200), (14400, 14400, 300)):
        problem = size_problem(width, height, dpi, "the page")
        assert problem is not None and problem.hint is not None
        suggested = int(problem.hint.split(" to ")[1].split()[0])
        w, h = pixel_size(width, height, suggested)
        assert w * h <= MAX_PNG_PIXELS
        w, h = pixel_size(width, height, suggested + 1)
        assert w * h > MAX_PNG_PIXELS
