"""Composition: content + layout → Scene. Every position and size is decided here.

The page is the layout's region tree (`body`), laid out as a stack inside the page
margins (see `regions.py`), on the page's background, with the printer's marks outside
the trim when asked for. Nothing about the arrangement is decided in Python.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..diagnostics import Location
from ..model.content import Content
from ..model.layout import Layout
from ..scene import Group, Item, LineTo, MoveTo, Page, Path, Scene, Stroke
from ..text.fonts import FontLibrary
from ..units import Colour
from .context import Context, GridFit
from .coverage import check_coverage
from .geometry import Rect, bleed_out, rect_path
from .regions import stack
from .typeset import Typesetter, resolve_fonts


def compose_with_fits(
    content: Content,
    layout: Layout,
    library: FontLibrary,
    layout_file: str = "",
    locations: Mapping[str, Location] | None = None,
) -> tuple[Scene, list[GridFit]]:
    """The Scene, and how each grid's text was fitted (for the manifest and reports)."""
    fonts = resolve_fonts(layout, library, layout_file, content.script)
    check_coverage(content, layout, fonts)
    ts = Typesetter(layout, fonts, content.lang, content.direction)
    ctx = Context(ts, content, layout, layout_file, locations or {})
    page = layout.page
    m = page.margin
    # The margins mirror with the page, like everything else on it.
    left = m.right if ts.mirrored else m.left
    frame = Rect(left, m.top, page.width - m.left - m.right, page.height - m.top - m.bottom)
    body = stack(layout.body, 0.0, frame.width, ctx, "body").draw(frame)
    trim = bleed_out(Rect(0, 0, page.width, page.height), page.width, page.height, page.bleed)
    background = Group("artifact", (Path(rect_path(trim), fill=page.background),), kind="page")
    items: tuple[Item, ...] = (background, *body)
    if page.crop_marks:
        items += (crop_marks(layout),)
    doc = content.document
    scene = Scene(
        pages=(Page(page.width, page.height, items, page.bleed, page.slug),),
        lang=content.lang,
        title=doc.title,
        subject=doc.subject,
        author=", ".join(content.authors),
        keywords=doc.keywords,
        direction=content.direction,
        debug=tuple(ctx.debug),
    )
    return scene, list(ctx.fits)


REGISTRATION = Colour(0.0, 0.0, 0.0, (1.0, 1.0, 1.0, 1.0))  # marks print on every plate


def crop_marks(layout: Layout) -> Group:
    """A pair of short lines at each trim corner, starting `crop_mark_offset` outside it."""
    page = layout.page
    near, far = page.crop_mark_offset, page.crop_mark_offset + page.crop_mark_length
    stroke = Stroke(REGISTRATION, page.crop_mark_thickness, "butt", "miter")
    lines = []
    for x, sx in ((0.0, -1), (page.width, 1)):
        for y, sy in ((0.0, -1), (page.height, 1)):
            lines.append(Path((MoveTo(x + sx * near, y), LineTo(x + sx * far, y)), stroke=stroke))
            lines.append(Path((MoveTo(x, y + sy * near), LineTo(x, y + sy * far)), stroke=stroke))
    return Group("marks", tuple(lines))
