"""SVG exporter: paints a Scene as an SVG document. It never measures or shapes text.

Text is drawn as glyph outlines — each glyph defined once in <defs> and placed
with <use> — so the SVG looks the same in every renderer, whether or not it has
the font or supports web fonts (librsvg and Inkscape ignore @font-face). Each
run's text is also present as an invisible <text> element of the same size and
length, so browsers can search and select it and screen readers can read it.

The document is ElementTree's elements, written by `write_xml` in one pass, as svgwrite
writes its documents (the root's attributes and namespaces, the <title>, <desc> and
<defs> in that order, every element's attributes sorted, none empty): svgwrite's own
element objects cost more than the rest of the export together, and importing it ~25 ms of
every cold SVG render (its validator's tables). The debug overlay, which draws shapes of
its own over the page, builds them with svgwrite (debug.py).
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

from ..scene import Close, CubicTo, GlyphRun, Group, LineTo, MoveTo, Path, PathCommand, Scene, Transform
from ..text.outlines import glyph_path
from .walk import paint
from .xmltext import write_xml

XML_DECLARATION = '<?xml version="1.0" encoding="utf-8" ?>\n'


def num(value: float) -> str:
    """Compact, deterministic number formatting."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def path_data(commands: tuple[PathCommand, ...]) -> str:
    return " ".join(_command(c) for c in commands)


def _command(c: PathCommand) -> str:
    if isinstance(c, MoveTo):
        return f"M{num(c.x)} {num(c.y)}"
    if isinstance(c, LineTo):
        return f"L{num(c.x)} {num(c.y)}"
    if isinstance(c, CubicTo):
        return "C" + " ".join(num(v) for v in (c.x1, c.y1, c.x2, c.y2, c.x, c.y))
    assert isinstance(c, Close)
    return "Z"


def matrix(t: Transform) -> str:
    return "matrix(" + " ".join(f"{v:.7g}" for v in (t.a, t.b, t.c, t.d, t.e, t.f)) + ")"


# ARIA roles for the Scene's roles that have one; a section is named by its label.
ARIA_ROLES = {"heading": "heading", "list": "list", "list-item": "listitem", "figure": "img"}


@dataclass
class SvgPainter:
    """Paints items as ElementTree elements under the page's root group; clip paths and
    glyph outlines go into the document's <defs>, each defined once."""

    defs: etree.Element
    glyph_ids: dict[tuple[str, int], str] = field(default_factory=dict)
    font_numbers: dict[str, int] = field(default_factory=dict)
    clips: int = 0  # clip paths defined so far: ids by count, deterministic

    def enter_group(self, group: Group, target: etree.Element) -> etree.Element:
        if group.role == "marks":  # SVG is for screens: trim size, no printer's marks
            return etree.Element("g")  # painted into a group that is never attached
        name = group.kind or group.role
        attributes = {"class": name}
        if group.id:
            attributes["id"] = f"{name}-{group.id}"
        if group.role in ARIA_ROLES:
            attributes["role"] = ARIA_ROLES[group.role]
        if group.role == "heading":
            attributes["aria-level"] = str(group.level)
        if group.role == "figure" and group.label:
            attributes["aria-label"] = group.label
        if group.role == "artifact":
            attributes["aria-hidden"] = "true"
        if group.transform is not None:
            attributes["transform"] = matrix(group.transform)
        if group.clip is not None:
            self.clips += 1
            clip = element("clipPath", {"id": f"clip{self.clips}"})
            clip.append(element("path", {"d": path_data(group.clip)}))
            self.defs.append(clip)
            attributes["clip-path"] = f"url(#clip{self.clips})"
        g = element("g", attributes)
        target.append(g)
        return g

    def leave_group(self, group: Group, target: etree.Element) -> None:
        pass

    def paint_path(self, path: Path, target: etree.Element) -> None:
        attributes = {"d": path_data(path.commands), "fill": path.fill.hex if path.fill else "none"}
        if path.stroke:
            s = path.stroke
            attributes["stroke"] = s.colour.hex
            attributes["stroke-width"] = num(s.width)
            attributes["stroke-linecap"] = s.cap
            attributes["stroke-linejoin"] = s.join
        target.append(element("path", attributes))

    def paint_glyphs(self, run: GlyphRun, target: etree.Element) -> None:
        k = run.size / run.font.units_per_em
        outlines = etree.SubElement(
            target,
            "g",
            {
                "aria-hidden": "true",
                "fill": run.colour.hex,
                # The scale needs more precision than coordinates: 0.0135 vs 0.014 is a 4% error.
                "transform": f"translate({num(run.x)} {num(run.y)}) scale({k:.7g} {-k:.7g})",
            },
        )
        for glyph in run.glyphs:
            ref = self._glyph(run, glyph.id)
            if ref:  # y only where a glyph is raised or lowered (marks): most are on the baseline
                attributes = {"x": num(glyph.x / k), "xlink:href": f"#{ref}"}
                if glyph.y:
                    attributes["y"] = num(-glyph.y / k)
                etree.SubElement(outlines, "use", attributes)
        # A right-to-left text element starts at its right end: anchor it there, so the
        # invisible text lies exactly over the glyphs it stands for.
        rtl = run.direction == "rtl"
        text = {
            "x": num(run.x + run.advance if rtl else run.x),
            "y": num(run.y),
            "font-size": num(run.size),
            "textLength": num(run.advance),
            "lengthAdjust": "spacingAndGlyphs",
            "fill": run.colour.hex,
            "fill-opacity": "0",
            "lang": run.lang,
            "direction": run.direction,
        }
        if rtl:
            text["text-anchor"] = "end"
        target.append(element("text", text, run.text))

    def _glyph(self, run: GlyphRun, glyph_id: int) -> str:
        """Id of the glyph's <path> in <defs>, defined on first use; '' for blank glyphs."""
        key = (run.font.id, glyph_id)
        if key not in self.glyph_ids:
            d = glyph_path(run.font.path, run.font.index, run.font.digest, glyph_id)
            if not d:
                self.glyph_ids[key] = ""
            else:
                font_number = self.font_numbers.setdefault(run.font.id, len(self.font_numbers) + 1)
                ref = f"f{font_number}g{glyph_id}"
                self.defs.append(element("path", {"d": d, "id": ref}))
                self.glyph_ids[key] = ref
        return self.glyph_ids[key]


def element(tag: str, attributes: dict[str, str], text: str | None = None) -> etree.Element:
    """An element as svgwrite writes one: attributes in sorted order, empty ones left out."""
    built = etree.Element(tag, {name: attributes[name] for name in sorted(attributes) if attributes[name]})
    if text is not None:
        built.text = text
    return built


def export_svg(scene: Scene) -> bytes:
    return svg_bytes(page_document(scene))


def page_document(scene: Scene) -> etree.Element:
    """The first page as an SVG document's root element, before it is written (the debug
    overlay draws over it)."""
    page = scene.pages[0]  # SVG has one page; multi-page scenes export their first
    # A document with structure (headings, lists, images), named by its title: not one
    # image, whose children a screen reader would skip.
    document = element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "xmlns:xlink": "http://www.w3.org/1999/xlink",
            "xmlns:ev": "http://www.w3.org/2001/xml-events",
            "version": "1.1",
            "baseProfile": "full",
            "width": f"{num(page.width)}pt",
            "height": f"{num(page.height)}pt",
            "viewBox": f"0 0 {num(page.width)} {num(page.height)}",
            "lang": scene.lang,
            "xml:lang": scene.lang,
            "direction": scene.direction,
            "dir": scene.direction,
            "role": "document",
            "aria-labelledby": "title desc",  # the ids below
        },
    )
    document.append(element("title", {"id": "title"}, scene.title))
    document.append(element("desc", {"id": "desc"}, scene.subject))
    defs = etree.SubElement(document, "defs")
    root = etree.SubElement(document, "g", {"class": "page"})
    painter = SvgPainter(defs)
    for item in page.items:
        paint(item, painter, root)
    return document


def svg_bytes(document: etree.Element) -> bytes:
    """The document with its XML declaration, serialised by `write_xml` in one pass."""
    out = [XML_DECLARATION]
    write_xml(document, out.append)
    return "".join(out).encode("utf-8")
