"""PNG exporter: the Scene painted as PDF (screen colours, trim size), rasterised by PDFium.

PDFium (pypdfium2, the renderer inside Chromium) draws the exact PDF the PDF exporter
writes, so PNG, PDF and SVG remain one picture; nothing is measured or shaped here.
A PNG is for screens, like SVG: it shows the trim, without bleed or printer's marks,
in RGB. Bytes are deterministic: the same Scene and resolution give the same file.

The file is written straight from PDFium's RGB bitmaps, row by row into zlib, a band of
rows rendered at a time (an A3 page at 150 dpi is 13 MB of pixels; a band is ~1 MB),
and every row unfiltered.
Pillow's encoder chooses a filter per row, which suits photographs; on these flat
colours it made files 20-30% larger and took twice as long, and it has no option to
leave rows unfiltered. A PNG is a signature and a few checksummed chunks (ISO/IEC
15948): IHDR, pHYs for the page's resolution, iTXt/tEXt for title, description, author
and software, the image data, IEND.
"""

from __future__ import annotations

import math
import struct
import zlib
from dataclasses import replace
from typing import Any

from .. import __version__
from ..diagnostics import Diagnostic, InfogenError
from ..scene import Scene


def pixel_size(width_pt: float, height_pt: float, dpi: float) -> tuple[int, int]:
    """The image size for a page: points at `dpi` pixels per inch, rounded."""
    return round(width_pt * dpi / 72), round(height_pt * dpi / 72)


MAX_PNG_PIXELS = 100_000_000  # 300 MB of RGB: A1 at 300 dpi is 70 million


def size_problem(width_pt: float, height_pt: float, dpi: float, page: str) -> Diagnostic | None:
    """Why a PNG of this page at `dpi` is not written (too many pixels), or None. PDFium
    cannot allocate a bitmap of billions of pixels; asked for one (A0 at 1200 dpi), the
    user hears how many and which resolution would do, before anything is rendered."""
    width, height = pixel_size(width_pt, height_pt, dpi)
    if width * height <= MAX_PNG_PIXELS:
        return None
    fitting = int(dpi * (MAX_PNG_PIXELS / (width * height)) ** 0.5)
    while fitting > 1 and _pixels(width_pt, height_pt, fitting) > MAX_PNG_PIXELS:
        fitting -= 1  # pixel sizes are rounded: the square-root estimate can be one over
    return Diagnostic(
        f"a PNG of {page} at {dpi:g} dpi would be {width} x {height} pixels "
        f"({width * height / 1e6:.0f} million); infogen writes at most {MAX_PNG_PIXELS // 1_000_000} million",
        hint=f"lower --dpi (or the layout's png.dpi) to {fitting} or less, or render on smaller paper",
    )


def _pixels(width_pt: float, height_pt: float, dpi: float) -> int:
    width, height = pixel_size(width_pt, height_pt, dpi)
    return width * height


def screen_scene(scene: Scene) -> Scene:
    """The Scene as screens show it: the trim only, without printer's marks."""
    pages = tuple(
        replace(
            page, bleed=0.0, slug=0.0, items=tuple(i for i in page.items if getattr(i, "role", "") != "marks")
        )
        for page in scene.pages
    )
    return replace(scene, pages=pages)


def export_png(scene: Scene, dpi: float) -> bytes:
    page = scene.pages[0]  # like SVG, one image: the first page
    problem = size_problem(page.width, page.height, dpi, "the page")
    if problem:
        raise InfogenError([problem])
    # Untagged: the structure tree is for readers of the PDF, not for its pixels (the PNG
    # says its title and language in iTXt chunks), and writing it is a third of the export.
    import pypdfium2 as pdfium  # here, not above: `size_problem` is asked by validation too

    from .pdf import PdfOptions, export_pdf

    width, height = pixel_size(page.width, page.height, dpi)
    pdf = pdfium.PdfDocument(export_pdf(screen_scene(scene), PdfOptions(tagged=False)))
    try:
        pixels = _image_data(pdf[0], dpi / 72, width, height)
    finally:
        pdf.close()
    chunks = [
        _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),  # 8-bit RGB
        # pHYs: pixels per metre, so the image prints at the page's size.
        _chunk(b"pHYs", struct.pack(">IIB", *(2 * (int(dpi / 0.0254 + 0.5),)), 1)),
        # iTXt carries a language tag: the title in the page's language, as the spec means it.
        _text(b"Title", scene.title, scene.lang),
        _text(b"Description", scene.subject, scene.lang),
        _text(b"Author", scene.author),
        _text(b"Software", f"infogen {__version__}"),
        _chunk(b"IDAT", pixels),
        _chunk(b"IEND", b""),
    ]
    return PNG_SIGNATURE + b"".join(chunks)


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ZLIB_LEVEL = 3  # zlib's fastest strategy at its best: on these pages smaller than 1 and 4, and 6 is 2x slower


BAND_BYTES = 1 << 20  # pixels rendered at a time: ~1 MB, not the page's 13 MB at once


def _image_data(page: Any, scale: float, width: int, height: int) -> bytes:
    """The zlib stream of the page's rows, each with filter type 0 (none), rendered by
    PDFium a band of rows at a time: a band's bitmap is all the pixels held at once, so
    an A3 page at 150 dpi needs ~1 MB for them instead of 13 MB (and a --jobs worker keeps
    no page-sized hole in its heap). Each band is rendered with a row more above and below
    than it keeps: PDFium clips glyphs at a bitmap's edge a little differently (a seam,
    up to 1/4 of the grey range on the edge row); a row further in, a band's pixels are
    the whole page's to within a few levels on glyph and path edges (PDFium's
    anti-aliasing moves a little with the bitmap's offset; nothing to see). PDFium's
    bitmap is the page's size in points times `scale`, rounded up at fractional edges;
    the crop trims it to the image's columns and the band's rows (n pixels are asked as
    n - 1/2, which PDFium rounds up to n)."""
    compressor = zlib.compressobj(ZLIB_LEVEL)
    full_width = math.ceil(page.get_width() * scale)  # as PDFium computes the bitmap's size
    full_height = math.ceil(page.get_height() * scale)
    rows = max(1, BAND_BYTES // (3 * width))
    right = (full_width - width - 0.5) / scale
    parts = []
    for top in range(0, height, rows):
        bottom = min(height, top + rows)
        above, below = max(0, top - 1), min(full_height, bottom + 1)  # the rows rendered
        crop = (0, (full_height - below - 0.5) / scale, right, (above - 0.5) / scale)
        # On an opaque white page PDFium renders 3 bytes a pixel; reversed: RGB.
        band = page.render(scale=scale, crop=crop, fill_color=(255, 255, 255, 255), rev_byteorder=True)
        if band.mode != "RGB" or (band.width, band.height) != (width, below - above):
            raise AssertionError(f"PDFium rendered {band.width} x {band.height} {band.mode}")
        buffer, stride = memoryview(band.buffer).cast("B"), band.stride
        for y in range(top - above, bottom - above):
            parts.append(compressor.compress(b"\x00" + buffer[y * stride : y * stride + 3 * width]))
        buffer.release()
        band.close()
    parts.append(compressor.flush())
    return b"".join(parts)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _text(keyword: bytes, value: str, lang: str | None = None) -> bytes:
    """tEXt where Latin-1 can carry the value and no language is given; else iTXt (UTF-8,
    with the language tag), uncompressed."""
    if lang is None:
        try:
            return _chunk(b"tEXt", keyword + b"\x00" + value.encode("latin-1"))
        except UnicodeEncodeError:
            pass
    tag = (lang or "").encode("ascii", "ignore")
    return _chunk(b"iTXt", keyword + b"\x00\x00\x00" + tag + b"\x00\x00" + value.encode("utf-8"))
