"""Print production: paper sizes, orientation, bleed, crop marks — read back with real tools."""

from __future__ import annotations

import re
import subprocess

import pytest
from click.testing import CliRunner

from infogen.api import Renderer
from infogen.cli import main
from infogen.model.overrides import RenderOptions
from infogen.project import Project
from infogen.scene import Path, points_of, walk
from infogen.units import parse_length, parse_paper

from conftest import ROOT
from scene_tools import groups, ink_box, panel_rect, path_bounds, runs

MM = 72 / 25.4


def boxes(pdf) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    """Every page box in millimetres, as pdfinfo reports them."""
    out = subprocess.run(["pdfinfo", "-box", str(pdf)], capture_output=True, text=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        name, _, values = line.partition(":")
        if name.endswith("Box"):
            found[name.strip()] = [float(v) / MM for v in values.split()]
    return found


def render(tmp_path, *args: str):  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["render", "--lang", "en", "--format", "pdf", "-q", "--out", str(out), "--project", str(ROOT), *args],
    )
    assert result.exit_code == 0, result.output
    return next(p for p in sorted(out.iterdir()) if p.suffix == ".pdf")


@pytest.mark.parametrize(
    ("paper", "size_mm"), [("A4", (210, 297)), ("A3", (297, 420)), ("letter", (215.9, 279.4))]
)
@pytest.mark.parametrize("bleed_mm", [0, 3])
def test_boxes_match_the_paper_and_bleed(tmp_path, paper, size_mm, bleed_mm):
    args = ["--paper", paper] + (["--bleed", f"{bleed_mm}mm", "--crop-marks"] if bleed_mm else [])
    found = boxes(render(tmp_path, *args))
    w, h = size_mm
    slug = 3 + 5 if bleed_mm else 0  # crop marks: 3mm offset + 5mm long (layouts/default.yaml)
    for name, expected in {
        "MediaBox": (0, 0, w + 2 * slug, h + 2 * slug),
        "TrimBox": (slug, slug, slug + w, slug + h),
        "BleedBox": (slug - bleed_mm, slug - bleed_mm, slug + w + bleed_mm, slug + h + bleed_mm),
    }.items():
        assert found[name] == pytest.approx(expected, abs=0.01), name


def test_landscape_swaps_the_sides(tmp_path):
    found = boxes(render(tmp_path, "--paper", "A3", "--landscape"))
    assert found["TrimBox"] == pytest.approx((0, 0, 420, 297), abs=0.01)


def test_custom_paper_size(tmp_path):
    found = boxes(render(tmp_path, "--paper", "500x350mm"))
    assert found["TrimBox"] == pytest.approx((0, 0, 350, 500), abs=0.01)  # portrait by default


def scene_for(**options):  # type: ignore[no-untyped-def]
    return Renderer(Project(ROOT), RenderOptions(**options)).scene("default", "nl")


@pytest.mark.parametrize(
    "options",
    [{"paper": parse_paper("A4")}, {"paper": parse_paper("letter")}, {"orientation": "landscape"},
     {"paper": parse_paper("A2"), "orientation": "landscape"}],
    ids=["A4", "letter", "A3-landscape", "A2-landscape"],
)  # fmt: skip
def test_the_layout_reflows_onto_other_paper(options):
    scene = scene_for(**options)
    page = scene.pages[0]
    rects = [panel_rect(p) for p in groups(scene, "panel")]
    assert len(rects) == 10
    for i, a in enumerate(rects):
        assert 0 < a.x and a.right < page.width and 0 < a.y and a.bottom < page.height
        assert not any(a.overlaps(b) for b in rects[i + 1 :])
        panel = groups(scene, "panel")[i]
        assert all(a.contains(ink_box(r)) for r in runs(panel))


def test_smaller_paper_scales_the_design():
    a3, a4 = scene_for(), scene_for(paper=parse_paper("A4"))

    def heading_size(scene):  # type: ignore[no-untyped-def]
        return runs(groups(scene, "heading")[0])[0].size

    assert heading_size(a4) == pytest.approx(heading_size(a3) / 2**0.5, rel=1e-6)


def test_backgrounds_touching_the_trim_run_into_the_bleed_and_marks_stay_outside():
    bleed = parse_length("3mm")
    scene = scene_for(bleed=bleed, crop_marks=True)
    page = scene.pages[0]
    background = path_bounds(scene.pages[0].items[0].items[0])
    assert (background.x, background.y) == pytest.approx((-bleed, -bleed))
    assert (background.right, background.bottom) == pytest.approx((page.width + bleed, page.height + bleed))
    band = path_bounds(groups(scene, "band")[0].items[0].items[0])
    assert band.x == pytest.approx(-bleed) and band.y == pytest.approx(-bleed)
    assert band.right == pytest.approx(page.width + bleed) and band.bottom < page.height
    marks = [p for p in walk(groups(scene, "marks")[0]) if isinstance(p, Path)]
    assert len(marks) == 8
    for mark in marks:
        for x, y in (pt for c in mark.commands for pt in points_of(c)):
            outside_x = x <= -bleed or x >= page.width + bleed
            outside_y = y <= -bleed or y >= page.height + bleed
            assert outside_x or outside_y, (x, y)  # never inside the bleed area
    assert page.slug == pytest.approx(parse_length("8mm"))


def test_nothing_important_within_the_safe_margin():
    scene = scene_for(bleed=parse_length("3mm"), crop_marks=True)
    page, safe = scene.pages[0], parse_length("5mm")
    for top in page.items:
        for run in runs(top):
            box = ink_box(run)
            assert safe <= box.x and box.right <= page.width - safe
            assert safe <= box.y and box.bottom <= page.height - safe


def test_svg_stays_at_trim_size_without_marks(tmp_path):
    import xml.etree.ElementTree as ET

    from infogen.api import export

    svg = ET.fromstring(export(scene_for(bleed=parse_length("3mm"), crop_marks=True), "svg"))
    assert svg.get("viewBox") == "0 0 841.89 1190.551"
    assert not [g for g in svg.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "marks"]


def test_crop_marks_inside_the_bleed_are_refused(tmp_path):
    result = CliRunner().invoke(main, ["render", "--project", str(ROOT), "--out", str(tmp_path / "o"),
                                       "--bleed", "5mm", "--crop-marks"])  # fmt: skip
    assert (
        result.exit_code == 2 and "page.crop_mark_offset" in result.output and "inside the" in result.output
    )


@pytest.mark.parametrize("bad", [["--paper", "A9"], ["--paper", "12x"], ["--bleed", "lots"]])
def test_bad_print_options_are_clear_errors(tmp_path, bad):
    result = CliRunner().invoke(main, ["render", "--project", str(ROOT), "--out", str(tmp_path / "o"), *bad])
    assert result.exit_code == 2 and "expected a" in result.output and not (tmp_path / "o").exists()


def test_the_print_layout_extends_the_default(tmp_path):
    found = boxes(next(iter_render(tmp_path, "print")))
    assert found["TrimBox"][2] - found["TrimBox"][0] == pytest.approx(297, abs=0.01)
    assert found["BleedBox"][0] == pytest.approx(found["TrimBox"][0] - 3, abs=0.01)


def iter_render(tmp_path, layout):  # type: ignore[no-untyped-def]
    out = tmp_path / "o"
    result = CliRunner().invoke(main, ["render", "--project", str(ROOT), "--out", str(out), "--layout", layout,
                                       "-f", "pdf"])  # fmt: skip
    assert result.exit_code == 0, result.output
    return (p for p in sorted(out.iterdir()) if p.suffix == ".pdf")


# --- Colour: CMYK and PDF/X-4 -------------------------------------------------------


def content_operators(pdf_path) -> set[str]:  # type: ignore[no-untyped-def]
    import pikepdf

    with pikepdf.open(pdf_path) as pdf:
        ops = {str(op) for page in pdf.pages for _, op in pikepdf.parse_content_stream(page)}
        for page in pdf.pages:  # form XObjects too, should any appear
            for xobject in page.Resources.get("/XObject", {}).values():
                ops |= {str(op) for _, op in pikepdf.parse_content_stream(xobject)}
    return ops


RGB_OPERATORS = {"rg", "RG", "sc", "SC", "scn", "SCN", "cs", "CS"}  # RGB, or a colour space set


def test_cmyk_mode_writes_no_rgb_anywhere(tmp_path):
    pdf = render(tmp_path, "--colour", "cmyk", "--lang", "nl")
    ops = content_operators(pdf)
    assert {"k", "K"} <= ops  # fills and strokes (icons, marks) in DeviceCMYK
    assert not ops & RGB_OPERATORS
    assert b"/DeviceRGB" not in subprocess.run(["qpdf", "--qdf", str(pdf), "-"], capture_output=True).stdout


def test_rgb_mode_is_the_screen_default(tmp_path):
    ops = content_operators(render(tmp_path))
    assert "rg" in ops and "k" not in ops


def test_colours_can_be_given_for_print(project_copy):
    from infogen.units import parse_colour

    both = parse_colour("#0E7C86 cmyk(90, 20, 40, 10)")
    assert both.hex == "#0e7c86" and both.cmyk == pytest.approx((0.9, 0.2, 0.4, 0.1))
    derived = parse_colour("cmyk(0, 0, 0, 100)")
    assert derived.hex == "#000000"
    assert parse_colour("#FF0000").cmyk == (0.0, 1.0, 1.0, 0.0)
    assert parse_colour("cmyk(0, 0, 0, 120)") is None and parse_colour("#12 cmyk(1,2,3,4)") is None


def test_rich_black_is_used_for_black_areas_only(project_copy, tmp_path):
    layout = project_copy / "layouts" / "default.yaml"
    text, count = re.subn(r'background: "#14283C[^"]*"', 'background: "#000000"', layout.read_text())
    assert count >= 1
    layout.write_text(text.replace("black: plain", "black: rich"))
    out = tmp_path / "o"
    result = CliRunner().invoke(main, ["render", "--project", str(project_copy), "--out", str(out), "-f", "pdf",
                                       "--colour", "cmyk", "-q"])  # fmt: skip
    assert result.exit_code == 0, result.output
    import pikepdf

    with pikepdf.open(out / "default-en.pdf") as pdf:
        fills = [
            tuple(round(float(v), 3) for v in operands)
            for operands, op in pikepdf.parse_content_stream(pdf.pages[0])
            if str(op) == "k"
        ]
    assert (0.6, 0.4, 0.4, 1.0) in fills  # the black header band, in rich black


def make_pdfx(tmp_path):  # type: ignore[no-untyped-def]
    return render(tmp_path, "--layout", "print", "--lang", "nl")


def test_pdfx_has_output_intent_version_keys_and_boxes(tmp_path):
    import pikepdf

    path = make_pdfx(tmp_path)
    with pikepdf.open(path) as pdf:
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFX" and str(intent.OutputConditionIdentifier) == "FOGRA39"
        profile = intent.DestOutputProfile.read_bytes()
        assert (
            profile[16:20] == b"CMYK" and profile[36:40] == b"acsp" and int(intent.DestOutputProfile.N) == 4
        )
        assert str(pdf.docinfo["/GTS_PDFXVersion"]) == "PDF/X-4" and pdf.docinfo["/Trapped"] == "/False"
        with pdf.open_metadata() as meta:
            assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        assert pdf.trailer.ID and not pdf.is_encrypted and pdf.pdf_version >= "1.6"
        page = pdf.pages[0]
        assert page.TrimBox and page.BleedBox and page.MediaBox
        assert "/Group" not in page  # no transparency group
        ops = content_operators(path)
        assert not ops & RGB_OPERATORS and "gs" not in ops  # no RGB, no graphics-state (alpha)


def test_pdfx_passes_qpdf_and_ghostscript_without_warnings(tmp_path):
    path = make_pdfx(tmp_path)
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0 and "No syntax or stream encoding errors" in check.stdout
    gs = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=nullpage", str(path)],
                        capture_output=True, text=True)  # fmt: skip
    assert gs.returncode == 0 and not gs.stdout.strip() and not gs.stderr.strip(), gs.stdout + gs.stderr
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])


def test_pdfx_is_deterministic(tmp_path):
    assert make_pdfx(tmp_path / "a").read_bytes() == make_pdfx(tmp_path / "b").read_bytes()


def test_pdfx_without_its_profile_says_how_to_get_one(project_copy, tmp_path):
    layout = project_copy / "layouts" / "default.yaml"
    layout.write_text(layout.read_text().replace("profiles/FOGRA39L.icc", "profiles/missing.icc"))
    result = CliRunner().invoke(main, ["render", "--project", str(project_copy), "--out", str(tmp_path / "o"),
                                       "--pdfx"])  # fmt: skip
    assert (
        result.exit_code == 2 and "pdf.output_profile" in result.output and "make profiles" in result.output
    )
    assert not (tmp_path / "o").exists()
