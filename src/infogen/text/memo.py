"""The caches of the text being set — shaped words, segments, hyphenation dictionaries,
phrase models, glyph outlines — cleared together when a batch moves on to another
language.

Within a language they are what makes the fit search and every further layout cheap
(the same words at every size tried, in every layout). Another language's text shares
next to nothing with them, so a batch that renders language after language clears them
between languages (batch._render_group) instead of carrying every language's at once:
a whole batch in one process then peaks at about its heaviest language, not at the sum.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

_clearers: list[Callable[[], None]] = []

Cached = TypeVar("Cached")


def per_language(function: Cached) -> Cached:
    """Mark an lru_cache'd function as holding one language's text (returns it as it is)."""
    _clearers.append(function.cache_clear)  # type: ignore[attr-defined]
    return function


def also_clear(clear: Callable[[], None]) -> None:
    """Another cache of the text (not an lru_cache): cleared with the rest."""
    _clearers.append(clear)


def forget_language() -> None:
    """Clear every cache of the text set so far."""
    for clear in _clearers:
        clear()
