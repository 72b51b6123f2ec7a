"""Put a training checkpoint's network into a model folder (fp16 safetensors).

    python scripts/export_model.py --init runs/restore-init \
        --checkpoint runs/train-v1/checkpoint.pt --out models/restore-v1

The LM tables and vocabularies come from --init (scripts/build_model.py or a model
folder); the network, of whatever size the checkpoint's `arch` says, from --checkpoint
(a training checkpoint or an fp16 `*.net.pt` from `train_restorer.py --export-dir`); decoding
weights tuned by scripts/tune_decoder.py can be merged with --decode-weights FILE.
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
from pathlib import Path

import torch

from vnocr.restore.model import RestoreModel, is_count_table
from vnocr.restore.tokenizer import CHARS_FILE, LM_VOCAB_FILE, VOCAB_FILE


def with_architecture(model: RestoreModel, arch: dict) -> RestoreModel:
    """`model`'s count tables under a network of another size (a checkpoint's `arch`)."""
    if all(getattr(model.config, k) == v for k, v in arch.items()):
        return model
    config = copy.deepcopy(model.config)
    for k, v in arch.items():
        setattr(config, k, v)
    resized = RestoreModel(config)
    tables = {k: v for k, v in model.state_dict().items() if is_count_table(k)}
    resized.load_state_dict(tables, strict=False)
    return resized


def export(init: Path, checkpoint: Path | None, out: Path, decode_weights: Path | None) -> None:
    model = RestoreModel.from_pretrained(init)
    if checkpoint is not None:
        state = torch.load(checkpoint, map_location="cpu", weights_only=True)
        model = with_architecture(model, state.get("arch", {}))
        # decoding tables come from --init (a checkpoint may predate some of them)
        network = {k: v for k, v in state["model"].items() if not is_count_table(k)}
        missing, unexpected = model.load_state_dict(network, strict=False)
        bad = [k for k in missing if not is_count_table(k)]
        if bad or unexpected:
            raise SystemExit(f"checkpoint does not fit the model: {bad} {unexpected}")
        # a network continued from a model counts that model's steps too
        model.config.training_steps = int(state.get("steps_before", 0)) + int(state["step"])
    if decode_weights is not None:
        model.config.decode_weights = json.loads(decode_weights.read_text())
    model = model.half()  # int32 LM keys stay int32; floats (weights, log counts) in fp16
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out, safe_serialization=True)
    for name in (CHARS_FILE, VOCAB_FILE, LM_VOCAB_FILE):
        shutil.copy(init / name, out / name)
    size = sum(f.stat().st_size for f in out.iterdir()) / 2**20
    print(f"exported to {out} ({size:.1f} MiB)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--init", type=Path, default=Path("runs/restore-init"))
    ap.add_argument("--checkpoint", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=Path("models/restore-v1"))
    ap.add_argument("--decode-weights", type=Path, default=None)
    args = ap.parse_args()
    export(args.init, args.checkpoint, args.out, args.decode_weights)


if __name__ == "__main__":
    main()
