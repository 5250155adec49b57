"""The order of the stages: load and validate → compose the Scene → export bytes.

No files are written here (the CLI does that, atomically), so a render is a pure
function of the project's files and can be called from tests or other programs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import Diagnostic, InfogenError, Location
from .model.check import max_bullets
from .model.layout import Layout
from .model.overrides import RenderOptions, apply_options
from .project import Project
from .scene import Scene
from .source import MAX_PROFILE_BYTES, display_path, read_regular_file
from .text.fonts import FontLibrary
from .units import describe_pt

if TYPE_CHECKING:
    from .export.pdf import PdfOptions
    from .layout.context import GridFit


@dataclass(frozen=True)
class Artifact:
    filename: str
    lang: str
    format: str
    data: bytes


@dataclass
class Renderer:
    """Renders one project; fonts and parsed files are shared across languages."""

    project: Project
    options: RenderOptions = field(default_factory=RenderOptions)

    fallback: str | None = None  # take missing strings from this language, with warnings
    warnings: list[Diagnostic] = field(default_factory=list)
    font_dirs: tuple[Path, ...] = ()  # searched after the project's fonts/ (--font-path)

    def __post_init__(self) -> None:
        self.project.check()
        self.library = FontLibrary(self.project.fonts_dir, self.project.roots, self.font_dirs)
        self._layouts: dict[str, tuple[Layout, dict[str, Location]]] = {}
        self._layout_warnings: dict[str, list[Diagnostic]] = {}

    def layout(self, name: str) -> Layout:
        """The layout with this run's options applied; read once per render."""
        return self._layout(name)[0]

    def _layout(self, name: str) -> tuple[Layout, dict[str, Location]]:
        if name not in self._layouts:
            warnings: list[Diagnostic] = []
            layout, locations = self.project.read_layout(name, self.options.orientation, warnings)
            self._layout_warnings[name] = warnings
            layout = apply_options(layout, self.options)
            check_print_settings(layout, display_path(self.project.layout_path(name)))
            self._layouts[name] = (layout, locations)
        return self._layouts[name]

    def font_families(self, layout_name: str, script: str) -> list[str]:
        """The font families a language in `script` is set in, fallbacks first."""
        from .layout.typeset import resolve_fonts

        chains = resolve_fonts(self.layout(layout_name), self.library, "", script)
        names = [font.file.family for chain in chains.values() for font in chain]
        return list(dict.fromkeys(names))

    def scene(self, layout_name: str, lang: str) -> Scene:
        return self.scene_with_fits(layout_name, lang)[0]

    def scene_with_fits(self, layout_name: str, lang: str) -> tuple[Scene, list[GridFit]]:
        """The Scene, and how each grid's text was fitted."""
        from .layout.compose import compose_with_fits

        # Read both before failing, so one run reports the layout's and the language's
        # problems together.
        problems: list[Diagnostic] = []
        layout = content = None
        locations: dict[str, Location] = {}
        try:
            layout, locations = self._layout(layout_name)
        except InfogenError as exc:
            problems += exc.diagnostics
        try:
            limit = max_bullets(layout) if layout else None
            content = self.project.load_content(lang, limit, self.fallback, self.warnings)
        except InfogenError as exc:
            problems += exc.diagnostics
        if problems or layout is None or content is None:
            raise InfogenError(problems)
        layout_file = display_path(self.project.layout_path(layout_name))
        scene, fits = compose_with_fits(content, layout, self.library, layout_file, locations)
        self.warnings.extend(self._layout_warnings.get(layout_name, []))  # with every artifact
        self.warnings.extend(w for fit in fits for w in fit.warnings)
        return scene, fits

    def render(
        self,
        layout_name: str,
        languages: Iterable[str],
        formats: Iterable[str],
        progress: Callable[[str], None] = lambda _: None,
    ) -> list[Artifact]:
        artifacts = []
        pdf_options = None
        for lang in languages:
            progress(f"laying out {layout_name} in '{lang}'")
            scene = self.scene(layout_name, lang)
            if "pdf" in formats and pdf_options is None:  # after the scene: its errors come first
                pdf_options = self.pdf_options(layout_name)
            for fmt in formats:
                data = export(scene, fmt, pdf_options, self.dpi(layout_name))
                artifacts.append(Artifact(f"{layout_name}-{lang}.{fmt}", lang, fmt, data))
        return artifacts

    def dpi(self, layout_name: str) -> float:
        """PNG resolution: this run's, else the layout's."""
        return self.options.dpi or self.layout(layout_name).png.dpi

    def check_png_size(self, layout_name: str) -> None:
        """Refuse, before anything is rendered, a PNG of the layout's page at this run's
        resolution that is over infogen's limit (render and validate ask)."""
        from .export.png import size_problem  # without PDFium: it is imported to export

        page = self.layout(layout_name).page
        problem = size_problem(page.width, page.height, self.dpi(layout_name), f"layout '{layout_name}'")
        if problem:
            raise InfogenError([problem])

    def pdf_options(self, layout_name: str) -> PdfOptions:
        """Colour space and PDF/X settings of the layout, with this run's options."""
        from .export.pdf import OutputIntent, PdfOptions

        layout = self.layout(layout_name)
        cmyk = layout.colour.mode == "cmyk"
        rich = layout.colour.rich_black.cmyk if cmyk and layout.colour.black == "rich" else None
        intent = None
        if layout.pdf.standard == "pdf/x-4":
            where = self._layout(layout_name)[1].get("pdf.output_profile") or Location(
                display_path(self.project.layout_path(layout_name))
            )
            path = self.project.resolve_named_path(layout.pdf.output_profile, where, "pdf.output_profile")
            intent = OutputIntent(
                read_icc_profile(path, where, self.project.roots, layout_name),
                layout.pdf.output_condition_identifier,
                layout.pdf.output_condition,
                layout.pdf.registry,
            )
        return PdfOptions("cmyk" if cmyk else "rgb", rich, intent, self.options.tagged)


def check_print_settings(layout: Layout, layout_file: str) -> None:
    page = layout.page
    if page.crop_marks and page.crop_mark_offset < page.bleed:
        raise InfogenError(
            [
                Diagnostic(
                    f"crop marks start {describe_pt(page.crop_mark_offset)} from the trim, inside the "
                    f"{describe_pt(page.bleed)} bleed",
                    Location(layout_file),
                    "page.crop_mark_offset",
                    "marks must stay outside the bleed: make the offset at least the bleed",
                )
            ]
        )


def read_icc_profile(path: Path, where: Location, roots: tuple[Path, ...], layout_name: str = "") -> bytes:
    """The output intent's profile: it must exist and describe a CMYK printer."""
    if not path.exists():
        whose = f"layout '{layout_name}' writes PDF/X-4, but its " if layout_name else ""
        raise InfogenError(
            [
                Diagnostic(
                    f"{whose}ICC profile {display_path(path)} is not found",
                    where,
                    "pdf.output_profile",
                    "put your print shop's CMYK profile in profiles/ and name it in "
                    "pdf.output_profile; or copy profiles/FOGRA39L.icc from an infogen checkout, "
                    "where `make profiles` builds it (Debian's argyll and icc-profiles-free); or "
                    "render without PDF/X: --no-pdfx",
                )
            ]
        )
    data = read_regular_file(path, MAX_PROFILE_BYTES, roots)
    if len(data) < 128 or data[16:20] != b"CMYK" or data[36:40] != b"acsp":
        raise InfogenError(
            [Diagnostic(f"{display_path(path)} is not a CMYK ICC profile", where, "pdf.output_profile")]
        )
    return data


def export(scene: Scene, fmt: str, pdf_options: PdfOptions | None = None, dpi: float = 150.0) -> bytes:
    """Import each exporter only when it is used: reportlab alone costs ~100 ms to import."""
    if fmt == "png":
        from .export.png import export_png

        return export_png(scene, dpi)
    if fmt == "pdf":
        from .export.pdf import PdfOptions, export_pdf

        return export_pdf(scene, pdf_options or PdfOptions())
    if fmt == "svg":
        from .export.svg import export_svg

        return export_svg(scene)
    raise ValueError(f"unknown format {fmt!r}")


def render(
    project_dir: Path, layout: str, languages: Iterable[str], formats: Iterable[str]
) -> list[Artifact]:
    return Renderer(Project(project_dir)).render(layout, languages, formats)
