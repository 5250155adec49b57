"""Worker processes for `--jobs`, each kept to its own languages.

A worker keeps what it loads for a language (the hyphenation patterns — German's are
6 MiB —, the fonts, the shaped text) for as long as it runs. Handed whatever group of
the plan comes next, as a plain process pool does, every worker ends up loading every
language; here each language is given to one worker (the heaviest languages first, each
to the worker with the least work so far) and its groups go to that worker, one at a
time (batch.share_out). A worker whose own groups are done takes the last group of the
worker with the most work left, so the batch still ends together.

All workers are started before any work is handed out, and the pool runs no thread of
its own: forking a process while another of its threads may hold a lock (the manager
thread of a ProcessPoolExecutor already running) can leave the child waiting on it for
ever. The parent talks to each worker
over a pipe of its own and watches the workers' process sentinels, so a worker that is
killed ends the batch at once rather than leaving the parent waiting for its reply.
"""

from __future__ import annotations

import gc
import multiprocessing
import pickle
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any


class WorkerDied(Exception):
    """A worker process ended before its work was done (killed, out of memory, or ended
    by an error that is not an Exception); args: a message and the exit code."""

    @property
    def exitcode(self) -> int | None:
        return self.args[1] if len(self.args) > 1 else None


class RemoteTraceback(Exception):
    """Where a worker's exception was raised: set as its __cause__ in the parent."""

    def __str__(self) -> str:
        return f'\n"""\n{self.args[0]}"""'


class Pool:
    """`workers` processes, each running `initializer(*initargs)` once, then
    `function(task)` for every task it is handed."""

    def __init__(self, workers: int, initializer: Callable[..., None], initargs: tuple[Any, ...],
                 function: Callable[[Any], Any]) -> None:  # fmt: skip
        context = multiprocessing.get_context()
        # What the parent holds (modules, the renderer) lives on in every forked worker:
        # frozen before the fork, the workers' collections do not trace it, nor write to its
        # pages. The parent unfreezes once they are started: its own garbage stays collectable.
        forking = context.get_start_method() == "fork"
        if forking:
            gc.freeze()
        self._connections: list[Connection] = []
        self._processes: list[Any] = []
        try:
            for _ in range(workers):
                parent_end, child_end = context.Pipe()
                process = context.Process(
                    target=_serve, args=(child_end, initializer, initargs, function), daemon=True
                )
                process.start()
                child_end.close()
                self._connections.append(parent_end)
                self._processes.append(process)
        except BaseException:
            self.close()
            raise
        finally:
            if forking:
                gc.unfreeze()

    def run(self, tasks: Sequence[Any], queues: list[deque[int]], weights: Sequence[float]) -> Iterator[tuple[int, Any]]:  # fmt: skip
        """(index, result) for every task, as the workers finish them: each worker works
        through its queue of task indices, then takes from the others (next_task)."""
        busy: dict[int, int] = {}  # worker -> the index of its task

        def hand_out(worker: int) -> None:
            index = next_task(queues, worker, weights)
            if index is None:
                return
            try:
                self._connections[worker].send((index, tasks[index]))
            except OSError:
                raise self._died(worker) from None
            busy[worker] = index

        for worker in range(len(self._processes)):
            hand_out(worker)
        while busy:
            pipes = {self._connections[w]: w for w in busy}
            ends = {self._processes[w].sentinel: w for w in busy}
            ready = wait([*pipes, *ends])
            answered = sorted({pipes[r] for r in ready if r in pipes})
            ended = {ends[r] for r in ready if r in ends}
            for worker in sorted(ended - set(answered)):
                if not self._connections[worker].poll():
                    raise self._died(worker)
                answered.append(worker)  # its last answer is in the pipe: read it first
            for worker in answered:
                try:
                    index, ok, value = self._connections[worker].recv()
                except (EOFError, OSError):
                    raise self._died(worker) from None
                del busy[worker]
                if not ok:
                    error, where = value
                    error.__cause__ = RemoteTraceback(where)
                    raise error
                hand_out(worker)  # before the parent handles the result: the worker is not idle
                yield index, value

    def _died(self, worker: int) -> WorkerDied:
        process = self._processes[worker]
        process.join(timeout=1)  # its exit code, once it is gone
        return WorkerDied(f"worker {process.pid} ended (exit code {process.exitcode})", process.exitcode)

    def close(self) -> None:
        """Ask every worker to stop once its current task is done, and wait for them."""
        for connection in self._connections:
            try:
                connection.send(None)
            except OSError:
                pass  # a worker that has died
        for process in self._processes:
            process.join()
        for connection in self._connections:
            connection.close()


def next_task(queues: list[deque[int]], worker: int, weights: Sequence[float]) -> int | None:
    """The task a worker that is free is given, taken off its queue: the next of its own;
    when those are done, the last of the queue with the most work left (its last: the
    language that worker is on stays its own); None when no work is left."""
    if queues[worker]:
        return queues[worker].popleft()
    richest = max(queues, key=lambda queue: sum(weights[i] for i in queue))
    return richest.pop() if richest else None


def _serve(connection: Connection, initializer: Callable[..., None], initargs: tuple[Any, ...],
           function: Callable[[Any], Any]) -> None:  # fmt: skip
    """A worker: set up once, then answer each task with (index, ok, result or error)."""
    initializer(*initargs)
    parent = multiprocessing.parent_process()
    while True:
        try:
            # A forked worker holds the parent's end of its own pipe (and of the pipes of the
            # workers forked before it): EOF never comes when the parent dies (SIGKILL, a CI
            # timeout's SIGTERM). The parent's sentinel does.
            if parent is not None and parent.sentinel in wait([connection, parent.sentinel]):
                if not connection.poll():
                    return  # the parent has gone
            message = connection.recv()
        except (EOFError, OSError):
            return  # the parent has gone
        if message is None:
            return
        index, task = message
        try:
            reply: tuple[int, bool, Any] = (index, True, function(task))
        except Exception as exc:
            reply = (index, False, (_picklable(exc), traceback.format_exc()))
        try:
            connection.send(reply)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:  # a result that cannot be sent
            connection.send((index, False, (RuntimeError(f"a worker's result cannot be sent: {exc}"), "")))


def _picklable(exc: Exception) -> Exception:
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
