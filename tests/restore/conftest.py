import pytest

from vnocr.options import DEFAULT_MODEL_DIR


@pytest.fixture(scope="session")
def restorer():
    """The shipped model (quality tests use it; it must be in models/)."""
    from vnocr.restore import load_restorer

    return load_restorer(DEFAULT_MODEL_DIR)
