"""The network's backends: ONNX Runtime by default, torch's scores within 1e-4, torch
where the graphs are missing or belong to other weights, no torch on the inference path;
ONNX Runtime's states the same to the bit in any batch, which its batch plan relies on."""

from __future__ import annotations

import itertools
import json
import logging
import random
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from vnocr.errors import ModelLoadError
from vnocr.options import DEFAULT_MODEL_DIR, network_threads
from vnocr.restore.backend import BACKEND_ENV, TorchBackend, load_backend
from vnocr.restore.onnx_network import (
    MANIFEST_FILE,
    STATES_GRAPH,
    OnnxBackend,
    least_padded_batches,
)
from vnocr.restore.tokenizer import RestoreTokenizer


@pytest.fixture(scope="module")
def both() -> tuple[OnnxBackend, TorchBackend]:
    return (OnnxBackend.from_pretrained(DEFAULT_MODEL_DIR, 1),
            TorchBackend.from_pretrained(DEFAULT_MODEL_DIR, 1))


def _batch(config) -> dict[str, np.ndarray]:
    """Two lines of real and made-up words, one shorter (padding)."""
    tok = RestoreTokenizer.from_dir(DEFAULT_MODEL_DIR, config.max_chars)
    words = ["Dang", "bo", "thanh", "pho", "Son", "La", "nghi", "quyet", "d3", "nhi€ém", "ty'TNHH", "xa", "hoi", "chu", "nghia"]
    return tok.encode_arrays([words * 3, words[:5]])


def test_onnx_states_and_logits_agree_with_torch(both) -> None:
    onnx, torch_ = both
    batch = _batch(onnx.config)
    present = batch["token_mask"]  # padding's states are never read
    got, want = onnx.states(**batch)[present], torch_.states(**batch)[present]
    assert np.abs(got - want).max() < 1e-4
    assert np.array_equal(onnx.out_embed, torch_.out_embed)
    logits = [h @ onnx.out_embed.T + onnx.out_bias for h in (got, want)]
    assert np.abs(logits[0] - logits[1]).max() < 1e-4
    assert np.array_equal(np.sort(onnx.proposals(want, 4), axis=1),
                          np.sort(torch_.proposals(want, 4), axis=1))


@pytest.mark.parametrize("threads", [1, 2])
def test_onnx_states_are_the_same_to_the_bit_in_any_batch(threads) -> None:
    """`OnnxBackend.batches` regroups a page's sentences to pad less: each sentence's
    states must not depend on its batch's rows or padded length."""
    network = OnnxBackend.from_pretrained(DEFAULT_MODEL_DIR, threads)
    tok = RestoreTokenizer.from_dir(DEFAULT_MODEL_DIR, network.config.max_chars)
    words = ["Dang", "bo", "thanh", "pho", "Son", "La", "nghi", "quyet", "d3", "nhi€ém",
             "ty'TNHH", "UBND", "ngày", "20/11/2024", ",", "xa", "hoi", "chu", "nghia"]
    rng = random.Random(7)
    lengths = [1, 2, 5, 9, 17, 17, 30, 45, 71, network.config.max_tokens]
    sequences = [[rng.choice(words) for _ in range(n)] for n in lengths]

    def states_of(batch: list[list[str]]) -> list[np.ndarray]:
        states = network.states(**tok.encode_arrays(batch))
        return [states[i, : len(seq)] for i, seq in enumerate(batch)]

    alone = [states_of([seq])[0] for seq in sequences]
    together = states_of(sequences)
    planned = [s for rows in network.batches(lengths, 4)
               for s in states_of(sequences[rows.start : rows.stop])]
    for want, *got in zip(alone, together, planned):
        for g in got:
            assert np.array_equal(g, want)


def _cost(batches: list[range], lengths: list[int], call_cost: int) -> int:
    return sum(call_cost + len(rows) * lengths[rows[-1]] for rows in batches)


def test_least_padded_batches_cover_in_order_and_cost_least() -> None:
    rng = random.Random(3)
    for _ in range(200):
        lengths = sorted(rng.randint(1, 96) for _ in range(rng.randint(0, 8)))
        max_batch, call_cost = rng.randint(1, 5), rng.choice([0, 4, 16, 64])
        batches = least_padded_batches(lengths, max_batch, call_cost)
        assert [i for rows in batches for i in rows] == list(range(len(lengths)))
        assert all(1 <= len(rows) <= max_batch for rows in batches)
        # every way of cutting the sequences into consecutive batches
        least = min(
            _cost([range(a, b) for a, b in itertools.pairwise((0, *cuts, len(lengths)))],
                  lengths, call_cost)
            for k in range(len(lengths))
            for cuts in itertools.combinations(range(1, len(lengths)), k)
            if all(b - a <= max_batch
                   for a, b in itertools.pairwise((0, *cuts, len(lengths))))
        ) if lengths else 0
        assert _cost(batches, lengths, call_cost) == least


def test_torch_keeps_fixed_batches(both) -> None:
    """Its states differ in the last bits with the batch's shape: its batches stay."""
    assert both[1].batches([1, 2, 3, 40, 50], 2) == [range(2), range(2, 4), range(4, 5)]


def test_both_hand_over_the_same_tables() -> None:
    tables = [b.take_tables() for b in (OnnxBackend.from_pretrained(DEFAULT_MODEL_DIR, 1),
                                        TorchBackend.from_pretrained(DEFAULT_MODEL_DIR, 1))]
    assert sorted(tables[0]) == sorted(tables[1])
    for name, array in tables[0].items():
        assert array.dtype == tables[1][name].dtype, name
        assert np.array_equal(array, tables[1][name]), name


def test_shipped_model_runs_in_onnxruntime_with_the_thread_setting(monkeypatch) -> None:
    network = load_backend(DEFAULT_MODEL_DIR, 2)
    assert network.name == "onnxruntime"
    assert network._states.get_session_options().intra_op_num_threads == 2
    monkeypatch.setenv(BACKEND_ENV, "torch")
    assert load_backend(DEFAULT_MODEL_DIR, 1).name == "torch"


def test_network_threads_come_from_the_environment(monkeypatch) -> None:
    monkeypatch.delenv("VNOCR_NETWORK_THREADS", raising=False)
    monkeypatch.delenv("VNOCR_TORCH_THREADS", raising=False)
    assert network_threads() == 1
    monkeypatch.setenv("VNOCR_TORCH_THREADS", "3")  # the older name still works
    assert network_threads() == 3
    monkeypatch.setenv("VNOCR_NETWORK_THREADS", "2")
    assert network_threads() == 2


def test_correct_never_imports_torch_or_transformers() -> None:
    """`import torch` is a second of `vnocr correct`'s start-up, importing
    transformers.modeling_utils another 2.5 s; `onnx` is the exporter's."""
    code = (
        "import sys\n"
        "from vnocr.api import Pipeline\n"
        "r = Pipeline().correct_text('Dang bo thanh pho Son La')\n"
        "assert r.text == 'Đảng bộ thành phố Sơn La', r.text\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'onnx', 'transformers')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, folder)
    return folder


def test_folder_without_graphs_runs_in_torch(tmp_path) -> None:
    folder = _copy(tmp_path)
    (folder / STATES_GRAPH).unlink()
    assert load_backend(folder, 1).name == "torch"


def test_graphs_of_other_weights_fall_back_to_torch_or_fail_when_asked(
    tmp_path, monkeypatch, caplog,
) -> None:
    folder = _copy(tmp_path)
    manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    manifest["graphs"][STATES_GRAPH]["weights_sha256"] = "0" * 64
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="vnocr.restore.backend"):
        assert load_backend(folder, 1).name == "torch"
    assert "other weights" in caplog.text
    monkeypatch.setenv(BACKEND_ENV, "onnxruntime")
    with pytest.raises(ModelLoadError, match="export_onnx"):
        load_backend(folder, 1)


def test_unknown_backend_is_a_load_error(monkeypatch) -> None:
    monkeypatch.setenv(BACKEND_ENV, "tensorflow")
    with pytest.raises(ModelLoadError, match=BACKEND_ENV):
        load_backend(DEFAULT_MODEL_DIR, 1)
