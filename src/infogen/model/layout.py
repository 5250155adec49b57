"""The layout spec: every visual decision of an infographic, read from layouts/<name>.yaml.

Python holds no visual defaults: a key a layout leaves out is an error, so what
a designer sees in the YAML is the whole design. Each key's documentation
lives here and is printed by `infogen reference` (and copied into the README).
"""

from dataclasses import dataclass
from typing import Literal

from ..units import Colour, Paper, Pt
from .regions import Edges, PanelDesign, Region
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
    font: str = key("Name of a font in `fonts`.", ref="fonts")
    size: Pt = key("Type size.", min=4, max=200)
    leading: float = key("Line height as a multiple of the size (1.2 = 120%).", min=0.8, max=3)
    colour: Colour | None = key(
        "Text colour. Leave it out of styles that only panel titles, group labels and badge "
        "numbers use: they take their colour from the group's palette.",
        default=None,
    )
    balance: bool = key(
        "Even out the line lengths, the last line included (for headings); otherwise fill each "
        "line and keep the right edge even.",
        default=False,
    )
    hyphenate: bool = key(
        "Hyphenate text in this style, where `text.hyphenate` is on; either way a word wider "
        "than its column is hyphenated. Headings and titles usually read better without.",
        default=True,
    )
    bind_short_words: bool = key(
        "Keep words of three letters or fewer (French 'et', Dutch 'en', German 'und') from ending "
        "a line, where another breaking of as many lines exists: for headings and titles.",
        default=False,
    )


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
        min=0,
        max=72,
    )
    crop_marks: bool = key("Draw crop marks at the trim corners, outside the bleed (PDF only).")
    crop_mark_length: Pt = key("Length of each crop mark.", min=0, max=72)
    crop_mark_offset: Pt = key(
        "Gap between the trim edge and a crop mark; at least the bleed.", min=0, max=72
    )
    crop_mark_thickness: Pt = key("Line width of the crop marks.", min=0.05, max=4)

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
class GroupPalette:
    colour: Colour = key("Strong colour: group label band, icon badge, bullet markers.")
    on_colour: Colour = key("Colour of text and icons drawn on the strong colour.")
    tint: Colour = key("Panel background colour.")
    title_colour: Colour = key("Colour of panel titles.")


def _budget(field: str) -> float | None:
    return key(
        f"{field}: at most this many times as long as the English, in characters (1.4: 40% longer).",
        default=None,
        min=0.5,
        max=10,
    )


@dataclass(frozen=True)
class LengthBudget:
    """How much longer than English a translation of each field may be, for translators
    (`infogen i18n export` notes it) and reviewers (`infogen i18n status` lists strings over it)."""

    heading: float | None = _budget("The heading")
    intro: float | None = _budget("Each intro paragraph")
    credits: float | None = _budget("The credits line (as written, placeholders counted)")
    label: float | None = _budget("Each group label")
    title: float | None = _budget("Each panel title")
    bullets: float | None = _budget("Each panel bullet")


@dataclass(frozen=True)
class TextSettings:
    hyphenate: bool = key("Hyphenate words (with the language's patterns, where pyphen has them).")
    hyphen_min_word: int = key("Shortest word that may be hyphenated, in letters.", min=4, max=40)
    hyphen_min_before: int = key("Letters that must stay before a hyphen.", min=1, max=10)
    hyphen_min_after: int = key("Letters that must move to the next line.", min=1, max=10)
    length_budget: LengthBudget | None = key(
        "How much longer than the English a translation of each field may be, as a ratio: "
        "`{title: 1.3, bullets: 1.4}`. Fields left out have no budget; `infogen i18n status` "
        "then reports only the strings that make the fit shrink.",
        default=None,
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
class PngSettings:
    dpi: float = key(
        "Resolution of PNG output in pixels per inch (`--dpi` overrides it); 96 makes a page "
        "sized in px exactly that many pixels.",
        min=10,
        max=1200,
    )


@dataclass(frozen=True)
class Layout:
    """A layout file. Sections that were replaced by the region tree get a hint (see REMOVED)."""

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
        "Mirror the page for right-to-left languages: rows, grids, badges and bullet markers "
        "swap sides, and text starts at the right."
    )
    styles: dict[str, TextStyle] = key("Named text styles.", items=(1, 32))
    palettes: tuple[GroupPalette, ...] = key(
        "Colours of each group, in the order the groups appear in the data; repeats if shorter.",
        items=(1, 12),
    )
    panels: dict[str, PanelDesign] = key("Named panel designs, used by grids.", items=(1, 16))
    body: tuple[Region, ...] = key(
        "The page's regions, top to bottom, inside the page margins (see Regions below).", items=(1, 64)
    )
    colour: ColourSettings = key("Colour output.")
    pdf: PdfSettings = key("PDF standard and output intent.")
    png: PngSettings = key("PNG output.")


# Sections of earlier layout files, now expressed as regions: named in the message.
REMOVED = {
    name: "since infogen 0.2 the page is a tree of regions: write it under `body` "
    "(see `infogen reference` and layouts/default.yaml)"
    for name in ("header", "footer", "panel")
}
REMOVED["hyphen_below_fill"] = (
    "since infogen 0.2 hyphenation is a last resort (only where a word would not fit or it saves "
    "a line): remove this key"
)
