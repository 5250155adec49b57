"""Finding font files by family and weight, and loading each one once per FontLibrary
(one per render, shared by all its languages).

Fonts come from three places, searched in this order: the project's `fonts/`
directory (a user's own fonts), installed Python font packages (PyPI wheels named
`font-*`, such as font-source-sans-pro, which put their files in a `files/`
folder next to their licence), and the system font directories. Faces are read
with HarfBuzz, which maps the file instead of parsing it, so discovery is cheap.
"""

from __future__ import annotations

import importlib.util
import pkgutil
import re
import stat
import unicodedata
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import uharfbuzz as hb

from ..diagnostics import Diagnostic, InfogenError

FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
SYSTEM_FONT_DIRS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
    Path.home() / ".fonts",
)
_NAME_FAMILY, _NAME_POSTSCRIPT = 1, 6
_NAME_TYPO_FAMILY = 16


def needs_glyph(ch: str) -> bool:
    """Whether a character is drawn: format characters (joiners, soft hyphens, direction
    marks), line separators, tabs and newlines are not."""
    return unicodedata.category(ch) not in ("Cf", "Zl", "Zp") and ch not in "\n\t"


@dataclass(frozen=True)
class FontFile:
    """One face in a font file, as discovered (nothing parsed beyond names)."""

    path: Path
    index: int
    family: str
    weight: int
    italic: bool
    postscript_name: str
    truetype_outlines: bool  # glyf outlines, which reportlab can embed (CFF it cannot)
    supplied: bool = False  # brought by the project (its fonts/, a layout's file:), not installed


class Font:
    """A loaded face: HarfBuzz objects, metrics and coverage, shared by all of a render."""

    def __init__(self, file: FontFile) -> None:
        self.file = file
        self.face = hb.Face(hb.Blob.from_file_path(str(file.path)), file.index)
        self.units_per_em = self.face.upem
        self.hb_font = hb.Font(self.face)  # scale = upem: shaping results are in font units
        self._ink: dict[int, tuple[int, int]] = {}
        extents = self.hb_font.get_font_extents("ltr")
        self.ascender = extents.ascender
        self.descender = -extents.descender  # positive, below the baseline
        x_height = self.hb_font.get_metric_position(hb.OTMetricsTag.X_HEIGHT)
        self.x_height = x_height if x_height else self.units_per_em // 2
        cap_height = self.hb_font.get_metric_position(hb.OTMetricsTag.CAP_HEIGHT)
        self.cap_height = cap_height if cap_height else self.units_per_em * 7 // 10

    @property
    def id(self) -> str:
        return self.file.postscript_name

    def ink(self, glyph_id: int) -> tuple[int, int]:
        """How far a glyph's ink reaches above and below the baseline, in font units."""
        cached = self._ink.get(glyph_id)
        if cached is None:
            e = self.hb_font.get_glyph_extents(glyph_id)
            # HarfBuzz: y_bearing is the top of the ink, height runs downwards (negative).
            cached = (e.y_bearing, -(e.y_bearing + e.height)) if e and e.height else (0, 0)
            self._ink[glyph_id] = cached
        return cached

    def side_bearings(self, glyph_id: int) -> tuple[int, int]:
        """The blank left and right of a glyph's ink within its advance, in font units."""
        e = self.hb_font.get_glyph_extents(glyph_id)
        if not e or not e.width:
            return (0, 0)
        advance = self.hb_font.get_glyph_h_advance(glyph_id)
        return (e.x_bearing, advance - e.x_bearing - e.width)

    @cached_property
    def codepoints(self) -> frozenset[int]:
        return frozenset(self.face.unicodes)


@dataclass
class FontLibrary:
    """Resolves (family, weight, italic) to a loaded Font; caches files and faces."""

    project_fonts: Path
    roots: tuple[Path, ...] = ()  # where the project's fonts may really be (links followed)
    _files: list[FontFile] | None = None
    _system_scanned: bool = False
    _loaded: dict[tuple[Path, int], Font] = field(default_factory=dict)

    def find(self, family: str, weight: int, italic: bool = False, file: Path | None = None) -> Font:
        if file is not None:
            return self._load(replace(self._from_file(file, family, weight, italic), supplied=True))
        match = self._match(self._local_files(), family, weight, italic)
        if match is None and not self._system_scanned:
            self._scan_system()
            match = self._match(self._local_files(), family, weight, italic)
        if match is None:
            raise InfogenError([self._not_found(family, weight, italic)])
        return self._load(match)

    def _load(self, match: FontFile) -> Font:
        key = (match.path, match.index)
        if key not in self._loaded:
            problem = font_problem(match, thorough=match.supplied)
            if problem:
                raise InfogenError(
                    [
                        Diagnostic(
                            f"{match.path.name} cannot be used: {problem}",
                            hint="replace the font file with an intact copy (or another font)",
                        )
                    ]
                )
            self._loaded[key] = Font(match)
        return self._loaded[key]

    @staticmethod
    def _from_file(path: Path, family: str, weight: int, italic: bool) -> FontFile:
        if not path.exists():
            raise InfogenError([Diagnostic(f"font file {path} does not exist")])
        if not usable_font_file(path):
            raise InfogenError(
                [
                    Diagnostic(
                        f"font file {path.name} is not a regular file of at most {MAX_FONT_BYTES} bytes",
                        hint="name an ordinary .ttf, .otf or .ttc file",
                    )
                ]
            )
        faces = read_font_names(path)
        if not faces:
            raise InfogenError(
                [
                    Diagnostic(
                        f"{path.name} is not a font file infogen can read (damaged, or not TrueType/OpenType)",
                        hint="replace the file with an intact .ttf, .otf or .ttc",
                    )
                ]
            )
        match = FontLibrary._match(faces, family, weight, italic)
        if match is None:
            declared = "; ".join(
                f"'{f.family}' weight {f.weight}{' italic' if f.italic else ''}" for f in faces
            )
            raise InfogenError(
                [
                    Diagnostic(
                        f"{path.name} declares {declared}, not '{family}' weight {weight}{' italic' if italic else ''}",
                        hint="set family, weight and italic to what the file declares",
                    )
                ]
            )
        return match

    def all_files(self) -> list[FontFile]:
        if not self._system_scanned:
            self._scan_system()
        return list(self._local_files())

    def _local_files(self) -> list[FontFile]:
        if self._files is None:
            self._files = []
            supplied = scan_directory(self.project_fonts, self.roots or None)
            self._files.extend(replace(f, supplied=True) for f in supplied)
            for directory in python_font_package_dirs():
                self._files.extend(scan_directory(directory))
        return self._files

    def _scan_system(self) -> None:
        self._system_scanned = True
        files = self._local_files()
        for directory in SYSTEM_FONT_DIRS:
            files.extend(scan_directory(directory))

    @staticmethod
    def _match(files: list[FontFile], family: str, weight: int, italic: bool) -> FontFile | None:
        # First match wins (project fonts, then packages, then system), but a face with
        # TrueType outlines beats a CFF one of the same name: reportlab embeds only glyf.
        matches = [
            f
            for f in files
            if f.family.casefold() == family.casefold() and f.weight == weight and f.italic == italic
        ]
        return next((f for f in matches if f.truetype_outlines), matches[0] if matches else None)

    def _not_found(self, family: str, weight: int, italic: bool) -> Diagnostic:
        same_family = sorted(
            {(f.weight, f.italic) for f in self.all_files() if f.family.casefold() == family.casefold()}
        )
        style = " italic" if italic else ""
        if same_family:
            have = ", ".join(f"{w}{' italic' if i else ''}" for w, i in same_family)
            hint = f"'{family}' is installed in weights {have}; choose one of them in the layout"
        else:
            found = ", ".join(sorted({f.family for f in self.all_files()})[:12]) or "none"
            hint = (
                f"put the font files in {self.project_fonts}/ or install a font package "
                f"(make setup installs font-source-sans-pro); fonts found: {found}"
            )
        return Diagnostic(f"font '{family}' weight {weight}{style} not found", hint=hint)


def python_font_package_dirs() -> list[Path]:
    """`files/` folders of installed `font_*` packages (the font-* wheels on PyPI)."""
    dirs = []
    for module in sorted(pkgutil.iter_modules(), key=lambda m: m.name):
        if module.name.startswith("font_") and module.ispkg:
            spec = importlib.util.find_spec(module.name)
            for location in (spec.submodule_search_locations or []) if spec else []:
                dirs.append(Path(location) / "files")
    return dirs


MAX_FONT_BYTES = 64_000_000  # the largest CJK collections are about 30 MB
MAX_FACES = 64  # faces read from one collection file


def scan_directory(directory: Path, confine: tuple[Path, ...] | None = None) -> list[FontFile]:
    """Every face of the font files in a directory: regular files only (a pipe or a device
    named .ttf would hang or never end), no larger than MAX_FONT_BYTES, and with `confine`,
    only those whose real path is inside it (a project's fonts/ may not link elsewhere)."""
    if not directory.is_dir():
        return []
    found: list[FontFile] = []
    for path in sorted(directory.rglob("*")):
        if path.suffix.lower() in FONT_SUFFIXES and usable_font_file(path, confine):
            found.extend(read_font_names(path))
    return found


def usable_font_file(path: Path, confine: tuple[Path, ...] | None = None) -> bool:
    try:
        real = path.resolve(strict=True)
        info = real.stat()
    except (OSError, RuntimeError, ValueError):
        return False
    if confine is not None and not any(real.is_relative_to(root) for root in confine):
        return False
    return stat.S_ISREG(info.st_mode) and 0 < info.st_size <= MAX_FONT_BYTES


def font_problem(file: FontFile, thorough: bool) -> str | None:
    """What makes a face unusable, found before it sets a glyph: a units-per-em outside
    16-16384, a PostScript name PDF cannot carry, no character map; and, for fonts a project
    brings (`thorough`), any glyph that cannot be read (a damaged loca or glyf table)."""
    if not re.fullmatch(r"[!-~]{1,63}", file.postscript_name) or any(
        c in file.postscript_name for c in "/[](){}<>%#"
    ):
        return f"its PostScript name {file.postscript_name[:40]!r} is not one PDF can carry"
    from fontTools.ttLib import TTFont  # reads the tables as written (HarfBuzz mends some)

    try:
        with TTFont(str(file.path), fontNumber=file.index, lazy=True) as tt:
            upem = tt["head"].unitsPerEm
            if not 16 <= upem <= 16384:
                return f"its units per em is {upem} (16 to 16384 are valid)"
            if "cmap" not in tt or not tt.getBestCmap():
                return "it has no character map (cmap): no character can be set in it"
            if thorough and file.truetype_outlines:
                glyf = tt["glyf"]
                for name in tt.getGlyphOrder():
                    glyf[name].getCoordinates(glyf)  # decompiles it, components included
    except Exception as exc:  # noqa: BLE001 - any failure to read the font is the font's
        return f"its tables are damaged ({type(exc).__name__})"
    return None


def read_font_names(path: Path) -> list[FontFile]:
    """Names, weight and outline format of every face in a font file; [] if unreadable."""
    try:
        blob = hb.Blob.from_file_path(str(path))
        count = min(hb.Face(blob).count, MAX_FACES) if path.suffix.lower() == ".ttc" else 1
        faces = []
        for index in range(count):
            face = hb.Face(blob, index)
            if face.glyph_count == 0:
                continue
            font = hb.Font(face)
            family = face.get_name(_NAME_TYPO_FAMILY) or face.get_name(_NAME_FAMILY) or path.stem
            faces.append(
                FontFile(
                    path=path,
                    index=index,
                    family=family,
                    weight=int(font.get_style_value(hb.StyleTag.WEIGHT)),
                    italic=font.get_style_value(hb.StyleTag.ITALIC) > 0,
                    postscript_name=face.get_name(_NAME_POSTSCRIPT) or f"{path.stem}-{index}",
                    truetype_outlines="glyf" in face.table_tags,
                )
            )
        return faces
    except Exception:  # a corrupt or foreign file in a font folder is skipped, not fatal
        return []
