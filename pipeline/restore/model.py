"""The restoration model as a `transformers.PreTrainedModel`: what training,
`save_pretrained` and the export scripts use.

The network reads each token's characters (so unseen OCR debris still maps somewhere),
contextualises tokens with a transformer encoder and predicts, per token, a syllable of
the output vocabulary or COPY. The trigram counts live in the same safetensors file as
buffers: counts are what a CPU can afford, so decoding fuses
both. Layers and forward pass live in `vnocr.restore.torch_network`, which loads the
same folder without importing transformers (and exports it to ONNX).
"""

from __future__ import annotations

from typing import Any

from torch import nn
from transformers import PretrainedConfig, PreTrainedModel

from vnocr.restore.network import COPY, NETWORK_DEFAULTS, is_count_table, network_settings
from vnocr.restore.torch_network import RestoreArchitecture

__all__ = ["COPY", "RestoreConfig", "RestoreModel", "is_count_table"]


class RestoreConfig(PretrainedConfig):
    """The network's settings (`NETWORK_DEFAULTS` lists them) plus transformers' own."""

    model_type = "vnocr-restore"

    def __init__(self, **kwargs: Any) -> None:
        given = {k: kwargs.pop(k) for k in NETWORK_DEFAULTS if k in kwargs}
        for key, value in network_settings(given).items():
            setattr(self, key, value)
        super().__init__(**kwargs)


class RestoreModel(RestoreArchitecture, PreTrainedModel):
    """The restoration network as a transformers model, for training and saving a model folder.

    Training, `save_pretrained` and the export scripts use it; inference loads the same
    folder as `torch_network.RestoreNetwork` or in ONNX Runtime, without transformers.
    """

    config_class = RestoreConfig
    base_model_prefix = "restore"
    main_input_name = "chars"

    def __init__(self, config: RestoreConfig) -> None:
        PreTrainedModel.__init__(self, config)
        self._add_layers(config)
        self.post_init()

    def _init_weights(self, module: nn.Module) -> None:
        """Fresh networks only (build_model.py, `arch` variants): N(0, 0.02) weights."""
        if isinstance(module, (nn.Linear, nn.Conv1d)):
            nn.init.normal_(module.weight, std=0.02)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            nn.init.normal_(module.weight, std=0.02)
        elif isinstance(module, nn.LayerNorm):
            nn.init.ones_(module.weight)
            nn.init.zeros_(module.bias)

