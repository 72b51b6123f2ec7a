"""Proofreading on the review page in a real headless Chromium, replayed by the CLI.

The appendix is corrected and its page opened; one change is accepted, one rejected,
one replaced by an alternative and one by typed text, all with the keyboard. After a
reload the four decisions are still there; the exported text equals `vnocr correct
--decisions` of the exported decisions file, and differs from the unreviewed output in
exactly the three places whose text a decision changed. Runs under `make test`
(`browser-deps` installs Debian's `chromium`); skips only where there is none.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from browser_helpers import CHROMIUM, Chromium, wait_for_file

from vnocr.cli import main
from vnocr.report import write_html
from vnocr.result import Change, CorrectionResult

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (make browser-deps)"),
]

REPO = Path(__file__).resolve().parent.parent
APPENDIX = REPO / "samples" / "son_la_appendix_eng_ocr.txt"
TYPED = "Nậm Pồ"

CURRENT = "document.querySelector('.current')"


def _current(b: Chromium) -> dict:
    return b.evaluate(
        f"(function(){{var el={CURRENT}; return el && {{key: el.dataset.key, "
        "change: el.classList.contains('chg'), alts: JSON.parse(el.dataset.alts || '[]'),"
        " after: el.dataset.after, cls: el.className}})()"
    )


def _next_matching(b: Chromium, ok) -> dict:
    """Press n (next to decide, lowest confidence first) until the current item fits."""
    for _ in range(200):
        b.press("n")
        cur = _current(b)
        if cur and ok(cur):
            return cur
    raise AssertionError("no such item to decide")


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    """Correct the appendix with the CLI, review four items in Chromium, export."""
    tmp = tmp_path_factory.mktemp("review")
    page, unreviewed = tmp / "appendix.html", tmp / "unreviewed.txt"
    assert main(["correct", str(APPENDIX), "--html", str(page), "-o", str(unreviewed)]) == 0
    downloads = tmp / "downloads"
    with Chromium(tmp / "profile") as b:
        b.open(page.as_uri())
        b.downloads_to(downloads)
        assert b.evaluate("document.body.dataset.decided") == "0"
        accepted = _next_matching(b, lambda c: c["change"])
        b.press("a")
        rejected = _next_matching(b, lambda c: c["change"] and c["after"])
        b.press("r")
        chosen = _next_matching(b, lambda c: c["change"] and c["alts"])
        b.press("1")
        typed = _next_matching(b, lambda c: True)
        b.press("e")
        b.wait_for("document.activeElement.id === 'p-edit'")
        b.evaluate("document.getElementById('p-edit').select()")
        b.type(TYPED)
        b.press("Enter")
        assert b.evaluate("document.body.dataset.decided") == "4"
        b.reload()
        kept = b.evaluate(
            "Array.from(document.querySelectorAll('[class*=\" d-\"]')).map(function (el) {"
            " return [el.dataset.key, el.className.match(/d-(\\w+)/)[1], el.textContent]; })"
        )
        progress = b.evaluate("document.getElementById('progress').textContent")
        t = time.monotonic()
        b.press("j")
        b.wait_for("document.querySelector('.current') !== null")
        key_ms = 1000 * (time.monotonic() - t)
        b.screenshot(tmp / "review.png")
        b.evaluate("document.getElementById('b-export-text').click()")
        text = wait_for_file(downloads / "son_la_appendix_eng_ocr.reviewed.txt").decode()
        b.evaluate("document.getElementById('b-export-decisions').click()")
        decisions = downloads / "son_la_appendix_eng_ocr.decisions.json"
        wait_for_file(decisions)
        b.evaluate("document.getElementById('b-export-names').click()")
        names = wait_for_file(downloads / "names.txt").decode()
    return {
        "tmp": tmp, "unreviewed": unreviewed.read_text(encoding="utf-8"), "text": text,
        "decisions": decisions, "names": names, "kept": kept, "progress": progress,
        "items": {"accept": accepted, "reject": rejected, "choose": chosen, "edit": typed},
        "key_ms": key_ms,
    }


def test_four_decisions_survive_a_reload(reviewed):
    kept = {key: (verdict, shown) for key, verdict, shown in reviewed["kept"]}
    items = reviewed["items"]
    assert {k: v[0] for k, v in kept.items()} == {
        items[v]["key"]: v for v in ("accept", "reject", "choose", "edit")}
    assert kept[items["choose"]["key"]][1] == items["choose"]["alts"][0][0]
    assert kept[items["edit"]["key"]][1] == TYPED
    assert reviewed["progress"].startswith("4 decided / ")


def test_exported_text_is_the_cli_replay_of_the_exported_decisions(reviewed):
    tmp = reviewed["tmp"]
    replayed = tmp / "replayed.txt"
    assert main(["correct", str(APPENDIX), "--decisions", str(reviewed["decisions"]),
                 "-o", str(replayed)]) == 0
    assert replayed.read_text(encoding="utf-8") == reviewed["text"]

    before, after = reviewed["unreviewed"].split("\n"), reviewed["text"].split("\n")
    assert len(before) >= len(after) >= len(before) - 1
    differing = [i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b]
    items = reviewed["items"]
    lines = {int(items[v]["key"].split(":")[0]) for v in ("reject", "choose", "edit")}
    assert set(differing) == lines
    # each differing line differs exactly at its decided span
    for v in ("reject", "choose", "edit"):
        li, s, e = map(int, items[v]["key"].split(":"))
        assert before[li][:s] == after[li][:s]
    li, s, e = map(int, items["accept"]["key"].split(":"))
    assert before[li][s:e] in after[li]  # accepting keeps the text


def test_decisions_file_and_names(reviewed):
    data = json.loads(reviewed["decisions"].read_text(encoding="utf-8"))
    assert data["format"] == "vnocr-review-decisions"
    (doc,) = data["documents"]
    assert sorted(d["decision"] for d in doc["decisions"]) == ["accept", "choose", "edit",
                                                                "reject"]
    typed = next(d for d in doc["decisions"] if d["decision"] == "edit")
    assert typed["text"] == TYPED and typed["name"] is True
    assert TYPED in reviewed["names"].splitlines()
    names = reviewed["tmp"] / "learned" / "names.txt"
    assert main(["correct", str(APPENDIX), "--decisions", str(reviewed["decisions"]),
                 "--learn-names", str(names), "-o", str(reviewed["tmp"] / "again.txt")]) == 0
    assert TYPED in names.read_text(encoding="utf-8").splitlines()


def test_a_key_press_answers_quickly_on_a_long_page(reviewed, tmp_path):
    """The appendix page (thousands of marks) and a 1,200-line page stay responsive."""
    assert reviewed["key_ms"] < 1000
    lines = ["Trong nhiem ky vua qua Pang bo tinh d3 lam viec"] * 1200
    out = ["Trong nhiệm kỳ vừa qua Đảng bộ tỉnh đã làm việc"] * 1200
    changes = tuple(
        Change(k, t, s, e, b, a, (k % 10) / 10, "model")
        for k in range(1200)
        for t, s, e, b, a in ((1, 6, 11, "nhiem", "nhiệm"), (6, 35, 37, "d3", "đã"))
    )
    page = tmp_path / "long.html"
    write_html(CorrectionResult("\n".join(out), "\n".join(lines), changes), page)
    with Chromium(tmp_path / "profile") as b:
        t = time.monotonic()
        b.open(page.as_uri())
        load_s = time.monotonic() - t
        t = time.monotonic()
        for key in "nanrn":
            b.press(key)
        keys_ms = 1000 * (time.monotonic() - t) / 5
        assert b.evaluate("document.body.dataset.decided") == "2"
    assert load_s < 10 and keys_ms < 300, (load_s, keys_ms)
