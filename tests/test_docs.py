"""The README stays true: its layout reference is what `infogen reference` prints."""

from click.testing import CliRunner

from infogen.cli import main

from conftest import ROOT


def test_readme_layout_reference_matches_the_code():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("<!-- layout-reference:start -->\n")[1].split("<!-- layout-reference:end -->")[0]
    assert section == CliRunner().invoke(main, ["reference"]).output


def test_every_key_of_the_default_layout_is_documented():
    import yaml

    readme = (ROOT / "README.md").read_text()
    layout = yaml.safe_load((ROOT / "layouts" / "default.yaml").read_text())

    def keys(node, prefix=""):  # type: ignore[no-untyped-def]
        for name, value in node.items():
            path = f"{prefix}.{name}" if prefix else name
            yield path
            if (
                isinstance(value, dict)
                and prefix not in ("fonts", "styles")
                and path not in ("fonts", "styles")
            ):
                yield from keys(value, path)

    for path in keys(layout):
        if path.startswith(("fonts.", "styles.", "scripts.", "landscape.", "portrait.")):
            continue  # named entries, and orientation sections that repeat documented keys
        assert f"`{path}`" in readme, path
