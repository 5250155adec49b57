"""Accessible outputs, read back with real tools: the tagged PDF's structure tree (pikepdf
and poppler's `pdfinfo -struct-text`), its marked content, its metadata, and the PDF/X
print file, which must be tagged too.

The expected outline is built from the content model and the layout's region tree — not
from the Scene — so a test fails if the painted structure drifts from the logical order.
"""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from click.testing import CliRunner

from infogen.api import Renderer, export
from infogen.cli import main
from infogen.model.check import regions
from infogen.model.content import Content
from infogen.model.layout import Layout
from infogen.model.regions import Badge, Bullets, Columns, Grid, Text, Title
from infogen.project import Project

from conftest import ROOT, squeeze

LAYOUTS = ["default", "handout", "print", "social"]
LANGS = ["en", "nl", "ar"]
PAINTING = {b"Tj", b"TJ", b"'", b'"', b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"S", b"s", b"sh", b"Do"}


@pytest.fixture(scope="module")
def tagged(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Every shipped layout in English, Dutch and Arabic, as a tagged PDF on disk."""
    renderer = Renderer(Project(ROOT))
    out = tmp_path_factory.mktemp("tagged")
    files = {}
    for layout in LAYOUTS:
        try:
            options = renderer.pdf_options(layout)
        except Exception:  # the print profile is built by `make profiles`; test_print needs it too
            pytest.skip("profiles/FOGRA39L.icc missing: run make profiles")
        for lang in LANGS:
            path = out / f"{layout}-{lang}.pdf"
            path.write_bytes(export(renderer.scene(layout, lang), "pdf", options))
            files[(layout, lang)] = path
    return files


# --- The expected outline, from the model ---


def expected_outline(layout: Layout, content: Content) -> list[tuple[str, str]]:
    """(structure type, text) of every text element and figure, in reading order, as the
    layout's regions name them: headings and paragraphs of text regions, then per grid
    the group headings, and per panel its figure, title and bullets (LBody)."""
    outline: list[tuple[str, str]] = []
    for _, region in regions(layout.body, "body"):
        if isinstance(region, Text):
            kind = f"H{region.level}" if region.role == "heading" else "P"
            outline += [(kind, s.text) for s in content.field(region.text)]
        elif isinstance(region, Columns):
            outline += [("P", s.text) for s in content.field(region.text)]
        elif isinstance(region, Grid):
            outline += _grid_outline(layout, region, content)
    return outline


def _grid_outline(layout: Layout, grid: Grid, content: Content) -> list[tuple[str, str]]:
    design = layout.panels[grid.panel]
    shown = [g for g in content.groups if grid.themes in ("all", g.id)]
    blocks = (
        [(g, g.themes) for g in shown]
        if grid.group_by == "group"
        else [(None, [t for g in shown for t in g.themes])]
    )
    outline: list[tuple[str, str]] = []
    for group, themes in blocks:
        if group is not None and grid.label is not None:
            outline.append((f"H{grid.label.level}", group.label))
        for theme in themes:
            for part in design.parts:
                if isinstance(part, Badge) and part.show == "icon" and part.icon_role == "figure":
                    outline.append(("Figure", theme.icon.description))
                elif isinstance(part, Title):
                    outline.append((f"H{part.level}", theme.title))
                elif isinstance(part, Bullets):
                    outline += [("LBody", b) for b in theme.bullets]
    return outline


# --- Reading the PDF back ---


def elements(pdf: pikepdf.Pdf) -> Iterator[tuple[pikepdf.Dictionary, list[str]]]:
    """Every structure element, depth first, with the types of its ancestors."""

    def walk(node: pikepdf.Dictionary, path: list[str]) -> Iterator[tuple[pikepdf.Dictionary, list[str]]]:
        yield node, path
        for kid in node.get("/K", []):
            if isinstance(kid, pikepdf.Dictionary):
                yield from walk(kid, [*path, str(node.S)[1:]])

    for top in pdf.Root.StructTreeRoot.K:
        yield from walk(top, [])


def struct_text(path: Path) -> list[tuple[str, str]]:
    """`pdfinfo -struct-text`: (type, text) of each element with text, its lines joined."""
    out = subprocess.run(
        ["pdfinfo", "-struct-text", str(path)], check=True, capture_output=True, text=True
    ).stdout
    found: list[tuple[str, list[str]]] = []
    for line in out.splitlines():
        stripped = line.strip()
        if stripped.startswith('"'):
            found[-1][1].append(stripped[1:-1])
        elif stripped:
            found.append((stripped.split()[0], []))
    return [(kind, " ".join(lines)) for kind, lines in found if lines and any(x.strip() for x in lines)]


def loose(text: str) -> str:
    """For comparing extracted lines with a source string: no whitespace, hyphens or
    format characters (a hyphenated line break leaves 'Organisa-' + 'tions')."""
    return squeeze(text).replace("-", "").replace("\u00ad", "")


# --- The structure tree ---


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("lang", LANGS)
def test_the_structure_tree_follows_the_content_in_reading_order(tagged, project, layout, lang):
    content = Renderer(project).project.load_content(lang)
    expected = expected_outline(project.load_layout(layout), content)
    with pikepdf.open(tagged[(layout, lang)]) as pdf:
        found = []
        for node, _ in elements(pdf):
            kind = str(node.S)[1:]
            if kind == "Figure":
                found.append((kind, str(node.Alt)))
            elif kind in ("H1", "H2", "H3", "H4", "P", "LBody"):
                found.append((kind, str(node.get("/ActualText", ""))))
        types = [k for k, _ in found]
        assert types == [k for k, _ in expected]
        for (kind, text), (_, source) in zip(found, expected, strict=True):
            if kind == "Figure" or lang == "ar":  # alt text; ActualText on right-to-left text
                assert text == source
    if lang != "ar":  # the text poppler reads out of each element's marked content
        extracted = [(k, t) for k, t in struct_text(tagged[(layout, lang)])]
        assert [k for k, _ in extracted] == [k for k, _ in expected if k != "Figure"]
        for (_, text), (_, source) in zip(extracted, [e for e in expected if e[0] != "Figure"], strict=True):
            assert loose(text) == loose(source)


@pytest.mark.parametrize("layout", ["default", "print"])
def test_panels_are_sections_with_a_heading_a_figure_and_a_list(tagged, layout):
    with pikepdf.open(tagged[(layout, "en")]) as pdf:
        panels = [
            n
            for n, _ in elements(pdf)
            if str(n.S) == "/Sect" and any(str(k.S) == "/L" for k in n.K if isinstance(k, pikepdf.Dictionary))
        ]
        assert len(panels) == 10
        for panel in panels:
            kids = [str(k.S)[1:] for k in panel.K if isinstance(k, pikepdf.Dictionary)]
            assert kids == ["Figure", "H3", "L"]
            (lst,) = [k for k in panel.K if isinstance(k, pikepdf.Dictionary) and str(k.S) == "/L"]
            for item in lst.K:
                assert str(item.S) == "/LI" and [str(k.S) for k in item.K] == ["/LBody"]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_everything_painted_is_marked_and_every_mcid_has_one_owner(tagged, layout, lang):
    with pikepdf.open(tagged[(layout, lang)]) as pdf:
        page = pdf.pages[0]
        stack: list[tuple[str, int | None]] = []
        mcids: list[int] = []
        for operands, operator in pikepdf.parse_content_stream(page):
            op = bytes(operator)
            if op in (b"BMC", b"BDC"):
                mcid = None
                if op == b"BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                    mcid = int(operands[1].MCID)
                    mcids.append(mcid)
                stack.append((str(operands[0]), mcid))
            elif op == b"EMC":
                stack.pop()
            elif op in PAINTING:
                assert any(tag == "/Artifact" or mcid is not None for tag, mcid in stack), (op, stack)
        assert not stack
        assert sorted(mcids) == list(range(len(mcids)))  # each used once, none skipped
        owners: dict[int, Any] = {}
        for node, _ in elements(pdf):
            for kid in node.get("/K", []):
                if isinstance(kid, int):
                    assert kid not in owners, kid
                    owners[kid] = node
        assert sorted(owners) == sorted(mcids)
        (parents,) = [pdf.Root.StructTreeRoot.ParentTree.Nums[1]]
        assert int(pdf.Root.StructTreeRoot.ParentTree.Nums[0]) == int(page.StructParents) == 0
        assert all(parents[m].objgen == owners[m].objgen for m in mcids)


@pytest.mark.parametrize("lang", LANGS)
def test_document_level_accessibility_keys(tagged, project, lang):
    content = project.load_content(lang)
    with pikepdf.open(tagged[("default", lang)]) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.Root.Lang) == lang
        assert "/RoleMap" not in pdf.Root.StructTreeRoot  # standard types only
        assert str(pdf.pages[0].Tabs) == "/S"
        meta = pdf.open_metadata()
        assert meta["dc:title"] == content.document.title
        assert meta["pdfuaid:part"] == "1"


def test_icons_are_described_in_the_language_of_the_page(tagged):
    with pikepdf.open(tagged[("default", "nl")]) as pdf:
        alts = [str(n.Alt) for n, _ in elements(pdf) if str(n.S) == "/Figure"]
    assert alts[0] == "Een schild met een vinkje" and len(alts) == 10


def test_an_untranslated_icon_falls_back_to_its_english_description(project_copy):
    lang = project_copy / "data" / "lang" / "nl.yaml"
    lang.write_text(lang.read_text().replace("  shield: Een schild met een vinkje\n", ""))
    content = Project(project_copy).load_content("nl")
    theme = content.groups[0].themes[0]
    assert theme.icon.description == "A shield with a check mark"
    assert content.text("icons.shield") == "A shield with a check mark"


def test_an_unknown_icon_name_in_a_language_file_is_refused(project_copy):
    lang = project_copy / "data" / "lang" / "nl.yaml"
    lang.write_text(lang.read_text().replace("  shield: Een", "  shild: Een"))
    result = CliRunner().invoke(
        main, ["validate", "--project", str(project_copy), "-l", "nl", "--layout", "default"]
    )
    assert result.exit_code == 2
    assert "icons.shild: unknown icon 'shild'" in result.stdout and "did you mean 'shield'?" in result.stdout


def test_decorative_icons_are_artifacts_when_the_layout_says_so(project_copy):
    layout = project_copy / "layouts" / "default.yaml"
    layout.write_text(
        layout.read_text().replace(
            "        kind: badge\n", "        kind: badge\n        icon_role: artifact\n", 1
        )
    )
    renderer = Renderer(Project(project_copy))
    with pikepdf.open(io.BytesIO(export(renderer.scene("default", "en"), "pdf"))) as pdf:
        assert not [n for n, _ in elements(pdf) if str(n.S) == "/Figure"]


def test_no_tags_writes_an_untagged_pdf(tmp_path):
    result = CliRunner().invoke(
        main, ["render", "--project", str(ROOT), "-f", "pdf", "--no-tags", "-o", str(tmp_path), "-q"]
    )
    assert result.exit_code == 0, result.output
    with pikepdf.open(tmp_path / "default-en.pdf") as pdf:
        assert "/StructTreeRoot" not in pdf.Root and "/MarkInfo" not in pdf.Root
    manifest = (tmp_path / "manifest.json").read_text()
    assert '"tagged": false' in manifest


# --- The print file: PDF/X-4 and PDF/UA-1 at once ---


def test_the_print_file_is_both_pdfx4_and_pdfua1(tagged):
    with pikepdf.open(tagged[("print", "en")]) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4" and meta["pdfuaid:part"] == "1"
        assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-4"
        assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked is True
        assert len(pdf.Root.OutputIntents) == 1
        marks = [
            operands[0]
            for operands, operator in pikepdf.parse_content_stream(pdf.pages[0])
            if bytes(operator) == b"BDC" and str(operands[0]) == "/Artifact"
        ]
        assert marks  # the crop marks, as page artifacts
    check = subprocess.run(["qpdf", "--check", str(tagged[("print", "en")])], capture_output=True, text=True)
    assert check.returncode == 0 and "No syntax or stream encoding errors" in check.stdout


# --- Arabic text extraction ---


# poppler moves a space or punctuation that stands between a Latin letter, a digit or
# `: , . ،` and the next Arabic letter or the line end (for every producer's PDF): such
# lines are compared by their words, the others exactly.
UNREPRESENTABLE = re.compile(r"[A-Za-z0-9:,.\u060C][\s\W_]+(?=[\u0621-\u064A]|$)")


def text_lines(scene: Any) -> Iterator[tuple[tuple[float, float, float, float], str]]:
    """Each painted line of text (its box, pt from the MediaBox's top-left) and its source
    text, taken in order from its group's logical string (the runs' texts, in whatever
    visual order they stand, add up to exactly that part of it)."""
    from infogen.scene import GlyphRun, Group, walk

    page = scene.pages[0]
    for top in page.items:
        for group in walk(top):
            if not isinstance(group, Group) or group.role not in ("heading", "paragraph", "list-item"):
                continue
            lines: dict[float, list[GlyphRun]] = {}
            for run in (r for r in walk(group) if isinstance(r, GlyphRun)):
                lines.setdefault(run.y, []).append(run)
            rest = group.label
            for y in sorted(lines):
                runs = lines[y]
                length = sum(len(r.text) for r in runs)
                rest = rest.lstrip()
                source, rest = rest[:length], rest[length:]
                assert sorted(source.replace(" ", "")) == sorted(
                    "".join(r.text for r in runs).replace(" ", "")
                )
                left = min(r.x for r in runs) + page.slug
                right = max(r.x + r.advance for r in runs) + page.slug
                size = max(r.size for r in runs)
                yield (left - 1, y + page.slug - size, right - left + 2, 1.3 * size), source


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", "".join(ch for ch in text if unicodedata.category(ch) != "Cf")).strip()


def words(text: str) -> list[str]:
    """Words and numbers, each of one script: poppler may drop the space it moves."""
    return re.findall(r"[\u0621-\u064A\u064B-\u0652\u0670]+|[^\W\d_\u0600-\u06FF]+|\d+", text)


@pytest.mark.parametrize("layout", ["default", "social"])
def test_arabic_text_extracts_in_reading_order_line_by_line(tagged, layout):
    """Each painted line against the page's lines as pdftotext reads them (the whole page:
    its reading direction, right to left, is poppler's guess from all of its text)."""
    scene = Renderer(Project(ROOT)).scene(layout, "ar")
    out = subprocess.run(
        ["pdftotext", str(tagged[(layout, "ar")]), "-"], check=True, capture_output=True, text=True
    )
    extracted = [plain(line) for line in out.stdout.splitlines() if line.strip()]
    checked = exact = 0
    for _, source in text_lines(scene):
        want = plain(source)
        checked += 1
        if UNREPRESENTABLE.search(want):
            assert words(want) in [words(line) for line in extracted], want
        else:
            exact += 1
            assert want in extracted
    assert checked > 12 and exact > checked / 3, (checked, exact)


# --- The SVG, as Chromium's accessibility tree exposes it ---


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


def aria_outline(snapshot: str) -> list[tuple[str, str]]:
    """(role, name) of the headings, images and list items of an ARIA snapshot (YAML)."""
    found = []
    for line in snapshot.splitlines():
        match = re.match(
            r"\s*- (heading|img|listitem|list)\b(?: \"(.*?)\")?(?: \[level=(\d)\])?:?(?: (.*))?$", line
        )
        if not match:
            continue
        role, name, level, text = match.groups()
        if role == "heading":
            found.append((f"H{level}", name))
        elif role == "img":
            found.append(("Figure", name))
        elif role == "listitem":
            found.append(("LBody", (name or text or "").strip()))
        else:
            found.append(("L", ""))
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_the_svg_exposes_headings_figures_and_lists_in_reading_order(browser, project, tmp_path, lang):
    scene = Renderer(project).scene("default", lang)
    svg = tmp_path / f"default-{lang}.svg"
    svg.write_bytes(export(scene, "svg"))
    page = browser.new_page()
    try:
        page.goto(svg.as_uri())
        snapshot = page.locator("svg").aria_snapshot()
    finally:
        page.close()
    found = aria_outline(snapshot)
    content = project.load_content(lang)
    expected = [e for e in expected_outline(project.load_layout("default"), content) if e[0] != "P"]
    assert sum(1 for role, _ in found if role == "L") == 10
    found = [f for f in found if f[0] != "L"]
    assert [r for r, _ in found] == [r for r, _ in expected]
    for (_, name), (_, source) in zip(found, expected, strict=True):
        assert squeeze(name) == squeeze(source)
    assert not re.search(r"^- img", snapshot)  # the root is a document, not one image


# --- Contrast (WCAG 2.2, 1.4.3) ---


@pytest.mark.parametrize(
    ("text", "background", "ratio"),
    [
        ("#000000", "#FFFFFF", 21.0),  # the extremes
        ("#FFFFFF", "#FFFFFF", 1.0),
        ("#767676", "#FFFFFF", 4.54),  # the lightest grey that passes on white
        ("#777777", "#FFFFFF", 4.48),  # and the first that fails
        ("#FFFFFF", "#0E7C86", 4.95),  # the default layout's group labels
    ],
)
def test_contrast_ratio_follows_wcag(text, background, ratio):
    from infogen.model.contrast import contrast_ratio
    from infogen.units import parse_colour

    assert contrast_ratio(parse_colour(text), parse_colour(background)) == pytest.approx(ratio, abs=0.01)
    assert contrast_ratio(parse_colour(background), parse_colour(text)) == pytest.approx(ratio, abs=0.01)


def test_every_shipped_layout_passes_the_contrast_check(project):
    from infogen.model.contrast import contrast_problems

    for name in project.layouts():
        layout, locations = project.read_layout(name)
        assert contrast_problems(layout, locations) == []


def _validate(project_copy: Path, *extra: str) -> Any:
    return CliRunner().invoke(
        main, ["validate", "--project", str(project_copy), "--layout", "default", "-l", "en", *extra]
    )


def test_validate_refuses_low_contrast_and_names_the_style_colours_and_ratio(project_copy, monkeypatch):
    monkeypatch.chdir(project_copy)
    layout = project_copy / "layouts" / "default.yaml"
    text = layout.read_text()
    layout.write_text(text.replace('colour: "#5B6770 cmyk(0, 0, 0, 68)"', 'colour: "#999999"', 1))
    result = _validate(project_copy)
    assert result.exit_code == 2
    line = next(x for x in result.stdout.splitlines() if "contrast" in x)
    assert line.startswith("layouts/default.yaml:") and ": error: styles.credits.colour: " in line
    assert "credits (body[6]) in style 'credits': #999999 on #FFFFFF has a contrast ratio of 2.85:1" in line
    assert "below the 4.5:1 WCAG 2.2 (AA) asks for normal text (9.5pt)" in line
    render = CliRunner().invoke(main, ["render", "--project", str(project_copy), "--check", "-f", "pdf"])
    assert render.exit_code == 0 and ": warning: styles.credits.colour: " in render.output  # a render warns


def test_large_text_needs_3_to_1_and_the_fit_can_make_text_small(project_copy, monkeypatch):
    monkeypatch.chdir(project_copy)
    layout = project_copy / "layouts" / "default.yaml"
    original = layout.read_text()
    # #8A8A8A on white is 3.45:1: enough for the 42pt heading, not for 16pt bullets.
    layout.write_text(original.replace('"#24313D cmyk(0, 0, 0, 88)"', '"#8A8A8A"', 1))
    result = _validate(project_copy)
    assert result.exit_code == 2 and "styles.bullet.colour" in result.stdout
    assert "(10pt)" in result.stdout  # judged at fit.min_size: the smallest the bullets may get
    band = original.replace('colour: "#FFFFFF", balance: true', 'colour: "#5A7A99", balance: true', 1)
    layout.write_text(band)  # the heading on the dark band: large, bold text at 3:1 passes
    assert "styles.heading.colour" not in _validate(project_copy).stdout


def test_group_labels_are_checked_against_every_palette(project_copy, monkeypatch):
    monkeypatch.chdir(project_copy)
    layout = project_copy / "layouts" / "default.yaml"
    layout.write_text(
        layout.read_text().replace('colour: "#5A3E9B cmyk(82, 88, 0, 1)"', 'colour: "#C9B8F0"', 1)
    )
    result = _validate(project_copy)
    assert result.exit_code == 2
    assert (
        ": error: palettes[1].on_colour: group labels (palettes[1]) in style 'group-label': #FFFFFF on #C9B8F0"
        in result.stdout
    )
