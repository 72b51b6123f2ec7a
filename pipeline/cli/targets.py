"""Where `vnocr ocr` and `vnocr correct` put their documents (`-o`), by one rule.

No `-o`, `-o -`, or a device or FIFO (`-o /dev/null`): one stream, documents in input
order. Otherwise a file for a single input, or a folder with one file per input. An
output that is also an input is refused before anything is read.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from vnocr.errors import BadOptionsError
from vnocr.files import STDOUT, is_stream, refuse_output_over_input


def is_stream_target(output: str | None) -> bool:
    """No `-o`, `-o -`, a device or a FIFO: the documents go one after another into one
    stream, never into files of their own."""
    return output is None or output == STDOUT or is_stream(output)


def output_files(
    inputs: Sequence[str], output: str | None, suffix: str
) -> list[Path] | None:
    """One output file per input, or None when everything goes to one stream.

    Several inputs (or an existing folder, or a path ending in `/`) make `output` a
    folder of INPUT-stem + `suffix` files; stdin's is named `stdin`.
    """
    refuse_output_over_input(output, [i for i in inputs if i != STDOUT])
    if is_stream_target(output):
        return None
    assert output is not None
    out = Path(output)
    as_dir = len(inputs) > 1 or out.is_dir() or output.endswith(os.sep)
    if not as_dir:
        return [out]
    if out.exists() and not out.is_dir():
        raise BadOptionsError(f"-o {output}: several inputs need a directory, not a file")
    named: dict[str, str] = {}
    for inp in inputs:
        name = ("stdin" if inp == STDOUT else Path(inp).stem) + suffix
        if name in named:
            raise BadOptionsError(f"{named[name]} and {inp} would both be written to {out / name}")
        named[name] = inp
    targets = [out / name for name in named]
    for target in targets:
        refuse_output_over_input(target, [i for i in inputs if i != STDOUT])
    return targets
