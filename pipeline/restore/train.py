"""Training loop of the restorer network (the LM tables are counted, not trained).

The network learns to predict the clean syllable of every token of noisy lines
(`vnocr.restore.training_data`). Resumable: each network restarts from the newest
checkpoint in its folder under `out_dir`.

Noisy batches are made by DataLoader workers (making them is the cost on a GPU, where
the network is tiny); a config may list several `variants` (architectures or starting
points), which then train side by side on the very same batches, so that one GPU run
compares them. With `time_budget_s` the cosine schedule runs on wall-clock time and the
loop stops in time to save.
"""

from __future__ import annotations

import json
import logging
import math
import random
import time
from dataclasses import dataclass
from pathlib import Path

import torch

from vnocr.files import atomic_file
from vnocr.restore.model import RestoreConfig, RestoreModel, is_count_table
from vnocr.restore.tokenizer import RestoreTokenizer
from vnocr.restore.training_data import NoisyBatches, load_lines

log = logging.getLogger("vnocr.train")


@dataclass
class Variant:
    """One network being trained, with its optimizer and checkpoint folder."""

    name: str
    model: RestoreModel
    opt: torch.optim.Optimizer
    folder: Path
    arch: dict
    step: int = 0
    loss: float = 0.0
    steps_before: int = 0  # the init model's own training steps, when continued from it

    def save(self, export_dir: Path | None) -> None:
        """Full checkpoint (to resume) in its folder; the fp16 network alone, which is
        what export_model.py needs, in `export_dir` when given."""
        net = {k: v for k, v in self.model.state_dict().items() if not is_count_table(k)}
        state = {"model": net, "opt": self.opt.state_dict(), "step": self.step,
                 "arch": self.arch, "steps_before": self.steps_before}
        _atomic_save(state, self.folder / "checkpoint.pt")
        if export_dir is not None:
            half = {k: v.half() if v.is_floating_point() else v for k, v in net.items()}
            _atomic_save({"model": half, "step": self.step, "arch": self.arch,
                          "steps_before": self.steps_before},
                         export_dir / f"{self.name or 'net'}.net.pt")


def _atomic_save(obj: dict, path: Path) -> None:
    """A checkpoint killed mid-save must not replace the last good one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(path) as f:
        torch.save(obj, f)


ARCH_KEYS = ("char_dim", "d_model", "n_layers", "n_heads", "d_ff", "dropout")


def build_variant(spec: dict, out_dir: Path, device: str, lr: float) -> Variant:
    """A network from `init_model` (its weights), or fresh with `arch` changed from it."""
    init = Path(spec["init_model"])
    if spec.get("arch"):
        config = RestoreConfig.from_pretrained(init)
        for k, v in spec["arch"].items():
            setattr(config, k, v)
        model = RestoreModel(config)
    else:
        model = RestoreModel.from_pretrained(init)
    model = model.float().to(device)
    arch = {k: getattr(model.config, k) for k in ARCH_KEYS}
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01,
                            **({"fused": True} if device == "cuda" else {}))
    name = spec.get("name", "")
    variant = Variant(name, model, opt, out_dir / name if name else out_dir, arch,
                      steps_before=0 if spec.get("arch")
                      else getattr(model.config, "training_steps", 0))
    ckpt = variant.folder / "checkpoint.pt"
    if ckpt.exists():
        state = torch.load(ckpt, map_location=device, weights_only=True)
        model.load_state_dict(state["model"], strict=False)
        opt.load_state_dict(state["opt"])
        variant.step = state["step"]
        variant.steps_before = state.get("steps_before", variant.steps_before)
        log.info("%s: resumed from step %d", name or "network", variant.step)
    n = sum(p.numel() for p in params)
    log.info("%s: %s, %.2f M parameters", name or "network", arch, n / 1e6)
    return variant


@torch.no_grad()
def held_out_accuracy(model: RestoreModel, batches: list[dict], device: str) -> float:
    """Share of labelled tokens whose best full-vocabulary prediction is the truth."""
    model.eval()
    right = total = 0
    for b in batches:
        b = {k: v.to(device) for k, v in b.items() if k != "candidates"}
        labels = b.pop("labels")
        pred = model(**b)["logits"].argmax(-1)
        keep = labels >= 0
        right += int((pred[keep] == labels[keep]).sum())
        total += int(keep.sum())
    model.train()
    return right / max(1, total)


def dev_batches(
    cfg: dict, tok: RestoreTokenizer, dev_dir: Path, per_regime: int = 8
) -> dict[str, list[dict[str, torch.Tensor]]]:
    """Fixed noisy batches per regime from the packed dev chunks (same seed every run)."""
    data = load_lines(dev_dir, 0, cfg["max_tokens"])
    stream = NoisyBatches({**cfg, "full_softmax": True}, tok, data, seed=0)
    out = {}
    for regime in stream.regimes:
        stream.regimes, stream.regime_w = [regime], [1.0]
        rng = random.Random(7)
        out[regime] = [stream.batch(rng) for _ in range(per_regime)]
    return out


def train(config_path: Path, *, steps: int | None = None, minutes: float | None = None,
          export_dir: Path | None = None, workers: int | None = None) -> None:
    """Train the restorer network from a JSON config (`configs/`); `steps` and `minutes`
    override its length and time budget; `export_dir` gets each variant's fp16 network
    (`NAME.net.pt`) for `scripts/export_model.py`."""
    cfg = json.loads(Path(config_path).read_text())
    out_dir = Path(cfg["out_dir"])
    torch.manual_seed(cfg["seed"])
    device = "cuda" if torch.cuda.is_available() else "cpu"
    specs = cfg.get("variants") or [{"init_model": cfg["init_model"]}]
    budget = minutes * 60 if minutes else cfg.get("time_budget_s")
    total = steps or cfg["total_steps"]

    tok = RestoreTokenizer.from_dir(Path(specs[0]["init_model"]),
                                    RestoreConfig.from_pretrained(specs[0]["init_model"]).max_chars)
    data = load_lines(Path(cfg["corpus"]), cfg["max_paragraphs_per_source"], cfg["max_tokens"])
    dev_dir = Path(cfg["corpus"]) / "dev"
    held_out = dev_batches(cfg, tok, dev_dir) if dev_dir.is_dir() else {}
    start_step = 0
    for spec in specs:  # a resumed run draws fresh batches, not the ones already seen
        ckpt = out_dir / spec.get("name", "") / "checkpoint.pt"
        if ckpt.exists():
            # on the CPU: a checkpoint saved from a GPU would otherwise wake CUDA before
            # the DataLoader workers fork
            state = torch.load(ckpt, map_location="cpu", weights_only=True)
            start_step = max(start_step, state["step"])
    stream = NoisyBatches(cfg, tok, data, seed=cfg["seed"] + start_step)
    n_workers = workers if workers is not None else cfg.get("workers", 0)
    loader = torch.utils.data.DataLoader(
        stream, batch_size=None, num_workers=n_workers, pin_memory=device == "cuda",
        worker_init_fn=lambda _: torch.set_num_threads(1),
        **({"prefetch_factor": 8, "persistent_workers": True} if n_workers else {}),
    )
    batches = iter(loader)  # workers fork here, before CUDA is touched

    variants = [build_variant(s, out_dir, device, cfg["lr"]) for s in specs]
    amp = device == "cuda" and cfg.get("amp") == "bf16"

    def progress(step: int) -> float:
        return (time.time() - t_start) / budget if budget else step / total

    def lr_at(step: int) -> float:
        warm = cfg["warmup_steps"]
        if step < warm:
            return cfg["lr"] * (step + 1) / warm
        return cfg["lr"] * max(0.05, 0.5 * (1 + math.cos(math.pi * min(1.0, progress(step)))))

    def report(tag: str) -> None:
        for v in variants if held_out else ():
            accs = {r: held_out_accuracy(v.model, bs, device) for r, bs in held_out.items()}
            log.info("%s %s step %d held-out token accuracy %s", tag, v.name or "network",
                     v.step, json.dumps({r: round(a, 4) for r, a in accs.items()}))

    report("start")
    t_start = last_save = time.time()
    log.info("training on %s with %d workers, %s", device, n_workers,
             f"{budget:.0f} s budget" if budget else f"{total} steps")
    t0, step = time.time(), 0
    every_s = cfg.get("checkpoint_seconds")
    while (progress(step) < 1.0) if budget else (min(v.step for v in variants) < total):
        batch = {k: v.to(device, non_blocking=True) for k, v in next(batches).items()}
        step += 1
        for v in variants:
            for g in v.opt.param_groups:
                g["lr"] = lr_at(v.step)
            with torch.autocast(device, dtype=torch.bfloat16, enabled=amp):
                loss = v.model(**batch)["loss"]
            v.opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(v.model.parameters(), 1.0)
            v.opt.step()
            v.step += 1
            v.loss = 0.98 * v.loss + 0.02 * loss.item() if v.loss else loss.item()
        if step % 100 == 0:
            rate = 100 / (time.time() - t0)
            log.info("step %d %.1f steps/s (%.0f lines/s) lr %.2e loss %s", step, rate,
                     rate * cfg["batch_lines"], lr_at(variants[0].step),
                     " ".join(f"{v.name or 'network'}={v.loss:.3f}" for v in variants))
            t0 = time.time()
        due = (time.time() - last_save >= every_s) if every_s else \
            step % cfg["checkpoint_every"] == 0
        if due:
            for v in variants:
                v.save(export_dir)
            last_save = time.time()
            log.info("checkpoint at step %d", step)
    for v in variants:
        v.save(export_dir)
    log.info("done: %d steps in %.0f s", step, time.time() - t_start)
    report("end")
