"""Executors: process pool and Dask LocalCluster give the serial run's outputs."""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_helpers import (
    NO_CORRECT,
    chatty,
    crash_on,
    loaded_model_id,
    outputs,
    write_image_inputs,
    write_text_tree,
)

from vnocr.batch import BatchOptions, ProcessExecutor, SerialExecutor, run_batch


def test_process_pool_survives_a_crashed_worker() -> None:
    done: dict[str, str] = {}
    errors: dict[str, str] = {}
    ex = ProcessExecutor(2)
    try:
        ex.run(
            crash_on,
            ["a", "crash", "b", "c"],
            lambda item, r: done.__setitem__(item, r),
            lambda item, e: errors.__setitem__(item, type(e).__name__),
        )
    finally:
        ex.close()
    # Innocent tasks that shared the pool with the crash are retried and succeed.
    assert done == {"a": "A", "b": "B", "c": "C"}
    assert errors == {"crash": "BrokenProcessPool"}


@pytest.mark.parametrize("kind", ["serial", "pool"])
def test_progress_from_inside_tasks_reaches_the_parent(kind: str) -> None:
    got: list = []
    done: list = []
    ex = SerialExecutor() if kind == "serial" else ProcessExecutor(2)
    try:
        ex.run(chatty, ["a", "b"], lambda i, r: done.append(r), None, got.append)
    finally:
        ex.close()
    assert sorted(done) == ["a", "b"]
    assert sorted(got) == [("a", 1), ("a", 2), ("b", 1), ("b", 2)]


def test_pool_workers_share_the_parents_loaded_model(tmp_path: Path) -> None:
    """`make_executor` forks its workers after loading the Pipeline in this process:
    they start with the parent's model (no load of their own) and correct as one
    process does."""
    from vnocr.batch.worker import get_pipeline, make_executor
    from vnocr.options import Options

    options = Options()
    ex = make_executor(options, 2)
    seen: list[int | None] = []
    try:
        ex.run(loaded_model_id, [options] * 4, lambda _, r: seen.append(r), None)
    finally:
        ex.close()
    assert seen == [id(get_pipeline(options).restorer)] * 4
    src = tmp_path / "in"
    write_text_tree(src, n=4)
    run_batch(src, tmp_path / "serial", options, BatchOptions(fsync=False))
    run_batch(src, tmp_path / "pool", options, BatchOptions(fsync=False, jobs=2))
    ref = outputs(tmp_path / "serial")
    assert outputs(tmp_path / "pool") == ref and "Đảng bộ" in ref["doc0.txt"].decode()


def test_dask_local_cluster_equals_local_run(tmp_path: Path) -> None:
    """Loopback LocalCluster of 2 workers; the process pool is compared in the other tests."""
    src = tmp_path / "in"
    write_text_tree(src, n=4)
    write_image_inputs(src / "scans", pdf_pages=2, png=False)  # the PDF's pages go to two workers
    (src / "bad.txt").write_bytes(b"\xff")
    fmt = ("text", "json")
    serial = run_batch(src, tmp_path / "serial", NO_CORRECT, BatchOptions(formats=fmt))
    dask = run_batch(
        src,
        tmp_path / "dask",
        NO_CORRECT,
        BatchOptions(formats=fmt, jobs=2, executor="dask"),
    )
    ref = outputs(tmp_path / "serial")
    assert len(ref) == 10 and b"Trang 2" in ref["scans/report.json"]
    assert outputs(tmp_path / "dask") == ref
    for r in (serial, dask):
        assert (r.done, r.failed, r.pages) == (5, 1, 6)
        assert [f.path for f in r.failures] == ["bad.txt"]


def test_dask_scheduler_address(tmp_path: Path) -> None:
    """`--scheduler ADDRESS`: join a running cluster (here an in-process one on loopback)."""
    from distributed import LocalCluster

    src = tmp_path / "in"
    write_text_tree(src, n=4)
    run_batch(src, tmp_path / "ref", NO_CORRECT, BatchOptions(fsync=False))
    with LocalCluster(
        n_workers=1,
        processes=False,
        protocol="tcp://",
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        report = run_batch(
            src,
            tmp_path / "out",
            NO_CORRECT,
            BatchOptions(executor="dask", scheduler=cluster.scheduler_address, fsync=False),
        )
    assert report.done == 4
    assert outputs(tmp_path / "out") == outputs(tmp_path / "ref")


def test_unreachable_scheduler_is_an_environment_error() -> None:
    from vnocr.batch import DaskExecutor
    from vnocr.errors import ExitCode, MissingDependencyError

    with pytest.raises(MissingDependencyError, match="cannot reach Dask") as info:
        DaskExecutor(1, "tcp://127.0.0.1:9", connect_timeout_s=1.0)
    assert info.value.exit_code == ExitCode.ENVIRONMENT
