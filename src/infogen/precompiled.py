"""The dataclasses' generated methods, compiled at set-up as the modules' bytecode is.

`@dataclass` writes the source text of each class's `__init__`, `__repr__`, `__eq__`,
`__hash__` (and, frozen, `__setattr__` and `__delattr__`) and compiles it while the module
is imported. infogen's model and Scene are ~110 dataclasses: ~600 compiles, ~40 ms of
every cold start, more than half of infogen's own import time — and the same text, to the
byte, every time, because it depends only on the class's fields. Python keeps a module's
bytecode in `__pycache__`; this keeps the bytecode of those generated methods beside it.

`make` (set-up, and `make render`) runs `scripts/compile-bytecode`, which compiles src/
with compileall and then calls `main()` here: that imports every infogen module and
writes what their dataclasses compiled to
`src/infogen/__pycache__/dataclass-methods.<cache tag>.marshal` (`cpython-311`, say),
headed by the interpreter's bytecode magic number and a CRC-32 of the rest. On import, infogen reads that file and
gives `dataclasses` an `exec` that takes the code compiled from the *same text* when there
is one and compiles the text as usual when there is not: a class whose fields changed
since set-up produces other text and is compiled as before, so the file can be stale but
never wrong; a file of another interpreter (another magic number), truncated or damaged
is ignored. Nothing is written while infogen runs. An installation from a wheel has no
such file until `python -c 'import infogen.precompiled as p; p.main()'` is run once
(without it, a cold start only costs the ~40 ms more).

Only the compiling is cached: `dataclasses` still builds every class itself, with its
own globals, so a class behaves exactly as it would without this file. The code is
compiled as `dataclasses` compiles it (no `__future__` flags inherited from here).
"""

from __future__ import annotations

import builtins
import dataclasses
import importlib
import importlib.util
import marshal
import sys
import zlib
from pathlib import Path
from types import CodeType
from typing import Any

_PACKAGE_DIR = Path(__file__).resolve().parent

# Code by its source text, from the set-up file (two classes with the same fields in two
# modules have the same text, so an entry stays after use).
_codes: dict[str, CodeType] = {}
# While `write` runs: every text executed and its code.
_recording: dict[str, CodeType] | None = None
# How many texts were compiled here, the file having none for them (a test reads it).
misses = 0


def default_path() -> Path | None:
    """Where set-up writes the file, or None for an interpreter without bytecode caching."""
    tag = sys.implementation.cache_tag
    if tag is None:
        return None
    return _PACKAGE_DIR / "__pycache__" / f"dataclass-methods.{tag}.marshal"


def _exec(source: Any, globals: Any = None, locals: Any = None, /) -> None:
    """`exec` as `dataclasses` calls it, with the compiling taken from the file when it can."""
    global misses
    if isinstance(source, str):
        code = _codes.get(source)
        if code is None:
            misses += 1
            code = compile(source, "<string>", "exec", dont_inherit=True)
        if _recording is not None:
            _recording[source] = code
        source = code
    builtins.exec(source, globals, locals)


def _read(path: Path) -> dict[str, CodeType]:
    """The file's code by text, or nothing: a file of another interpreter (magic number),
    damaged (its CRC-32 does not match: marshal would load some damage silently, and
    crash on other), unreadable or of another shape is ignored."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    header = importlib.util.MAGIC_NUMBER
    check, payload = data[len(header) : len(header) + 4], data[len(header) + 4 :]
    if not data.startswith(header) or _crc(payload) != check:
        return {}
    try:
        codes = marshal.loads(payload)
    except Exception:  # written by this module and checked above: never expected
        return {}
    if not isinstance(codes, dict):
        return {}
    return {k: v for k, v in codes.items() if isinstance(k, str) and isinstance(v, CodeType)}


def _crc(payload: bytes) -> bytes:
    """A checksum against damage (a disk's, a copy's): CRC-32, ~20x faster than SHA-256."""
    return zlib.crc32(payload).to_bytes(4, "big")


def install(path: Path | None = None) -> None:
    """Read the file (`default_path()` unless given) and hand `dataclasses` the cached `exec`.

    Called once, by `infogen/__init__.py`, before any infogen dataclass is defined. The
    module-level name shadows the builtin inside `dataclasses` only."""
    path = path if path is not None else default_path()
    _codes.clear()
    if path is not None:
        _codes.update(_read(path))
    dataclasses.exec = _exec  # type: ignore[attr-defined]


def _import_every_module() -> list[str]:
    """Import all of infogen (the lazily imported modules too); the ones that would not import."""
    import pkgutil

    import infogen

    failed = []
    for module in pkgutil.walk_packages(infogen.__path__, "infogen."):
        if module.name in sys.modules or module.name.endswith(".__main__"):
            continue
        try:
            importlib.import_module(module.name)
        except Exception as error:  # an optional dependency missing: that module is left out
            failed.append(f"{module.name}: {error}")
    return failed


def write(path: Path | None = None) -> tuple[Path, int, list[str]]:
    """Import every infogen module and write the code of every dataclass method they made.

    Must run in a process that has imported no infogen module but this one (a module
    imported before is not imported again, so its classes would be missing). Returns the
    path, how many methods, and the modules that could not be imported."""
    global _recording
    target = path if path is not None else default_path()
    if target is None:
        raise SystemExit("infogen.precompiled: this interpreter keeps no bytecode; nothing to write")
    _codes.clear()  # compiled afresh, not taken from the file being replaced
    _recording = {}
    try:
        failed = _import_every_module()
        codes = _recording
    finally:
        _recording = None
    from .staging import write_atomically  # no reader ever sees half a file

    payload = marshal.dumps(codes)
    write_atomically(target.parent, {target.name: importlib.util.MAGIC_NUMBER + _crc(payload) + payload})
    return target, len(codes), failed


def main() -> None:
    """Write the file; a source tree that cannot be written to only costs cold starts the
    compiling (a warning, not a failed set-up)."""
    try:
        target, count, failed = write()
    except Exception as exc:
        # Imported only now: a module imported before write() would be left out of the file.
        from .diagnostics import InfogenError

        if not isinstance(exc, InfogenError):  # from staging: the file cannot be written
            raise
        print(
            f"infogen.precompiled: warning: cannot write the dataclass methods' bytecode "
            f"({exc.diagnostics[0].message}); cold starts will compile them",
            file=sys.stderr,
        )
        return
    for line in failed:
        print(f"infogen.precompiled: left out {line}", file=sys.stderr)
    print(f"{count} dataclass methods compiled into {target}")
