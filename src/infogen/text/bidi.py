"""Bidirectional text: which pieces of a line go where, by the Unicode bidi algorithm.

python-bidi resolves the embedding level of every character (rules X1-I2 of UAX #9);
we apply the reordering rule L2 to whole segments (words, spaces, hyphens), because
each segment is shaped as a unit and HarfBuzz already puts its glyphs in visual order.
"""

from __future__ import annotations

import unicodedata


def has_rtl(text: str) -> bool:
    """Whether the text has a right-to-left letter (ASCII has none: most lines, at once)."""
    return not text.isascii() and any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def levels_of(items: list[str], rtl: bool) -> list[int]:
    """The resolved embedding level of each item: its first strong character's (a Latin
    word's, not the bracket or quote before it, which UBA may resolve the other way: the
    item is shaped and placed as a unit), else its first surviving character's."""
    from bidi import algorithm as uba  # only for lines with right-to-left text

    text = "".join(items)
    storage = uba.get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    uba.get_embedding_levels(text, storage, False, False)
    owner = [i for i, item in enumerate(items) for _ in item]
    for char, item in zip(storage["chars"], owner, strict=True):
        char["item"] = item
    uba.explicit_embed_and_overrides(storage, False)
    uba.resolve_weak_types(storage, False)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    levels = [storage["base_level"]] * len(items)
    seen: set[int] = set()
    strong: set[int] = set()
    for char in storage["chars"]:
        item = char["item"]
        is_strong = unicodedata.bidirectional(char["ch"]) in ("L", "R", "AL")
        if item not in seen or (is_strong and item not in strong):
            seen.add(item)
            levels[item] = char["level"]
        if is_strong:
            strong.add(item)
    return levels


def visual_order(items: list[str], rtl: bool) -> list[int]:
    """Indices of `items` from left to right on the line (rule L2, per item)."""
    order = list(range(len(items)))
    if not rtl and not any(has_rtl(item) for item in items):
        return order
    levels = levels_of(items, rtl)
    lowest_odd = min((lv for lv in levels if lv % 2), default=None)
    if lowest_odd is None:
        return order
    for level in range(max(levels), lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order
