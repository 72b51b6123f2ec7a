"""Noisy training pairs for the restorer network, from the corpus or a packed copy of it.

Lines come from the corpus's train split, weighted by source; each line is corrupted
token-for-token in one regime (stripped, partially stripped, eng-OCR or vie-OCR noise
sampled from the noise model learned from real Tesseract runs) and encoded with the
network's labels: the clean syllable of every token. `NoisyBatches` streams them to
DataLoader workers (making batches is the cost of training on a GPU).
"""

from __future__ import annotations

import gzip
import logging
import math
import random
from pathlib import Path

import torch

from vnocr.data.corpus import split_of
from vnocr.data.noise import NoiseModel, corrupt_tokens
from vnocr.errors import VnocrError
from vnocr.restore.tokenizer import RestoreTokenizer
from vnocr.text import key_of, nfc, normalize_text_tones, tokenize

log = logging.getLogger("vnocr.train")

# scripts/pack_corpus.py writes these: one chunk a line, already normalised and split
PACKED_SUFFIX = ".chunks.txt.gz"


def chunk_words(paragraph: str, max_tokens: int) -> list[list[str]]:
    """A paragraph in the old tone style, cut into chunks of 4..max_tokens words."""
    words = normalize_text_tones(paragraph, "old").split()
    chunks = [words[i : i + max_tokens] for i in range(0, len(words), max_tokens)]
    return [c for c in chunks if len(c) >= 4]


def load_lines(corpus: Path, max_paragraphs: int, max_tokens: int) -> dict[str, list[list[str]]]:
    """Train-split token sequences per source, chunked to at most `max_tokens` tokens.

    `corpus` is the corpus folder (`*.txt.gz`, one paragraph a line) or a folder packed by
    scripts/pack_corpus.py (`*.chunks.txt.gz`, read as they are)."""
    out: dict[str, list[list[str]]] = {}
    packed = sorted(Path(corpus).glob(f"*{PACKED_SUFFIX}"))
    for path in packed or sorted(Path(corpus).glob("*.txt.gz")):
        source = path.name.removesuffix(PACKED_SUFFIX).removesuffix(".txt.gz")
        chunks: list[list[str]] = []
        n = 0
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                if packed:
                    chunks.append(line.split())
                    continue
                para = nfc(line.strip())
                if not para or split_of(para) != "train":
                    continue
                chunks.extend(chunk_words(para, max_tokens))
                n += 1
                if n >= max_paragraphs:
                    break
        out[source] = chunks
        log.info("%s: %d chunks", source, len(chunks))
    return out


def corrupt(words: list[str], regime: str, rng: random.Random) -> list[str]:
    """One noisy token per clean token (the network is token-aligned)."""
    if regime == "clean":
        return list(words)
    return corrupt_tokens(words, regime, rng)


def available_regimes(wanted: dict[str, float]) -> dict[str, float]:
    """Drop OCR regimes whose noise tables are not built yet (logged, not silent)."""
    out = {}
    for regime, w in wanted.items():
        if regime in ("eng", "vie"):
            try:
                NoiseModel.load(regime)
            except (OSError, ValueError, VnocrError) as e:  # tables missing or unreadable
                log.warning("noise regime %s unavailable (%s); training without it", regime, e)
                continue
        out[regime] = w
    return out


def make_batch(
    tok: RestoreTokenizer, pairs: list[tuple[list[str], list[str]]]
) -> dict[str, torch.Tensor]:
    """The network's inputs for (clean, noisy) token pairs, with the clean tokens' output
    ids as `labels` (-100, not scored: punctuation, and foreign words noise changed)."""
    cores_noisy, labels = [], []
    for clean, noisy in pairs:
        cn, lab = [], []
        for c, n in zip(clean, noisy):
            tc = tokenize(c)
            tn = tokenize(n)
            core_c = tc[0].core if tc else ""
            core_n = tn[0].core if tn else ""
            cn.append(core_n)
            if not core_c:
                lab.append(-100)
                continue
            oid = tok.out_id(core_c)
            if oid == 0 and core_n.lower() != core_c.lower():
                lab.append(-100)  # a foreign word that noise changed: nothing to learn
            else:
                lab.append(oid)
        cores_noisy.append(cn)
        labels.append(lab)
    enc = tok.encode(cores_noisy)
    t = enc["chars"].shape[1]
    lab_t = torch.full((len(pairs), t), -100, dtype=torch.long)
    for i, lab in enumerate(labels):
        lab_t[i, : len(lab)] = torch.tensor(lab, dtype=torch.long)
    enc["labels"] = lab_t
    return enc


def sample_candidates(
    tok: RestoreTokenizer, labels: torch.Tensor, rng: random.Random, negatives: int
) -> torch.Tensor:
    """Output ids scored this step: targets, every syllable sharing a target's key, COPY,
    and random negatives."""
    ids = {0}
    for i in set(labels[labels > 0].tolist()):
        ids.update(tok.by_key.get(key_of(tok.vocab[i]), (i,)))
    ids.update(rng.randrange(1, len(tok.vocab)) for _ in range(negatives))
    return torch.tensor(sorted(ids), dtype=torch.long)


class NoisyBatches(torch.utils.data.IterableDataset):
    """An endless stream of noisy training batches; every DataLoader worker draws with a
    seed of its own (`seed`, the worker id and the step it resumes from)."""

    def __init__(self, cfg: dict, tok: RestoreTokenizer, data: dict[str, list[list[str]]],
                 seed: int) -> None:
        self.cfg, self.tok, self.data, self.seed = cfg, tok, data, seed
        self.sources = [s for s in data if data[s]]
        self.weights = [cfg["source_weights"].get(s, 1.0) * math.sqrt(len(data[s]))
                        for s in self.sources]
        table = available_regimes(cfg["regimes"])
        self.regimes, self.regime_w = list(table), list(table.values())

    def batch(self, rng: random.Random) -> dict[str, torch.Tensor]:
        pairs = []
        for _ in range(self.cfg["batch_lines"]):
            src = rng.choices(self.sources, self.weights)[0]
            clean = rng.choice(self.data[src])
            regime = rng.choices(self.regimes, self.regime_w)[0]
            pairs.append((clean, corrupt(clean, regime, rng)))
        out = make_batch(self.tok, pairs)
        if not self.cfg.get("full_softmax"):
            out["candidates"] = sample_candidates(self.tok, out["labels"], rng,
                                                  self.cfg["negatives"])
        return out

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        rng = random.Random(self.seed * 1009 + (info.id if info else 0))
        while True:
            yield self.batch(rng)
