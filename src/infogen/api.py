"""The order of the stages: load and validate → compose the Scene → export bytes.

No files are written here (the CLI does that, atomically), so a render is a pure
function of the project's files and can be called from tests or other programs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .project import Project
from .scene import Scene
from .source import display_path
from .text.fonts import FontLibrary

FORMATS = ("pdf", "svg")


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

    def __post_init__(self) -> None:
        self.project.check()
        self.library = FontLibrary(self.project.fonts_dir)

    def scene(self, layout_name: str, lang: str) -> Scene:
        from .layout.compose import compose

        layout = self.project.load_layout(layout_name)
        content = self.project.load_content(lang, layout.panel.bullets.count)
        return compose(content, layout, self.library, display_path(self.project.layout_path(layout_name)))

    def render(
        self,
        layout_name: str,
        languages: Iterable[str],
        formats: Iterable[str],
        progress: Callable[[str], None] = lambda _: None,
    ) -> list[Artifact]:
        artifacts = []
        for lang in languages:
            progress(f"laying out {layout_name} in '{lang}'")
            scene = self.scene(layout_name, lang)
            for fmt in formats:
                artifacts.append(Artifact(f"{layout_name}-{lang}.{fmt}", lang, fmt, export(scene, fmt)))
        return artifacts


def export(scene: Scene, fmt: str) -> bytes:
    """Import each exporter only when it is used: reportlab alone costs ~100 ms to import."""
    if fmt == "pdf":
        from .export.pdf import export_pdf

        return export_pdf(scene)
    if fmt == "svg":
        from .export.svg import export_svg

        return export_svg(scene)
    raise ValueError(f"unknown format {fmt!r}")


def render(
    project_dir: Path, layout: str, languages: Iterable[str], formats: Iterable[str]
) -> list[Artifact]:
    return Renderer(Project(project_dir)).render(layout, languages, formats)
