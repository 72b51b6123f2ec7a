"""The built wheel is the product: it installs anywhere and works from any directory.

One wheel is built from the checkout and installed into a fresh virtual environment
that reuses this environment's dependencies (torch is large: a `.pth` file points at
this site-packages instead of installing them again). The installed `vnocr` must then
give the same output as the checkout, from a directory holding a user's own
`pipeline.py` (a common file name that must not shadow anything).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPENDIX = ROOT / "samples" / "son_la_appendix_eng_ocr.txt"
SCAN = ROOT / "samples" / "admin_scan_clean.jpg"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Built from a copy of the source, so no stale `build/` folder can leak into it."""
    out = tmp_path_factory.mktemp("wheel")
    source = tmp_path_factory.mktemp("source") / "vnocr"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis",
        "runs", "work"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "-q", "-w", str(out), str(source)],
        check=True, cwd=source, capture_output=True,
    )
    (found,) = out.glob("vnocr-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed; returns its bin directory."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False).create(env_dir)
    bin_dir = env_dir / "bin"
    site = subprocess.run(
        [str(bin_dir / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    # Dependencies come from this environment; the editable install's finder (a .pth
    # file there) is not processed for a directory added this way, so `vnocr` can only
    # come from the wheel.
    Path(site, "_vnocr_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(bin_dir / "python"), "install",
         "--no-deps", "--no-index", "-q", str(wheel)],
        check=True, capture_output=True,
    )
    return bin_dir


@pytest.fixture
def user_dir(tmp_path) -> Path:
    """An empty working directory with a user's `pipeline.py` that must never run."""
    (tmp_path / "pipeline.py").write_text("raise SystemExit('the user pipeline.py was imported')\n")
    return tmp_path


def _run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "VNOCR_MODEL"}
    return subprocess.run(argv, cwd=cwd, capture_output=True, env=env, timeout=600, check=False)


def test_wheel_holds_every_source_module_and_the_model(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    tracked = [p.relative_to(ROOT).as_posix()
               for folder in ("pipeline", "models") for p in (ROOT / folder).rglob("*")
               if p.is_file() and "__pycache__" not in p.parts]
    for path in tracked:
        inside = ("vnocr/models/" + path[len("models/"):] if path.startswith("models/")
                  else "vnocr/" + path[len("pipeline/"):])
        assert inside in names, f"{path} is missing from the wheel as {inside}"
    assert "vnocr/py.typed" in names and "vnocr/templates/review.html.j2" in names


def test_installed_wheel_corrects_like_the_checkout(installed, user_dir):
    from_wheel = _run([str(installed / "vnocr"), "correct", str(APPENDIX)], user_dir)
    assert from_wheel.returncode == 0, from_wheel.stderr.decode()
    from_checkout = _run([sys.executable, "-m", "vnocr", "correct", str(APPENDIX)], ROOT)
    assert from_checkout.returncode == 0, from_checkout.stderr.decode()
    assert from_wheel.stdout == from_checkout.stdout


def test_installed_wheel_imports_and_runs_as_a_module(installed, user_dir):
    code = ("import vnocr, vnocr.options as o; print(vnocr.__version__); "
            "print(o.DEFAULT_MODEL_DIR)")
    got = _run([str(installed / "python"), "-c", code], user_dir)
    assert got.returncode == 0, got.stderr.decode()
    version, model_dir = got.stdout.decode().split()
    assert version.count(".") == 2
    assert Path(model_dir).is_relative_to(installed.parent)  # the wheel's model, not the checkout's
    assert (Path(model_dir) / "model.safetensors").is_file()
    as_module = _run([str(installed / "python"), "-m", "vnocr", "--version"], user_dir)
    assert as_module.returncode == 0 and version in as_module.stdout.decode()


def test_installed_wheel_reads_a_scan(installed, user_dir):
    got = _run([str(installed / "vnocr"), "ocr", str(SCAN)], user_dir)
    assert got.returncode == 0, got.stderr.decode()
    assert "Việc thiết kế" in got.stdout.decode()
