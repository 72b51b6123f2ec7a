"""Assemble a restorer model folder from n-gram counts: vocabularies, LM tables and a
freshly initialised network; or, with --from-model, new LM tables around an existing
model's trained network (its characters, output syllables, config and tensors kept).

    python scripts/build_model.py --ngrams runs/ngrams.npz --out runs/restore-init
    python scripts/build_model.py --ngrams runs/ngrams.npz --from-model models/restore-v1 \
        --out runs/candidate
"""

from __future__ import annotations

import argparse
import json
import string
from pathlib import Path

import numpy as np
import torch

from vnocr.restore.model import RestoreConfig, RestoreModel, is_count_table
from vnocr.restore.ngram import BITS as BITS_OK
from vnocr.restore.ngram import NgramTable, pack2, pack3
from vnocr.restore.tokenizer import COPY_TOKEN, RestoreTokenizer
from vnocr.restore.vocab import SPECIALS
from vnocr.text import is_vietnamese_syllable

EXTRA_CHARS = "€¢£§©®°±µ¶·×÷‘’“”–—…«»¬¦|@#&*+=<>[]{}~^_\\"


def title_share(out_vocab: list[str], vocab: list[str], mid: np.ndarray, title: np.ndarray,
                min_count: int) -> np.ndarray:
    """Capitalised share of each output syllable's mid-sentence occurrences; 0.5 (no
    evidence) where it was seen fewer than `min_count` times there."""
    index = {u: i for i, u in enumerate(vocab)}
    share = np.full(len(out_vocab), 0.5)
    for k, syl in enumerate(out_vocab):
        i = index.get(syl)
        if i is not None and mid[i] >= min_count:
            share[k] = title[i] / mid[i]
    return share


def new_tokenizer(lm_vocab: list[str], lm_uni: np.ndarray, out_min: int,
                  max_chars: int) -> RestoreTokenizer:
    """A fresh network's vocabularies: every Vietnamese syllable seen `out_min` times is
    an output, and every character of them (plus ASCII) an input character."""
    syllables = [
        lm_vocab[i] for i in range(len(lm_vocab))
        if lm_vocab[i] not in SPECIALS and lm_uni[i] >= out_min
        and is_vietnamese_syllable(lm_vocab[i])
    ]
    chars = sorted({c for s in syllables for c in s} | set(string.ascii_lowercase)
                   | set(string.digits) | set(string.punctuation) | set(EXTRA_CHARS))
    return RestoreTokenizer(["", ""] + chars, [COPY_TOKEN] + syllables, lm_vocab,
                            max_chars=max_chars)


def build(args: argparse.Namespace) -> Path:
    d = np.load(args.ngrams, allow_pickle=True)
    vocab = [str(v) for v in d["vocab"]]
    uni = d["unigram"].astype(np.int64)
    # LM vocabulary: units seen at least lm_min times (ids are re-mapped densely).
    keep = [i for i, u in enumerate(vocab) if uni[i] >= args.lm_min or u in SPECIALS]
    remap = np.full(len(vocab), -1, dtype=np.int64)
    remap[keep] = np.arange(len(keep))
    unk = int(remap[vocab.index("<unk>")])
    remap[remap < 0] = unk
    lm_vocab = [vocab[i] for i in keep]
    lm_uni = np.bincount(remap, weights=uni, minlength=len(lm_vocab))

    def remapped(keys: np.ndarray, counts: np.ndarray, n: int, min_count: int):
        sel = counts >= min_count
        keys, counts = keys[sel], counts[sel]
        mask = (1 << BITS_OK) - 1
        parts = [(keys >> (BITS_OK * (n - 1 - k))) & mask for k in range(n)]
        parts = [remap[p] for p in parts]
        packed = pack2(*parts) if n == 2 else pack3(*parts)
        return packed, counts

    b_packed, b_counts = remapped(d["bigram_keys"], d["bigram_counts"], 2, args.bigram_min)
    t_packed, t_counts = remapped(d["trigram_keys"], d["trigram_counts"], 3, args.trigram_min)
    bigrams = NgramTable.build(b_packed, b_counts, salt=2)
    trigrams = NgramTable.build(t_packed, t_counts, salt=3)

    if args.from_model:
        # The network's input characters, output syllables and settings (decoder weights
        # included) are its shape and its training: keep them, so that only the language
        # model (lm vocabulary, count tables, out_to_lm, title_share) changes.
        old_tok = RestoreTokenizer.from_dir(Path(args.from_model))
        cfg = RestoreConfig.from_pretrained(args.from_model)
        tok = RestoreTokenizer(old_tok.chars, old_tok.vocab, lm_vocab, max_chars=cfg.max_chars)
        cfg.lm_vocab_size, cfg.case_counts = len(lm_vocab), "mid_sentence" in d
        cfg.n_bigrams, cfg.n_trigrams = len(bigrams.keys), len(trigrams.keys)
    else:
        tok = new_tokenizer(lm_vocab, lm_uni, args.out_min, args.max_chars)
        cfg = RestoreConfig(
            char_vocab_size=len(tok.chars), out_vocab_size=len(tok.vocab),
            lm_vocab_size=len(lm_vocab), max_chars=args.max_chars, d_model=args.d_model,
            n_layers=args.layers, n_heads=args.heads, d_ff=4 * args.d_model,
            n_bigrams=len(bigrams.keys), n_trigrams=len(trigrams.keys),
            case_counts="mid_sentence" in d,
        )
    out_vocab = tok.vocab
    model = RestoreModel(cfg)
    if args.from_model:
        old = RestoreModel.from_pretrained(args.from_model)
        net = {k: v for k, v in old.state_dict().items() if not is_count_table(k)}
        missing = model.load_state_dict(net, strict=False)
        model.to(next(old.parameters()).dtype)  # the same bytes as the old network
        print("copied network from", args.from_model, missing)
    model.out_to_lm.copy_(torch.from_numpy(tok.out_to_lm.astype(np.int32)))
    if "mid_sentence" in d:
        model.title_share.copy_(torch.from_numpy(
            title_share(out_vocab, vocab, d["mid_sentence"], d["mid_sentence_title"],
                        args.case_min).astype(np.float16)))
    model.unigram_logc.copy_(torch.from_numpy(np.log(np.maximum(lm_uni, 0.5)).astype(np.float16)))
    model.bigram_keys.copy_(torch.from_numpy(bigrams.keys.view(np.int32)))
    model.bigram_logc.copy_(torch.from_numpy(bigrams.logc.astype(np.float16)))
    model.trigram_keys.copy_(torch.from_numpy(trigrams.keys.view(np.int32)))
    model.trigram_logc.copy_(torch.from_numpy(trigrams.logc.astype(np.float16)))
    out = Path(args.out)
    model.save_pretrained(out)
    tok.save(out)
    stats = {"lm_vocab": len(lm_vocab), "out_vocab": len(out_vocab), "chars": len(tok.chars),
             "bigrams": len(bigrams.keys), "trigrams": len(trigrams.keys),
             "parameters": sum(p.numel() for p in model.parameters())}
    (out / "build.json").write_text(json.dumps(stats, indent=1))
    print(stats)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--ngrams", default="runs/ngrams.npz")
    ap.add_argument("--out", default="runs/restore-init")
    ap.add_argument("--from-model", default=None)
    ap.add_argument("--lm-min", type=int, default=3)
    ap.add_argument("--out-min", type=int, default=3)
    ap.add_argument("--bigram-min", type=int, default=2)
    ap.add_argument("--trigram-min", type=int, default=2)
    ap.add_argument("--case-min", type=int, default=50,
                    help="mid-sentence occurrences needed to trust a syllable's case share")
    ap.add_argument("--max-chars", type=int, default=10)
    ap.add_argument("--d-model", type=int, default=128)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--heads", type=int, default=4)
    build(ap.parse_args())


if __name__ == "__main__":
    main()
