"""Finding font files by family and weight, and loading each one once per FontLibrary
(one per render, shared by all its languages).

Fonts come from three places, searched in this order: the project's `fonts/`
directory (a user's own fonts), installed Python font packages (PyPI wheels named
`font-*`, such as font-source-sans-pro, which put their files in a `files/`
folder next to their licence), and the system font directories. Faces are read
with HarfBuzz, which maps the file instead of parsing it, so discovery is cheap.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import stat
import sys
import unicodedata
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import uharfbuzz as hb

from ..diagnostics import Diagnostic, InfogenError
from ..scene import FontRef

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

    @cached_property
    def ref(self) -> FontRef:
        """The face as a Scene names it for exporters, with a digest of the file's bytes:
        what they keep of a font (a parsed face, glyph outlines) is reused only for the
        same bytes, however often a designer replaces the file while `watch` runs."""
        digest = hashlib.blake2b(self.file.path.read_bytes(), digest_size=16).digest()
        return FontRef(self.id, self.file.path, self.file.index, self.units_per_em, digest)


@dataclass
class FontLibrary:
    """Resolves (family, weight, italic) to a loaded Font; caches files and faces."""

    project_fonts: Path
    roots: tuple[Path, ...] = ()  # where the project's fonts may really be (links followed)
    extra_dirs: tuple[Path, ...] = ()  # --font-path: searched after fonts/, before packages
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
            for directory in self.extra_dirs:
                self._files.extend(replace(f, supplied=True) for f in scan_directory(directory))
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
    """`files/` folders of installed `font_*` packages (the font-* wheels on PyPI), looked
    for by name in sys.path's directories (pkgutil.iter_modules inspects every module of
    every directory: tens of milliseconds of each cold start)."""
    names: set[str] = set()
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as listing:
                names.update(
                    e.name
                    for e in listing
                    if e.name.startswith("font_") and os.path.isfile(os.path.join(e.path, "__init__.py"))
                )  # regular packages only, as pkgutil.iter_modules lists them
        except OSError:
            continue
    dirs = []
    for name in sorted(names):
        if not name.isidentifier():
            continue
        spec = importlib.util.find_spec(name)
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
    try:
        face = hb.Face(hb.Blob.from_file_path(str(file.path)), file.index)
        head = bytes(face.reference_table("head").data)  # as written: HarfBuzz mends upem
        if len(head) < 54:
            return "its font header (head) is missing or truncated"
        upem = int.from_bytes(head[18:20], "big")
        if not 16 <= upem <= 16384:
            return f"its units per em is {upem} (16 to 16384 are valid)"
        if not _has_unicode_cmap(bytes(face.reference_table("cmap").data)) or not face.unicodes:
            return "it has no character map (cmap): no character can be set in it"
    except Exception as exc:  # noqa: BLE001 - any failure to read the font is the font's
        return f"its tables are damaged ({type(exc).__name__})"
    if thorough and file.truetype_outlines:
        from fontTools.ttLib import TTFont  # reads every glyph as written, components included

        try:
            with TTFont(str(file.path), fontNumber=file.index, lazy=True) as tt:
                glyf = tt["glyf"]
                for name in tt.getGlyphOrder():
                    glyf[name].getCoordinates(glyf)  # decompiles it, components included
        except Exception as exc:  # noqa: BLE001 - any failure to read the font is the font's
            return f"its tables are damaged ({type(exc).__name__})"
    return None


# The cmap subtables that map Unicode (fontTools' getBestCmap takes these): Windows
# Unicode BMP and full, and every Unicode-platform encoding but variation sequences. A
# symbol (3, 0) or Mac Roman (1, 0) map alone sets no text (HarfBuzz would still read it).
_UNICODE_CMAPS = {(3, 10), (3, 1), (0, 0), (0, 1), (0, 2), (0, 3), (0, 4), (0, 6)}


def _has_unicode_cmap(cmap: bytes) -> bool:
    if len(cmap) < 4:
        return False
    count = int.from_bytes(cmap[2:4], "big")
    records = (cmap[4 + 8 * i : 8 + 8 * i] for i in range(count))
    return any(
        (int.from_bytes(r[0:2], "big"), int.from_bytes(r[2:4], "big")) in _UNICODE_CMAPS
        for r in records
        if len(r) == 4
    )


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


# --- Script coverage, for `infogen fonts` ------------------------------------------------


def _letters(*spans: tuple[int, int] | str) -> frozenset[int]:
    """Code points of inclusive (first, last) ranges, assigned characters only, and of strings."""
    points: set[int] = set()
    for span in spans:
        if isinstance(span, str):
            points.update(ord(ch) for ch in span)
        else:
            points.update(c for c in range(span[0], span[1] + 1) if unicodedata.category(chr(c)) != "Cn")
    return frozenset(points)


# Each script is judged by a small representative set: its basic letters (the alphabet, the
# abjad, the consonants), for Japanese the kana and 80 of the commonest kanji, for
# Chinese some 90 of the commonest characters in their simplified or traditional forms
# (with bopomofo for traditional: Japanese fonts have most traditional forms, not bopomofo).
_JAPANESE_KANJI = (
    "日一国人年大十二本中長出三時行見月分後前生五間上東四今金九入学高円子外八六下来気小七山"
    "話女北午百書先名川千水半男西電校語土木聞食車何南万毎白天母火右読友左休父雨"
)
_SIMPLIFIED = (
    "的一是不了人我在有他中大上子和你地出道也年得就那要下以生自着去之家可她小心多天而能好都然日于"
    "这们为个说时么会对里后发过两长进现实见经头动样与没点书车东马门问间风飞鸟鱼语话读写买卖"
)
_TRADITIONAL = (
    "的一是不了人我在有他中大上子和你地出道也年得就那要下以生自著去之家可她小心多天而能好都然日於"
    "這們為個說時麼會對裡後發過兩長進現實見經頭動樣與沒點書車東馬門問間風飛鳥魚語話讀寫買賣"
)
_HANGUL = "가나다라마바사아자차카타파하한국어의이는을를에서고로대지기것수도일시만정들우리말글사람"


def _script_samples() -> dict[str, tuple[str, frozenset[int]]]:
    """ISO 15924 code -> (name, sample), in the order `infogen fonts` shows them."""
    return {
        "Latn": ("Latin", _letters((0x41, 0x5A), (0x61, 0x7A))),
        "Grek": ("Greek", _letters((0x391, 0x3A9), (0x3B1, 0x3C9))),
        "Cyrl": ("Cyrillic", _letters((0x410, 0x44F), "\u0401\u0451")),
        "Armn": ("Armenian", _letters((0x531, 0x556), (0x561, 0x586))),
        "Hebr": ("Hebrew", _letters((0x5D0, 0x5EA))),
        "Arab": ("Arabic", _letters((0x621, 0x63A), (0x641, 0x64A))),
        "Deva": ("Devanagari", _letters((0x905, 0x939))),
        "Beng": ("Bengali", _letters((0x985, 0x9B9))),
        "Guru": ("Gurmukhi", _letters((0xA05, 0xA39))),
        "Gujr": ("Gujarati", _letters((0xA85, 0xAB9))),
        "Orya": ("Oriya", _letters((0xB05, 0xB39))),
        "Taml": ("Tamil", _letters((0xB85, 0xBB9))),
        "Telu": ("Telugu", _letters((0xC05, 0xC39))),
        "Knda": ("Kannada", _letters((0xC85, 0xCB9))),
        "Mlym": ("Malayalam", _letters((0xD05, 0xD39))),
        "Sinh": ("Sinhala", _letters((0xD85, 0xDC6))),
        "Thai": ("Thai", _letters((0xE01, 0xE2E))),
        "Laoo": ("Lao", _letters("ກຂຄງຈຊຍດຕຖທນບປຜຝພຟມຢຣລວສຫອຮ")),  # not the Pali letters of Unicode 12
        "Mymr": ("Myanmar", _letters((0x1000, 0x102A))),
        "Khmr": ("Khmer", _letters((0x1780, 0x17A2))),
        "Geor": ("Georgian", _letters((0x10D0, 0x10F0))),
        "Ethi": ("Ethiopic", _letters((0x1200, 0x1248))),
        "Kore": ("Hangul", _letters((0x3131, 0x314E), _HANGUL)),
        "Jpan": ("Japanese", _letters((0x3041, 0x3093), (0x30A1, 0x30F6), _JAPANESE_KANJI)),
        "Hans": ("Chinese (Simplified)", _letters(_SIMPLIFIED)),
        "Hant": ("Chinese (Traditional)", _letters(_TRADITIONAL, (0x3105, 0x3129))),
    }


SCRIPT_SAMPLES = _script_samples()
SCRIPT_COVERAGE = 0.9  # share of a script's sample a font must map to count as covering it
_SCRIPT_ALIASES = {"hang": "Kore", "korean": "Kore", "hani": "Hans", "chinese": "Hans"}


def script_code(name: str) -> str | None:
    """The ISO 15924 code of a script named by its code or name, any case ('arabic', 'Arab',
    'chinese (simplified)', 'japanese'); None if unknown."""
    wanted = " ".join(name.split()).casefold()
    for code, (title, _) in SCRIPT_SAMPLES.items():
        if wanted in (code.casefold(), title.casefold()):
            return code
    return _SCRIPT_ALIASES.get(wanted)


def script_names() -> list[str]:
    return [title for title, _ in SCRIPT_SAMPLES.values()]


_CODEPOINTS: dict[tuple[Path, int], frozenset[int]] = {}


def face_codepoints(file: FontFile) -> frozenset[int]:
    """The characters a face's cmap maps, read once per face (HarfBuzz maps the file, so
    this is a fraction of a millisecond even for a CJK collection); empty if unreadable."""
    key = (file.path, file.index)
    if key not in _CODEPOINTS:
        try:
            face = hb.Face(hb.Blob.from_file_path(str(file.path)), file.index)
            _CODEPOINTS[key] = frozenset(face.unicodes)
        except Exception:  # a file that changed or broke since it was scanned covers nothing
            _CODEPOINTS[key] = frozenset()
    return _CODEPOINTS[key]


def script_coverage(codepoints: frozenset[int] | set[int]) -> dict[str, float]:
    """ISO 15924 code -> the share of that script's sample the characters include."""
    return {code: len(sample & codepoints) / len(sample) for code, (_, sample) in SCRIPT_SAMPLES.items()}


def covered_scripts(codepoints: frozenset[int] | set[int]) -> list[str]:
    """The codes of the scripts whose sample is at least SCRIPT_COVERAGE covered, in order."""
    return [code for code, share in script_coverage(codepoints).items() if share >= SCRIPT_COVERAGE]


FONT_SOURCES = ("project", "--font-path", "package", "system")


def font_source_dirs(library: FontLibrary) -> list[tuple[str, Path]]:
    """(source, directory) in the order FontLibrary searches them."""
    return [
        ("project", library.project_fonts),
        *(("--font-path", d) for d in library.extra_dirs),
        *(("package", d) for d in python_font_package_dirs()),
        *(("system", d) for d in SYSTEM_FONT_DIRS),
    ]


def font_catalog(library: FontLibrary) -> list[tuple[str, list[FontFile]]]:
    """Every face the library can find, by where it comes from and family: (source, faces)
    per family, in search order of the sources; a face reached twice (a --font-path inside a
    system directory) is listed once, where it is found first."""
    dirs = font_source_dirs(library)
    families: dict[tuple[str, str], list[FontFile]] = {}
    seen: set[tuple[Path, int]] = set()
    for file in library.all_files():
        try:
            key = (file.path.resolve(), file.index)
        except (OSError, RuntimeError):
            key = (file.path, file.index)
        if key in seen:
            continue
        seen.add(key)
        source = next((s for s, d in dirs if file.path.is_relative_to(d)), "system")
        families.setdefault((source, file.family.casefold()), []).append(file)
    order = {s: i for i, s in enumerate(FONT_SOURCES)}
    entries = sorted(families.items(), key=lambda item: (order[item[0][0]], item[0][1], item[1][0].family))
    return [
        (source, sorted(faces, key=lambda f: (f.weight, f.italic, str(f.path), f.index)))
        for (source, _), faces in entries
    ]
