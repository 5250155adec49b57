"""PDF exporter: paints a Scene with reportlab. It never measures or shapes text.

Glyph runs arrive shaped and positioned. Each run is written as a text object of its
own — the characters of the embedded, subset TrueType font that show its glyphs, and TJ
adjustments that put each glyph where layout did — so the PDF holds real, selectable text
at exactly the positions layout chose. Glyphs without a character of their own
(ligatures) get a private code from reportlab; the run is then wrapped in an /ActualText
span so copying and extraction still give the source text.

Every PDF is tagged (PDF/UA-1) unless asked not to be: the painter marks each glyph run
and drawing as it paints it (see tags.py), then the structure tree — and, for print,
what PDF/X-4 needs (pdfx.py) — and the XMP metadata both ask for are added to
reportlab's document before it writes it: one pass, no second PDF library.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Any, Literal

import uharfbuzz as hb
from reportlab import rl_config
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFStream
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from .. import __version__
from ..diagnostics import Diagnostic, InfogenError
from ..scene import (
    Close,
    Colour,
    CubicTo,
    FontRef,
    GlyphRun,
    Group,
    LineTo,
    MoveTo,
    Path,
    PathCommand,
    Scene,
    Transform,
    walk,
)
from . import xmp
from .tags import Tagger, write_structure
from .walk import paint

# Streams Flate-compressed only: reportlab's default wraps them in ASCII85 as well, a
# quarter larger and slower to write, for 7-bit channels no PDF travels through today.
rl_config.useA85 = 0

_CAPS = {"butt": 0, "round": 1, "square": 2}
_JOINS = {"miter": 0, "round": 1, "bevel": 2}


@dataclass(frozen=True)
class OutputIntent:
    """The printing condition a PDF/X file is prepared for."""

    profile: bytes  # a CMYK ICC profile
    identifier: str
    condition: str
    registry: str


@dataclass(frozen=True)
class PdfOptions:
    colour: Literal["rgb", "cmyk"] = "rgb"
    rich_black: tuple[float, float, float, float] | None = None  # cmyk fills of pure black
    pdfx: OutputIntent | None = None  # write PDF/X-4 for this intent (colour must be cmyk)
    tagged: bool = True  # a structure tree for assistive technology (PDF/UA-1)


def export_pdf(scene: Scene, options: PdfOptions = PdfOptions()) -> bytes:
    tagger = Tagger(scene.lang) if options.tagged else None
    fonts = {ref.id: GlyphCodes(_register(ref, glyphs)) for ref, glyphs in _glyphs_in(scene).items()}
    try:
        return _paint(scene, options, tagger, fonts)
    finally:  # each export registers its own fonts: nothing of one file's is left for the next
        for name in fonts:
            pdfmetrics.getFont(name).unregister()


def _paint(scene: Scene, options: PdfOptions, tagger: Tagger | None, fonts: dict[str, GlyphCodes]) -> bytes:
    out = io.BytesIO()
    first = scene.pages[0]
    canvas = Canvas(
        out,
        pagesize=(first.width + 2 * first.slug, first.height + 2 * first.slug),
        # PDF/X-4 is PDF 1.6; a tagged page's /Tabs is a PDF 1.5 key; the rest is PDF 1.4.
        pdfVersion=(1, 6) if options.pdfx else (1, 5) if options.tagged else (1, 4),
        invariant=1,  # no timestamps or random ids: same scene, same bytes
        pageCompression=1,
        initialFontName=next(iter(fonts), None),  # else reportlab references Helvetica
        initialFontSize=10,
        lang=scene.lang,
        # In CMYK mode reportlab itself refuses any RGB colour: a guard, not just a test.
        enforceColorSpace="cmyk" if options.colour == "cmyk" else None,
    )
    canvas.setTitle(scene.title)
    canvas.setAuthor(scene.author)
    canvas.setSubject(scene.subject)
    canvas.setKeywords(", ".join(scene.keywords))
    canvas.setCreator(f"infogen {__version__}")
    for number, page in enumerate(scene.pages):
        if tagger is not None:
            tagger.start_page(number)
        # The Scene's origin is the trim's top-left corner; the MediaBox adds the slug
        # (bleed and marks) all round, and the boxes tell the print shop where to cut.
        s, w, h = page.slug, page.width, page.height
        canvas.setPageSize((w + 2 * s, h + 2 * s))
        canvas.setTrimBox((s, s, s + w, s + h))
        b = page.bleed
        canvas.setBleedBox((s - b, s - b, s + w + b, s + h + b))
        painter = PdfPainter(h + 2 * s, s, options, fonts, tagger)
        for item in page.items:
            paint(item, painter, canvas)
        canvas.showPage()
    _finish(canvas._doc, scene, options, tagger)  # reportlab has no public handle on it
    canvas.save()
    return out.getvalue()


def _finish(doc: Any, scene: Scene, options: PdfOptions, tagger: Tagger | None) -> None:
    """What reportlab does not write by itself, added to its document once every page is
    painted: the document ID's content digest, the structure tree, PDF/X-4, and the XMP
    metadata the last two ask for."""
    digest = hashlib.sha256()
    for page in doc.Pages.pages:
        digest.update(page.stream.encode("utf-8", "surrogatepass"))
    # The trailer's ID: reportlab's invariant mode hashes only the info dictionary.
    doc.updateSignature(digest.digest())
    if tagger is None and options.pdfx is None:
        return
    info, stamp = doc.info, doc._timeStamp
    when = xmp.date(stamp.YMDhms, stamp.dhh, stamp.dmm)
    properties: dict[str, Any] = {  # the info dictionary's twins, as PDF/UA and PDF/X ask
        "dc:title": scene.title,
        "dc:creator": [info.author],
        "dc:description": info.subject,
        "dc:language": [scene.lang],
        "pdf:Keywords": info.keywords,
        "pdf:Producer": info.producer,
        "xmp:CreatorTool": info.creator,
        "xmp:CreateDate": when,
        "xmp:ModifyDate": when,
    }
    if tagger is not None:
        write_structure(doc, tagger, properties)
    if options.pdfx is not None:
        from .pdfx import add_pdfx

        add_pdfx(doc, options.pdfx, digest.hexdigest(), properties)
    metadata = PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}))
    metadata.content = xmp.packet(properties)  # unfiltered: XMP readers find it by its packet
    doc.Catalog.Metadata = metadata


@dataclass(frozen=True)
class PdfPainter:
    """Paints items onto a reportlab canvas; flips y once, here (the Scene is y-down)."""

    media_height: float
    offset: float  # from the MediaBox's corner to the trim's (the slug)
    options: PdfOptions
    glyph_codes: dict[str, GlyphCodes]  # per font, for the whole export
    tagger: Tagger | None = None  # marks what is painted, for the structure tree

    def fill(self, target: Any, colour: Colour, text: bool = False) -> None:
        """Set a fill colour on the canvas or a text object, in the document's colour space."""
        if self.options.colour == "rgb":
            target.setFillColorRGB(colour.r, colour.g, colour.b)
        elif not text and self.options.rich_black and colour.cmyk == (0.0, 0.0, 0.0, 1.0):
            target.setFillColorCMYK(*self.options.rich_black)
        else:
            target.setFillColorCMYK(*colour.cmyk)

    def stroke(self, canvas: Canvas, colour: Colour) -> None:
        if self.options.colour == "rgb":
            canvas.setStrokeColorRGB(colour.r, colour.g, colour.b)
        else:
            canvas.setStrokeColorCMYK(*colour.cmyk)

    def x(self, value: float) -> float:
        return value + self.offset

    def y(self, value: float) -> float:
        return self.media_height - self.offset - value

    @property
    def flip(self) -> Transform:
        """The Scene's coordinates (y down, trim origin) to the PDF's (y up, MediaBox origin)."""
        return Transform(1.0, 0.0, 0.0, -1.0, self.offset, self.media_height - self.offset)

    def enter_group(self, group: Group, canvas: Canvas) -> Canvas:
        self._transform(group, canvas)
        if self.tagger is not None:  # marked content starts inside the group's q, ends before its Q
            _operator(canvas, self.tagger.enter(group))
        return canvas

    def _transform(self, group: Group, canvas: Canvas) -> None:
        if group.transform is None and group.clip is None:
            return
        canvas.saveState()
        if group.transform is not None:
            # Coordinates inside are flipped like all others, so the group's transform is
            # conjugated by the flip: unflip, transform in Scene space, flip again.
            flip = self.flip
            unflip = Transform(1.0, 0.0, 0.0, -1.0, -self.offset, self.media_height - self.offset)
            m = unflip.then(group.transform).then(flip)
            canvas.transform(m.a, m.b, m.c, m.d, m.e, m.f)
        if group.clip is not None:
            canvas.clipPath(self._path(group.clip, canvas), stroke=0, fill=0, fillMode=1)

    def leave_group(self, group: Group, canvas: Canvas) -> None:
        if self.tagger is not None:
            _operator(canvas, self.tagger.leave(group))
        if group.transform is not None or group.clip is not None:
            canvas.restoreState()

    def _path(self, commands: tuple[PathCommand, ...], canvas: Canvas) -> Any:
        pdf_path = canvas.beginPath()
        for command in commands:
            if isinstance(command, MoveTo):
                pdf_path.moveTo(self.x(command.x), self.y(command.y))
            elif isinstance(command, LineTo):
                pdf_path.lineTo(self.x(command.x), self.y(command.y))
            elif isinstance(command, CubicTo):
                c = command
                pdf_path.curveTo(
                    self.x(c.x1), self.y(c.y1), self.x(c.x2), self.y(c.y2), self.x(c.x), self.y(c.y)
                )
            elif isinstance(command, Close):
                pdf_path.close()
        return pdf_path

    def paint_path(self, path: Path, canvas: Canvas) -> None:
        marks = self.tagger.decoration() if self.tagger is not None else None
        _operator(canvas, marks and marks[0])
        self._paint_path(path, canvas)
        _operator(canvas, marks and marks[1])

    def _paint_path(self, path: Path, canvas: Canvas) -> None:
        pdf_path = self._path(path.commands, canvas)
        if path.fill is not None:
            self.fill(canvas, path.fill)
        if path.stroke is not None:
            s = path.stroke
            self.stroke(canvas, s.colour)
            canvas.setLineWidth(s.width)
            canvas.setLineCap(_CAPS[s.cap])
            canvas.setLineJoin(_JOINS[s.join])
        canvas.drawPath(
            pdf_path, stroke=int(path.stroke is not None), fill=int(path.fill is not None), fillMode=1
        )

    def paint_glyphs(self, run: GlyphRun, canvas: Canvas) -> None:
        marks = self.tagger.text(run.direction == "rtl", run.lang) if self.tagger is not None else None
        _operator(canvas, marks and marks[0])
        self._paint_glyphs(run, canvas)
        _operator(canvas, marks and marks[1])

    def _paint_glyphs(self, run: GlyphRun, canvas: Canvas) -> None:
        font = pdfmetrics.getFont(run.font.id)
        text, adjustments = _codes_and_adjustments(font, run, self.glyph_codes[run.font.id])
        # Right-to-left glyphs stand in visual order, and extractors (poppler) read a
        # right-to-left span's text as visual too, reversing it into reading order.
        source = run.text[::-1] if run.direction == "rtl" else run.text
        actual_text = text != source
        if actual_text:
            _operator(canvas, f"/Span <</ActualText {_pdf_text_string(source)}>> BDC")
        self.fill(canvas, run.colour, text=True)  # the graphics state's fill paints the text too
        # The pen starts where the first glyph stands (a right-to-left run's first glyph
        # may be offset); the TJ array's numbers then carry each glyph to the next one's.
        first_x = run.glyphs[0].x if run.glyphs else 0.0
        doc = canvas._doc
        code = [f"BT 1 0 0 1 {fp_str(self.x(run.x + first_x), self.y(run.y))} Tm"]
        size, start = fp_str(run.size), 0
        for subset, chars in font.splitString(text, doc):  # the font's subsets of 256 codes
            code.append(f"{font.getSubsetInternalName(subset, doc)} {size} Tf")
            end = start + len(chars)
            code += _show(chars, adjustments[start:end], run.glyphs[start:end])
            start = end
        code.append("ET")
        _operator(canvas, " ".join(code))
        if actual_text:
            _operator(canvas, "EMC")


def _operator(canvas: Canvas, operator: str | None) -> None:
    """Write raw content-stream operators (marked content: BMC, BDC, EMC; a text object).
    reportlab has no public call for marked content, and its text objects measure every
    string again and take a run apart glyph by glyph to write what is known here already;
    this is the one place that reaches into it."""
    if operator:
        canvas._code.append(operator)


def _codes_and_adjustments(font: Any, run: GlyphRun, codes: GlyphCodes) -> tuple[str, list[str]]:
    """The characters of the font's embedding that show the run's glyphs, and after each
    glyph the TJ adjustment that carries the pen from where the glyph's own width leaves
    it to where layout put the next glyph ("" for none), in thousandths of an em."""
    per_em = 1000 / run.size
    chars, adjustments = [], []
    glyphs = run.glyphs
    last = len(glyphs) - 1
    for i, glyph in enumerate(glyphs):
        char, width = codes.get(glyph.id) or codes.add(font, glyph.id)
        chars.append(char)
        if i == last:
            adjustments.append("")  # the run ends: nothing follows in its text object
            continue
        advance = (glyphs[i + 1].x - glyph.x) * per_em
        # Without a known width (reportlab gives its private codes, for ligatures, the
        # glyph's advance) the pen moves by the glyph's own. Float noise (a stray 1e-9)
        # would split the string for nothing.
        adjust = "" if width is None or abs(advance - width) < 1e-6 else fp_str(width - advance)
        adjustments.append("" if adjust == "0" else adjust)
    return "".join(chars), adjustments


def _show(chars: bytes, adjustments: list[str], glyphs: tuple[Any, ...]) -> list[str]:
    """Text-showing operators for one subset's stretch of a run: TJ arrays of strings and
    adjustments, a rise (Ts) where glyphs are set above or below the baseline (marks)."""
    shown: list[str] = []
    rise = 0.0
    array: list[str] = []
    stretch = bytearray()
    for byte, adjust, glyph in zip(chars, adjustments, glyphs, strict=True):
        if -glyph.y != rise:
            if stretch:
                array.append(f"({escapePDF(bytes(stretch))})")
                stretch.clear()
            if array:
                shown.append(f"[{' '.join(array)}] TJ")
                array = []
            rise = -glyph.y
            shown.append(f"{fp_str(rise)} Ts")
        stretch.append(byte)
        if adjust:
            array += (f"({escapePDF(bytes(stretch))})", adjust)
            stretch.clear()
    if stretch:
        array.append(f"({escapePDF(bytes(stretch))})")
    if array:
        shown.append(f"[{' '.join(array)}] TJ")
    if rise:
        shown.append("0 Ts")
    return shown


class GlyphCodes(dict[int, tuple[str, float | None]]):
    """One font's glyphs in one export: the Scene's glyph id -> the character reportlab
    writes it as and that character's width (reportlab's charWidths; None if it has none),
    each glyph looked up once."""

    def __init__(self, glyph_ids: dict[int, int]) -> None:
        super().__init__()
        self.glyph_ids = glyph_ids  # the Scene's glyph ids -> the subset's

    def add(self, font: Any, glyph: int) -> tuple[str, float | None]:
        face, gid = font.face, self.glyph_ids[glyph]
        mapped = face.glyphToChar.get(gid)
        if mapped:
            code = mapped[0]
        else:
            if not hasattr(font, "hbAddPrivate"):
                font.hbFont()  # reportlab creates its private-code allocator lazily
            code = font.hbAddPrivate(f"gid{gid}", gid, face._pdfScale(face.hmetrics[gid][0]))
        found = self[glyph] = (chr(code), face.charWidths.get(code))
        return found


def _pdf_text_string(text: str) -> str:
    """A PDF text string in UTF-16BE with BOM, hex-encoded (no escaping pitfalls)."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _register(ref: FontRef, glyphs: set[int]) -> dict[int, int]:
    """Register a reportlab font for this export that holds only the page's glyphs, and
    return how the Scene's glyph ids map to the subset's.

    HarfBuzz's subsetter (C, 1-2 ms even for a 5 MB CJK face) cuts the face down to the
    glyphs the Scene draws, numbered afresh, and the cmap entries that reach them, and
    reportlab reads that instead of the whole file: parsing a CJK face whole took
    30-60 ms and ~10 MB for every export, most of it tables of characters the page never
    uses (and keeping the glyph ids would leave a table entry for every glyph up to the
    highest, which reportlab reads one by one). Every export gets a font object of its own:
    reportlab hands out private codes for glyphs without a character (ligatures) in the
    order it meets them and keeps them on the face, so a shared one would make a file's
    bytes depend on what was rendered before it.
    """
    if ref.id in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.getFont(ref.id).unregister()  # registerFont would keep the old object
    subset, glyph_ids = _subset(ref, glyphs)
    font = TTFont(ref.id, io.BytesIO(subset.blob.data), shapable=True)
    # reportlab keeps, for the glyphs past hhea.numberOfHMetrics (the subset shares one
    # advance among trailing glyphs that have the same), the advance scaled to 1000/em
    # instead of in font units, and embeds it so: put the font-unit advance back.
    long_metrics = int.from_bytes(subset.reference_table("hhea").data[34:36], "big")
    metrics = font.face.hmetrics
    if 0 < long_metrics < len(metrics):
        advance = metrics[long_metrics - 1][0]
        metrics[long_metrics:] = [(advance, lsb) for _, lsb in metrics[long_metrics:]]
    pdfmetrics.registerFont(font)
    return glyph_ids


# Tables reportlab does not read (it embeds glyf, loca, hmtx and the few it describes
# the font with): left out of the subset, so there is less to subset and to parse.
_UNREAD_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "kern", "vhea", "vmtx", "VORG", "DSIG")


def _tag(name: str) -> int:
    """A table tag as HarfBuzz's sets hold it."""
    return int.from_bytes(name.encode("ascii"), "big")


def _subset(ref: FontRef, glyphs: set[int]) -> tuple[Any, dict[int, int]]:
    """The face cut down to `glyphs`, and the old glyph ids -> the subset's."""
    face = hb.Face(hb.Blob.from_file_path(str(ref.path)), ref.index)
    wanted = hb.SubsetInput()
    for glyph in glyphs:
        wanted.glyph_set.add(glyph)
    for tag in _UNREAD_TABLES:
        wanted.drop_table_tag_set.add(_tag(tag))
    wanted.no_subset_table_tag_set.add(_tag("name"))  # every name as the file has it: copyright, licence
    # One cmap entry kept whatever the page draws: a page of glyphs without a character of
    # their own (contextual forms, conjuncts) would leave the subset no cmap, which reportlab refuses.
    wanted.unicode_set.add(0x20)
    plan = hb.SubsetPlan(face, wanted)
    subset = plan.execute()
    if subset is None:  # the face shaped the text, so only a file changed since could fail here
        raise InfogenError([Diagnostic(f"{ref.path.name} cannot be embedded: HarfBuzz could not subset it")])
    mapping = plan.old_to_new_glyph_mapping
    return subset, {glyph: mapping[glyph] for glyph in glyphs}


def _glyphs_in(scene: Scene) -> dict[FontRef, set[int]]:
    """The glyph ids each font draws, fonts in the order the Scene first uses them."""
    used: dict[str, tuple[FontRef, set[int]]] = {}
    for page in scene.pages:
        for top in page.items:
            for item in walk(top):
                if isinstance(item, GlyphRun):
                    used.setdefault(item.font.id, (item.font, set()))[1].update(g.id for g in item.glyphs)
    return dict(used.values())
