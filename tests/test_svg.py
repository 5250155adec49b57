"""The SVG: valid, self-contained, labelled, with its text present for search and screen readers."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from infogen.api import export

from conftest import LANGUAGES, all_strings, squeeze

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"


def parse(path):  # type: ignore[no-untyped-def]
    return ET.parse(path).getroot()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_svg_parses_with_language_title_and_description(rendered, project, lang):
    root = parse(rendered[(lang, "svg")])
    assert root.tag == f"{SVG}svg"
    assert root.get("lang") == lang and root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    content = project.load_content(lang)
    assert root.find(f"{SVG}title").text == content.document.title
    assert root.find(f"{SVG}desc").text.strip()
    assert root.get("viewBox") == "0 0 841.89 1190.551"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_svg_contains_every_string_as_text(rendered, project, lang):
    root = parse(rendered[(lang, "svg")])
    text = squeeze("".join(t.text or "" for t in root.iter(f"{SVG}text")))
    for string in all_strings(project, lang):
        assert squeeze(string) in text, string
    directions = {element.get("direction") for element in root.iter(f"{SVG}text")}
    assert all(element.get("lang") == lang for element in root.iter(f"{SVG}text"))
    rtl = project.load_content(lang).direction == "rtl"
    assert "rtl" in directions if rtl else directions == {"ltr"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_svg_is_self_contained(rendered, lang):
    root = parse(rendered[(lang, "svg")])
    for element in root.iter():
        assert element.tag not in (f"{SVG}script", f"{SVG}image", f"{SVG}foreignObject")
        for name, value in element.attrib.items():
            if name in (XLINK, "href"):
                assert value.startswith("#"), value
            assert "url(" not in value or "url(#" in value
            assert not name.startswith("on")


def test_every_use_points_at_a_defined_glyph(rendered):
    root = parse(rendered[("en", "svg")])
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    refs = {e.get(XLINK) for e in root.iter(f"{SVG}use")}
    assert refs and {r[1:] for r in refs} <= ids


def test_svg_is_deterministic(scenes):
    assert export(scenes["nl"], "svg") == export(scenes["nl"], "svg")


@pytest.mark.parametrize("lang", ["en", "ar", "ja"])
def test_the_svg_writer_writes_what_elementtree_writes(scenes, lang):
    from infogen.export.svg import page_document, write_xml

    tree = page_document(scenes[lang])
    ours: list[str] = []
    write_xml(tree, ours.append)
    assert "".join(ours) == ET.tostring(tree, encoding="unicode")


def test_the_svg_writer_escapes_what_elementtree_escapes():
    from infogen.export.svg import write_xml

    root = ET.Element("g", {"title": 'a & b < c > d "e"\r\n\tf', "id": "plain"})
    child = ET.SubElement(root, "text", {"x": "1"})
    child.text = "x < y & z > w \"q\" 'r'"
    child.tail = "after & <tail>"
    ET.SubElement(root, "use", {"xlink:href": "#g1"})
    ours: list[str] = []
    write_xml(root, ours.append)
    assert "".join(ours) == ET.tostring(root, encoding="unicode")
