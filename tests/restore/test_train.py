"""The training loop's pieces: packed corpus, noisy batches, variants, checkpoints, export.

No optimisation step runs here (tests never train); these check that what a GPU run
needs is built right and that its output fits scripts/export_model.py."""

import gzip
import random
import sys
from pathlib import Path

import pytest
import torch

from vnocr.data.corpus import split_of
from vnocr.options import DEFAULT_MODEL_DIR
from vnocr.restore.model import RestoreModel, is_count_table
from vnocr.restore.tokenizer import RestoreTokenizer
from vnocr.restore.train import build_variant
from vnocr.restore.training_data import (
    PACKED_SUFFIX,
    NoisyBatches,
    chunk_words,
    load_lines,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from export_model import with_architecture

CFG = {
    "source_weights": {"a": 1.0},
    "regimes": {"strip": 0.5, "eng": 0.5},
    "batch_lines": 6,
    "negatives": 16,
    "max_tokens": 40,
}


@pytest.fixture(scope="module")
def tok():
    model_dir = Path(DEFAULT_MODEL_DIR)
    return RestoreTokenizer.from_dir(model_dir, RestoreModel.config_class.from_pretrained(
        model_dir).max_chars)


def _paragraph_in(split: str) -> str:
    """A made-up paragraph that the corpus rule puts in `split`."""
    for i in range(10_000):
        para = f"Đoạn văn thử số {i} của huyện Mộc Châu, tỉnh Sơn La"
        if split_of(para) == split:
            return para
    raise AssertionError(split)


def test_chunks_are_cut_and_put_in_the_old_tone_style():
    chunks = chunk_words("hoà " * 9 + "một hai", max_tokens=4)
    assert [len(c) for c in chunks] == [4, 4]  # the 3-word tail is too short to learn from
    assert chunks[0][0] == "hòa"


def test_load_lines_keeps_only_train_paragraphs_of_the_corpus(tmp_path):
    train, dev = _paragraph_in("train"), _paragraph_in("dev")
    with gzip.open(tmp_path / "src.txt.gz", "wt", encoding="utf-8") as f:
        f.write(f"{train}\n{dev}\n")
    data = load_lines(tmp_path, max_paragraphs=100, max_tokens=40)
    assert data == {"src": [train.split()]}


def test_load_lines_reads_a_packed_folder_as_it_is(tmp_path):
    dev = _paragraph_in("dev")  # packed files were filtered when packed: no second test
    with gzip.open(tmp_path / f"src{PACKED_SUFFIX}", "wt", encoding="utf-8") as f:
        f.write(f"{dev}\nmột hai ba bốn\n")
    data = load_lines(tmp_path, max_paragraphs=0, max_tokens=40)
    assert data == {"src": [dev.split(), ["một", "hai", "ba", "bốn"]]}


@pytest.mark.parametrize("full_softmax", [True, False])
def test_noisy_batches_label_every_syllable(tok, full_softmax):
    data = {"a": [chunk_words("Đảng bộ thành phố Sơn La đã đạt được nhiều kết quả", 40)[0]]}
    stream = NoisyBatches({**CFG, "full_softmax": full_softmax}, tok, data, seed=1)
    batch = stream.batch(random.Random(0))
    assert batch["chars"].shape[:2] == batch["labels"].shape == (6, 12)
    expected = [tok.out_id(w) for w in data["a"][0]]
    assert batch["labels"][0].tolist() == expected
    if full_softmax:
        assert "candidates" not in batch
    else:  # a sampled softmax must hold every target
        assert set(expected) <= set(batch["candidates"].tolist())


def test_a_resized_variant_saves_a_network_that_exports_with_the_count_tables(tmp_path):
    spec = {"name": "wide", "init_model": DEFAULT_MODEL_DIR,
            "arch": {"d_model": 64, "n_layers": 1, "n_heads": 2, "d_ff": 128}}
    variant = build_variant(spec, tmp_path / "train", "cpu", lr=1e-3)
    assert variant.model.norm.normalized_shape == (64,)
    variant.step = 7
    variant.save(tmp_path / "export")

    resumed = build_variant(spec, tmp_path / "train", "cpu", lr=1e-3)
    assert resumed.step == 7

    net = torch.load(tmp_path / "export" / "wide.net.pt", weights_only=True)
    assert net["arch"]["d_model"] == 64 and net["step"] == 7
    assert all(v.dtype == torch.float16 for v in net["model"].values() if v.is_floating_point())
    shipped = RestoreModel.from_pretrained(DEFAULT_MODEL_DIR)
    resized = with_architecture(shipped, net["arch"])
    resized.load_state_dict(net["model"], strict=False)
    assert resized.config.d_model == 64
    for key, table in shipped.state_dict().items():
        if is_count_table(key):
            assert torch.equal(resized.state_dict()[key], table), key
    assert with_architecture(shipped, {"d_model": shipped.config.d_model}) is shipped


def test_a_network_continued_from_a_model_exports_with_both_runs_steps(tmp_path):
    from export_model import export

    spec = {"name": "continued", "init_model": DEFAULT_MODEL_DIR}
    variant = build_variant(spec, tmp_path / "train", "cpu", lr=1e-3)
    before = RestoreModel.config_class.from_pretrained(DEFAULT_MODEL_DIR).training_steps
    assert variant.steps_before == before > 0
    variant.step = 5
    variant.save(tmp_path / "export")
    assert build_variant(spec, tmp_path / "train", "cpu", lr=1e-3).steps_before == before

    export(Path(DEFAULT_MODEL_DIR), tmp_path / "export" / "continued.net.pt",
           tmp_path / "model", None)
    exported = RestoreModel.config_class.from_pretrained(tmp_path / "model")
    assert exported.training_steps == before + 5
