"""Train the restorer network; resumable, logs progress, uses a GPU when present.

    nohup python scripts/train_restorer.py --config configs/restore-v1.json > runs/train.log 2>&1 &

Resume: run the same command again (it continues from `out_dir/checkpoint.pt`). To start
from the shipped model, set "init_model": "models/restore-v1" in the config.
Export a checkpoint into a model folder with scripts/export_model.py.
"""

import argparse
import logging

import torch

from pipeline.restore.train import train

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--config", default="configs/restore-v1.json")
    ap.add_argument("--steps", type=int, default=None, help="override total_steps")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    torch.set_num_threads(args.threads)
    train(args.config, steps=args.steps)
