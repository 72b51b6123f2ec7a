"""Restoration stage: diacritics and OCR repair with a transformer fused with counts."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from vnocr.longlived import loading_long_lived
from vnocr.restore.assembly import RestoredLine
from vnocr.restore.restorer import Restorer


@lru_cache(maxsize=4)
def load_restorer(model_dir: str | Path) -> Restorer:
    """The one global: each process loads a model folder once and reuses it."""
    # Unfrozen, the collector rescanned torch, transformers and the model on every later
    # allocation-heavy step (gazetteer, candidates): up to 1.5x slower.
    with loading_long_lived():
        return Restorer.from_pretrained(Path(model_dir))


__all__ = ["RestoredLine", "Restorer", "load_restorer"]
