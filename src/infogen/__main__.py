"""The command-line tool in a process of its own: the `infogen` console script and
`python -m infogen`.

Such a process sets the cyclic garbage collector for what a render is. A render allocates
a few hundred thousand container objects — shaped words, the lines tried at each size,
the Scene's items — and frees almost all of them by reference counting; the collector's
defaults (a pass over the young objects every 700 net allocations, and every object
traced again when the interpreter exits) find next to no cycles among them and cost about
7% of a cold render (callgrind, `render --lang nl --format pdf`: 1254 M instructions, 1162 M
with these settings). So, as mypy does for the same reason, the young generation is
collected every 100,000 allocations (cycles are still found, in a long `watch` too), and
what is alive at exit is frozen (`gc.freeze`) so that the interpreter's last collection
does not trace it: none of it is garbage worth finding then. The batch's workers, forked
from this process, inherit the settings (pool.py freezes before it forks). A program that
imports infogen as a library keeps its own settings: none of this runs on import.
"""

from __future__ import annotations

import atexit
import gc

YOUNG_COLLECTION_THRESHOLD = 100_000  # Python's default is 700


def main() -> None:
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *gc.get_threshold()[1:])
    atexit.register(gc.freeze)
    from .cli import main as cli  # after the settings: the imports allocate too

    cli()


if __name__ == "__main__":
    main()
