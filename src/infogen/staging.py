"""Writing outputs all or nothing: files go into one staging directory inside the output
directory as they are made, and are moved into place together at the end.

A batch's artifacts are stored here the moment each is rendered, so a run of every layout
× language × format holds one artifact's bytes at a time rather than all of them (~15 MB
for the shipped project) until the end, and the writes and their fsyncs happen while
later artifacts render. An interrupted or failed run removes the staging directory:
the earlier outputs stay as they were, with no partial or temporary file beside them.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from pathlib import Path
from types import TracebackType

from .diagnostics import Diagnostic, InfogenError, Location

STAGING = ".infogen-staging-"  # + batch.owner_tag(): stale ones are recognised
STALE_AFTER_SECONDS = 600


class Staging:
    """A staging directory in `out_dir`: `put` each file, then `commit` them all (or leave
    the `with` block without committing, and nothing is written)."""

    def __init__(self, out_dir: Path) -> None:
        from .batch import owner_tag, remove_stale_directories

        if out_dir.exists() and not out_dir.is_dir():
            raise write_error(f"{out_dir} exists and is not a directory", out_dir, "choose another --out")
        # The directories made here, deepest first: a run that writes nothing leaves none.
        self.made: list[Path] = []
        missing = out_dir
        while not missing.exists() and missing != missing.parent:
            self.made.append(missing)
            missing = missing.parent
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise write_error(f"cannot create the output directory: {exc.strerror}", out_dir) from None
        # Of runs that were killed (made in another PID namespace: untouched for a while
        # too, for a live run's staging directory changes with every artifact it stores).
        remove_stale_directories(out_dir, STAGING, untouched_for=STALE_AFTER_SECONDS)
        try:
            self.directory = Path(tempfile.mkdtemp(prefix=f"{STAGING}{owner_tag()}", dir=out_dir))
        except OSError as exc:
            raise write_error(f"cannot write output: {exc.strerror}", out_dir) from None
        self.out_dir = out_dir
        self.names: list[str] = []
        self.committed = False

    def put(self, name: str, data: bytes) -> None:
        """Store one file (a name relative to the output directory, such as debug/x.svg),
        on disk (fsynced) before this returns."""
        target = self.out_dir / name
        if target.exists() and not target.is_file():
            raise write_error(f"{target} exists and is not a file", target, "remove or rename it")
        try:
            (self.directory / name).parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.directory / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise write_error(f"cannot write output: {exc.strerror}", self.out_dir) from None
        self.names.append(name)

    def commit(self) -> list[Path]:
        """Move every stored file into place, with SIGINT and SIGTERM held off while they
        move; the staging directory is removed. The files, in the order they were put."""
        held = {signal.SIGINT, signal.SIGTERM}
        try:
            previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
            try:
                for name in self.names:
                    (self.out_dir / name).parent.mkdir(exist_ok=True)
                    os.replace(self.directory / name, self.out_dir / name)
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        except OSError as exc:
            raise write_error(f"cannot write output: {exc.strerror}", self.out_dir) from None
        else:
            self.committed = True
        finally:
            self.discard()
        return [self.out_dir / name for name in self.names]

    def discard(self) -> None:
        """Remove the staging directory; uncommitted, the output directories made for it too."""
        shutil.rmtree(self.directory, ignore_errors=True)
        if not self.committed:
            for directory in self.made:
                try:
                    directory.rmdir()  # only if empty: another process may have written there
                except OSError:
                    break

    def __enter__(self) -> Staging:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.discard()  # committed: already gone; else nothing is written


def write_atomically(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """Write these files into `out_dir` all or nothing (see the module's docstring)."""
    with Staging(out_dir) as staging:
        for name, data in files.items():
            staging.put(name, data)
        return staging.commit()


def write_error(message: str, where: Path, hint: str = "") -> InfogenError:
    hint = hint or "check the directory's permissions and free space, or choose another --out"
    return InfogenError([Diagnostic(message, Location(str(where)), hint=hint)])
