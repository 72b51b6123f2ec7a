"""`vnocr batch` (being built)."""

from pipeline.cli import app  # noqa: F401
