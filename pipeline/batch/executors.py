"""Where tasks run: in this process, in a local process pool, or on a Dask cluster.

One protocol, after OCRmyPDF's `_concurrent.py`: `fn` runs in the worker, `on_done` and
`on_error` run here in the parent (they write outputs and move the progress bar).
Results come back in completion order; the runner does not depend on the order.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import logging
import multiprocessing
import queue as queue_mod
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol, TypeVar

from vnocr.errors import BadOptionsError, MissingDependencyError

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

OnDone = Callable[[Any, Any], None]
OnError = Callable[[Any, BaseException], None]
OnProgress = Callable[[Any], None]

# Where `report_progress` sends its messages in this process: the parent's callback
# (serial), a queue to the parent (process pool), or nowhere (Dask: task-level only).
_progress_sink: OnProgress | None = None


def report_progress(msg: Any) -> None:
    """Called inside a task to tell the parent about progress within it (a page done).

    Never raises and never blocks the task: progress is advisory, results are not.
    """
    sink = _progress_sink
    if sink is not None:
        with contextlib.suppress(Exception):
            sink(msg)


def _init_with_progress(
    queue: Any, initializer: Callable[..., None] | None, initargs: tuple
) -> None:
    """Pool initializer: route `report_progress` to the parent, then the real one."""
    global _progress_sink
    # A worker that dies mid-put must not make the others hang at exit.
    queue.cancel_join_thread()
    _progress_sink = queue.put
    if initializer is not None:
        initializer(*initargs)


class Executor(Protocol):
    """Runs `fn(item)` for every item; calls `on_done(item, result)` in the parent.

    `on_error(item, exc)` is called when the worker itself broke (crash, killed), not
    when `fn` returned a failure. An exception raised by a callback, or Ctrl-C, stops
    the run: pending work is cancelled and workers are stopped before it propagates.
    """

    jobs: int

    def run(
        self,
        fn: Callable[[T], R],
        items: Sequence[T],
        on_done: OnDone,
        on_error: OnError,
        on_progress: OnProgress | None = None,
    ) -> None: ...

    def close(self) -> None: ...


class SerialExecutor:
    """Everything in this process, in order: for tests, and `-j 1` without spawn cost.

    No initializer: `make_executor` starts the Pipeline's load in a thread, and the
    first task reads its first page meanwhile.
    """

    jobs = 1

    def run(
        self,
        fn: Callable[[T], R],
        items: Sequence[T],
        on_done: OnDone,
        on_error: OnError,
        on_progress: OnProgress | None = None,
    ) -> None:
        global _progress_sink
        saved, _progress_sink = _progress_sink, on_progress
        try:
            for item in items:
                on_done(item, fn(item))
        finally:
            _progress_sink = saved

    def close(self) -> None:
        pass


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Start child processes with SIGINT ignored (the disposition survives exec).

    A terminal's Ctrl-C goes to the whole process group; the parent stops the workers
    itself, so they need not print tracebacks of their own.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


def _terminate(pool: cf.ProcessPoolExecutor) -> None:
    """Stop a pool now, without waiting for a long OCR page to finish."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        with contextlib.suppress(Exception):
            p.terminate()
    for p in procs:
        with contextlib.suppress(Exception):
            p.join(timeout=5)
            if p.is_alive():
                p.kill()


class ProcessExecutor:
    """A process pool; `initializer` prepares each worker (`vnocr.batch.worker`).

    Spawned by default: a fork copies the parent's threads' state, which is safe only
    when the parent knows what it holds (`make_executor` forks after loading the
    Pipeline, with torch single-threaded). At most `2 * jobs` tasks are in flight, so
    Ctrl-C has little to cancel and memory stays flat on huge trees. A crashed worker breaks the pool: it is rebuilt and the tasks
    that were in flight are retried once; a task in flight during two crashes fails.
    """

    def __init__(
        self,
        jobs: int,
        initializer: Callable[..., None] | None = None,
        initargs: tuple = (),
        max_in_flight: int | None = None,
        start_method: str = "spawn",
    ) -> None:
        if jobs < 1:
            raise BadOptionsError(f"-j must be at least 1, got {jobs}")
        self.jobs = jobs
        self.initializer = initializer
        self.initargs = initargs
        self.max_in_flight = max_in_flight or 2 * jobs
        self._pool: cf.ProcessPoolExecutor | None = None
        self._ctx = multiprocessing.get_context(start_method)
        self._progress = self._ctx.Queue()

    def _new_pool(self) -> cf.ProcessPoolExecutor:
        return cf.ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=self._ctx,
            initializer=_init_with_progress,
            initargs=(self._progress, self.initializer, self.initargs),
        )

    def _drain(self, on_progress: OnProgress | None) -> None:
        while True:
            try:
                msg = self._progress.get_nowait()
            except (queue_mod.Empty, OSError, ValueError):
                return
            if on_progress is not None:
                on_progress(msg)

    def run(
        self,
        fn: Callable[[T], R],
        items: Sequence[T],
        on_done: OnDone,
        on_error: OnError,
        on_progress: OnProgress | None = None,
    ) -> None:
        queue: deque = deque(items)
        crashes: dict[int, int] = {}  # id(item) -> pool crashes it was in flight for
        in_flight: dict[cf.Future, Any] = {}
        self._pool = self._pool or self._new_pool()

        def crashed(item: Any, exc: BaseException) -> None:
            crashes[id(item)] = crashes.get(id(item), 0) + 1
            if crashes[id(item)] >= 2:
                del crashes[id(item)]
                on_error(item, exc)
            else:
                queue.appendleft(item)

        try:
            while queue or in_flight:
                # After a crash the suspects run one at a time, so the one that kills
                # its worker is found and the others are not blamed.
                limit = 1 if crashes else self.max_in_flight
                while queue and len(in_flight) < limit:
                    item = queue.popleft()
                    in_flight[self._pool.submit(fn, item)] = item
                done, _ = cf.wait(in_flight, timeout=0.25, return_when=cf.FIRST_COMPLETED)
                self._drain(on_progress)
                broken: BaseException | None = None
                for fut in done:
                    item = in_flight.pop(fut)
                    exc = fut.exception()
                    if exc is None:
                        crashes.pop(id(item), None)
                        on_done(item, fut.result())
                    elif isinstance(exc, BrokenProcessPool):
                        broken = exc
                        crashed(item, exc)
                    else:
                        crashes.pop(id(item), None)
                        on_error(item, exc)
                if broken is not None:
                    for item in in_flight.values():  # broken too, whatever they were doing
                        crashed(item, broken)
                    in_flight.clear()
                    log.warning("a worker process died; restarting the pool")
                    _terminate(self._pool)
                    self._pool = self._new_pool()
        except BaseException:
            _terminate(self._pool)
            self._pool = None
            raise

    def imap(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[tuple[T, R]]:
        """Each item with `fn(item)`, in the items' order, as soon as it and those before
        it are done. Items are read only as work is handed out (at most `max_in_flight`
        ahead), so a stream of any length passes in bounded memory. An exception of
        `fn`, or a worker's death (`BrokenProcessPool`), is raised here, and the pool
        stopped; so it is when the caller stops early."""
        self._pool = self._pool or self._new_pool()
        pending: deque[tuple[T, cf.Future]] = deque()
        try:
            for item in items:
                pending.append((item, self._pool.submit(fn, item)))
                if len(pending) >= self.max_in_flight:
                    first, fut = pending.popleft()
                    yield first, fut.result()
            while pending:
                first, fut = pending.popleft()
                yield first, fut.result()
        except BaseException:
            _terminate(self._pool)
            self._pool = None
            raise

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._progress.close()


class DaskExecutor:
    """The same tasks on a Dask distributed cluster.

    With `scheduler` (``tcp://host:port``) it joins that cluster, whose workers must see
    the same input paths; without, it starts a `LocalCluster` of `jobs` single-threaded
    worker processes on loopback. Workers build their Pipeline lazily and cache it per
    process (`worker.get_pipeline`), so only small task records travel.
    """

    def __init__(
        self,
        jobs: int,
        scheduler: str | None = None,
        worker_env: dict[str, str] | None = None,
        connect_timeout_s: float = 30.0,
    ) -> None:
        if jobs < 1:
            raise BadOptionsError(f"-j must be at least 1, got {jobs}")
        try:
            from distributed import Client, LocalCluster
        except ImportError as e:  # pragma: no cover - dask is a dependency
            raise MissingDependencyError(f"--executor dask needs dask[distributed]: {e}") from e
        self.jobs = jobs
        self._cluster = None
        try:
            if scheduler:
                self._client = Client(scheduler, timeout=connect_timeout_s)
            else:
                with _sigint_ignored():  # inherited by the workers: Ctrl-C is ours to handle
                    self._cluster = LocalCluster(
                        n_workers=jobs,
                        threads_per_worker=1,
                        processes=True,
                        host="127.0.0.1",
                        dashboard_address=None,
                        env=worker_env or {},
                        silence_logs=logging.ERROR,
                    )
                self._client = Client(self._cluster)
        except (OSError, TimeoutError) as e:
            self.close()
            where = scheduler or "a local cluster"
            raise MissingDependencyError(f"cannot reach Dask at {where}: {e}") from None

    def run(
        self,
        fn: Callable[[T], R],
        items: Sequence[T],
        on_done: OnDone,
        on_error: OnError,
        on_progress: OnProgress | None = None,  # Dask reports whole tasks only
    ) -> None:
        from distributed import as_completed

        futures = []
        item_of: dict[str, Any] = {}
        try:
            for item in items:
                fut = self._client.submit(fn, item, pure=False)
                item_of[fut.key] = item
                futures.append(fut)
            for fut in as_completed(futures):
                item = item_of[fut.key]
                if fut.status == "finished":
                    on_done(item, fut.result())
                else:
                    try:
                        exc = fut.exception()
                    except Exception as e:  # noqa: BLE001 - a cancelled future raises here
                        exc = e
                    on_error(item, exc)
        except BaseException:
            with contextlib.suppress(Exception):
                self._client.cancel(futures)
            raise

    def close(self) -> None:
        for obj in (getattr(self, "_client", None), self._cluster):
            if obj is not None:
                with contextlib.suppress(Exception):
                    obj.close()
        self._cluster = None
