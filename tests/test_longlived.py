import gc

import pytest

from vnocr.longlived import loading_long_lived


def test_collector_paused_inside_and_restored_after():
    assert gc.isenabled()
    with loading_long_lived():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.unfreeze()


def test_collector_restored_when_loading_fails():
    with pytest.raises(RuntimeError), loading_long_lived():
        raise RuntimeError("corrupt model")
    assert gc.isenabled()
    gc.unfreeze()


def test_objects_built_inside_are_frozen():
    gc.unfreeze()
    with loading_long_lived():
        keep = [[i] for i in range(1000)]
    assert gc.get_freeze_count() >= len(keep)
    gc.unfreeze()
