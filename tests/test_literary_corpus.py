"""scripts/literary_corpus.py: the extra counting text keeps prose only, in modern
spacing, and never draws on the out-of-source dev set's authors."""

from __future__ import annotations

import importlib
import zipfile
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"

OPF = """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0">
<manifest><item id="p1" href="page1.xhtml" media-type="application/xhtml+xml"/></manifest>
<spine><itemref idref="p1"/></spine></package>"""


@pytest.fixture
def literary(monkeypatch):
    monkeypatch.syspath_prepend(str(SCRIPTS))
    return importlib.import_module("literary_corpus")


def make_epub(path: Path, paragraphs: list[str]) -> Path:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("OEBPS/content.opf", OPF)
        z.writestr("OEBPS/page1.xhtml", f"<html><body>{body}</body></html>")
    return path


def test_keeps_prose_drops_edition_notes_and_chinese(literary, tmp_path):
    epub = make_epub(tmp_path / "w.epub", [
        "Tên sách : PHẬT-LỤC", "Kiểm tra chính tả : Nguyễn Văn A", "------------------------",
        "Chàng nói: « Thôi, tôi về. »", "Khổng-tử nói: 學而時習之", "Ðạo Phật-giáo ở Á-đông.",
    ])
    assert literary.literary_paragraphs(epub) == [
        "Chàng nói: « Thôi, tôi về. »", "Đạo Phật giáo ở Á đông."]


def test_hyphens_between_numbers_stay(literary, tmp_path):
    epub = make_epub(tmp_path / "w.epub", ["Năm 1906-1948, tập 2-3."])
    assert literary.literary_paragraphs(epub) == ["Năm 1906-1948, tập 2-3."]


def test_lists_no_held_out_author(literary, tmp_path):
    assert len(literary.work_paths(tmp_path)) == sum(
        len(works) for _, _, works in literary.LITERARY_WORKS.values())
    literary.LITERARY_WORKS["nam-cao"] = ("Nam Cao", "1915–1951", ["chi-pheo"])
    try:
        with pytest.raises(ValueError, match="nam-cao"):
            literary.work_paths(tmp_path)
    finally:
        del literary.LITERARY_WORKS["nam-cao"]
