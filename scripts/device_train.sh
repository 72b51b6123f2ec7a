#!/usr/bin/env bash
# One training run on a lent GPU machine (the device tool), which sees only the repo.
#
# Here, first:  python scripts/pack_corpus.py --out runs/pack      (the train split, 21 MB)
#               pip download rapidfuzz as a wheel into .whl/        (see the device README)
# Then one device call, carrying runs/pack and .whl:
#               scripts/device_train.sh 8 configs/restore-v3-continue.json
# Each network comes back in fp16 under $OUT (with the log); export it here with
#               python scripts/export_model.py --init models/restore-v1 \
#                   --checkpoint OUT/<variant>.net.pt --out runs/candidate
# and ship it only if it beats models/restore-v1 on the dev sets (model card).
set -euo pipefail
minutes=${1:?minutes of training}
config=${2:-configs/restore-v3-continue.json}
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
    --target /tmp/site .whl/*.whl
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1
nvidia-smi -L || true
python3 scripts/train_restorer.py --config "$config" --minutes "$minutes" --workers 14 \
    --export-dir "$OUT" --threads 2 2>&1 | grep --line-buffered -v "Loading weights" \
    | tee "$OUT/train.log"
