"""Units and colours at the YAML boundary: everything inside infogen is points and RGB."""

from __future__ import annotations

import re
from dataclasses import dataclass

POINTS_PER_UNIT = {"pt": 1.0, "mm": 72 / 25.4, "cm": 720 / 25.4, "in": 72.0, "px": 0.75}
# At most 9 digits before and after the point: no length needs more, and a value of a
# thousand digits is refused as text rather than turned into infinity.
_LENGTH = re.compile(r"^\s*(-?\d{1,9}(?:\.\d{1,9})?)\s*(pt|mm|cm|in|px)\s*$")
MAX_PAGE_SIDE = 14400.0  # pt: 200 in, the PDF format's own limit for a page side
_HEX = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


class Pt(float):
    """A length in points. YAML writes it with a unit: '5mm', '12pt', '0.5in', '1cm', '4px'."""


def describe_pt(value: float) -> str:
    """'12.3pt (4.3mm)': how infogen reports a distance, in both units people use."""
    return f"{value:.1f}pt ({value / POINTS_PER_UNIT['mm']:.1f}mm)"


def parse_length(text: str) -> Pt | None:
    """'5mm' -> 14.17 pt; None when the text is not a length with a unit."""
    match = _LENGTH.match(text)
    if not match:
        return None
    return Pt(float(match.group(1)) * POINTS_PER_UNIT[match.group(2)])


@dataclass(frozen=True)
class Colour:
    """A colour for screen (sRGB, channels 0..1) and for print (CMYK, 0..1).

    YAML gives either or both: '#1F4E79', 'cmyk(90, 20, 40, 10)' (percent), or
    '#1F4E79 cmyk(90, 20, 40, 10)'. The one not given is derived with the plain
    device conversion (k = 1 - max(r, g, b); c = (1 - r - k) / (1 - k), ...; and back
    r = (1 - c)(1 - k), ...) — good enough for tints, but brand colours deserve
    CMYK values from the brand guide.
    """

    r: float
    g: float
    b: float
    cmyk: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 1.0)

    @property
    def hex(self) -> str:
        return "#" + "".join(f"{round(c * 255):02x}" for c in (self.r, self.g, self.b))


def rgb_to_cmyk(r: float, g: float, b: float) -> tuple[float, float, float, float]:
    k = 1 - max(r, g, b)
    if k >= 1:
        return (0.0, 0.0, 0.0, 1.0)
    return tuple(round((1 - v - k) / (1 - k), 4) for v in (r, g, b)) + (round(k, 4),)  # type: ignore[return-value]


def cmyk_to_rgb(c: float, m: float, y: float, k: float) -> tuple[float, float, float]:
    return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))


def rgb(r: float, g: float, b: float) -> Colour:
    return Colour(r, g, b, rgb_to_cmyk(r, g, b))


_PERCENT = r"\s*(\d{1,3}(?:\.\d{1,6})?)\s*"
_CMYK = re.compile(rf"^cmyk\({_PERCENT},{_PERCENT},{_PERCENT},{_PERCENT}\)$", re.I)


def parse_colour(text: str) -> Colour | None:
    parts = text.split(None, 1) if text.strip().startswith("#") else ["", text]
    hex_part, cmyk_part = parts[0], (parts[1] if len(parts) > 1 else "")
    screen = _parse_hex(hex_part) if hex_part else None
    if hex_part and screen is None:
        return None
    if not cmyk_part.strip():
        return rgb(*screen) if screen else None
    match = _CMYK.match(cmyk_part.strip())
    if not match:
        return None
    values = [float(v) / 100 for v in match.groups()]
    if any(v > 1 for v in values):
        return None
    c, m, y, k = values
    r, g, b = screen or cmyk_to_rgb(c, m, y, k)
    return Colour(r, g, b, (c, m, y, k))


def _parse_hex(text: str) -> tuple[float, float, float] | None:
    match = _HEX.match(text.strip())
    if not match:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    r, g, b = (int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (r, g, b)


@dataclass(frozen=True)
class Paper:
    """A sheet size in points, as written; `oriented` puts it in portrait or landscape."""

    width: float
    height: float

    def oriented(self, orientation: str) -> tuple[float, float]:
        short, long = sorted((self.width, self.height))
        return (long, short) if orientation == "landscape" else (short, long)


_MM = POINTS_PER_UNIT["mm"]
NAMED_PAPER = {
    **{f"a{n}": (w, h) for n, (w, h) in enumerate(
        [(841, 1189), (594, 841), (420, 594), (297, 420), (210, 297), (148, 210), (105, 148)])},
    "b4": (250, 353),
    "b5": (176, 250),
    "letter": (215.9, 279.4),
    "legal": (215.9, 355.6),
    "tabloid": (279.4, 431.8),
}  # fmt: skip
_PAPER = re.compile(r"^\s*(\d{1,9}(?:\.\d{1,9})?)\s*x\s*(\d{1,9}(?:\.\d{1,9})?)\s*(pt|mm|cm|in|px)\s*$")


def parse_paper(text: str) -> Paper | None:
    """'A4', 'letter', 'tabloid' or a custom '420x297mm'; None when it is none of these."""
    named = NAMED_PAPER.get(text.strip().lower())
    if named:
        return Paper(named[0] * _MM, named[1] * _MM)
    match = _PAPER.match(text)
    if not match or float(match.group(1)) <= 0 or float(match.group(2)) <= 0:
        return None
    unit = POINTS_PER_UNIT[match.group(3)]
    paper = Paper(float(match.group(1)) * unit, float(match.group(2)) * unit)
    return paper if max(paper.width, paper.height) <= MAX_PAGE_SIDE else None
