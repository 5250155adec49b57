"""What every region's layout function needs: the typesetter, the content, the layout, and
where each layout key was written (so a region that cannot be laid out says where it is)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..diagnostics import Diagnostic, ExitCode, InfogenError, Location
from ..model.content import Content
from ..model.layout import Layout
from ..units import describe_pt
from .typeset import Overflowing, Typesetter


@dataclass(frozen=True)
class Context:
    ts: Typesetter
    content: Content
    layout: Layout
    layout_file: str
    locations: Mapping[str, Location]

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
