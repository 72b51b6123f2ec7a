"""The review page in a real headless Chromium: scripts run, counts right, screenshot.

Runs under `make test` (its `browser-deps` target installs Debian `chromium`); skips
only where no `chromium` is on PATH.
"""

from __future__ import annotations

import re
import struct
import subprocess
from pathlib import Path

import pytest
from browser_helpers import CHROMIUM, FLAGS

from vnocr.report import write_html
from vnocr.result import Change, CorrectionResult

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (make browser-deps)"),
]


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile{len(list(tmp_path.glob('profile*')))}"
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=90,
        check=True,
    )


def _results() -> list[CorrectionResult]:
    """Two pages, 40 lines each, 3 changes per line: a long report in small."""
    out = []
    for page in range(2):
        inp_lines, out_lines, changes = [], [], []
        for k in range(40):
            inp_lines.append(f"Trong nhiem ky {k} vua qua <b>&amp;</b> Pang bo")
            out_lines.append(f"Trong nhiệm kỳ {k} vừa qua <b>&amp;</b> Đảng bộ")
            conf = (k % 10) / 10 + 0.0996  # 0.5996: low, though it shows as 0.60
            changes.append(Change(k, 1, 6, 11, "nhiem", "nhiệm", conf, "model"))
            changes.append(Change(k, 2, 12, 14, "ky", "kỳ", 0.95, "model"))
            n = len(str(k))
            s = 34 + n + 3
            changes.append(Change(k, 7, s, s + 7, "Pang bo", "Đảng bộ", 0.8, "dictionary", 2))
        inp_lines.append("khong doi <script>document.title='pwned'</script>")
        out_lines.append("khong doi <script>document.title='pwned'</script>")
        out.append(CorrectionResult("\n".join(out_lines), "\n".join(inp_lines), tuple(changes)))
    return out


def _body_attrs(dom: str) -> dict[str, str]:
    m = re.search(r"<body([^>]*)>", dom)
    assert m, "no body in the dumped DOM"
    return dict(re.findall(r'([\w-]+)="([^"]*)"', m.group(1)))


def test_review_page_in_headless_chromium(tmp_path):
    page = tmp_path / "review.html"
    write_html(_results(), page, title="Báo cáo <thử>", labels=["trang 1", "trang 2"])
    dom = _chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    body = _body_attrs(dom)
    assert body.get("data-ready") == "1", "the page script did not run"
    chg = re.findall(r'<span class="chg ([^"]*)"', dom)
    assert len(chg) == 240  # 2 pages x 40 lines x 3 changes
    assert body["data-shown"] == "240"
    # Low confidence (< 0.6): nhiem on lines whose k % 10 in 0..5 -> 6 of 10, 24 per page;
    # the script agrees with the summary even for 0.5996.
    assert body["data-low-shown"] == "48"
    assert "&lt; 0.6 <b>48</b>" in dom
    assert "<title>Báo cáo &lt;thử&gt;</title>" in dom  # the injected script never ran

    # The stage filter from the URL: only dictionary changes stay bright.
    dom = _chromium(tmp_path, "--dump-dom", page.as_uri() + "#stage=dictionary&changed=1").stdout
    body = _body_attrs(dom)
    assert body["data-shown"] == "80"
    assert "only-changed" in body.get("class", "")
    dimmed = [c for c in re.findall(r'<span class="chg ([^"]*)"', dom) if "dim" in c.split()]
    assert len(dimmed) == 160 and all("model" in c.split() for c in dimmed)

    shot = tmp_path / "review.png"
    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,900", page.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1200, 900)
    assert len(data) > 20_000  # a blank page compresses to a few kB

    from PIL import Image

    with Image.open(shot) as im:
        colours = im.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 50  # text and highlight colours drawn
