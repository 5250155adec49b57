"""What every region's layout function needs: the typesetter, the content, the layout, and
where each layout key was written (so a region that cannot be laid out says where it is)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..diagnostics import Diagnostic, ExitCode, InfogenError, Location
from ..model.content import Content
from ..model.layout import Layout
from ..scene import DebugBox
from ..units import describe_pt
from .typeset import Overflowing, Typesetter

PAPER_HINT = (
    "to print a design on other paper, keep its page.size and pass --paper (e.g. --paper A4): "
    "the whole design scales"
)


@dataclass(frozen=True)
class PanelFit:
    """One panel after fitting: its main text's size and how full its box is."""

    panel: str  # theme id
    size: float  # pt: the size of its main text (bullets, or the title without bullets)
    fullness: float  # the height its content needs / the height of its box (1.0: full)


@dataclass(frozen=True)
class GridFit:
    """How a grid's text was fitted: the size its panels' main text got against the size
    the layout designed, how full they are, and what made the text shrink."""

    grid: str  # the grid's key path in the layout, e.g. 'body[2]'
    designed_size: float  # pt
    panels: tuple[PanelFit, ...]
    limit_panel: str | None = None  # the panel that did not fit one size larger
    limit_key: str | None = None  # its string that takes the most lines
    limit_location: Location | None = None  # where the language file has that string
    warnings: tuple[Diagnostic, ...] = ()  # text below fit.warn_below or a readable size

    @property
    def largest_size(self) -> float:
        return max((p.size for p in self.panels), default=self.designed_size)

    @property
    def smallest_size(self) -> float:
        return min((p.size for p in self.panels), default=self.designed_size)

    @property
    def fullest(self) -> PanelFit | None:
        return max(self.panels, key=lambda p: p.fullness, default=None)


@dataclass(frozen=True)
class Context:
    ts: Typesetter
    content: Content
    layout: Layout
    layout_file: str
    locations: Mapping[str, Location]
    fits: list[GridFit] = field(default_factory=list)  # filled in as grids are laid out
    debug: list[DebugBox] = field(default_factory=list)  # region and panel boxes, as drawn

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
                    "make the text smaller or shorter, the gaps smaller, or the page larger; " + PAPER_HINT,
                    exit_code=ExitCode.RENDER_FAILED,
                )
            ]
        )
