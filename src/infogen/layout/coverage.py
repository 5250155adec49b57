"""Glyph coverage: every character of every string must be in the font that sets it.

Checked before anything is laid out, so a missing glyph is an error naming the
language, the string, the characters and the font — never a blank box on paper.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, InfogenError, Location
from ..model.content import Content
from ..model.layout import Layout
from ..text.fonts import Font, needs_glyph


def styled_strings(content: Content, layout: Layout) -> Iterator[tuple[str, str, str]]:
    """(key path in the language file, text, style name) for every string on the page."""
    yield "heading", content.heading, layout.header.heading_style
    for i, paragraph in enumerate(content.intro):
        yield f"intro[{i}]", paragraph, layout.header.intro_style
    yield "credits", content.credits, layout.footer.style
    for group in content.groups:
        yield f"groups.{group.id}", group.label, layout.body.label.style
        for theme in group.themes:
            yield f"themes.{theme.id}.title", theme.title, layout.panel.title_style
            for i, bullet in enumerate(theme.bullets):
                yield f"themes.{theme.id}.bullets[{i}]", bullet, layout.panel.bullets.style


def check_coverage(content: Content, layout: Layout, fonts: dict[str, tuple[Font, ...]]) -> None:
    problems = []
    for key_path, text, style_name in styled_strings(content, layout):
        chain = fonts[layout.styles[style_name].font]
        missing = sorted(
            {ch for ch in text if needs_glyph(ch) and not any(ord(ch) in f.codepoints for f in chain)}
        )
        if missing:
            shown = ", ".join(f"'{ch}' U+{ord(ch):04X}" for ch in missing[:12])
            more = f" and {len(missing) - 12} more" if len(missing) > 12 else ""
            problems.append(
                Diagnostic(
                    f"language '{content.lang}': no font has a glyph for {shown}{more} "
                    f"(tried {', '.join(f'{f.id} ({f.file.path.name})' for f in chain)})",
                    Location(content.source),
                    key_path,
                    f"replace the characters, or add a font that has them for style '{style_name}' "
                    f"(layout key `scripts.{content.script}`)",
                )
            )
    if problems:
        raise InfogenError(problems)
