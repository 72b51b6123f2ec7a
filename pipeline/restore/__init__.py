"""Restoration stage: diacritics and OCR repair with a transformer fused with counts."""

from __future__ import annotations

import gc
from functools import lru_cache
from pathlib import Path

from pipeline.restore.restorer import RestoredLine, Restorer


@lru_cache(maxsize=4)
def load_restorer(model_dir: str | Path) -> Restorer:
    """The one global: each process loads a model folder once and reuses it."""
    restorer = Restorer.from_pretrained(Path(model_dir))
    # torch, transformers and the model are half a million objects that live as long as
    # the process: frozen, the collector stops rescanning them, which made every later
    # allocation-heavy step (gazetteer, candidates) up to 1.5x slower.
    gc.freeze()
    return restorer


__all__ = ["RestoredLine", "Restorer", "load_restorer"]
