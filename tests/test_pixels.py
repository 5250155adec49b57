"""PDF and SVG are the same picture: both rasterised (poppler, librsvg) and compared.

Poppler hints and anti-aliases text differently from librsvg (hinting moves a heavily
hinted Arabic font's outlines by a pixel), so raw pixels differ along every edge. Both
images are blurred a little first; what survives is a real difference in shape or
position. Calibration at 60 dpi: the same page scores 0.00% strongly differing pixels in
every shipped language; SVG glyphs scaled 2% too large score 0.66%; the whole SVG moved
by 1.5pt scores 0.22%; English against Dutch scores about 9%.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageFilter

from infogen.api import export

from conftest import LANGUAGES

DPI = 60


def rasterise_pdf(pdf, out_stem) -> Image.Image:  # type: ignore[no-untyped-def]
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-singlefile", str(pdf), str(out_stem)], check=True)
    return Image.open(f"{out_stem}.png").convert("L")


def rasterise_svg(svg, out, width) -> Image.Image:  # type: ignore[no-untyped-def]
    subprocess.run(["rsvg-convert", "-w", str(width), "-b", "white", "-o", str(out), str(svg)], check=True)
    return Image.open(out).convert("L")


def strong_difference(a: Image.Image, b: Image.Image) -> float:
    """Fraction of pixels that still differ noticeably after a slight blur of both."""
    blur = ImageFilter.GaussianBlur(DPI / 15)
    diff = ImageChops.difference(a.filter(blur), b.filter(blur))
    return sum(diff.histogram()[24:]) / (diff.width * diff.height)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pdf_and_svg_render_the_same(rendered, lang, tmp_path):
    pdf = rasterise_pdf(rendered[(lang, "pdf")], tmp_path / "pdf")
    svg = rasterise_svg(rendered[(lang, "svg")], tmp_path / "svg.png", pdf.width)
    assert abs(svg.height - pdf.height) <= 1
    assert strong_difference(pdf, svg.resize(pdf.size)) < 0.0005
    # Not two blank pages: the header band is dark, the page below it light.
    assert pdf.getpixel((pdf.width // 2, 5)) < 80 and svg.getpixel((svg.width // 2, svg.height - 5)) > 200


def rasterise_svg_in_chromium(svg, out, tmp_path, width_pt, height_pt) -> Image.Image:  # type: ignore[no-untyped-def]
    """Headless Chromium draws the SVG at its natural size (1pt = 4/3 CSS px)."""
    size = f"{round(width_pt * 4 / 3)},{round(height_pt * 4 / 3)}"
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--hide-scrollbars", "--force-device-scale-factor=1",
         f"--window-size={size}", f"--screenshot={out}", svg.resolve().as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return Image.open(out).convert("L")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_svg_in_chromium_looks_like_the_pdf(rendered, scenes, lang, tmp_path):
    page = scenes[lang].pages[0]
    pdf = rasterise_pdf(rendered[(lang, "pdf")], tmp_path / "pdf")
    shot = rasterise_svg_in_chromium(rendered[(lang, "svg")], tmp_path / "chromium.png", tmp_path,
                                     page.width, page.height)  # fmt: skip
    assert shot.getpixel((shot.width // 2, 5)) < 80  # the dark header band, not an error page
    assert strong_difference(pdf, shot.resize(pdf.size)) < 0.0005


GOLDEN = sorted(p.stem for p in (Path(__file__).parent / "golden").glob("*.png"))


def test_every_layout_has_a_golden_image():
    from infogen.project import Project

    from conftest import ROOT

    assert {f"{layout}-en" for layout in Project(ROOT).layouts()} | {"default-ar"} == set(GOLDEN)


@pytest.mark.parametrize("name", GOLDEN)
def test_the_page_still_looks_like_its_golden_image(renderer, name, tmp_path):
    """A tiny picture of each page (12 dpi) guards the designs against unintended change.
    After an intended change, look at the new pages, then run scripts/update-golden."""
    layout, lang = name.rsplit("-", 1)
    golden = Image.open(Path(__file__).parent / "golden" / f"{name}.png").convert("L")
    pdf = tmp_path / "page.pdf"
    pdf.write_bytes(export(renderer.scene(layout, lang), "pdf", renderer.pdf_options(layout)))
    stem = tmp_path / "page"
    subprocess.run(["pdftoppm", "-png", "-r", "12", "-singlefile", str(pdf), str(stem)], check=True)
    page = Image.open(f"{stem}.png").convert("L")
    assert page.size == golden.size
    diff = ImageChops.difference(page, golden)
    assert sum(diff.histogram()[48:]) / (diff.width * diff.height) < 0.002
