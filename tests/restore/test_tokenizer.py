"""Token sequences become the network's tensors, each token's row its own."""

from __future__ import annotations

import torch

from vnocr.options import DEFAULT_MODEL_DIR
from vnocr.restore.tokenizer import RestoreTokenizer


def test_each_token_gets_its_own_chars_and_features_however_often_it_repeats():
    tok = RestoreTokenizer.from_dir(DEFAULT_MODEL_DIR)
    cores = [["Nhà", "nước", "nhà", "Nhà"], ["nước", "UBND"]]
    confs = [[0.9, 0.5, None, 0.9], None]
    enc = tok.encode(cores, confs)
    assert enc["chars"].shape == (2, 4, tok.max_chars)
    assert enc["token_mask"].tolist() == [[True] * 4, [True, True, False, False]]
    for i, seq in enumerate(cores):
        for j, core in enumerate(seq):
            ids = tok.char_ids(core)
            assert enc["chars"][i, j, : len(ids)].tolist() == ids
            assert not enc["chars"][i, j, len(ids):].any()
            conf = confs[i][j] if confs[i] is not None else None
            want = torch.tensor(tok.features(core, conf), dtype=torch.float32)
            assert torch.equal(enc["features"][i, j], want)
    assert not enc["chars"][1, 2:].any() and not enc["features"][1, 2:].any()  # padding
    assert enc["chars"].dtype == torch.int64 and enc["features"].dtype == torch.float32
