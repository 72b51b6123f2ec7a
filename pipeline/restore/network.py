"""What a model folder says about its network, read without torch: the folder's file
names, the settings in config.json with their defaults and checks, and the output id COPY.

Torch-free on purpose: decoding (candidates, streams, casing, assembly) and the ONNX
Runtime backend read these, and `import torch` costs about a second of `vnocr correct`.
The layers themselves are in `vnocr.restore.torch_network`.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

COPY = 0  # output id 0: keep the input token as it is
WEIGHTS_FILE = "model.safetensors"
CONFIG_FILE = "config.json"

# The network's settings and their defaults (config.json holds them all, plus the keys
# transformers adds: architectures, dtype, ...).
NETWORK_DEFAULTS: dict[str, Any] = {
    "char_vocab_size": 256,
    "out_vocab_size": 8000,
    "lm_vocab_size": 60000,
    "max_chars": 12,
    "max_tokens": 96,
    "char_dim": 32,
    "d_model": 128,
    "n_layers": 2,
    "n_heads": 4,
    "d_ff": 512,
    "dropout": 0.1,
    "n_bigrams": 0,
    "n_trigrams": 0,
    # whether `title_share` holds corpus counts (models built before it do not)
    "case_counts": False,
    # log-linear weights of network, language model and channel in decoding
    "decode_weights": None,
}
# The decoding tables in model.safetensors, next to the network's weights.
COUNT_TABLES = ("unigram_logc", "bigram_keys", "bigram_logc", "trigram_keys", "trigram_logc")


def network_settings(values: dict[str, Any]) -> dict[str, Any]:
    """`values` completed with the defaults and checked; raises ValueError."""
    settings = {k: values.get(k, d) for k, d in NETWORK_DEFAULTS.items()}
    if settings["d_model"] % settings["n_heads"]:
        raise ValueError(f"d_model {settings['d_model']} is not divisible by n_heads "
                         f"{settings['n_heads']}")
    if settings["max_chars"] < 4:
        raise ValueError("max_chars must be at least 4")
    settings["decode_weights"] = settings["decode_weights"] or {
        "net": 1.0, "lm": 1.0, "channel": 1.0}
    return settings


def read_config(model_dir: str | Path) -> SimpleNamespace:
    """The folder's config.json, completed and checked (`network_settings`); raises
    OSError or ValueError."""
    with open(Path(model_dir) / CONFIG_FILE, encoding="utf-8") as f:
        raw = json.load(f)
    if not isinstance(raw, dict):
        # a malformed file, not a caller's type error
        raise ValueError(f"{CONFIG_FILE} is not a JSON object")  # noqa: TRY004
    return SimpleNamespace(**{**raw, **network_settings(raw)})


def is_count_table(key: str) -> bool:
    """State-dict keys of buffers built from corpus counts (scripts/build_model.py), which
    training never changes: a checkpoint's copies of them are not the network."""
    return key.endswith(("_keys", "_logc")) or key in ("out_to_lm", "title_share")
