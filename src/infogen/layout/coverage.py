"""Glyph coverage: every character the page shows must be in the font that sets it.

Checked before anything is laid out, so a missing glyph is an error naming the
language, the string, the characters and the font — never a blank box on paper.
Only what the layout shows is checked: a card without the intro needs no glyphs for it.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, InfogenError, Location
from ..model.check import regions
from ..model.content import Content
from ..model.layout import Layout
from ..model.regions import Badge, Bullets, Columns, Grid, Text, Title
from ..text.fonts import Font, needs_glyph
from .grid import blocks_of


def shown_strings(content: Content, layout: Layout) -> Iterator[tuple[str, str, str]]:
    """(key path, text, style name) for every string the layout puts on the page, from the
    content's one list of strings."""
    for _, region in regions(layout.body, "body"):
        if isinstance(region, (Text, Columns)):
            for s in content.field(region.text):
                yield s.key, s.text, region.style
        elif isinstance(region, Grid):
            design = layout.panels[region.panel]
            blocks = blocks_of(region, content.groups)
            if region.label is not None and region.group_by == "group":
                for block in blocks:
                    assert block.group is not None
                    yield f"groups.{block.group.id}", block.group.label, region.label.style
            themes = [t for block in blocks for t in block.themes]
            for part in design.parts:
                for theme in themes:
                    key = f"themes.{theme.id}"
                    if isinstance(part, Title):
                        yield f"{key}.title", theme.title, part.style
                    elif isinstance(part, Bullets):
                        for s in content.field(f"{key}.bullets"):
                            yield s.key, s.text, part.style
                    elif isinstance(part, Badge) and part.show == "number" and part.number_style:
                        yield key, str(theme.number), part.number_style


def check_coverage(content: Content, layout: Layout, fonts: dict[str, tuple[Font, ...]]) -> None:
    problems = []
    for key_path, text, style_name in shown_strings(content, layout):
        chain = fonts[layout.styles[style_name].font]
        missing = sorted(
            {ch for ch in set(text) if needs_glyph(ch) and not any(ord(ch) in f.codepoints for f in chain)}
        )
        if missing:
            shown = ", ".join(f"'{ch}' U+{ord(ch):04X}" for ch in missing[:12])
            more = f" and {len(missing) - 12} more" if len(missing) > 12 else ""
            string = next((s for s in content.strings if s.key == key_path), None)
            problems.append(
                Diagnostic(
                    f"language '{content.lang}': no font has a glyph for {shown}{more} "
                    f"(tried {', '.join(f'{f.id} ({f.file.path.name})' for f in chain)})",
                    (string.location if string else None) or Location(content.source),
                    key_path,
                    f"replace the characters, or add a font that has them for style '{style_name}' "
                    f"(layout key `scripts.{content.script}`)",
                )
            )
    if problems:
        raise InfogenError(problems)
