"""The dataclass methods compiled at set-up (src/infogen/precompiled.py): used when they
match, ignored when they do not, and the classes the same either way."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import zlib
from pathlib import Path

# Imports every infogen module with the methods file at argv[1], then reports how many
# methods had to be compiled and a few facts about classes built with the file's code.
PROBE = """
import json, sys
from pathlib import Path
import infogen.precompiled as p
p.install(Path(sys.argv[1]))
p._import_every_module()
from infogen.scene import MoveTo
from infogen.text.segment import Segment
import dataclasses
point = MoveTo(1.0, 2.0)
try:
    point.x = 3.0
    frozen = False
except dataclasses.FrozenInstanceError:
    frozen = True
print(json.dumps({
    "misses": p.misses,
    "repr": repr(point),
    "equal": MoveTo(1.0, 2.0) == point and hash(MoveTo(1.0, 2.0)) == hash(point),
    "frozen": frozen,
    "init_return": repr(MoveTo.__init__.__annotations__.get("return")),
    "fields": [f.name for f in dataclasses.fields(Segment)],
}))
"""


def probe(methods: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(methods)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def write(target: Path) -> None:
    script = (
        f"import infogen.precompiled as p; print(p.write(__import__('pathlib').Path({str(target)!r}))[1])"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 300  # the model's and the Scene's classes, a few methods each


def test_a_written_file_leaves_nothing_to_compile_and_the_classes_as_they_were(tmp_path):
    methods = tmp_path / "methods.marshal"
    write(methods)
    with_file = probe(methods)
    without = probe(tmp_path / "absent.marshal")
    assert with_file["misses"] == 0
    assert without["misses"] > 300
    assert {k: v for k, v in with_file.items() if k != "misses"} == {
        k: v for k, v in without.items() if k != "misses"
    }
    assert with_file["frozen"] and with_file["equal"]
    assert with_file["repr"] == "MoveTo(x=1.0, y=2.0)"
    # Compiled as dataclasses compiles: no `from __future__ import annotations` inherited
    # from precompiled.py, which would turn the annotation into the string '_return_type'.
    assert with_file["init_return"] == "None"


def test_a_file_of_another_interpreter_or_damaged_is_ignored(tmp_path):
    methods = tmp_path / "methods.marshal"
    write(methods)
    good = methods.read_bytes()
    magic = importlib.util.MAGIC_NUMBER
    middle = len(good) // 2
    not_a_dict = b"\xe9\x00\x00\x00\x00"  # marshal of the int 0, with a right checksum
    for name, data in {
        "other-magic": bytes([magic[0] ^ 1]) + good[1:],
        "truncated": good[:middle],
        # A flipped byte that marshal may load without complaint (or crash on): the
        # checksum turns it away.
        "one-byte-flipped": good[:middle] + bytes([good[middle] ^ 0x10]) + good[middle + 1 :],
        "not-a-dict": magic + zlib.crc32(not_a_dict).to_bytes(4, "big") + not_a_dict,
        "empty": b"",
    }.items():
        broken = tmp_path / f"{name}.marshal"
        broken.write_bytes(data)
        assert probe(broken)["misses"] > 300, name


def test_writing_again_compiles_afresh_and_replaces_a_wrong_entry(tmp_path):
    """Set-up run again must not copy what the old file says: an entry whose code is not
    its text's (planted here) is compiled anew."""
    import marshal

    methods = tmp_path / "methods.marshal"
    write(methods)
    data = methods.read_bytes()
    header = len(importlib.util.MAGIC_NUMBER)
    codes = marshal.loads(data[header + 4 :])
    text = next(t for t in codes if "def __repr__" in t and "(x={self.x!r}, y={self.y!r})" in t)
    codes[text] = compile(text.replace("__qualname__ +", "__qualname__ + 'PLANTED' +"), "<string>", "exec")
    payload = marshal.dumps(codes)
    methods.write_bytes(data[:header] + zlib.crc32(payload).to_bytes(4, "big") + payload)
    assert "PLANTED" in probe(methods)["repr"]  # the planted code is used: a checksum is no proof
    script = (
        "import infogen.precompiled as p, pathlib; "
        f"p.install(pathlib.Path({str(methods)!r})); p.write(pathlib.Path({str(methods)!r}))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert probe(methods)["repr"] == "MoveTo(x=1.0, y=2.0)"
