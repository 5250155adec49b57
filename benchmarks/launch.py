"""Runs the benchmark's child processes and measures them, from a process that stays small.

Linux reports a child's peak resident memory (wait4's `ru_maxrss`) as at least its
parent's at the moment of the fork: exec folds the address space it replaces — a copy of
the parent's — into the figure. The benchmark's own process grows as it works (it reads
the project and builds the warm inputs) past what a small render needs, so a child
started from it would report the benchmark's size instead of its own (a one-process
batch measured 106 MiB that way, 75 MiB by its own high-water mark). run.py starts this
launcher first, while it is small, and has it start every child: a child's figure is
then its own. Standard library only, so that it stays small.

Protocol: one JSON request per line on stdin (`run`'s arguments by name), one
JSON reply per line on stdout ({"wall", "cpu", "peak_rss", "workers", "returncode",
"stderr"}).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any


class ChildPeaks:
    """Polls /proc for a process's children and records each one's VmHWM (its peak RSS,
    which the kernel keeps): the peak of each worker of `--jobs 2`, not just the largest."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid, self.interval = pid, interval
        self.peaks: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> ChildPeaks:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _poll(self) -> None:
        while not self._stop.is_set():
            try:
                children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
            except OSError:
                children = []
            for child in map(int, children):
                with contextlib.suppress(OSError, ValueError):
                    found = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{child}/status").read_text())
                    if found:  # an exited child (a zombie) has no memory lines
                        self.peaks[child] = max(self.peaks.get(child, 0.0), int(found.group(1)) * 1024.0)
            self._stop.wait(self.interval)


def run(
    cmd: Sequence[str],
    env: dict[str, str],
    watch_children: bool = False,
    cwd: str | None = None,
    timeout: float | None = None,
    address_space: int | None = None,
) -> dict[str, Any]:
    """Run to the end (killed after `timeout` seconds, its address space capped at
    `address_space` bytes, if given): wall time, CPU time (the process and the children
    it waited for), peak RSS as the kernel reports it (wait4), each child's peak, the
    exit code and the end of stderr."""

    def cap() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))

    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            cmd,
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
            preexec_fn=cap if address_space else None,
        )
        timer = threading.Timer(timeout, proc.kill) if timeout else None
        if timer:
            timer.start()
        try:
            with ChildPeaks(proc.pid) if watch_children else contextlib.nullcontext() as peaks:
                _, status, usage = os.wait4(proc.pid, 0)
        finally:
            if timer:
                timer.cancel()
        wall = time.perf_counter() - started
        err.seek(0)
        return {
            "wall": wall,
            "cpu": usage.ru_utime + usage.ru_stime,
            "peak_rss": usage.ru_maxrss * 1024.0,
            "workers": {str(pid): peak for pid, peak in (peaks.peaks if peaks else {}).items()},
            "returncode": os.waitstatus_to_exitcode(status),
            "stderr": err.read().decode(errors="replace")[-3000:],
        }


class Launcher:
    """The launcher process, seen from run.py: `run` there, here."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={k: v for k, v in os.environ.items() if k != "PYTHONPROFILEIMPORTTIME"},
        )

    def run(
        self, cmd: Sequence[str], env: dict[str, str], watch_children: bool = False, **limits: Any
    ) -> dict[str, Any]:
        """`run` in the launcher; `limits`: cwd, timeout, address_space (see `run`)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        request = {"cmd": list(cmd), "env": env, "watch_children": watch_children, **limits}
        self.process.stdin.write(json.dumps(request))
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        reply = self.process.stdout.readline()
        if not reply:
            raise SystemExit("benchmark: the launcher process ended")
        return json.loads(reply)

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait()


def serve() -> None:
    for line in sys.stdin:
        reply = run(**json.loads(line))
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
