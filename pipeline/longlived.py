"""Loading what lives as long as the process (torch, the model, the gazetteer).

Importing torch and transformers and building the model and the gazetteer create about
half a million objects that are never freed. While they are created, the garbage
collector keeps rescanning them to no purpose (a tenth of the start-up); afterwards it
would rescan them on every later allocation-heavy step. So: collector paused while they
load, then frozen out of its sight.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def loading_long_lived() -> Iterator[None]:
    """Pause the collector for the block, then freeze everything alive after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
