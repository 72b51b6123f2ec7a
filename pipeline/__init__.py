"""vnocr: Vietnamese OCR and diacritic restoration.

    from pipeline import Pipeline
    Pipeline().correct_text("Dang bo thanh pho Son La").text
"""

from pipeline.api import DocumentResult, PageResult, Pipeline
from pipeline.errors import ExitCode, VnocrError
from pipeline.options import (
    LexiconOptions,
    OcrOptions,
    Options,
    PreprocessOptions,
    RestoreOptions,
    TesseractOptions,
)
from pipeline.result import Change, CorrectionResult

__version__ = "0.1.0"

__all__ = [
    "Change",
    "CorrectionResult",
    "DocumentResult",
    "ExitCode",
    "LexiconOptions",
    "OcrOptions",
    "Options",
    "PageResult",
    "Pipeline",
    "PreprocessOptions",
    "RestoreOptions",
    "TesseractOptions",
    "VnocrError",
    "__version__",
]
