"""Cold-start benchmark: how long a user waits for `infogen render`, process start included.

Speed targets live here, not in the tests (machines differ). Target on a 2-core machine:
a cold `infogen render --lang nl --format pdf` near 250 ms.
"""

from __future__ import annotations

import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INFOGEN = [sys.executable, "-m", "infogen"]
CASES = {
    "render nl pdf": ["render", "--lang", "nl", "--format", "pdf"],
    "render nl svg": ["render", "--lang", "nl", "--format", "svg"],
    "render all, all formats": ["render", "--lang", "all", "--format", "all"],
}
RUNS = 7
TARGET_MS = 250


def time_command(args: list[str], out: str) -> float:
    start = time.perf_counter()
    subprocess.run(INFOGEN + args + ["-q", "--out", out, "--project", str(ROOT)], check=True)
    return (time.perf_counter() - start) * 1000


def hostile_cases() -> None:
    """Time and memory of the hostile renders the bounds tests run under hard limits."""
    sys.path.insert(0, str(ROOT / "tests"))
    import test_bounds  # the same hostile inputs, built the same way

    print(f"\n{'hostile input':28} {'time':>8} {'peak RSS':>9}  exit")
    for make in (test_bounds.hostile_everything_long, test_bounds.hostile_many_themes,
                 test_bounds.hostile_alias_bomb, test_bounds.hostile_deep_nesting,
                 test_bounds.hostile_huge_page):  # fmt: skip
        with tempfile.TemporaryDirectory() as tmp:
            project = Path(tmp) / "project"
            for name in ("data", "layouts"):
                shutil.copytree(ROOT / name, project / name)
            (project / "fonts").mkdir()
            make(project)
            start = time.perf_counter()
            code, _, peak = test_bounds.run_bounded(project, Path(tmp) / "out")
            elapsed = (time.perf_counter() - start) * 1000
            print(f"{make.__name__.removeprefix('hostile_'):28} {elapsed:7.0f}ms {peak:7.0f}MB  {code}")


def main() -> None:
    with tempfile.TemporaryDirectory() as out:
        print(f"{'case':28} {'median':>8} {'min':>8}   ({RUNS} runs, cold processes)")
        for name, args in CASES.items():
            time_command(args, out)  # warm the OS file cache, not the process
            times = [time_command(args, out) for _ in range(RUNS)]
            print(f"{name:28} {statistics.median(times):7.0f}ms {min(times):7.0f}ms")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory of a render: {peak:.0f} MB")
    print(f"target: render nl pdf near {TARGET_MS} ms")
    hostile_cases()


if __name__ == "__main__":
    main()
