"""What every region's layout function needs: the typesetter, the content, the layout, and
where each layout key was written (so a region that cannot be laid out says where it is)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..diagnostics import Diagnostic, ExitCode, InfogenError, Location
from ..model.content import Content
from ..model.layout import Layout
from ..units import describe_pt
from .typeset import Overflowing, Typesetter


@dataclass(frozen=True)
class GridFit:
    """How a grid's text was fitted: the size its panels' main text got (bullets, or
    titles without bullets) against the size the layout designed."""

    grid: str  # the grid's key path in the layout, e.g. 'body[2]'
    designed_size: float  # pt
    largest_size: float  # pt: the largest any panel got
    smallest_size: float  # pt: the smallest any panel got (the same, in uniform mode)
    panels: int


@dataclass(frozen=True)
class Context:
    ts: Typesetter
    content: Content
    layout: Layout
    layout_file: str
    locations: Mapping[str, Location]
    fits: list[GridFit] = field(default_factory=list)  # filled in as grids are laid out

    def where(self, key_path: str) -> Location | None:
        """The line and column of a layout key (the file, if the key was not written there)."""
        found = self.locations.get(key_path)
        return found or (Location(self.layout_file) if self.layout_file else None)

    def overflow(self, exc: Overflowing, region_path: str) -> InfogenError:
        """Text too long for its region: pointed out in the language file, where it is
        shortened, with the region's place in the layout, where it is given more room."""
        place = self.where(region_path)
        string = next((s for s in self.content.strings if s.key == exc.key), None)
        return InfogenError(
            [
                Diagnostic(
                    f"language '{self.content.lang}': {exc.what} by {describe_pt(exc.excess)}",
                    (string.location if string else place) or Location(self.content.source),
                    exc.key,
                    f"shorten the text, or give it more room ({region_path} at {place or 'the layout'})",
                    exit_code=ExitCode.RENDER_FAILED,
                )
            ]
        )

    def too_tall(self, excess: float, region_path: str, what: str) -> InfogenError:
        return InfogenError(
            [
                Diagnostic(
                    f"language '{self.content.lang}': {what} by {describe_pt(excess)}",
                    self.where(region_path),
                    region_path,
                    "make the text smaller or shorter, the gaps smaller, or the page larger",
                    exit_code=ExitCode.RENDER_FAILED,
                )
            ]
        )
