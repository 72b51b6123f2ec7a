"""Vocabularies of the restorer and the encoding of token sequences into tensors.

Three vocabularies, saved as plain text in the model folder:
- `chars.txt`: input characters (lowercased); 0 = pad, 1 = unknown character.
- `vocab.txt`: output syllables; line 0 is `<copy>` (keep the input token).
- `lm_vocab.txt`: language-model units (syllables, foreign words, `<num>`, `<unk>`, `<s>`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from vnocr.restore.vocab import BOS, UNK, lm_unit
from vnocr.text import case_pattern, key_of, nfc, normalize_tone

if TYPE_CHECKING:
    import torch

CHARS_FILE, VOCAB_FILE, LM_VOCAB_FILE = "chars.txt", "vocab.txt", "lm_vocab.txt"
COPY_TOKEN = "<copy>"


def _read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


@dataclass
class RestoreTokenizer:
    """A model folder's three vocabularies, and the encoding of tokens into model input.

    Maps a token's characters to the network's input ids and features, output ids to
    syllables (id 0 is COPY) and to language-model ids; `from_dir` reads the folder's
    text files, `save` writes them.
    """

    chars: list[str]
    vocab: list[str]  # output syllables, vocab[0] == COPY_TOKEN
    lm_vocab: list[str]
    max_chars: int = 12

    def __post_init__(self) -> None:
        self.char_index = {c: i for i, c in enumerate(self.chars)}
        self.out_index = {s: i for i, s in enumerate(self.vocab)}
        self.lm_index = {u: i for i, u in enumerate(self.lm_vocab)}
        self.lm_unk = self.lm_index[UNK]
        self.lm_bos = self.lm_index[BOS]
        # Candidates of a stripped token: every output syllable with its de-accented key.
        self.by_key: dict[str, list[int]] = {}
        for i, s in enumerate(self.vocab[1:], start=1):
            self.by_key.setdefault(key_of(s), []).append(i)
        self.out_to_lm = np.array(
            [self.lm_index.get(s, self.lm_unk) for s in self.vocab], dtype=np.int64
        )

    # -- persistence ------------------------------------------------------------------
    @classmethod
    def from_dir(cls, path: Path, max_chars: int = 12) -> RestoreTokenizer:
        path = Path(path)
        chars = _read_lines(path / CHARS_FILE)
        chars[0], chars[1] = "", ""  # pad, unknown (stored as placeholders)
        return cls(chars, _read_lines(path / VOCAB_FILE), _read_lines(path / LM_VOCAB_FILE),
                   max_chars)

    def save(self, path: Path) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        chars = ["<pad>", "<unk>"] + self.chars[2:]
        (path / CHARS_FILE).write_text("\n".join(chars), encoding="utf-8")
        (path / VOCAB_FILE).write_text("\n".join(self.vocab), encoding="utf-8")
        (path / LM_VOCAB_FILE).write_text("\n".join(self.lm_vocab), encoding="utf-8")

    # -- encoding ---------------------------------------------------------------------
    def char_ids(self, core: str) -> list[int]:
        s = core.lower()
        if len(s) > self.max_chars:  # keep both ends: endings carry the tone and coda
            half = self.max_chars // 2
            s = s[:half] + s[-(self.max_chars - half):]
        return [self.char_index.get(c, 1) for c in s]

    @staticmethod
    def features(core: str, conf: float | None) -> list[float]:
        pattern = case_pattern(core)
        has_marks = float(key_of(core) != core.lower())
        return [
            1.0 if conf is None else float(conf),
            has_marks,
            float(pattern == "title"),
            float(pattern == "upper"),
        ]

    def lm_id(self, core: str) -> int:
        return self.lm_index.get(lm_unit(core), self.lm_unk)

    def is_syllable(self, core: str) -> bool:
        """The core, as written (any case, either tone style), is an output syllable."""
        return normalize_tone(core.lower()) in self.out_index

    def out_id(self, word: str) -> int:
        """Output id of a clean word, COPY when it is not a vocabulary syllable."""
        return self.out_index.get(normalize_tone(nfc(word).lower(), "old"), 0)

    def encode(
        self, cores: list[list[str]], confs: list[list[float | None]] | None = None
    ) -> dict[str, torch.Tensor]:
        """`encode_arrays` as torch tensors (training)."""
        import torch  # here: inference encodes without torch

        return {k: torch.from_numpy(v) for k, v in self.encode_arrays(cores, confs).items()}

    def encode_arrays(
        self, cores: list[list[str]], confs: list[list[float | None]] | None = None
    ) -> dict[str, np.ndarray]:
        """Batch of token-core sequences → chars (B,T,C), features (B,T,4), token_mask (B,T).

        Text repeats its words: each distinct (core, confidence) is spelled out once and
        its row copied (a third of the time on a page of stripped text)."""
        b = len(cores)
        t = max(1, max((len(x) for x in cores), default=1))
        rows: dict[tuple[str, float | None], int] = {}
        where = np.zeros((b, t), dtype=np.int64)  # row 0: padding, all zeros
        mask = np.zeros((b, t), dtype=bool)
        for i, seq in enumerate(cores):
            seq_confs = confs[i] if confs is not None else None
            for j, core in enumerate(seq):
                key = (core, seq_confs[j] if seq_confs is not None else None)
                where[i, j] = rows.setdefault(key, len(rows) + 1)
            mask[i, : len(seq)] = True
        # Filled in numpy: per-element tensor writes cost more than the network's forward
        # pass.
        chars = np.zeros((len(rows) + 1, self.max_chars), dtype=np.int64)
        feats = np.zeros((len(rows) + 1, 4), dtype=np.float32)
        for (core, conf), row in rows.items():
            ids = self.char_ids(core)
            chars[row, : len(ids)] = ids
            feats[row] = self.features(core, conf)
        return {"chars": chars[where], "features": feats[where], "token_mask": mask}
