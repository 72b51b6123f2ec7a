"""Train the restorer network; resumable, logs progress, uses a GPU when present.

    nohup python scripts/train_restorer.py --config configs/restore-v1.json > runs/train.log 2>&1 &

Resume: run the same command again (it continues from `out_dir/checkpoint.pt`, or
`out_dir/<variant>/checkpoint.pt`). To start from the shipped model, set
"init_model": "models/restore-v1" in the config. On a GPU machine, which sees only the
repository, pack the corpus first (scripts/pack_corpus.py) and train with a config
whose "corpus" is the packed folder (configs/restore-v2-gpu.json); `--minutes` bounds
the run by wall-clock time and `--export-dir` receives each network in fp16.
Export a checkpoint into a model folder with scripts/export_model.py.
"""

import argparse
import logging
from pathlib import Path

import torch

from vnocr.restore.train import train

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--config", default="configs/restore-v1.json")
    ap.add_argument("--steps", type=int, default=None, help="override total_steps")
    ap.add_argument("--minutes", type=float, default=None,
                    help="stop after this much training time (the schedule follows it)")
    ap.add_argument("--workers", type=int, default=None,
                    help="processes making noisy batches (default: the config's)")
    ap.add_argument("--export-dir", type=Path, default=None,
                    help="also save each network alone in fp16 here at every checkpoint")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    torch.set_num_threads(args.threads)
    train(args.config, steps=args.steps, minutes=args.minutes, export_dir=args.export_dir,
          workers=args.workers)
