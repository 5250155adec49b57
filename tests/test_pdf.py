"""The PDF, inspected with real tools: poppler's pdftotext, pdffonts, pdfinfo, and qpdf."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from infogen.api import export

from conftest import LANGUAGES, ROOT, all_strings, squeeze


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def normalise(text: str) -> str:
    text = re.sub("\u00ad\\s*", "", text)  # a line broken at a hyphenation point
    text = re.sub(r"-\n", "-", text)  # a line broken after a hard hyphen
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_string_is_extractable_text(rendered, project, lang):
    text = squeeze(run("pdftotext", "-raw", str(rendered[(lang, "pdf")]), "-"))
    rtl = project.load_content(lang).direction == "rtl"
    for string in all_strings(project, lang):
        # poppler keeps each right-to-left word in reading order, but orders a line's words
        # around punctuation and numbers as they stand: right-to-left text is checked by word.
        for part in re.findall(r"\w+", string) if rtl else [string]:
            assert squeeze(part) in text, (string, part)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_text_comes_out_in_reading_order(rendered, project, lang):
    text = squeeze(run("pdftotext", "-raw", str(rendered[(lang, "pdf")]), "-"))
    content = project.load_content(lang)
    sequence = [content.heading, content.text("intro[0]")] + [
        t.title for g in content.groups for t in g.themes
    ]
    if content.direction == "rtl":  # by word: see test_every_string_is_extractable_text
        sequence = [max(re.findall(r"\w+", s), key=len) for s in sequence]
    positions, start = [], 0
    for s in sequence:  # each after the one before
        found = text.find(squeeze(s), start)
        positions.append(found)
        start = max(start, found)
    assert -1 not in positions and positions == sorted(positions)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_font_is_embedded_and_subset(rendered, lang):
    lines = run("pdffonts", str(rendered[(lang, "pdf")])).splitlines()[2:]
    assert lines, "no fonts at all"
    for line in lines:
        name, emb, sub = line.split()[0], line.split()[-5], line.split()[-4]
        assert (emb, sub) == ("yes", "yes"), line
        assert "+" in name


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_base14_font_is_referenced(rendered, lang, tmp_path):
    plain = tmp_path / "plain.pdf"
    subprocess.run(
        ["qpdf", "--qdf", "--object-streams=disable", str(rendered[(lang, "pdf")]), str(plain)], check=True
    )
    body = plain.read_bytes()
    for base14 in (b"Helvetica", b"Times-Roman", b"Courier", b"Symbol", b"ZapfDingbats"):
        assert base14 not in body


@pytest.mark.parametrize("lang", LANGUAGES)
def test_qpdf_finds_no_errors(rendered, lang):
    result = subprocess.run(["qpdf", "--check", str(rendered[(lang, "pdf")])], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


@pytest.mark.parametrize("lang", LANGUAGES)
def test_metadata_and_language(rendered, project, lang, tmp_path):
    info = run("pdfinfo", str(rendered[(lang, "pdf")]))
    content = project.load_content(lang)
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    assert fields["Title"].strip() == content.document.title
    assert fields["Subject"].strip() == re.sub(r"[ \n]+", " ", content.document.subject).strip()
    assert fields["Author"].strip() == ", ".join(content.authors)
    assert fields["Page size"].split()[:3] == ["841.89", "x", "1190.55"]  # A3 portrait
    plain = tmp_path / "plain.pdf"
    subprocess.run(["qpdf", "--qdf", str(rendered[(lang, "pdf")]), str(plain)], check=True)
    assert f"/Lang ({lang})".encode() in plain.read_bytes()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_xmp_metadata_agrees_with_the_info_dictionary(rendered, lang):
    import pikepdf

    with pikepdf.open(rendered[(lang, "pdf")]) as pdf:
        info = pdf.docinfo
        assert "/Filter" not in pdf.Root.Metadata  # readable by tools that scan for the packet
        with pdf.open_metadata() as meta:  # parsed as RDF by pikepdf (lxml)
            assert meta["dc:title"] == str(info.Title)
            assert meta["dc:description"] == str(info.Subject)
            assert meta["dc:creator"] == [str(info.Author)]
            assert meta["pdf:Keywords"] == str(info.Keywords)
            assert meta["pdf:Producer"] == str(info.Producer)
            assert meta["xmp:CreatorTool"] == str(info.Creator)
            assert set(meta["dc:language"]) == {lang} and meta["pdfuaid:part"] == "1"
            assert meta["xmp:CreateDate"].startswith("2000-01-01T00:00:00")  # the info's date


def test_the_header_names_a_version_with_every_key_the_file_uses(rendered):
    import pikepdf

    with pikepdf.open(rendered[("en", "pdf")]) as pdf:
        assert "/Tabs" in pdf.pages[0] and pdf.pdf_version >= "1.5"  # /Tabs is PDF 1.5


def test_xmp_escapes_markup_in_its_values():
    import xml.etree.ElementTree as ET

    from infogen.export.xmp import NAMESPACES, packet

    title = 'Trends <2024> & "more"'
    root = ET.fromstring(packet({"dc:title": title, "dc:creator": ["A & B", "C"], "pdfuaid:part": "1"}))
    dc = "{" + NAMESPACES["dc"] + "}"
    assert [li.text for li in root.iter("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}li")] == [
        title,
        "A & B",
        "C",
    ]
    assert root.find(f".//{dc}title") is not None
    with pytest.raises(ValueError, match="nope"):
        packet({"nope:key": "x"})


def test_same_inputs_give_identical_bytes_across_processes(scenes, tmp_path):
    first = export(scenes["nl"], "pdf")
    out = tmp_path / "again"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "infogen",
            "render",
            "--lang",
            "nl",
            "--format",
            "pdf",
            "-q",
            "--out",
            str(out),
            "--project",
            str(ROOT),
        ],
        check=True,
    )
    assert (out / "default-nl.pdf").read_bytes() == first
    assert export(scenes["nl"], "pdf") == first


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_each_font_embeds_the_glyphs_the_page_draws_and_its_names(scenes, lang):
    """The face reportlab embeds is HarfBuzz's subset of the page's glyphs (not reportlab's
    subset of the whole file, which added every ASCII glyph): the embedded fonts of a face
    hold the glyphs the Scene draws in it, and besides them only each subset's .notdef and
    (past the first) the space reportlab reserves for word spacing; and the file's name
    table whole — copyright and licence travel with the font."""
    import io

    import pikepdf
    from fontTools.ttLib import TTFont

    from infogen.scene import GlyphRun, walk

    scene = scenes[lang]
    drawn: dict[str, set[int]] = {}
    sources = {}
    for page in scene.pages:
        for top in page.items:
            for item in walk(top):
                if isinstance(item, GlyphRun):
                    drawn.setdefault(item.font.id, set()).update(g.id for g in item.glyphs)
                    sources[item.font.id] = item.font
    embedded: dict[str, int] = {}
    subsets: dict[str, int] = {}
    with pikepdf.open(io.BytesIO(export(scene, "pdf"))) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                name = str(obj.FontName)[1:].split("+", 1)[1]
                font = TTFont(io.BytesIO(obj.FontFile2.read_bytes()))
                embedded[name] = embedded.get(name, 0) + font["maxp"].numGlyphs
                subsets[name] = subsets.get(name, 0) + 1
                with TTFont(sources[name].path, fontNumber=sources[name].index, lazy=True) as source:
                    assert font["name"].compile(font) == source["name"].compile(source)
    assert embedded.keys() == drawn.keys()
    for name, glyphs in drawn.items():
        assert len(glyphs | {0}) <= embedded[name] <= len(glyphs | {0}) + 2 * subsets[name] - 2, name


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_each_embedded_glyph_has_the_width_the_font_dictionary_gives_it(scenes, lang):
    """The advance of each glyph in the embedded font program agrees with the PDF's
    /Widths (what preflight checks compare): reportlab kept the advances of glyphs past
    hhea.numberOfHMetrics scaled to 1000/em, which the subsets (trailing equal advances
    shared) reach for many glyphs of a 2048/em face."""
    import io

    import pikepdf
    from fontTools.ttLib import TTFont

    checked = 0
    with pikepdf.open(io.BytesIO(export(scenes[lang], "pdf"))) as pdf:
        for font in pdf.pages[0].Resources.Font.values():
            program = TTFont(io.BytesIO(font.FontDescriptor.FontFile2.read_bytes()))
            per_em = program["head"].unitsPerEm
            cmap = {code: glyph for table in program["cmap"].tables for code, glyph in table.cmap.items()}
            for i, width in enumerate(font.Widths):
                glyph = cmap.get(int(font.FirstChar) + i)
                if glyph is not None and glyph != ".notdef":
                    assert program["hmtx"][glyph][0] * 1000 / per_em == pytest.approx(float(width), abs=1)
                    checked += 1
    assert checked > 50


def test_a_page_of_glyphs_without_characters_of_their_own_still_embeds(scenes):
    """A subset keeps a cmap entry whatever the page draws: drawing only contextual forms
    (glyphs no character maps to) left it none, and reportlab refused the font."""
    from fontTools.ttLib import TTFont
    from reportlab.pdfbase import pdfmetrics

    from infogen.export import pdf
    from infogen.scene import GlyphRun, walk

    ref = next(
        item.font
        for top in scenes["ar"].pages[0].items
        for item in walk(top)
        if isinstance(item, GlyphRun) and "Arabic" in item.font.id
    )
    with TTFont(ref.path, fontNumber=ref.index, lazy=True) as font:
        mapped = {font.getGlyphID(name) for table in font["cmap"].tables for name in table.cmap.values()}
        unmapped = [g for g in range(1, font["maxp"].numGlyphs) if g not in mapped][:12]
    assert len(unmapped) == 12
    glyph_ids = pdf._register(ref, set(unmapped))
    try:
        assert sorted(glyph_ids) == sorted(unmapped) and len(set(glyph_ids.values())) == 12
    finally:
        pdfmetrics.getFont(ref.id).unregister()


def test_bytes_do_not_depend_on_what_was_rendered_before(project_copy, tmp_path):
    """Glyphs without a character (the "ft" ligature, "g" with a combining tilde) get private
    codes in the PDF; a file's codes must not depend on the languages rendered before it."""
    for lang, old, new in [
        ("en", "Protecting communities", "Protecting g\u0303 communities"),
        ("nl", "Gemeenschappen beschermen", "Software en gemeenschappen beschermen"),
    ]:
        path = project_copy / "data" / "lang" / f"{lang}.yaml"
        path.write_text(path.read_text().replace(old, new))

    def render(langs: str, out: Path) -> bytes:
        subprocess.run([sys.executable, "-m", "infogen", "render", "--lang", langs, "--format", "pdf", "-q",
                        "--out", str(out), "--project", str(project_copy)], check=True)  # fmt: skip
        return (out / "default-nl.pdf").read_bytes()

    alone = render("nl", tmp_path / "alone")
    assert render("en,nl", tmp_path / "after-en") == alone
    text = subprocess.run(["pdftotext", "-raw", str(tmp_path / "alone" / "default-nl.pdf"), "-"],
                          capture_output=True, check=True, text=True).stdout  # fmt: skip
    assert "Software en gemeenschappen beschermen" in normalise(text)  # the ligature extracts as "ft"
