"""`Pipeline.load_in_background`: the model loads in a thread while a first page is read;
the first use waits for it, so results and errors are those of a load on first use."""

from __future__ import annotations

from pathlib import Path

import pytest

import vnocr.restore
from vnocr.api import Pipeline
from vnocr.batch import worker
from vnocr.errors import ModelLoadError
from vnocr.options import LexiconOptions, Options, RestoreOptions

TEXT = "Dang bo thanh pho Son La da dat duoc nhung ket qua quan trong"


def test_background_load_gives_the_same_text_and_loads_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = []
    load = vnocr.restore.load_restorer

    def counted(model_dir: str | Path) -> object:
        calls.append(model_dir)
        return load(model_dir)

    monkeypatch.setattr(vnocr.restore, "load_restorer", counted)
    background = Pipeline()
    background.load_in_background()
    # used at once: waits for the thread rather than loading a second model
    text = background.correct_text(TEXT).text
    assert len(calls) == 1
    assert background._loader is None  # joined by the first use
    assert text == Pipeline().correct_text(TEXT).text
    background.load_in_background()  # already loaded: no second thread
    assert background._loader is None


def test_a_failed_background_load_is_raised_on_first_use(tmp_path: Path) -> None:
    pipeline = Pipeline(Options(restore=RestoreOptions(model_dir=tmp_path)))
    pipeline.load_in_background()
    with pytest.raises(ModelLoadError):
        pipeline.correct_text(TEXT)


def test_nothing_loads_when_nothing_corrects() -> None:
    pipeline = Pipeline(Options(restore=RestoreOptions(enabled=False),
                                lexicon=LexiconOptions(enabled=False)))
    pipeline.load_in_background()
    assert pipeline._loader is None


def test_a_one_worker_executor_starts_the_load(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker, "_pipelines", {})
    options = Options(restore=RestoreOptions(enabled=False))  # the gazetteer only
    worker.make_executor(options, 1).close()
    pipeline = worker.get_pipeline(options)  # the one the executor's tasks will use
    assert pipeline._loader is not None
    assert pipeline.gazetteer is not None  # waits for the thread
    assert pipeline._loader is None
