"""Batch conversion of whole folders: parallel, resumable, observable.

from vnocr.batch import run_batch, BatchOptions
report = run_batch("scans/", "out/", batch=BatchOptions(jobs=2, resume=True))
"""

from vnocr.batch.executors import DaskExecutor, Executor, ProcessExecutor, SerialExecutor
from vnocr.batch.progress import NullProgress, ProgressBar, RichProgress, print_summary
from vnocr.batch.runner import (
    BatchAborted,
    BatchInterrupted,
    BatchOptions,
    BatchReport,
    Failure,
    run_batch,
)

__all__ = [
    "BatchAborted",
    "BatchInterrupted",
    "BatchOptions",
    "BatchReport",
    "DaskExecutor",
    "Executor",
    "Failure",
    "NullProgress",
    "ProcessExecutor",
    "ProgressBar",
    "RichProgress",
    "SerialExecutor",
    "print_summary",
    "run_batch",
]
