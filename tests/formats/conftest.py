"""Fixtures of the format tests: the two sample scans read and corrected once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from vnocr import Pipeline

REPO = Path(__file__).resolve().parents[2]
CLEAN = REPO / "samples" / "admin_scan_clean.jpg"
PHOTOCOPY = REPO / "samples" / "admin_scan_photocopy.jpg"


def need_tool(name: str) -> str:
    """The poppler and qpdf tools come with `make setup` (poppler-utils, qpdf)."""
    path = shutil.which(name)
    assert path, f"{name} missing: run `make setup` (apt packages poppler-utils qpdf)"
    return path


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.fixture(scope="session")
def clean_page(pipeline):
    return next(pipeline.iter_pages(CLEAN))


@pytest.fixture(scope="session")
def photocopy_page(pipeline):
    return next(pipeline.iter_pages(PHOTOCOPY))
