"""Shared fixtures: the project, its languages, and renders made once per session."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

from infogen.api import Renderer, export
from infogen.project import Project
from infogen.scene import Scene

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = Project(ROOT).languages()


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def renderer(project: Project) -> Renderer:
    return Renderer(project)


@pytest.fixture(scope="session")
def scenes(renderer: Renderer) -> dict[str, Scene]:
    return {lang: renderer.scene("default", lang) for lang in LANGUAGES}


@pytest.fixture(scope="session")
def rendered(
    scenes: dict[str, Scene], tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, str], Path]:
    """(lang, format) -> file on disk, for the tools that read files."""
    out = tmp_path_factory.mktemp("rendered")
    files = {}
    for lang, scene in scenes.items():
        for fmt in ("pdf", "svg"):
            path = out / f"default-{lang}.{fmt}"
            path.write_bytes(export(scene, fmt))
            files[(lang, fmt)] = path
    return files


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A throwaway copy of the project's data and layouts, for tests that edit them."""
    for name in ("data", "layouts"):
        shutil.copytree(ROOT / name, tmp_path / name)
    (tmp_path / "fonts").mkdir()
    return tmp_path


def all_strings(project: Project, lang: str) -> list[str]:
    """Every string of a language the default layout shows, as it should appear on the page
    (the content model's one list, less the file's metadata and the icons' alternative
    text, which is read out but not painted)."""
    return [
        s.text for s in project.load_content(lang).strings if s.role not in ("metadata", "icon-description")
    ]


def squeeze(text: str) -> str:
    """Text without whitespace, soft hyphens and bidi controls: how a string is compared
    with a page, whatever the line breaks (after a space, a hard hyphen or a hyphenation
    point) and whatever direction marks an extractor adds."""
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")
