"""Text in the layout: set a string in a named style and turn its lines into GlyphRuns."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ..diagnostics import Diagnostic, InfogenError, Location
from ..model.layout import Layout, TextStyle
from ..scene import Colour, FontRef, Glyph, GlyphRun
from ..text.fonts import Font, FontLibrary
from ..text.paragraph import ParagraphOverflow, SetParagraph, set_paragraph


@dataclass(frozen=True)
class Overflowing(Exception):
    """Text does not fit: raised inside layout, turned into a diagnostic by the caller."""

    what: str
    excess: float  # pt
    key: str = ""  # the string's key in the language file, when one string is at fault


def resolve_fonts(layout: Layout, library: FontLibrary, layout_file: str) -> dict[str, Font]:
    """Find every font the layout names, reporting all that are missing at once."""
    fonts, problems = {}, []
    for name, spec in layout.fonts.items():
        try:
            file = Path(spec.file) if spec.file else None
            font = library.find(spec.family, spec.weight, spec.italic, file)
            if not font.file.truetype_outlines:
                raise InfogenError(
                    [
                        Diagnostic(
                            f"{font.file.path.name} has PostScript (CFF) outlines, which the PDF "
                            "writer cannot embed",
                            hint="use the TrueType (.ttf) version of the font, or convert it once with "
                            "fontTools (e.g. the otf2ttf recipe)",
                        )
                    ]
                )
            fonts[name] = font
        except InfogenError as exc:
            problems += [
                replace(d, location=Location(layout_file), key_path=f"fonts.{name}") for d in exc.diagnostics
            ]
    if problems:
        raise InfogenError(problems)
    return fonts


@dataclass
class Typesetter:
    """Knows the layout's styles, the fonts they resolve to, and the language being set."""

    layout: Layout
    fonts: dict[str, Font]  # by the layout's font names, from resolve_fonts()
    lang: str
    direction: str

    def font(self, style: TextStyle) -> Font:
        return self.fonts[style.font]

    def set(
        self, text: str, style_name: str, width: float, scale: float = 1.0, key: str = ""
    ) -> SetParagraph:
        """Set `text` in a width; raise Overflowing when a word is wider than the width."""
        style = self.layout.styles[style_name]
        result = set_paragraph(
            text,
            self.font(style),
            style.size * scale,
            style.leading,
            width,
            self.lang,
            self.direction,
            style.balance,
        )
        if isinstance(result, ParagraphOverflow):
            raise Overflowing(f"the word '{result.word}' is wider than its column", result.excess, key)
        return result

    def runs(
        self, paragraph: SetParagraph, style_name: str, x: float, y: float, colour: Colour | None = None
    ) -> tuple[GlyphRun, ...]:
        """The paragraph's lines as GlyphRuns, with its top-left corner at (x, y)."""
        style = self.layout.styles[style_name]
        font = self.font(style)
        ref = FontRef(font.id, font.file.path, font.file.index, font.units_per_em)
        return tuple(
            GlyphRun(
                font=ref,
                size=paragraph.size,
                colour=colour or style.colour,
                x=round(x, 3),
                y=round(y + line.baseline, 3),
                glyphs=tuple(Glyph(g.id, g.x, g.y) for g in line.glyphs),
                advance=round(line.width, 3),
                text=line.text,
                lang=self.lang,
                direction="rtl" if self.direction == "rtl" else "ltr",
            )
            for line in paragraph.lines
        )

    def x_height(self, style_name: str, size: float) -> float:
        font = self.font(self.layout.styles[style_name])
        return font.x_height * size / font.units_per_em

    def cap_height(self, style_name: str, size: float) -> float:
        font = self.font(self.layout.styles[style_name])
        return font.cap_height * size / font.units_per_em
