"""Batch conversion of whole folders: parallel, resumable, observable.

from vnocr.batch import run_batch, BatchOptions
report = run_batch("scans/", "out/", batch=BatchOptions(jobs=2, resume=True))

The names below load on first use (PEP 562): `vnocr correct` imports only
`vnocr.batch.progress`, and importing this package must not pull in the runner, its
executors and the OCR stack behind them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# each public name and the submodule that defines it
_EXPORTS = {
    "DaskExecutor": "executors",
    "Executor": "executors",
    "ProcessExecutor": "executors",
    "SerialExecutor": "executors",
    "NullProgress": "progress",
    "ProgressBar": "progress",
    "RichProgress": "progress",
    "print_summary": "progress",
    "BatchAborted": "runner",
    "BatchInterrupted": "runner",
    "BatchOptions": "runner",
    "BatchReport": "runner",
    "Failure": "runner",
    "run_batch": "runner",
}

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


__all__ = [  # the names of _EXPORTS (tests/test_imports.py keeps the two equal)
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
