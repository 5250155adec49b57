"""The layout spec: every visual decision of an infographic, read from layouts/<name>.yaml.

Python holds no visual defaults: a key a layout leaves out is an error, so what
a designer sees in the YAML is the whole design. Each key's documentation
lives here and is printed by `infogen reference` (and copied into the README).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..units import Colour, Paper, Pt
from .schema import key


@dataclass(frozen=True)
class FontSpec:
    family: str = key("Font family name as the font file declares it, e.g. 'Source Sans Pro'.")
    weight: int = key("Weight class: 400 regular, 600 semibold, 700 bold.", min=100, max=900)
    italic: bool = key("Use the italic face.", default=False)
    file: str | None = key(
        "A font file to use instead of searching by family, relative to the project root "
        "(e.g. fonts/MyFont.ttf); it must declare the family, weight and style given here.",
        default=None,
    )
    package: str | None = key(
        "The Debian package that provides the font, named in the message when it is missing.",
        default=None,
    )


@dataclass(frozen=True)
class TextStyle:
    font: str = key("Name of a font in `fonts`.")
    size: Pt = key("Type size.", min=4, max=200)
    leading: float = key("Line height as a multiple of the size (1.2 = 120%).", min=0.8, max=3)
    colour: Colour = key("Text colour.")
    balance: bool = key(
        "Even out the line lengths, the last line included (for headings); otherwise fill each "
        "line and keep the right edge even.",
        default=False,
    )


@dataclass(frozen=True)
class Edges:
    top: Pt = key("Top.", min=0)
    right: Pt = key("Right.", min=0)
    bottom: Pt = key("Bottom.", min=0)
    left: Pt = key("Left.", min=0)


@dataclass(frozen=True)
class Page:
    size: Paper = key(
        "Trim size: A0-A6, B4, B5, letter, legal, tabloid, or WIDTHxHEIGHT with a unit "
        "('420x297mm'). It is the size the layout is designed for: rendered on other paper "
        "(--paper), every length scales by the square root of the ratio of the areas."
    )
    orientation: Literal["portrait", "landscape"] = key("Portrait (tall) or landscape (wide).")
    margin: Edges = key("Distance from the trim edge to the content.")
    background: Colour = key("Page colour; it runs into the bleed.")
    bleed: Pt = key(
        "How far colours that touch the trim edge run beyond it, so trimming leaves no white "
        "edge (3mm is usual for print; 0 for screen).",
        max=72,
    )
    crop_marks: bool = key("Draw crop marks at the trim corners, outside the bleed (PDF only).")
    crop_mark_length: Pt = key("Length of each crop mark.", max=72)
    crop_mark_offset: Pt = key("Gap between the trim edge and a crop mark; at least the bleed.", max=72)
    crop_mark_thickness: Pt = key("Line width of the crop marks.", max=4)

    @property
    def width(self) -> float:
        return self.size.oriented(self.orientation)[0]

    @property
    def height(self) -> float:
        return self.size.oriented(self.orientation)[1]

    @property
    def slug(self) -> float:
        """Room around the trim in the PDF's MediaBox: the bleed, plus the marks if drawn."""
        marks = self.crop_mark_offset + self.crop_mark_length if self.crop_marks else 0.0
        return max(self.bleed, marks)


@dataclass(frozen=True)
class Header:
    background: Colour = key("Colour of the header band; it runs to the top, left and right trim edges.")
    padding_top: Pt = key("Space between the top trim edge and the heading.", min=0)
    padding_bottom: Pt = key("Space between the last line of the intro and the bottom of the band.", min=0)
    heading_style: str = key("Text style of the heading.")
    heading_gap: Pt = key(
        "Space between the heading and the accent rule (or the intro, without a rule).", min=0
    )
    rule_colour: Colour = key("Colour of the short accent rule under the heading.")
    rule_width: Pt = key("Length of the accent rule.", min=0)
    rule_thickness: Pt = key("Thickness of the accent rule (0 for none).", min=0)
    rule_gap: Pt = key("Space between the accent rule and the intro.", min=0)
    intro_style: str = key("Text style of the intro paragraphs.")
    intro_columns: int = key("Number of columns the intro paragraphs are set in.", min=1, max=4)
    intro_column_gap: Pt = key("Space between intro columns.", min=0)
    paragraph_gap: Pt = key("Space between intro paragraphs in the same column.", min=0)


@dataclass(frozen=True)
class Footer:
    style: str = key("Text style of the credits line.")
    gap: Pt = key("Space between the panels and the footer rule.", min=0)
    rule_colour: Colour = key("Colour of the rule above the credits.")
    rule_thickness: Pt = key("Thickness of the rule above the credits (0 for none).", min=0)
    rule_gap: Pt = key("Space between the rule and the credits text.", min=0)


@dataclass(frozen=True)
class GroupPalette:
    colour: Colour = key("Strong colour: group label band, icon badge, bullet markers.")
    on_colour: Colour = key("Colour of text and icons drawn on the strong colour.")
    tint: Colour = key("Panel background colour.")
    title_colour: Colour = key("Colour of panel titles.")


@dataclass(frozen=True)
class GroupLabel:
    style: str = key("Text style of the group label (its colour is replaced by the palette's on-colour).")
    height: Pt = key("Height of the label band.", min=0)
    padding_x: Pt = key("Space between the band's left edge and the label text.", min=0)
    radius: Pt = key("Corner radius of the band.", min=0)
    gap: Pt = key("Space between the label band and the first panel.", min=0)


@dataclass(frozen=True)
class Body:
    arrangement: Literal["columns", "rows"] = key(
        "How the groups share the body: side by side (`columns`) or stacked (`rows`)."
    )
    gap_before: Pt = key("Space between the header band and the body.", min=0)
    group_gap: Pt = key("Space between groups.", min=0)
    panel_columns: int = key("Columns of panels inside each group.", min=1, max=10)
    panel_gap: Pt = key("Space between panels, both directions.", min=0)
    row_heights: Literal["content", "equal"] = key(
        "`content`: each row of panels is as tall as its fullest panel needs, and the height "
        "left over is shared out evenly; `equal`: all rows are the same height. "
        "(With `panel.fit.mode: per-panel`, rows are always equal.)"
    )
    label: GroupLabel = key("The label band at the top of each group.")
    palettes: tuple[GroupPalette, ...] = key(
        "Colours of each group, in the order the groups appear in the data; repeats if shorter.",
        items=(1, 12),
    )


@dataclass(frozen=True)
class Icon:
    position: Literal["left", "top"] = key(
        "Where the icon badge sits: `left` of the text column, or `top` above the title."
    )
    badge_diameter: Pt = key("Diameter of the round badge behind the icon (0 for no badge).", min=0)
    size: Pt = key("Size of the icon's square drawing area, centred in the badge.", min=1)
    line_cap: Literal["butt", "round", "square"] = key("How the icon's open strokes end.")
    line_join: Literal["miter", "round", "bevel"] = key("How the icon's strokes meet at corners.")
    stroke_width: float = key(
        "Stroke width in icon units (the icon grid is `view_box` units wide).", min=0.1, max=6
    )
    gap: Pt = key("Space between the badge and the text.", min=0)


@dataclass(frozen=True)
class Bullets:
    style: str = key("Text style of the bullets.")
    marker_diameter: Pt = key("Diameter of the round bullet marker.", min=0)
    indent: Pt = key("Hanging indent: bullet text starts this far right of the marker's left edge.", min=0)
    gap: Pt = key("Space between bullets.", min=0)
    count: int | None = key(
        "Exact number of bullets every theme must have (the design is drawn for it); "
        "leave it out to allow any number.",
        default=None,
        min=1,
        max=12,
    )


@dataclass(frozen=True)
class Fit:
    mode: Literal["uniform", "per-panel"] = key(
        "`uniform`: every panel's text shrinks by the same amount so panels look alike; "
        "`per-panel`: each panel shrinks only as much as it needs."
    )
    min_size: Pt = key(
        "Smallest bullet size allowed; titles shrink in proportion. Below it the render fails.", min=4
    )
    step: Pt = key("Size decrement tried while shrinking.", min=0.05, max=4)


@dataclass(frozen=True)
class Panel:
    padding: Edges = key("Space between the panel edge and its content.")
    radius: Pt = key("Corner radius of the panel.", min=0)
    title_style: str = key("Text style of the panel title.")
    title_gap: Pt = key("Space between the title and the first bullet.", min=0)
    icon: Icon = key("The theme icon.")
    bullets: Bullets = key("The bullets of each theme.")
    fit: Fit = key("What happens when text does not fit the panel.")


@dataclass(frozen=True)
class TextSettings:
    hyphenate: bool = key("Hyphenate words (with the language's patterns, where pyphen has them).")
    hyphen_min_word: int = key("Shortest word that may be hyphenated, in letters.", min=4, max=40)
    hyphen_min_before: int = key("Letters that must stay before a hyphen.", min=1, max=10)
    hyphen_min_after: int = key("Letters that must move to the next line.", min=1, max=10)
    hyphen_below_fill: float = key(
        "Hyphenate a paragraph only if, unhyphenated, a line other than the last would fill "
        "less than this share of its column (or a word would not fit at all).",
        min=0,
        max=1,
    )


@dataclass(frozen=True)
class ColourSettings:
    mode: Literal["rgb", "cmyk"] = key(
        "Colour space of the PDF: `rgb` for screens and office printers, `cmyk` (DeviceCMYK "
        "only) for a print shop. The SVG is always sRGB."
    )
    black: Literal["plain", "rich"] = key(
        "In CMYK, how filled areas of pure black print: `plain` (K only) or `rich` (the "
        "`rich_black` mix, deeper on large areas). Text is always plain black."
    )
    rich_black: Colour = key("The rich black mix, e.g. 'cmyk(60, 40, 40, 100)'.")


@dataclass(frozen=True)
class PdfSettings:
    standard: Literal["none", "pdf/x-4"] = key(
        "`pdf/x-4` writes a PDF/X-4 file for print (implies colour mode `cmyk`)."
    )
    output_profile: str = key(
        "ICC profile of the printing condition (the output intent), relative to the project "
        "root; `make profiles` builds profiles/FOGRA39L.icc from Debian's free FOGRA39 data."
    )
    output_condition_identifier: str = key("Registered name of the printing condition, e.g. 'FOGRA39'.")
    output_condition: str = key("Human-readable printing condition.")
    registry: str = key("Registry of the condition identifier, e.g. 'http://www.color.org'.")


@dataclass(frozen=True)
class Layout:
    name: str = key("Human-readable name of the layout.")
    page: Page = key("The page.")
    fonts: dict[str, FontSpec] = key("Named fonts used by the text styles.", items=(1, 16))
    scripts: dict[str, dict[str, FontSpec]] = key(
        "Per writing system (ISO 15924 code, as in a language file's `language.script`: "
        "`Arab`, `Jpan`, ...), fonts tried before the named font of the same name: "
        "`scripts: {Arab: {regular: {family: Noto Sans Arabic, weight: 400}}}`.",
        items=(0, 16),
    )
    text: TextSettings = key("Line breaking.")
    mirror_rtl: bool = key(
        "Mirror the page for right-to-left languages: columns, panels, icons and bullet "
        "markers swap sides, and text starts at the right."
    )
    styles: dict[str, TextStyle] = key("Named text styles.", items=(1, 32))
    header: Header = key("The band with the heading and the intro.")
    body: Body = key("The groups and their panels.")
    panel: Panel = key("One theme panel.")
    footer: Footer = key("The credits at the foot of the page.")
    colour: ColourSettings = key("Colour output.")
    pdf: PdfSettings = key("PDF standard and output intent.")
