"""Training loop of the restorer network (the LM tables are counted, not trained).

Lines come from the corpus's train split, weighted by source; each line is corrupted
token-for-token in one regime (stripped, partially stripped, eng-OCR or vie-OCR noise
sampled from the noise model learned from real Tesseract runs), and the network learns
to predict the clean syllable of every token. Resumable: the loop restarts from the
newest checkpoint in `out_dir`.
"""

from __future__ import annotations

import gzip
import json
import logging
import math
import random
import time
from pathlib import Path

import torch

from pipeline.data.corpus import split_of
from pipeline.data.noise import NoiseModel, corrupt_tokens
from pipeline.errors import VnocrError
from pipeline.restore.model import RestoreModel
from pipeline.restore.tokenizer import RestoreTokenizer
from pipeline.restore.vocab import key_of
from pipeline.text import nfc, normalize_text_tones, tokenize

log = logging.getLogger("vnocr.train")


def load_lines(corpus: Path, max_paragraphs: int, max_tokens: int) -> dict[str, list[list[str]]]:
    """Train-split token sequences per source, chunked to at most `max_tokens` tokens."""
    out: dict[str, list[list[str]]] = {}
    for path in sorted(Path(corpus).glob("*.txt.gz")):
        source = path.name.removesuffix(".txt.gz")
        chunks: list[list[str]] = []
        n = 0
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                para = nfc(line.strip())
                if not para or split_of(para) != "train":
                    continue
                words = normalize_text_tones(para, "old").split()
                for i in range(0, len(words), max_tokens):
                    chunk = words[i : i + max_tokens]
                    if len(chunk) >= 4:
                        chunks.append(chunk)
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


def make_batch(tok: RestoreTokenizer, pairs: list[tuple[list[str], list[str]]]):
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


def train(config_path: Path, *, steps: int | None = None) -> None:
    cfg = json.loads(Path(config_path).read_text())
    out_dir = Path(cfg["out_dir"])
    out_dir.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(cfg["seed"])
    rng = random.Random(cfg["seed"])
    device = "cuda" if torch.cuda.is_available() else "cpu"

    ckpt = out_dir / "checkpoint.pt"
    model = RestoreModel.from_pretrained(cfg["init_model"]).float().to(device)
    tok = RestoreTokenizer.from_dir(Path(cfg["init_model"]), model.config.max_chars)
    opt = torch.optim.AdamW(
        [p for p in model.parameters() if p.requires_grad], lr=cfg["lr"], weight_decay=0.01
    )
    step = 0
    if ckpt.exists():
        state = torch.load(ckpt, map_location=device, weights_only=True)
        model.load_state_dict(state["model"], strict=False)
        opt.load_state_dict(state["opt"])
        step = state["step"]
        rng.seed(cfg["seed"] + step)
        log.info("resumed from step %d", step)

    data = load_lines(Path(cfg["corpus"]), cfg["max_paragraphs_per_source"], cfg["max_tokens"])
    sources = [s for s in data if data[s]]
    weights = [cfg["source_weights"].get(s, 1.0) * math.sqrt(len(data[s])) for s in sources]
    regime_table = available_regimes(cfg["regimes"])
    regimes = list(regime_table)
    regime_w = [regime_table[r] for r in regimes]
    total = steps or cfg["total_steps"]

    def lr_at(s: int) -> float:
        warm = cfg["warmup_steps"]
        if s < warm:
            return cfg["lr"] * (s + 1) / warm
        return cfg["lr"] * max(0.05, 0.5 * (1 + math.cos(math.pi * (s - warm) / max(1, total - warm))))

    model.train()
    t0 = time.time()
    run_loss = 0.0
    while step < total:
        pairs = []
        for _ in range(cfg["batch_lines"]):
            src = rng.choices(sources, weights)[0]
            clean = rng.choice(data[src])
            regime = rng.choices(regimes, regime_w)[0]
            noisy = corrupt(clean, regime, rng)
            pairs.append((clean, noisy))
        batch = make_batch(tok, pairs)
        batch["candidates"] = sample_candidates(tok, batch["labels"], rng, cfg["negatives"])
        batch = {k: v.to(device) for k, v in batch.items()}
        for g in opt.param_groups:
            g["lr"] = lr_at(step)
        loss = model(**batch)["loss"]
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        run_loss = 0.98 * run_loss + 0.02 * loss.item() if step > 1 else loss.item()
        if step % 20 == 0:
            log.info("step %d loss %.3f lr %.2e %.2f steps/s", step, run_loss, lr_at(step),
                     20 / (time.time() - t0))
            t0 = time.time()
        if step % cfg["checkpoint_every"] == 0 or step == total:
            tmp = ckpt.with_suffix(".tmp")
            net = {k: v for k, v in model.state_dict().items()
                   if not k.endswith(("_keys", "_logc")) and k != "out_to_lm"}
            torch.save({"model": net, "opt": opt.state_dict(), "step": step}, tmp)
            tmp.replace(ckpt)
            log.info("checkpoint at step %d", step)
