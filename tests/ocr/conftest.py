from __future__ import annotations

from pathlib import Path

import pytest
from ocr_helpers import serif_font


@pytest.fixture(scope="session")
def font() -> Path:
    return serif_font()
