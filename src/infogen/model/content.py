"""The theme dataset: language-neutral structure (data/theme.yaml), strings per language
(data/lang/<code>.yaml) and icons (data/icons.yaml), validated against each other."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .schema import key


@dataclass(frozen=True)
class ThemeRef:
    id: str = key("Stable identifier of the theme; language files key their strings by it.")
    icon: str = key("Name of an icon in data/icons.yaml.")


@dataclass(frozen=True)
class GroupRef:
    id: str = key("Stable identifier of the group; language files key the group label by it.")
    themes: tuple[ThemeRef, ...] = key("The group's themes, in reading order.", items=(1, 24))


@dataclass(frozen=True)
class Credits:
    authors: tuple[str, ...] = key(
        "Authors and contributors, as they are credited (not translated).", items=(1, 24)
    )
    publisher: str = key("Publisher, as credited.")


@dataclass(frozen=True)
class Structure:
    id: str = key("Identifier of the infographic.")
    credits: Credits = key("Who made it.")
    groups: tuple[GroupRef, ...] = key("The groups of themes, in reading order.", items=(1, 12))


@dataclass(frozen=True)
class LanguageInfo:
    code: str = key("BCP 47 language tag, e.g. 'nl' or 'nl-BE'; also the file's name.")
    name: str = key("Name of the language in the language itself, e.g. 'Nederlands'.")
    english_name: str = key("Name of the language in English, e.g. 'Dutch'.")
    script: str = key("Writing system, ISO 15924: `Latn`, `Arab`, `Jpan`, `Hans`, ... (picks fonts).")
    direction: Literal["ltr", "rtl"] = key("Writing direction.")


@dataclass(frozen=True)
class DocumentInfo:
    title: str = key("Document title (PDF Title, SVG <title>).")
    subject: str = key("One-sentence summary (PDF Subject, SVG <desc>).")
    keywords: tuple[str, ...] = key("Search keywords (PDF Keywords).", items=(0, 24))


@dataclass(frozen=True)
class ThemeStrings:
    title: str = key("Panel title.")
    bullets: tuple[str, ...] = key("Panel bullets, in order.", items=(1, 12))


@dataclass(frozen=True)
class LanguageStrings:
    language: LanguageInfo = key("About the language.")
    document: DocumentInfo = key("File metadata.")
    heading: str = key("The infographic's heading.")
    intro: tuple[str, ...] = key("Intro paragraphs.", items=(1, 12))
    credits: str = key("Credits line; `{authors}` and `{publisher}` are replaced by the names in theme.yaml.")
    groups: dict[str, str] = key("Label of each group, by group id.", items=(1, 12))
    themes: dict[str, ThemeStrings] = key("Title and bullets of each theme, by theme id.", items=(1, 288))


@dataclass(frozen=True)
class IconDef:
    description: str = key("What the icon depicts (for people reading the data).")
    paths: tuple[str, ...] = key("SVG path data, stroked with the layout's stroke width.", items=(1, 32))
    directional: bool = key(
        "The drawing points a way (arrows, a hand): mirror it on right-to-left pages.", default=False
    )


@dataclass(frozen=True)
class IconSet:
    view_box: float = key("Size of the square icon grid, in icon units.", min=1)
    icons: dict[str, IconDef] = key("Icons by name.", items=(1, 500))


# --- The resolved content of one language: what the layout engine receives. ---


@dataclass(frozen=True)
class Theme:
    id: str
    title: str
    bullets: tuple[str, ...]
    icon: IconDef


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    themes: tuple[Theme, ...]


@dataclass(frozen=True)
class Content:
    source: str  # the language file, as shown in messages
    lang: str
    script: str
    direction: str
    document: DocumentInfo
    heading: str
    intro: tuple[str, ...]
    credits: str
    authors: tuple[str, ...]
    groups: tuple[Group, ...]
    icon_view_box: float
