"""The inference network loads the shipped folder without transformers and scores exactly
as the transformers class that trained and saved it."""

import json
import shutil

import pytest
import torch

from vnocr.errors import ModelLoadError
from vnocr.options import DEFAULT_MODEL_DIR
from vnocr.restore.model import RestoreConfig, RestoreModel
from vnocr.restore.network import network_settings
from vnocr.restore.restorer import Restorer
from vnocr.restore.torch_network import RestoreNetwork


def test_same_tensors_and_scores_as_the_transformers_class():
    plain = RestoreNetwork.from_pretrained(DEFAULT_MODEL_DIR).float()
    hf = RestoreModel.from_pretrained(DEFAULT_MODEL_DIR).float().eval()
    a, b = plain.state_dict(), hf.state_dict()
    assert sorted(a) == sorted(b)
    assert all(torch.equal(a[k], b[k]) for k in a)
    gen = torch.Generator().manual_seed(0)
    chars = torch.randint(1, plain.config.char_vocab_size, (2, 7, plain.config.max_chars),
                          generator=gen)
    features = torch.rand(2, 7, 4, generator=gen)
    mask = torch.ones(2, 7, dtype=torch.bool)
    mask[1, 5:] = False
    with torch.no_grad():
        assert torch.equal(plain(chars, features, mask)["logits"],
                           hf(chars, features, mask)["logits"])
    assert plain.config.decode_weights == hf.config.decode_weights


def test_config_defaults_and_checks_are_shared():
    assert network_settings({})["d_model"] == RestoreConfig().d_model
    with pytest.raises(ValueError, match="divisible"):
        RestoreConfig(d_model=130, n_heads=4)
    with pytest.raises(ValueError, match="divisible"):
        network_settings({"d_model": 130, "n_heads": 4})


@pytest.mark.parametrize("damage", ["weights", "config", "shape"])
def test_broken_folder_is_a_load_error(tmp_path, damage):
    folder = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, folder)
    if damage == "weights":
        (folder / "model.safetensors").write_bytes(b"not safetensors")
    elif damage == "config":
        (folder / "config.json").write_text("{", encoding="utf-8")
    else:
        cfg = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        cfg["d_model"] = 64
        (folder / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
    with pytest.raises(ModelLoadError, match="cannot load the model"):
        Restorer.from_pretrained(folder)


def test_a_repeated_token_is_encoded_as_it_is_alone():
    """The char encoder encodes each distinct token of a batch once: the values are
    those of every token encoded on its own."""
    net = RestoreNetwork.from_pretrained(DEFAULT_MODEL_DIR).float()
    gen = torch.Generator().manual_seed(1)
    words = torch.randint(0, net.config.char_vocab_size, (5, net.config.max_chars),
                          generator=gen)
    words[0] = 0  # padding
    chars = words[torch.randint(0, 5, (3, 8), generator=gen)]
    with torch.no_grad():
        each = net.chars._encode_rows(chars.view(24, -1)).view(3, 8, -1)
        assert torch.equal(net.chars(chars), each)
