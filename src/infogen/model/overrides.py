"""Choices for one run (command-line options) applied on top of a layout.

A layout is designed for one paper size. Rendered on another, the page takes the new
size and every length scales by the square root of the ratio of the areas — so A4
gets the A3 design at 71%, and A3 landscape keeps the sizes and re-flows the grid.
Print-production lengths (bleed, crop marks) are physical and never scale.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from dataclasses import dataclass, replace
from typing import Any, Literal

from ..units import Paper, Pt
from .layout import Layout
from .schema import type_hints

UNSCALED = {"bleed", "crop_mark_length", "crop_mark_offset", "crop_mark_thickness"}


@dataclass(frozen=True)
class RenderOptions:
    paper: Paper | None = None
    orientation: Literal["portrait", "landscape"] | None = None
    bleed: Pt | None = None
    crop_marks: bool | None = None
    colour: Literal["rgb", "cmyk"] | None = None
    pdfx: bool | None = None
    dpi: float | None = None  # PNG resolution
    tagged: bool = True  # tagged PDF (PDF/UA-1): --no-tags turns it off


def apply_options(layout: Layout, options: RenderOptions) -> Layout:
    page = layout.page
    design_area = page.width * page.height
    page = replace(
        page,
        size=options.paper or page.size,
        orientation=options.orientation or page.orientation,
        bleed=page.bleed if options.bleed is None else options.bleed,
        crop_marks=page.crop_marks if options.crop_marks is None else options.crop_marks,
    )
    factor = math.sqrt(page.width * page.height / design_area)
    scaled = scale_lengths(replace(layout, page=page), factor) if abs(factor - 1) > 1e-9 else layout
    result = replace(scaled, page=replace(scaled.page, size=page.size, orientation=page.orientation,
                                          bleed=page.bleed, crop_marks=page.crop_marks))  # fmt: skip
    if options.pdfx is not None:
        result = replace(result, pdf=replace(result.pdf, standard="pdf/x-4" if options.pdfx else "none"))
    colour = options.colour or result.colour.mode
    if result.pdf.standard == "pdf/x-4":
        colour = "cmyk"  # PDF/X-4 for a CMYK press: no RGB
    return replace(result, colour=replace(result.colour, mode=colour))


def scale_lengths(value: Any, factor: float) -> Any:
    """Every length (Pt) in a model value times `factor`, print-production lengths excepted."""
    if isinstance(value, Pt):
        return Pt(value * factor)
    if isinstance(value, dict):
        return {k: scale_lengths(v, factor) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(scale_lengths(v, factor) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        hints = type_hints(type(value))
        changes = {
            f.name: scale_lengths(getattr(value, f.name), factor)
            for f in dataclasses.fields(value)
            if f.name not in UNSCALED and _may_hold_lengths(hints[f.name])
        }
        return replace(value, **changes)
    return value


def _may_hold_lengths(tp: Any) -> bool:
    return tp is Pt or dataclasses.is_dataclass(tp) or bool(typing.get_args(tp))
