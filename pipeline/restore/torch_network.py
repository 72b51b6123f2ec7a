"""The restoration network in plain torch: layers, forward pass, and a loader that reads
a model folder (config.json + model.safetensors) without importing transformers.

Why two classes: `vnocr.restore.model.RestoreModel` is the `transformers`
`PreTrainedModel` that training, `save_pretrained` and the export scripts use; importing
`transformers.modeling_utils` costs about 2.5 s on this CPU (it pulls torch.distributed,
dynamo and more), over half of `vnocr correct` on a page. Both classes share
`RestoreArchitecture`, so their parameters have the same names and the same folder loads
into either (tests/restore/test_network.py checks they give the same scores). Inference
runs this class only where ONNX Runtime cannot (see `vnocr.restore.backend`).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import torch
from safetensors.torch import load_file
from torch import nn

from vnocr.restore.network import WEIGHTS_FILE, read_config


class CharTokenEncoder(nn.Module):
    """Characters of one token → one vector: embedding (+ position), convolution, max-pool.

    Small on purpose: this runs on a 2-core CPU, in training too."""

    def __init__(self, cfg: Any) -> None:
        super().__init__()
        self.embed = nn.Embedding(cfg.char_vocab_size, cfg.char_dim, padding_idx=0)
        self.char_pos = nn.Embedding(cfg.max_chars, cfg.char_dim)
        self.conv = nn.Conv1d(cfg.char_dim, cfg.d_model, kernel_size=3, padding=1)
        self.act = nn.GELU()

    def forward(self, chars: torch.Tensor) -> torch.Tensor:
        """(batch, tokens, chars) char ids → (batch, tokens, d_model).

        Text repeats its words (a batch of stripped text holds about one distinct token
        in three, padding included): each distinct token is encoded once and copied.
        Every token is encoded on its own, so the values are the same to the bit
        (checked on the dev sets); the encoder's time halved."""
        b, t, c = chars.shape
        rows, where = torch.unique(chars.view(b * t, c), dim=0, return_inverse=True)
        return self._encode_rows(rows)[where].view(b, t, -1)

    def _encode_rows(self, chars: torch.Tensor) -> torch.Tensor:
        """(tokens, chars) → (tokens, d_model)."""
        pos = torch.arange(chars.shape[1], device=chars.device)
        x = (self.embed(chars) + self.char_pos(pos)[None]).transpose(1, 2)
        x = self.act(self.conv(x))
        mask = (chars == 0)[:, None, :]
        return x.masked_fill(mask, -1e4).amax(dim=2)


class RestoreArchitecture:
    """Layers and forward pass of the restorer, mixed into an `nn.Module` subclass
    (`RestoreNetwork` here, `RestoreModel` for transformers) that sets `self.config`."""

    config: Any

    def _add_layers(self, cfg: Any) -> None:
        d = cfg.d_model
        self.chars = CharTokenEncoder(cfg)
        self.features = nn.Linear(4, d)  # OCR confidence, has-marks, is-title, is-upper
        self.position = nn.Embedding(cfg.max_tokens, d)
        layer = nn.TransformerEncoderLayer(
            d, cfg.n_heads, cfg.d_ff, cfg.dropout, activation="gelu",
            batch_first=True, norm_first=True,
        )
        self.encoder = nn.TransformerEncoder(layer, cfg.n_layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d)
        # Output syllable embeddings, scored by dot product with the token state.
        self.out_embed = nn.Embedding(cfg.out_vocab_size, d)
        self.out_bias = nn.Parameter(torch.zeros(cfg.out_vocab_size))
        # Decoding tables (filled by the builder, saved in model.safetensors).
        self.register_buffer("out_to_lm", torch.zeros(cfg.out_vocab_size, dtype=torch.int32))
        self.register_buffer("unigram_logc", torch.zeros(cfg.lm_vocab_size, dtype=torch.float16))
        self.register_buffer("bigram_keys", torch.zeros(cfg.n_bigrams, dtype=torch.int32))
        self.register_buffer("bigram_logc", torch.zeros(cfg.n_bigrams, dtype=torch.float16))
        self.register_buffer("trigram_keys", torch.zeros(cfg.n_trigrams, dtype=torch.int32))
        self.register_buffer("trigram_logc", torch.zeros(cfg.n_trigrams, dtype=torch.float16))
        # Share of each output syllable's mid-sentence corpus occurrences that are
        # capitalised (see cfg.case_counts).
        self.register_buffer("title_share", torch.full((cfg.out_vocab_size,), 0.5,
                                                       dtype=torch.float16))

    def encode(
        self, chars: torch.Tensor, features: torch.Tensor, token_mask: torch.Tensor
    ) -> torch.Tensor:
        """Each token's state (batch, tokens, d_model); a syllable's score is its dot
        product with the syllable's output embedding plus bias."""
        t = chars.shape[1]
        pos = torch.arange(t, device=chars.device).clamp(max=self.config.max_tokens - 1)
        x = self.chars(chars) + self.features(features) + self.position(pos)[None]
        x = self.encoder(x, src_key_padding_mask=~token_mask)
        return self.norm(x)

    def forward(
        self,
        chars: torch.Tensor,  # (batch, tokens, max_chars) char ids, 0 = pad
        features: torch.Tensor,  # (batch, tokens, 4)
        token_mask: torch.Tensor,  # (batch, tokens) True where a token is present
        labels: torch.Tensor | None = None,  # (batch, tokens) out ids, -100 ignored
        candidates: torch.Tensor | None = None,  # (K,) out ids scored in training
    ) -> dict[str, torch.Tensor]:
        """Logits over all output syllables, or, in training with `candidates`, over that
        shared subset only (a sampled softmax: the hard negatives are the targets'
        same-key syllables, so marks are what the loss teaches)."""
        b, t, _ = chars.shape
        h = self.encode(chars, features, token_mask)
        if candidates is None:
            logits = h @ self.out_embed.weight.T + self.out_bias
            out = {"logits": logits, "hidden": h}
            if labels is not None:
                out["loss"] = nn.functional.cross_entropy(
                    logits.reshape(b * t, -1).float(), labels.view(-1), ignore_index=-100
                )
            return out
        logits = h @ self.out_embed(candidates).T + self.out_bias[candidates]
        out = {"logits": logits}
        if labels is not None:
            # Map label ids to positions in `candidates` (every label is in it).
            lookup = torch.full((self.config.out_vocab_size,), -100, dtype=torch.long,
                                device=chars.device)
            lookup[candidates] = torch.arange(len(candidates), device=chars.device)
            target = torch.where(labels >= 0, lookup[labels.clamp(min=0)], labels)
            out["loss"] = nn.functional.cross_entropy(
                logits.reshape(b * t, -1).float(), target.view(-1), ignore_index=-100
            )
        return out


class RestoreNetwork(RestoreArchitecture, nn.Module):
    """The network for inference: built from a model folder with torch and safetensors."""

    def __init__(self, config: SimpleNamespace) -> None:
        nn.Module.__init__(self)
        self.config = config
        self._add_layers(config)

    @classmethod
    def from_pretrained(cls, model_dir: str | Path) -> RestoreNetwork:
        """The folder `RestoreModel.save_pretrained` wrote; raises OSError, ValueError
        (bad config) or RuntimeError (weights that do not fit)."""
        model_dir = Path(model_dir)
        config = read_config(model_dir)
        # Built on the CPU, random init and all (milliseconds): building on the meta
        # device would import torch._dynamo, a second's start-up.
        network = cls(config)
        network.load_state_dict(load_file(model_dir / WEIGHTS_FILE), strict=True)
        return network.eval()
