"""Pack the corpus's training lines into a small folder that can travel with the repo.

    python scripts/pack_corpus.py --corpus ../shared/corpus --out runs/pack --mb-per-source 24

A GPU machine sees only the repository, not `../shared`: this writes, per source, the
train-split paragraphs already NFC-normalised, in the old tone style and cut into chunks
of at most `--max-tokens` words (`<source>.chunks.txt.gz`, one chunk a line), plus a few
thousand dev-split chunks (`dev/<source>.chunks.txt.gz`) for the trainer's held-out check.
`vnocr.restore.training_data.load_lines` reads such a folder like the corpus itself. Never
commit the output: it is corpus text (`runs/` is ignored).
"""

from __future__ import annotations

import argparse
import gzip
from pathlib import Path

from vnocr.data.corpus import split_of
from vnocr.restore.training_data import PACKED_SUFFIX, chunk_words
from vnocr.text import nfc


def pack_source(path: Path, out: Path, max_bytes: int, max_tokens: int, dev_chunks: int) -> None:
    source = path.name.removesuffix(".txt.gz")
    written = n_train = n_dev = 0
    (out / "dev").mkdir(parents=True, exist_ok=True)
    with (
        gzip.open(path, "rt", encoding="utf-8") as f,
        gzip.open(out / f"{source}{PACKED_SUFFIX}", "wt", encoding="utf-8") as train,
        gzip.open(out / "dev" / f"{source}{PACKED_SUFFIX}", "wt", encoding="utf-8") as dev,
    ):
        for line in f:
            para = nfc(line.strip())
            if not para:
                continue
            split = split_of(para)
            if split == "test" or (split == "dev" and n_dev >= dev_chunks):
                continue
            if split == "train" and written >= max_bytes:
                if n_dev >= dev_chunks:
                    break
                continue
            for chunk in chunk_words(para, max_tokens):
                text = " ".join(chunk) + "\n"
                if split == "dev":
                    dev.write(text)
                    n_dev += 1
                else:
                    train.write(text)
                    written += len(text.encode())
                    n_train += 1
    print(f"{source}: {n_train} train chunks ({written / 1e6:.1f} MB of text), {n_dev} dev")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    ap.add_argument("--out", type=Path, default=Path("runs/pack"))
    ap.add_argument("--mb-per-source", type=float, default=24.0,
                    help="uncompressed text kept per source (train split)")
    ap.add_argument("--max-tokens", type=int, default=40)
    ap.add_argument("--dev-chunks", type=int, default=1500)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for path in sorted(args.corpus.glob("*.txt.gz")):
        pack_source(path, args.out, int(args.mb_per_source * 1e6), args.max_tokens,
                    args.dev_chunks)


if __name__ == "__main__":
    main()
