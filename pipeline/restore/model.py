"""The restoration model: a character-aware token transformer plus a trigram LM.

`RestoreModel` is a `transformers.PreTrainedModel`: `from_pretrained(models/restore-v1)`
loads config.json and model.safetensors, nothing else. The network reads each token's
characters (so unseen OCR debris still maps somewhere), contextualises tokens with a
transformer encoder and predicts, per token, a syllable of the output vocabulary or
COPY. The trigram counts live in the same safetensors file as buffers: DESIGN §3
measured that counts are what a CPU can afford, so decoding fuses both.
"""

from __future__ import annotations

import torch
from torch import nn
from transformers import PretrainedConfig, PreTrainedModel

COPY = 0  # output id 0: keep the input token as it is


def is_count_table(key: str) -> bool:
    """State-dict keys of buffers built from corpus counts (scripts/build_model.py), which
    training never changes: a checkpoint's copies of them are not the network."""
    return key.endswith(("_keys", "_logc")) or key in ("out_to_lm", "title_share")


class RestoreConfig(PretrainedConfig):
    model_type = "vnocr-restore"

    def __init__(
        self,
        char_vocab_size: int = 256,
        out_vocab_size: int = 8000,
        lm_vocab_size: int = 60000,
        max_chars: int = 12,
        max_tokens: int = 96,
        char_dim: int = 32,
        d_model: int = 128,
        n_layers: int = 2,
        n_heads: int = 4,
        d_ff: int = 512,
        dropout: float = 0.1,
        n_bigrams: int = 0,
        n_trigrams: int = 0,
        case_counts: bool = False,
        decode_weights: dict | None = None,
        **kwargs,
    ) -> None:
        if d_model % n_heads:
            raise ValueError(f"d_model {d_model} is not divisible by n_heads {n_heads}")
        if max_chars < 4:
            raise ValueError("max_chars must be at least 4")
        self.char_vocab_size = char_vocab_size
        self.out_vocab_size = out_vocab_size
        self.lm_vocab_size = lm_vocab_size
        self.max_chars = max_chars
        self.max_tokens = max_tokens
        self.char_dim = char_dim
        self.d_model = d_model
        self.n_layers = n_layers
        self.n_heads = n_heads
        self.d_ff = d_ff
        self.dropout = dropout
        self.n_bigrams = n_bigrams
        self.n_trigrams = n_trigrams
        # whether `title_share` holds corpus counts (models built before it do not)
        self.case_counts = case_counts
        # Log-linear weights of network, language model and channel in decoding.
        self.decode_weights = decode_weights or {"net": 1.0, "lm": 1.0, "channel": 1.0}
        super().__init__(**kwargs)


class CharTokenEncoder(nn.Module):
    """Characters of one token → one vector: embedding (+ position), convolution, max-pool.

    Small on purpose: this runs on a 2-core CPU, in training too (DESIGN §3)."""

    def __init__(self, cfg: RestoreConfig) -> None:
        super().__init__()
        self.embed = nn.Embedding(cfg.char_vocab_size, cfg.char_dim, padding_idx=0)
        self.char_pos = nn.Embedding(cfg.max_chars, cfg.char_dim)
        self.conv = nn.Conv1d(cfg.char_dim, cfg.d_model, kernel_size=3, padding=1)
        self.act = nn.GELU()

    def forward(self, chars: torch.Tensor) -> torch.Tensor:
        b, t, c = chars.shape
        pos = torch.arange(c, device=chars.device)
        x = (self.embed(chars.view(b * t, c)) + self.char_pos(pos)[None]).transpose(1, 2)
        x = self.act(self.conv(x))
        mask = chars.view(b * t, 1, c) == 0
        x = x.masked_fill(mask, -1e4).amax(dim=2)
        return x.view(b, t, -1)


class RestoreModel(PreTrainedModel):
    config_class = RestoreConfig
    base_model_prefix = "restore"
    main_input_name = "chars"

    def __init__(self, config: RestoreConfig) -> None:
        super().__init__(config)
        d = config.d_model
        self.chars = CharTokenEncoder(config)
        self.features = nn.Linear(4, d)  # OCR confidence, has-marks, is-title, is-upper
        self.position = nn.Embedding(config.max_tokens, d)
        layer = nn.TransformerEncoderLayer(
            d, config.n_heads, config.d_ff, config.dropout, activation="gelu",
            batch_first=True, norm_first=True,
        )
        self.encoder = nn.TransformerEncoder(layer, config.n_layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d)
        # Output syllable embeddings, scored by dot product with the token state.
        self.out_embed = nn.Embedding(config.out_vocab_size, d)
        self.out_bias = nn.Parameter(torch.zeros(config.out_vocab_size))
        # Decoding tables (filled by the builder, saved in model.safetensors).
        self.register_buffer("out_to_lm", torch.zeros(config.out_vocab_size, dtype=torch.int32))
        self.register_buffer("unigram_logc", torch.zeros(config.lm_vocab_size, dtype=torch.float16))
        self.register_buffer("bigram_keys", torch.zeros(config.n_bigrams, dtype=torch.int32))
        self.register_buffer("bigram_logc", torch.zeros(config.n_bigrams, dtype=torch.float16))
        self.register_buffer("trigram_keys", torch.zeros(config.n_trigrams, dtype=torch.int32))
        self.register_buffer("trigram_logc", torch.zeros(config.n_trigrams, dtype=torch.float16))
        # Share of each output syllable's mid-sentence corpus occurrences that are
        # capitalised (see config.case_counts).
        self.register_buffer("title_share", torch.full((config.out_vocab_size,), 0.5,
                                                       dtype=torch.float16))
        self.post_init()

    def _init_weights(self, module: nn.Module) -> None:
        if isinstance(module, (nn.Linear, nn.Conv1d)):
            nn.init.normal_(module.weight, std=0.02)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            nn.init.normal_(module.weight, std=0.02)
        elif isinstance(module, nn.LayerNorm):
            nn.init.ones_(module.weight)
            nn.init.zeros_(module.bias)

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
