"""Length budgets: how much longer than the English a translation may be, per field, as a
layout states it (`text.length_budget: {title: 1.3, bullets: 1.4}`).

Counted in characters, as translation tools count and show them (Poedit, Weblate,
Crowdin and XLIFF's `size-unit="char"`), so a translator can check a budget while
typing. A script whose characters carry more (Japanese) rarely reaches a budget made for
Latin text; the fit report still shows whatever really makes the panels shrink.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Location
from ..model.content import StringRole

# The layout's name for the field each role of string fills.
ROLE_FIELDS: Mapping[StringRole, str] = {
    "heading": "heading",
    "intro": "intro",
    "credits": "credits",
    "group-label": "label",
    "theme-title": "title",
    "theme-bullet": "bullets",
}


@dataclass(frozen=True)
class Budget:
    """One field's budget, and the layout key that sets it (for messages)."""

    ratio: float
    layout: str  # the layout's name
    key: str  # 'text.length_budget.bullets'
    location: Location | None

    def limit(self, english: str) -> int:
        """The most characters a translation of `english` may have."""
        return math.floor(len(english) * self.ratio + 1e-9)

    def describe(self, english: str) -> str:
        return (
            f"at most {self.limit(english)} characters ({self.ratio:g} × the English {len(english)}; "
            f"{self.key} in layout '{self.layout}')"
        )


def budgets(project: Any, layouts: Iterable[str]) -> dict[StringRole, Budget]:
    """The strictest budget of each role over the layouts (a translation serves them all)."""
    found: dict[StringRole, Budget] = {}
    for name in layouts:
        layout, locations = project.read_layout(name)
        budget = layout.text.length_budget
        if budget is None:
            continue
        for role, field in ROLE_FIELDS.items():
            ratio = getattr(budget, field)
            if ratio is None or (role in found and found[role].ratio <= ratio):
                continue
            key = f"text.length_budget.{field}"
            found[role] = Budget(ratio, name, key, locations.get(key))
    return found
