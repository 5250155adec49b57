"""Text in the layout: set a string in a named style and turn its lines into GlyphRuns."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from ..diagnostics import Diagnostic, InfogenError, Location, quoted
from ..model.layout import FontSpec, Layout, TextStyle
from ..scene import Colour, GlyphRun
from ..text.fonts import Font, FontLibrary
from ..text.paragraph import ParagraphOverflow, SetParagraph, set_paragraph
from ..text.segment import Hyphenation

BLACK = Colour(0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Overflowing(Exception):
    """Text does not fit: raised inside layout, turned into a diagnostic by the caller."""

    what: str
    excess: float  # pt
    key: str = ""  # the string's key in the language file, when one string is at fault


def resolve_fonts(
    layout: Layout, library: FontLibrary, layout_file: str, script: str
) -> dict[str, tuple[Font, ...]]:
    """The font chain of every named font for a script: the script's own font first (from
    `scripts`), then the named font. All missing fonts are reported at once."""
    chains: dict[str, tuple[Font, ...]] = {}
    problems = []
    for name, spec in layout.fonts.items():
        chain = []
        specs = [
            (f"scripts.{script}.{name}", layout.scripts.get(script, {}).get(name)),
            (f"fonts.{name}", spec),
        ]
        for key_path, font_spec in specs:
            if font_spec is None:
                continue
            try:
                chain.append(_find(library, font_spec))
            except InfogenError as exc:
                problems += [
                    replace(d, location=Location(layout_file), key_path=key_path) for d in exc.diagnostics
                ]
        chains[name] = tuple(chain)
    files: dict[str, Path] = {}
    for name, found in chains.items():
        for font in found:
            other = files.setdefault(font.id, font.file.path)
            if other != font.file.path:
                problems.append(
                    Diagnostic(
                        f"two font files have the PostScript name '{font.id}': {other.name} and {font.file.path.name}",
                        Location(layout_file),
                        f"fonts.{name}",
                        "a PDF tells its fonts apart by that name: use one of the files, or fix the other's name",
                    )
                )
    if problems:
        raise InfogenError(problems)
    return chains


def _find(library: FontLibrary, spec: FontSpec) -> Font:
    try:
        font = library.find(spec.family, spec.weight, spec.italic, Path(spec.file) if spec.file else None)
    except InfogenError as exc:
        if spec.package:
            exc = InfogenError(
                [
                    replace(
                        d,
                        hint=f"install Debian's {spec.package} (apt-get install {spec.package}), "
                        "or put the font in fonts/",
                    )
                    for d in exc.diagnostics
                ]  # fmt: skip
            )
        raise exc from None
    if not font.file.truetype_outlines:
        raise InfogenError(
            [
                Diagnostic(
                    f"{font.file.path.name} has PostScript (CFF) outlines, which the PDF writer cannot embed",
                    hint="use the TrueType (.ttf) version of the font, or convert it once with "
                    "fontTools (e.g. the otf2ttf recipe)",
                )
            ]
        )
    return font


@dataclass
class Typesetter:
    """Knows the layout's styles, the font chains they resolve to, and the language set."""

    layout: Layout
    fonts: dict[str, tuple[Font, ...]]  # font chains by the layout's font names
    lang: str
    direction: str
    # Paragraphs already set for this page: the fit search sets each panel's strings at
    # several sizes, and the size it settles on (and its neighbours) more than once.
    _set: dict[tuple[str, str, float, float], SetParagraph | Overflowing] = field(
        default_factory=dict, repr=False, compare=False
    )

    def font(self, style: TextStyle) -> Font:
        """The style's primary font: it decides line metrics."""
        return self.fonts[style.font][0]

    @cached_property
    def hyphenation(self) -> Hyphenation | None:
        t = self.layout.text
        if not t.hyphenate:
            return None
        return Hyphenation(t.hyphen_min_word, t.hyphen_min_before, t.hyphen_min_after)

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"

    @property
    def mirrored(self) -> bool:
        """Whether the page is laid out mirrored: a right-to-left language, and a layout
        that mirrors for it."""
        return self.rtl and self.layout.mirror_rtl

    def mirror(self, x: float, width: float, left: float, container: float) -> float:
        """Where a box of `width` at `x` goes in a right-to-left language: mirrored inside
        its container (from `left`, `container` wide) if the layout mirrors, else where it is."""
        if self.mirrored:
            return left + container - (x - left) - width
        return x

    def set(
        self, text: str, style_name: str, width: float, scale: float = 1.0, key: str = ""
    ) -> SetParagraph:
        """Set `text` in a width; raise Overflowing when a word is wider than the width.
        A style that does not hyphenate still does when a word is wider than the column."""
        memo = (text, style_name, width, scale)
        found = self._set.get(memo)
        if found is None:
            try:
                found = self._set[memo] = self._set_paragraph(text, style_name, width, scale, key)
            except Overflowing as exc:
                found = self._set[memo] = exc
        if isinstance(found, Overflowing):
            raise Overflowing(found.what, found.excess, key)
        return found

    def _set_paragraph(
        self, text: str, style_name: str, width: float, scale: float, key: str
    ) -> SetParagraph:
        style = self.layout.styles[style_name]

        def attempt(hyphenation: Hyphenation | None) -> SetParagraph | ParagraphOverflow:
            return set_paragraph(
                text,
                self.fonts[style.font],
                style.size * scale,
                style.leading,
                width,
                self.lang,
                self.direction,
                style.balance,
                hyphenation,
                style.bind_short_words,
            )

        result = attempt(self.hyphenation if style.hyphenate else None)
        if isinstance(result, ParagraphOverflow) and not style.hyphenate and self.hyphenation:
            result = attempt(self.hyphenation)
        if isinstance(result, ParagraphOverflow):
            raise Overflowing(
                f"the word '{quoted(result.word)}' is wider than its column", result.excess, key
            )
        return result

    def runs(
        self,
        paragraph: SetParagraph,
        style_name: str,
        x: float,
        y: float,
        width: float,
        colour: Colour | None = None,
        align: str = "start",
    ) -> tuple[GlyphRun, ...]:
        """The paragraph's lines as GlyphRuns in a column of `width` whose top-left corner
        is at (x, y). `start`: lines start at the left, or at the right in a right-to-left
        language; `end` the other way; `center` centred."""
        style = self.layout.styles[style_name]
        runs = []
        for line in paragraph.lines:
            slack = width - line.width
            start = x + (slack / 2 if align == "center" else slack if (align == "end") != self.rtl else 0.0)
            for run in line.runs:
                font = run.font
                runs.append(
                    GlyphRun(
                        font=font.ref,
                        size=paragraph.size,
                        colour=colour or style.colour or BLACK,  # check_layout: one is given
                        x=round(start + run.x, 3),
                        y=round(y + line.baseline, 3),
                        glyphs=run.glyphs,
                        advance=round(run.width, 3),
                        text=run.text,
                        lang=self.lang,
                        direction="rtl" if run.rtl else "ltr",
                    )
                )
        return tuple(runs)

    def x_height(self, style_name: str, size: float) -> float:
        font = self.font(self.layout.styles[style_name])
        return font.x_height * size / font.units_per_em

    def cap_height(self, style_name: str, size: float) -> float:
        font = self.font(self.layout.styles[style_name])
        return font.cap_height * size / font.units_per_em
