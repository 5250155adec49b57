"""The page as a tree of regions, and a panel as a list of parts: the arrangement of an
infographic, read from a layout's `body` and `panels` like every other visual decision.

Each region kind is a dataclass chosen by its `kind:` key (a tagged union the schema
reader understands); each is laid out by one small function in `layout/`. The set is
closed on purpose: a small vocabulary a designer can learn from `infogen reference`.
"""

from dataclasses import dataclass
from typing import Literal, TypeVar, Union

from ..units import Colour, Pt
from .schema import key

Align = Literal["start", "center", "end"]
Side = Literal["top", "right", "bottom", "left"]
P = TypeVar("P")
ALIGN_DOC = "`start` (left, or right in a right-to-left language), `center` or `end`."


@dataclass(frozen=True)
class Edges:
    top: Pt = key("Top.", min=0)
    right: Pt = key("Right.", min=0)
    bottom: Pt = key("Bottom.", min=0)
    left: Pt = key("Left.", min=0)


# --- Regions ---


@dataclass(frozen=True)
class Stack:
    """Regions one below the other, in reading order."""

    kind: Literal["stack"] = key("`stack`.")
    items: tuple["Region", ...] = key("The regions, top to bottom.", items=(1, 64))
    gap: Pt = key("Space between neighbouring regions.", min=0, default=Pt(0))


@dataclass(frozen=True)
class Band:
    """A stack on a background, which may run to the trim edges (and into the bleed)."""

    kind: Literal["band"] = key("`band`.")
    background: Colour = key("Background colour.")
    padding: Edges = key("Space between the band's edge and its regions.")
    items: tuple["Region", ...] = key("The regions on the band, top to bottom.", items=(1, 64))
    gap: Pt = key("Space between neighbouring regions.", min=0, default=Pt(0))
    extend: tuple[Side, ...] = key(
        "Sides whose background runs out to the trim edge of the page, and on into the bleed "
        "(`[top, left, right]` for a header band); on a mirrored right-to-left page left and "
        "right swap.",
        default=(),
        items=(0, 4),
    )
    radius: Pt = key("Corner radius of the background.", min=0, default=Pt(0))


@dataclass(frozen=True)
class Row:
    """Regions side by side, sharing the width; mirrored on right-to-left pages."""

    kind: Literal["row"] = key("`row`.")
    items: tuple["Region", ...] = key("The regions, from the start side.", items=(1, 12))
    widths: tuple[float, ...] = key(
        "Share of the width each region gets, one number per region (`[1, 2]`: a third and two thirds).",
        items=(1, 12),
        min=0.01,
        max=100,
    )
    gap: Pt = key("Space between neighbouring regions.", min=0)


@dataclass(frozen=True)
class Text:
    """A content field set in one style: a string, or a list of paragraphs one below the other."""

    kind: Literal["text"] = key("`text`.")
    text: str = key(
        "The content field it shows: `heading`, `intro`, `credits`, `document.title`, "
        "`groups.<id>`, `themes.<id>.title`, `themes.<id>.bullets`, or one item of a list "
        "(`intro[0]`)."
    )
    style: str = key("Text style (a name in `styles`).", ref="styles")
    role: Literal["heading", "paragraph"] = key(
        "What the text is to a reader (tagged PDF, screen readers).", default="paragraph"
    )
    level: int = key(
        "Heading level, with `role: heading` (1 for the page's heading).", min=1, max=6, default=1
    )
    align: Align = key("Line alignment: " + ALIGN_DOC, default="start")
    paragraph_gap: Pt = key("Space between the paragraphs of a list field.", min=0, default=Pt(0))


@dataclass(frozen=True)
class Columns:
    """A list field's paragraphs flowed, in order, into balanced columns."""

    kind: Literal["columns"] = key("`columns`.")
    text: str = key("The content field it shows, e.g. `intro` (see `text`).")
    style: str = key("Text style (a name in `styles`).", ref="styles")
    columns: int = key("Number of columns (fewer when there are fewer paragraphs).", min=1, max=6)
    gap: Pt = key("Space between columns.", min=0)
    paragraph_gap: Pt = key("Space between paragraphs in the same column.", min=0)


@dataclass(frozen=True)
class Rule:
    """A horizontal line (decoration)."""

    kind: Literal["rule"] = key("`rule`.")
    colour: Colour = key("Colour.")
    thickness: Pt = key("Thickness.", min=0)
    width: Pt | None = key("Length; leave it out for the full width.", default=None, min=0)
    align: Align = key("Where a shorter rule sits: " + ALIGN_DOC, default="start")


@dataclass(frozen=True)
class Spacer:
    """Empty space: a fixed height, or a share of whatever height is left over."""

    kind: Literal["spacer"] = key("`spacer`.")
    height: Pt = key("Height.", min=0, default=Pt(0))
    grow: bool = key(
        "Also take a share of the height left over in its stack (pushes what follows down).",
        default=False,
    )


@dataclass(frozen=True)
class GroupLabel:
    style: str = key("Text style of the label (coloured with the palette's on-colour).", ref="styles")
    height: Pt = key("Height of the label band.", min=0)
    padding_x: Pt = key("Space between the band's start edge and the label text.", min=0)
    radius: Pt = key("Corner radius of the band.", min=0)
    gap: Pt = key("Space between the label band and the first row of panels.", min=0)
    level: int = key("Heading level of the label (tagged PDF, screen readers).", min=1, max=6, default=2)


@dataclass(frozen=True)
class Fit:
    mode: Literal["uniform", "per-panel"] = key(
        "`uniform`: every panel's text shrinks by the same amount so panels look alike; "
        "`per-panel`: each panel shrinks only as much as it needs."
    )
    min_size: Pt = key(
        "Smallest size of the panel's main text (its bullets; its title when it has none); "
        "the rest shrinks in proportion. Below it the render fails.",
        min=4,
    )
    step: Pt = key("Size decrement tried while shrinking.", min=0.05, max=4)
    unhyphenated_within: Pt = key(
        "Where the largest size that fits hyphenates a word, take a size up to this much "
        "smaller at which nothing is hyphenated, if there is one (0 for never).",
        min=0,
        max=12,
    )
    warn_below: Pt | None = key(
        "Warn when the main text shrinks below this size (the render still succeeds; "
        "`validate --strict` fails). Leave it out to be warned only below a readable size for the paper.",
        min=4,
        default=None,
    )


@dataclass(frozen=True)
class Grid:
    """The theme panels, in rows and columns; the one region that fits its text by shrinking."""

    kind: Literal["grid"] = key("`grid`.")
    themes: str = key("Which themes: `all`, or the id of one group in data/theme.yaml.")
    group_by: Literal["group", "none"] = key(
        "`group`: one block of panels per group, each under its label; `none`: every theme in "
        "one block, in data order."
    )
    arrange: Literal["columns", "rows"] = key(
        "How the blocks of a grouped grid share the room: side by side (`columns`, rows aligned "
        "across the blocks) or one below the other (`rows`)."
    )
    columns: int = key("Columns of panels in each block.", min=1, max=12)
    rows: Literal["content", "equal"] = key(
        "`content`: each row is as tall as its fullest panel needs, and the height left over is "
        "shared out evenly; `equal`: all rows are the same height. (With `fit.mode: per-panel`, "
        "rows are always equal.)"
    )
    gap: Pt = key("Space between panels, both directions.", min=0)
    group_gap: Pt = key("Space between the blocks of a grouped grid.", min=0)
    panel: str = key("The panel design (a name in `panels`).", ref="panels")
    fit: Fit = key("What happens when the text does not fit the panels.")
    label: GroupLabel | None = key(
        "A label band at the top of each group's block (with `group_by: group`); leave it out for none.",
        default=None,
    )


Region = Union[Stack, Band, Row, Text, Columns, Rule, Spacer, Grid]  # noqa: UP007 (a runtime value)


# --- Panel parts ---


@dataclass(frozen=True)
class Badge:
    """The round badge of a panel: the theme's icon, or its number."""

    kind: Literal["badge"] = key("`badge`.")
    show: Literal["icon", "number", "none"] = key(
        "`icon` (data/icons.yaml), `number` (the theme's position in the data, from 1), or `none` (no badge)."
    )
    position: Literal["left", "top"] = key(
        "`left`: beside the text (on the right on mirrored pages), its top level with the "
        "title's capitals; `top`: above the title."
    )
    diameter: Pt = key("Diameter of the round background (0 for none).", min=0)
    size: Pt = key("Size of the icon's square drawing area, centred in the badge.", min=1)
    gap: Pt = key("Space between the badge and the text.", min=0)
    stroke_width: float = key(
        "Icon stroke width in icon units (the icon grid is `view_box` units wide).", min=0.1, max=6
    )
    line_cap: Literal["butt", "round", "square"] = key("How the icon's open strokes end.")
    line_join: Literal["miter", "round", "bevel"] = key("How the icon's strokes meet at corners.")
    number_style: str | None = key(
        "Text style of the number (with `show: number`), coloured with the palette's on-colour "
        "(on a badge with a diameter) or colour.",
        default=None,
        ref="styles",
    )
    icon_role: Literal["figure", "artifact"] = key(
        "What the icon is to a reader: `figure`, read out with its alternative text (the "
        "language file's `icons`); `artifact`, decoration that screen readers skip.",
        default="figure",
    )


@dataclass(frozen=True)
class Title:
    """The theme's title."""

    kind: Literal["title"] = key("`title`.")
    style: str = key("Text style (coloured with the palette's title colour).", ref="styles")
    gap: Pt = key("Space between the title and the part below it.", min=0)
    align: Align = key("Line alignment: " + ALIGN_DOC, default="start")
    level: int = key("Heading level of panel titles (tagged PDF, screen readers).", min=1, max=6, default=3)


@dataclass(frozen=True)
class Bullets:
    """The theme's bullets, as a list with round markers."""

    kind: Literal["bullets"] = key("`bullets`.")
    style: str = key("Text style.", ref="styles")
    marker_diameter: Pt = key("Diameter of the round bullet marker.", min=0)
    indent: Pt = key("Hanging indent: the text starts this far from the marker's start edge.", min=0)
    gap: Pt = key("Space between bullets.", min=0)
    max: int = key(
        "The most bullets a theme may have in this design; a language file with more is refused.",
        min=1,
        max=12,
    )


Part = Union[Badge, Title, Bullets]  # noqa: UP007 (a runtime value)


@dataclass(frozen=True)
class PanelDesign:
    """One design of a theme panel, named in `panels` and used by grids."""

    padding: Edges = key("Space between the panel's edge and its content.")
    radius: Pt = key("Corner radius of the panel.", min=0)
    background: Literal["tint", "none"] = key("The panel's background: the palette's `tint`, or `none`.")
    align: Literal["top", "middle"] = key(
        "Where the content sits when the panel is taller than it needs: at the `top`, or in the `middle`."
    )
    parts: tuple[Part, ...] = key(
        "What the panel shows, each part at most once: `badge`, `title`, `bullets`; title and "
        "bullets one below the other in the order given.",
        items=(1, 3),
    )

    def part(self, cls: type[P]) -> P | None:
        """The part of this kind, if the panel shows it."""
        return next((p for p in self.parts if isinstance(p, cls)), None)
