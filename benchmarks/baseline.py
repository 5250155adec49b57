"""The baseline: the least work a PDF of infogen's default page can take in Python.

A plain reportlab script that draws the page infogen's `default` layout draws, from the
same files: data/theme.yaml, data/icons.yaml, data/lang/<lang>.yaml and the page size,
margins, colours, font sizes and panel geometry of layouts/default.yaml (each read with
yaml.safe_load, simply). The heading band with the rule and the two-column intro, the
group labels, the ten panels (tinted, rounded, a badge with the theme's icon, the title
and the bullets; the two groups side by side, rows as tall as their fullest panel, the
leftover height shared out) and the credits, in the same TrueType files infogen finds
(Source Sans Pro from the font_source_sans_pro package), which reportlab embeds as subsets.

What it leaves out is what infogen adds on top: no shaping (reportlab's own glyph
widths, no kerning or ligatures), greedy line breaking with pdfmetrics.stringWidth, no
hyphenation, no balancing, no fitting (the designed sizes, whatever the length), no
validation, no tagged structure. Latin-script languages only (en, nl, de, fr): Arabic and
Japanese need shaping, bidi and other fonts, which is not the least work.

    python benchmarks/baseline.py --lang nl --out /tmp/baseline-nl.pdf
    python benchmarks/baseline.py --lang en --out x.pdf --png x.png

From Python: `draw(lang) -> bytes` (PDF) and `draw_png(lang) -> bytes`; the layout,
theme and fonts are read once per project root (as a batch worker keeps its renderer),
the language file on every call. The benchmark's warm runs call them in a process of
their own (`--worker`, see serve()), never beside infogen in one process.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import math
import re
import sys
from pathlib import Path

import yaml
from reportlab.lib import pagesizes
from reportlab.lib.colors import HexColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("en", "nl", "de", "fr")  # Latin script: no shaping, no bidi, one font family
LAYOUT = "default"
WEIGHTS = {400: "Regular", 700: "Bold"}  # the font_* wheels' file names

# How far the last page's panels ran past the grid's bottom: with no fitting, the designed
# sizes do not fit (infogen shrinks the panels' text to fit; the baseline leaves it).
last_overflow_pt = 0.0

UNITS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 720 / 25.4, "in": 72.0, "px": 0.75}


def length(value: str | float) -> float:
    """'4.5mm' -> points."""
    if isinstance(value, (int, float)):
        return float(value)
    match = re.fullmatch(r"\s*(-?[\d.]+)\s*([a-z]+)\s*", value)
    if match is None:
        raise ValueError(f"baseline: not a length: {value!r}")
    return float(match.group(1)) * UNITS[match.group(2)]


def colour(value: str) -> HexColor:
    """'#0E7C86 cmyk(75, 0, 24, 43)' -> the screen colour (the layout is RGB)."""
    return HexColor(value.split()[0])


def font_file(family: str, weight: int) -> Path:
    """The TTF infogen finds for this face: an installed font_* package's files/ folder
    (infogen.text.fonts.python_font_package_dirs), here looked up by the package's name."""
    package = "font_" + family.lower().replace(" ", "_")
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"baseline: no {package} package (pip install {package.replace('_', '-')})")
    return (
        Path(spec.submodule_search_locations[0])
        / "files"
        / f"{family.replace(' ', '')}-{WEIGHTS[weight]}.ttf"
    )


class Setup:
    """What a render reads once: the layout, the theme, the icons, the fonts."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.layout = yaml.safe_load((root / "layouts" / f"{LAYOUT}.yaml").read_text(encoding="utf-8"))
        self.theme = yaml.safe_load((root / "data" / "theme.yaml").read_text(encoding="utf-8"))
        icons = yaml.safe_load((root / "data" / "icons.yaml").read_text(encoding="utf-8"))
        self.view_box = float(icons["view_box"])
        self.icons = {name: [parse_path(d) for d in icon["paths"]] for name, icon in icons["icons"].items()}
        self.fonts: dict[str, str] = {}  # layout font name -> reportlab font name
        for name, spec in self.layout["fonts"].items():
            path = font_file(spec["family"], spec["weight"])
            font_name = f"baseline-{path.stem}"
            if font_name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(font_name, str(path)))
            self.fonts[name] = font_name


_setups: dict[Path, Setup] = {}


def setup(root: Path = ROOT) -> Setup:
    if root not in _setups:
        _setups[root] = Setup(root)
    return _setups[root]


def reset() -> None:
    """Forget what was read once (the next draw reads layout, theme and fonts again)."""
    for s in _setups.values():
        for font_name in s.fonts.values():
            if font_name in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.getFont(font_name).unregister()
    _setups.clear()


# --- icons: SVG path data (absolute M L H V C Q A Z, as data/icons.yaml uses) -------------


def parse_path(d: str) -> list[tuple[str, list[float]]]:
    tokens = re.findall(r"[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?", d)
    arity = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "Q": 4, "A": 7, "Z": 0}
    commands: list[tuple[str, list[float]]] = []
    i = 0
    while i < len(tokens):
        command = tokens[i]
        if command not in arity:
            raise ValueError(f"baseline: unsupported path command {command!r} in {d!r}")
        i += 1
        while True:
            n = arity[command]
            commands.append((command, [float(t) for t in tokens[i : i + n]]))
            i += n
            if n == 0 or i >= len(tokens) or tokens[i].isalpha():
                break
    return commands


def trace(path, commands: list[tuple[str, list[float]]]) -> None:
    """Append SVG path commands to a reportlab path (in the icon's y-down units)."""
    x = y = 0.0
    for command, a in commands:
        if command == "M":
            x, y = a
            path.moveTo(x, y)
        elif command == "L":
            x, y = a
            path.lineTo(x, y)
        elif command == "H":
            x = a[0]
            path.lineTo(x, y)
        elif command == "V":
            y = a[0]
            path.lineTo(x, y)
        elif command == "C":
            path.curveTo(*a)
            x, y = a[4], a[5]
        elif command == "Q":
            qx, qy, ex, ey = a
            path.curveTo(
                x + 2 / 3 * (qx - x),
                y + 2 / 3 * (qy - y),
                ex + 2 / 3 * (qx - ex),
                ey + 2 / 3 * (qy - ey),
                ex,
                ey,
            )
            x, y = ex, ey
        elif command == "A":
            rx, ry, _rotation, large, sweep, ex, ey = a  # the icons never rotate an arc
            arc(path, x, y, abs(rx), abs(ry), bool(large), bool(sweep), ex, ey)
            x, y = ex, ey
        else:
            path.close()


def arc(
    path, x1: float, y1: float, rx: float, ry: float, large: bool, sweep: bool, x2: float, y2: float
) -> None:
    """An SVG elliptical arc (endpoint form, no rotation) as reportlab's arcTo (centre form)."""
    hx, hy = (x1 - x2) / 2, (y1 - y2) / 2
    scale = hx * hx / (rx * rx) + hy * hy / (ry * ry)
    if scale > 1:
        rx, ry = rx * math.sqrt(scale), ry * math.sqrt(scale)
    num = rx * rx * ry * ry - rx * rx * hy * hy - ry * ry * hx * hx
    den = rx * rx * hy * hy + ry * ry * hx * hx
    coef = math.sqrt(max(0.0, num / den)) * (-1 if large == sweep else 1)
    cx = coef * rx * hy / ry + (x1 + x2) / 2
    cy = -coef * ry * hx / rx + (y1 + y2) / 2
    start = math.degrees(math.atan2((y1 - cy) / ry, (x1 - cx) / rx))
    end = math.degrees(math.atan2((y2 - cy) / ry, (x2 - cx) / rx))
    extent = (end - start) % 360
    if not sweep and extent > 0:
        extent -= 360
    path.arcTo(cx - rx, cy - ry, cx + rx, cy + ry, startAng=start, extent=extent)


# --- text -------------------------------------------------------------------------------


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy: as many words on a line as fit (reportlab's widths: no kerning, no shaping)."""
    space = pdfmetrics.stringWidth(" ", font, size)
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    for word in text.split():
        w = pdfmetrics.stringWidth(word, font, size)
        if line and used + space + w > width:
            lines.append(" ".join(line))
            line, used = [word], w
        else:
            used += (space if line else 0.0) + w
            line.append(word)
    if line:
        lines.append(" ".join(line))
    return lines


class Style:
    def __init__(self, spec: dict, fonts: dict[str, str], fill: HexColor | None = None) -> None:
        self.font = fonts[spec["font"]]
        self.size = length(spec["size"])
        self.line = self.size * float(spec["leading"])
        self.colour = fill if fill is not None else colour(spec["colour"])
        face = pdfmetrics.getFont(self.font).face
        ascent, descent = face.ascent / 1000 * self.size, face.descent / 1000 * self.size
        self.first = (self.line - (ascent - descent)) / 2 + ascent  # line top -> baseline

    def lines(self, text: str, width: float) -> list[str]:
        return wrap(text, self.font, self.size, width)


class Page:
    """Draws on a reportlab canvas in the layout's terms: points, origin top-left, y down."""

    def __init__(self, canvas: Canvas, height: float) -> None:
        self.c = canvas
        self.height = height

    def rect(self, x: float, y: float, w: float, h: float, fill: HexColor, radius: float = 0.0) -> None:
        self.c.setFillColor(fill)
        if radius:
            self.c.roundRect(x, self.height - y - h, w, h, radius, stroke=0, fill=1)
        else:
            self.c.rect(x, self.height - y - h, w, h, stroke=0, fill=1)

    def circle(self, x: float, y: float, r: float, fill: HexColor) -> None:
        self.c.setFillColor(fill)
        self.c.circle(x, self.height - y, r, stroke=0, fill=1)

    def text(self, style: Style, lines: list[str], x: float, top: float) -> float:
        """The lines from `top` down; returns the height they take."""
        self.c.setFont(style.font, style.size)
        self.c.setFillColor(style.colour)
        for i, line in enumerate(lines):
            self.c.drawString(x, self.height - (top + i * style.line + style.first), line)
        return len(lines) * style.line

    def icon(
        self, paths: list, view_box: float, x: float, y: float, size: float, spec: dict, ink: HexColor
    ) -> None:
        c = self.c
        c.saveState()
        c.translate(x, self.height - y)
        c.scale(size / view_box, -size / view_box)  # the icon's units, y down
        c.setStrokeColor(ink)
        c.setLineWidth(float(spec["stroke_width"]))
        c.setLineCap({"butt": 0, "round": 1, "square": 2}[spec["line_cap"]])
        c.setLineJoin({"miter": 0, "round": 1, "bevel": 2}[spec["line_join"]])
        for commands in paths:
            path = c.beginPath()
            trace(path, commands)
            c.drawPath(path, stroke=1, fill=0)
        c.restoreState()


def read_strings(root: Path, lang: str) -> dict:
    if lang not in LANGUAGES:
        raise SystemExit(
            f"baseline: language {lang!r}: the baseline sets Latin script only ({', '.join(LANGUAGES)})"
        )
    return yaml.safe_load((root / "data" / "lang" / f"{lang}.yaml").read_text(encoding="utf-8"))


def draw(lang: str, root: Path = ROOT) -> bytes:
    """The default page in `lang`, as PDF bytes."""
    s = setup(root)
    strings = read_strings(root, lang)
    layout, fonts = s.layout, s.fonts
    styles = layout["styles"]
    page_spec = layout["page"]
    width, height = getattr(pagesizes, page_spec["size"])  # portrait
    margin = {side: length(v) for side, v in page_spec["margin"].items()}
    body = layout["body"]
    header, grid, credits_spec = body[0], body[2], body[-1]
    footer = body[3:-1]  # spacer, rule, spacer above the credits

    out = io.BytesIO()
    c = Canvas(
        out,
        pagesize=(width, height),
        invariant=1,
        pageCompression=1,
        initialFontName=fonts["regular"],
        initialFontSize=10,
        lang=lang,
    )
    document = strings["document"]
    c.setTitle(document["title"])
    c.setAuthor(", ".join(s.theme["credits"]["authors"]))
    c.setSubject(document["subject"])
    c.setKeywords(", ".join(str(k) for k in document["keywords"]))
    page = Page(c, height)
    page.rect(0, 0, width, height, colour(page_spec["background"]))
    left, inner = margin["left"], width - margin["left"] - margin["right"]

    # The header band: heading, rule, the intro in balanced columns.
    heading_style = Style(styles["heading"], fonts)
    heading = heading_style.lines(strings["heading"], inner)
    rule_spec, columns_spec = header["items"][1], header["items"][2]
    intro_style = Style(styles["intro"], fonts)
    n_columns = columns_spec["columns"]
    column_gap = length(columns_spec["gap"])
    column_width = (inner - (n_columns - 1) * column_gap) / n_columns
    paragraph_gap = length(columns_spec["paragraph_gap"])
    items: list[tuple[str, float]] = []  # (line, gap above it)
    for p, paragraph in enumerate(strings["intro"]):
        for i, line in enumerate(intro_style.lines(paragraph, column_width)):
            items.append((line, paragraph_gap if p and not i else 0.0))
    split = balance(items, intro_style.line, n_columns)
    band_gap = length(header["gap"])
    padding = {side: length(v) for side, v in header["padding"].items()}
    y = margin["top"] + padding["top"]
    rule_top = y + len(heading) * heading_style.line + band_gap
    intro_top = rule_top + length(rule_spec["thickness"]) + band_gap
    intro_height = max(column_height(col, intro_style.line) for col in split)
    band_bottom = intro_top + intro_height + padding["bottom"]
    page.rect(0, 0, width, band_bottom, colour(header["background"]))
    page.text(heading_style, heading, left, y)
    page.rect(
        left,
        rule_top,
        length(rule_spec["width"]),
        length(rule_spec["thickness"]),
        colour(rule_spec["colour"]),
    )
    for k, column in enumerate(split):
        x, top = left + k * (column_width + column_gap), intro_top
        for j, (line, gap) in enumerate(column):
            top += gap if j else 0.0
            page.text(intro_style, [line], x, top)
            top += intro_style.line

    # The footer, from the bottom margin up: the credits under a rule; between the header
    # and the footer, the grid: one column of panels per group, the groups side by side.
    credits_style = Style(styles[credits_spec["style"]], fonts)
    credits_text = strings["credits"].format(
        authors=", ".join(s.theme["credits"]["authors"]), publisher=s.theme["credits"]["publisher"]
    )
    credits = credits_style.lines(credits_text, inner)
    credits_top = height - margin["bottom"] - len(credits) * credits_style.line
    gap_above_rule, footer_rule, gap_above_credits = footer
    thickness = length(footer_rule["thickness"])
    footer_rule_top = credits_top - length(gap_above_credits["height"]) - thickness
    grid_top = band_bottom + length(body[1]["height"])
    grid_bottom = footer_rule_top - length(gap_above_rule["height"])
    draw_grid(page, s, strings, grid, left, grid_top, inner, grid_bottom - grid_top)
    page.rect(left, footer_rule_top, inner, thickness, colour(footer_rule["colour"]))
    page.text(credits_style, credits, left, credits_top)
    c.showPage()
    c.save()
    return out.getvalue()


def balance(items: list[tuple[str, float]], line: float, n: int) -> list[list[tuple[str, float]]]:
    """Lines into n columns, in order, the tallest column as short as it can be (n = 1 or 2)."""
    if n == 1 or len(items) < 2:
        return [items] + [[] for _ in range(n - 1)]
    best = min(
        range(1, len(items)),
        key=lambda k: max(column_height(items[:k], line), column_height(items[k:], line)),
    )
    return [items[:best], items[best:]]


def column_height(column: list[tuple[str, float]], line: float) -> float:
    return len(column) * line + sum(gap for _, gap in column[1:])


def draw_grid(
    page: Page, s: Setup, strings: dict, grid: dict, x0: float, y0: float, width: float, height: float
) -> None:
    layout = s.layout
    design = layout["panels"][grid["panel"]]
    parts = {part["kind"]: part for part in design["parts"]}
    badge, title_part, bullets_part = parts["badge"], parts["title"], parts["bullets"]
    pad = {side: length(v) for side, v in design["padding"].items()}
    radius = length(design["radius"])
    diameter, badge_gap = length(badge["diameter"]), length(badge["gap"])
    groups = s.theme["groups"]
    group_gap, gap = length(grid["group_gap"]), length(grid["gap"])
    label = grid["label"]
    label_height, label_gap = length(label["height"]), length(label["gap"])
    group_width = (width - (len(groups) - 1) * group_gap) / len(groups)
    text_x = pad["left"] + diameter + badge_gap
    text_width = group_width - text_x - pad["right"]
    indent = length(bullets_part["indent"])
    bullet_gap, title_gap = length(bullets_part["gap"]), length(title_part["gap"])
    marker = length(bullets_part["marker_diameter"])
    label_style = Style(layout["styles"][label["style"]], s.fonts, fill=HexColor("#FFFFFF"))
    bullet_style = Style(layout["styles"][bullets_part["style"]], s.fonts)
    title_style_spec = layout["styles"][title_part["style"]]

    # Lay out every panel at the designed sizes (no fitting), then size the rows.
    laid: list[list[tuple[dict, list[str], list[list[str]], float]]] = []
    for group in groups:
        column = []
        for theme in group["themes"]:
            text = strings["themes"][theme["id"]]
            title = wrap(
                text["title"], s.fonts[title_style_spec["font"]], length(title_style_spec["size"]), text_width
            )
            bullets = [
                bullet_style.lines(b, text_width - indent) for b in text["bullets"][: bullets_part["max"]]
            ]
            body = (
                len(title) * length(title_style_spec["size"]) * float(title_style_spec["leading"]) + title_gap
            )
            body += sum(len(b) for b in bullets) * bullet_style.line + bullet_gap * (len(bullets) - 1)
            column.append((theme, title, bullets, pad["top"] + max(diameter, body) + pad["bottom"]))
        laid.append(column)
    rows = max(len(column) for column in laid)
    row_heights = [max(column[r][3] for column in laid if r < len(column)) for r in range(rows)]
    leftover = height - label_height - label_gap - sum(row_heights) - gap * (rows - 1)
    global last_overflow_pt
    last_overflow_pt = max(0.0, -leftover)
    if grid["rows"] == "content" and leftover > 0:
        row_heights = [h + leftover / rows for h in row_heights]

    for g, (group, column) in enumerate(zip(groups, laid, strict=True)):
        palette = layout["palettes"][g % len(layout["palettes"])]
        ink, tint, on_colour = (
            colour(palette["colour"]),
            colour(palette["tint"]),
            colour(palette["on_colour"]),
        )
        title_style = Style(title_style_spec, s.fonts, fill=colour(palette["title_colour"]))
        label_style.colour = on_colour
        x = x0 + g * (group_width + group_gap)
        page.rect(x, y0, group_width, label_height, ink, length(label["radius"]))
        cap = pdfmetrics.getFont(label_style.font).face.capHeight / 1000 * label_style.size
        page.text(
            label_style,
            [strings["groups"][group["id"]]],
            x + length(label["padding_x"]),
            y0 + (label_height + cap) / 2 - label_style.first,
        )
        y = y0 + label_height + label_gap
        for r, (theme, title, bullets, _) in enumerate(column):
            page.rect(x, y, group_width, row_heights[r], tint, radius)
            top = y + pad["top"]
            page.circle(x + pad["left"] + diameter / 2, top + diameter / 2, diameter / 2, ink)
            icon_size = length(badge["size"])
            page.icon(
                s.icons[theme["icon"]],
                s.view_box,
                x + pad["left"] + (diameter - icon_size) / 2,
                top + (diameter - icon_size) / 2,
                icon_size,
                badge,
                on_colour,
            )
            top += page.text(title_style, title, x + text_x, top) + title_gap
            for lines in bullets:
                page.circle(
                    x + text_x + marker / 2,
                    top + bullet_style.first - bullet_style.size * 0.3,
                    marker / 2,
                    ink,
                )
                top += page.text(bullet_style, lines, x + text_x + indent, top) + bullet_gap
            y += row_heights[r] + gap


def draw_png(lang: str, root: Path = ROOT, dpi: float = 150.0) -> bytes:
    """The PDF rasterised the way infogen's PNG exporter does it (PDFium, Pillow, level 9)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(draw(lang, root))
    try:
        image = pdf[0].render(scale=dpi / 72, fill_color=(255, 255, 255, 255)).to_pil().convert("RGB")
    finally:
        pdf.close()
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=9, dpi=(dpi, dpi))
    return out.getvalue()


def serve() -> None:
    """The warm mode for a benchmark in another process: one JSON request a line on stdin
    ({"op": "pdf" | "png" | "fresh", "lang": ..., "root": ..., "out": optional path}), one
    JSON reply a line on stdout with the wall and CPU seconds of the draw alone.

    Another process, because reportlab's font registry is one per process and keyed by
    the font's PostScript name: this script's TTFonts and infogen's fresh ones for the same
    files would be taken for each other."""
    import json
    import time

    for line in sys.stdin:
        request = json.loads(line)
        op, lang, root = request["op"], request["lang"], Path(request.get("root", ROOT))
        wall, cpu = time.perf_counter(), time.process_time()
        if op == "fresh":  # as if the process had just started: layout, theme, fonts read again
            reset()
        data = draw_png(lang, root) if op == "png" else draw(lang, root)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if request.get("out"):
            Path(request["out"]).write_bytes(data)
        reply = {
            "wall": wall,
            "cpu": cpu,
            "bytes": len(data),
            "overflow_pt": last_overflow_pt,
            "subset_fonts": op == "png"
            or all(
                f"+{Path(font_file(spec['family'], spec['weight'])).stem}".encode() in data
                for spec in setup(root).layout["fonts"].values()
            ),
            "base14": op != "png" and b"/Helvetica" in data,
        }
        print(json.dumps(reply), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", default="en", choices=LANGUAGES)
    parser.add_argument("--out", type=Path, help="the PDF to write (default: baseline-LANG.pdf)")
    parser.add_argument("--png", type=Path, help="also write the page as PNG here")
    parser.add_argument("--dpi", type=float, default=150.0)
    parser.add_argument("--project", type=Path, default=ROOT, help="the directory holding data/ and layouts/")
    parser.add_argument("--worker", action="store_true", help="serve draw requests on stdin (see serve())")
    args = parser.parse_args(argv)
    if args.worker:
        serve()
        return 0
    root = args.project.resolve()
    (args.out or Path(f"baseline-{args.lang}.pdf")).write_bytes(draw(args.lang, root))
    if args.png:
        args.png.write_bytes(draw_png(args.lang, root, args.dpi))
    return 0


if __name__ == "__main__":
    sys.exit(main())
