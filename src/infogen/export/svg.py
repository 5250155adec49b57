"""SVG exporter: paints a Scene with svgwrite. It never measures or shapes text.

Text is drawn as glyph outlines — each glyph defined once in <defs> and placed
with <use> — so the SVG looks the same in every renderer, whether or not it has
the font or supports web fonts (librsvg and Inkscape ignore @font-face). Each
run's text is also present as an invisible <text> element of the same size and
length, so browsers can search and select it and screen readers can read it.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import svgwrite
from svgwrite.container import Group as SvgGroup

from ..scene import Close, CubicTo, GlyphRun, Group, LineTo, MoveTo, Path, PathCommand, Scene, Transform
from ..text.outlines import glyph_path
from .walk import paint

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
    drawing: svgwrite.Drawing
    glyph_ids: dict[tuple[str, int], str] = field(default_factory=dict)
    font_numbers: dict[str, int] = field(default_factory=dict)
    clips: int = 0  # clip paths defined so far: ids by count, deterministic

    def enter_group(self, group: Group, target: SvgGroup) -> SvgGroup:
        if group.role == "marks":  # SVG is for screens: trim size, no printer's marks
            return self.drawing.g()  # painted into a group that is never attached
        name = group.kind or group.role
        g = self.drawing.g(class_=name)
        if group.id:
            g["id"] = f"{name}-{group.id}"
        if group.role in ARIA_ROLES:
            g["role"] = ARIA_ROLES[group.role]
        if group.role == "heading":
            g["aria-level"] = str(group.level)
        if group.role == "figure" and group.label:
            g["aria-label"] = group.label
        if group.role == "artifact":
            g["aria-hidden"] = "true"
        if group.transform is not None:
            g["transform"] = matrix(group.transform)
        if group.clip is not None:
            self.clips += 1
            clip = self.drawing.defs.add(self.drawing.clipPath(id=f"clip{self.clips}"))
            clip.add(self.drawing.path(d=path_data(group.clip)))
            g["clip-path"] = f"url(#clip{self.clips})"
        target.add(g)
        return g

    def leave_group(self, group: Group, target: SvgGroup) -> None:
        pass

    def paint_path(self, path: Path, target: SvgGroup) -> None:
        element = self.drawing.path(d=path_data(path.commands))
        element["fill"] = path.fill.hex if path.fill else "none"
        if path.stroke:
            s = path.stroke
            element.update(
                {
                    "stroke": s.colour.hex,
                    "stroke-width": num(s.width),
                    "stroke-linecap": s.cap,
                    "stroke-linejoin": s.join,
                }
            )
        target.add(element)

    def paint_glyphs(self, run: GlyphRun, target: SvgGroup) -> None:
        k = run.size / run.font.units_per_em
        # Most of a page's elements are these <use>s: built as ElementTree elements directly
        # (attributes in svgwrite's sorted order), not as svgwrite objects, which would cost
        # more than the rest of the export together.
        outlines = etree.Element(
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
        target.add(Prebuilt(outlines))
        # A right-to-left text element starts at its right end: anchor it there, so the
        # invisible text lies exactly over the glyphs it stands for.
        rtl = run.direction == "rtl"
        text = self.drawing.text(
            run.text,
            x=[num(run.x + run.advance if rtl else run.x)],
            y=[num(run.y)],
            font_size=num(run.size),
            textLength=num(run.advance),
            lengthAdjust="spacingAndGlyphs",
            fill=run.colour.hex,
        )
        text.update({"fill-opacity": "0", "lang": run.lang, "direction": run.direction})
        if rtl:
            text["text-anchor"] = "end"
        target.add(text)

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
                self.drawing.defs.add(self.drawing.path(d=d, id=ref))
                self.glyph_ids[key] = ref
        return self.glyph_ids[key]


class Prebuilt:
    """An element svgwrite adds as it is (as it adds its own <title>): built as ElementTree."""

    def __init__(self, xml: etree.Element) -> None:
        self.xml = xml
        self.elementname = xml.tag

    def get_xml(self) -> etree.Element:
        return self.xml


def export_svg(scene: Scene) -> bytes:
    return svg_bytes(page_drawing(scene))


def page_drawing(scene: Scene) -> svgwrite.Drawing:
    """The first page as an svgwrite drawing, before it is written (the debug overlay
    draws over it)."""
    page = scene.pages[0]  # SVG has one page; multi-page scenes export their first
    drawing = svgwrite.Drawing(
        size=(f"{num(page.width)}pt", f"{num(page.height)}pt"),
        viewBox=f"0 0 {num(page.width)} {num(page.height)}",
        profile="full",
        debug=False,
    )
    # A document with structure (headings, lists, images), named by its title: not one
    # image, whose children a screen reader would skip.
    drawing.update(
        {
            "lang": scene.lang,
            "xml:lang": scene.lang,
            "direction": scene.direction,
            "dir": scene.direction,
            "role": "document",
            "aria-labelledby": "title desc",
        }
    )
    drawing.set_desc(title=scene.title, desc=scene.subject)
    for element, name in zip(drawing.elements[:2], ("title", "desc"), strict=True):
        element.xml.set("id", name)  # for aria-labelledby on the root
    root = drawing.g(class_="page")
    drawing.add(root)
    painter = SvgPainter(drawing)
    for item in page.items:
        paint(item, painter, root)
    return drawing


def svg_bytes(drawing: svgwrite.Drawing) -> bytes:
    """The drawing as svgwrite's `write` puts it (its XML declaration, no stylesheets),
    serialised to text in one call rather than through an encoding file wrapper."""
    return (XML_DECLARATION + etree.tostring(drawing.get_xml(), encoding="unicode")).encode("utf-8")
