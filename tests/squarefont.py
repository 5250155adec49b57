"""A test font whose every visible glyph is a filled 1-em square, so text geometry is exact.

Every printable ASCII character (U+0021..U+007E) is a square from the descender (-200) to
the ascender (800), one em (1000 units) wide; the space is blank and also one em wide.
So a word of n letters at size s is n·s wide, its ink fills its line box exactly, and
with a leading of 1.0 every line is s tall with its baseline 0.8·s below its top.
Built at test time with fontTools (TrueType outlines, which reportlab can embed).
"""

from __future__ import annotations

from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

FAMILY = "Square Test"
UPEM = 1000
ASCENDER = 800
DESCENDER = -200
CAP_HEIGHT = 800
X_HEIGHT = 500
FIRST, LAST = 0x20, 0x7E  # space .. tilde


def _glyph_name(code: int) -> str:
    return "space" if code == 0x20 else f"uni{code:04X}"


def _square(top: int = ASCENDER) -> object:
    pen = TTGlyphPen(None)
    pen.moveTo((0, DESCENDER))
    pen.lineTo((0, top))
    pen.lineTo((UPEM, top))
    pen.lineTo((UPEM, DESCENDER))
    pen.closePath()
    return pen.glyph()


def _blank() -> object:
    return TTGlyphPen(None).glyph()


def build_square_font(path: Path, weight: int = 400, family: str = FAMILY, top: int = ASCENDER) -> Path:
    """Write the font (one weight: 400 regular, 700 bold) to `path`; return the path.
    `top`: where the squares' ink ends (a variant of the same font, for tests that replace
    the file)."""
    bold = weight >= 700
    style = "Bold" if bold else "Regular"
    codes = range(FIRST, LAST + 1)
    order = [".notdef", *(_glyph_name(c) for c in codes)]
    fb = FontBuilder(UPEM, isTTF=True)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap({c: _glyph_name(c) for c in codes})
    glyphs = {name: (_blank() if name == "space" else _square(top)) for name in order}
    fb.setupGlyf(glyphs)
    # Squares start at x = 0: left side bearing 0 (blank glyphs too).
    fb.setupHorizontalMetrics({name: (UPEM, 0) for name in order})
    fb.setupHorizontalHeader(ascent=ASCENDER, descent=DESCENDER, lineGap=0)
    postscript = f"{family.replace(' ', '')}-{style}"
    fb.setupNameTable(
        {
            "familyName": family,
            "styleName": style,
            "uniqueFontIdentifier": f"{postscript};test",
            "fullName": f"{family} {style}",
            "psName": postscript,
            "version": "Version 1.000",
            "typographicFamily": family,
            "typographicSubfamily": style,
        }
    )
    fb.setupOS2(
        version=4,
        usWeightClass=weight,
        fsSelection=(1 << 5) if bold else (1 << 6),  # BOLD or REGULAR
        sTypoAscender=ASCENDER,
        sTypoDescender=DESCENDER,
        sTypoLineGap=0,
        usWinAscent=ASCENDER,
        usWinDescent=-DESCENDER,
        sxHeight=X_HEIGHT,
        sCapHeight=CAP_HEIGHT,
        achVendID="TEST",
        fsType=0,  # installable embedding: reportlab refuses restricted fonts
    )
    fb.setupPost()
    fb.font["head"].macStyle = 1 if bold else 0
    path.parent.mkdir(parents=True, exist_ok=True)
    fb.save(str(path))
    return path


def write_square_fonts(directory: Path) -> list[Path]:
    """Both weights into `directory`, named as a layout's `file:` key may name them."""
    return [
        build_square_font(directory / "SquareTest-Regular.ttf", 400),
        build_square_font(directory / "SquareTest-Bold.ttf", 700),
    ]
