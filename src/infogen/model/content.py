"""The theme dataset: language-neutral structure (data/theme.yaml), strings per language
(data/lang/<code>.yaml) and icons (data/icons.yaml), validated against each other."""

from dataclasses import dataclass
from typing import Literal

from ..diagnostics import Location
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
class TranslationRecord:
    """The bookkeeping of a translation, kept in the language file beside the strings it is
    about, so it travels with them (a copy, a branch, a pull request)."""

    source_hashes: dict[str, str] = key(
        "For each translated string, by key path (`themes.harnessing-data.bullets[1]`), a short "
        "hash of the English text it was translated from; `infogen i18n status` calls the string "
        "stale when the English has changed since.",
        items=(0, 5000),
        default={},
    )
    same_as_source: tuple[str, ...] = key(
        "Key paths of strings meant to read as in English (names and acronyms, such as "
        "'Socitm'): `infogen i18n status` does not count them as untranslated.",
        items=(0, 5000),
        default=(),
    )


@dataclass(frozen=True)
class LanguageStrings:
    language: LanguageInfo = key("About the language.")
    document: DocumentInfo = key("File metadata.")
    heading: str = key("The infographic's heading.")
    intro: tuple[str, ...] = key("Intro paragraphs.", items=(1, 12))
    credits: str = key("Credits line; `{authors}` and `{publisher}` are replaced by the names in theme.yaml.")
    groups: dict[str, str] = key("Label of each group, by group id.", items=(1, 12))
    themes: dict[str, ThemeStrings] = key("Title and bullets of each theme, by theme id.", items=(1, 288))
    icons: dict[str, str] = key(
        "Alternative text of each theme's icon, by icon name in data/icons.yaml: what a screen "
        "reader says for it (tagged PDF, SVG). An icon left out is described by its English "
        "`description` from icons.yaml, and `infogen i18n status` lists it as missing.",
        items=(0, 500),
        default={},
    )
    translation: TranslationRecord | None = key(
        "What infogen's translation tools recorded about this file (`infogen i18n import` and "
        "`stamp` write it; the page ignores it). See the README's Translating section.",
        default=None,
    )


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


StringRole = Literal[
    "metadata",
    "heading",
    "intro",
    "credits",
    "group-label",
    "theme-title",
    "theme-bullet",
    "icon-description",
]


@dataclass(frozen=True)
class PageString:
    """One string of the infographic, as the page shows it: the one list that coverage
    checks, layout bindings, tests and translators' tools all read."""

    key: str  # key path in the language file: 'themes.harnessing-data.bullets[1]'
    text: str  # as set: YAML folding collapsed, placeholders filled in
    role: StringRole
    location: Location | None  # where the language file (or its fallback) has it


@dataclass(frozen=True)
class Theme:
    id: str
    number: int  # position in the data, from 1 (for numbered badges)
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
    direction: Literal["ltr", "rtl"]
    document: DocumentInfo
    authors: tuple[str, ...]
    groups: tuple[Group, ...]
    icon_view_box: float
    strings: tuple[PageString, ...]  # every string, in reading order

    def field(self, name: str) -> tuple[PageString, ...]:
        """The strings of a content field: `heading`, `themes.x.title`, or a list such as
        `intro` (all its items) or one item of it (`intro[0]`)."""
        return tuple(s for s in self.strings if s.key == name or s.key.startswith(name + "["))

    def text(self, name: str) -> str:
        """The one string with this key."""
        return next(s.text for s in self.strings if s.key == name)

    @property
    def heading(self) -> str:
        return self.text("heading")

    def field_names(self) -> list[str]:
        """Every name `field` answers to: each key, and each list's key without an index."""
        names = [s.key for s in self.strings]
        names += [s.key.split("[")[0] for s in self.strings if s.key.endswith("]")]
        return list(dict.fromkeys(names))
