"""vnocr: Vietnamese OCR and diacritic restoration.

    import vnocr
    vnocr.Pipeline().correct_text("Dang bo thanh pho Son La").text  # 'Đảng bộ thành phố Sơn La'
"""

from vnocr.api import DocumentResult, PageResult, Pipeline
from vnocr.errors import ExitCode, VnocrError
from vnocr.options import (
    LexiconOptions,
    OcrOptions,
    Options,
    PreprocessOptions,
    RestoreOptions,
    TesseractOptions,
)
from vnocr.result import Change, CorrectionResult

__version__ = "0.2.0"

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
