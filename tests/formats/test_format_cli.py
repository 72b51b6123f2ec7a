"""`vnocr batch --format pdf,hocr,alto` writes each per input; the files are sound.
Inputs that need no OCR (typed PDFs, text files) run where Tesseract is missing."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from conftest import CLEAN, need_tool
from pikepdf import Name
from PIL import Image

from vnocr.cli import main
from vnocr.errors import ExitCode

pytestmark = pytest.mark.slow


def test_batch_writes_pdf_hocr_and_alto(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    shutil.copy(CLEAN, src / "scan.jpg")
    assert main(["batch", str(src), str(out), "--format", "pdf,hocr,alto,text",
                 "--no-progress"]) == 0
    assert sorted(p.name for p in out.iterdir() if "vnocr-" not in p.name) == [
        "scan.hocr", "scan.pdf", "scan.txt", "scan.xml"]
    text = subprocess.run([need_tool("pdftotext"), str(out / "scan.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert text.split() == (out / "scan.txt").read_text(encoding="utf-8").split()
    assert "ocrx_word" in (out / "scan.hocr").read_text(encoding="utf-8")


def test_batch_refuses_an_unknown_format(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    assert main(["batch", str(tmp_path / "in"), str(tmp_path / "out"), "--format", "docx"]) == 2
    assert "pdf" in capsys.readouterr().err


def typed_pdf(path: Path, *, scan_first: bool = False) -> Path:
    """A born-digital page (Helvetica text, no image); with `scan_first`, after a page
    that is only the clean scan's image, which needs OCR."""
    pdf = pikepdf.new()
    if scan_first:
        buf = io.BytesIO()
        with Image.open(CLEAN) as im:
            im.save(buf, format="PDF", resolution=300)
        pdf = pikepdf.open(io.BytesIO(buf.getvalue()))
    font = pdf.make_indirect(pikepdf.Dictionary(
        Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica,
        Encoding=Name.WinAnsiEncoding))
    page = pikepdf.Page(pikepdf.Dictionary(
        Type=Name.Page, MediaBox=[0, 0, 612, 792],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))))
    page.obj.Contents = pdf.make_stream(
        b"BT /F1 14 Tf 72 720 Td (Uy ban nhan dan tinh Son La) Tj ET\n")
    pdf.pages.append(page)
    pdf.save(path)
    return path


def vnocr_without_tesseract(*args: str) -> subprocess.CompletedProcess[str]:
    """`vnocr ARGS` with a PATH that holds no tesseract."""
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}
    assert shutil.which("tesseract", path=env["PATH"]) is None
    return subprocess.run([sys.executable, "-m", "vnocr", *args], env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def test_typed_pdfs_and_text_files_need_no_tesseract(tmp_path):
    typed = typed_pdf(tmp_path / "typed.pdf")
    txt = tmp_path / "note.txt"
    txt.write_text("Son La\n", encoding="utf-8")
    done = vnocr_without_tesseract("ocr", str(typed), str(txt), "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert "Sơn La" in (tmp_path / "out" / "typed.txt").read_text(encoding="utf-8")
    (tmp_path / "in").mkdir()
    shutil.copy(typed, tmp_path / "in" / "typed.pdf")
    done = vnocr_without_tesseract("batch", str(tmp_path / "in"), str(tmp_path / "b"),
                                   "--no-progress")
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("scan", ["image", "pdf page"])
def test_a_page_to_ocr_without_tesseract_is_one_line_and_exit_4(tmp_path, scan):
    if scan == "image":
        source = CLEAN
    else:
        source = typed_pdf(tmp_path / "mixed.pdf", scan_first=True)
    done = vnocr_without_tesseract("ocr", "--no-correct", str(source))
    assert done.returncode == ExitCode.ENVIRONMENT
    (line,) = done.stderr.strip().splitlines()
    assert "tesseract not found" in line
