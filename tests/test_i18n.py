"""The translator's workflow: `infogen i18n status` (translated, missing, still English,
stale, over budget, shrinking), PO and XLIFF 1.2 round trips into the language files
(byte-identical without edits, exactly the edited strings with them, bad catalogs refused
at their lines), pseudo-locales, `infogen langs` and the contact sheet.

Counting is checked on a Spanish file made from the tiny fixture; round trips on a copy of
the shipped project, for every shipped language and both formats.
"""

from __future__ import annotations

import difflib
import json
import shutil
import subprocess
import unicodedata
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from lxml import etree

from infogen.cli import main
from infogen.i18n.budget import ROLE_FIELDS
from infogen.i18n.hashes import source_hash
from infogen.i18n.importer import english_template
from infogen.i18n.pseudo import GROWTH, PSEUDO_LOCALES, RLM, pseudo_text
from infogen.i18n.sheet import sheet_scene
from infogen.i18n.strings import source_strings
from infogen.i18n.yamledit import Edits, apply_edits
from infogen.model.layout import LengthBudget
from infogen.project import Project
from infogen.scene import GlyphRun, Group, walk
from infogen.source import display_path

from conftest import LANGUAGES, ROOT
from squarefont import write_square_fonts

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tiny"
XLIFF_SCHEMA = Path(__file__).resolve().parent / "fixtures" / "xliff-1.2-subset.rng"
TRANSLATIONS = [lang for lang in LANGUAGES if lang != "en"]
LONG = " ".join(["LONG WORDS THAT GO ON AND ON AND ON AND ON AND ON AND ON AND ON AND ON AND ON"] * 3)


def cli(project: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--project", str(project)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def place(path: Path, needle: str, project: Path) -> str:
    """'data/lang/es.yaml:12:5': where `needle` first starts in the file."""
    text = path.read_text(encoding="utf-8")
    offset = text.index(needle)
    line = text.count("\n", 0, offset) + 1
    return f"{path.relative_to(project)}:{line}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


# --- status, on a Spanish file made from the tiny fixture ---


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The tiny project as the working directory, with data/lang/es.yaml: four strings
    translated (one of them stale, one over the titles' budget of 1.5 × the English, one so
    long the panels shrink), one group label left out, the rest still English."""
    root = tmp_path / "tiny"
    shutil.copytree(FIXTURE, root)
    write_square_fonts(root / "fonts")
    monkeypatch.chdir(root)
    layout = root / "layouts" / "tiny.yaml"
    edit(layout, "  hyphen_min_after: 3\n", "  hyphen_min_after: 3\n  length_budget: {title: 1.5}\n")
    es = root / "data" / "lang" / "es.yaml"
    text = (root / "data" / "lang" / "en.yaml").read_text()
    for old, new in [
        ("code: en", "code: es"),
        ("name: English\n  english_name: English", "name: Espanol\n  english_name: Spanish"),
        ("heading: AB CD", "heading: EL TITULO"),
        ("title: T1", "title: UNO"),
        ("title: T3", "title: TRES LARGO"),
        ("bullets: [DD]", f"bullets: [{LONG}]"),
        ("  b: GB\n", ""),
    ]:
        assert old in text, old
        text = text.replace(old, new, 1)
    es.write_text(text + "\ntranslation:\n  source_hashes:\n    themes.a-one.title: deadbeef\n")
    return root


def test_status_counts_missing_identical_stale_over_budget_and_shrinking_strings(tiny):
    code, out, err = cli(tiny, "i18n", "status", "--layout", "tiny", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["format"] == 1 and report["layouts"] == ["tiny"]
    rows = {row["lang"]: row for row in report["languages"]}
    assert list(rows) == ["en", "es", "xr"]
    es = rows["es"]
    # 19 strings: 3 metadata, heading, 3 intro, 2 group labels, 3 titles, 4 bullets, credits, 2 icons
    assert es["total"] == 19 and es["translated"] == 4 and not es["complete"] and not es["broken"]
    assert es["missing"] == ["groups.b", "icons.box", "icons.arrow"]  # no icons: section at all
    assert es["stale"] == ["themes.a-one.title"]
    assert len(es["identical"]) == 19 - 4 - 3 and "credits" in es["identical"]
    assert [(o["key"], o["length"], o["limit"], o["ratio"]) for o in es["over_budget"]] == [
        ("themes.b-one.title", 10, 3, 1.5)
    ]
    [shrink] = es["shrinks"]
    assert shrink["layout"] == "tiny" and shrink["string"] == "themes.a-two.bullets[0]"
    assert shrink["size"] < shrink["designed_size"]
    assert shrink["location"].startswith("data/lang/es.yaml:")
    assert rows["en"]["complete"] and rows["en"]["translated"] == 19 and rows["en"]["shrinks"] == []
    assert rows["xr"]["translated"] == 0 and len(rows["xr"]["identical"]) == 17


def test_status_table_and_findings_point_at_the_strings(tiny):
    es = tiny / "data" / "lang" / "es.yaml"
    code, out, err = cli(tiny, "i18n", "status", "--layout", "tiny")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == [
        "lang",
        "language",
        "translated",
        "missing",
        "as",
        "English",
        "stale",
        "over",
        "budget",
        "shrinks",
    ]
    row = next(line for line in lines if line.startswith("es "))
    assert row.split()[3:9] == ["4/19", "21%", "3", "12", "1", "1"] and "tiny" in row
    assert f"{place(es, 'UNO', tiny)}: warning: themes.a-one.title: stale: the English changed" in out
    assert (
        f"{place(es, 'TRES LARGO', tiny)}: warning: themes.b-one.title: 10 characters, over the length budget"
        in out
    )
    assert f"{place(es, 'AA BB', tiny)}: warning: themes.a-one.bullets[0]: still the English text" in out
    assert "add 'credits' to translation.same_as_source" in out
    assert "incomplete: es, xr" in err


def test_strict_status_fails_on_an_incomplete_language_and_passes_on_the_shipped_ones(tiny):
    assert cli(tiny, "i18n", "status", "--layout", "tiny", "--strict", "--no-fit")[0] == 1
    code, out, err = cli(ROOT, "i18n", "status", "--strict", "--no-fit")
    assert code == 0, out + err
    assert "all complete" in err


def test_a_mark_or_a_recorded_hash_changes_what_status_says(tiny):
    es = tiny / "data" / "lang" / "es.yaml"
    edit(es, "translation:\n", "translation:\n  same_as_source:\n    - credits\n")
    edit(es, "themes.a-one.title: deadbeef", f"themes.a-one.title: {source_hash('T1')}")
    row = json.loads(cli(tiny, "i18n", "status", "--lang", "es", "--no-fit", "--json")[1])["languages"][0]
    assert row["stale"] == [] and "credits" not in row["identical"] and row["translated"] == 5


def test_langs_counts_translated_strings_not_keys_and_fails_on_a_broken_file(tiny):
    code, out, _ = cli(tiny, "langs", "--layout", "tiny")
    assert code == 0
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:]}
    assert rows["es"][-4:-2] == ["4/19", "21%"]  # not 100%: most strings are still English
    assert rows["en"][-4:-2] == ["19/19", "source"]
    assert rows["qps"][-4:-2] == ["pseudo", "-"] and "qps-rtl" in rows
    edit(tiny / "data" / "lang" / "es.yaml", "heading: EL TITULO", "heading: [EL TITULO")
    code, out, err = cli(tiny, "langs", "--layout", "tiny")
    assert code == 2 and "data/lang/es.yaml:" in err and "invalid YAML" in err


# --- PO and XLIFF round trips, on a copy of the shipped project ---


def export(project: Path, fmt: str, out: Path, *langs: str) -> list[Path]:
    code, _, err = cli(
        project, "i18n", "export", "--lang", ",".join(langs) or "all", "--format", fmt, "--out", str(out)
    )
    assert code == 0, err
    return sorted(out.glob("*.po" if fmt == "po" else "*.xlf"))


def snapshot(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((project / "data" / "lang").glob("*.yaml"))}


@pytest.mark.parametrize("fmt", ["po", "xliff"])
def test_export_then_import_without_edits_leaves_every_language_file_byte_identical(
    project_copy, tmp_path, fmt
):
    before = snapshot(project_copy)
    catalogs = export(project_copy, fmt, tmp_path / "catalogs")
    assert [p.stem for p in catalogs] == TRANSLATIONS
    code, out, err = cli(project_copy, "i18n", "import", *map(str, catalogs))
    assert code == 0, err
    assert out == "" and err.count("0 changed, 0 reviewed, 0 marked as English") == len(TRANSLATIONS)
    assert snapshot(project_copy) == before


@pytest.mark.parametrize("path", sorted((ROOT / "data" / "lang").glob("*.yaml")), ids=lambda p: p.stem)
def test_the_yaml_writer_reproduces_every_shipped_file_byte_for_byte(path):
    project = Project(ROOT)
    text = path.read_text(encoding="utf-8")
    assert apply_edits(text, path.name, Edits(), english_template(project, source_strings(project))) == text


def test_every_exported_po_passes_msgfmt_check_and_polib(project_copy, tmp_path):
    if shutil.which("msgfmt") is None:
        pytest.fail("msgfmt is missing: install Debian's gettext (scripts/ensure-packages tools)")
    sources = source_strings(Project(ROOT))
    for path in export(project_copy, "po", tmp_path):
        checked = subprocess.run(
            ["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
        )
        assert checked.returncode == 0 and checked.stderr == "", checked.stderr
        po = polib.pofile(str(path))
        assert po.metadata["Language"] == path.stem and "charset=UTF-8" in po.metadata["Content-Type"]
        assert [(e.msgctxt, e.msgid) for e in po] == [(s.key, s.text) for s in sources]
        entry = po.find("Harnessing data", by="msgid", msgctxt="themes.harnessing-data.title")
        assert entry is not None and entry.msgstr and entry.msgstr != entry.msgid
        assert "panel: harnessing-data; field: title; role: theme-title" in " ".join(entry.comment.split())
        english_line = (ROOT / "data/lang/en.yaml").read_text().splitlines().index(
            "    title: Harnessing data"
        ) + 1
        assert ("data/lang/en.yaml", str(english_line)) in entry.occurrences
        credits = po.find("credits", by="msgctxt")
        assert credits is not None and "python-brace-format" in credits.flags
        assert "{authors}" in credits.msgstr and "{publisher}" in credits.msgstr


def test_every_exported_xliff_is_valid_xliff_1_2(project_copy, tmp_path):
    schema = etree.RelaxNG(etree.parse(str(XLIFF_SCHEMA)))
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    sources = source_strings(Project(ROOT))
    for path in export(project_copy, "xliff", tmp_path):
        document = etree.parse(str(path))
        assert schema.validate(document), schema.error_log
        root = document.getroot()
        assert root.get("version") == "1.2"
        file = root.find("x:file", ns)
        assert (file.get("source-language"), file.get("target-language")) == ("en", path.stem)
        assert file.get("original") == f"data/lang/{path.stem}.yaml"
        units = root.findall(".//x:trans-unit", ns)
        assert [(u.get("id"), u.findtext("x:source", namespaces=ns)) for u in units] == [
            (s.key, s.text) for s in sources
        ]
        assert all(u.find("x:target", ns).get("state") == "translated" for u in units)


def test_an_edited_po_changes_exactly_the_edited_strings(project_copy, tmp_path):
    fr = project_copy / "data" / "lang" / "fr.yaml"
    before = fr.read_text(encoding="utf-8")
    [path] = export(project_copy, "po", tmp_path, "fr")
    po = polib.pofile(str(path))
    po.find("themes.harnessing-data.title", by="msgctxt").msgstr = "Tirer parti des données"
    po.find("themes.cyber-protection.bullets[2]", by="msgctxt").msgstr = "Vigilance: l’affaire de tous"
    po.save(str(path))
    code, out, err = cli(project_copy, "i18n", "import", str(path))
    assert code == 0, err
    assert "2 changed" in err and len(out.splitlines()) == 2
    assert "themes.harnessing-data.title: 'Exploiter les données' -> 'Tirer parti des données'" in out
    assert changed_lines(before, fr.read_text(encoding="utf-8")) == [
        "-      - Sensibilisation et responsabilisation du personnel",
        "+      - 'Vigilance: l’affaire de tous'",  # quoted: a colon and a space would start a mapping
        "-    title: Exploiter les données",
        "+    title: Tirer parti des données",
    ]
    assert (
        Project(project_copy).load_content("fr").text("themes.harnessing-data.title")
        == "Tirer parti des données"
    )


def test_an_edited_xliff_changes_exactly_the_edited_string(project_copy, tmp_path):
    nl = project_copy / "data" / "lang" / "nl.yaml"
    before = nl.read_text(encoding="utf-8")
    [path] = export(project_copy, "xliff", tmp_path, "nl")
    tree = etree.parse(str(path))
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    [target] = tree.xpath("//x:trans-unit[@id='heading']/x:target", namespaces=ns)
    target.text = "Digitale trends in de publieke sector, 2024"
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    assert cli(project_copy, "i18n", "import", str(path))[0] == 0
    assert changed_lines(before, nl.read_text(encoding="utf-8")) == [
        "-heading: Digitale en technologische trends in de publieke sector 2024",
        "+heading: Digitale trends in de publieke sector, 2024",
    ]


def entry_line(path: Path, key: str) -> int:
    return next(e.linenum for e in polib.pofile(str(path)) if e.msgctxt == key)


def test_a_catalog_that_would_make_a_bad_file_is_refused_at_its_lines_and_nothing_is_written(
    project_copy, tmp_path
):
    before = snapshot(project_copy)
    [path] = export(project_copy, "po", tmp_path, "de")
    po = polib.pofile(str(path))
    po.find("credits", by="msgctxt").msgstr = "Autoren: {autoren} · {publisher}"
    po.find("heading", by="msgctxt").msgstr = "Trends\x1b 2024"
    po.find("themes.ai-applications.title", by="msgctxt").msgstr = "\u200d"  # shows nothing
    po.find("themes.harnessing-data.bullets[0]", by="msgctxt").msgctxt = "themes.harnesing-data.bullets[0]"
    po.save(str(path))
    code, out, err = cli(project_copy, "i18n", "import", str(path))
    assert code == 2 and out == ""
    shown = display_path(path)  # as messages show it: relative to the working directory
    expected = {
        "credits": "wrong placeholders: the English has {authors}, {publisher}, the translation {autoren}, {publisher}",
        "heading": "the translation contains control characters (U+001B)",
        "themes.harnesing-data.bullets[0]": "unknown key: the English has no such string",
    }
    for key, message in expected.items():
        assert f"{shown}:{entry_line(path, key)}:1: error: {key}: {message}" in err, err
    assert "did you mean 'themes.harnessing-data.bullets[0]'?" in err
    assert snapshot(project_copy) == before
    # with those fixed, the file the import would write is checked as a render checks it
    po = polib.pofile(str(path))
    po.find("credits", by="msgctxt").msgstr = "Autoren: {authors} · {publisher}"
    po.find("heading", by="msgctxt").msgstr = "Trends 2024"
    po.find("themes.harnesing-data.bullets[0]", by="msgctxt").msgctxt = "themes.harnessing-data.bullets[0]"
    po.save(str(path))
    code, _, err = cli(project_copy, "i18n", "import", str(path))
    line = entry_line(path, "themes.ai-applications.title")
    assert (
        code == 2
        and f"{shown}:{line}:1: error: themes.ai-applications.title: text has no visible characters" in err
    )
    assert snapshot(project_copy) == before


def test_a_bad_xliff_is_refused_at_its_line(project_copy, tmp_path):
    [path] = export(project_copy, "xliff", tmp_path, "ja")
    text = path.read_text(encoding="utf-8").replace('id="groups.digital"', 'id="groups.digitall"')
    path.write_text(text, encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if 'id="groups.digitall"' in t)
    code, _, err = cli(project_copy, "i18n", "import", str(path))
    assert code == 2 and f"{display_path(path)}:{line}:1: error: groups.digitall: unknown key" in err
    path.write_text(text.replace("<body>", "<body><trans-unit>"), encoding="utf-8")
    code, _, err = cli(project_copy, "i18n", "import", str(path))
    assert code == 2 and "not well-formed XML" in err and "Traceback" not in err
    path.write_text('<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0"/>', encoding="utf-8")
    code, _, err = cli(project_copy, "i18n", "import", str(path))
    assert code == 2 and "not an XLIFF 1.2 file" in err


def test_a_changed_english_makes_translations_stale_until_reviewed(project_copy, tmp_path):
    en = project_copy / "data" / "lang" / "en.yaml"
    edit(en, "title: Harnessing data", "title: Harnessing the data")
    key = "themes.harnessing-data.title"
    report = json.loads(cli(project_copy, "i18n", "status", "--no-fit", "--json")[1])
    assert all(row["stale"] == [key] for row in report["languages"] if row["lang"] != "en")
    assert cli(project_copy, "i18n", "status", "--no-fit", "--strict")[0] == 1
    fr = project_copy / "data" / "lang" / "fr.yaml"
    before = fr.read_text(encoding="utf-8")
    [path] = export(project_copy, "po", tmp_path, "fr")
    entry = polib.pofile(str(path)).find(key, by="msgctxt")
    assert entry.fuzzy and entry.msgid == "Harnessing the data" and entry.msgstr == "Exploiter les données"
    assert "needs review: the English changed" in entry.comment
    code, out, err = cli(project_copy, "i18n", "import", str(path))  # still fuzzy: left alone
    assert code == 0 and fr.read_text(encoding="utf-8") == before and "1 for review" in err
    po = polib.pofile(str(path))
    po.find(key, by="msgctxt").flags.remove("fuzzy")  # the translator reviewed it and kept it
    po.save(str(path))
    code, out, err = cli(project_copy, "i18n", "import", str(path))
    assert code == 0 and f"{key}: reviewed, up to date with the English" in out
    assert changed_lines(before, fr.read_text(encoding="utf-8")) == [
        f"-    {key}: {source_hash('Harnessing data')}",
        f"+    {key}: {source_hash('Harnessing the data')}",
    ]
    row = json.loads(cli(project_copy, "i18n", "status", "--lang", "fr", "--no-fit", "--json")[1])[
        "languages"
    ][0]
    assert row["stale"] == [] and row["complete"]


def test_stamp_records_that_a_translation_is_up_to_date(project_copy):
    edit(project_copy / "data" / "lang" / "en.yaml", "title: Cyber protection", "title: Cyber security")
    code, _, err = cli(project_copy, "i18n", "stamp", "--lang", "de", "themes.cyber-protection.title")
    assert code == 0 and "1 source hash recorded" in err
    report = json.loads(cli(project_copy, "i18n", "status", "--no-fit", "--json")[1])
    stale = {row["lang"]: row["stale"] for row in report["languages"]}
    assert stale["de"] == [] and stale["fr"] == ["themes.cyber-protection.title"]
    assert cli(project_copy, "i18n", "stamp", "--lang", "de", "bogus")[0] == 2


def test_a_translation_left_as_the_english_on_purpose_is_marked(project_copy, tmp_path):
    nl = project_copy / "data" / "lang" / "nl.yaml"
    edit(nl, "title: AI-toepassingen", "title: AI applications")
    key = "themes.ai-applications.title"
    row = json.loads(cli(project_copy, "i18n", "status", "--lang", "nl", "--no-fit", "--json")[1])[
        "languages"
    ][0]
    assert row["identical"] == [key]
    [path] = export(project_copy, "po", tmp_path, "nl")
    po = polib.pofile(str(path))
    assert po.find(key, by="msgctxt").msgstr == ""  # offered untranslated
    po.find(key, by="msgctxt").msgstr = "AI applications"  # the translator keeps the English
    po.save(str(path))
    code, out, _ = cli(project_copy, "i18n", "import", str(path))
    assert code == 0 and f"{key}: meant to read as in English (same_as_source)" in out
    assert f"    - {key}\n" in nl.read_text(encoding="utf-8")
    row = json.loads(cli(project_copy, "i18n", "status", "--lang", "nl", "--no-fit", "--json")[1])[
        "languages"
    ][0]
    assert row["complete"]


def test_importing_a_missing_panel_puts_it_back_in_the_english_order(project_copy, tmp_path):
    nl = project_copy / "data" / "lang" / "nl.yaml"
    original = nl.read_text(encoding="utf-8")
    start, end = original.index("  harnessing-data:"), original.index("  infrastructure-and-cloud:")
    nl.write_text(original[:start] + original[end:], encoding="utf-8")
    row = json.loads(cli(project_copy, "i18n", "status", "--lang", "nl", "--no-fit", "--json")[1])[
        "languages"
    ][0]
    assert row["missing"] == ["themes.harnessing-data.title"] + [
        f"themes.harnessing-data.bullets[{i}]" for i in range(3)
    ]
    assert not row["broken"]  # it renders with --fallback-to-english
    [path] = export(project_copy, "po", tmp_path, "nl")
    po = polib.pofile(str(path))
    translations = Project(ROOT).load_content("nl")
    for key in row["missing"]:
        po.find(key, by="msgctxt").msgstr = translations.text(key)
    po.save(str(path))
    code, out, err = cli(project_copy, "i18n", "import", str(path))
    assert code == 0, err
    assert "themes.harnessing-data.title: (none) -> 'Data benutten'" in out
    assert nl.read_text(encoding="utf-8") == original  # back where it was, as it was written


def test_length_budgets_travel_in_the_catalogs(project_copy, tmp_path):
    layout = project_copy / "layouts" / "default.yaml"
    edit(layout, "  hyphen_min_after: ", "  length_budget: {title: 1.5, bullets: 1.6}\n  hyphen_min_after: ")
    [po_path] = export(project_copy, "po", tmp_path, "de")
    entry = polib.pofile(str(po_path)).find("themes.harnessing-data.title", by="msgctxt")
    comment = " ".join(entry.comment.split())
    assert (
        "length budget: at most 22 characters (1.5 × the English 15; text.length_budget.title in layout 'default')"
        in comment
    )
    assert "max-length:22" in entry.flags
    [xlf] = export(project_copy, "xliff", tmp_path, "de")
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    [unit] = etree.parse(str(xlf)).xpath("//x:trans-unit[@id='themes.harnessing-data.title']", namespaces=ns)
    assert (unit.get("maxwidth"), unit.get("size-unit")) == ("22", "char")
    assert etree.RelaxNG(etree.parse(str(XLIFF_SCHEMA))).validate(etree.parse(str(xlf)))


def test_every_budget_field_is_a_role_of_string():
    assert set(ROLE_FIELDS.values()) == set(LengthBudget.__dataclass_fields__)


def test_import_refuses_the_english_and_a_language_the_catalog_is_not_in(project_copy, tmp_path):
    [path] = export(project_copy, "po", tmp_path, "fr")
    code, _, err = cli(project_copy, "i18n", "import", str(path), "--lang", "de")
    assert code == 2 and "the catalog is in 'fr', not 'de'" in err
    code, _, err = cli(project_copy, "i18n", "export", "--lang", "en", "--out", str(tmp_path))
    assert code == 2 and "English is the source language" in err
    code, _, err = cli(project_copy, "i18n", "export", "--lang", "qps", "--out", str(tmp_path))
    assert code == 2 and "pseudo-locale" in err


# --- pseudo-locales ---


def test_pseudo_text_is_longer_accented_and_keeps_placeholders():
    english = "Authors and contributors: {authors} · Published by {publisher}"
    text = pseudo_text(english)
    assert text.startswith(
        "[Åûţĥöŕš åñð çöñţŕîƀûţöŕš: {authors} · Þûƀļîšĥéð ƀý {publisher}"
    ) and text.endswith("]")
    assert len(text) == len(english) + max(4, -(-len(english) * 35 // 100))
    assert 1 + GROWTH <= len(pseudo_text("Protecting communities from new threats")) / 39 < 1 + GROWTH + 0.05
    assert not any(
        ch.isascii() and ch.isalpha() for ch in pseudo_text("Protecting communities").replace("x", "")
    )
    rtl = pseudo_text("Protecting communities", rtl=True)
    assert rtl.split(" ")[0].endswith(RLM)
    assert rtl.replace(RLM, "") == "|" + pseudo_text("Protecting communities")[1:-1] + "|"


@pytest.mark.parametrize("layout", ["default", "social"])
def test_the_pseudo_locales_render_fit_and_the_rtl_one_mirrors(renderer, layout):
    english = {s.key: s.text for s in renderer.project.load_content("en").strings}
    middle = {}
    for lang, direction in PSEUDO_LOCALES.items():
        scene, fits = renderer.scene_with_fits(layout, lang)
        content = renderer.project.load_content(lang)
        assert content.direction == direction and scene.lang == lang
        for s in content.strings:
            if s.key != "credits":  # the names stay as credited
                plain = s.text.replace(RLM, "")
                start, end = ("[", "]") if direction == "ltr" else ("|", "|")
                assert plain.startswith(start) and plain.endswith(end), s.key
                assert len(plain) > len(english[s.key]), s.key
        runs = [
            item
            for page in scene.pages
            for top in page.items
            for item in walk(top)
            if isinstance(item, GlyphRun)
        ]
        assert runs and all(g.id != 0 for run in runs for g in run.glyphs)  # every character has a glyph
        assert all(f.smallest_size >= 6 for f in fits)
        [panel] = [d for d in scene.debug if d.kind == "panel" and d.key == "themes.community-resilience"]
        middle[lang] = panel.rect[0] + panel.rect[2] / 2 - scene.pages[0].width / 2
    assert middle["qps"] < 0 < middle["qps-rtl"]  # the first group moves to the right


def test_pseudo_locales_are_accepted_by_lang_but_not_in_all(tmp_path):
    code, _, err = cli(
        ROOT,
        "render",
        "--lang",
        "qps,qps-rtl",
        "--layout",
        "social",
        "--format",
        "pdf",
        "--out",
        str(tmp_path),
        "-q",
    )
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "manifest.json",
        "social-qps-rtl.pdf",
        "social-qps.pdf",
    ]
    code, out, _ = cli(ROOT, "plan", "--lang", "all", "--json")
    assert code == 0 and not any(job["lang"].startswith("qps") for job in json.loads(out)["jobs"])


# --- the contact sheet ---


def test_contact_sheet_has_a_labelled_tile_per_language_and_is_deterministic(tiny, tmp_path):
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        code, _, err = cli(
            tiny, "render", "--contact-sheet", "--layout", "tiny", "--fallback-to-english", "--out", str(out)
        )
        assert code == 0, err
    assert sorted(p.name for p in outs[0].iterdir()) == ["tiny-contact-sheet.pdf", "tiny-contact-sheet.png"]
    for name in ("tiny-contact-sheet.pdf", "tiny-contact-sheet.png"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    text = subprocess.run(
        ["pdftotext", "-raw", str(outs[0] / "tiny-contact-sheet.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    text = " ".join(text.split())  # the square test font's wide spaces
    for label in (
        "en - English",
        "es - Spanish",
        "xr - Mirrored test language",
    ):  # the square font has no '·'
        assert label in text
    assert "limited by themes.a-two.bullets[0]" in text and "not shrunk" in text
    project = Project(tiny)
    from infogen.api import Renderer

    scene = sheet_scene(Renderer(project, fallback="en"), "tiny", ["en", "es", "xr"])
    tiles = [
        g
        for top in scene.pages[0].items
        for g in walk(top)
        if isinstance(g, Group) and g.kind == "contact-tile"
    ]
    assert [t.id for t in tiles] == ["tile-en", "tile-es", "tile-xr"]
    pages = [g for t in tiles for g in t.items if isinstance(g, Group) and g.kind == "contact-page"]
    assert all(p.transform is not None and p.clip is not None for p in pages)


def test_contact_sheet_of_the_shipped_languages(tmp_path):
    code, _, err = cli(
        ROOT, "render", "--contact-sheet", "--layout", "social", "--format", "pdf", "--out", str(tmp_path)
    )
    assert code == 0, err
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "social-contact-sheet.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    text = unicodedata.normalize("NFC", text)
    # (pdftotext puts the Arabic name's direction marks around it: look for its parts)
    for label in (
        "de · Deutsch (German)",
        "en · English (English)",
        "fr · Français (French)",
        "nl · Nederlands (Dutch)",
        "ar ·",
        "Arabic)",
        "ja · 日本語 (Japanese)",
    ):
        assert label in text, label
    assert text.count("body[2]: text 21pt of 21pt") == len(LANGUAGES)


def test_an_unclosed_string_is_refused_where_polib_would_drop_a_character(project_copy, tmp_path):
    [path] = export(project_copy, "po", tmp_path, "nl")
    before = (project_copy / "data" / "lang" / "nl.yaml").read_bytes()
    lines = path.read_text().splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith('msgstr "') and len(line) > 12)
    lines[number] = lines[number][:-1]  # the closing quote
    path.write_text("\n".join(lines) + "\n")
    code, _, err = cli(project_copy, "i18n", "import", str(path))
    assert code == 2
    assert f"{display_path(path)}:{number + 1}:1: error: not a valid PO file: expected a keyword" in err
    assert (project_copy / "data" / "lang" / "nl.yaml").read_bytes() == before


def test_obsolete_entries_are_left_alone_as_gettext_does(project_copy, tmp_path):
    [path] = export(project_copy, "po", tmp_path, "nl")
    before = (project_copy / "data" / "lang" / "nl.yaml").read_bytes()
    path.write_text(path.read_text() + '\n#~ msgctxt "themes.old.title"\n#~ msgid "Old"\n#~ msgstr "Oud"\n')
    code, _, err = cli(project_copy, "i18n", "import", str(path))
    assert code == 0, err
    assert (project_copy / "data" / "lang" / "nl.yaml").read_bytes() == before


def test_a_catalog_whose_header_names_another_language_than_its_file_is_refused(project_copy, tmp_path):
    [path] = export(project_copy, "po", tmp_path, "nl")
    french = (project_copy / "data" / "lang" / "fr.yaml").read_bytes()
    path.write_text(path.read_text().replace('"Language: nl\\n"', '"Language: fr\\n"', 1))
    code, _, err = cli(project_copy, "i18n", "import", str(path))
    assert code == 2 and "named after 'nl' but says it is in 'fr'" in err
    assert (project_copy / "data" / "lang" / "fr.yaml").read_bytes() == french
    assert (
        cli(project_copy, "i18n", "import", "--lang", "nl", str(path))[0] == 2
    )  # --lang nl vs fr: refused too


def test_an_xliff_with_a_doctype_or_entities_is_refused(project_copy, tmp_path):
    code, _, err = cli(
        project_copy, "i18n", "export", "--lang", "nl", "--format", "xliff", "--out", str(tmp_path)
    )
    assert code == 0, err
    [path] = sorted(tmp_path.glob("*.xlf"))
    text = path.read_text()
    head, rest = text.split("\n", 1)
    path.write_text(
        head + '\n<!DOCTYPE xliff [<!ENTITY e "x">]>\n' + rest.replace("<target>", "<target>&e;", 1)
    )
    before = (project_copy / "data" / "lang" / "nl.yaml").read_bytes()
    code, _, err = cli(project_copy, "i18n", "import", str(path))
    assert code == 2 and "a DOCTYPE or entity declaration is not accepted" in err
    assert (project_copy / "data" / "lang" / "nl.yaml").read_bytes() == before
