"""Shared helpers for the batch tests (imported by name; pytest puts this folder on sys.path)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from vnocr.batch.walk import MANIFEST_NAME, REPORT_NAME
from vnocr.options import LexiconOptions, Options, RestoreOptions

REPO = Path(__file__).resolve().parents[2]

# OCR-free options: the structure of a batch does not need the model.
NO_CORRECT = Options(restore=RestoreOptions(enabled=False), lexicon=LexiconOptions(enabled=False))


def write_text_tree(root: Path, n: int = 6) -> dict[str, str]:
    """A nested tree of small UTF-8 text files; returns rel path -> content."""
    files = {}
    for i in range(n):
        rel = f"d{i % 3}/sub{i % 2}/doc{i}.txt" if i % 4 else f"doc{i}.txt"
        text = f"Trong nhiem ky vua qua {i}\nDang bo thanh pho Son La\n"
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        files[rel] = text
    return files


def outputs(out_dir: Path) -> dict[str, bytes]:
    """Every output file under OUT_DIR (not the manifest or report), by relative path."""
    found = {}
    for p in sorted(out_dir.rglob("*")):
        if p.is_file() and p.name not in (MANIFEST_NAME, REPORT_NAME):
            found[p.relative_to(out_dir).as_posix()] = p.read_bytes()
    return found


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["COLUMNS"] = "200"
    return env


def vnocr_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "vnocr", *args]


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        vnocr_cmd(*args),
        check=False,
        capture_output=True,
        text=True,
        env=cli_env(),
        cwd=REPO,
        timeout=timeout,
    )


def crash_on(item: str) -> str:
    """Executor test task: a worker that dies hard on 'crash', echoes anything else."""
    if item == "crash":
        os._exit(3)
    return item.upper()


LINES = [
    "Ủy ban nhân dân tỉnh báo cáo kết quả thực hiện",
    "nhiệm vụ phát triển kinh tế xã hội năm 2024",
    "Trong nhiệm kỳ vừa qua, Đảng bộ đã lãnh đạo",
]


def render_pages(n: int, dpi: int = 200):
    """`n` small rendered pages, page k headed `Trang k` so page order can be checked."""
    from PIL import Image

    from vnocr.data.render import RenderSpec, find_fonts, render_page

    spec = RenderSpec(font=find_fonts()[0], size_pt=12, dpi=dpi)
    pages = []
    for k in range(n):
        img = render_page([f"Trang {k + 1}", *LINES[: 1 + k % 3]], spec, seed=k)
        pages.append(Image.frombytes(img.mode, img.size, img.tobytes()))  # drop save hints
    return pages


def write_image_inputs(root: Path, *, pdf_pages: int = 3, png: bool = True) -> None:
    """A PNG and a multi-page PDF, as a scanner would leave them."""
    root.mkdir(parents=True, exist_ok=True)
    pages = render_pages(pdf_pages)
    if png:
        pages[0].copy().save(root / "scan.png")
    first, *rest = (p.copy() for p in pages)
    first.save(root / "report.pdf", save_all=True, append_images=rest, resolution=200)


def chatty(item: str) -> str:
    """Executor test task: reports progress twice from inside, then lingers a little."""
    import time

    from vnocr.batch.executors import report_progress

    report_progress((item, 1))
    report_progress((item, 2))
    time.sleep(0.6)  # the parent drains progress every 0.25 s while it waits
    return item


def loaded_model_id(options) -> int | None:
    """Executor test task: the `id` of this worker's loaded model before its first task
    (a forked worker's is the parent's object, at the parent's address); None if none."""
    from vnocr.batch.worker import get_pipeline

    restorer = get_pipeline(options)._restorer
    return None if restorer is None else id(restorer)
